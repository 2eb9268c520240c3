"""METRICS.md §1, the "9865" landing plan (项目落地): cohorts Y-1 and Y, rates, laggards, gaps.

For each cohort ``c``: ``base`` = projects signed in year ``c``, signed ≤ D and active;
``commenced`` = of base with commenced_date ≤ D; ``produced`` = with production_date ≤ D (v2 §0:
with ``count_verified_only``, also verified by D); ``written_off`` (v2) = signed in year ``c``,
signed ≤ D and not active. Rates are null when base is 0; ``met`` = rate ≥ target, compared exactly
(27/30 meets 0.9). Functions without ``settings`` read the default settings.
"""

from __future__ import annotations

import math
from datetime import date
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.metrics import views

# Every project of both cohorts signed by D, one row each, with its ``cohort`` (the signing year),
# ``is_active`` and its milestones as they count at D (§0): ``commenced_on`` / ``produced_on``
# (NULL: not counted). The written-off ones (v2 ``written_off``) are those not active.
COHORTS_SQL = f"""
SELECT p.*, year(p.signed_date) AS cohort, {views.ACTIVE} AS is_active,
       {views.COMMENCED_ON} AS commenced_on, {views.PRODUCED_ON} AS produced_on,
       {views.COMMENCED_ON} IS NOT NULL AS is_commenced,
       {views.PRODUCED_ON} IS NOT NULL AS is_produced
FROM projects AS p
WHERE p.signed_date BETWEEN $prior_start AND $year_end
  AND p.signed_date <= $as_of
"""

# The landing base of both cohorts: the active projects of ``COHORTS_SQL``.
BASE_SQL = f"SELECT * FROM ({COHORTS_SQL}) WHERE is_active"

# Per-cohort (and per-group) counts over ``COHORTS_SQL`` aliased ``b``.
_COUNTS = """
count(*) FILTER (WHERE b.is_active) AS base,
count(*) FILTER (WHERE b.is_active AND b.is_commenced) AS commenced,
count(*) FILTER (WHERE b.is_active AND b.is_produced) AS produced,
count(*) FILTER (WHERE NOT b.is_active) AS written_off
"""


