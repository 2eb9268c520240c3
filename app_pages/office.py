"""招商办管理: confirm leads, targets, settings, import a workbook, the audit log, backups, accounts.

The tabs are drawn by ``ui.office_tabs``; every write goes through ``analytics.entry`` (audited).
"""

from __future__ import annotations

import streamlit as st

from analytics.access import audit
from ui import lead_queue, office_tabs
from ui.auth import require_role
from ui.frame import current_choices, load
from ui.snapshots import signed_account_warnings

user = require_role("import")
st.title("招商办管理")
signed_account_warnings()

tab_leads, tab_targets, tab_settings, tab_import, tab_audit, tab_backup, tab_accounts = st.tabs(
    ["认定招商信息", "目标任务", "参数设置", "导入数据", "操作日志", "备份", "账号管理"]
)
with tab_leads:
    lead_queue.lead_decisions(user)
with tab_targets:
    office_tabs.target_editor(user, current_choices().year)
with tab_settings:
    office_tabs.settings_forms(user)
with tab_import:
    office_tabs.workbook_import(user)
with tab_audit:
    office_tabs.audit_log(load(audit.audit_choices))
with tab_backup:
    office_tabs.backups()
with tab_accounts:
    office_tabs.accounts(user)
