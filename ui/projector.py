"""The dispatch meeting's projector screens: big-type CSS and one HTML builder per screen.

Built for a 1920×1080 projector: very large type, a status always as colour AND text. Each
``*_screen`` function takes figures already computed by ``analytics`` and returns the screen's HTML;
it computes nothing itself.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

import pandas as pd

from analytics.core.format import count, money_as, money_unit, percent, score, usd_wan
from analytics.core.labels import AWARD_LABELS, PROVISIONAL_AWARD_LABELS
from analytics.documents.common import day, text
from ui.verdicts import TIE_NOTE

RED, AMBER, GREEN, GREY, INK = "#B3261E", "#9A6200", "#1E7B34", "#4A5668", "#111820"

# The meeting's controls under the screen (the dispatch page's widget keys: dispatch_prev,
# dispatch_next, dispatch_auto, dispatch_interval), sized for the projector like the screen itself:
# 32 px type, 64 px high buttons and box, the 自动翻页 switch drawn twice its size.
CONTROLS_CSS = """
.st-key-dispatch_prev button, .st-key-dispatch_next button {min-height:64px;}
.st-key-dispatch_prev button p, .st-key-dispatch_next button p {font-size:32px; font-weight:700;}
.st-key-dispatch_auto label {align-items:center;}
.st-key-dispatch_auto label > div:not([data-testid="stWidgetLabel"]) {transform:scale(2.2);
  transform-origin:left center; margin-right:44px; border-radius:999px; box-shadow:0 0 0 1px #4A5668;}
.st-key-dispatch_auto [data-testid="stWidgetLabel"] p {font-size:32px; font-weight:700; line-height:64px;}
.st-key-dispatch_interval [role="group"] {min-height:64px;}
.st-key-dispatch_interval input {font-size:32px !important; font-weight:700;}
.st-key-dispatch_interval svg {width:36px; height:36px;}
"""

CSS = f"""<style>
[data-testid="stMainBlockContainer"] {{padding-top: 1.2rem; padding-bottom: 0.5rem; max-width: 100%;}}
.pj-head {{display:flex; justify-content:space-between; align-items:baseline; border-bottom:6px solid {RED};
  padding-bottom:8px; margin-bottom:18px;}}
.pj-title {{font-size:64px; font-weight:800; color:{INK}; line-height:1.1;}}
.pj-meta {{font-size:32px; color:{GREY}; font-weight:600;}}
.pj-grid {{display:grid; gap:22px;}}
.pj-tile {{border:3px solid #C9D1DC; border-radius:10px; padding:14px 22px; background:#FFFFFF;}}
.pj-label {{font-size:38px; font-weight:700; color:{INK};}}
.pj-big {{font-size:120px; font-weight:800; line-height:1.05; color:{INK}; white-space:nowrap;}}
.pj-mid {{font-size:72px; font-weight:800; line-height:1.1; color:{INK};}}
.pj-sub {{font-size:34px; color:{GREY}; font-weight:600;}}
.pj-tag {{display:inline-block; font-size:34px; font-weight:800; color:#FFFFFF; border-radius:8px;
  padding:2px 16px; margin:4px 8px 4px 0;}}
.pj-table {{width:100%; border-collapse:collapse; font-size:36px; color:{INK};}}
.pj-table th {{text-align:left; font-size:30px; color:{GREY}; border-bottom:3px solid {INK}; padding:6px 10px;}}
.pj-table td {{border-bottom:2px solid #D5DBE3; padding:8px 10px; font-weight:600; white-space:nowrap;}}
.pj-table td.wrap {{white-space:normal;}}
.pj-table td.num, .pj-table th.num {{text-align:right; font-variant-numeric: tabular-nums;}}
.pj-red td {{color:{RED};}}
.pj-unit {{font-size:52px; font-weight:700; margin-left:10px; white-space:nowrap;}}
.pj-huge {{font-size:128px; font-weight:800; line-height:1.05; color:{INK};}}
{CONTROLS_CSS}
.pj-empty {{font-size:48px; color:{GREY}; padding:80px 0; text-align:center;}}
</style>"""


# Projector mode: nothing but the screen (no header bar, no sidebar or its toggle).
PROJECTOR_CSS = """<style>
header[data-testid="stHeader"], section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {display: none !important;}
</style>"""


def tag(text: str, colour: str) -> str:
    return f'<span class="pj-tag" style="background:{colour}">{escape(text)}</span>'


def big(text: str) -> str:
    """A figure with its unit: "1.19 亿元" → the number in big type, the unit smaller beside it."""
    number, _, unit = text.partition(" ")
    return f'{escape(number)}<span class="pj-unit">{escape(unit)}</span>' if unit else escape(text)


def rows_html(
    header: list[str],
    rows: list[list[str]],
    numeric: set[int],
    red: set[int] = frozenset(),
    wrap: set[int] = frozenset(),
) -> str:
    """A big-type table; ``rows`` hold HTML already escaped; ``red`` rows printed red; only the ``wrap``
    columns (long names) may break across lines."""
    # A number column's header is right-aligned like its numbers, so each heads its own column.
    head = "".join(
        f'<th class="{"num" if j in numeric else ""}">{escape(h)}</th>' for j, h in enumerate(header)
    )
    body = "".join(
        f'<tr class="{"pj-red" if i in red else ""}">'
        + "".join(
            f'<td class="{"num" if j in numeric else ("wrap" if j in wrap else "")}">{c}</td>'
            for j, c in enumerate(row)
        )
        + "</tr>"
        for i, row in enumerate(rows)
    )
    return f'<table class="pj-table"><tr>{head}</tr>{body}</table>'


def header(title: str, week_label: str, index: int, screens: int) -> str:
    """The screen's title bar: its topic, the dispatch week and which screen of how many."""
    return (
        f'<div class="pj-head"><div class="pj-title">{escape(title)}</div>'
        f'<div class="pj-meta">本周 {week_label} · 第 {index + 1}/{screens} 屏</div></div>'
    )


def _tile_format(kind: str, count_unit: str, values: list[float]) -> Callable[[float], str]:
    """How a 本周数据 tile writes its figures: counts with their unit; amounts all in one unit
    (0.20 亿元 beside 上周 1.08 亿元, never 1,972 万元 beside 1.08 亿元), whole 万元 below 1 亿."""
    if kind != "wan":
        return lambda value: count(value, count_unit)
    unit = money_unit(values)
    return lambda value: money_as(value, unit, 2 if unit == "亿元" else 0)


def week_screen(numbers: pd.DataFrame) -> str:
    """本周数据: ``dispatch.week_in_numbers`` as tiles, this week against last week."""
    numbers = numbers.set_index("metric")
    tiles = []
    for metric, unit in (
        ("signed_projects", "个"),
        ("in_stats_projects", "个"),
        ("commenced_projects", "个"),
        ("produced_projects", "个"),
        ("new_leads", "条"),
        ("funds_wan", ""),
    ):
        row = numbers.loc[metric]
        now, before, change = row["this_period"], row["last_period"], row["change"]
        fmt = _tile_format(row["kind"], unit, [now, before, change])
        arrow = ("▲ 增加 " if change > 0 else "▼ 减少 ") + (fmt(abs(change))) if change else "● 与上周持平"
        colour = GREEN if change > 0 else (RED if change < 0 else GREY)
        tiles.append(
            f'<div class="pj-tile"><div class="pj-label">{escape(row["label"])}</div>'
            f'<div class="pj-big">{big(fmt(now))}</div>'
            f'<div class="pj-sub">上周 {escape(fmt(before))}　'
            f'<b style="color:{colour}">{escape(arrow)}</b></div></div>'
        )
    fdi = numbers.loc["fdi_usd_wan"]
    foot = (
        f'<div class="pj-sub" style="margin-top:14px">实际利用外资：本周 {usd_wan(fdi["this_period"])}，'
        f"上周 {usd_wan(fdi['last_period'])}</div>"
    )
    return f'<div class="pj-grid" style="grid-template-columns:repeat(3,1fr)">{"".join(tiles)}</div>{foot}'


def landing_screen(rates: list[dict[str, Any]], gaps: list[dict[str, Any]]) -> str:
    """9865 进度: ``landing.landing_rates`` per cohort against target, and ``landing.landing_gap``."""
    tiles = []
    for entry in rates:
        parts = []
        for key, name in (("commencement", "开工率"), ("production", "投产率")):
            met = entry[f"{key}_met"]
            status = (
                tag("未有项目", GREY)
                if met is None
                else (tag("✔ 达标", GREEN) if met else tag("✘ 未达标", RED))
            )
            parts.append(
                f'<div><div class="pj-label">{name}</div><div class="pj-huge">{percent(entry[f"{key}_rate"])}</div>'
                f'<div class="pj-sub">目标 {percent(entry[f"{key}_target"])}　{status}</div></div>'
            )
        tiles.append(
            f'<div class="pj-tile"><div class="pj-mid">{entry["cohort"]} 年签约 {entry["base"]} 个'
            f'<span class="pj-sub" style="white-space:nowrap; margin-left:12px">'
            f"(已核销 {entry['written_off']} 个)</span></div>"
            f'<div class="pj-grid" style="grid-template-columns:1fr 1fr">{"".join(parts)}</div>'
            f'<div class="pj-sub">已开工 {entry["commenced"]} 个 · 已投产 {entry["produced"]} 个</div></div>'
        )
    need = "　".join(
        f"{g['cohort']} 年：还需开工 {g['commencements_needed']} 个、投产 {g['productions_needed']} 个"
        for g in gaps
    )
    return (
        f'<div class="pj-grid" style="grid-template-columns:1fr 1fr">{"".join(tiles)}</div>'
        f'<div class="pj-label" style="margin-top:18px">{escape(need)}</div>'
    )


def award_tags(awards: list[str], provisional: bool = False) -> str:
    """Award tags; the golden horse is also an advanced unit, so only the others show 先进单位.
    ``provisional`` (before 12-31): the in-year words 暂列第一 / 暂列先进 / 暂列末位."""
    names = PROVISIONAL_AWARD_LABELS if provisional else AWARD_LABELS
    marks = {"golden_horse": ("★", "#8A6500"), "advanced": ("✔", GREEN), "snail": ("▼", RED)}
    shown = [a for a in awards if a in marks and not (a == "advanced" and "golden_horse" in awards)]
    return "".join(tag(f"{marks[a][0]} {names[a]}", marks[a][1]) for a in shown)


def rank_text(rank: Any, tied: bool) -> str:
    """「3」, or 「并列3」 for a unit sharing its rank (METRICS v2 §4); 「—」 without a rank."""
    if pd.isna(rank):
        return "—"
    return f"并列{int(rank)}" if tied else str(int(rank))


def race_screen(table: pd.DataFrame, provisional: bool = False) -> str:
    """乡镇赛马: ``units.unit_table`` for the two township groups side by side. Tied units show
    并列 with the note that the leading group decides; ``provisional`` (before 12-31) names the
    awards 暂列第一 / 暂列先进 / 暂列末位."""
    if table.empty:
        return '<div class="pj-empty">尚无考核单位数据</div>'
    columns = []
    townships = table[table["group"].isin(["township_1", "township_2"])]
    for group, label in (("township_1", "一类乡镇"), ("township_2", "二类乡镇")):
        part = townships[townships["group"] == group]
        rows = [
            [
                rank_text(r["rank"], bool(r.get("tied", False))),
                escape(r["name"]),
                score(r["score"]),
                award_tags(r["awards"], provisional)
                + (tag("▲ 任务未过半", AMBER) if r["behind_half"] else ""),
            ]
            for _, r in part.iterrows()
        ]
        columns.append(
            f'<div><div class="pj-mid">{label}</div>'
            f"{rows_html(['名次', '单位', '得分', ''], rows, {2})}</div>"
        )
    notes = []
    if "tied" in townships and townships["tied"].fillna(False).astype(bool).any():
        notes.append(f"并列:{TIE_NOTE}")
    if provisional:
        notes.append("12月31日前为暂列名次,奖项以年度总账为准。")
    style = "font-size:30px;margin-top:14px"
    note = "".join(f'<div class="pj-label" style="{style}">{escape(n)}</div>' for n in notes)
    grid = '<div class="pj-grid" style="grid-template-columns:1fr 1fr; gap:60px">'
    return f"{grid}{''.join(columns)}</div>{note}"


def squad_screen(results: list[dict[str, Any]], squads: pd.DataFrame, units: pd.DataFrame) -> str:
    """招商小分队: ``squads.squad_results`` with the squads' and units' names from the catalog."""
    if not results:
        return '<div class="pj-empty">尚无产业链招商小分队</div>'
    names = squads.set_index("squad_id")["name"]
    unit_names = units.set_index("unit_id")["name"]
    rows = []
    for s in results:
        status = tag("✔ 全部完成", GREEN) if s["completed"] else tag("✘ 未完成", RED)
        rows.append(
            [
                str(s["rank"]),
                escape(names.get(s["squad_id"], s["squad_id"])),
                score(s["score"]),
                status,
                escape("、".join(unit_names.get(u, u) for u in s["disqualified"]) or "—"),
            ]
        )
    return rows_html(["名次", "小分队", "总得分", "完成情况", "取消评先评优资格"], rows, {2}, wrap={1, 4})


def lists_screen(lists: dict[str, pd.DataFrame], resolved: pd.DataFrame) -> str:
    """重大项目三张清单: ``dispatch.three_lists`` counts and open problems by unit, plus
    ``dispatch.resolved_this_week``."""
    problems, by_unit = lists["problems"], lists["by_unit"]
    overdue = int(problems["is_overdue"].sum()) if len(problems) else 0
    tiles = (
        f'<div class="pj-tile"><div class="pj-label">未办结问题</div><div class="pj-big">{len(problems)}</div></div>'
        f'<div class="pj-tile" style="border-color:{RED}"><div class="pj-label" style="color:{RED}">■ 其中超期</div>'
        f'<div class="pj-big" style="color:{RED}">{overdue}</div></div>'
        f'<div class="pj-tile"><div class="pj-label">本周办结</div><div class="pj-big" style="color:{GREEN}">'
        f"{len(resolved)}</div></div>"
        f'<div class="pj-tile"><div class="pj-label">在建重大项目</div><div class="pj-big">'
        f"{len(lists['progress'])}</div></div>"
    )
    rows = [
        [
            escape(text(r["unit_name"])),
            str(r["open"]),
            (f"■ {r['overdue']} 超期" if r["overdue"] else "0"),
            day(r["earliest_due"]),
        ]
        for _, r in by_unit.head(7).iterrows()
    ]
    red = {i for i, (_, r) in enumerate(by_unit.head(7).iterrows()) if r["overdue"]}
    table = rows_html(["责任单位（问题清单）", "未办结", "超期", "最早办结时限"], rows, {1, 2}, red)
    return (
        f'<div class="pj-grid" style="grid-template-columns:repeat(4,1fr)">{tiles}</div>'
        f'<div style="margin-top:18px">{table if rows else ""}</div>'
    )


def laggard_screen(rows_df: pd.DataFrame) -> str:
    """滞后项目: ``landing.laggards``, the earliest signed first."""
    if rows_df.empty:
        return '<div class="pj-empty">没有签约未开工的项目</div>'
    rows = [
        [
            escape(r["project_name"]),
            escape(text(r["unit_name"])),
            day(r["signed_date"]),
            f"{int(r['days_since_signed'])} 天",
        ]
        for _, r in rows_df.head(8).iterrows()
    ]
    return (
        f'<div class="pj-label">签约未开工项目 <span style="color:{RED}; font-size:72px">{len(rows_df)}</span> 个，'
        f"签约最早的 {len(rows)} 个：</div>"
        + rows_html(["项目", "引进单位", "签约日期", "已签约"], rows, {3}, wrap={0})
    )


def _clipped(value: str, limit: int) -> str:
    """A long text cut to ``limit`` characters with an ellipsis (one projector line)."""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _waiting(row: pd.Series) -> str:
    """The step a project waits on, with its days overdue (planned) or waited (no plan)."""
    step = row["next_step"].split("(")[0]
    if pd.notna(row["days_overdue"]):
        return f"{step} 超期 {int(row['days_overdue'])} 天"
    return f"{step} 已等 {int(row['days_waited'])} 天" if pd.notna(row["days_waited"]) else step


def progress_screen(frame: pd.DataFrame) -> str:
    """项目推进: ``progress.red_yellow_by_stage``, red and yellow projects by stage, each with what
    the meeting decided on it last week."""
    if frame.empty:
        return '<div class="pj-empty">没有红灯、黄灯项目</div>'
    reds, yellows = int((frame["light"] == "red").sum()), int((frame["light"] == "yellow").sum())
    lights = {"red": tag("■ 红灯", RED), "yellow": tag("▲ 黄灯", AMBER)}
    shown = frame.head(5)
    rows = [
        [
            lights[r["light"]],
            escape(r["stage"]),
            escape(_clipped(r["project_name"], 14)),
            escape(_waiting(r)),
            escape(text(r["leader_in_charge"])),
            escape(_clipped(r["decided_last_week"], 24) or "—"),
        ]
        for _, r in shown.iterrows()
    ]
    red_rows = {i for i, light in enumerate(shown["light"]) if light == "red"}
    return (
        f'<div class="pj-label">红灯 <span style="color:{RED}; font-size:72px">{reds}</span> 个 · '
        f'黄灯 <span style="color:{AMBER}; font-size:72px">{yellows}</span> 个,按阶段列出前 {len(rows)} 个:</div>'
        + rows_html(
            ["灯", "阶段", "项目", "等待环节", "挂包县领导", "上周调度决定"],
            rows,
            set(),
            red_rows,
            wrap={2, 3, 5},
        )
    )


def last_meeting_screen(items: pd.DataFrame, last_week_label: str) -> str:
    """上次调度事项落实: ``dispatch.last_meeting_items``, what became of last week's problems."""
    if items.empty:
        return f'<div class="pj-empty">上周（{last_week_label}）没有提出新问题</div>'
    outcome_tags = {
        "已办结": tag("✔ 已办结", GREEN),
        "超期未办结": tag("■ 超期未办结", RED),
        "未到期办理中": tag("▲ 办理中", AMBER),
    }
    rows = [
        [
            escape(r["project_name"]),
            escape(r["description"]),
            escape(text(r["responsible_unit_name"])),
            day(r["due_date"]),
            outcome_tags[r["outcome"]],
        ]
        for _, r in items.head(7).iterrows()
    ]
    done = int((items["outcome"] == "已办结").sum())
    return (
        f'<div class="pj-label">上周（{last_week_label}）提出 {len(items)} 项，已办结 {done} 项</div>'
        + rows_html(["项目", "问题", "责任单位", "办结时限", "落实情况"], rows, set(), wrap={0, 1})
    )
