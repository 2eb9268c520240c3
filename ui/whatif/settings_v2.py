"""① 调整参数, the v2 rules (METRICS.md v2, Settings): ties, the public statement, top companies,
leads, major projects, verification and stalls. Widget keys ``whatif_v2_*``; labels come from
``analytics.core.settings.SETTING_LABELS``. A blank protection period means none (null)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from analytics.core.labels import CHAIN_STEP_LABELS, COMPANY_RANK_LABELS, METRIC_LABELS
from analytics.core.schema import COMPANY_RANK_CHOICES, UNIT_METRICS
from analytics.core.settings import DEFAULT_SETTINGS, SETTING_LABELS, STATEMENT_TOWNSHIP_CHOICES

# Whole numbers of days or units: (widget key, setting key).
WHOLE_NUMBERS: list[tuple[str, str]] = [
    ("whatif_v2_stmt_departments", "statement_departments"),
    ("whatif_v2_major_min", "major_project_min_wan"),
    ("whatif_v2_stall_yellow", "stall_yellow_days"),
]
STALL_KEY = "whatif_v2_stall_"  # + stage code of stall_default_days


def _cutoff_date(month_day: str, year: int) -> date:
    """The validation cutoff MM-DD as a date of the following year (02-29 falls back to 02-28)."""
    month, day_ = (int(x) for x in month_day.split("-"))
    try:
        return date(year + 1, month, day_)
    except ValueError:
        return date(year + 1, month, 28)


def load_v2(settings: dict[str, Any], year: int) -> None:
    """Put the effective v2 settings into their widgets."""
    st.session_state["whatif_v2_tie_breakers"] = list(settings["tie_breakers"])
    st.session_state["whatif_v2_stmt_townships"] = settings["statement_townships"]
    st.session_state["whatif_v2_top_ranks"] = list(settings["top_company_ranks"])
    st.session_state["whatif_v2_cutoff"] = _cutoff_date(settings["lead_validation_cutoff"], year)
    st.session_state["whatif_v2_protection"] = settings["first_report_protection_days"]
    st.session_state["whatif_v2_verified_only"] = bool(settings["count_verified_only"])
    for key, name in WHOLE_NUMBERS:
        st.session_state[key] = int(settings[name])
    for stage, days in settings["stall_default_days"].items():
        st.session_state[STALL_KEY + stage] = int(days)


def overrides_v2(base: dict[str, Any], overrides: dict[str, Any]) -> None:
    """Add to ``overrides`` each v2 setting whose widget differs from the baseline."""
    state = st.session_state
    protection = state["whatif_v2_protection"]
    values: dict[str, Any] = {
        "tie_breakers": list(state["whatif_v2_tie_breakers"]),
        "statement_townships": state["whatif_v2_stmt_townships"],
        "top_company_ranks": list(state["whatif_v2_top_ranks"]),
        "lead_validation_cutoff": f"{state['whatif_v2_cutoff']:%m-%d}",
        "first_report_protection_days": None if protection is None else int(protection),
        "count_verified_only": bool(state["whatif_v2_verified_only"]),
        **{name: int(state[key]) for key, name in WHOLE_NUMBERS},
    }
    for name, value in values.items():
        if value != base[name]:
            overrides[name] = value
    stalls = {
        stage: int(state[STALL_KEY + stage])
        for stage, days in base["stall_default_days"].items()
        if int(state[STALL_KEY + stage]) != days
    }
    if stalls:
        overrides["stall_default_days"] = stalls


def v2_widgets(year: int) -> None:
    """The v2 rules in an expander: ties and statement, leads and companies, projects and stalls."""
    with st.expander("排名并列、公开表态、信息认定与项目口径(v2 规则)"):
        cols = st.columns(3)
        with cols[0]:
            st.multiselect(
                SETTING_LABELS["tie_breakers"] + "(按选择顺序)",
                list(UNIT_METRICS),
                format_func=METRIC_LABELS.get,
                key="whatif_v2_tie_breakers",
            )
            st.number_input(
                SETTING_LABELS["statement_departments"], min_value=0, step=1, key="whatif_v2_stmt_departments"
            )
            st.radio(
                SETTING_LABELS["statement_townships"],
                list(STATEMENT_TOWNSHIP_CHOICES),
                format_func=STATEMENT_TOWNSHIP_CHOICES.get,
                key="whatif_v2_stmt_townships",
            )
        with cols[1]:
            st.multiselect(
                SETTING_LABELS["top_company_ranks"],
                list(COMPANY_RANK_CHOICES),
                format_func=COMPANY_RANK_LABELS.get,
                key="whatif_v2_top_ranks",
            )
            st.date_input(
                SETTING_LABELS["lead_validation_cutoff"],
                key="whatif_v2_cutoff",
                format="YYYY-MM-DD",
                min_value=date(year + 1, 1, 1),
                max_value=date(year + 1, 12, 31),
            )
            st.number_input(
                SETTING_LABELS["first_report_protection_days"],
                min_value=0,
                step=1,
                key="whatif_v2_protection",
                placeholder="不限",
            )
        with cols[2]:
            st.number_input(
                SETTING_LABELS["major_project_min_wan"], min_value=0, step=10000, key="whatif_v2_major_min"
            )
            st.checkbox(SETTING_LABELS["count_verified_only"], key="whatif_v2_verified_only")
            st.number_input(
                SETTING_LABELS["stall_yellow_days"], min_value=0, step=1, key="whatif_v2_stall_yellow"
            )
        st.caption(SETTING_LABELS["stall_default_days"])
        stages = list(DEFAULT_SETTINGS["stall_default_days"])
        for col, stage in zip(st.columns(len(stages)), stages, strict=True):
            col.number_input(CHAIN_STEP_LABELS.get(stage, stage), min_value=0, step=1, key=STALL_KEY + stage)
