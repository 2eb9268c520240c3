"""METRICS.md §4, units (乡镇赛马、县直部门考核): indicators, score, ranking, awards, mid-year check.

Indicators of unit ``u`` for Y: ``signed_projects`` (S introduced by u), ``in_stats_projects``
(active projects entering the statistics in W introduced by u), ``valid_leads`` (first-report
leads, status valid, reported in W, reported by u — see ``analytics.leads``).

Score and decisions are computed on exact fractions (weights and the cap read as the decimals
typed), so equal scores really tie and are ordered by ``unit_id``; the report shows the float.

Decisions where METRICS.md is silent:
- a unit with no included indicator (no target > 0), or whose included weights sum to 0, has
  ``score`` null, ``completed`` false, ``rank`` null, no award, ``behind_half`` false and is never in
  the public statement (which lists ranked units only);
- unranked units follow the ranked ones of their group, by ``unit_id``;
- a township without a class is put in group ``township`` (after the departments) and ranked there,
  without awards (awards are per class 1 / 2);
- ``mid_year_check`` falls on the last day of the month when the day does not exist in Y (02-29);
- awards are listed in the order golden_horse, advanced, snail.
"""

from __future__ import annotations

import calendar
from datetime import date
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import AWARD_LABELS, GROUP_LABELS
from analytics.core.period import Period
from analytics.core.schema import UNIT_METRICS
from analytics.metrics import views
from analytics.metrics.leads import register_company_keys

GROUP_ORDER = ("township_1", "township_2", "department", "township")
AWARD_ORDER = ("golden_horse", "advanced", "snail")
AWARD_ZH = AWARD_LABELS
GROUP_ZH = GROUP_LABELS

# Per unit: the three §4 indicators (the relations are the shared views).
UNIT_ACTUALS_SQL = f"""
WITH signed AS (
    SELECT introducing_unit_id AS unit_id, count(*) AS n FROM ({views.SIGNED_S}) GROUP BY 1
), in_stats AS (
    SELECT introducing_unit_id AS unit_id, count(*) AS n FROM ({views.IN_STATS_W}) GROUP BY 1
), valid_leads AS (
    SELECT reporter_unit_id AS unit_id, count(*) AS n FROM ({views.VALID_FIRST_REPORTS_W}) GROUP BY 1
)
SELECT u.unit_id, u.name, u.kind, u.township_class, u.squad_id,
       coalesce(signed.n, 0) AS signed_projects,
       coalesce(in_stats.n, 0) AS in_stats_projects,
       coalesce(valid_leads.n, 0) AS valid_leads
FROM units AS u
LEFT JOIN signed ON signed.unit_id = u.unit_id
LEFT JOIN in_stats ON in_stats.unit_id = u.unit_id
LEFT JOIN valid_leads ON valid_leads.unit_id = u.unit_id
ORDER BY u.unit_id
"""

UNIT_TARGETS_SQL = "SELECT scope, metric, value FROM targets WHERE year = $year AND scope <> 'county'"


def mid_year_date(period: Period, settings: dict[str, Any]) -> date:
    """The ``mid_year_check`` day of Y (a day beyond the month's end is its last day)."""
    month, day = (int(x) for x in settings["mid_year_check"].split("-"))
    return date(period.year, month, min(day, calendar.monthrange(period.year, month)[1]))


def group_of(kind: str, township_class: str | None) -> str:
    if kind == "department":
        return "department"
    return f"township_{township_class}" if township_class in ("1", "2") else "township"


def score_unit(
    actuals: dict[str, int], targets: dict[str, float | None], settings: dict[str, Any]
) -> tuple[Fraction | None, bool, dict[str, Fraction]]:
    """(exact score or None, completed, completion per included indicator) of one unit."""
    completions = {
        m: Fraction(actuals[m]) / views.exact(targets[m]) for m in UNIT_METRICS if (targets.get(m) or 0) > 0
    }
    weights = {m: views.exact(settings["unit_weights"][m]) for m in completions}
    cap = views.exact(settings["score_cap"])
    total_weight = sum(weights.values())
    score = (
        100 * sum(weights[m] * min(c, cap) for m, c in completions.items()) / total_weight
        if completions and total_weight > 0
        else None
    )
    completed = bool(completions) and all(c >= 1 for c in completions.values())
    return score, completed, completions


