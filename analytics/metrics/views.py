"""Shared building blocks of every METRICS.md section ("The report": W, active, S; §4 first report).

Like the staging layer of a dbt project: each rule that more than one section uses is written
here once, as a SQL fragment over the contract tables, and every section module builds on it.
Fragments only reference the bind parameters ``$start``, ``$end`` (the window ``W``) and
``$as_of`` (``D``), the v2 settings parameters of ``bind`` (``$verified_only``, ``$valid_by``,
``$protection_days``) plus, where named, extra parameters; values are always bound, never formatted.
A query run without the settings parameters (a caller that passes its own dict) gets the default
settings' values for ``$verified_only`` and ``$protection_days`` (``SETTING_PARAM_DEFAULTS``).

v2 choices where METRICS.md leaves one open:
- first-report protection compares calendar days: a first report made on 1 March lapses, with
  ``first_report_protection_days = 30``, for a report made on 1 April or later (31 days after), not
  for one made on 31 March at a later hour;
- the validation cutoff ``MM-DD`` of a month shorter than the day (02-29) is that month's last day
  (``month_day_of``).

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

from analytics.core.period import Period, month_day_of
from analytics.core.settings import DEFAULT_SETTINGS

# ---------------------------------------------------------------------------------------------
# bind parameters
# ---------------------------------------------------------------------------------------------


# The values the settings parameters take when a caller binds none (the default settings).
SETTING_PARAM_DEFAULTS: dict[str, Any] = {
    "verified_only": DEFAULT_SETTINGS["count_verified_only"],
    "protection_days": DEFAULT_SETTINGS["first_report_protection_days"],
}


def bind(period: Period, settings: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """The bind parameters of ``period``: ``start``/``end`` of ``W`` and ``as_of`` = ``D``; and of the
    v2 settings (the defaults when ``settings`` is None): ``verified_only`` (§0), ``top_ranks`` (§3
    top_companies), ``valid_by`` = min(D, (Y+1)-lead_validation_cutoff) and ``protection_days`` (§4)."""
    chosen = DEFAULT_SETTINGS if settings is None else settings
    valid_by = min(period.as_of, month_day_of(period.year + 1, chosen["lead_validation_cutoff"]))
    return {
        "start": period.window_start,
        "end": period.window_end,
        "as_of": period.as_of,
        "verified_only": bool(chosen["count_verified_only"]),
        "valid_by": valid_by,
        "protection_days": chosen["first_report_protection_days"],
        "top_ranks": list(chosen["top_company_ranks"]),
        **extra,
    }


_PARAM = re.compile(r"\$([A-Za-z_]\w*)")


def prefixed(sql: str, params: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any]]:
    """``sql`` and ``params`` with every parameter renamed ``$<prefix><name>``, so that one query can
    evaluate the same fragment for two periods (e.g. this year and last year's same span)."""
    return _PARAM.sub(lambda m: f"${prefix}{m.group(1)}", sql), {f"{prefix}{k}": v for k, v in params.items()}


def _used(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the parameters ``sql`` names (DuckDB refuses excess named parameters)."""
    names = set(_PARAM.findall(sql))
    params = {k: v for k, v in SETTING_PARAM_DEFAULTS.items() if k in names} | params
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


def fetch_columns(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> dict[str, list]:
    """``sql`` as column name → the column's Python values (None for NULL). Fetched as arrays, a
    long result costs a fraction of building it row by row. Numbers, text and booleans only: a
    DATE would come back as a datetime."""
    arrays = con.execute(sql, _used(sql, params)).fetchnumpy()
    return {name: values.tolist() for name, values in arrays.items()}


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


def counted(column: str, verified_column: str) -> str:
    """SQL (§0, v2): the milestone date ``column`` when it counts at D, else NULL — on or before D
    and, with ``count_verified_only`` (``$verified_only``), verified on or before D."""
    return (
        f"(CASE WHEN {column} <= $as_of AND (NOT $verified_only OR {verified_column} <= $as_of)"
        f" THEN {column} END)"
    )


# §0: a project's milestones as they count at D (NULL: treated as blank). Alias ``p``.
IN_STATS_ON = counted("p.in_stats_date", "p.in_stats_verified_on")
COMMENCED_ON = counted("p.commenced_date", "p.commenced_verified_on")
PRODUCED_ON = counted("p.production_date", "p.production_verified_on")
# §0: a fund arrival counts at D (dated on or before D; verified by D under count_verified_only). Alias ``a``.
ARRIVAL_COUNTS = "(a.date <= $as_of AND (NOT $verified_only OR a.verified_on <= $as_of))"

# S: the year's new signed projects — signed_date in W and active.
SIGNED_S = f"SELECT p.* FROM projects AS p WHERE {in_window('p.signed_date')} AND {ACTIVE}"

# Active projects that entered the statistics (入统) in W, as counted at D (§3 入统 metrics, §4 项目入统).
IN_STATS_W = f"SELECT p.* FROM projects AS p WHERE {in_window(IN_STATS_ON)} AND {ACTIVE}"

# Fund arrivals dated in W that count at D (§3 money metrics, §6 fdi / fx_Y).
ARRIVALS_W = f"SELECT a.* FROM fund_arrivals AS a WHERE {in_window('a.date')} AND {ARRIVAL_COUNTS}"

# ---------------------------------------------------------------------------------------------
# §4 first report (首报认定制)
# ---------------------------------------------------------------------------------------------

# Every lead with its §4 company key: the key stored when the lead was written, else (a lead
# written without one) computed now. Needs ``analytics.leads.register_company_keys`` on the same
# connection first: it registers ``lead_company_keys`` for the unkeyed names that need Python
# (NFKC); the key of every other name (ASCII and CJK ideographs only) is exact in SQL.
_COMPANY_KEY = "coalesce(l.company_key, x.company_key, lower(replace(l.company, ' ', '')))"
_KEY_JOIN = (
    "FROM leads AS l LEFT JOIN lead_company_keys AS x ON l.company_key IS NULL AND x.company = l.company"
)
LEADS_WITH_KEY = f"SELECT l.* REPLACE ({_COMPANY_KEY} AS company_key) {_KEY_JOIN}"
# The same, with only the columns the first-report rule and §4 valid_leads read. The leads with a
# stored key are read without their company name (on a long history, reading the names costs more
# than the rule).
_LEAD_RULE_COLUMNS = "l.lead_id, l.reported_at, l.reporter_unit_id, l.status, l.validated_on, l.project_id"
LEAD_RULE_ROWS_WITH_KEY = f"""
SELECT {_LEAD_RULE_COLUMNS}, l.company_key FROM leads AS l WHERE l.company_key IS NOT NULL
UNION ALL
SELECT {_LEAD_RULE_COLUMNS}, {_COMPANY_KEY} AS company_key {_KEY_JOIN} WHERE l.company_key IS NULL
"""


def first_reports(keyed: str, *, lapsing: bool = True) -> str:
    """The §4 first reports of each company among the leads of ``keyed`` (an SQL source with
    ``company_key``): ordered by reported_at then lead_id, the first lead whose status is not
    invalid; and (v2) with ``$protection_days`` = N, walking on in that order, the first later
    non-invalid lead more than N days (by date) after the current first report when that one has
    no project: it becomes the current first report, and both count. The one place the rule is
    written; the two queries below apply it. Rows: company_key, first_lead_id, first_at.

    ``lapsing=False`` (no protection period: ``$protection_days`` is NULL) is the same rule without
    the walk, which then never moves: the first non-invalid lead of each company."""
    ordered = f"SELECT company_key, lead_id, reported_at, project_id FROM ({keyed}) WHERE status <> 'invalid'"
    if not lapsing:
        return f"""
    SELECT company_key, arg_min(lead_id, (reported_at, lead_id)) AS first_lead_id, min(reported_at) AS first_at
    FROM ({ordered}) GROUP BY company_key
    """
    return f"""
    WITH RECURSIVE ordered AS ({ordered}), lapses AS (
        SELECT f.company_key, f.lead_id, arg_min(l.lead_id, (l.reported_at, l.lead_id)) AS next_lead_id
        FROM ordered AS f JOIN ordered AS l ON l.company_key = f.company_key
         AND CAST(l.reported_at AS DATE) > CAST(f.reported_at AS DATE) + CAST($protection_days AS INTEGER)
        WHERE f.project_id IS NULL AND $protection_days IS NOT NULL
        GROUP BY f.company_key, f.lead_id
    ), chain AS (
        SELECT company_key, arg_min(lead_id, (reported_at, lead_id)) AS lead_id FROM ordered GROUP BY company_key
        UNION ALL
        SELECT x.company_key, x.next_lead_id
        FROM chain AS c JOIN lapses AS x ON x.company_key = c.company_key AND x.lead_id = c.lead_id
    )
    SELECT o.company_key, o.lead_id AS first_lead_id, o.reported_at AS first_at
    FROM chain AS c JOIN ordered AS o ON o.company_key = c.company_key AND o.lead_id = c.lead_id
    """


# Every lead with the first-report decision: a first report of its company, a duplicate of the
# first report current at its place (every other later lead), or neither (the invalid leads before
# the first one, or a company with no valid lead).
LEAD_ADJUDICATION = f"""
WITH keyed AS ({LEADS_WITH_KEY}),
firsts AS ({first_reports("keyed")}),
marked AS (
    SELECT k.*, f.first_lead_id IS NOT NULL AS is_first_report, f.first_lead_id AS first_mark
    FROM keyed AS k LEFT JOIN firsts AS f ON f.company_key = k.company_key AND f.first_lead_id = k.lead_id
)
SELECT * EXCLUDE (first_mark),
       CASE WHEN NOT is_first_report THEN last_value(first_mark IGNORE NULLS) OVER (
           PARTITION BY company_key ORDER BY reported_at, lead_id
           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) END AS duplicate_of
FROM marked
"""


def valid_in_window(alias: str, end: str = "$end", valid_by: str = "$valid_by") -> str:
    """SQL (§4 valid_leads): the lead ``alias`` is valid, reported in ``W`` = ``$start`` .. ``end`` (by
    date) and validated by ``valid_by`` (a blank validated_on counting as the date of reported_at).
    Written once; ``end`` and ``valid_by`` name the parameters of another as-of day of the same year
    (the mid-year check day) when one query counts both."""
    return (
        f"({alias}.status = 'valid' AND CAST({alias}.reported_at AS DATE) BETWEEN $start AND {end}"
        f" AND coalesce({alias}.validated_on, CAST({alias}.reported_at AS DATE)) <= {valid_by})"
    )


# §4 valid_leads: first-report leads with status valid, reported_at in W (by date) and (v2)
# validated by ``$valid_by`` = min(D, (Y+1)-cutoff), a blank validated_on counting as the date of
# reported_at. Only the companies with a valid lead in W can have one, so the rule runs on those
# companies' leads alone (the same result as filtering LEAD_ADJUDICATION, at a fraction of the work
# on a long history). ``lapsing`` as in ``first_reports``.
def valid_first_reports_w(*, lapsing: bool = True) -> str:
    return f"""
WITH keyed AS ({LEAD_RULE_ROWS_WITH_KEY}),
companies_in_w AS (
    SELECT DISTINCT company_key FROM keyed WHERE status = 'valid' AND {in_window("reported_at")}
),
candidates AS (SELECT k.* FROM keyed AS k SEMI JOIN companies_in_w AS c ON c.company_key = k.company_key),
firsts AS ({first_reports("candidates", lapsing=lapsing)})
SELECT k.*, true AS is_first_report, NULL AS duplicate_of
FROM candidates AS k JOIN firsts AS f ON f.first_lead_id = k.lead_id AND f.company_key = k.company_key
WHERE {valid_in_window("k")}
"""
