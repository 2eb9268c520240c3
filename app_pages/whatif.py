"""模拟推演: adjust settings, targets and assumed events; baseline vs scenario side by side, the gap
solver and the year-end projection. Nothing here writes to the real tables (scenarios run on a copy).

The panels are drawn by ``ui.whatif``; every figure comes from ``analytics``."""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from analytics.core.period import Period
from analytics.core.settings import SettingsError
from analytics.whatif import gap_solver, projection, scenario_store
from analytics.whatif.scenario import (
    Scenario,
    ScenarioError,
    assumable_projects,
    compare_json,
    pending_leads,
    targets_frame,
)
from ui.auth import require_user
from ui.frame import SCENARIO_KEY, current_choices, current_settings, load
from ui.page import page_header
from ui.safe_text import md, md_join
from ui.whatif.assumed_events import assumed_events
from ui.whatif.comparison_tables import comparison_tables
from ui.whatif.gap_panel import gap_solver_panel
from ui.whatif.projection_panel import projection_panel
from ui.whatif.results_summary import result_summary
from ui.whatif.saved_scenarios import scenario_management
from ui.whatif.settings_editor import settings_overrides, settings_sliders, start
from ui.whatif.targets_editor import target_editor
from ui.widgets import explain

period = current_choices().period
base = current_settings()
base_overrides_json = json.dumps(st.session_state.get(SCENARIO_KEY) or {}, sort_keys=True)
user = require_user()
page_header("模拟推演", period)
st.warning(
    "这是模拟推演:调整的参数、目标和假设事件只在内存副本中计算,真实数据、目标和设置均未改动。",
    icon=":material/science:",
)
start(base, period.year)

# --------------------------------------------------------------------------------------------
# editing: settings, targets, events, saved scenarios
# --------------------------------------------------------------------------------------------
evaluate_on = st.date_input(
    "推演截至日期(基线与推演均按此日计算,假设事件默认发生在此日)",
    value=period.as_of,
    min_value=date(period.year, 1, 1),
    max_value=date(period.year, 12, 31),
    format="YYYY-MM-DD",
    key="whatif_evaluate_on",
)
run_period = Period(period.year, evaluate_on)

tab_settings, tab_targets, tab_events, tab_saved = st.tabs(
    ["① 调整参数", "② 调整目标", "③ 假设事件", "④ 方案管理"]
)
with tab_settings:
    settings_sliders(period.year)
with tab_targets:
    target_overrides = target_editor(load(targets_frame, period.year), period.year)
with tab_events:
    events = assumed_events(
        load(assumable_projects, run_period), load(pending_leads, run_period), evaluate_on
    )

scenario = Scenario(settings=settings_overrides(base), targets=target_overrides, events=events)
scenario_json = scenario.to_json()

with tab_saved:
    scenario_management(
        load(scenario_store.list_scenarios), scenario, user, base, run_period, base_overrides_json
    )

# --------------------------------------------------------------------------------------------
# baseline vs scenario
# --------------------------------------------------------------------------------------------
try:
    result = load(compare_json, run_period, base_overrides_json, scenario_json)
except (ScenarioError, SettingsError) as exc:
    st.error("推演无法计算:" + (md_join(exc.errors, ";") if isinstance(exc, ScenarioError) else md(exc)))
    st.stop()

st.subheader("推演结果:基线 与 推演 对比")
result_summary(scenario, result, run_period)
comparison_tables(result)

# --------------------------------------------------------------------------------------------
# gap solver
# --------------------------------------------------------------------------------------------
year_end = load(projection.projection_json, run_period, base_overrides_json, scenario_json)
st.subheader("缺口测算:还差多少、谁最接近")
explain("缺口测算", gap_solver.METHOD_TEXT)
gap_solver_panel(
    load(gap_solver.unmet_targets_json, run_period, base_overrides_json, scenario_json), evaluate_on, year_end
)

# --------------------------------------------------------------------------------------------
# year-end projection
# --------------------------------------------------------------------------------------------
st.subheader("年末预测:按本县历史进度推算")
st.caption(projection.METHOD_TEXT)
projection_panel(year_end)
