"""① 调整参数: the settings widgets (keys ``whatif_*``); their values become the scenario's
settings overrides."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from analytics.core.settings import REWARD_POLICY_LABELS
from analytics.whatif.scenario import Scenario
from ui.whatif.settings_v2 import load_v2, overrides_v2, v2_widgets
from ui.whatif.state import EVENTS_KEY, GEN_KEY, TARGETS_KEY

SLIDERS: list[tuple[str, tuple[str, ...], str, float, float, float, bool]] = [
    # key, path in settings, label, min, max, step, shown as percent
    ("whatif_prior_c", ("landing_targets", "prior", 0), "上年签约项目开工率目标", 0, 100, 1, True),
    ("whatif_prior_p", ("landing_targets", "prior", 1), "上年签约项目投产率目标", 0, 100, 1, True),
    ("whatif_current_c", ("landing_targets", "current", 0), "当年签约项目开工率目标", 0, 100, 1, True),
    ("whatif_current_p", ("landing_targets", "current", 1), "当年签约项目投产率目标", 0, 100, 1, True),
    ("whatif_conc", ("concentration_target",), "重点产业集聚度目标", 0, 100, 1, True),
    ("whatif_red_gap", ("red_gap",), "红灯差距(低于时序进度,百分点)", 0, 100, 1, True),
    ("whatif_w_signed", ("unit_weights", "signed_projects"), "权重:项目引进", 0.0, 1.0, 0.05, False),
    ("whatif_w_stats", ("unit_weights", "in_stats_projects"), "权重:项目入统", 0.0, 1.0, 0.05, False),
    ("whatif_w_leads", ("unit_weights", "valid_leads"), "权重:有效信息", 0.0, 1.0, 0.05, False),
    ("whatif_cap", ("score_cap",), "单项完成率计分上限", 100, 300, 5, True),
]
NUMBERS: list[tuple[str, tuple[str, ...], str, float]] = [
    ("whatif_adv1", ("advanced_per_class", "1"), "一类乡镇先进单位名额", 1),
    ("whatif_adv2", ("advanced_per_class", "2"), "二类乡镇先进单位名额", 1),
    ("whatif_r_fdi", ("reward_policy", "fdi_wan_per_usd_wan"), "外资奖励:每万美元奖励(万元)", 0.001),
    ("whatif_r_fx_amt", ("reward_policy", "fx_contribution", "amount_wan"), "现汇贡献奖金额(万元)", 1.0),
    (
        "whatif_r_fx_min",
        ("reward_policy", "fx_contribution", "single_arrival_min_usd_wan"),
        "现汇单笔门槛(万美元)",
        50.0,
    ),
    (
        "whatif_r_5020_min",
        ("reward_policy", "project_5020", "min_total_wan"),
        "5020 奖励:总投资门槛(万元)",
        10000.0,
    ),
    ("whatif_r_5020_base", ("reward_policy", "project_5020", "base_wan"), "5020 奖励:起奖(万元)", 1.0),
    ("whatif_r_5020_step", ("reward_policy", "project_5020", "step_wan"), "5020 奖励:每档加奖(万元)", 1.0),
    ("whatif_r_5020_cap", ("reward_policy", "project_5020", "cap_wan"), "5020 奖励:封顶(万元)", 5.0),
    (
        "whatif_r_ffx_min",
        ("reward_policy", "foreign_fx", "min_fx_usd_wan"),
        "外资工业项目:现汇门槛(万美元)",
        10.0,
    ),
    ("whatif_r_ffx_base", ("reward_policy", "foreign_fx", "base_wan"), "外资工业项目:起奖(万元)", 1.0),
    ("whatif_r_ffx_step", ("reward_policy", "foreign_fx", "step_wan"), "外资工业项目:每档加奖(万元)", 1.0),
    ("whatif_r_ffx_cap", ("reward_policy", "foreign_fx", "cap_wan"), "外资工业项目:封顶(万元)", 1.0),
    *[
        ("whatif_r_" + name.replace(".", "_"), ("reward_policy", *name.split(".")), label, step)
        for (name, label), step in zip(
            REWARD_POLICY_LABELS.items(), (0.001, 1.0, 0.05, 0.05, 10.0), strict=True
        )
    ],
]


def _get(settings: dict[str, Any], path: tuple) -> Any:
    value: Any = settings
    for part in path:
        value = value[part]
    return value


def _put(overrides: dict[str, Any], path: tuple, value: Any, settings: dict[str, Any]) -> None:
    """Set ``value`` at ``path`` in ``overrides``; a list (landing targets) is written whole."""
    if path[0] == "landing_targets":
        targets = overrides.setdefault("landing_targets", {})
        pair = targets.setdefault(path[1], list(settings["landing_targets"][path[1]]))
        pair[path[2]] = value
        return
    node = overrides
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _widget_value(settings: dict[str, Any], path: tuple, as_percent: bool) -> float:
    value = _get(settings, path)
    return round(float(value) * 100) if as_percent else value


def load_into_widgets(settings: dict[str, Any], scenario: Scenario, year: int) -> None:
    """Put a scenario's effective settings, targets and events into the page's widgets."""
    for key, path, *_rest, as_percent in SLIDERS:
        value = _widget_value(settings, path, as_percent)
        st.session_state[key] = int(value) if as_percent else float(value)
    for key, path, _label, _step in NUMBERS:
        value = _get(settings, path)
        st.session_state[key] = int(value) if path[0] == "advanced_per_class" else float(value)
    st.session_state["whatif_basis"] = settings["concentration_basis"]
    month, day_ = (int(x) for x in settings["mid_year_check"].split("-"))
    st.session_state["whatif_mid_year"] = date(year, month, day_)
    load_v2(settings, year)
    st.session_state[EVENTS_KEY] = [e.to_dict() for e in scenario.events]
    st.session_state[TARGETS_KEY] = [t.__dict__ for t in scenario.targets]
    st.session_state[GEN_KEY] += 1


def start(base: dict[str, Any], year: int) -> None:
    """This session's scenario state: empty the first time, the widgets at the baseline settings;
    the message a callback left behind shown once."""
    st.session_state.setdefault(EVENTS_KEY, [])
    st.session_state.setdefault(TARGETS_KEY, [])
    st.session_state.setdefault(GEN_KEY, 0)
    if "whatif_cap" not in st.session_state:
        load_into_widgets(base, Scenario(), year)
    if message := st.session_state.pop("whatif_message", None):
        st.toast(message)


def settings_overrides(base: dict[str, Any]) -> dict[str, Any]:
    """The overrides the widgets hold: only what differs from the baseline settings."""
    overrides: dict[str, Any] = {}
    for key, path, *_rest, as_percent in SLIDERS:
        value = st.session_state[key] / 100 if as_percent else round(float(st.session_state[key]), 4)
        if value != _get(base, path):
            _put(overrides, path, value, base)
    for key, path, _label, _step in NUMBERS:
        value = st.session_state[key]
        value = int(value) if path[0] == "advanced_per_class" else float(value)
        if value != _get(base, path):
            _put(overrides, path, value, base)
    if st.session_state["whatif_basis"] != base["concentration_basis"]:
        overrides["concentration_basis"] = st.session_state["whatif_basis"]
    mid = f"{st.session_state['whatif_mid_year']:%m-%d}"
    if mid != base["mid_year_check"]:
        overrides["mid_year_check"] = mid
    overrides_v2(base, overrides)
    return overrides


def settings_sliders(year: int) -> None:
    """① 调整参数: the sliders, the concentration basis, the mid-year date and the reward policy."""
    cols = st.columns(3)
    for i, (key, _path, label, low, high, step, as_percent) in enumerate(SLIDERS):
        with cols[i % 3]:
            if as_percent:
                st.slider(label, int(low), int(high), step=int(step), key=key, format="%d%%")
            else:
                st.slider(label, float(low), float(high), step=float(step), key=key, format="%.2f")
    cols = st.columns(3)
    with cols[0]:
        st.radio(
            "集聚度考核口径",
            ["investment", "count"],
            key="whatif_basis",
            horizontal=True,
            format_func=lambda b: {"investment": "按投资额", "count": "按项目数"}[b],
        )
    with cols[1]:
        st.date_input(
            "时间过半检查日",
            key="whatif_mid_year",
            format="YYYY-MM-DD",
            min_value=date(year, 1, 1),
            max_value=date(year, 12, 31),
        )
    v2_widgets(year)
    with st.expander("先进单位名额与奖励政策"):
        cols = st.columns(3)
        for i, (key, path, label, step) in enumerate(NUMBERS):
            with cols[i % 3]:
                if path[0] == "advanced_per_class":
                    st.number_input(label, min_value=0, max_value=20, step=1, key=key)
                else:
                    st.number_input(
                        label, min_value=0.0, step=step, key=key, format="%.3f" if step < 0.01 else "%.2f"
                    )
