"""产业集聚 page: the concentration cards, key-vs-other split, per-industry table and trend equal analytics."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.core.format import percent
from analytics.core.labels import HHI_LABEL
from analytics.core.period import Period
from analytics.metrics import concentration
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGE = "app_pages/industry.py"


def test_cards_equal_the_concentration_result(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    shown = cards(at)
    result = concentration.concentration(expected_con, demo_period, demo_settings)
    assert shown["重点产业集聚度"].value == percent(result["headline"])
    assert shown["重点产业集聚度"].status == ("● 达到目标" if result["met"] else "■ 未达目标")
    assert shown["按投资额计"].value == percent(result["by_investment"])
    assert shown["按项目个数计"].value == percent(result["by_count"])
    assert shown[HHI_LABEL].value == percent(result["hhi"])  # a share, like every rate


def test_per_industry_table_recomputes_the_shares_and_hhi(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    table = dataframes_with(app_test(PAGE), "产业", "类别", "投资额(万元)")[0]
    result = concentration.concentration(expected_con, demo_period, demo_settings)
    # independent path from the shown rows: key investment / all investment, and Σ share²
    total = table["投资额(万元)"].sum()
    key = table.loc[table["类别"] == "重点产业", "投资额(万元)"].sum()
    assert key / total == pytest.approx(result["by_investment"], rel=1e-12)
    assert ((table["投资额(万元)"] / total) ** 2).sum() == pytest.approx(result["hhi"], rel=1e-12)
    count_key = table.loc[table["类别"] == "重点产业", "项目个数"].sum()
    assert count_key / table["项目个数"].sum() == pytest.approx(result["by_count"], rel=1e-12)
    assert table["投资额(万元)"].is_monotonic_decreasing


def test_trend_has_this_year_at_the_same_date(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    trend = dataframes_with(app_test(PAGE), "年度", "截至", "按投资额")[0]
    this_year = trend[trend["年度"] == demo_period.year].iloc[0]
    result = concentration.concentration(expected_con, demo_period, demo_settings)
    assert this_year["按投资额"] == pytest.approx(result["by_investment"] * 100)
    # every year is measured to the same month-day as the as-of date (11-20)
    assert {str(d)[5:10] for d in trend["截至"]} == {"11-20"}  # shown as YYYY-MM-DD
    assert len(trend) >= 2


def test_headline_follows_the_count_basis_when_set(app_test: AppFactory, demo_db_path: Path) -> None:
    at = app_test(PAGE, global_settings_overrides={"concentration_basis": "count"})
    assert not at.exception
    shown = cards(at)
    assert shown["重点产业集聚度"].value == shown["按项目个数计"].value
    assert "按项目个数计(考核口径)" in shown["重点产业集聚度"].lines[0]


def test_year_without_signings_shows_what_to_do(app_test: AppFactory) -> None:
    # 2026-01-01: the window holds one day, and the demo signs nothing on New Year's Day
    at = app_test(PAGE, global_as_of=date(2026, 1, 1))
    assert not at.exception
    assert "尚无新签约项目" in page_text(at)


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无新签约项目" in page_text(at)
