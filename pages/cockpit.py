"""总览: placeholder until the metrics engine lands; reads the database to prove the wiring."""

import streamlit as st

from analytics import catalog
from ui.frame import current_choices, load

choices = current_choices()
st.title("招商引资调度驾驶舱")
units = load(catalog.units)
st.metric("考核单位", f"{len(units)} 个")
st.caption(f"计划年度 {choices.year} 年,截至 {choices.as_of:%Y-%m-%d}")
