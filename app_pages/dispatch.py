"""调度会投屏: the weekly dispatch meeting on a 1920×1080 projector, one topic per screen.

Open as ``/dispatch?mode=projector&screen=N``. Very large type, a status always as colour AND
text, previous/next buttons, and an optional auto-advance timer. Every figure comes from
``analytics`` (dispatch, landing, units, squads); ``ui.projector`` lays each screen out.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from analytics.metrics import concentration, landing, squads, units
from analytics.screens import catalog, dispatch, overview, progress
from ui import projector, projector_county
from ui.frame import current_settings, is_projector_mode, load, sidebar_choices

SCREEN_KEY, AUTO_KEY, INTERVAL_KEY, TICK_KEY = (
    "dispatch_screen",
    "dispatch_auto",
    "dispatch_interval",
    "dispatch_tick",
)

# The global choices, from the URL when this session has none yet (a deep link straight to the
# projector); sets nothing that is already chosen and draws nothing.
period = sidebar_choices(show=False).period
settings = current_settings()
this_week, last_week = dispatch.dispatch_weeks(period.as_of)

# Each screen: its title, and its HTML from the analytics figures it shows.
SCREENS: dict[str, Callable[[], str]] = {
    "本周数据": lambda: projector.week_screen(load(dispatch.week_in_numbers, period, settings)),
    "全县目标": lambda: projector_county.county_screen(
        load(overview.county_sections, period, settings),
        load(concentration.concentration, period, settings),
        period.schedule,
    ),
    "9865 进度": lambda: projector.landing_screen(
        load(landing.landing_rates, period, settings), load(landing.landing_gap, period, settings)
    ),
    "乡镇赛马": lambda: projector.race_screen(
        load(units.unit_table, period, settings), provisional=not period.is_year_end
    ),
    "县直部门赛马": lambda: projector_county.department_race_screen(load(units.unit_table, period, settings)),
    "招商小分队": lambda: projector.squad_screen(
        load(squads.squad_results, period, settings), load(catalog.squads), load(catalog.units)
    ),
    "重大项目三张清单": lambda: projector.lists_screen(
        load(dispatch.three_lists, period, settings), load(dispatch.resolved_this_week, period, settings)
    ),
    "责任清单": lambda: projector_county.responsibility_screen(
        load(dispatch.three_lists, period, settings)["responsibility"]
    ),
    "进度清单": lambda: projector_county.progress_list_screen(
        load(dispatch.three_lists, period, settings)["progress"]
    ),
    "滞后项目": lambda: projector.laggard_screen(load(landing.laggards, period)),
    "项目推进": lambda: projector.progress_screen(load(progress.red_yellow_by_stage, period, settings)),
    "上次调度事项落实": lambda: projector.last_meeting_screen(
        load(dispatch.last_meeting_items, period, settings), last_week.label
    ),
}
TITLES = list(SCREENS)


def go_to(index: int) -> None:
    st.session_state[SCREEN_KEY] = index % len(TITLES)
    st.session_state[TICK_KEY] = time.monotonic()
    st.query_params["screen"] = str(st.session_state[SCREEN_KEY] + 1)


st.html(projector.CSS)
if is_projector_mode():
    st.html(projector.PROJECTOR_CSS)
if SCREEN_KEY not in st.session_state:
    wanted = st.query_params.get("screen", "1")
    st.session_state[SCREEN_KEY] = (
        (int(wanted) - 1) % len(TITLES) if wanted.isdigit() and wanted != "0" else 0
    )
    st.session_state[TICK_KEY] = time.monotonic()
index = st.session_state[SCREEN_KEY]
st.html(projector.header(TITLES[index], this_week.label, index, len(TITLES)))
try:
    st.html(SCREENS[TITLES[index]]())
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
