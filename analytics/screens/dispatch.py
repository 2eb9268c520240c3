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

from analytics.core.period import Period
from analytics.metrics import supervision, views
from analytics.metrics.leads import register_company_keys

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


# ---------------------------------------------------------------------------------------------
# the major projects' three lists (问题清单、责任清单、进度清单)
# ---------------------------------------------------------------------------------------------

_MAJOR_CANDIDATES = f"""
SELECT p.project_id, p.name AS project_name, p.company, p.total_investment_wan,
       p.introducing_unit_id AS unit_id, u.name AS unit_name,
       p.township_id, t.name AS township_name, p.leader_in_charge,
       p.signed_date,
       CASE WHEN p.in_stats_date <= $as_of THEN p.in_stats_date END AS in_stats_date,
       CASE WHEN p.commenced_date <= $as_of THEN p.commenced_date END AS commenced_date,
       CASE WHEN p.production_date <= $as_of THEN p.production_date END AS production_date,
       coalesce(f.funds_wan, 0) AS funds_wan
FROM projects AS p
LEFT JOIN units AS u ON u.unit_id = p.introducing_unit_id
LEFT JOIN units AS t ON t.unit_id = p.township_id
LEFT JOIN (
    SELECT a.project_id, CAST({views.money_sum("a.amount_wan")} AS DOUBLE) AS funds_wan
    FROM fund_arrivals AS a WHERE a.date <= $as_of GROUP BY a.project_id
) AS f ON f.project_id = p.project_id
WHERE {views.ACTIVE} AND p.signed_date <= $as_of
ORDER BY p.total_investment_wan DESC, p.project_id
"""


def _stage(row: pd.Series) -> str:
    for column, label in (
        ("production_date", "已投产"),
        ("commenced_date", "已开工"),
        ("in_stats_date", "已入统"),
    ):
        if pd.notna(row[column]):
            return label
    return "已签约"


def problem_list(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Every problem raised by ``D`` with its §7 state at ``D`` (``supervision.problems``: is_open,
    is_overdue, days_overdue), by due date; a resolution dated after ``D`` is not shown yet."""
    df = supervision.problems(con, period)
    df["resolved_on"] = df["resolved_on"].where(~df["is_open"].astype(bool))
    df["is_open"] = df["is_open"].astype(bool)
    df["is_overdue"] = df["is_overdue"].astype(bool)
    df["days_overdue"] = df["days_overdue"].astype(int)
    return df.sort_values(["due_date", "problem_id"]).reset_index(drop=True)


def _by_unit(open_problems: pd.DataFrame) -> pd.DataFrame:
    """Open problems per responsible unit: open, overdue, earliest due date; most overdue first."""
    columns = ["unit_id", "unit_name", "open", "overdue", "earliest_due"]
    if open_problems.empty:
        return pd.DataFrame(columns=columns)
    grouped = (
        open_problems.groupby(["responsible_unit_id"], dropna=False)
        .agg(
            unit_name=("responsible_unit_name", "first"),
            open=("problem_id", "count"),
            overdue=("is_overdue", "sum"),
            earliest_due=("due_date", "min"),
        )
        .reset_index()
        .rename(columns={"responsible_unit_id": "unit_id"})
    )
    grouped["overdue"] = grouped["overdue"].astype(int)
    grouped["unit_name"] = grouped["unit_name"].fillna(grouped["unit_id"])
    return grouped.sort_values(["overdue", "open", "unit_id"], ascending=[False, False, True]).reset_index(
        drop=True
    )[columns]


def three_lists(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> dict[str, pd.DataFrame]:
    """The major projects' three lists at ``D``.

    - ``problems`` 问题清单: open problems of the major projects, overdue first, then by due date;
    - ``by_unit``: those open problems per responsible unit;
    - ``responsibility`` 责任清单: per major project its introducing unit, township, leader in charge
      and open / overdue problem counts;
    - ``progress`` 进度清单: per major project its stage dates known at ``D``, funds arrived to ``D``
      (万元) and stage.
    Major project: active, signed by ``D``, total ≥ 10000 万元, and not in production at ``D`` or
    with an open problem.
    """
    del settings
    all_problems = problem_list(con, period)
    open_problems = all_problems[all_problems["is_open"]]
    candidates = views.fetch_df(con, _MAJOR_CANDIDATES, {"as_of": period.as_of})
    per_project = open_problems.groupby("project_id").agg(
        open_problems=("problem_id", "count"), overdue_problems=("is_overdue", "sum")
    )
    candidates = candidates.join(per_project, on="project_id")
    candidates[["open_problems", "overdue_problems"]] = (
        candidates[["open_problems", "overdue_problems"]].fillna(0).astype(int)
    )
    major = candidates[
        (candidates["total_investment_wan"] >= MAJOR_PROJECT_MIN_WAN)
        & (candidates["production_date"].isna() | (candidates["open_problems"] > 0))
    ].reset_index(drop=True)
    problems = open_problems[open_problems["project_id"].isin(major["project_id"])]
    problems = problems.sort_values(["is_overdue", "due_date", "problem_id"], ascending=[False, True, True])
    major["stage"] = major.apply(_stage, axis=1) if len(major) else pd.Series(dtype="str")
    return {
        "problems": problems.reset_index(drop=True),
        "by_unit": _by_unit(problems),
        "responsibility": major[
            [
                "project_id",
                "project_name",
                "total_investment_wan",
                "unit_name",
                "township_name",
                "leader_in_charge",
                "open_problems",
                "overdue_problems",
            ]
        ],
        "progress": major[
            [
                "project_id",
                "project_name",
                "total_investment_wan",
                "signed_date",
                "in_stats_date",
                "commenced_date",
                "production_date",
                "funds_wan",
                "stage",
            ]
        ],
    }


def resolved_this_week(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """Problems resolved this week (Monday to ``D``), by resolution date."""
    del settings
    this_week, _ = dispatch_weeks(period.as_of)
    df = problem_list(con, period)
    done = df[(df["resolved_on"] >= pd.Timestamp(this_week.start)) & df["resolved_on"].notna()]
    return done.sort_values(["resolved_on", "problem_id"]).reset_index(drop=True)


def last_meeting_items(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """上次调度事项: problems raised during last week and their state now (resolved / open / overdue).

    ``outcome``: 已办结 / 超期未办结 / 未到期办理中."""
    del settings
    _, last_week = dispatch_weeks(period.as_of)
    df = problem_list(con, period)
    raised = pd.to_datetime(df["raised_on"])
    items = df[(raised >= pd.Timestamp(last_week.start)) & (raised <= pd.Timestamp(last_week.end))].copy()
    items["outcome"] = [
        "已办结" if not is_open else ("超期未办结" if overdue else "未到期办理中")
        for is_open, overdue in zip(items["is_open"], items["is_overdue"], strict=True)
    ]
    return items.sort_values(
        ["is_open", "is_overdue", "problem_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
