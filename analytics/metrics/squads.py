"""METRICS.md §5, squads (产业链招商小分队): actuals and targets, score, completion, advanced members,
disqualified and unassessed members, ranks; the stationed squads' months on post.

Built on the §4 unit records (``analytics.metrics.units.evaluate_units``) and their order key
(``analytics.metrics.ranking.order_key``), exact fractions throughout. No id ever decides a rank, an award or a
sanction: ids only order lists for display.

Decisions where METRICS.md is silent:
- ``disqualified`` looks at the scored members only: a member without a score has no order key,
  is listed in ``unassessed`` instead (in red on the pages) and does not count among the "lower";
- a squad target row of 0 is no target (as for units): a squad whose targets are all 0 is judged
  by its members;
- a squad without members scores 0.0, ``mean_score`` and ``completed`` null (unless it has squad
  targets, which it then misses or meets on zero actuals);
- ``targets`` lists the squad's target rows of Y for ``signed_projects`` / ``in_stats_projects`` as
  stored, a 0 included (the page shows what was set).
"""

from __future__ import annotations

from datetime import timedelta
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.core.schema import SQUAD_METRICS
from analytics.metrics import ranking, views
from analytics.metrics.units import evaluate_units

MIN_DAYS_ON_POST = 20
MIN_MEMBERS_ON_POST = 2
# Scored members strictly lower than a member that did not complete, below which it is disqualified.
DISQUALIFY_BELOW = 2

SQUAD_TARGETS_SQL = """
SELECT t.scope AS squad_id, t.metric, t.value
FROM targets AS t JOIN squads AS q ON q.squad_id = t.scope
WHERE t.year = $year AND q.kind = 'industry_chain' AND t.metric IN ('signed_projects', 'in_stats_projects')
"""