def landing_params(period: Period, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Bind parameters of ``BASE_SQL``: the window's and the settings', plus the span of the two cohorts."""
    return views.bind(
        period, settings, prior_start=date(period.year - 1, 1, 1), year_end=date(period.year, 12, 31)
    )


def cohort_targets(period: Period, settings: dict[str, Any]) -> dict[int, tuple[float, float]]:
    """cohort → (commencement target, production target): ``prior`` for Y-1, ``current`` for Y."""
    targets = settings["landing_targets"]
    return {period.year - 1: tuple(targets["prior"]), period.year: tuple(targets["current"])}


def _rate(part: int, base: int) -> float | None:
    return part / base if base else None


def _met(part: int, base: int, target: float) -> bool | None:
    return Fraction(part, base) >= views.exact(target) if base else None


def landing_entry(
    cohort: int,
    base: int,
    commenced: int,
    produced: int,
    targets: tuple[float, float],
    written_off: int = 0,
) -> dict:
    """One ``landing`` entry of the report (METRICS.md key order)."""
    commencement_target, production_target = targets
    return {
        "cohort": cohort,
        "base": base,
        "written_off": written_off,
        "commenced": commenced,
        "produced": produced,
        "commencement_rate": _rate(commenced, base),
        "production_rate": _rate(produced, base),
        "commencement_target": commencement_target,
        "production_target": production_target,
        "commencement_met": _met(commenced, base, commencement_target),
        "production_met": _met(produced, base, production_target),
    }


def _counts(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> dict[int, tuple[int, int, int, int]]:
    """cohort → (base, commenced, produced, written_off)."""
    rows = views.fetch_rows(
        con,
        f"SELECT b.cohort, {_COUNTS} FROM ({COHORTS_SQL}) AS b GROUP BY b.cohort",
        landing_params(period, settings),
    )
    return {int(r[0]): (int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}


def landing_rates(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> list[dict]:
    """The report's ``landing`` entries, cohort Y-1 then Y."""
    counts = _counts(con, period, settings)
    entries = []
    for cohort, targets in cohort_targets(period, settings).items():
        base, commenced, produced, written_off = counts.get(cohort, (0, 0, 0, 0))
        entries.append(landing_entry(cohort, base, commenced, produced, targets, written_off))
    return entries


def needed(target: float, base: int, done: int) -> int:
    """How many more are needed to reach ``target``: ceil(target × base) − done, at least 0 (exact)."""
    return max(0, math.ceil(views.exact(target) * base) - done)


def landing_gap(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> list[dict]:
    """Per cohort: "还需开工 N 个 / 还需投产 M 个" to reach the targets (0 when met or base is 0)."""
    gaps = []
    for entry in landing_rates(con, period, settings):
        gaps.append(
            {
                "cohort": entry["cohort"],
                "base": entry["base"],
                "written_off": entry["written_off"],
                "commenced": entry["commenced"],
                "produced": entry["produced"],
                "commencements_needed": needed(
                    entry["commencement_target"], entry["base"], entry["commenced"]
                ),
                "productions_needed": needed(entry["production_target"], entry["base"], entry["produced"]),
            }
        )
    return gaps


def laggards(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    cohort: int | None = None,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Projects of ``base`` not commenced by D (as counted, §0), oldest signing first (ties by project_id)."""
    params = landing_params(period, settings) | {"cohort": cohort}
    return views.fetch_df(
        con,
        f"""
        SELECT b.project_id, b.name AS project_name, b.company, b.cohort, b.signed_date,
               date_diff('day', b.signed_date, $as_of) AS days_since_signed,
               b.introducing_unit_id AS unit_id, u.name AS unit_name,
               b.township_id, t.name AS township_name, b.leader_in_charge,
               b.industry_id, i.name AS industry_name, b.total_investment_wan
        FROM ({BASE_SQL}) AS b
        LEFT JOIN units AS u ON u.unit_id = b.introducing_unit_id
        LEFT JOIN units AS t ON t.unit_id = b.township_id
        LEFT JOIN industries AS i ON i.industry_id = b.industry_id
        WHERE NOT b.is_commenced AND ($cohort IS NULL OR b.cohort = $cohort)
        ORDER BY b.signed_date, b.project_id
        """,
        params,
    )


# Group keys of ``landing_breakdown`` (identifiers from this fixed list only).
_BREAKDOWN = {
    "township": ("b.township_id", "tw.name"),
    "unit": ("b.introducing_unit_id", "u.name"),
    "squad": ("u.squad_id", "sq.name"),
    "industry": ("b.industry_id", "i.name"),
}


def landing_breakdown(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], by: str
) -> pd.DataFrame:
    """Per group (township / introducing unit / its squad / industry) and cohort: base, written off,
    counts, rates (a group whose cohort projects were all written off has base 0 and null rates)."""
    if by not in _BREAKDOWN:
        raise ValueError(f"by must be one of {sorted(_BREAKDOWN)}")
    key, label = _BREAKDOWN[by]
    rows = views.fetch_dicts(
        con,
        f"""
        SELECT {key} AS group_id, any_value({label}) AS group_name, b.cohort, {_COUNTS}
        FROM ({COHORTS_SQL}) AS b
        LEFT JOIN units AS u ON u.unit_id = b.introducing_unit_id
        LEFT JOIN units AS tw ON tw.unit_id = b.township_id
        LEFT JOIN squads AS sq ON sq.squad_id = u.squad_id
        LEFT JOIN industries AS i ON i.industry_id = b.industry_id
        GROUP BY {key}, b.cohort
        ORDER BY b.cohort, group_id NULLS LAST
        """,
        landing_params(period, settings),
    )
    targets = cohort_targets(period, settings)
    out = [
        {"group_id": r["group_id"], "group_name": r["group_name"]}
        | landing_entry(
            r["cohort"], r["base"], r["commenced"], r["produced"], targets[r["cohort"]], r["written_off"]
        )
        for r in rows
    ]
    columns = ["group_id", "group_name", *landing_entry(0, 0, 0, 0, (0, 0)).keys()]
    return pd.DataFrame(out, columns=columns)


def landing_timeline(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any] | None = None
) -> pd.DataFrame:
    """Per cohort and month (from January of the cohort to D's month, at most December of Y):
    how many of today's ``base`` had been signed / commenced / produced by that month's end (≤ D)."""
    end_month = min(period.as_of, date(period.year, 12, 31)).replace(day=1)
    return views.fetch_df(
        con,
        f"""
        WITH months AS (
            SELECT CAST(m AS DATE) AS month_start,
                   least(CAST(m + INTERVAL 1 MONTH - INTERVAL 1 DAY AS DATE), $as_of) AS cutoff
            FROM generate_series(CAST($prior_start AS TIMESTAMP), CAST($end_month AS TIMESTAMP),
                                 INTERVAL 1 MONTH) AS g(m)
        )
        SELECT b.cohort, strftime(m.month_start, '%Y-%m') AS month, m.cutoff,
               count(*) FILTER (WHERE b.signed_date <= m.cutoff) AS signed,
               count(*) FILTER (WHERE b.commenced_on <= m.cutoff) AS commenced,
               count(*) FILTER (WHERE b.produced_on <= m.cutoff) AS produced
        FROM months AS m JOIN ({BASE_SQL}) AS b ON year(m.month_start) >= b.cohort
        GROUP BY b.cohort, m.month_start, m.cutoff
        ORDER BY b.cohort, m.month_start
        """,
        landing_params(period, settings) | {"end_month": end_month},
    )
