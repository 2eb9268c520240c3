"""Drill-down: the rows behind each figure are exactly what it counts; every figure has a 口径."""

from __future__ import annotations

import pytest
from metrics_fixtures import (
    add_arrival,
    add_industry,
    add_lead,
    add_problem,
    add_project,
    add_trade,
    add_unit,
    add_unit_targets,
    fresh,
    period,
    settings,
)

from analytics.core.schema import COUNTY_METRICS, UNIT_METRICS
from analytics.metrics.definitions import Definition, definitions
from analytics.metrics.report import build_report
from analytics.screens.drilldown import UnknownFigure, display_columns, rows_behind

P = period(2021, "2021-07-20")


@pytest.fixture
def con():
    con = fresh()
    add_industry(con, "k1", is_key=True)
    add_industry(con, "o1")
    add_unit(con, "t01")
    add_unit(con, "t03", township_class="2")
    add_unit_targets(con, 2021, "t03", 2, 2, 2)
    add_project(con, "a", "2021-02-01", unit="t03", industry="k1", total=20000, source="foreign",
                is_5020=True, in_stats="2021-03-01", commenced="2021-03-05")  # fmt: skip
    # b is industrial (k1): §6 v2 pays the 5020 reward to industrial projects only
    add_project(
        con, "b", "2020-06-01", unit="t03", industry="k1", total=250000, is_5020=True, in_stats="2021-01-10"
    )
    add_project(con, "c", "2021-04-01", unit="t01", industry="o1", source="out_of_province", total=3000)
    add_project(con, "w", "2021-04-01", unit="t03", written_off="2021-05-01", in_stats="2021-04-10")
    add_arrival(con, "a", "2021-03-01", amount=500, fixed=400, fdi=120, fx=110)
    add_arrival(con, "b", "2021-02-01", amount=60000, fixed=60000)
    add_arrival(con, "c", "2021-05-01", amount=800, fixed=100)
    add_lead(con, "l1", "2021-02-01", "甲公司", unit="t03")
    add_lead(con, "l2", "2021-02-02", "甲 公司", unit="t03")
    add_lead(con, "l3", "2021-02-03", "乙公司", unit="t03", status="pending")
    add_problem(con, "q1", "a", "2021-05-01", due="2021-06-01", unit="t03")
    add_trade(con, "2020-12", 900, 100)  # last year: not in W
    add_trade(con, "2021-01", 300, 50.5)
    add_trade(con, "2021-07", 200, 20, city_growth=0.08)  # D's month counts in full
    add_trade(con, "2021-08", 999, 999)  # after D's month
    return con


def test_county_rows_match_every_county_figure(con) -> None:
    report = build_report(con, P, settings())
    for entry in report["county"]:
        rows = rows_behind(con, P, settings(), f"county.{entry['metric']}")
        if isinstance(entry["actual"], int):
            assert len(rows) == entry["actual"], entry["metric"]
        else:
            column = {
                "in_stats_investment_wan": "total_investment_wan",
                "fdi_usd_wan": "fdi_usd_wan",
                "fx_usd_wan": "fx_usd_wan",
                "out_of_province_funds_wan": "amount_wan",
                "trade_usd_wan": "trade_usd_wan",
            }[entry["metric"]]
            assert rows[column].sum() == pytest.approx(entry["actual"]), entry["metric"]


def test_trade_rows_are_the_months_of_y_up_to_d_month(con) -> None:
    rows = rows_behind(con, P, settings(), "county.trade_usd_wan")
    assert list(rows["month"]) == ["2021-01", "2021-07"]
    assert rows["trade_usd_wan"].sum() == pytest.approx(570.5)  # 300 + 50.5 + 200 + 20


