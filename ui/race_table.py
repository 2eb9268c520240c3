"""The 乡镇赛马 ranking table of one group (METRICS.md §4).

On screen every indicator fits a 1600 px window without scrolling: each indicator's 完成/目标 is one
text cell beside its completion rate (「—」 where there is no target), the columns have fixed pixel
widths and the headers are short. The Excel download keeps every figure in its own column under its
full name.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.core.format import DASH, count, percent, score
from ui.page import table, zh_frame

# metric, its name (the 完成/目标 column), its short name (the completion column: 「引进完成率」)
INDICATORS = (
    ("signed_projects", "项目引进", "引进"),
    ("in_stats_projects", "项目入统", "入统"),
    ("valid_leads", "有效信息", "信息"),
)
FLAGS = (
    ("behind_half", "未过半"),
    ("public_statement", "公开表态"),
    ("behind_schedule", "低于时序进度"),
)
UNRANKED = "未下达目标、未参与排名"
# A ranking is read whole: up to 24 units without scrolling inside the table (35 px a row).
ROW_HEIGHT = 35
MAX_ROWS = 24
NOTE = "「项目引进」「项目入统」「有效信息」三栏为 完成数/目标数。"

# The download: every figure in a column of its own.
DOWNLOAD_COLUMNS = {"rank": "名次", "tie": "并列", "name": "单位", "score": "得分"}
for _metric, _name, _ in INDICATORS:
    DOWNLOAD_COLUMNS |= {
        f"{_metric}_actual": f"{_name}完成",
        f"{_metric}_target": f"{_name}目标",
        f"{_metric}_completion": f"{_name}完成率",
    }
DOWNLOAD_COLUMNS |= {"awards_zh": "奖项", "flags": "提示"}
PERCENT_COLUMNS = tuple(c for c in DOWNLOAD_COLUMNS if c.endswith("_completion"))

# The screen: source column → (header, kind, width in px). The widths add up to 1,124 px, within the
# 1,138 px a table has in a 1600 px window beside the sidebar.
SCREEN: dict[str, tuple[str, str, int]] = {
    "rank_text": ("名次", "rate", 48),
    "tie": ("并列", "text", 44),
    "name": ("单位", "text", 128),
    "score_text": ("得分", "rate", 64),
}
for _metric, _name, _short in INDICATORS:
    SCREEN[f"{_metric}_done"] = (_name, "done", 70)
    SCREEN[f"{_metric}_rate"] = (f"{_short}完成率", "rate", 86)
SCREEN |= {"awards_zh": ("奖项", "text", 140), "flags": ("提示", "text", 232)}


def _column(header: str, kind: str, width: int) -> Any:
    if kind == "text":
        return st.column_config.TextColumn(header, width=width)
    if kind == "done":
        return st.column_config.TextColumn(header, width=width, help=f"{header}:完成数/目标数")
    if kind == "rate":
        return st.column_config.TextColumn(header, width=width, alignment="right")
    return st.column_config.NumberColumn(header, format=kind, width=width)


SCREEN_CONFIG = {header: _column(header, kind, width) for header, kind, width in SCREEN.values()}


def with_flags(members: pd.DataFrame) -> pd.DataFrame:
    """``flags``: the unit's mid-year and schedule marks in words (「未过半、低于时序进度」)."""
    out = members.copy()
    out["flags"] = [
        "、".join(word for column, word in FLAGS if row[column]) if pd.notna(row["score"]) else UNRANKED
        for _, row in out.iterrows()
    ]
    return out


def done_over_target(members: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's 「完成/目标」 as one text cell (「10/8」; 「1/—」 without a target) and its
    completion rate as text (「125.0%」; 「—」 where a target of 0 or none gives no rate); rank and
    score as text, 「—」 for a unit that is not ranked (no target)."""
    out = members.copy()
    out["rank_text"] = out["rank"].map(lambda r: DASH if pd.isna(r) else str(int(r)))
    out["score_text"] = out["score"].map(score)
    for metric, _, _ in INDICATORS:
        out[f"{metric}_done"] = [
            f"{count(a, '')}/{count(t, '')}"
            for a, t in zip(out[f"{metric}_actual"], out[f"{metric}_target"], strict=True)
        ]
        out[f"{metric}_rate"] = out[f"{metric}_completion"].map(percent)
    return out


def ranking_table(members: pd.DataFrame, *, key: str, filename: str) -> None:
    """The group's ranking: compact on screen, every figure in the download. ``members`` carries
    ``tie``, ``awards_zh`` and ``flags`` besides the unit table's columns."""
    shown = {source: header for source, (header, _, _) in SCREEN.items()}
    st.caption(NOTE)
    table(
        zh_frame(done_over_target(members), shown),
        key=key,
        filename=filename,
        columns=SCREEN_CONFIG,
        height=ROW_HEIGHT * (min(len(members), MAX_ROWS) + 1) + 3,
        download=zh_frame(members, DOWNLOAD_COLUMNS, percent=PERCENT_COLUMNS),
    )