def evaluate_units(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> list[dict]:
    """Every unit with actuals, targets, exact score, rank, awards and mid-year flags.

    Internal records (``score_exact`` is a Fraction) in report order; ``unit_results`` and
    ``unit_table`` are views of them, and ``analytics.squads`` builds on them.
    """
    register_company_keys(con)
    rows = views.fetch_dicts(con, UNIT_ACTUALS_SQL, views.bind(period))
    targets: dict[str, dict[str, float]] = {}
    for scope, metric, value in views.fetch_rows(con, UNIT_TARGETS_SQL, {"year": period.year}):
        if metric in UNIT_METRICS:
            targets.setdefault(scope, {})[metric] = value
    mid_year = period.as_of >= mid_year_date(period, settings)

    units = []
    for row in rows:
        actuals = {m: int(row[m]) for m in UNIT_METRICS}
        unit_targets = {m: targets.get(row["unit_id"], {}).get(m) for m in UNIT_METRICS}
        score, completed, completions = score_unit(actuals, unit_targets, settings)
        units.append(
            {
                "unit_id": row["unit_id"],
                "name": row["name"],
                "kind": row["kind"],
                "township_class": row["township_class"],
                "squad_id": row["squad_id"],
                "group": group_of(row["kind"], row["township_class"]),
                "actuals": actuals,
                "targets": unit_targets,
                "completions": completions,
                "score_exact": score,
                "completed": completed,
                "rank": None,
                "awards": [],
                "behind_half": mid_year and any(c < Fraction(1, 2) for c in completions.values()),
                "public_statement": False,
            }
        )

    ordered = []
    for group in GROUP_ORDER:
        members = [u for u in units if u["group"] == group]
        ranked = sorted(
            (u for u in members if u["score_exact"] is not None),
            key=lambda u: (-u["score_exact"], u["unit_id"]),
        )
        for rank, unit in enumerate(ranked, start=1):
            unit["rank"] = rank
        if group in ("township_1", "township_2"):
            _award(ranked, settings["advanced_per_class"].get(group[-1], 0))
        ordered += ranked + [u for u in members if u["score_exact"] is None]

    if mid_year:
        for kind, how_many in (("department", 3), ("township", 1)):
            lowest = sorted(
                (u for u in units if u["kind"] == kind and u["rank"] is not None),
                key=lambda u: (u["score_exact"], _descending(u["unit_id"])),
            )
            for unit in lowest[:how_many]:
                unit["public_statement"] = True
    return ordered


class _descending(str):
    """A string that sorts in reverse (ties in the public statement: the later id is lower)."""

    def __lt__(self, other: str) -> bool:
        return str.__gt__(self, other)

    def __gt__(self, other: str) -> bool:
        return str.__lt__(self, other)


def _award(ranked: list[dict], advanced_slots: int) -> None:
    """§4 awards of one township class, ranked best first."""
    if not ranked:
        return
    if ranked[0]["completed"]:
        ranked[0]["awards"].append("golden_horse")
    for unit in [u for u in ranked if u["completed"]][:advanced_slots]:
        unit["awards"].append("advanced")
    if not ranked[-1]["completed"]:
        ranked[-1]["awards"].append("snail")


def _report_entry(unit: dict) -> dict[str, Any]:
    return {
        "unit_id": unit["unit_id"],
        "kind": unit["kind"],
        "group": unit["group"],
        "actuals": dict(unit["actuals"]),
        "targets": {m: views.number(v) for m, v in unit["targets"].items()},
        "score": float(unit["score_exact"]) if unit["score_exact"] is not None else None,
        "completed": unit["completed"],
        "rank": unit["rank"],
        "awards": list(unit["awards"]),
        "behind_half": unit["behind_half"],
        "public_statement": unit["public_statement"],
    }


def unit_results(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
) -> list[dict]:
    """The report's ``units`` entries: by group (class-1, class-2, departments), then rank."""
    return [
        _report_entry(u)
        for u in (evaluated if evaluated is not None else evaluate_units(con, period, settings))
    ]


def unit_table(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
) -> pd.DataFrame:
    """One row per unit for the pages: each indicator's actual/target/completion, score, rank, awards."""
    units = evaluated if evaluated is not None else evaluate_units(con, period, settings)
    rows = []
    for u in units:
        row: dict[str, Any] = {
            "unit_id": u["unit_id"],
            "name": u["name"],
            "kind": u["kind"],
            "group": u["group"],
            "group_zh": GROUP_ZH[u["group"]],
            "squad_id": u["squad_id"],
        }
        for m in UNIT_METRICS:
            c = u["completions"].get(m)
            row |= {
                f"{m}_actual": u["actuals"][m],
                f"{m}_target": views.number(u["targets"][m]),
                f"{m}_completion": float(c) if c is not None else None,
            }
        score = float(u["score_exact"]) if u["score_exact"] is not None else None
        row |= {
            "score": score,
            "score_display": round(score, 2) if score is not None else None,
            "completed": u["completed"],
            "rank": u["rank"],
            "awards": list(u["awards"]),
            "awards_zh": "、".join(AWARD_ZH[a] for a in u["awards"]),
            "behind_half": u["behind_half"],
            "public_statement": u["public_statement"],
        }
        rows.append(row)
    df = pd.DataFrame(rows)
    if not df.empty:
        df["rank"] = df["rank"].astype("Int64")
    return df
