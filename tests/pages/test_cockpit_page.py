"""总览 page: the twelve county cards, 9865, concentration and the alerts equal analytics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.core.format import metric_value, percent, signed_percent, status_label
from analytics.core.period import Period
from analytics.metrics import concentration, county, landing, supervision, units
from analytics.screens import plausibility
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGE = "app_pages/cockpit.py"
HEADLINE = ("实际利用外资", "现汇进资", "利用省外2000万元以上项目资金", "进出口总额")


def test_twelve_county_cards_equal_county_metrics(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    shown = cards(at)
    entries = county.county_metrics_labelled(expected_con, demo_period, demo_settings)
    assert len(entries) == 13
    for entry in entries:
        if entry["metric"] == "trade_usd_wan":
            continue  # its own card (test_trade_card_compares_with_the_city)
        card = shown[entry["name_zh"].replace("(万美元)", "")]
        assert card.value == metric_value(entry["metric"], entry["actual"])
        assert f"完成 {percent(entry['completion'])}" in card.lines[0]
        assert card.status == status_label(entry["status"])
        if entry["yoy"] is not None:
            # independent path: actual / previous − 1
            assert f"同比 {signed_percent(entry['actual'] / entry['previous'] - 1)}" in card.lines[1]


def test_headline_section_holds_the_plans_three_indicators_first(app_test: AppFactory) -> None:
    at = app_test(PAGE)
    titles = list(cards(at))
    assert tuple(titles[:4]) == HEADLINE
    assert "聚焦三大指标" in page_text(at)


def test_trade_card_compares_with_the_city(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    """METRICS v2 §3: the trade card shows Σ exports + imports, YoY, the city's growth and the verdict."""
    at = app_test(PAGE)
    card = cards(at)["进出口总额"]
    # Independent path: the trade rows of 2026 up to the as-of month, and of 2025 up to the same month.
    month = demo_period.as_of.strftime("%m")
    actual, previous = (
        expected_con.execute(
            "SELECT sum(exports_usd_wan + imports_usd_wan) FROM trade WHERE month BETWEEN ? AND ?",
            [f"{year}-01", f"{year}-{month}"],
        ).fetchone()[0]
        for year in (2026, 2025)
    )
    growth = expected_con.execute(
        "SELECT city_growth FROM trade WHERE month <= ? ORDER BY month DESC LIMIT 1", [f"2026-{month}"]
    ).fetchone()[0]
    assert card.value == metric_value("trade_usd_wan", actual)
    yoy = actual / previous - 1
    assert card.lines[0] == f"同比 {signed_percent(yoy)} · 全市平均 {signed_percent(growth)}"
    assert card.status == ("● 增幅高于全市平均" if yoy > growth else "■ 增幅未高于全市平均")


def test_status_summary_counts_the_twelve(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    text = page_text(app_test(PAGE))
    entries = county.county_metrics(expected_con, demo_period, demo_settings)
    for status in ("far_behind", "behind", "on_track", "met"):
        n = sum(1 for e in entries if e["status"] == status)
        assert f"{status_label(status)} {n} 项" in text


def test_landing_and_concentration_captions_equal_analytics(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    text = page_text(app_test(PAGE))
    for entry in landing.landing_rates(expected_con, demo_period, demo_settings):
        assert f"{entry['cohort']} 年签约基数 {entry['base']} 个" in text
    result = concentration.concentration(expected_con, demo_period, demo_settings)
    assert f"按投资额 {percent(result['by_investment'])} · 按项目个数 {percent(result['by_count'])}" in text


def test_alert_counts_equal_the_owning_modules(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    metrics = {m.label: m.value for m in at.metric}
    laggards = landing.laggards(expected_con, demo_period)
    behind = [u for u in units.unit_results(expected_con, demo_period, demo_settings) if u["behind_half"]]
    assert metrics["签约未开工项目"] == f"{len(laggards):,} 项"
    assert metrics["任务未过半单位"] == f"{len(behind):,} 项"
    problems = supervision.problems(expected_con, demo_period)
    assert metrics["逾期未办结问题"] == f"{int(problems['is_overdue'].sum()):,} 项"
    warnings = plausibility.plausibility_warnings(expected_con, demo_period)
    assert metrics["数据合理性提醒"] == f"{len(warnings):,} 项"
    table = dataframes_with(at, "类别", "对象", "情况")[0]
    # at most five of each kind, the oldest signing first among the laggards
    assert (
        table[table["类别"] == "签约未开工项目"]["对象"].tolist() == laggards["project_name"].head(5).tolist()
    )


def test_before_mid_year_no_unit_is_flagged(app_test: AppFactory) -> None:
    # 2026-06-30 is before the 07-20 check date: behind_half is false for every unit (§4)
    at = app_test(PAGE, global_as_of=date(2026, 6, 30))
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["任务未过半单位"] == "0 项"


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无数据" in page_text(at)
