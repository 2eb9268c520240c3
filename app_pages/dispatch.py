"""调度会投屏: the weekly dispatch meeting on a 1920×1080 projector, one topic per screen.

Open as ``/dispatch?mode=projector&screen=N``. Very large type, a status always as colour AND
text, previous/next buttons, and an optional auto-advance timer. Every figure comes from
``analytics`` (dispatch, landing, units, squads); this page only lays them out.
"""

from __future__ import annotations

import time
from html import escape

import pandas as pd
import streamlit as st

from analytics import catalog, dispatch, landing, squads, units
from analytics.documents.common import day, text
from ui.format import count, money, money_short, percent, score, usd_wan
from ui.frame import current_settings, is_projector_mode, load, sidebar_choices

SCREENS = (
    "本周数据",
    "9865 进度",
    "乡镇赛马",
    "招商小分队",
    "重大项目三张清单",
    "滞后项目",
    "上次调度事项落实",
)
RED, AMBER, GREEN, GREY, INK = "#B3261E", "#9A6200", "#1E7B34", "#4A5668", "#111820"
SCREEN_KEY, AUTO_KEY, INTERVAL_KEY, TICK_KEY = (
    "dispatch_screen",
    "dispatch_auto",
    "dispatch_interval",
    "dispatch_tick",
)

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
.pj-table td.num {{text-align:right; font-variant-numeric: tabular-nums;}}
.pj-red td {{color:{RED};}}
.pj-unit {{font-size:52px; font-weight:700; margin-left:10px; white-space:nowrap;}}
.pj-huge {{font-size:128px; font-weight:800; line-height:1.05; color:{INK};}}
[data-testid="stMainBlockContainer"] button p, [data-testid="stMainBlockContainer"] label p {{font-size:24px;}}
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
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
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


def week_screen() -> str:
    numbers = load(dispatch.week_in_numbers, period, settings).set_index("metric")
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
        fmt = money_short if row["kind"] == "wan" else (lambda v, u=unit: count(v, u))
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


def landing_screen() -> str:
    tiles = []
    for entry in load(landing.landing_rates, period, settings):
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
                f'<div class="pj-sub">目标 {percent(entry[f"{key}_target"], 0)}　{status}</div></div>'
            )
        tiles.append(
            f'<div class="pj-tile"><div class="pj-mid">{entry["cohort"]} 年签约 {entry["base"]} 个</div>'
            f'<div class="pj-grid" style="grid-template-columns:1fr 1fr">{"".join(parts)}</div>'
            f'<div class="pj-sub">已开工 {entry["commenced"]} 个 · 已投产 {entry["produced"]} 个</div></div>'
        )
    gaps = load(landing.landing_gap, period, settings)
    need = "　".join(
        f"{g['cohort']} 年：还需开工 {g['commencements_needed']} 个、投产 {g['productions_needed']} 个"
        for g in gaps
    )
    return (
        f'<div class="pj-grid" style="grid-template-columns:1fr 1fr">{"".join(tiles)}</div>'
        f'<div class="pj-label" style="margin-top:18px">{escape(need)}</div>'
    )


def award_tags(awards: list[str]) -> str:
    labels = {"golden_horse": ("★ 骏马奖", "#8A6500"), "snail": ("▼ 蜗牛奖", RED)}
    return "".join(tag(*labels[a]) for a in awards if a in labels)


def race_screen() -> str:
    table = load(units.unit_table, period, settings)
    if table.empty:
        return '<div class="pj-empty">尚无考核单位数据</div>'
    columns = []
    for group, label in (("township_1", "一类乡镇"), ("township_2", "二类乡镇")):
        part = table[table["group"] == group]
        rows = [
            [
                str(r["rank"]) if pd.notna(r["rank"]) else "—",
                escape(r["name"]),
                score(r["score"]),
                award_tags(r["awards"]) + (tag("▲ 任务未过半", AMBER) if r["behind_half"] else ""),
            ]
            for _, r in part.iterrows()
        ]
        columns.append(
            f'<div><div class="pj-mid">{label}</div>'
            f"{rows_html(['名次', '单位', '得分', ''], rows, {2})}</div>"
        )
    return f'<div class="pj-grid" style="grid-template-columns:1fr 1fr; gap:60px">{"".join(columns)}</div>'


