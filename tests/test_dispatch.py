"""analytics.dispatch on hand-made data: week boundaries, this week vs last, the three lists.

The as-of date is Friday 2026-11-20: this week is Monday 2026-11-16 to the 20th (the 21st and
22nd are not known yet), last week is Monday 2026-11-09 to Sunday 2026-11-15.
"""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.screens import dispatch
from analytics.screens.dispatch import Week
from tests.metrics_fixtures import (
    add_arrival,
    add_industry,
    add_lead,
    add_problem,
    add_project,
    add_unit,
    d,
    fresh,
    period,
    settings,
)

AS_OF = "2026-11-20"


@pytest.mark.parametrize(
    ("day", "monday", "sunday"),
    [
        ("2026-11-16", "2026-11-16", "2026-11-22"),  # a Monday starts its own week
        ("2026-11-22", "2026-11-16", "2026-11-22"),  # a Sunday ends it
        ("2027-01-01", "2026-12-28", "2027-01-03"),  # a week across the new year
        ("2024-03-03", "2024-02-26", "2024-03-03"),  # across 29 February of a leap year
    ],
)
def test_week_runs_monday_to_sunday(day: str, monday: str, sunday: str) -> None:
    week = Week.containing(d(day))
    assert (week.start, week.end) == (d(monday), d(sunday))


def test_this_week_is_counted_to_the_as_of_date_and_last_week_is_whole() -> None:
    this_week, last_week = dispatch.dispatch_weeks(d(AS_OF))
    assert (this_week.start, this_week.counted_to) == (d("2026-11-16"), d("2026-11-20"))
    assert (last_week.start, last_week.end, last_week.counted_to) == (
        d("2026-11-09"),
        d("2026-11-15"),
        d("2026-11-15"),
    )
    assert this_week.label == "2026-11-16 至 2026-11-20"


def _week_data():
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01", name="城关镇")
    add_unit(con, "t02", name="新华乡")
    add_project(con, "p1", "2026-11-16", total=12000)  # this week, on its Monday
    add_project(con, "p2", "2026-11-15", total=3000)  # last week, on its Sunday
    add_project(con, "p3", "2026-11-21", total=5000)  # Saturday of this week, after D: not yet
    add_project(con, "p4", "2026-11-08", commenced="2026-11-09", produced="2026-11-20")
    add_project(con, "p5", "2026-11-10", written_off="2026-11-18")  # written off by D: not active
    add_project(con, "p6", "2026-03-01", total=25000, in_stats="2026-11-17")
    add_arrival(con, "p6", "2026-11-16", amount=500)
    add_arrival(con, "p1", "2026-11-20", amount=100.5)
    add_arrival(con, "p2", "2026-11-14", amount=300, fdi=50, fx=20)
    add_arrival(con, "p6", "2026-11-21", amount=999)  # after D
    add_lead(con, "L1", "2026-11-16 08:00", "甲公司")  # first report, valid
    add_lead(con, "L2", "2026-11-19 10:00", "甲 公司")  # same company key: a duplicate
    add_lead(con, "L3", "2026-11-15 23:59", "乙公司", status="pending")
    add_lead(con, "L4", "2026-11-09 09:00", "丙公司")
    return con


def test_week_in_numbers_counts_this_week_and_last_week() -> None:
    con = _week_data()
    df = dispatch.week_in_numbers(con, period(2026, AS_OF), settings()).set_index("metric")
    this_week = df["this_period"].to_dict()
    last_week = df["last_period"].to_dict()
    assert this_week == {
        "new_leads": 2,  # L1, L2
        "valid_first_reports": 1,  # L1 (L2 duplicates it)
        "signed_projects": 1,  # p1 (p3 is after D)
        "signed_investment_wan": 12000,
        "in_stats_projects": 1,  # p6
        "in_stats_investment_wan": 25000,
        "commenced_projects": 0,
        "produced_projects": 1,  # p4 on the 20th
        "funds_wan": 600.5,  # 500 + 100.5 (999 on the 21st is after D)
        "fdi_usd_wan": 0,
        "fx_usd_wan": 0,
    }
    assert last_week == {
        "new_leads": 2,  # L3 (23:59 on Sunday), L4
        "valid_first_reports": 1,  # L4 (L3 is pending)
        "signed_projects": 1,  # p2; p5 was written off by D
        "signed_investment_wan": 3000,
        "in_stats_projects": 0,
        "in_stats_investment_wan": 0,
        "commenced_projects": 1,  # p4 on Monday the 9th
        "produced_projects": 0,
        "funds_wan": 300,
        "fdi_usd_wan": 50,
        "fx_usd_wan": 20,
    }
    assert df.loc["funds_wan", "change"] == pytest.approx(300.5)  # 600.5 − 300
    assert list(df["label"])[:3] == ["新报送招商信息", "其中认定有效首报", "新签约项目"]


def test_month_in_numbers_compares_the_month_to_date_with_the_whole_previous_month() -> None:
    con = _week_data()
    add_project(con, "p7", "2026-10-31", total=800)  # last day of October
    add_project(con, "p8", "2026-11-01", total=900)  # first day of November
    df = dispatch.month_in_numbers(con, period(2026, AS_OF), settings()).set_index("metric")
    # November to the 20th: p1, p2, p4, p8 (p3 after D, p5 written off, p6 signed in March) = 4
    assert df.loc["signed_projects", "this_period"] == 4
    assert df.loc["signed_investment_wan", "this_period"] == 12000 + 3000 + 1000 + 900
    # October: p7 only
    assert df.loc["signed_projects", "last_period"] == 1
    assert df.loc["funds_wan", "this_period"] == pytest.approx(900.5)  # 500 + 100.5 + 300


