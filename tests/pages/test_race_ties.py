"""乡镇赛马 page on a hand-made county with a tie and a unit without targets (METRICS v2 §4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.data.store import open_database
from tests.metrics_fixtures import add_industry, add_project, add_unit, add_unit_targets
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import cards, dataframes_with, html_bodies, page_text

PAGE = "app_pages/race.py"


@pytest.fixture
def tie_county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Class 1: t01 and t02 each sign one 1,000 万元 project of a target of 2 (completion 0.5, score
    100 × 0.4 × 0.5 / 0.4 = 50), equal on every tie-breaker and on signed investment → both rank 1,
    tied; t03 signs nothing (score 0, rank 3); t04 has no target → unranked, listed in red."""
    path = tmp_path / "tie.duckdb"
    con = open_database(path)
    add_industry(con, "i1")
    for unit, name in (("t01", "东岭镇"), ("t02", "西岭镇"), ("t03", "南岭镇"), ("t04", "北岭镇")):
        add_unit(con, unit, name=name, township_class="1")
    for unit in ("t01", "t02", "t03"):
        add_unit_targets(con, 2026, unit, 2, None, None)
    add_project(con, "p1", "2026-03-02", unit="t01", total=1000)
    add_project(con, "p2", "2026-04-02", unit="t02", total=1000)
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


def test_tie_is_shown_with_the_rule_and_unranked_unit_in_red(app_test: AppFactory, tie_county: Path) -> None:
    at = app_test(PAGE, global_year=2026, global_as_of=date(2026, 10, 15))
    assert not at.exception
    table = dataframes_with(at, "名次", "单位", "得分")[0].set_index("单位")
    assert table.loc["东岭镇", "名次"] == "1" and table.loc["西岭镇", "名次"] == "1"
    assert table.loc["东岭镇", "并列"] == "并列" and table.loc["西岭镇", "并列"] == "并列"
    assert table.loc["南岭镇", "名次"] == "3" and table.loc["南岭镇", "并列"] == ""
    assert table.loc["东岭镇", "得分"] == "50.00"
    # the unit without targets is not ranked: a dash, never None
    assert (table.loc["北岭镇", "名次"], table.loc["北岭镇", "得分"]) == ("—", "—")
    text = page_text(at)
    assert "第 1 名 东岭镇、西岭镇" in text and "由领导小组研究决定" in text
    red = [b for b in html_bodies(at) if "未下达目标、未参与排名" in b]
    assert red and "北岭镇" in red[0] and "#B3261E" in red[0]
    assert table.loc["北岭镇", "提示"] == "未下达目标、未参与排名"
    # In October the last place is 暂列末位, never the award's name.
    assert table.loc["南岭镇", "奖项"] == "暂列末位"
    assert "蜗牛奖" not in "".join(table["奖项"])


def test_group_leader_card_names_every_unit_tied_first(app_test: AppFactory, tie_county: Path) -> None:
    """The card above the tabs: both units at rank 1 (score 50, worked out above), the tie said, and
    in-year the word 暂列第一; at 12-31 the word 第一名."""
    at = app_test(PAGE, global_year=2026, global_as_of=date(2026, 10, 15))
    leaders = [card for title, card in cards(at).items() if title.startswith("一类乡镇")]
    assert len(leaders) == 1
    card = leaders[0]
    assert card.title == "一类乡镇 暂列第一" and card.value == "东岭镇、西岭镇"
    assert card.lines == ("得分 50.00 · 2 个单位并列",)
    at = app_test(PAGE, global_year=2026, global_as_of=date(2026, 12, 31))
    assert "一类乡镇 第一名" in cards(at) and not any("暂列" in title for title in cards(at))
