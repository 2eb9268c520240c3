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

import functools
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period

# ---------------------------------------------------------------------------------------------
# bind parameters
# ---------------------------------------------------------------------------------------------


def bind(period: Period, **extra: Any) -> dict[str, Any]:
    """The bind parameters of ``period``: ``start``/``end`` of ``W`` and ``as_of`` = ``D``."""
    return {"start": period.window_start, "end": period.window_end, "as_of": period.as_of, **extra}


_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def prefixed(sql: str, params: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any]]:
    """``sql`` and ``params`` with every parameter renamed ``$<prefix><name>``, so that one query can
    evaluate the same fragment for two periods (e.g. this year and last year's same span)."""
    return _PARAM.sub(lambda m: f"${prefix}{m.group(1)}", sql), {f"{prefix}{k}": v for k, v in params.items()}


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


@functools.lru_cache(maxsize=4096, typed=True)
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

# Every lead with its §4 company key: the key stored when the lead was written, else (a lead
# written without one) computed now. Needs ``analytics.leads.register_company_keys`` on the same
# connection first: it registers ``lead_company_keys`` for the unkeyed names that need Python
# (NFKC); the key of every other name (ASCII and CJK ideographs only) is exact in SQL.
LEADS_WITH_KEY = """
SELECT l.* REPLACE (coalesce(l.company_key, x.company_key, lower(replace(l.company, ' ', ''))) AS company_key)
FROM leads AS l LEFT JOIN lead_company_keys AS x ON l.company_key IS NULL AND x.company = l.company
"""


def first_reports(keyed: str) -> str:
    """The §4 first report of each company among the leads of ``keyed`` (an SQL source with
    ``company_key``): ordered by reported_at then lead_id, the first lead whose status is not
    invalid. The one place the rule is written; the two queries below apply it."""
    return f"""
    SELECT company_key, lead_id AS first_lead_id, reported_at AS first_at
    FROM (
        SELECT company_key, lead_id, reported_at,
               row_number() OVER (PARTITION BY company_key ORDER BY reported_at, lead_id) AS place
        FROM ({keyed}) WHERE status <> 'invalid'
    ) WHERE place = 1
    """


# Every lead with the first-report decision: the first report of its company, a duplicate of it
# (every later lead), or neither (the invalid leads before it, or a company with no valid lead).
LEAD_ADJUDICATION = f"""
WITH keyed AS ({LEADS_WITH_KEY}),
firsts AS ({first_reports("keyed")})
SELECT k.*,
       coalesce(k.lead_id = f.first_lead_id, false) AS is_first_report,
       CASE WHEN k.reported_at > f.first_at OR (k.reported_at = f.first_at AND k.lead_id > f.first_lead_id)
            THEN f.first_lead_id END AS duplicate_of
FROM keyed AS k LEFT JOIN firsts AS f ON f.company_key = k.company_key
"""

# §4 valid_leads: first-report leads with status valid and reported_at in W (by date). Only the
# companies with a valid lead in W can have one, so the rule runs on those companies' leads alone
# (the same result as filtering LEAD_ADJUDICATION, at a fraction of the work on a long history).
VALID_FIRST_REPORTS_W = f"""
WITH keyed AS ({LEADS_WITH_KEY}),
companies_in_w AS (
    SELECT DISTINCT company_key FROM keyed WHERE status = 'valid' AND {in_window("reported_at")}
),
candidates AS (SELECT k.* FROM keyed AS k SEMI JOIN companies_in_w AS c ON c.company_key = k.company_key),
firsts AS ({first_reports("candidates")})
SELECT k.*, true AS is_first_report, NULL AS duplicate_of
FROM candidates AS k JOIN firsts AS f ON f.first_lead_id = k.lead_id AND f.company_key = k.company_key
WHERE k.status = 'valid' AND {in_window("k.reported_at")}
"""
