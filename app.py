"""招商引资调度驾驶舱: the router and the shared frame (page config, sign-in, navigation, global choices)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import streamlit as st

from analytics.data.store import DatabaseUnusableError, is_storage_fault, storage_error_message
from ui.auth import current_user, page_visibility, sign_in_screen, sign_out_control
from ui.frame import cursor, is_projector_mode, sidebar_choices, verified_only_banner
from ui.snapshots import ensure_automatic_snapshots
from ui.widgets import inject_css, reset_card_keys

# The tab icon is a file served by the app itself: a ``:material/…:`` or emoji icon makes the browser
# fetch it from an outside host, which a county intranet cannot reach.
PAGE_ICON = Path(__file__).resolve().parent / "ui" / "static" / "page_icon.png"

projector = is_projector_mode()
st.set_page_config(
    page_title="招商引资调度驾驶舱",
    page_icon=str(PAGE_ICON),
    layout="wide",
    initial_sidebar_state="collapsed" if projector else "auto",
)

# The database is opened first: a damaged, empty, unreadable or full store stops every page here
# with what to do (never a traceback).
try:
    cursor().close()
except DatabaseUnusableError as exc:
    st.error(str(exc), icon=":material/database:")
    st.stop()

# The mid-year check day's and the quarter ends' snapshots, the first time the app runs on or after them.
ensure_automatic_snapshots()

# Who is signed in (None: nobody yet) is known before the pages are registered, for their visibility.
user = current_user()

# Every page is registered on every run (deep links start new sessions); pages a role may not use
# guard themselves and are hidden from its menu.
# The default page is served at the root; Streamlit knows no other address of it, so /cockpit (its
# name in links and bookmarks) is a hidden page of its own that leads there. The default page's own
# url_path is only its registry key.
COCKPIT = st.Page(
    "app_pages/cockpit.py", title="总览", icon=":material/dashboard:", url_path="overview", default=True
)


def _cockpit_by_name() -> None:
    """/cockpit leads to 总览."""
    st.switch_page(COCKPIT)


PAGES = {
    "驾驶舱": [
        COCKPIT,
        st.Page(_cockpit_by_name, title="总览 ", url_path="cockpit", visibility="hidden"),
        st.Page(
            "app_pages/landing.py", title="9865 项目落地", icon=":material/construction:", url_path="landing"
        ),
        st.Page("app_pages/industry.py", title="产业集聚", icon=":material/factory:", url_path="industry"),
        st.Page("app_pages/race.py", title="乡镇赛马", icon=":material/emoji_events:", url_path="race"),
        st.Page("app_pages/squads.py", title="招商小分队", icon=":material/groups:", url_path="squads"),
        st.Page("app_pages/projects.py", title="项目库", icon=":material/inventory_2:", url_path="projects"),
        st.Page("app_pages/progress.py", title="项目推进", icon=":material/traffic:", url_path="progress"),
        st.Page("app_pages/leads.py", title="招商信息", icon=":material/campaign:", url_path="leads"),
    ],
    "调度与通报": [
        st.Page(
            "app_pages/dispatch.py", title="调度会投屏", icon=":material/co_present:", url_path="dispatch"
        ),
        st.Page(
            "app_pages/bulletin.py", title="周报与月通报", icon=":material/description:", url_path="bulletin"
        ),
    ],
    "推演与填报": [
        st.Page("app_pages/whatif.py", title="模拟推演", icon=":material/tune:", url_path="whatif"),
        st.Page(
            "app_pages/entry.py",
            title="数据填报",
            icon=":material/edit_note:",
            url_path="entry",
            visibility=page_visibility(user, "entry"),
        ),
        st.Page(
            "app_pages/verify.py",
            title="核验",
            icon=":material/fact_check:",
            url_path="verify",
            visibility=page_visibility(user, "verify"),
        ),
        st.Page(
            "app_pages/account.py",
            title="年度总账",
            icon=":material/account_balance:",
            url_path="account",
            visibility=page_visibility(user, "account"),
        ),
        st.Page(
            "app_pages/office.py",
            title="招商办管理",
            icon=":material/admin_panel_settings:",
            url_path="office",
            visibility=page_visibility(user, "office"),
        ),
    ],
}

page = st.navigation(PAGES, position="hidden" if projector or user is None else "sidebar")
if user is None:
    sign_in_screen()
    st.stop()
inject_css()
reset_card_keys()
if not projector:
    st.sidebar.title("招商引资调度驾驶舱")
sidebar_choices(show=not projector)
if not projector:
    sign_out_control(user)
verified_only_banner()
try:
    page.run()
except (duckdb.Error, OSError) as exc:  # a storage fault met by a page (disk full while saving ...)
    if not is_storage_fault(exc):
        raise
    st.error(storage_error_message(exc), icon=":material/database:")
