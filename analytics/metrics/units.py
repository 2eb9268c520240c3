"""METRICS.md §4, units (乡镇赛马、县直部门考核): indicators, score, ranking, awards, mid-year check.

Indicators of unit ``u`` for Y: ``signed_projects`` (S introduced by u), ``in_stats_projects``
(active projects entering the statistics in W introduced by u, as counted at D: §0),
``valid_leads`` (first-report leads, status valid, reported in W, validated in time, reported by
u — see ``views.valid_first_reports_w``).

Scores are computed on exact fractions (weights and the cap read as the decimals typed), so equal
scores really tie; the report shows the float. Ranks, ties, awards and the public statement are
decided by ``analytics.metrics.ranking`` (v2: no id decides them).

Mid-year check (v2): from the check day C on, ``behind_half`` and ``public_statement`` are those of
the units as evaluated for (Y, C) — one extra evaluation of the units when D is after C, none when
D is C — and ``behind_schedule`` compares today's completions with today's schedule (D after C).

Decisions where METRICS.md is silent:
- a unit whose included weights sum to 0 is treated like one with no included indicator: score,
  completed and rank null, no award, never behind half or in the public statement;
- a township without a class is put in group ``township`` (after the departments) and ranked there,
  without awards (awards are per class 1 / 2);
- ``mid_year_check`` falls on the last day of the month when the day does not exist in Y (02-29);
- awards are listed in the order golden_horse, advanced, snail.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import AWARD_LABELS, GROUP_LABELS
from analytics.core.period import Period, month_day_of
from analytics.core.schema import UNIT_METRICS
from analytics.metrics import ranking, views
from analytics.metrics.leads import register_company_keys

GROUP_ORDER = ("township_1", "township_2", "department", "township")
AWARD_ORDER = ("golden_horse", "advanced", "snail")
AWARD_ZH = AWARD_LABELS
GROUP_ZH = GROUP_LABELS

# Per unit: two §4 indicators and the signed investment of the order key (shared views).
UNIT_ACTUALS_SQL = f"""
WITH signed AS (
    SELECT introducing_unit_id AS unit_id, count(*) AS n, {views.money_sum("total_investment_wan")} AS wan
    FROM ({views.SIGNED_S}) GROUP BY 1
), in_stats AS (
    SELECT introducing_unit_id AS unit_id, count(*) AS n FROM ({views.IN_STATS_W}) GROUP BY 1
)
SELECT u.unit_id, u.name, u.kind, u.township_class, u.squad_id,
       coalesce(signed.n, 0) AS signed_projects,
       coalesce(in_stats.n, 0) AS in_stats_projects,
       coalesce(signed.wan, 0) AS signed_investment_wan
FROM units AS u
LEFT JOIN signed ON signed.unit_id = u.unit_id
LEFT JOIN in_stats ON in_stats.unit_id = u.unit_id
ORDER BY u.unit_id
"""

# Per reporting unit: §4 valid_leads at D and at the mid-year check day C (``$check_end``,
# ``$check_valid_by``; the values of D when no check is needed). Every lead valid at C is valid at D
# (W at C is a prefix of W at D, and min(C, cutoff) <= min(D, cutoff); the first-report decision does
# not depend on the as-of day), so the first-report rule runs once for both. Keyed by whether first
# reports can lapse (a protection period is set; ``views.first_reports``).
VALID_LEADS_SQL = {
    lapsing: f"""
SELECT v.reporter_unit_id AS unit_id, count(*) AS at_as_of,
       count(*) FILTER (WHERE {views.valid_in_window("v", "$check_end", "$check_valid_by")}) AS at_check
