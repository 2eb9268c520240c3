"""The v2 verdict marks shared by the pages: names in red (未下达目标、未参与排名; 未考核), the
「并列」 note that the leading group decides, and the 预计 tag of figures that are provisional
until 12-31 (METRICS.md §4, §5, §6)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape

import streamlit as st

from analytics.core.period import Period

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
    return period.as_of >= date(period.year, 12, 31)


def provisional_word(period: Period) -> str:
    """「预计」 before 12-31 of the plan year, else 「全年」."""
    return "全年" if is_final(period) else "预计"
