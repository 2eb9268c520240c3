"""缺口测算: the unmet targets, their candidate projects and the button that assumes them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.core.format import money, percent
from analytics.whatif import gap_solver
from analytics.whatif.scenario import EVENT_KINDS
from ui.whatif.state import EVENTS_KEY


def gap_solver_panel(gaps: list[gap_solver.Gap], evaluate_on: date) -> None:
    """The unmet targets (``gap_solver.unmet_targets_json``): how much is missing, then the
    candidate projects of one and a button that assumes the fewest that close the gap."""
    if not gaps:
        st.success("推演口径下所有目标均已达到。")
        return
    summary = pd.DataFrame(
        {
            "指标": [g.label for g in gaps],
            "还需": [
                f"{g.needed:,.2f} {g.unit_zh}"
                if g.unit_zh != "个"
                else f"{int(g.needed)} 个"
                if g.needed is not None
                else "—"
                for g in gaps
            ],
            "能否达到": ["可以" if g.reachable else "现有记录不足" for g in gaps],
            "说明": [g.note for g in gaps],
        }
    )
    st.dataframe(summary, hide_index=True, width="stretch", height=260)
    solvable = [g for g in gaps if g.event_kind and not g.candidates.empty]
    if not solvable:
        return
    by_key = {g.key: g for g in solvable}
    pick = st.selectbox(
        "查看候选项目",
        list(by_key),
        format_func=lambda k: f"{by_key[k].label}(还需 {by_key[k].minimum_candidates or '—'} 个)",
        key="whatif_gap_pick",
    )
    gap = by_key[pick]
    st.caption(f"候选排序:{gap_solver.READINESS_ORDER}。假设日期为推演截至日期 {evaluate_on:%Y-%m-%d}。")
    cand = gap.candidates
    view = pd.DataFrame(
        {
            "顺位": cand["readiness_rank"],
            "项目": cand["project_name"],
            "引进单位": cand["unit_name"],
            "总投资": cand["total_investment_wan"].map(money),
            "已入统": cand["in_stats"].map({True: "是", False: "否"}),
            "资金到位比例": cand["funds_share"].map(percent),
            "未解决问题": cand["open_problems"],
            "签约天数": cand["days_since_signed"],
        }
    )
    st.dataframe(view, hide_index=True, width="stretch", height=260)
    take = gap.minimum_candidates
    if take:
        if st.button(
            f"加入假设:前 {take} 个项目{EVENT_KINDS[gap.event_kind]}",
            key="whatif_gap_add",
            icon=":material/playlist_add:",
            type="primary",
        ):
            new = gap_solver.to_assumptions(
                cand["project_id"].head(take).tolist(), gap.event_kind, evaluate_on
            )
            st.session_state[EVENTS_KEY] += [e.to_dict() for e in new]
            st.rerun()
    else:
        st.warning("候选项目全部实现也达不到目标。")
