"""Panels of the 项目推进 page: lights by stage, the project list red first, approvals, the four ones'
gaps, a project's timeline, the negotiation funnel and a leader's own projects.

Figures come from ``analytics.screens.progress``; these functions only lay them out. A light is
always shown as colour AND text (■ 红灯 / ▲ 黄灯 / ● 绿灯).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.core.format import day
from analytics.core.labels import (
    CHAIN_STEP_LABELS,
    LEAD_STAGE_LABELS,
    LIGHT_COLOURS,
    LIGHT_ICONS,
    LIGHT_LABELS,
    MILESTONE_KIND_LABELS,
    PACKAGING_LABELS,
    PROBLEM_CATEGORY_LABELS,
)
from ui import charts
from ui.page import COUNT_FORMAT, WAN_FORMAT, chart, leader_column, number_columns, table
from ui.widgets import empty_state, figure_card

DONE_TEXT = "○ 已完成"


def light_text(light: Any) -> str:
    """A light in words (■ 红灯); 已完成 for a project with nothing left to wait on."""
    if not isinstance(light, str):
        return DONE_TEXT
    return f"{LIGHT_ICONS[light]} {LIGHT_LABELS[light]}"


def light_tiles(projects: pd.DataFrame) -> None:
    """Four cards: how many projects show each light (colour and words), and how many are done."""
    columns = st.columns(4)
    for column, light in zip(columns, ("red", "yellow", "green"), strict=False):
        with column:
            n = int((projects["light"] == light).sum())
            figure_card(f"{light_text(light)}项目", f"{n} 个", [], colour=LIGHT_COLOURS[light])
    with columns[3]:
        figure_card(f"{DONE_TEXT}全部环节", f"{int(projects['light'].isna().sum())} 个", [], colour="#5D6D7E")


def counts_table(counts: dict[str, dict[str, int]], stages: list[str]) -> None:
    """Stage × light: every stage of the county, in chain order, with the projects of each light."""
    rows = [
        {
            "阶段": stage,
            **{
                light_text(light): counts.get(stage, {}).get(light, 0) for light in ("red", "yellow", "green")
            },
        }
        for stage in stages
    ]
    frame = pd.DataFrame(rows)
    frame["合计"] = frame[[light_text(x) for x in ("red", "yellow", "green")]].sum(axis=1)
    table(frame, key="progress_counts", filename="项目推进_阶段红黄绿灯.xlsx")


PROJECT_COLUMNS = {  # the 挂包县领导 beside the name: in view at 1600 px without scrolling
    "light_text": "灯",
    "project_name": "项目名称",
    "leader_in_charge": "挂包县领导",
    "stage": "阶段",
    "next_step": "等待环节",
    "problems_text": "问题(按类别)",
    "responsible_unit_name": "责任单位",
    "helper": "帮办专员",
    "unit_name": "引进单位",
    "township_name": "落户乡镇",
    "total_investment_wan": "总投资(万元)",
    "project_id": "项目编码",
}


def project_rows(projects: pd.DataFrame) -> pd.DataFrame:
    """The project list with Chinese headers: light as words, blanks as 未明确."""
    out = projects.copy()
    out["light_text"] = out["light"].map(light_text)
    out["problems_text"] = [
        f"{n} 项:{cats}" + (f"(超期 {o})" if o else "") if n else "—"
        for n, cats, o in zip(
            out["open_problems"], out["problem_categories"], out["overdue_problems"], strict=True
        )
    ]
    for column in ("leader_in_charge", "responsible_unit_name", "helper"):
        out[column] = out[column].fillna("未明确")
    out[["unit_name", "township_name"]] = out[["unit_name", "township_name"]].fillna("—")
    return out[list(PROJECT_COLUMNS)].rename(columns=PROJECT_COLUMNS)


def projects_table(projects: pd.DataFrame, *, key: str, filename: str) -> None:
    if projects.empty:
        empty_state("所选范围内没有在推进的项目。")
        return
    table(
        project_rows(projects),
        key=key,
        filename=filename,
        columns=number_columns({"总投资(万元)": WAN_FORMAT}) | leader_column(),
        height=min(38 + 35 * len(projects), 460),
    )


def approvals_table(approvals: pd.DataFrame, names: dict[str, str]) -> None:
    """要素保障: approvals not done, each with its light."""
    if approvals.empty:
        st.caption("所选项目没有待办的审批手续(规划许可、施工许可、环评、能评)。")
        return
    frame = pd.DataFrame(
        {
            "灯": approvals["light"].map(light_text),
            "项目名称": approvals["project_id"].map(names),
            "审批事项": approvals["kind"].map(MILESTONE_KIND_LABELS),
            "计划日期": [day(_date(v)) if _date(v) else "未定" for v in approvals["planned_on"]],
            "超期(天)": approvals["days_overdue"].clip(lower=0),
        }
    )
    table(
        frame,
        key="progress_approvals",
        filename="要素保障.xlsx",
        columns=number_columns({"超期(天)": COUNT_FORMAT}),
    )


def gaps_list(gaps: list[dict[str, Any]], names: dict[str, str]) -> None:
    """四个一: the major projects missing any of the four, naming which."""
    if not gaps:
        st.success("所选范围内的重大项目“四个一”均已明确。", icon=":material/check_circle:")
        return
    frame = pd.DataFrame(
        {
            "项目名称": [names.get(g["project_id"], g["project_id"]) for g in gaps],
            "项目编码": [g["project_id"] for g in gaps],
            "缺少": ["、".join(PACKAGING_LABELS[m] for m in g["missing"]) for g in gaps],
        }
    )
    table(frame, key="progress_gaps", filename="四个一缺项.xlsx")


def _date(value: Any) -> Any:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def timeline_figure(steps: pd.DataFrame) -> go.Figure:
    """Planned (hollow) vs actual (filled) date of each tracked step, one row per step."""
    labels = [CHAIN_STEP_LABELS[s] for s in steps["step"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=[_date(v) for v in steps["planned_on"]],
            y=labels,
            mode="markers",
            name="计划",
            marker={"symbol": "circle-open", "size": 16, "color": charts.NAVY, "line": {"width": 3}},
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[_date(v) for v in steps["done_on"]],
            y=labels,
            mode="markers",
            name="实际",
            marker={"symbol": "circle", "size": 12, "color": charts.GREEN},
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    fig.update_xaxes(tickformat="%Y-%m-%d")
    return charts.style(fig, height=80 + 36 * len(labels))


def timeline_panel(steps: pd.DataFrame, *, key: str) -> None:
    if steps.empty:
        empty_state("该项目不在推进清单中。")
        return
    chart(timeline_figure(steps), key=key)
    frame = pd.DataFrame(
        {
            "环节": [CHAIN_STEP_LABELS[s] for s in steps["step"]],
            "计划日期": [day(_date(v)) if _date(v) else "—" for v in steps["planned_on"]],
            "实际日期": [day(_date(v)) if _date(v) else "未完成" for v in steps["done_on"]],
        }
    )
    st.dataframe(frame, hide_index=True, width="stretch", key=f"{key}_table")


def funnel_panel(funnel: pd.DataFrame, leads: pd.DataFrame) -> None:
    """在谈项目库: the funnel by stage with stage ages, then the leads, stuck ones first."""
    frame = pd.DataFrame(
        {
            "阶段": funnel["stage"].map(LEAD_STAGE_LABELS),
            "信息(条)": funnel["leads"],
            "平均停留(天)": funnel["mean_age_days"].astype("Float64").round(1),
            "最长停留(天)": funnel["max_age_days"].astype("Int64"),
            "超时(条)": funnel["stuck"],
        }
    )
    left, right = st.columns([3, 2])
    with left:
        table(frame, key="progress_funnel", filename="在谈项目漏斗.xlsx")
    with right:
        chart(
            charts.stage_funnel(list(zip(frame["阶段"], funnel["leads"].astype(float), strict=True))),
            key="progress_funnel_chart",
        )
    stuck = int(leads["is_stuck"].sum())
    st.markdown(f"**超过设定停留天数的信息 {stuck} 条**(排在最前)")
    if leads.empty:
        empty_state("本年度尚无报送的招商信息。")
        return
    shown = pd.DataFrame(
        {
            "状态": ["■ 超时" if s else "" for s in leads["is_stuck"]],
            "意向企业": leads["company"],
            "阶段": leads["stage"].map(LEAD_STAGE_LABELS),
            "阶段日期": [day(_date(v)) if _date(v) else "—" for v in leads["stage_changed_on"]],
            "停留(天)": leads["stage_age_days"],
            "报送单位": leads["reporter_unit_name"].fillna(leads["reporter_unit_id"]),
            "意向投资(万元)": leads["intended_investment_wan"],
            "信息编码": leads["lead_id"],
        }
    )
    table(
        shown,
        key="progress_leads",
        filename="在谈项目库.xlsx",
        columns=number_columns({"意向投资(万元)": WAN_FORMAT}),
        height=400,
    )


def leader_panel(board: dict[str, Any], leader: str) -> None:
    """「我挂包的项目」: the leader's projects with lights, problems and next steps."""
    projects = board["projects"]
    if projects.empty:
        empty_state(f"{leader} 目前没有挂包的在推进项目。")
        return
    light_tiles(projects)
    projects_table(projects, key="progress_leader_projects", filename=f"挂包项目_{leader}.xlsx")
    problems = board["problems"]
    st.markdown(f"**未办结问题 {len(problems)} 项**")
    if not problems.empty:
        names = dict(zip(projects["project_id"], projects["project_name"], strict=True))
        frame = pd.DataFrame(
            {
                "状态": ["■ 超期" if o else "▲ 办理中" for o in problems["is_overdue"]],
                "项目名称": problems["project_id"].map(names),
                "类别": [
                    PROBLEM_CATEGORY_LABELS.get(c, "未分类") if isinstance(c, str) else "未分类"
                    for c in problems["category"]
                ],
                "问题": problems["description"],
                "责任单位": problems["responsible_unit_name"].fillna(problems["responsible_unit_id"]),
                "办结时限": [day(_date(v)) for v in problems["due_date"]],
            }
        )
        table(frame, key="progress_leader_problems", filename=f"挂包项目问题_{leader}.xlsx")
