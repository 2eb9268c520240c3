"""② 调整目标: the year's targets with an editable scenario column, one editor per unit (money in
亿元 or 万元, 万美元, counts), each naming its unit in the column headers."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.whatif.scenario import TargetOverride
from ui.safe_text import md
from ui.whatif.state import GEN_KEY, TARGETS_KEY
from ui.whatif.target_units import KINDS, number_column, refusal, shown_unit, target_kind, to_shown, to_stored


def target_editor(base_targets: pd.DataFrame, year: int) -> list[TargetOverride]:
    """② 调整目标: the year's targets (``targets_frame``) in one editor per unit; returns the valid
    changed targets (stored units: 万元, 万美元, 个) and shows an error for each invalid one."""
    st.caption(
        "修改“推演目标”一列即可;留空表示不设目标。金额按列标题中的单位填写(1 亿元 = 10,000 万元),"
        "个数填整数。服务器端会再次校验。"
    )
    overrides_now = {(t["scope"], t["metric"]): t["value"] for t in st.session_state[TARGETS_KEY]}
    kinds = base_targets["metric"].map(target_kind)
    errors: list[str] = []
    overrides: list[TargetOverride] = []
    for kind, heading in KINDS:
        part = base_targets[kinds == kind].reset_index(drop=True)
        if part.empty:
            continue
        scenario = [
            overrides_now.get((s, m), v)
            for s, m, v in zip(part["scope"], part["metric"], part["value"], strict=True)
        ]
        unit = shown_unit(kind, [*part["value"], *scenario])
        current_shown = [to_shown(v, unit) for v in part["value"]]
        scenario_shown = [to_shown(v, unit) for v in scenario]
        current_label, scenario_label = f"现行目标({unit})", f"推演目标({unit})"
        frame = pd.DataFrame(
            {
                "对象": part["scope_name"],
                "指标": part["metric_zh"].str.replace(f"({unit})", "", regex=False),
                current_label: pd.array(current_shown, dtype="Int64" if unit == "个" else "Float64"),
                scenario_label: pd.array(scenario_shown, dtype="Int64" if unit == "个" else "Float64"),
            }
        )
        st.markdown(f"**{heading}({unit})**")
        edited = st.data_editor(
            frame,
            disabled=["对象", "指标", current_label],
            column_config={
                current_label: number_column(current_label, unit, current_shown),
                scenario_label: number_column(scenario_label, unit, scenario_shown),
            },
            hide_index=True,
            width="stretch",
            height=min(360, 35 * (len(frame) + 1) + 3),
            key=f"whatif_targets_{kind}_{st.session_state[GEN_KEY]}",
        )
        for (scope, metric, current, name, metric_zh), value in zip(
            part[["scope", "metric", "value", "scope_name", "metric_zh"]].itertuples(index=False),
            edited[scenario_label],
            strict=True,
        ):
            if value is None or pd.isna(value):
                continue
            if why := refusal(value, unit):
                errors.append(f"{name} · {metric_zh}:目标值{why}")
                continue
            stored = to_stored(value, unit)
            if pd.isna(current) or stored != float(current):
                overrides.append(TargetOverride(year, scope, metric, stored))
    for message in errors:
        st.error(md(message) + "(该项未计入推演)")
    return overrides
