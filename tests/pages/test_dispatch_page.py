"""调度会投屏 through AppTest on the demo county: every screen, the figures it shows, the buttons."""

from __future__ import annotations

from html import escape
from typing import Any

import duckdb
import pytest

from analytics.core.format import percent
from analytics.core.period import Period
from analytics.metrics import concentration, landing, pipeline, units
from analytics.screens import dispatch, overview
from tests.pages.conftest import AppFactory

PAGE = "app_pages/dispatch.py"
TITLES = (
    "本周数据",
    "全县目标",
    "9865 进度",
    "乡镇赛马",
    "县直部门赛马",
    "招商小分队",
    "重大项目三张清单",
    "责任清单",
    "进度清单",
    "滞后项目",
    "项目推进",
    "上次调度事项落实",
)


def html_of(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


@pytest.mark.parametrize("index", range(len(TITLES)))
def test_each_screen_runs_and_shows_its_title_and_indicator(app_test: AppFactory, index: int) -> None:
    at = app_test(PAGE, dispatch_screen=index)
    assert not at.exception and not at.error
    html = html_of(at)
    assert f'<div class="pj-title">{TITLES[index]}</div>' in html
    assert f"第 {index + 1}/{len(TITLES)} 屏" in html


def test_progress_screen_counts_red_and_yellow_projects_as_the_pipeline(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    at = app_test(PAGE, dispatch_screen=TITLES.index("项目推进"))
    html = html_of(at)
    lights = pipeline.project_pipeline(expected_con, demo_period, demo_settings)["light"]
    reds, yellows = int((lights == "red").sum()), int((lights == "yellow").sum())
    assert f'红灯 <span style="color:#B3261E; font-size:72px">{reds}</span> 个' in html
    assert f'黄灯 <span style="color:#9A6200; font-size:72px">{yellows}</span> 个' in html


def test_week_screen_shows_this_and_last_week_from_analytics(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    numbers = dispatch.week_in_numbers(expected_con, demo_period, demo_settings).set_index("metric")
    html = html_of(app_test(PAGE, dispatch_screen=0))
    signed = numbers.loc["signed_projects"]
    assert f'<div class="pj-big">{int(signed["this_period"])}<span class="pj-unit">个</span></div>' in html
    assert f"上周 {int(signed['last_period'])} 个" in html
    this_week, _ = dispatch.dispatch_weeks(demo_period.as_of)
    assert f"本周 {this_week.label}" in html


def test_landing_screen_shows_rates_with_met_labels(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("9865 进度")))
    for entry in landing.landing_rates(expected_con, demo_period, demo_settings):
        assert f"{entry['cohort']} 年签约 {entry['base']} 个" in html
        assert f"{entry['commencement_rate'] * 100:.1f}%" in html
    assert "达标" in html  # status as text, not colour alone


def test_race_screen_names_golden_horse_and_snail(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("乡镇赛马")))
    table = units.unit_table(expected_con, demo_period, demo_settings)
    for _, row in table[table["group"].isin(["township_1", "township_2"])].iterrows():
        assert f'<td class="">{row["name"]}</td>' in html
    # demo_period is 2026-11-20, before 12-31: the awards are named in the in-year words
    assert html.count("★ 暂列第一") == int(table["awards"].map(lambda a: "golden_horse" in a).sum())
    assert html.count("▼ 暂列末位") == int(table["awards"].map(lambda a: "snail" in a).sum())
    assert "骏马奖" not in html and "蜗牛奖" not in html


def test_three_lists_screen_counts_open_and_overdue_problems(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    lists = dispatch.three_lists(expected_con, demo_period, demo_settings)
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("重大项目三张清单")))
    overdue = int(lists["problems"]["is_overdue"].sum())
    assert f'<div class="pj-big">{len(lists["problems"])}</div>' in html
    assert f">{overdue}</div>" in html
    worst = lists["by_unit"].iloc[0]
    assert f'<tr class="pj-red"><td class="">{worst["unit_name"]}</td>' in html
    # The number columns' headers are right-aligned like their numbers.
    assert '<th class="num">未办结</th><th class="num">超期</th>' in html


