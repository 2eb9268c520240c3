"""The 挂包县领导 column of every project table sits beside the project's name, wide enough for a
name with its post, so that a leader sees it at 1600 px without scrolling (项目库, 项目推进, 9865
项目落地's 未开工项目清单); its values are the ledger's."""

from __future__ import annotations

import json

import duckdb
import pandas as pd

from analytics.core.period import Period
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import dataframes_with

LEADER = "挂包县领导"
# The longest post in the demo, 「周立恒(县委常委、常务副县长)」: 14 characters of 14 px, plus padding.
MIN_WIDTH = 14 * 14 + 16


def _width(at, frame: pd.DataFrame, column: str) -> int | None:
    """The pixel width the page gave ``column`` of the shown table holding ``frame``."""
    element = next(e for e in at.dataframe if e.value is frame or e.value.equals(frame))
    config = json.loads(element.proto.columns or "{}")
    return config.get(column, {}).get("width")


def _beside_the_name(frame: pd.DataFrame) -> None:
    columns = list(frame.columns)
    assert columns.index(LEADER) == columns.index("项目名称") + 1


def test_project_library_shows_the_leader_beside_the_name(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test("app_pages/projects.py")
    assert not at.exception
    shown = dataframes_with(at, "项目名称", "阶段", "总投资(万元)")[0]
    _beside_the_name(shown)
    assert _width(at, shown, LEADER) >= MIN_WIDTH
    rows = expected_con.execute(
        "SELECT name, coalesce(leader_in_charge, '') FROM projects WHERE signed_date <= ?",
        [demo_period.as_of],
    ).fetchall()
    assert sorted(zip(shown["项目名称"], shown[LEADER], strict=True)) == sorted(rows)
    assert (shown[LEADER] != "").sum() > 0  # the demo's major projects have their leaders


def test_progress_list_shows_the_leader_beside_the_name(app_test: AppFactory) -> None:
    at = app_test("app_pages/progress.py")
    assert not at.exception
    shown = dataframes_with(at, "灯", "项目名称", "等待环节")[0]
    _beside_the_name(shown)
    assert _width(at, shown, LEADER) >= MIN_WIDTH


def test_laggard_list_shows_the_leader_beside_the_name(app_test: AppFactory) -> None:
    at = app_test("app_pages/landing.py")
    assert not at.exception
    shown = dataframes_with(at, "项目名称", "签约至今(天)")[0]
    _beside_the_name(shown)
    assert _width(at, shown, LEADER) >= MIN_WIDTH
