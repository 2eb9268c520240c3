"""The projector's 乡镇赛马 screen (``ui.projector.race_screen``) on hand-made rows: tied units show
并列 with the note that the leading group decides (METRICS v2 §4: "Units still equal share a rank
(1, 2, 2, 4) … Pages and documents show 并列 and say that the leading group decides"), and before
12-31 the awards are named 暂列第一 / 暂列末位 (issue 12: award names only from 12-31 on)."""

from __future__ import annotations

import pandas as pd

from ui.projector import race_screen
from ui.verdicts import TIE_NOTE


def _table() -> pd.DataFrame:
    # 一类乡镇: A 1.20 alone first; B and C 0.90 with equal tie-breakers → both rank 2 (1, 2, 2, 4);
    # D 0.50 last. 二类乡镇: E and F tied at the bottom, both snails (the limit admits all tied).
    rows = [
        ("A镇", "township_1", 1, False, 1.20, ["golden_horse", "advanced"]),
        ("B镇", "township_1", 2, True, 0.90, ["advanced"]),
        ("C镇", "township_1", 2, True, 0.90, ["advanced"]),
        ("D镇", "township_1", 4, False, 0.50, ["snail"]),
        ("E乡", "township_2", 1, True, 0.40, ["snail"]),
        ("F乡", "township_2", 1, True, 0.40, ["snail"]),
        ("县商务局", "department", 1, False, 1.0, []),
    ]
    return pd.DataFrame(
        [
            {"name": n, "group": g, "rank": r, "tied": t, "score": s, "awards": a, "behind_half": False}
            for n, g, r, t, s, a in rows
        ]
    ).astype({"rank": "Int64"})


def test_tied_units_show_bing_lie_and_the_leading_group_note() -> None:
    html = race_screen(_table(), provisional=True)
    assert html.count(">并列2<") == 2  # B镇 and C镇
    assert html.count(">并列1<") == 2  # E乡 and F乡
    assert ">1<" in html and ">4<" in html  # A镇 and D镇 alone: no 并列
    assert TIE_NOTE in html and "领导小组研究决定" in html


def test_before_year_end_the_awards_are_provisional() -> None:
    html = race_screen(_table(), provisional=True)
    assert html.count("★ 暂列第一") == 1
    assert html.count("▼ 暂列末位") == 3  # D镇, E乡, F乡
    assert html.count("✔ 暂列先进") == 2  # B镇, C镇 (A镇's golden horse stands for advanced)
    assert "骏马奖" not in html and "蜗牛奖" not in html and "12月31日前为暂列名次" in html


def test_at_year_end_the_awards_have_their_names() -> None:
    html = race_screen(_table(), provisional=False)
    assert html.count("★ 骏马奖") == 1 and html.count("▼ 蜗牛奖") == 3
    assert "暂列" not in html
    assert html.count(">并列2<") == 2  # ties stay ties at year end


def test_no_tie_no_note() -> None:
    table = _table()
    table = table[table["name"].isin(["A镇", "D镇"])]
    assert "并列" not in race_screen(table, provisional=False)
