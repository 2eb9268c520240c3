"""More projector screens: the county's year, the departments' race, and the 责任清单 / 进度清单.

Same rules as ``ui.projector``: figures come computed from ``analytics``; each function returns
one screen's HTML for 1920×1080, a status always as colour AND text.
"""

from __future__ import annotations

from html import escape
from typing import Any

import pandas as pd

from analytics.core.format import metric_value, percent, score
from analytics.core.labels import STATUS_COLOURS, STATUS_ICONS, STATUS_LABELS, metric_title
from analytics.documents.common import day, text
from ui.projector import AMBER, GREY, RED, award_tags, rows_html, tag


def _status(status: str | None) -> str:
    if not status:
        return "—"
    return tag(f"{STATUS_ICONS[status]} {STATUS_LABELS[status]}", STATUS_COLOURS[status])


def _value(text_value: str) -> str:
    """「6,821.93 万美元」: the number large, its unit smaller beside it — or under it when a tile is
    too narrow for both (five tiles across 1920 px leave no room for 20,296.86 万美元 on one line)."""
    number, _, unit = text_value.partition(" ")
    return (
        f'<span style="white-space:nowrap">{escape(number)}</span> '
        f'<span style="font-size:30px; white-space:nowrap">{escape(unit)}</span>'
    )


# The county screen's rows: a little tighter than the other screens' tables (still ≥ 30 px type).
COMPACT = "<style>.pj-compact .pj-table td {padding:3px 8px; font-size:32px;} .pj-compact .pj-tag {font-size:30px;}</style>"


def county_screen(sections: dict[str, list], conc: dict[str, Any], schedule: float) -> str:
    """全县目标: the headline indicators as tiles, every other county target as a row against
    时序进度, and the key industries' concentration (``overview.county_sections``,
    ``concentration.concentration``)."""
    tiles = "".join(
        f'<div class="pj-tile" style="border-color:{STATUS_COLOURS.get(e["status"], GREY)}">'
        f'<div class="pj-label" style="font-size:30px">{escape(metric_title(e["name_zh"]))}</div>'
        f'<div class="pj-mid" style="font-size:56px">{_value(metric_value(e["metric"], e["actual"]))}</div>'
        f'<div class="pj-sub">完成 {percent(e["completion"])} {_status(e["status"])}</div></div>'
        for e in sections["headline"]
    )
    conc_status = "met" if conc.get("met") else ("far_behind" if conc.get("met") is False else None)
    tiles += (
        f'<div class="pj-tile"><div class="pj-label" style="font-size:30px">重点产业集聚度</div>'
        f'<div class="pj-mid" style="font-size:56px">{percent(conc.get("headline"))}</div>'
        f'<div class="pj-sub">目标 ≥ {percent(conc.get("target"))}<br>'
        f"{_status(conc_status) if conc_status else ''}</div></div>"
    )
    entries = sections["projects"]
    half = (len(entries) + 1) // 2
    tables = []
    for part in (entries[:half], entries[half:]):
        rows = [
            [
                escape(e["name_zh"]),
                escape(metric_value(e["metric"], e["actual"])),
                percent(e["completion"]),
                _status(e["status"]),
            ]
            for e in part
        ]
        tables.append(
            f"<div>{rows_html(['目标任务', '完成', '完成率', '对照时序'], rows, {1, 2}, wrap={0})}</div>"
        )
    count = len(sections["headline"]) + len(entries)
    return (
        COMPACT + f'<div class="pj-sub" style="margin-bottom:10px">全县 {count} 项目标任务 · 时序进度 '
        f'<span style="color:{RED}; font-weight:800">{percent(schedule)}</span></div>'
        f'<div class="pj-grid" style="grid-template-columns:repeat({len(sections["headline"]) + 1},minmax(0,1fr))">'
        f"{tiles}</div>"
        f'<div class="pj-grid pj-compact" style="grid-template-columns:1fr 1fr; gap:40px; margin-top:14px">'
        f"{''.join(tables)}</div>"
    )


def department_race_screen(table: pd.DataFrame) -> str:
    """县直部门赛马: ``units.unit_table``'s departments in two columns, by rank."""
    part = table[table["group"] == "department"] if not table.empty else table
    if part.empty:
        return '<div class="pj-empty">尚无县直部门考核数据</div>'
    part = part.sort_values("rank", na_position="last")
    rows = [
        [
            str(int(r["rank"])) if pd.notna(r["rank"]) else "—",
            escape(r["name"]),
            score(r["score"]),
            award_tags(r["awards"]) + (tag("▲ 未过半", AMBER) if r["behind_half"] else ""),
        ]
        for _, r in part.iterrows()
    ]
    half = (len(rows) + 1) // 2
    columns = "".join(
        f"<div>{rows_html(['名次', '单位', '得分', ''], chunk, {2})}</div>"
        for chunk in (rows[:half], rows[half:])
    )
    return (
        COMPACT
        + f'<div class="pj-grid pj-compact" style="grid-template-columns:1fr 1fr; gap:60px">{columns}</div>'
    )


def responsibility_screen(frame: pd.DataFrame) -> str:
    """责任清单: per major project its leader in charge and units (``dispatch.three_lists``),
    projects with overdue problems first, then the largest."""
    if frame.empty:
        return '<div class="pj-empty">没有在建重大项目</div>'
    ordered = frame.sort_values(["overdue_problems", "total_investment_wan"], ascending=[False, False])
    shown = ordered.head(8)
    rows = [
        [
            escape(text(r["project_name"])),
            escape(text(r["leader_in_charge"]) or "—"),
            escape(text(r["unit_name"])),
            escape(text(r["township_name"])),
            (
                f"■ {int(r['overdue_problems'])} 超期"
                if r["overdue_problems"]
                else str(int(r["open_problems"]))
            ),
        ]
        for _, r in shown.iterrows()
    ]
    red = {i for i, v in enumerate(shown["overdue_problems"]) if v}
    return (
        f'<div class="pj-label">在建重大项目 {len(frame)} 个,有超期问题的在前,列出 {len(rows)} 个:</div>'
        + rows_html(["项目", "挂包县领导", "引进单位", "落户乡镇", "未办结问题"], rows, {4}, red, wrap={0})
    )


def progress_list_screen(frame: pd.DataFrame) -> str:
    """进度清单: per major project its 形象进度 (stage reached, with its date) and the funds arrived
    (``dispatch.three_lists``), the largest first."""
    if frame.empty:
        return '<div class="pj-empty">没有在建重大项目</div>'
    shown = frame.sort_values("total_investment_wan", ascending=False).head(8)

    def reached(r: pd.Series) -> str:
        for column in ("production_date", "commenced_date", "in_stats_date", "signed_date"):
            if pd.notna(r[column]):
                return f"{escape(text(r['stage']))}({day(r[column])})"
        return escape(text(r["stage"]))

    def yi(value_wan: float) -> str:  # one unit down the whole column: 亿元
        return f"{value_wan / 10000:,.2f} 亿元"

    rows = [
        [
            escape(text(r["project_name"])),
            yi(r["total_investment_wan"]),
            reached(r),
            yi(r["funds_wan"]),
            percent(r["funds_wan"] / r["total_investment_wan"]) if r["total_investment_wan"] else "—",
        ]
        for _, r in shown.iterrows()
    ]
    return f'<div class="pj-label">在建重大项目 {len(frame)} 个,投资最大的 {len(rows)} 个:</div>' + rows_html(
        ["项目", "总投资", "形象进度", "资金到位", "到位比例"], rows, {1, 3, 4}, wrap={0}
    )
