"""乡镇赛马 page: rankings, scores, awards and mid-year flags equal analytics; the filter narrows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics.core.period import Period
from analytics.metrics import units
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import dataframes_with, html_bodies, page_text

PAGE = "app_pages/race.py"
GROUPS = ("township_1", "township_2", "department")


def _tables(at) -> list:
    return dataframes_with(at, "名次", "单位", "得分")


def test_each_group_is_ranked_as_analytics_ranks_it(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    expected = units.unit_table(expected_con, demo_period, demo_settings)
    tables = _tables(at)
    assert len(tables) == 3
    for table, group in zip(tables, GROUPS, strict=True):
        rows = expected[expected["group"] == group]
        assert table["单位"].tolist() == rows["name"].tolist()
        assert table["名次"].tolist() == [str(int(r)) for r in rows["rank"]]
        assert [float(s) for s in table["得分"]] == pytest.approx(rows["score"].tolist(), abs=0.005)
        # ranking: scores never increase down the table
        assert pd.Series([float(s) for s in table["得分"]]).is_monotonic_decreasing


def _done_over_target(cell: str) -> tuple[float, float | None]:
    """「10/8」 → (10, 8); 「1/—」 (no target) → (1, None)."""
    done, target = cell.replace(",", "").split("/")
    return float(done), None if target == "—" else float(target)


def test_score_is_the_weighted_capped_completion(app_test: AppFactory, demo_settings: dict) -> None:
    """Recompute each township's score from the shown actuals and targets (§4, weights .4/.4/.2, cap 1.5)."""
    at = app_test(PAGE)
    weights = demo_settings["unit_weights"]
    cap = demo_settings["score_cap"]
    for table in _tables(at)[:2]:
        for _, row in table.iterrows():
            parts = {
                "signed_projects": _done_over_target(row["项目引进"]),
                "in_stats_projects": _done_over_target(row["项目入统"]),
                "valid_leads": _done_over_target(row["有效信息"]),
            }
            included = {m: a / t for m, (a, t) in parts.items() if t and t > 0}
            score = (
                100
                * sum(weights[m] * min(c, cap) for m, c in included.items())
                / sum(weights[m] for m in included)
            )
            assert float(row["得分"]) == pytest.approx(score, abs=0.005)  # shown to 2 decimals


def test_awards_show_as_badges_and_in_the_table(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    expected = units.unit_table(expected_con, demo_period, demo_settings)
    badges = "\n".join(html_bodies(at))
    # In-year (the demo's as-of date is before 12-31) the award names are not yet given (METRICS v2).
    assert demo_period.as_of < date(demo_period.year, 12, 31)
    for award, label in (("golden_horse", "暂列第一"), ("advanced", "暂列先进"), ("snail", "暂列末位")):
        winners = expected[expected["awards"].map(lambda a, award=award: award in a)]
        assert len(winners) > 0
        for name in winners["name"]:
            assert f">{label}</span> {name}" in badges
    tables = pd_concat(_tables(at)[:2])
    assert not tables["奖项"].str.contains("骏马奖|蜗牛奖|先进单位").any()
    assert (
        tables.loc[tables["奖项"].str.contains("暂列末位"), "单位"].tolist()
        == expected.loc[expected["awards"].map(lambda a: "snail" in a), "name"].tolist()
    )


def pd_concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return pd.concat(frames, ignore_index=True)


def test_mid_year_flags_after_the_check_date(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    expected = units.unit_table(expected_con, demo_period, demo_settings)
    text = page_text(at)
    assert f"{int(expected['behind_half'].sum())} 个单位有指标完成率低于 50%" in text
    for name in expected.loc[expected["public_statement"], "name"]:
        assert name in text
    flagged = pd_concat(_tables(at))
    assert int(flagged["提示"].str.contains("未过半").sum()) == int(expected["behind_half"].sum())


def test_before_the_check_date_nothing_is_flagged(app_test: AppFactory) -> None:
    at = app_test(PAGE, global_as_of=date(2026, 7, 19))
    assert not at.exception
    assert "在 2026-07-20 判定" in page_text(at)
    assert not pd_concat(_tables(at))["提示"].str.len().any()


def test_behind_only_filter_keeps_units_behind_half(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    at.toggle(key="race_behind_only").set_value(True).run()
    assert not at.exception
    expected = units.unit_table(expected_con, demo_period, demo_settings)
    shown = pd_concat(_tables(at))
    assert sorted(shown["单位"]) == sorted(expected.loc[expected["behind_half"], "name"])
    assert shown["提示"].str.contains("未过半").all()


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无考核单位的目标任务" in page_text(at)
