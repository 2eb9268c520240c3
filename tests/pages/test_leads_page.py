"""招商信息 page: the funnel, first-report decisions, pending days and filters equal analytics."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.core import format as fmt
from analytics.core.period import Period
from analytics.metrics import supervision
from analytics.metrics.leads import adjudicate_leads
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGE = "app_pages/leads.py"


def _registry(at):
    return dataframes_with(at, "信息编码", "首报认定")[0]


def test_cards_equal_the_lead_funnel(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    funnel = supervision.lead_funnel(expected_con, demo_period)
    shown = cards(at)
    assert shown["全县报送信息"].value == fmt.count(funnel["reported"], "条")
    assert shown["认定有效的首报"].value == fmt.count(funnel["valid_first_reports"], "条")
    assert shown["信息转化率"].value == fmt.percent(funnel["conversion"])
    # Independent path: leads reported this year up to D, straight from the table.
    pending = expected_con.execute(
        "SELECT count(*) FROM leads WHERE status = 'pending' AND CAST(reported_at AS DATE) BETWEEN ? AND ?",
        [demo_period.window_start, demo_period.window_end],
    ).fetchall()[0][0]
    assert shown["待认定"].value == fmt.count(pending, "条")


def test_registry_holds_the_years_leads_with_their_decision(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    shown = _registry(at)
    n = expected_con.execute(
        "SELECT count(*) FROM leads WHERE CAST(reported_at AS DATE) BETWEEN ? AND ?",
        [demo_period.window_start, demo_period.window_end],
    ).fetchall()[0][0]
    assert len(shown) == n
    funnel = supervision.lead_funnel(expected_con, demo_period)
    assert (shown["首报认定"] == "● 首报").sum() == funnel["first_reports"]
    assert shown["首报认定"].str.startswith("▲ 重复").sum() == funnel["duplicates"]
    decisions = adjudicate_leads(expected_con).set_index("lead_id")
    for lead_id, text in zip(shown["信息编码"], shown["首报认定"], strict=True):
        of = decisions.loc[lead_id, "duplicate_of"]
        if isinstance(of, str):
            assert text.startswith(f"▲ 重复:首报为 {of}")


def test_pending_days_count_to_as_of_date(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    shown = _registry(at).set_index("信息编码")
    rows = expected_con.execute(
        "SELECT lead_id, CAST(reported_at AS DATE) FROM leads WHERE status = 'pending'"
        " AND CAST(reported_at AS DATE) BETWEEN ? AND ?",
        [demo_period.window_start, demo_period.window_end],
    ).fetchall()
    assert rows
    for lead_id, reported_on in rows:
        assert shown.loc[lead_id, "待认定"] == f"{(demo_period.as_of - reported_on).days} 天"
    assert set(shown.loc[shown["认定状态"] != "待认定", "待认定"]) == {""}


def test_filters_narrow_the_registry(app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection) -> None:
    at = app_test(PAGE)
    county_wide = cards(at)["全县报送信息"].value
    at.selectbox(key="leads_first").set_value(False).run()
    assert not at.exception
    assert "● 首报" not in set(_registry(at)["首报认定"])
    at.selectbox(key="leads_first").set_value(None).run()
    at.selectbox(key="leads_tier").set_value("important").run()
    assert set(_registry(at)["信息等级"]) == {"重要"}
    unit, name = expected_con.execute(
        "SELECT reporter_unit_id, u.name FROM leads JOIN units u ON u.unit_id = reporter_unit_id"
        " GROUP BY 1, 2 ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0]
    at.selectbox(key="leads_unit").set_value(unit).run()
    assert set(_registry(at)["报送单位"]) == {name}
    assert cards(at)["全县报送信息"].value == county_wide  # the cards stay county-wide


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无数据" in page_text(at)


def test_year_without_leads_says_what_to_do(app_test: AppFactory) -> None:
    at = app_test(PAGE, global_year=2019)
    assert not at.exception
    assert "尚无报送的招商信息" in page_text(at)


def test_near_duplicates_are_looked_up_on_request(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    from analytics.screens import registry

    at = app_test(PAGE)
    assert "名称相近" not in " ".join(c.value for c in at.caption)  # not computed until asked
    at.toggle(key="leads_near_show").set_value(True).run()
    assert not at.exception
    expected = registry.near_duplicate_suggestions(expected_con, demo_period)
    if expected.empty:
        assert "没有名称相近" in page_text(at)
    else:
        assert len(dataframes_with(at, "企业名称", "信息条数")[0]) == len(expected)
