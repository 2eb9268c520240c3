"""How the documents name ranks, awards and sanctions (METRICS v2): in-year documents say 暂列第一 /
暂列末位 and never an award name; 骏马奖, 蜗牛奖 and 先进单位 appear only from 12-31 on, in the
year-end account. Ties are said as 并列, with the rule that the leading group decides.
"""

from __future__ import annotations

import pandas as pd

from analytics.core.labels import AWARD_LABELS, PROVISIONAL_AWARD_LABELS
from analytics.core.period import Period

TIE_RULE = "并列者一并列入，由领导小组研究决定"
STATEMENT = "在县电视台作公开表态发言"
UNRANKED = "未下达目标、未参与排名"


def award_labels(period: Period) -> dict[str, str]:
    """Award code → words: the award names from 12-31 on, 暂列… before."""
    return AWARD_LABELS if period.is_year_end else PROVISIONAL_AWARD_LABELS


def awards_text(awards: list[str], period: Period) -> str:
    labels = award_labels(period)
    return "、".join(labels[a] for a in awards)


def advanced_member_word(period: Period) -> str:
    """The squads' advanced members: 先进队员 at year end, 暂列先进队员 before."""
    return "先进队员" if period.is_year_end else "暂列先进队员"


def unit_notes(row: pd.Series, period: Period) -> list[str]:
    """The 奖项/情形 notes of one unit row of ``units.unit_table``, in the documents' words."""
    if pd.isna(row["score"]):
        return [UNRANKED]
    notes = [awards_text(list(row["awards"]), period)] if len(row["awards"]) else []
    if row.get("tied"):
        notes.append("并列")
    if row["behind_half"]:
        notes.append("任务未过半")
    if row["public_statement"]:
        notes.append("县电视台公开表态")
    if row.get("behind_schedule"):
        notes.append("低于时序进度")
    return notes


def award_sentence(label: str, horses: list[str], snails: list[str], period: Period) -> str:
    """One class's first and last: 「…获骏马奖；…获蜗牛奖」 at year end, 「…暂列第一；…暂列末位」 before."""
    words = award_labels(period)
    first = "、".join(horses) or "无"
    last = "、".join(snails) or "无"
    if period.is_year_end:
        return f"{label}中，{first}获{words['golden_horse']}；{last}获{words['snail']}。"
    return f"{label}中，{first}{words['golden_horse']}；{last}{words['snail']}（年度奖项于12月31日评定）。"