def test_unit_rows_match_unit_figures_and_show_first_report_status(con) -> None:
    t03 = next(u for u in build_report(con, P, settings())["units"] if u["unit_id"] == "t03")
    for metric in ("signed_projects", "in_stats_projects"):
        assert len(rows_behind(con, P, settings(), f"unit.{metric}", unit_id="t03")) == t03["actuals"][metric]
    assert sorted(rows_behind(con, P, settings(), "unit.in_stats_projects", unit_id="t03")["project_id"]) == [
        "a",
        "b",
    ]
    leads = rows_behind(con, P, settings(), "unit.valid_leads", unit_id="t03")
    assert list(leads["lead_id"]) == ["l1", "l2", "l3"]
    assert list(leads["counted"]) == [True, False, False]
    assert int(leads["counted"].sum()) == t03["actuals"]["valid_leads"] == 1


def test_landing_concentration_rewards_and_problems(con) -> None:
    report = build_report(con, P, settings())
    current = report["landing"][1]
    assert len(rows_behind(con, P, settings(), "landing.commenced", cohort=2021)) == current["commenced"] == 1
    assert len(rows_behind(con, P, settings(), "landing.base", cohort=2021)) == current["base"] == 2
    assert list(rows_behind(con, P, settings(), "landing.laggards")["project_id"]) == ["b", "c"]
    assert len(rows_behind(con, P, settings(), "concentration.by_count")) == 2  # S = a, c
    assert (
        rows_behind(con, P, settings(), "rewards.fdi")["fdi_usd_wan"].sum() * 0.003
        == report["rewards"]["fdi"]
    )
    r5020 = rows_behind(con, P, settings(), "rewards.project_5020")
    assert list(r5020["project_id"]) == ["b"] and list(r5020["project_5020_wan"]) == [10.0]
    assert list(rows_behind(con, P, settings(), "rewards.foreign_fx", unit_id="t03")["foreign_fx_wan"]) == [
        5.0
    ]
    assert list(
        rows_behind(con, P, settings(), "supervision.problem_overdue", unit_id="t03")["problem_id"]
    ) == ["q1"]


def test_unknown_figures_and_scopes_are_refused(con) -> None:
    with pytest.raises(UnknownFigure):
        rows_behind(con, P, settings(), "county.nonsense")
    with pytest.raises(UnknownFigure):
        rows_behind(con, P, settings(), "nothing")
    with pytest.raises(TypeError):
        rows_behind(con, P, settings(), "unit.valid_leads", township_id="t03")


def test_display_columns_are_chinese(con) -> None:
    shown = display_columns(rows_behind(con, P, settings(), "county.signed_projects"))
    assert {"项目编码", "签约日期", "总投资(万元)"} <= set(shown.columns)


def test_every_report_figure_has_a_definition() -> None:
    keys = (
        [f"county.{m}" for m in COUNTY_METRICS]
        + [f"unit.{m}" for m in UNIT_METRICS]
        + [f"landing.{k}" for k in ("base", "commenced", "produced", "commencement_rate", "production_rate")]
        + [f"concentration.{k}" for k in ("by_investment", "by_count", "hhi", "headline")]
        + [
            f"unit.{k}"
            for k in ("score", "completed", "rank", "tied", "awards", "behind_half", "public_statement")
        ]
        + ["unit.behind_schedule", "unit.signed_investment_wan", "unit.unranked", "landing.written_off"]
        + ["county.city_growth", "county.above_city", "deposits", "supervision.major_project"]
        + [
            f"squad.{k}"
            for k in ("score", "mean_score", "actuals", "targets", "completed", "advanced_members")
        ]
        + ["squad.disqualified", "squad.unassessed", "squad.station_compliance"]
        + [
            f"rewards.{k}"
            for k in ("fdi", "export", "fx_contribution", "project_5020", "foreign_fx", "prizes")
        ]
        + ["rewards.tax_sharing", "rewards.total"]
        + ["report.schedule", "county.status", "county.yoy", "leads.first_report", "landing", "county"]
    )
    rendered = definitions()
    for key in keys:
        d = rendered[key]
        assert isinstance(d, Definition) and isinstance(d, str) and d.title and d.section and len(d) > 10, key
