"""项目推进: from lead to production (METRICS.md §8) — the projects' 六未 stages and lights, red first,
the negotiation pipeline, and a county leader's own packaged projects (「我挂包的项目」)."""

import streamlit as st

from analytics.metrics.definitions import definition
from analytics.screens import progress
from ui import progress_view as view
from ui.auth import require_user
from ui.frame import current_choices, current_settings, load
from ui.page import figure_tools, let_top_paint, page_header, sidebar_filter
from ui.safe_text import md
from ui.widgets import empty_state

user = require_user()
period = current_choices().period
settings = current_settings()
page_header("项目推进", period)
options = load(progress.filter_options)
township = sidebar_filter("落户乡镇", options["township"], key="progress_township")
unit = sidebar_filter("引进或责任单位", options["unit"], key="progress_unit")
leader = sidebar_filter("挂包县领导", options["leader"], key="progress_leader")
industry = sidebar_filter("产业", options["industry"], key="progress_industry")
own_leader = user.leader_name if user.role == "leader" else None

tab_names = ["项目推进", "在谈项目库", "我挂包的项目" if own_leader else "县领导挂包项目"]
if own_leader:  # a leader opens on their own projects
    tab_names = [tab_names[2], tab_names[0], tab_names[1]]
tabs = dict(zip(tab_names, st.tabs(tab_names), strict=True))

with tabs["项目推进"]:
    board = load(progress.progress_board, period, settings, township, unit, leader, industry)
    projects = board["projects"]
    names = dict(zip(projects["project_id"], projects["project_name"], strict=True))
    if projects.empty:
        empty_state("所选范围内没有在推进的项目:换一个筛选条件,或在「招商办管理」导入项目台账。")
    else:
        view.light_tiles(projects)
        let_top_paint()
        st.subheader("各阶段红黄绿灯")
        view.counts_table(board["counts"], board["stages"])
        figure_tools("项目推进 红黄绿灯", definition("pipeline.light", settings), key="progress_def")
        st.subheader("项目清单(红灯在前)")
        view.projects_table(projects, key="progress_projects", filename="项目推进清单.xlsx")
        st.subheader("要素保障:待办审批")
        view.approvals_table(board["approvals"], names)
        st.subheader("重大项目“四个一”缺项")
        view.gaps_list(board["gaps"], names)
        st.subheader("单个项目:计划与实际")
        pid = st.selectbox("项目", list(names), format_func=lambda p: f"{names[p]}({p})", key="progress_pick")
        view.timeline_panel(load(progress.timeline, period, settings, pid), key="progress_timeline")

with tabs["在谈项目库"]:
    pipeline_view = load(progress.negotiation, period, settings, unit)
    view.funnel_panel(pipeline_view["funnel"], pipeline_view["leads"])

with tabs[tab_names[-1] if not own_leader else tab_names[0]]:
    if own_leader:
        chosen = own_leader
        st.caption(f"挂包县领导:{md(chosen)}(本账号)")
    elif options["leader"]:
        chosen = st.selectbox(
            "挂包县领导", [name for name, _ in options["leader"]], key="progress_leader_pick"
        )
    else:
        chosen = None
        empty_state("项目台账中还没有挂包县领导。")
    if chosen:
        view.leader_panel(load(progress.leader_projects, period, settings, chosen), chosen)
