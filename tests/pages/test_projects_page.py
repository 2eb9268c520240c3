"""项目库 page: the library, its totals, search and filters, and one project's record equal analytics."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.core import format as fmt
from analytics.core.period import Period
from analytics.screens import registry
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, html_bodies, page_text

PAGE = "app_pages/projects.py"


def _library(at):
    return dataframes_with(at, "项目名称", "阶段", "总投资(万元)")[0]


def test_library_lists_every_project_signed_by_as_of_date(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    # Independent path: plain SQL over the contract table.
    n, total = expected_con.execute(
        "SELECT count(*), sum(total_investment_wan) FROM projects WHERE signed_date <= ?", [demo_period.as_of]
    ).fetchall()[0]
    shown = _library(at)
    assert len(shown) == n
    assert shown["总投资(万元)"].sum() == pytest.approx(total)
    assert cards(at)["项目"].value == fmt.count(n)
    assert cards(at)["总投资"].value == fmt.money(total)
    funds = expected_con.execute(
        "SELECT sum(amount_wan) FROM fund_arrivals WHERE date <= ?", [demo_period.as_of]
    )
    assert cards(at)["到位资金"].value == fmt.money(funds.fetchall()[0][0])


def test_stage_filter_and_stage_counts(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    d = demo_period.as_of
    produced = expected_con.execute(
        "SELECT count(*) FROM projects WHERE signed_date <= ? AND production_date <= ?"
        " AND (written_off_date IS NULL OR written_off_date > ?)",
        [d, d, d],
    ).fetchall()[0][0]
    at = app_test(PAGE)
    assert f"已投产 {produced}" in " ".join(cards(at)["项目"].lines)
    at.selectbox(key="projects_stage").set_value("produced").run()
    shown = _library(at)
    assert len(shown) == produced > 0
    assert set(shown["阶段"]) == {"已投产"}


def test_search_and_township_filter(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    d = demo_period.as_of
    at = app_test(PAGE)
    at.text_input(key="projects_search").set_value("食品").run()
    expected = expected_con.execute(
        "SELECT name FROM projects WHERE signed_date <= ? AND (name LIKE '%食品%' OR company LIKE '%食品%')",
        [d],
    ).fetchall()
    shown = _library(at)
    assert len(shown) == len(expected) > 0
    # The company is in the download, not on screen: the names shown are those the search matched.
    assert sorted(shown["项目名称"]) == sorted(name for (name,) in expected)

    township, name = expected_con.execute(
        "SELECT u.unit_id, u.name FROM units u JOIN projects p ON p.township_id = u.unit_id"
        " GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0]
    at.text_input(key="projects_search").set_value("").run()
    at.selectbox(key="projects_township").set_value(township).run()
    count = expected_con.execute(
        "SELECT count(*) FROM projects WHERE signed_date <= ? AND township_id = ?", [d, township]
    ).fetchall()[0][0]
    assert len(_library(at)) == count
    assert set(_library(at)["落户乡镇"]) == {name}


def test_project_record_shows_timeline_funds_and_three_lists(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    d = demo_period.as_of
    project_id, name, leader = expected_con.execute(
        "SELECT p.project_id, p.name, p.leader_in_charge FROM projects p JOIN problems q USING (project_id)"
        " WHERE q.raised_on <= ? AND p.leader_in_charge IS NOT NULL GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 1 LIMIT 1",
        [d],
    ).fetchall()[0]
    at = app_test(PAGE)
    at.selectbox(key="projects_pick").set_value(project_id).run()
    assert not at.exception
    assert name in [s.value for s in at.subheader]
    assert cards(at)["挂包县领导"].value == leader
    signed = expected_con.execute(
        "SELECT signed_date FROM projects WHERE project_id = ?", [project_id]
    ).fetchall()
    steps = next(b for b in html_bodies(at) if "签约" in b and "投产" in b)
    assert signed[0][0].isoformat() in steps
    n_problems = expected_con.execute(
        "SELECT count(*) FROM problems WHERE project_id = ? AND raised_on <= ?", [project_id, d]
    ).fetchall()[0][0]
    lists = [dataframes_with(at, "问题描述", col)[0] for col in ("提出日期", "责任单位", "办理情况")]
    assert [len(f) for f in lists] == [n_problems] * 3
    assert set(lists[1]["挂包县领导"]) == {leader}
    expected = registry.project_problems(expected_con, demo_period, project_id)
    assert sorted(lists[2]["办理情况"]) == sorted(expected["progress"])
    funds = expected_con.execute(
        "SELECT sum(amount_wan) FROM fund_arrivals WHERE project_id = ? AND date <= ?", [project_id, d]
    ).fetchall()[0][0]
    assert f"已到位 {fmt.money(funds or 0)}" in cards(at)["总投资"].lines


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无数据" in page_text(at)


def test_search_without_match_says_so(app_test: AppFactory) -> None:
    at = app_test(PAGE)
    at.text_input(key="projects_search").set_value("不存在的项目名称xyz").run()
    assert not at.exception
    assert "没有符合条件的项目" in page_text(at)
