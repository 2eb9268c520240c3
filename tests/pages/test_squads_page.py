"""招商小分队 page: squad ranking, members and stationed posts equal analytics; the squad filter narrows."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.core.period import Period
from analytics.metrics import squads
from analytics.screens import registry
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGE = "app_pages/squads.py"


def _ranking(at):
    return dataframes_with(at, "排名", "小分队", "得分合计")[0]


def _members(at):
    return dataframes_with(at, "成员单位", "计入小分队")[0]


def test_ranking_equals_the_squad_results(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    results = squads.squad_results(expected_con, demo_period, demo_settings)
    names = dict(expected_con.execute("SELECT squad_id, name FROM squads").fetchall())
    shown = _ranking(at)
    assert shown["小分队"].tolist() == [names[r["squad_id"]] for r in results]
    assert shown["排名"].tolist() == [r["rank"] for r in results]
    assert shown["得分合计"].tolist() == pytest.approx([r["score"] for r in results])
    assert shown["平均分"].tolist() == pytest.approx([r["mean_score"] for r in results])
    top = cards(at)["排名第一"]
    assert top.value == names[results[0]["squad_id"]]


def test_squad_score_is_the_sum_of_its_members_shown(app_test: AppFactory) -> None:
    """§5 by an independent path: each squad's 得分合计 = Σ of its members' 计入小分队 in the member table."""
    at = app_test(PAGE)
    ranking, members = _ranking(at), _members(at)
    sums = members.groupby("小分队")["计入小分队"].sum()
    for name, total in zip(ranking["小分队"], ranking["得分合计"], strict=True):
        assert sums[name] == pytest.approx(total)


def test_advanced_and_disqualified_members_are_named(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    at = app_test(PAGE)
    expected = squads.squad_members(expected_con, demo_period, demo_settings)
    members = _members(at)
    assert len(members) == len(expected)
    shown = dict(zip(members["成员单位"], members["评定"], strict=True))
    for row in expected.itertuples(index=False):
        want = "先进队员" if row.is_advanced_member else ("取消评先评优资格" if row.is_disqualified else "")
        assert shown[row.unit_name] == want
    n_out = int(expected["is_disqualified"].sum())
    assert n_out > 0
    assert cards(at)["取消评先评优资格"].value == f"{n_out} 个单位"
    ranking = _ranking(at).set_index("小分队")
    for squad_name, part in expected.groupby("squad_name"):
        out = "、".join(part.loc[part["is_disqualified"], "unit_name"]) or "—"
        assert ranking.loc[squad_name, "取消评先评优资格"] == out


def test_station_compliance_and_days_on_post(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    compliance = squads.station_compliance(expected_con, demo_period)
    assert cards(at)["驻点达标月份"].value == f"{int(compliance['compliant'].sum())} / {len(compliance)} 个"
    matrix = dataframes_with(at, "驻点小分队", "2026-01")[0]
    cells = matrix.drop(columns="驻点小分队").to_numpy().ravel().tolist()
    assert sum(c.startswith("● 达标") for c in cells) == int(compliance["compliant"].sum())
    # Days on post straight from the station_reports table, the month of D included.
    raw = expected_con.execute(
        "SELECT member, month, days_on_post FROM station_reports WHERE month BETWEEN '2026-01' AND '2026-11'"
    ).fetchall()
    days = next(f.value for f in at.dataframe if "队员" in getattr(f.value, "columns", []))
    shown = days.set_index("队员")
    assert len(raw) > 0
    for member, month, value in raw:
        assert shown.loc[member, month] == value


def test_squad_filter_narrows_members_and_posts(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection
) -> None:
    chain, name = expected_con.execute(
        "SELECT squad_id, name FROM squads WHERE kind = 'industry_chain' ORDER BY squad_id LIMIT 1"
    ).fetchall()[0]
    at = app_test(PAGE)
    at.selectbox(key="squads_squad").set_value(chain).run()
    assert not at.exception
    assert set(_members(at)["小分队"]) == {name}
    assert len(_ranking(at)) > 1  # the ranking keeps every squad
    assert "暂无驻点小分队的驻点月报" in page_text(at)  # an industry-chain squad has no posts

    stationed, station_name = expected_con.execute(
        "SELECT squad_id, name FROM squads WHERE kind = 'stationed' ORDER BY squad_id LIMIT 1"
    ).fetchall()[0]
    at.selectbox(key="squads_squad").set_value(stationed).run()
    matrix = dataframes_with(at, "驻点小分队", "2026-01")[0]
    assert matrix["驻点小分队"].tolist() == [station_name]


def test_fresh_database_shows_what_to_do(
    app_test: AppFactory, empty_db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(empty_db_path))
    at = app_test(PAGE)
    assert not at.exception
    assert "尚无数据" in page_text(at)


def test_registry_board_is_what_the_page_reads(
    expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict
) -> None:
    """The page's board and §5 results agree on the demo county (registry only adds names)."""
    board = registry.squad_board(expected_con, demo_period, demo_settings)
    results = squads.squad_results(expected_con, demo_period, demo_settings)
    assert board["disqualified"].tolist() == ["、".join(r["disqualified"]) for r in results]