def test_week_numbers_read_no_setting() -> None:
    con = _week_data()
    a = dispatch.week_in_numbers(con, period(2026, AS_OF), settings())
    b = dispatch.week_in_numbers(con, period(2026, AS_OF), settings(red_gap=0.1))
    assert a.equals(b)


def test_empty_database_gives_zero_weeks() -> None:
    df = dispatch.week_in_numbers(fresh(), period(2026, AS_OF), settings())
    assert (df["this_period"] == 0).all() and (df["last_period"] == 0).all()


def _problem_data():
    """Two major projects (≥ 1 亿) and one small one; problems in every state at D = 2026-11-20."""
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01", name="城关镇")
    add_unit(con, "d01", kind="department", township_class=None, name="县自然资源局")
    add_project(con, "big", "2025-03-01", total=20000, leader="王县长", commenced="2025-06-01")
    add_project(con, "done", "2025-01-10", total=50000, commenced="2025-02-01", produced="2025-09-01")
    add_project(con, "small", "2026-01-10", total=900)
    add_project(con, "later", "2026-01-10", total=30000, produced="2026-11-21")  # produced after D
    add_arrival(con, "big", "2025-04-01", amount=700)
    add_arrival(con, "big", "2026-11-21", amount=999)  # after D: not counted
    add_problem(con, "a", "big", "2026-09-01", "2026-11-19", unit="d01")  # open, due before D: overdue
    add_problem(con, "b", "big", "2026-09-01", "2026-11-20", unit="d01")  # due on D: not overdue
    add_problem(con, "c", "big", "2026-11-11", "2026-11-30", resolved="2026-11-18", unit="t01")  # resolved
    add_problem(
        con, "e", "big", "2026-11-09", "2026-11-10", resolved="2026-11-25", unit="t01"
    )  # resolved after D
    add_problem(con, "f", "small", "2026-11-12", "2026-11-13", unit="t01")  # small project: not in the lists
    add_problem(con, "g", "done", "2026-11-16", "2026-12-01", unit="t01")  # raised this week, open
    return con


def test_overdue_means_open_and_due_before_the_as_of_date() -> None:
    df = dispatch.problem_list(_problem_data(), period(2026, AS_OF)).set_index("problem_id")
    assert df.loc["a", "is_overdue"] and df.loc["a", "days_overdue"] == 1  # due 11-19, D 11-20
    assert df.loc["b", "is_open"] and not df.loc["b", "is_overdue"]  # due on D itself
    assert not df.loc["c", "is_open"] and not df.loc["c", "is_overdue"]
    # Resolved on 11-25, after D: still open at D, overdue since 11-10 (10 days), resolution hidden.
    assert (
        df.loc["e", "is_overdue"]
        and df.loc["e", "days_overdue"] == 10
        and pd.isna(df.loc["e", "resolved_on"])
    )


def test_three_lists_cover_major_projects_only() -> None:
    lists = dispatch.three_lists(_problem_data(), period(2026, AS_OF), settings())
    # big: ≥ 1 亿 and not produced; done: produced but has open problem g; later: produced after D.
    # By investment, largest first: 50000, 30000, 20000.
    assert list(lists["progress"]["project_id"]) == ["done", "later", "big"]
    # Open problems of major projects, overdue first then by due date: e (11-10), a (11-19), b, g.
    assert list(lists["problems"]["problem_id"]) == ["e", "a", "b", "g"]
    by_unit = lists["by_unit"].set_index("unit_id")
    assert by_unit.loc["d01", ["open", "overdue"]].tolist() == [2, 1]  # a, b
    assert by_unit.loc["t01", ["open", "overdue"]].tolist() == [2, 1]  # e, g
    assert list(lists["by_unit"]["unit_id"]) == ["d01", "t01"]  # tie on overdue and open: by id
    resp = lists["responsibility"].set_index("project_id")
    assert resp.loc["big", "leader_in_charge"] == "王县长" and resp.loc["big", "unit_name"] == "城关镇"
    assert resp.loc["big", ["open_problems", "overdue_problems"]].tolist() == [3, 2]  # a, b, e
    progress = lists["progress"].set_index("project_id")
    assert progress.loc["big", "funds_wan"] == 700  # the 999 of 11-21 is after D
    assert progress.loc["big", "stage"] == "已开工" and progress.loc["done", "stage"] == "已投产"
    assert progress.loc["later", "stage"] == "已签约" and pd.isna(progress.loc["later", "production_date"])


def test_resolved_this_week_and_last_meeting_items() -> None:
    con = _problem_data()
    resolved = dispatch.resolved_this_week(con, period(2026, AS_OF), settings())
    assert list(resolved["problem_id"]) == ["c"]  # resolved 11-18; e is resolved only after D
    items = dispatch.last_meeting_items(con, period(2026, AS_OF), settings()).set_index("problem_id")
    # Raised 11-09..11-15: e (11-09), c (11-11), f (11-12); g was raised this week.
    assert set(items.index) == {"c", "e", "f"}
    assert items.loc["c", "outcome"] == "已办结"
    assert items.loc["e", "outcome"] == "超期未办结"
    assert items.loc["f", "outcome"] == "超期未办结"  # due 11-13
