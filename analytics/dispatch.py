"""The weekly dispatch meeting (一周一调度): the week in numbers and the major projects' three lists.

Weeks run Monday to Sunday. "This week" is the week that holds the as-of date ``D``, counted up to
``D`` (nothing after ``D`` is known yet); "last week" is the whole week before it. A project event
(signing, 入统, commencement, production) counts in a week when its date lies in it and the project
is ``active`` at ``D`` (METRICS.md "The report"), exactly as the year's counts treat it; funds count
by arrival date; leads by the date of ``reported_at``, first reports as §4 decides them.

The three lists (问题清单、责任清单、进度清单) cover the **major projects**: active projects signed by
``D`` with ``total_investment_wan`` ≥ 10000 (亿元以上, the §3 threshold) that are not yet in production
at ``D`` or still have an open problem. Whether a problem is open or overdue is §7's rule and comes
from ``analytics.supervision``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics import views
from analytics.leads import register_company_keys
from analytics.period import Period

MAJOR_PROJECT_MIN_WAN = 10000.0


@dataclass(frozen=True)
class Week:
    """A Monday–Sunday week; ``counted_to`` is the last day whose events are counted."""

    start: date
    end: date
    counted_to: date

    @classmethod
    def containing(cls, day: date, counted_to: date | None = None) -> Week:
        start = day - timedelta(days=day.weekday())
        end = start + timedelta(days=6)
        return cls(start, end, min(end, counted_to or end))

    def previous(self) -> Week:
        return Week.containing(self.start - timedelta(days=7))

    @property
    def label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.counted_to:%Y-%m-%d}"


def dispatch_weeks(as_of: date) -> tuple[Week, Week]:
    """(this week up to ``as_of``, the whole previous week)."""
    this_week = Week.containing(as_of, counted_to=as_of)
    return this_week, this_week.previous()


# metric -> (Chinese label, value kind: count | wan | usd). Order is the screen's order.
WEEK_METRICS: dict[str, tuple[str, str]] = {
    "new_leads": ("新报送招商信息", "count"),
    "valid_first_reports": ("其中认定有效首报", "count"),
    "signed_projects": ("新签约项目", "count"),
    "signed_investment_wan": ("新签约项目总投资", "wan"),
    "in_stats_projects": ("新入统项目", "count"),
    "in_stats_investment_wan": ("新入统项目投资", "wan"),
    "commenced_projects": ("新开工项目", "count"),
    "produced_projects": ("新投产项目", "count"),
    "funds_wan": ("到位资金", "wan"),
    "fdi_usd_wan": ("实际利用外资", "usd"),
    "fx_usd_wan": ("其中现汇进资", "usd"),
}

_PROJECT_EVENTS = f"""
SELECT
  count(*) FILTER (WHERE p.signed_date BETWEEN $ws AND $we) AS signed_projects,
  {views.money_sum("CASE WHEN p.signed_date BETWEEN $ws AND $we THEN p.total_investment_wan END")}
    AS signed_investment_wan,
  count(*) FILTER (WHERE p.in_stats_date BETWEEN $ws AND $we) AS in_stats_projects,
  {views.money_sum("CASE WHEN p.in_stats_date BETWEEN $ws AND $we THEN p.total_investment_wan END")}
    AS in_stats_investment_wan,
  count(*) FILTER (WHERE p.commenced_date BETWEEN $ws AND $we) AS commenced_projects,
  count(*) FILTER (WHERE p.production_date BETWEEN $ws AND $we) AS produced_projects
FROM projects AS p
WHERE {views.ACTIVE}
"""

_FUNDS = f"""
SELECT {views.money_sum("a.amount_wan")} AS funds_wan,
       {views.money_sum("a.fdi_usd_wan")} AS fdi_usd_wan,
       {views.money_sum("a.fx_usd_wan")} AS fx_usd_wan
FROM fund_arrivals AS a
WHERE a.date BETWEEN $ws AND $we
"""

_LEADS = f"""
SELECT count(*) AS new_leads,
       count(*) FILTER (WHERE a.is_first_report AND a.status = 'valid') AS valid_first_reports
FROM ({views.LEAD_ADJUDICATION}) AS a
WHERE CAST(a.reported_at AS DATE) BETWEEN $ws AND $we
"""


def span_numbers(con: duckdb.DuckDBPyConnection, start: date, end: date, as_of: date) -> dict[str, float]:
    """Each WEEK_METRICS figure for the days ``start``..``end`` (both included) as known at ``as_of``.

    Needs ``lead_company_keys`` registered on ``con`` (``leads.register_company_keys``)."""
    params = {"ws": start, "we": min(end, as_of), "as_of": as_of}
    values: dict[str, float] = {}
    for sql in (_PROJECT_EVENTS, _FUNDS, _LEADS):
        values.update({k: float(v) for k, v in views.fetch_dicts(con, sql, params)[0].items()})
    return values


def _compare(now: dict[str, float], before: dict[str, float]) -> pd.DataFrame:
    rows = [
        {
            "metric": metric,
            "label": label,
            "kind": kind,
            "this_period": now[metric],
            "last_period": before[metric],
            "change": now[metric] - before[metric],
        }
        for metric, (label, kind) in WEEK_METRICS.items()
    ]
    return pd.DataFrame(rows)


def week_in_numbers(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> pd.DataFrame:
    """本周数据: each WEEK_METRICS figure this week (Monday to ``D``) and last week, and the change.

    Columns: metric, label, kind (count | wan | usd), this_period, last_period, change."""
    del settings  # the week's counts depend on no setting
    this_week, last_week = dispatch_weeks(period.as_of)
    register_company_keys(con)
    now = span_numbers(con, this_week.start, this_week.counted_to, period.as_of)
    before = span_numbers(con, last_week.start, last_week.end, period.as_of)
    return _compare(now, before)


def month_span(month_start: date, as_of: date) -> tuple[date, date]:
    """(first day, last counted day) of the month starting ``month_start``, counted up to ``as_of``."""
    next_month = date(month_start.year + (month_start.month == 12), month_start.month % 12 + 1, 1)
    return month_start, min(next_month - timedelta(days=1), as_of)


def month_in_numbers(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """本月数据: the WEEK_METRICS figures for ``D``'s month (1st to ``D``) and the whole month before."""
    del settings
    this_start, this_end = month_span(period.as_of.replace(day=1), period.as_of)
    previous_start = (this_start - timedelta(days=1)).replace(day=1)
    last_start, last_end = month_span(previous_start, period.as_of)
    register_company_keys(con)
    return _compare(
        span_numbers(con, this_start, this_end, period.as_of),
        span_numbers(con, last_start, last_end, period.as_of),
    )
