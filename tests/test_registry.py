"""analytics.registry: the project library and the lead registry, on tiny hand-made data."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pytest

from analytics.screens import registry
from tests.metrics_fixtures import (
    add_arrival,
    add_department,
    add_industry,
    add_lead,
    add_problem,
    add_project,
    add_squad,
    add_station_report,
    add_unit,
    add_unit_targets,
    fresh,
    period,
    settings,
)


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    """Two townships, a key and a non-key industry, four projects at different stages."""
    con = fresh()
    add_industry(con, "i1", is_key=True, name="新能源")
    add_industry(con, "i2", name="食品")
    add_unit(con, "t01", name="东城镇")
    add_unit(con, "t02", name="西山乡", township_class="2")
    # p1: signed, in stats and commenced by D = 2025-10-01; produced only after D.
    add_project(
        con,
        "p1",
        "2025-03-01",
        unit="t01",
        industry="i1",
        total=25000.0,
        in_stats="2025-05-01",
        commenced="2025-06-01",
        produced="2025-12-01",
        company="华光新能源有限公司",
        leader="张县长",
    )
    # p2: signed last year, produced by D.
    add_project(
        con, "p2", "2024-08-01", unit="t02", industry="i2", commenced="2024-10-01", produced="2025-02-01"
    )
    # p3: written off before D (it had commenced): written off wins.
    add_project(
        con, "p3", "2025-01-10", unit="t01", industry="i2", commenced="2025-02-01", written_off="2025-09-01"
    )
    # p4: signed after D, not in the library yet.
    add_project(con, "p4", "2025-11-01", unit="t02", industry="i1")
    # p5: signed, nothing else; written off only after D, so still just signed.
    add_project(
        con, "p5", "2025-09-15", unit="t02", industry="i1", written_off="2025-10-20", company="Acme 食品"
    )
    return con


D = period(2025, "2025-10-01")


def test_library_holds_projects_signed_by_as_of_date_newest_first(con: duckdb.DuckDBPyConnection) -> None:
    df = registry.project_list(con, D)
    # p4 (signed 2025-11-01 > D) is left out; order by signed_date desc.
    assert df["project_id"].tolist() == ["p5", "p1", "p3", "p2"]


def test_stage_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    stages = dict(registry.project_list(con, D)[["project_id", "stage"]].itertuples(index=False))
    # p1 produced 2025-12-01 > D → commenced; p3 written off 2025-09-01 ≤ D → written off whatever it
    # reached; p5 written off 2025-10-20 > D → still just signed.
    assert stages == {"p1": "commenced", "p2": "produced", "p3": "written_off", "p5": "signed"}


def test_dates_after_as_of_date_show_blank(con: duckdb.DuckDBPyConnection) -> None:
    row = registry.project_list(con, D).set_index("project_id").loc["p1"]
    assert row["in_stats_date"] == pd.Timestamp("2025-05-01")
    assert row["commenced_date"] == pd.Timestamp("2025-06-01")
    assert pd.isna(row["production_date"])  # 2025-12-01 is after D
    assert pd.isna(registry.project_list(con, D).set_index("project_id").loc["p5", "written_off_date"])


def test_funds_arrived_count_arrivals_up_to_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    add_arrival(con, "p1", "2025-04-01", amount=100.25, fixed=60.0)
    add_arrival(con, "p1", "2025-04-01", amount=9.75, fixed=0.0)
    add_arrival(con, "p1", "2025-10-01", amount=40.0, fixed=40.0)  # on D: counts
    add_arrival(con, "p1", "2025-10-02", amount=1000.0, fixed=1000.0)  # after D: does not
    row = registry.project_list(con, D).set_index("project_id").loc["p1"]
    assert row["funds_arrived_wan"] == 150.0  # 100.25 + 9.75 + 40
    assert row["fixed_asset_wan"] == 100.0  # 60 + 0 + 40
    assert registry.project_list(con, D).set_index("project_id").loc["p2", "funds_arrived_wan"] == 0.0


def test_names_are_joined(con: duckdb.DuckDBPyConnection) -> None:
    row = registry.project_list(con, D).set_index("project_id").loc["p1"]
    assert (row["industry_name"], row["unit_name"], row["township_name"]) == ("新能源", "东城镇", "东城镇")
    assert bool(row["is_key_industry"]) is True
    assert row["leader_in_charge"] == "张县长"


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("华光", ["p1"]),  # part of the company
        ("acme", ["p5"]),  # case ignored
        ("P3", ["p3"]),  # the id, case ignored
        ("项目p2", ["p2"]),  # the name
        ("  ", ["p5", "p1", "p3", "p2"]),  # blank = everything
        ("100%", []),  # no LIKE wildcards: % is a plain character
    ],
)
def test_search_matches_id_name_or_company(
    con: duckdb.DuckDBPyConnection, search: str, expected: list[str]
) -> None:
    assert registry.project_list(con, D, {"search": search})["project_id"].tolist() == expected


def test_filters_narrow_the_library(con: duckdb.DuckDBPyConnection) -> None:
    def ids(**filters: object) -> list[str]:
        return registry.project_list(con, D, registry.ProjectFilters(**filters))["project_id"].tolist()

    assert ids(township_id="t02") == ["p5", "p2"]
    assert ids(unit_id="t01") == ["p1", "p3"]
    assert ids(industry_id="i1") == ["p5", "p1"]
    assert ids(stage="written_off") == ["p3"]
    assert ids(signed_year=2024) == ["p2"]
    assert ids(industry_id="i1", stage="signed") == ["p5"]


def test_unknown_stage_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError):
        registry.project_list(con, D, {"stage": "'; DROP TABLE projects; --"})


def test_signed_years(con: duckdb.DuckDBPyConnection) -> None:
    assert registry.signed_years(con, D) == [2025, 2024]  # 2025-11 signing of p4 is after D


def test_detail_timeline_follows_the_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    detail = registry.project_detail(con, D, "p1")
    assert detail is not None
    timeline = detail["timeline"]
    assert timeline["label"].tolist() == ["签约", "入统", "开工", "投产"]  # not written off: no 核销 row
    assert timeline["date"].tolist() == [date(2025, 3, 1), date(2025, 5, 1), date(2025, 6, 1), None]
    assert timeline["done"].tolist() == [True, True, True, False]
    assert detail["project"]["leader_in_charge"] == "张县长"


def test_detail_of_written_off_project_ends_with_write_off(con: duckdb.DuckDBPyConnection) -> None:
    timeline = registry.project_detail(con, D, "p3")["timeline"]
    assert timeline["label"].tolist() == ["签约", "入统", "开工", "投产", "核销"]
    assert timeline["date"].iloc[-1] == date(2025, 9, 1)


def test_detail_of_project_outside_library_is_none(con: duckdb.DuckDBPyConnection) -> None:
    assert registry.project_detail(con, D, "p4") is None  # signed after D
    assert registry.project_detail(con, D, "nope") is None


def test_fund_series_sums_per_day_with_running_totals(con: duckdb.DuckDBPyConnection) -> None:
    add_arrival(con, "p1", "2025-07-01", amount=300.0, fixed=200.0, fdi=10.0, fx=4.0)
    add_arrival(con, "p1", "2025-04-01", amount=100.0, fixed=50.0)
    add_arrival(con, "p1", "2025-04-01", amount=20.0, fixed=20.0)
    add_arrival(con, "p1", "2025-12-01", amount=999.0)  # after D
    series = registry.fund_series(con, D, "p1")
    assert [d.date() for d in series["date"]] == [date(2025, 4, 1), date(2025, 7, 1)]
    assert series["amount_wan"].tolist() == [120.0, 300.0]  # 100 + 20 on one day
    assert series["cumulative_amount_wan"].tolist() == [120.0, 420.0]  # 120, 120 + 300
    assert series["cumulative_fixed_asset_wan"].tolist() == [70.0, 270.0]  # 50 + 20, 70 + 200
    assert series["fdi_usd_wan"].tolist() == [0.0, 10.0]
    assert registry.fund_series(con, D, "p2").empty


# ---------------------------------------------------------------------------------------------
# lead registry
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def lead_con(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    add_lead(con, "L1", "2025-02-01", "甲公司", status="invalid")
    add_lead(con, "L2", "2025-02-03", "甲 公司", unit="t02", project_id="p1")  # first report (key 甲公司)
    add_lead(con, "L3", "2025-03-03", "甲公司", status="pending", tier="major")  # duplicate of L2
    add_lead(con, "L4", "2025-03-04 16:30", "甲有限公司", status="pending")  # another key: first report
    add_lead(con, "L5", "2025-10-02", "乙公司", status="pending")  # after D
    add_lead(con, "L0", "2024-12-30", "丙公司")  # last year
    return con


def test_lead_registry_holds_leads_reported_in_window(lead_con: duckdb.DuckDBPyConnection) -> None:
    df = registry.lead_registry(lead_con, D)
    assert df["lead_id"].tolist() == ["L4", "L3", "L2", "L1"]  # newest first; L0 and L5 outside W


def test_lead_registry_carries_first_report_decision(lead_con: duckdb.DuckDBPyConnection) -> None:
    df = registry.lead_registry(lead_con, D).set_index("lead_id")
    assert df["is_first_report"].to_dict() == {"L4": True, "L3": False, "L2": True, "L1": False}
    assert df.loc["L3", "duplicate_of"] == "L2"
    assert df.loc["L3", "first_unit_name"] == "西山乡"  # L2 was reported by t02
    assert df.loc["L3", "first_reported_at"] == pd.Timestamp("2025-02-03 09:00")
    assert "L2" in df.loc["L3", "reason"]
    assert pd.isna(df.loc["L1", "duplicate_of"])  # invalid before the first report: no "of which"
    assert df["decision"].to_dict() == {
        "L4": "● 首报",
        "L3": "▲ 重复:首报为 L2(西山乡,2025-02-03)",
        "L2": "● 首报",
        "L1": "○ 不计(无效信息)",
    }
    assert df["pending_text"].to_dict() == {"L4": "211 天", "L3": "212 天", "L2": "", "L1": ""}
    assert (df.loc["L3", "tier_zh"], df.loc["L3", "status_zh"]) == ("重大", "待认定")


def test_lead_registry_independent_of_analytics_leads(lead_con: duckdb.DuckDBPyConnection) -> None:
    from analytics.metrics.leads import adjudicate_leads

    whole = adjudicate_leads(lead_con).set_index("lead_id")
    mine = registry.lead_registry(lead_con, D).set_index("lead_id")
    for lead_id in mine.index:
        assert mine.loc[lead_id, "is_first_report"] == whole.loc[lead_id, "is_first_report"]


def test_days_pending_counts_from_report_date_to_as_of_date(lead_con: duckdb.DuckDBPyConnection) -> None:
    df = registry.lead_registry(lead_con, D).set_index("lead_id")
    # L3 reported 2025-03-03: 28 days left in March + Apr..Sep (30+31+30+31+31+30 = 183) + 1 = 212.
    assert df.loc["L3", "days_pending"] == 212
    # L4 reported 2025-03-04 16:30: counted from its date, 211.
    assert df.loc["L4", "days_pending"] == 211
    assert pd.isna(df.loc["L2", "days_pending"])  # valid: not pending


def test_lead_registry_names_the_project_it_turned_into(lead_con: duckdb.DuckDBPyConnection) -> None:
    df = registry.lead_registry(lead_con, D).set_index("lead_id")
    assert (df.loc["L2", "project_id"], df.loc["L2", "project_name"]) == ("p1", "项目p1")
    assert df.loc["L2", "unit_name"] == "西山乡"


def test_lead_registry_filters(lead_con: duckdb.DuckDBPyConnection) -> None:
    def ids(**filters: object) -> list[str]:
        return registry.lead_registry(lead_con, D, filters)["lead_id"].tolist()

    assert ids(unit_id="t02") == ["L2"]
    assert ids(tier="major") == ["L3"]
    assert ids(industry_id="i2") == []  # every lead here is of industry i1
    assert ids(industry_id="i1") == ["L4", "L3", "L2", "L1"]
    assert ids(status="pending") == ["L4", "L3"]
    assert ids(first_report=True) == ["L4", "L2"]
    assert ids(first_report=False) == ["L3", "L1"]


def test_lead_registry_of_empty_database_is_empty() -> None:
    df = registry.lead_registry(fresh(), D)
    assert df.empty
    assert list(df.columns) == registry.LEAD_COLUMNS


def test_near_duplicates_are_suggestions_touching_the_window(lead_con: duckdb.DuckDBPyConnection) -> None:
    add_lead(lead_con, "L6", "2024-05-01", "丙有限公司")  # near 丙公司, but both last year
    df = registry.near_duplicate_suggestions(lead_con, D)
    # 甲公司 / 甲有限公司 differ only by 有限: suggested; the 丙 pair lies wholly before W.
    assert len(df) == 1
    assert df.loc[0, "companies"] == "甲 公司、甲公司、甲有限公司"
    assert df.loc[0, "n_leads"] == 4


def test_library_summary_totals_the_shown_rows(con: duckdb.DuckDBPyConnection) -> None:
    add_arrival(con, "p1", "2025-04-01", amount=500.0)
    add_arrival(con, "p2", "2025-01-05", amount=250.5)
    summary = registry.library_summary(registry.project_list(con, D))
    assert summary["projects"] == 4  # p1, p2, p3, p5
    assert summary["total_investment_wan"] == 28000.0  # 25000 + 1000 + 1000 + 1000
    assert summary["funds_arrived_wan"] == 750.5  # 500 + 250.5
    assert summary["stages"] == {"written_off": 1, "produced": 1, "commenced": 1, "signed": 1}
    narrowed = registry.library_summary(registry.project_list(con, D, {"township_id": "t02"}))
    assert (narrowed["projects"], narrowed["funds_arrived_wan"]) == (2, 250.5)  # p5, p2


# ---------------------------------------------------------------------------------------------
# squads
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def squad_con() -> duckdb.DuckDBPyConnection:
    """Squad s1 (新能源) with three departments; a stationed squad s9 with monthly reports."""
    con = fresh()
    add_industry(con, "i1", is_key=True, name="新能源")
    add_squad(con, "s1", industry_id="i1", name="新能源产业链小分队")
    add_squad(con, "s9", kind="stationed", name="驻上海小分队")
    add_department(con, "d1", "s1")
    add_department(con, "d2", "s1")
    add_department(con, "d3", "s1")  # no target: not assessed
    add_unit_targets(con, 2025, "d1", 1, 1, None)
    add_unit_targets(con, 2025, "d2", 2, None, None)
    add_project(con, "p1", "2025-03-01", unit="d1", in_stats="2025-04-01")
    add_project(con, "p2", "2025-03-01", unit="d2")
    add_station_report(con, "s9", "2024-12", "乙", 25)  # before W
    add_station_report(con, "s9", "2025-01", "甲", 22)
    add_station_report(con, "s9", "2025-01", "乙", 19)
    add_station_report(con, "s9", "2025-11", "甲", 30)  # after W (D = 2025-10-01)
    return con


def test_squad_board_names_the_section_5_results(squad_con: duckdb.DuckDBPyConnection) -> None:
    board = registry.squad_board(squad_con, D, settings())
    row = board.iloc[0]
    # d1: 1/1 signed, 1/1 in stats → 100; d2: 1/2 signed only → 100 × 0.4 × 0.5 / 0.4 = 50; d3 none.
    assert (row["name"], row["industry_name"], row["leader"]) == ("新能源产业链小分队", "新能源", "县领导")
    assert row["score"] == 150.0  # 100 + 50 (+ 0 for d3)
    assert row["mean_score"] == 75.0  # (100 + 50) / 2 scored members
    assert (row["n_members"], row["n_scored"]) == (3, 2)
    # d2 did not complete, so the squad did not (no squad target): no advanced member (§5 v2)
    assert (row["advanced_members"], row["advanced_member_names"]) == ("", "")
    assert (row["disqualified"], row["disqualified_names"]) == ("d2", "单位d2")
    assert (row["unassessed"], row["unassessed_names"]) == ("d3", "单位d3")
    assert len(board) == 1  # stationed squads are not ranked


def test_squad_board_matches_analytics_squads(squad_con: duckdb.DuckDBPyConnection) -> None:
    from analytics.metrics.squads import squad_results

    board = registry.squad_board(squad_con, D, settings())
    results = squad_results(squad_con, D, settings())
    assert board["squad_id"].tolist() == [r["squad_id"] for r in results]
    assert board["score"].tolist() == [r["score"] for r in results]


def test_squad_member_table_adds_indicators(squad_con: duckdb.DuckDBPyConnection) -> None:
    members = registry.squad_member_table(squad_con, D, settings()).set_index("unit_id")
    assert members.loc["d1", ["signed_projects_actual", "in_stats_projects_actual"]].tolist() == [1, 1]
    assert members.loc["d2", "signed_projects_target"] == 2
    assert pd.isna(members.loc["d3", "score"]) and members.loc["d3", "score_counted"] == 0.0
    assert bool(members.loc["d2", "is_disqualified"]) and not members["is_advanced_member"].any()


def test_station_days_lists_months_of_the_window(squad_con: duckdb.DuckDBPyConnection) -> None:
    days = registry.station_days(squad_con, D)
    assert days[["member", "month", "days_on_post"]].values.tolist() == [
        ["乙", "2025-01", 19],
        ["甲", "2025-01", 22],
    ]
    assert days["on_post"].tolist() == [False, True]  # 19 < 20 ≤ 22


def test_squad_views_of_a_database_without_squads_are_empty() -> None:
    con = fresh()
    assert registry.squad_board(con, D, settings()).empty
    assert registry.squad_member_table(con, D, settings()).empty
    assert registry.station_days(con, D).empty


def test_project_problems_three_lists_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    add_problem(con, "Q1", "p1", "2025-05-01", "2025-06-30", unit="t02")  # open, due before D: overdue
    add_problem(con, "Q2", "p1", "2025-09-01", "2025-12-31")  # open, not yet due
    add_problem(con, "Q3", "p1", "2025-04-01", "2025-05-01", resolved="2025-04-20")  # resolved
    add_problem(con, "Q4", "p1", "2025-04-01", "2025-05-01", resolved="2025-10-15")  # resolved after D
    add_problem(con, "Q5", "p1", "2025-10-02", "2025-10-30")  # raised after D: not listed
    add_problem(con, "Q6", "p2", "2025-04-01", "2025-05-01")  # another project
    df = registry.project_problems(con, D, "p1").set_index("problem_id")
    assert sorted(df.index) == ["Q1", "Q2", "Q3", "Q4"]
    # Q1: D − due = 2025-10-01 − 2025-06-30 = 93 days; Q4: resolved only after D, due 2025-05-01 →
    # overdue by 2025-10-01 − 2025-05-01 = 153 days, and its resolution date shows blank.
    assert df.loc["Q1", "progress"] == "■ 逾期 93 天"
    assert df.loc["Q4", "progress"] == "■ 逾期 153 天" and pd.isna(df.loc["Q4", "resolved_on"])
    assert df.loc["Q2", "progress"] == "▲ 办理中" and pd.isna(df.loc["Q2", "days_overdue"])
    assert df.loc["Q3", "progress"] == "● 已办结" and df.loc["Q3", "resolved_on"] == pd.Timestamp(
        "2025-04-20"
    )
    assert df.loc["Q1", "responsible_unit_name"] == "西山乡"
    assert set(df["leader_in_charge"]) == {"张县长"}
    for columns in registry.PROBLEM_LISTS.values():
        assert set(columns) <= set(df.reset_index().columns)


def test_project_problems_agree_with_supervision(con: duckdb.DuckDBPyConnection) -> None:
    from analytics.metrics.supervision import problems

    add_problem(con, "Q1", "p1", "2025-05-01", "2025-06-30")
    add_problem(con, "Q3", "p1", "2025-04-01", "2025-05-01", resolved="2025-04-20")
    mine = registry.project_problems(con, D, "p1").set_index("problem_id")
    theirs = problems(con, D).set_index("problem_id")
    for problem_id in mine.index:
        assert mine.loc[problem_id, "is_overdue"] == theirs.loc[problem_id, "is_overdue"]
        assert mine.loc[problem_id, "is_open"] == theirs.loc[problem_id, "is_open"]


def test_library_counts_open_and_overdue_problems_as_of_date(con: duckdb.DuckDBPyConnection) -> None:
    add_problem(con, "Q1", "p1", "2025-05-01", "2025-06-30")  # open, overdue
    add_problem(con, "Q2", "p1", "2025-09-01", "2025-12-31")  # open, not due
    add_problem(con, "Q3", "p1", "2025-04-01", "2025-05-01", resolved="2025-04-20")  # resolved: not counted
    add_problem(con, "Q4", "p2", "2025-10-05", "2025-10-06")  # raised after D: not counted
    library = registry.project_list(con, D).set_index("project_id")
    assert library.loc["p1", ["open_problems", "overdue_problems"]].tolist() == [2, 1]
    assert library.loc["p2", ["open_problems", "overdue_problems"]].tolist() == [0, 0]
    summary = registry.library_summary(library.reset_index())
    assert (summary["open_problems"], summary["overdue_problems"]) == (2, 1)
