"""9865 项目落地 page: the cards, gap, breakdown and laggard list equal analytics; filters narrow."""

from __future__ import annotations

import math
from pathlib import Path

import duckdb
import pytest

from analytics.core.period import Period
from analytics.metrics import landing
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGE = "app_pages/landing.py"


def test_page_runs_and_states_year_as_of_and_schedule(app_test: AppFactory) -> None:
    at = app_test(PAGE)
    assert not at.exception
    # 2026-01-01 .. 2026-11-20 = 304 days to Oct 31 + 20 = 324 days; 324 / 365 = 0.88767 → 88.8%
    assert "计划年度 2026 年 · 截至 2026-11-20 · 时序进度 88.8%" in page_text(at)


def test_rate_cards_equal_the_cohort_counts(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    shown = cards(app_test(PAGE))
    for entry in landing.landing_rates(expected_con, demo_period, demo_settings):
        cohort, base = entry["cohort"], entry["base"]
        assert base > 0
        for stage, done in (("开工", entry["commenced"]), ("投产", entry["produced"])):
            card = shown[f"{cohort} 年签约项目{stage}率"]
            # independent path: done / base straight from the counts, one decimal
            assert card.value == f"{100 * done / base:.1f}%"
            assert f"已{stage} {done} / {base} 个" in card.lines[0]


def test_gap_line_says_how_many_more_are_needed(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    shown = cards(app_test(PAGE))
    for entry in landing.landing_rates(expected_con, demo_period, demo_settings):
        for stage, done, target in (
            ("开工", entry["commenced"], entry["commencement_target"]),
            ("投产", entry["produced"], entry["production_target"]),
        ):
            # e.g. target 0.8 of base 47 → ceil(37.6) = 38 needed in all; 38 − 28 done = 10 more
            more = max(0, math.ceil(round(target * entry["base"], 9)) - done)
            card = shown[f"{entry['cohort']} 年签约项目{stage}率"]
            expected = f"还需{stage} {more} 个" if more else f"{stage}目标已达到"
            assert card.lines[1] == expected
            assert card.status == ("● 达到目标" if more == 0 else "■ 未达目标")


def test_breakdown_by_township_adds_up_to_the_cohort_base(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    by_township = dataframes_with(at, "名称", "签约年度", "基数(个)")[0]
    for entry in landing.landing_rates(expected_con, demo_period, demo_settings):
        part = by_township[by_township["签约年度"] == entry["cohort"]]
        assert int(part["基数(个)"].sum()) == entry["base"]
        assert int(part["已开工(个)"].sum()) == entry["commenced"]


def test_laggard_list_equals_analytics(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    expected = landing.laggards(expected_con, demo_period)
    shown = dataframes_with(at, "项目名称", "签约至今(天)")[0]
    assert shown["项目名称"].tolist() == expected["project_name"].tolist()
    assert f"共 {len(expected):,} 个项目已签约未开工" in page_text(at)


def test_township_filter_narrows_the_laggard_list(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    everything = landing.laggards(expected_con, demo_period)
    township_id, township_name = (
        everything.dropna(subset=["township_id"]).groupby(["township_id", "township_name"]).size().idxmax()
    )
    at = app_test(PAGE)
    at.selectbox(key="landing_township").set_value(township_id).run()
    assert not at.exception
    shown = dataframes_with(at, "项目名称", "签约至今(天)")[0]
    assert len(shown) == int((everything["township_id"] == township_id).sum())
    assert 0 < len(shown) < len(everything)
    assert set(shown["落户乡镇"]) == {township_name}


def test_cohort_choice_keeps_only_that_years_signings(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    at.button_group(key="landing_cohort").set_value(demo_period.year).run()
    assert not at.exception
    shown = dataframes_with(at, "项目名称", "签约至今(天)")[0]
    expected = landing.laggards(expected_con, demo_period, demo_period.year)
    assert len(shown) == len(expected)
    assert {int(str(d)[:4]) for d in shown["签约日期"]} == {demo_period.year}  # YYYY-MM-DD


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无签约项目" in page_text(at)


def test_base_shows_its_write_offs(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    """METRICS v2 §1: 「基数 N(已核销 M)」, M counted straight from the projects table."""
    text = page_text(app_test(PAGE))
    as_of = demo_period.as_of
    for cohort in (demo_period.year - 1, demo_period.year):
        base, written_off = expected_con.execute(
            "SELECT count(*) FILTER (WHERE written_off_date IS NULL OR written_off_date > $d), "
            "       count(*) FILTER (WHERE written_off_date <= $d) "
            "FROM projects WHERE year(signed_date) = $c AND signed_date <= $d",
            {"d": as_of, "c": cohort},
        ).fetchone()
        assert f"{cohort} 年签约:基数 {base} 个(已核销 {written_off})" in text
