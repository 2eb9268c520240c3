"""数据填报: a unit's clerk reports leads, updates its projects, records funds, raises and resolves
problems, or uploads its Excel sheet. The office can do the same on behalf of any unit.

The tabs are drawn by ``ui.entry_tabs``; every write goes through ``analytics.entry`` (audited).
"""

from __future__ import annotations

import streamlit as st

from analytics.access import permissions
from analytics.entry import queries as entry_data
from ui import entry_tabs, progress_tabs, verify_panels
from ui.auth import require_role
from ui.frame import load
from ui.safe_text import md
from ui.snapshots import signed_account_warnings
from ui.widgets import empty_state

user = require_role("enter_data")

st.title("数据填报")
signed_account_warnings()
units = load(entry_data.unit_choices)
if not units:
    empty_state("数据库中还没有考核单位:请先由招商办在「招商办管理」导入数据。")
    st.stop()
if user.role == "clerk":
    unit = permissions.entry_unit(user)  # its own unit, always
    st.caption(
        f"填报单位:{md(units.get(unit, unit))}({md(unit)})· 报送时间由系统自动记录 · 只能查看和修改本单位的数据"
    )
else:
    chosen = st.selectbox("代填单位", list(units), format_func=lambda u: f"{units[u]}({u})", key="entry_unit")
    unit = permissions.entry_unit(user, chosen)
    st.caption("招商办可代任一单位填报;所有修改都记入操作日志。")
industries = load(entry_data.industry_choices)

tabs = st.tabs(
    [
        "报送招商信息",
        "项目进度",
        "资金到位",
        "问题清单",
        "节点与四个一",
        "洽谈阶段与问题类别",
        "批量上传",
        "本单位已报信息",
        "核验材料",
    ]
)
tab_lead, tab_project, tab_funds, tab_problems, tab_progress, tab_stages, tab_upload, tab_mine, tab_verify = (
    tabs
)
with tab_lead:
    entry_tabs.report_lead(user, unit, industries)
projects = entry_tabs.scoped(user, "projects", entry_data.unit_projects, unit)
with tab_project:
    entry_tabs.project_progress(user, projects)
with tab_funds:
    entry_tabs.fund_arrivals(user, unit, projects)
with tab_problems:
    entry_tabs.problems(user, unit, units, projects)
with tab_progress:
    progress_tabs.milestones_and_four_ones(user, unit, units, projects)
with tab_stages:
    progress_tabs.stages_and_categories(user, unit, projects)
with tab_upload:
    entry_tabs.unit_upload(user)
with tab_mine:
    entry_tabs.unit_leads(entry_tabs.scoped(user, "leads", entry_data.unit_leads, unit))
with tab_verify:
    verify_panels.unit_evidence(user, unit)
