"""Shared building blocks of every METRICS.md section ("The report": W, active, S; §4 first report).

Like the staging layer of a dbt project: each rule that more than one section uses is written
here once, as a SQL fragment over the contract tables, and every section module builds on it.
Fragments only reference the bind parameters ``$start``, ``$end`` (the window ``W``) and
``$as_of`` (``D``) plus, where named, extra parameters; values are always bound, never formatted.

Exactness: money is summed as ``DECIMAL(38, 6)`` (``money_sum``) so a sum does not depend on row
order, and threshold comparisons are made on exact fractions (``exact``) so that a completion
exactly on a boundary is on it.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.period import Period

# ---------------------------------------------------------------------------------------------
# bind parameters
# ---------------------------------------------------------------------------------------------


def bind(period: Period, **extra: Any) -> dict[str, Any]:
    """The bind parameters of ``period``: ``start``/``end`` of ``W`` and ``as_of`` = ``D``."""
    return {"start": period.window_start, "end": period.window_end, "as_of": period.as_of, **extra}


_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters ``sql`` names (DuckDB refuses excess named parameters)."""
    names = set(_PARAM.findall(sql))
    missing = names - params.keys()
    if missing:
        raise KeyError(f"unbound SQL parameters: {sorted(missing)}")
    return {k: v for k, v in params.items() if k in names}


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[tuple]:
    """All rows of ``sql`` (fetched to the end, as DuckDB 2.0 wants)."""
    return con.execute(sql, _used(sql, params)).fetchall()


def fetch_dicts(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """All rows of ``sql`` as dicts keyed by column name."""
    result = con.execute(sql, _used(sql, params))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def fetch_df(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """``sql`` as a DataFrame."""
    return con.execute(sql, _used(sql, params)).df()


# ---------------------------------------------------------------------------------------------
# exact arithmetic
# ---------------------------------------------------------------------------------------------


def money_sum(expr: str, where: str | None = None) -> str:
    """SQL: the exact sum of a money column (DECIMAL(38,6), i.e. to 0.01 yuan of 万元), 0 when none."""
    condition = f" FILTER (WHERE {where})" if where else ""
    return f"coalesce(sum(CAST({expr} AS DECIMAL(38, 6))){condition}, 0)"


def exact(value: int | float | Decimal | Fraction) -> Fraction:
    """A number as an exact fraction; a float is read as the decimal a person typed (``repr``)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, bool):
        return Fraction(int(value))
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    return Fraction(Decimal(repr(float(value))))


def number(value: int | float | Decimal | Fraction | None) -> int | float | None:
    """A stored number for JSON: an ``int`` when it is integral, else a ``float`` (targets)."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


# ---------------------------------------------------------------------------------------------
# the report's shared sets ("The report" in METRICS.md)
# ---------------------------------------------------------------------------------------------

# active(p): no written_off_date, or it is after D. Use with the projects table aliased ``p``.
ACTIVE = "(p.written_off_date IS NULL OR p.written_off_date > $as_of)"


def in_window(column: str) -> str:
    """SQL: ``column`` (a DATE, or a TIMESTAMP compared by date) lies in ``W``."""
    return f"(CAST({column} AS DATE) BETWEEN $start AND $end)"


# S: the year's new signed projects — signed_date in W and active.
SIGNED_S = f"SELECT p.* FROM projects AS p WHERE {in_window('p.signed_date')} AND {ACTIVE}"

# Active projects that entered the statistics (入统) in W (§3 入统 metrics, §4 项目入统).
IN_STATS_W = f"SELECT p.* FROM projects AS p WHERE {in_window('p.in_stats_date')} AND {ACTIVE}"

# Fund arrivals dated in W (§3 money metrics, §6 fdi / fx_Y).
ARRIVALS_W = f"SELECT a.* FROM fund_arrivals AS a WHERE {in_window('a.date')}"

# ---------------------------------------------------------------------------------------------
# §4 first report (首报认定制)
# ---------------------------------------------------------------------------------------------

# Every lead with its company key and the first-report decision. Needs the relation
# ``lead_company_keys(company, company_key)`` registered on the same connection by
# ``analytics.leads.register_company_keys`` (NFKC is done in Python, where it belongs).
# In each company group, ordered by reported_at then lead_id, the first lead whose status is not
# invalid is the first report; every later lead is a duplicate of it; earlier leads are invalid.
LEAD_ADJUDICATION = """
SELECT l.*, k.company_key,
       coalesce(g.pos = g.first_pos, false) AS is_first_report,
       CASE WHEN g.pos > g.first_pos THEN g.first_lead_id END AS duplicate_of,
       g.pos AS position_in_group
FROM leads AS l
JOIN lead_company_keys AS k ON k.company = l.company
JOIN (
    SELECT o.lead_id, o.pos,
           min(o.pos) FILTER (WHERE o.status <> 'invalid') OVER w AS first_pos,
           arg_min(o.lead_id, o.pos) FILTER (WHERE o.status <> 'invalid') OVER w AS first_lead_id
    FROM (
        SELECT l2.lead_id, l2.status, k2.company_key,
               row_number() OVER (PARTITION BY k2.company_key ORDER BY l2.reported_at, l2.lead_id) AS pos
        FROM leads AS l2 JOIN lead_company_keys AS k2 ON k2.company = l2.company
    ) AS o
    WINDOW w AS (PARTITION BY o.company_key)
) AS g ON g.lead_id = l.lead_id
"""

# §4 valid_leads: first-report leads with status valid and reported_at in W (by date).
VALID_FIRST_REPORTS_W = f"""
SELECT a.* FROM ({LEAD_ADJUDICATION}) AS a
WHERE a.is_first_report AND a.status = 'valid' AND {in_window("a.reported_at")}
"""