def _chain_squads(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return views.fetch_rows(
        con, "SELECT squad_id, name FROM squads WHERE kind = 'industry_chain' ORDER BY squad_id", {}
    )


def squad_targets(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, dict[str, float]]:
    """The ``targets`` rows of Y whose scope is an industry-chain squad: squad → metric → value."""
    out: dict[str, dict[str, float]] = {}
    for squad_id, metric, value in views.fetch_rows(con, SQUAD_TARGETS_SQL, {"year": period.year}):
        out.setdefault(squad_id, {})[metric] = value
    return out


def _strictly_higher(key: tuple, others: list[tuple]) -> int:
    return sum(1 for k in others if k > key)


def _strictly_lower(key: tuple, others: list[tuple]) -> int:
    return sum(1 for k in others if k < key)


def _completed(actuals: dict[str, int], targets: dict[str, float], scored: list[dict]) -> bool | None:
    """§5 completed: every squad target > 0 met; without one, every scored member completed."""
    set_targets = {m: v for m, v in targets.items() if v > 0}
    if set_targets:
        return all(Fraction(actuals[m]) >= views.exact(v) for m, v in set_targets.items())
    if not scored:
        return None
    return all(u["completed"] for u in scored)


def _evaluate_squad(
    squad_id: str, name: str, members: list[dict], targets: dict[str, float], settings: dict
) -> dict:
    scored = [u for u in members if u["score_exact"] is not None]
    keys = {u["unit_id"]: ranking.order_key(u, settings["tie_breakers"]) for u in scored}
    actuals = {m: sum(u["actuals"][m] for u in members) for m in SQUAD_METRICS}
    completed = _completed(actuals, targets, scored)
    completed_keys = [keys[u["unit_id"]] for u in scored if u["completed"]]
    scored_keys = list(keys.values())
    advanced = (
        sorted(
            u["unit_id"]
            for u in scored
            if u["completed"] and _strictly_higher(keys[u["unit_id"]], completed_keys) == 0
        )
        if completed
        else []
    )
    disqualified = sorted(
        u["unit_id"]
        for u in scored
        if not u["completed"] and _strictly_lower(keys[u["unit_id"]], scored_keys) < DISQUALIFY_BELOW
    )
    return {
        "squad_id": squad_id,
        "name": name,
        "members": members,
        "actuals": actuals,
        "targets": {m: targets[m] for m in SQUAD_METRICS if m in targets},
        "score_exact": sum((u["score_exact"] for u in scored), Fraction(0)),
        "mean_exact": sum(u["score_exact"] for u in scored) / len(scored) if scored else None,
        "completed": completed,
        "advanced_members": advanced,
        "disqualified": disqualified,
        "unassessed": sorted(u["unit_id"] for u in members if u["score_exact"] is None),
    }


def read_squads(
    con: duckdb.DuckDBPyConnection, period: Period
) -> tuple[dict[str, dict[str, float]], list[tuple[str, str]]]:
    """What ``evaluate_squads`` reads: the squad targets of Y and the industry-chain squads."""
    return squad_targets(con, period), _chain_squads(con)


def evaluate_squads(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    units: list[dict],
    *,
    reads: tuple[dict[str, dict[str, float]], list[tuple[str, str]]] | None = None,
) -> list[dict]:
    """Every industry-chain squad's §5 record (``score_exact`` a Fraction), by rank then squad_id.

    ``units`` are the §4 records of ``evaluate_units``; the deposits (§6) and prizes build on these.
    ``reads``: what ``read_squads`` returned, when already read.
    """
    targets, chain_squads = reads if reads is not None else read_squads(con, period)
    squads = []
    for squad_id, name in chain_squads:
        members = sorted(
            (u for u in units if u["kind"] == "department" and u["squad_id"] == squad_id),
            key=lambda u: u["unit_id"],
        )
        squads.append(_evaluate_squad(squad_id, name, members, targets.get(squad_id, {}), settings))
    scores = [s["score_exact"] for s in squads]
    for squad in squads:
        squad["rank"] = 1 + sum(1 for other in scores if other > squad["score_exact"])
    squads.sort(key=lambda s: (s["rank"], s["squad_id"]))
    return squads


def _report_entry(squad: dict) -> dict[str, Any]:
    return {
        "squad_id": squad["squad_id"],
        "actuals": dict(squad["actuals"]),
        "targets": {m: views.number(v) for m, v in squad["targets"].items()},
        "score": float(squad["score_exact"]),
        "mean_score": float(squad["mean_exact"]) if squad["mean_exact"] is not None else None,
        "completed": squad["completed"],
        "rank": squad["rank"],
        "advanced_members": list(squad["advanced_members"]),
        "disqualified": list(squad["disqualified"]),
        "unassessed": list(squad["unassessed"]),
    }


def squad_results(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
    squads: list[dict] | None = None,
) -> list[dict]:
    """The report's ``squads`` entries (industry-chain squads only), by rank then squad_id."""
    if squads is None:
        units = evaluated if evaluated is not None else evaluate_units(con, period, settings)
        squads = evaluate_squads(con, period, settings, units)
    return [_report_entry(s) for s in squads]


MEMBER_COLUMNS = [
    "squad_id",
    "squad_name",
    "squad_rank",
    "unit_id",
    "unit_name",
    "score",
    "score_counted",
    "completed",
    "department_rank",
    "is_advanced_member",
    "is_disqualified",
    "is_unassessed",
]


def squad_members(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
) -> pd.DataFrame:
    """One row per member department of each industry-chain squad, squads in rank order."""
    units = evaluated if evaluated is not None else evaluate_units(con, period, settings)
    rows = []
    for s in evaluate_squads(con, period, settings, units):
        for u in s["members"]:
            score = float(u["score_exact"]) if u["score_exact"] is not None else None
            rows.append(
                {
                    "squad_id": s["squad_id"],
                    "squad_name": s["name"],
                    "squad_rank": s["rank"],
                    "unit_id": u["unit_id"],
                    "unit_name": u["name"],
                    "score": score,
                    "score_counted": score if score is not None else 0.0,
                    "completed": u["completed"],
                    "department_rank": u["rank"],
                    "is_advanced_member": u["unit_id"] in s["advanced_members"],
                    "is_disqualified": u["unit_id"] in s["disqualified"],
                    "is_unassessed": u["unit_id"] in s["unassessed"],
                }
            )
    return pd.DataFrame(rows, columns=MEMBER_COLUMNS)


def judged_months(period: Period) -> list[str]:
    """§5 stationed squads: the months of W that ended before the month of D (``YYYY-MM``).

    D's own month is not judged, even on its last day: a month is judged once the next has begun.
    """
    first_of_d_month = period.as_of.replace(day=1)
    months = []
    month = period.window_start
    while month <= period.window_end and month < first_of_d_month:
        months.append(month.strftime("%Y-%m"))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


STATION_COLUMNS = [
    "squad_id",
    "squad_name",
    "station_city",
    "month",
    "members_reported",
    "members_on_post",
    "short_members",
    "compliant",
]


def station_compliance(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Per stationed squad and judged month (``judged_months``): members on post (≥ 20 days),
    the reported members short of 20 days (by name), and ``compliant`` = at least 2 on post and
    nobody short. A judged month with no report has nobody on post. Only ended months are judged."""
    months = judged_months(period)
    if not months:
        return pd.DataFrame(columns=STATION_COLUMNS)
    df = views.fetch_df(
        con,
        """
        SELECT q.squad_id, q.name AS squad_name, q.station_city, m.month,
               count(r.member) AS members_reported,
               count(r.member) FILTER (WHERE r.days_on_post >= $min_days) AS members_on_post,
               coalesce(list_sort(list(r.member) FILTER (WHERE r.days_on_post < $min_days)), [])
                   AS short_members
        FROM squads AS q
        CROSS JOIN (SELECT unnest($months) AS month) AS m
        LEFT JOIN station_reports AS r ON r.squad_id = q.squad_id AND r.month = m.month
        WHERE q.kind = 'stationed'
        GROUP BY q.squad_id, q.name, q.station_city, m.month
        ORDER BY q.squad_id, m.month
        """,
        {"months": months, "min_days": MIN_DAYS_ON_POST},
    )
    df["short_members"] = df["short_members"].map(list)
    df["compliant"] = (df["members_on_post"] >= MIN_MEMBERS_ON_POST) & (df["short_members"].map(len) == 0)
    return df[STATION_COLUMNS]
