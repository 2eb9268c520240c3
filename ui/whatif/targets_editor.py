"""② 调整目标: the year's targets with an editable scenario column."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.whatif.scenario import TargetOverride
from ui.safe_text import md
from ui.whatif.state import GEN_KEY, TARGETS_KEY


def target_editor(base_targets: pd.DataFrame, year: int) -> list[TargetOverride]:
    """② 调整目标: the year's targets (``targets_frame``) with an editable scenario column; returns
    the valid changed targets and shows an error for each invalid one."""
    st.caption("修改“推演目标值”一列即可;留空表示不设目标。服务器端会再次校验(须为不小于 0 的数)。")
    overrides_now = {(t["scope"], t["metric"]): t["value"] for t in st.session_state[TARGETS_KEY]}
    editable = base_targets.assign(
        scenario_value=[
            overrides_now.get((s, m), v)
            for s, m, v in zip(
                base_targets["scope"], base_targets["metric"], base_targets["value"], strict=True
            )
        ]
    )
    edited = st.data_editor(
        editable[["scope_name", "metric_zh", "value", "scenario_value"]].rename(
            columns={
                "scope_name": "对象",
                "metric_zh": "指标",
                "value": "现行目标",
                "scenario_value": "推演目标值",
            }
        ),
        disabled=["对象", "指标", "现行目标"],
        column_config={
            "推演目标值": st.column_config.NumberColumn(min_value=0, format="%,.2f"),
            "现行目标": st.column_config.NumberColumn(format="%,.2f"),
        },
        hide_index=True,
        width="stretch",
        height=360,
        key=f"whatif_targets_{st.session_state[GEN_KEY]}",
    )
    target_errors: list[str] = []
    target_overrides: list[TargetOverride] = []
    for (scope, metric, current, name, metric_zh), value in zip(
        base_targets[["scope", "metric", "value", "scope_name", "metric_zh"]].itertuples(index=False),
        edited["推演目标值"],
        strict=True,
    ):
        if value is None or pd.isna(value):
            continue
        if not isinstance(value, int | float) or value < 0:
            target_errors.append(f"{name} · {metric_zh}:目标值应为不小于 0 的数,实际为 {value!r}")
            continue
        if pd.isna(current) or float(value) != float(current):
            target_overrides.append(TargetOverride(year, scope, metric, float(value)))
    for message in target_errors:
        st.error(md(message) + "(该项未计入推演)")
    return target_overrides
