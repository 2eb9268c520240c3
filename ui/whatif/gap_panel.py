"""缺口测算: the unmet targets, their candidate projects and the button that assumes them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.core.format import count, in_unit, money, money_unit, percent, usd_wan
from analytics.whatif import gap_solver
from analytics.whatif.scenario import EVENT_KINDS
from ui.page import PERCENT_FORMAT, WAN_FORMAT, number_columns
from ui.whatif.state import EVENTS_KEY


def gap_solver_panel(
    gaps: list[gap_solver.Gap], evaluate_on: date, projection: pd.DataFrame | None = None
) -> None:
    """The unmet targets (``gap_solver.unmet_targets_json``): how much is missing, whether the
    existing candidate projects suffice, and — for the 9865 rates — the year-end probability of
    meeting the target (``projection.projection_json``, the same figure as the 年末预测 cards);
    then the candidate projects of one and a button that assumes the fewest that close the gap."""
    if not gaps:
        st.success("推演口径下所有目标均已达到。")
        return
    probabilities = year_end_probabilities(projection)
    summary = pd.DataFrame(
        {
            "指标": [g.label for g in gaps],
            "还需": [needed_text(g) for g in gaps],
            "候选项目是否足够": [candidates_word(g) for g in gaps],
            "年末达标概率": [percent(probabilities.get(g.key)) for g in gaps],
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
    unit = money_unit(cand["total_investment_wan"])
    invested = f"总投资({unit})"
    view = pd.DataFrame(
        {
            "顺位": cand["readiness_rank"],
            "项目": cand["project_name"],
            "引进单位": cand["unit_name"],
            invested: [in_unit(v, unit) for v in cand["total_investment_wan"]],
            "已入统": cand["in_stats"].map({True: "是", False: "否"}),
            "资金到位比例": cand["funds_share"].astype("Float64") * 100,
            "未解决问题": cand["open_problems"],
            "签约天数": cand["days_since_signed"],
        }
    )
    st.dataframe(
        view,
        hide_index=True,
        width="stretch",
        height=260,
        column_config=number_columns({invested: WAN_FORMAT, "资金到位比例": PERCENT_FORMAT}),
    )
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


def needed_text(gap: gap_solver.Gap) -> str:
    """What is still missing, in the gap's own unit: 12 个, 3.50 亿元, 820.00 万美元."""
    if gap.needed is None:
        return "—"
    if gap.unit_zh == "万元":
        return money(gap.needed)
    if gap.unit_zh == "万美元":
        return usd_wan(gap.needed)
    return count(gap.needed, gap.unit_zh)


def candidates_word(gap: gap_solver.Gap) -> str:
    """足够 / 不足: whether the existing candidate projects can close the gap by the chosen date
    (``Gap.reachable``); 「—」 where no existing record can (a new signing, a fund arrival, a lead)."""
    if not gap.event_kind:
        return "—"
    return "足够" if gap.reachable else "不足"


def year_end_probabilities(projection: pd.DataFrame | None) -> dict[str, float | None]:
    """Gap key → the year-end probability of meeting the target, for the 9865 rates the projection
    covers (keys as ``gap_solver`` names them: ``landing:<cohort>:<kind>``)."""
    if projection is None or projection.empty:
        return {}
    return {
        f"landing:{row.cohort}:{row.kind}": (
            None if pd.isna(row.probability_met) else float(row.probability_met)
        )
        for row in projection.itertuples()
    }