FROM ({views.valid_first_reports_w(lapsing=lapsing)}) AS v
GROUP BY v.reporter_unit_id
"""
    for lapsing in (True, False)
}

# unit → §4 indicator → target of Y; per unit, the valid_leads count.
UnitTargets = dict[str, dict[str, float]]
LeadCounts = dict[str, int]

UNIT_TARGETS_SQL = "SELECT scope, metric, value FROM targets WHERE year = $year AND scope <> 'county'"


def mid_year_date(period: Period, settings: dict[str, Any]) -> date:
    """The ``mid_year_check`` day of Y (a day beyond the month's end is its last day)."""
    return month_day_of(period.year, settings["mid_year_check"])


def group_of(kind: str, township_class: str | None) -> str:
    if kind == "department":
        return "department"
    return f"township_{township_class}" if township_class in ("1", "2") else "township"


def score_unit(
    actuals: dict[str, int], targets: dict[str, float | None], settings: dict[str, Any]
) -> tuple[Fraction | None, bool | None, dict[str, Fraction]]:
    """(exact score or None, completed or None, completion per included indicator) of one unit."""
    completions = {
        m: Fraction(actuals[m]) / views.exact(targets[m]) for m in UNIT_METRICS if (targets.get(m) or 0) > 0
    }
    weights = {m: views.exact(settings["unit_weights"][m]) for m in completions}
    cap = views.exact(settings["score_cap"])
    total_weight = sum(weights.values())
    if not completions or total_weight <= 0:
        return None, None, completions
    score = 100 * sum(weights[m] * min(c, cap) for m, c in completions.items()) / total_weight
    return score, all(c >= 1 for c in completions.values()), completions


def valid_leads_by_unit(
    con: duckdb.DuckDBPyConnection, period: Period, check: Period, settings: dict[str, Any]
) -> tuple[LeadCounts, LeadCounts]:
    """§4 valid_leads per unit at ``period``'s D and at ``check``'s (an earlier or equal day of Y)."""
    check_params = views.bind(check, settings)
    params = views.bind(period, settings, check_end=check.window_end, check_valid_by=check_params["valid_by"])
    lapsing = settings["first_report_protection_days"] is not None
    rows = views.fetch_rows(con, VALID_LEADS_SQL[lapsing], params)
    return {u: int(n) for u, n, _ in rows}, {u: int(n) for u, _, n in rows}


def _unit_rows(
    con: duckdb.DuckDBPyConnection, period: Period, check: Period, settings: dict[str, Any]
) -> tuple[list[dict], list[dict]]:
    """The ``UNIT_ACTUALS_SQL`` rows at ``period``'s D and at ``check``'s (the same rows when ``check``
    is ``period``), read in one query: the check day's copy has its parameters prefixed ``check_``,
    as ``county.county_actuals_with_previous`` reads two periods."""
    params = views.bind(period, settings)
    if check is period:
        rows = views.fetch_dicts(con, UNIT_ACTUALS_SQL, params)
        return rows, rows
    check_sql, check_params = views.prefixed(UNIT_ACTUALS_SQL, views.bind(check, settings), "check_")
    two_days = f"""
        SELECT 0 AS day_index, * FROM ({UNIT_ACTUALS_SQL})
        UNION ALL
        SELECT 1 AS day_index, * FROM ({check_sql})
        ORDER BY day_index, unit_id
    """
    by_day: tuple[list[dict], list[dict]] = ([], [])
    for row in views.fetch_dicts(con, two_days, params | check_params):
        by_day[row.pop("day_index")].append(row)
    return by_day


def _unit_targets(con: duckdb.DuckDBPyConnection, period: Period) -> UnitTargets:
    """unit → §4 indicator → target of Y."""
    targets: UnitTargets = {}
    for scope, metric, value in views.fetch_rows(con, UNIT_TARGETS_SQL, {"year": period.year}):
        if metric in UNIT_METRICS:
            targets.setdefault(scope, {})[metric] = value
    return targets


def _scored_units(
    actual_rows: list[dict], targets: UnitTargets, settings: dict[str, Any], valid_leads: LeadCounts
) -> list[dict]:
    """Every unit with actuals, targets, completions, exact score and completed (no decisions yet)."""
    rows = [row | {"valid_leads": valid_leads.get(row["unit_id"], 0)} for row in actual_rows]
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
                "signed_investment_wan": row["signed_investment_wan"],
                "awards": [],
                "behind_half": False,
                "public_statement": False,
                "behind_schedule": False,
            }
        )
    return units


