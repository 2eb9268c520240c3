"""METRICS.md §5, squads (产业链招商小分队): squad score, ranking, advanced member, disqualified; posts.

Built on the §4 unit scores (``analytics.units.evaluate_units``), exact fractions throughout.

Decisions where METRICS.md is silent:
- the "two lowest-scoring members" are chosen among the members that have a score: a department
  with no target is not assessed, so it is neither counted among the lowest nor disqualified;
- a squad without members scores 0.0, ``mean_score``/``completed``/``advanced_member`` null;
- stationed-post months are the calendar months overlapping W (the month of D included, even
  though it is not over; ``month_complete`` tells which).
"""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.metrics import views
from analytics.metrics.units import _descending, evaluate_units

MIN_DAYS_ON_POST = 20
MIN_MEMBERS_ON_POST = 2


def _chain_squads(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return views.fetch_rows(
        con, "SELECT squad_id, name FROM squads WHERE kind = 'industry_chain' ORDER BY squad_id", {}
    )


def _evaluate_squads(con: duckdb.DuckDBPyConnection, units: list[dict]) -> list[dict]:
    squads = []
    for squad_id, name in _chain_squads(con):
        members = sorted(
            (u for u in units if u["kind"] == "department" and u["squad_id"] == squad_id),
            key=lambda u: u["unit_id"],
        )
        scored = [u for u in members if u["score_exact"] is not None]
        completed_members = sorted(
            (u for u in scored if u["completed"]), key=lambda u: (-u["score_exact"], u["unit_id"])
        )
        lowest = sorted(scored, key=lambda u: (u["score_exact"], _descending(u["unit_id"])))[:2]
        squads.append(
            {
                "squad_id": squad_id,
                "name": name,
                "members": members,
                "score_exact": sum((u["score_exact"] for u in scored), Fraction(0)),
                "mean_exact": sum(u["score_exact"] for u in scored) / len(scored) if scored else None,
                "completed": all(u["completed"] for u in scored) if scored else None,
                "advanced_member": completed_members[0]["unit_id"] if completed_members else None,
                "disqualified": sorted(u["unit_id"] for u in lowest if not u["completed"]),
            }
        )
    squads.sort(key=lambda s: (-s["score_exact"], s["squad_id"]))
    for rank, squad in enumerate(squads, start=1):
        squad["rank"] = rank
    return squads


def squad_results(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
) -> list[dict]:
    """The report's ``squads`` entries (industry-chain squads only), by rank."""
    units = evaluated if evaluated is not None else evaluate_units(con, period, settings)
    return [
        {
            "squad_id": s["squad_id"],
            "score": float(s["score_exact"]),
            "mean_score": float(s["mean_exact"]) if s["mean_exact"] is not None else None,
            "completed": s["completed"],
            "rank": s["rank"],
            "advanced_member": s["advanced_member"],
            "disqualified": list(s["disqualified"]),
        }
        for s in _evaluate_squads(con, units)
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
    for s in _evaluate_squads(con, units):
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
                    "is_advanced_member": u["unit_id"] == s["advanced_member"],
                    "is_disqualified": u["unit_id"] in s["disqualified"],
                }
            )
    columns = [
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
    ]
    return pd.DataFrame(rows, columns=columns)


def station_compliance(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Per stationed squad and month of W: members with ≥ 20 days on post; compliant when ≥ 2."""
    columns = [
        "squad_id",
        "squad_name",
        "station_city",
        "month",
        "month_complete",
        "members_reported",
        "members_on_post",
        "compliant",
    ]
    if period.window_end < period.window_start:
        return pd.DataFrame(columns=columns)
    months = []
    month = period.window_start
    while month <= period.window_end:
        next_month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
        months.append((month.strftime("%Y-%m"), next_month - timedelta(days=1) <= period.as_of))
        month = next_month
    df = views.fetch_df(
        con,
        """
        SELECT q.squad_id, q.name AS squad_name, q.station_city, m.month,
               count(DISTINCT r.member) AS members_reported,
               count(DISTINCT r.member) FILTER (WHERE r.days_on_post >= $min_days) AS members_on_post
        FROM squads AS q
        CROSS JOIN (SELECT unnest($months) AS month) AS m
        LEFT JOIN station_reports AS r ON r.squad_id = q.squad_id AND r.month = m.month
        WHERE q.kind = 'stationed'
        GROUP BY q.squad_id, q.name, q.station_city, m.month
        ORDER BY q.squad_id, m.month
        """,
        {"months": [m for m, _ in months], "min_days": MIN_DAYS_ON_POST},
    )
    complete = dict(months)
    df["month_complete"] = df["month"].map(complete).astype(bool)
    df["compliant"] = df["members_on_post"] >= MIN_MEMBERS_ON_POST
    return df[columns]
