"""METRICS.md §7: problems open / overdue and the leads funnel."""

from __future__ import annotations

from metrics_fixtures import (
    add_industry,
    add_lead,
    add_problem,
    add_project,
    add_unit,
    fresh,
    period,
    settings,
)

from analytics.metrics.supervision import (
    lead_funnel,
    lead_funnel_table,
    major_projects,
    problem_summary_by_unit,
    problems,
)


def _db():
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_project(con, "p1", "2021-01-05")
    return con


def test_open_and_overdue_at_the_as_of_date() -> None:
    con = _db()
    add_problem(con, "q1", "p1", "2021-06-01", due="2021-07-19")  # open, due before D → overdue 1 day
    add_problem(con, "q2", "p1", "2021-06-01", due="2021-07-20")  # due on D: open, not overdue
    add_problem(
        con, "q3", "p1", "2021-06-01", due="2021-07-01", resolved="2021-07-20"
    )  # resolved on D: closed
    add_problem(
        con, "q4", "p1", "2021-06-01", due="2021-07-01", resolved="2021-07-21", unit="t02"
    )  # after D: open
    add_problem(con, "q5", "p1", "2021-07-21", due="2021-08-01")  # raised after D: not listed
    df = problems(con, period(2021, "2021-07-20")).set_index("problem_id")
    assert sorted(df.index) == ["q1", "q2", "q3", "q4"]
    assert dict(df["is_open"]) == {"q1": True, "q2": True, "q3": False, "q4": True}
    assert dict(df["is_overdue"]) == {"q4": True, "q1": True, "q2": False, "q3": False}
    assert dict(df["days_overdue"]) == {"q4": 19, "q1": 1, "q2": 0, "q3": 0}
    assert list(df.index[:2]) == ["q4", "q1"]  # most overdue first
    assert df.loc["q1", "responsible_unit_name"] == "单位t01"
    assert sorted(problems(con, period(2021, "2021-07-20"), only_open=True)["problem_id"]) == [
        "q1",
        "q2",
        "q4",
    ]
    summary = problem_summary_by_unit(con, period(2021, "2021-07-20")).set_index("responsible_unit_id")
    assert (summary.loc["t01", "problems"], summary.loc["t01", "open"], summary.loc["t01", "overdue"]) == (
        3,
        2,
        1,
    )


def test_lead_funnel_counts_and_conversion() -> None:
    con = _db()
    add_lead(con, "a", "2021-02-01", "甲", tier="major", project_id="p1")  # valid first report, converted
    add_lead(con, "b", "2021-02-02", "甲", tier="general")  # duplicate of a
    add_lead(con, "c", "2021-02-03", "乙", tier="important")  # valid first report, not converted
    add_lead(con, "d", "2021-02-04", "丙", status="pending")  # first report, pending
    add_lead(con, "e", "2021-02-05", "丁", status="invalid")
    add_lead(con, "f", "2020-12-31", "戊")  # before W
    funnel = lead_funnel(con, period(2021, "2021-07-20"))
    assert funnel["reported"] == 5
    assert funnel["by_tier_status"]["general"] == {"pending": 1, "valid": 1, "invalid": 1}
    assert funnel["by_tier_status"]["major"] == {"pending": 0, "valid": 1, "invalid": 0}
    assert (funnel["first_reports"], funnel["duplicates"], funnel["valid_first_reports"]) == (3, 1, 2)
    assert funnel["conversion"] == 0.5  # a of (a, c)
    table = lead_funnel_table(con, period(2021, "2021-07-20"))
    assert table["leads"].sum() == 5


def test_empty_funnel_conversion_is_null() -> None:
    assert lead_funnel(_db(), period(2021, "2021-07-20"))["conversion"] is None


def test_major_project_by_each_of_its_three_rules() -> None:
    """§7 v2: "A project is **major** (重大项目) when `is_major` is true, or `total_investment_wan ≥
    major_project_min_wan`, or it has a `leader_in_charge`"."""
    con = _db()
    add_project(con, "flag", "2021-01-05", total=500)
    con.execute("UPDATE projects SET is_major = true WHERE project_id = 'flag'")
    add_project(con, "size", "2021-01-05", total=100000)  # exactly the default 100000
    add_project(con, "small", "2021-01-05", total=99999.99)
    add_project(con, "leader", "2021-01-05", total=500, leader="张县长")
    add_project(con, "blank", "2021-01-05", total=500, leader="  ")  # only spaces: no leader
    df = major_projects(con, settings()).set_index("project_id")
    assert list(df.index) == ["flag", "leader", "size"]
    assert [tuple(df.loc[p, ["by_flag", "by_size", "by_leader"]]) for p in df.index] == [
        (True, False, False), (False, False, True), (False, True, False)]  # fmt: skip
    # The threshold is the setting: at 99999.99 the small project is major too.
    assert "small" in set(major_projects(con, settings(major_project_min_wan=99999.99))["project_id"])
    # Problems carry their project's major flag, for counts scoped 全部 / 重大项目.
    add_problem(con, "q1", "leader", "2021-06-01", due="2021-07-01")
    add_problem(con, "q2", "small", "2021-06-01", due="2021-07-01")
    listed = problems(con, period(2021, "2021-07-20"), settings=settings()).set_index("problem_id")
    assert dict(listed["is_major_project"]) == {"q1": True, "q2": False}
