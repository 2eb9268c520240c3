"""METRICS.md §2, key-industry concentration (重点产业集聚度) over ``S``.

``by_investment`` = key-industry investment / investment of S; ``by_count`` = key-industry
projects / projects of S; ``hhi`` = Σ (industry share of S's investment)²; ``headline`` is the one
``concentration_basis`` names and ``met`` = headline ≥ target, compared exactly. All null when S
is empty. Investment is summed exactly (DECIMAL), so shares do not depend on row order.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period, month_day_of
from analytics.metrics import views

# S per industry: count and exact investment, with the industry's flags.
_BY_INDUSTRY = f"""
SELECT s.industry_id, any_value(i.name) AS industry_name, coalesce(any_value(i.is_key), false) AS is_key,
       count(*) AS projects, {views.money_sum("s.total_investment_wan")} AS investment_wan
FROM ({views.SIGNED_S}) AS s
LEFT JOIN industries AS i ON i.industry_id = s.industry_id
GROUP BY s.industry_id
ORDER BY s.industry_id
"""


def _by_industry(con: duckdb.DuckDBPyConnection, period: Period) -> list[tuple]:
    return views.fetch_rows(con, _BY_INDUSTRY, views.bind(period))


def concentration_from_rows(rows: list[tuple], settings: dict[str, Any]) -> dict[str, Any]:
    """The report's ``concentration`` object from the per-industry rows of S."""
    basis, target = settings["concentration_basis"], settings["concentration_target"]
    total_count = sum(r[3] for r in rows)
    if not total_count:
        return {
            "by_investment": None,
            "by_count": None,
            "hhi": None,
            "basis": basis,
            "headline": None,
            "target": target,
            "met": None,
        }
    total_investment = Fraction(sum(r[4] for r in rows))
    key_investment = Fraction(sum(r[4] for r in rows if r[2]))
    key_count = sum(r[3] for r in rows if r[2])
    by_investment = key_investment / total_investment
    by_count = Fraction(key_count, total_count)
    hhi = sum((Fraction(r[4]) / total_investment) ** 2 for r in rows)
    headline = by_investment if basis == "investment" else by_count
    return {
        "by_investment": float(by_investment),
        "by_count": float(by_count),
        "hhi": float(hhi),
        "basis": basis,
        "headline": float(headline),
        "target": target,
        "met": headline >= views.exact(target),
    }


def concentration(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    """The report's ``concentration`` object for ``period``."""
    return concentration_from_rows(_by_industry(con, period), settings)


def industry_shares(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Per industry of S: projects, investment (万元), count share, investment share, is_key."""
    rows = _by_industry(con, period)
    total_count = sum(r[3] for r in rows)
    total_investment = sum(r[4] for r in rows)
    out = [
        {
            "industry_id": r[0],
            "industry_name": r[1],
            "is_key": bool(r[2]),
            "projects": int(r[3]),
            "investment_wan": float(r[4]),
            "count_share": float(Fraction(r[3], total_count)),
            "investment_share": float(Fraction(r[4]) / Fraction(total_investment)),
        }
        for r in rows
    ]
    columns = [
        "industry_id",
        "industry_name",
        "is_key",
        "projects",
        "investment_wan",
        "count_share",
        "investment_share",
    ]
    return pd.DataFrame(out, columns=columns)


def concentration_trend(
    con: duckdb.DuckDBPyConnection,
    years: list[int],
    settings: dict[str, Any],
    as_of_month_day: str | None = None,
) -> pd.DataFrame:
    """One row per year: the §2 values for that year, to ``as_of_month_day`` (MM-DD) or the full year.

    29 February in a year without it is read as 28 February.
    """
    out = []
    for year in years:
        if as_of_month_day is None:
            as_of = date(year, 12, 31)
        else:
            as_of = month_day_of(year, as_of_month_day)
        out.append({"year": year, "as_of": as_of} | concentration(con, Period(year, as_of), settings))
    return pd.DataFrame(out)
