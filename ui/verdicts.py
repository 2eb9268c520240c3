"""The v2 verdict marks shared by the pages: names in red (未下达目标、未参与排名; 未考核), the
「并列」 note that the leading group decides, and the 预计 tag of figures that are provisional
until 12-31 (METRICS.md §4, §5, §6)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

import streamlit as st

from analytics.core.format import metric_value, percent, signed_percent
from analytics.core.period import Period
from ui.widgets import figure_card

RED = "#B3261E"
TIE_NOTE = (
    "得分和各项比较指标完全相同的并列同一名次;奖项、公开表态名额到并列处时并列者一并列入,由领导小组研究决定。"
)


def red_names(label: str, names: Iterable[str]) -> None:
    """``label:name、name`` in red and bold (drawn only when there is a name)."""
    shown = [escape(str(n)) for n in names]
    if shown:
        st.html(
            f'<div style="color:{RED};font-weight:600;font-size:1.05rem;margin:.25rem 0">'
            f"■ {escape(label)}:{'、'.join(shown)}</div>"
        )


def is_final(period: Period) -> bool:
    """A plan year's figures are final from its 12-31 on; before that they are 预计."""
    return period.is_year_end


def provisional_word(period: Period) -> str:
    """「预计」 before 12-31 of the plan year, else 「全年」."""
    return "全年" if is_final(period) else "预计"


# METRICS v2 §3: the trade card's verdict is ``above_city`` (进出口增幅高于全市平均水平).
ABOVE_CITY: dict[bool | None, tuple[str, str]] = {
    True: ("● 增幅高于全市平均", "#1E7B34"),
    False: ("■ 增幅未高于全市平均", RED),
    None: ("○ 暂无法与全市比较", "#5D6D7E"),
}


def trade_card(entry: dict[str, Any]) -> None:
    """The foreign-trade headline card: actual, YoY against the city's growth, and the verdict."""
    metric = entry["metric"]
    yoy = signed_percent(entry["yoy"]) if entry["yoy"] is not None else "—(上年同期为 0)"
    city = signed_percent(entry["city_growth"]) if entry["city_growth"] is not None else "未填报"
    lines = [f"同比 {yoy} · 全市平均 {city}", f"上年同期 {metric_value(metric, entry['previous'])}"]
    if entry["target"] is not None:
        lines.append(f"目标 {metric_value(metric, entry['target'])} · 完成 {percent(entry['completion'])}")
    label, colour = ABOVE_CITY[entry["above_city"]]
    figure_card("进出口总额", metric_value(metric, entry["actual"]), lines, label, colour)
