"""年度总账: the year's final rankings, awards and consequences, squads, rewards and deposits; the
office signs it off. Office and county leaders (``view_account``); panels in ``ui.account_panels``."""

from __future__ import annotations

from datetime import date

import streamlit as st

from analytics.data import snapshots
from analytics.documents.account import account_docx, account_xlsx, title
from analytics.screens import account as year_end_account
from analytics.screens import history as snapshot_history
from ui import account_panels as panels
from ui.auth import require_role
from ui.frame import current_choices, load

user = require_role("view_account")
year = current_choices().year
st.title("年度总账")
st.caption(f"{year} 年度 · 数据截至 {year}-12-31 · 左侧可换计划年度")
panels.notice()

try:
    account = load(year_end_account.year_account, year, date.today())
except year_end_account.NoDataForYear as exc:
    st.info(str(exc).split(" / ")[0], icon=":material/info:")
    panels.office_actions(user, None, year)
    st.stop()

panels.status(account)
heading, _ = title(account)
left, right = st.columns(2)
left.download_button(
    "下载 Word 总账",
    data=lambda: account_docx(account),
    file_name=f"{heading}.docx",
    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    key="account_docx",
    icon=":material/description:",
)
right.download_button(
    "下载 Excel 总账",
    data=lambda: account_xlsx(account),
    file_name=f"{heading}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="account_xlsx",
    icon=":material/table:",
)

panels.rankings(account)
panels.consequences(account)
panels.squads(account)
panels.rewards(account)
panels.history(load(snapshot_history.ranking_history, year))
panels.snapshot_list(load(snapshots.snapshot_index), year)
panels.office_actions(user, account, year)
