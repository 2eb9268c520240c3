"""招商引资调度驾驶舱: the router and the shared frame (page config, navigation, global choices)."""

from __future__ import annotations

import streamlit as st

from ui.frame import sidebar_choices
from ui.widgets import inject_css

st.set_page_config(page_title="招商引资调度驾驶舱", page_icon=":material/insights:", layout="wide")

PAGES = {
    "驾驶舱": [
        st.Page("pages/cockpit.py", title="总览", icon=":material/dashboard:", url_path="cockpit", default=True),
        st.Page("pages/landing.py", title="9865 项目落地", icon=":material/construction:", url_path="landing"),
        st.Page("pages/industry.py", title="产业集聚", icon=":material/factory:", url_path="industry"),
        st.Page("pages/race.py", title="乡镇赛马", icon=":material/emoji_events:", url_path="race"),
        st.Page("pages/squads.py", title="招商小分队", icon=":material/groups:", url_path="squads"),
        st.Page("pages/projects.py", title="项目库", icon=":material/inventory_2:", url_path="projects"),
        st.Page("pages/leads.py", title="招商信息", icon=":material/campaign:", url_path="leads"),
    ],
}

page = st.navigation(PAGES)
inject_css()
st.sidebar.title("招商引资调度驾驶舱")
sidebar_choices()
page.run()