def _ranked_units(
    actual_rows: list[dict], targets: UnitTargets, settings: dict[str, Any], valid_leads: LeadCounts
) -> list[dict]:
    """The scored units with order key, rank, tied and awards, in report order."""
    units = _scored_units(actual_rows, targets, settings, valid_leads)
    ordered = []
    for group in GROUP_ORDER:
        members = ranking.rank_group([u for u in units if u["group"] == group], settings["tie_breakers"])
        if group in ranking.AWARD_CLASSES:
            places = settings["advanced_per_class"].get(ranking.AWARD_CLASSES[group], 0)
            ranking.award_class([u for u in members if u["rank"] is not None], places)
        ordered += members
    return ordered


def _check_period(period: Period, settings: dict[str, Any]) -> Period:
    """The as-of of the mid-year verdict: the check day C once D is after it, else D itself."""
    check_day = mid_year_date(period, settings)
    return Period(period.year, check_day) if period.as_of > check_day else period


def read_unit_leads(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> tuple[LeadCounts, LeadCounts]:
    """The leads read of ``evaluate_units``: §4 valid_leads per unit at D and at the check day."""
    register_company_keys(con)
    return valid_leads_by_unit(con, period, _check_period(period, settings), settings)


def read_unit_rows(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> tuple[list[dict], list[dict], UnitTargets]:
    """The projects read of ``evaluate_units``: the unit actuals at D and at the check day, and the
    unit targets of Y."""
    rows_now, rows_at_check = _unit_rows(con, period, _check_period(period, settings), settings)
    return rows_now, rows_at_check, _unit_targets(con, period)


def evaluate_units(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> list[dict]:
    """Every unit with actuals, targets, exact score, order key, rank, tied, awards and mid-year flags.

    Internal records (``score_exact`` a Fraction, ``order_key`` a tuple, ``signed_investment_wan`` a
    Decimal) in report order; ``unit_results`` and ``unit_table`` are views of them, and
    ``analytics.metrics.squads`` builds on them.
    """
    leads = read_unit_leads(con, period, settings)
    return units_from_reads(period, settings, leads, read_unit_rows(con, period, settings))


def units_from_reads(
    period: Period,
    settings: dict[str, Any],
    leads: tuple[LeadCounts, LeadCounts],
    rows: tuple[list[dict], list[dict], UnitTargets],
) -> list[dict]:
    """``evaluate_units`` from its two reads (``read_unit_leads``, ``read_unit_rows``), which the
    report runs side by side."""
    (leads_now, leads_at_check), (rows_now, rows_at_check, targets) = leads, rows
    check_day = mid_year_date(period, settings)
    units = _ranked_units(rows_now, targets, settings, leads_now)
    if period.as_of < check_day:
        return units
    at_check = (
        units
        if period.as_of == check_day
        else _ranked_units(rows_at_check, targets, settings, leads_at_check)
    )
    behind = {u["unit_id"] for u in at_check if u["order_key"] is not None and ranking.behind_half(u)}
    stating = ranking.public_statement(at_check, settings)
    schedule = period.schedule_fraction
    for unit in units:
        unit["behind_half"] = unit["unit_id"] in behind
        unit["public_statement"] = unit["unit_id"] in stating
        unit["behind_schedule"] = period.as_of > check_day and any(
            c < schedule for c in unit["completions"].values()
        )
    return units


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
        "tied": unit["tied"],
        "signed_investment_wan": float(unit["signed_investment_wan"]),
        "awards": list(unit["awards"]),
        "behind_half": unit["behind_half"],
        "public_statement": unit["public_statement"],
        "behind_schedule": unit["behind_schedule"],
    }


def unit_results(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
) -> list[dict]:
    """The report's ``units`` entries: by group (class-1, class-2, departments), then rank, then unit_id."""
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
            "tied": u["tied"],
            "signed_investment_wan": float(u["signed_investment_wan"]),
            "awards": list(u["awards"]),
            "awards_zh": "、".join(AWARD_ZH[a] for a in u["awards"]),
            "behind_half": u["behind_half"],
            "public_statement": u["public_statement"],
            "behind_schedule": u["behind_schedule"],
        }
        rows.append(row)
    df = pd.DataFrame(rows)
    if not df.empty:
        df["rank"] = df["rank"].astype("Int64")
    return df
