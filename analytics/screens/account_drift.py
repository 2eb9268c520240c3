"""What a report computed on today's data would change in a signed one (the year-end account's
drift warning): ranks, scores, completion, awards, squads, the reward total and the forfeited deposits."""

from __future__ import annotations

from typing import Any

from analytics.core.labels import AWARD_LABELS


def rank_text(rank: int | None, tied: bool) -> str:
    if rank is None:
        return "未排名"
    return f"并列{rank}" if tied else str(rank)


def _score(value: float | None) -> str:
    return "未排名" if value is None else f"{value:.2f}"


def report_changes(
    signed: dict[str, Any], live: dict[str, Any], units: dict[str, str], squads: dict[str, str]
) -> list[str]:
    """What the live report would change in the signed one: ranks, scores, completion, awards, squads,
    reward and deposit totals. Empty when the results are the same."""
    lines: list[str] = []
    old_units = {u["unit_id"]: u for u in signed.get("units", [])}
    for u in live.get("units", []):
        before = old_units.get(u["unit_id"])
        name = units.get(u["unit_id"], u["unit_id"])
        if before is None:
            lines.append(f"{name}:签署时未列入,现名次 {rank_text(u.get('rank'), False)}")
            continue
        parts = []
        if before.get("rank") != u.get("rank"):
            parts.append(f"名次 {rank_text(before.get('rank'), False)} → {rank_text(u.get('rank'), False)}")
        if _score(before.get("score")) != _score(u.get("score")):
            parts.append(f"得分 {_score(before.get('score'))} → {_score(u.get('score'))}")
        if before.get("completed") != u.get("completed"):
            parts.append(
                f"{'完成' if before.get('completed') else '未完成'} → {'完成' if u.get('completed') else '未完成'}"
            )
        if before.get("awards", []) != u.get("awards", []):
            old = "、".join(AWARD_LABELS[a] for a in before.get("awards", [])) or "无"
            new = "、".join(AWARD_LABELS[a] for a in u.get("awards", [])) or "无"
            parts.append(f"奖项 {old} → {new}")
        if parts:
            lines.append(f"{name}:" + ";".join(parts))
    old_squads = {s["squad_id"]: s for s in signed.get("squads", [])}
    for s in live.get("squads", []):
        before = old_squads.get(s["squad_id"], {})
        if before.get("rank") != s.get("rank") or before.get("completed") != s.get("completed"):
            lines.append(
                f"{squads.get(s['squad_id'], s['squad_id'])}:名次 {before.get('rank')} → {s.get('rank')},"
                f"{'完成' if s.get('completed') else '未完成'}"
            )
    old_total = float(signed.get("rewards", {}).get("total", 0))
    new_total = float(live.get("rewards", {}).get("total", 0))
    if abs(old_total - new_total) > 1e-9:
        lines.append(f"奖励合计 {old_total:,.2f} 万元 → {new_total:,.2f} 万元")
    old_dep = (signed.get("deposits") or {}).get("forfeited_yuan")
    new_dep = (live.get("deposits") or {}).get("forfeited_yuan")
    if old_dep != new_dep:
        lines.append(f"不予退还的责任金 {old_dep or 0:,.0f} 元 → {new_dep or 0:,.0f} 元")
    return lines