def squad_screen() -> str:
    results = load(squads.squad_results, period, settings)
    if not results:
        return '<div class="pj-empty">尚无产业链招商小分队</div>'
    names = load(catalog.squads).set_index("squad_id")["name"]
    unit_names = load(catalog.units).set_index("unit_id")["name"]
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


def lists_screen() -> str:
    lists = load(dispatch.three_lists, period, settings)
    problems, by_unit = lists["problems"], lists["by_unit"]
    resolved = load(dispatch.resolved_this_week, period, settings)
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


def laggard_screen() -> str:
    rows_df = load(landing.laggards, period)
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


def last_meeting_screen() -> str:
    items = load(dispatch.last_meeting_items, period, settings)
    _, last_week = dispatch.dispatch_weeks(period.as_of)
    if items.empty:
        return f'<div class="pj-empty">上周（{last_week.label}）没有提出新问题</div>'
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
        f'<div class="pj-label">上周（{last_week.label}）提出 {len(items)} 项，已办结 {done} 项</div>'
        + rows_html(["项目", "问题", "责任单位", "办结时限", "落实情况"], rows, set(), wrap={0, 1})
    )


RENDER = (
    week_screen,
    landing_screen,
    race_screen,
    squad_screen,
    lists_screen,
    laggard_screen,
    last_meeting_screen,
)


def go_to(index: int) -> None:
    st.session_state[SCREEN_KEY] = index % len(SCREENS)
    st.session_state[TICK_KEY] = time.monotonic()
    st.query_params["screen"] = str(st.session_state[SCREEN_KEY] + 1)


# The global choices, from the URL when this session has none yet (a deep link straight to the
# projector); sets nothing that is already chosen and draws nothing.
period = sidebar_choices(show=False).period
settings = current_settings()
st.html(CSS)
if is_projector_mode():
    st.html(PROJECTOR_CSS)
if SCREEN_KEY not in st.session_state:
    wanted = st.query_params.get("screen", "1")
    st.session_state[SCREEN_KEY] = (
        (int(wanted) - 1) % len(SCREENS) if wanted.isdigit() and wanted != "0" else 0
    )
    st.session_state[TICK_KEY] = time.monotonic()
index = st.session_state[SCREEN_KEY]
this_week, _ = dispatch.dispatch_weeks(period.as_of)
st.html(
    f'<div class="pj-head"><div class="pj-title">{escape(SCREENS[index])}</div>'
    f'<div class="pj-meta">本周 {this_week.label} · 第 {index + 1}/{len(SCREENS)} 屏</div></div>'
)
try:
    st.html(RENDER[index]())
except Exception:  # never a traceback on the projector
    st.error("本屏数据暂时无法显示，请检查数据后刷新。")

back, forward, auto, interval, hint = st.columns([1, 1, 1.2, 1.2, 3], vertical_alignment="center")
back.button("◀ 上一屏", on_click=go_to, args=(index - 1,), width="stretch", key="dispatch_prev")
forward.button("下一屏 ▶", on_click=go_to, args=(index + 1,), width="stretch", key="dispatch_next")
auto.toggle("自动翻页", key=AUTO_KEY)
interval.selectbox(
    "间隔", (30, 60, 120), key=INTERVAL_KEY, format_func=lambda s: f"每 {s} 秒", label_visibility="collapsed"
)
if not is_projector_mode():
    hint.link_button("全屏投影模式", f"?mode=projector&screen={index + 1}", icon=":material/co_present:")


@st.fragment(run_every=st.session_state.get(INTERVAL_KEY, 30) if st.session_state.get(AUTO_KEY) else None)
def auto_advance() -> None:
    """Every few seconds: when the interval has passed since the last change, show the next screen."""
    if not st.session_state.get(AUTO_KEY):
        return
    if time.monotonic() - st.session_state.get(TICK_KEY, 0) >= st.session_state.get(INTERVAL_KEY, 30) - 0.5:
        go_to(st.session_state[SCREEN_KEY] + 1)
        st.rerun(scope="app")


auto_advance()
