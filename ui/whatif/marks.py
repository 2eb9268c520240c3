"""Change marks shared by the result panels: ▲/▼ arrows in words, 达标 words, award names."""

from __future__ import annotations

from analytics.core.format import percent
from analytics.core.labels import AWARD_LABELS

UP, DOWN, SAME = "#1E7B34", "#B3261E", "#5D6D7E"


def arrow(before: float | None, after: float | None, fmt=percent) -> str:
    """▲/▼ with 由…变为… — the change as text, so it never depends on colour alone."""
    if before == after:
        return "— 无变化"
    if before is None or after is None:
        return f"由 {fmt(before)} 变为 {fmt(after)}"
    return f"{'▲' if after > before else '▼'} 由 {fmt(before)} 变为 {fmt(after)}"


def met_word(met: bool | None) -> str:
    return {True: "达标", False: "未达标"}.get(met, "无基数")


def awards_text(a: list[str]) -> str:
    return "、".join(AWARD_LABELS[x] for x in a) or "—"