def test_next_and_previous_buttons_move_between_screens_and_wrap(app_test: AppFactory) -> None:
    last = len(TITLES) - 1
    at = app_test(PAGE, dispatch_screen=last)
    at.button(key="dispatch_next").click().run()
    assert at.session_state["dispatch_screen"] == 0  # wraps from the last screen to the first
    assert at.query_params["screen"] == "1"
    at.button(key="dispatch_prev").click().run()
    assert at.session_state["dispatch_screen"] == last
    assert '<div class="pj-title">上次调度事项落实</div>' in html_of(at)


def test_screen_number_in_the_link_opens_that_screen(app_test: AppFactory) -> None:
    at = app_test(PAGE, run=False)
    at.query_params["screen"] = "7"
    at.run()
    assert '<div class="pj-title">重大项目三张清单</div>' in html_of(at)
    at = app_test(PAGE, run=False)
    at.query_params["screen"] = "x"  # nonsense falls back to the first screen, no error
    at.run()
    assert not at.exception and '<div class="pj-title">本周数据</div>' in html_of(at)


def test_auto_advance_toggle_is_offered(app_test: AppFactory) -> None:
    at = app_test(PAGE)
    at.toggle(key="dispatch_auto").set_value(True).run()
    assert not at.exception
    assert at.session_state["dispatch_auto"] is True


def test_county_screen_shows_every_county_target_against_the_schedule(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("全县目标")))
    sections = overview.county_sections(expected_con, demo_period, demo_settings)
    entries = sections["headline"] + sections["projects"]
    assert f"全县 {len(entries)} 项目标任务 · 时序进度" in html
    assert percent(demo_period.schedule) in html
    for entry in sections["projects"]:
        assert f'<td class="wrap">{escape(entry["name_zh"])}</td>' in html
        assert f'<td class="num">{percent(entry["completion"])}</td>' in html
    conc = concentration.concentration(expected_con, demo_period, demo_settings)
    assert "重点产业集聚度" in html and percent(conc["headline"]) in html


def test_department_race_screen_lists_every_department_by_rank(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("县直部门赛马")))
    table = units.unit_table(expected_con, demo_period, demo_settings)
    departments = table[table["group"] == "department"].sort_values("rank")
    assert len(departments) > 0
    positions = [html.index(f'<td class="">{name}</td>') for name in departments["name"]]
    assert positions == sorted(positions)  # rank order, first column then second
    for name in table[table["group"] != "department"]["name"]:
        assert f'<td class="">{name}</td>' not in html


def test_responsibility_and_progress_lists_show_leader_unit_stage_and_funds(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    lists = dispatch.three_lists(expected_con, demo_period, demo_settings)
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("责任清单")))
    first = (
        lists["responsibility"]
        .sort_values(["overdue_problems", "total_investment_wan"], ascending=[False, False])
        .iloc[0]
    )
    assert (
        f'<td class="wrap">{first["project_name"]}</td><td class="">{first["leader_in_charge"]}</td>' in html
    )
    assert f'<td class="">{first["unit_name"]}</td>' in html
    html = html_of(app_test(PAGE, dispatch_screen=TITLES.index("进度清单")))
    largest = lists["progress"].sort_values("total_investment_wan", ascending=False).iloc[0]
    assert f'<td class="wrap">{largest["project_name"]}</td>' in html
    # one unit per column: 亿元 (万元 ÷ 10000)
    assert f'<td class="num">{largest["funds_wan"] / 10000:,.2f} 亿元</td>' in html
    # funds ÷ total investment, worked out independently of the screen
    assert percent(largest["funds_wan"] / largest["total_investment_wan"]) in html
