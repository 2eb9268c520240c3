"""③ 假设事件: projects, leads or a fund arrival assumed in the scenario."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.whatif.scenario import EVENT_KINDS, AssumedEvent
from ui.safe_text import md
from ui.whatif.state import EVENTS_KEY


def assumed_events(projects: pd.DataFrame, leads: pd.DataFrame, evaluate_on: date) -> list[AssumedEvent]:
    """③ 假设事件: pick projects (``assumable_projects``), leads (``pending_leads``) or a fund
    arrival to assume; lists the assumptions so far, each removable; returns them."""
    labels = {r.project_id: f"{r.project_id} {r.name}({r.unit_name})" for r in projects.itertuples()}
    cols = st.columns([2, 1, 1, 1])
    with cols[0]:
        chosen = st.multiselect("选择项目", list(labels), format_func=labels.get, key="whatif_pick_projects")
    with cols[1]:
        kind = st.selectbox(
            "假设", ["commenced", "produced", "in_stats"], format_func=EVENT_KINDS.get, key="whatif_pick_kind"
        )
    with cols[2]:
        on = st.date_input("日期", value=evaluate_on, format="YYYY-MM-DD", key="whatif_pick_date")
    with cols[3]:
        st.write("")
        if st.button("加入假设", key="whatif_add_projects", icon=":material/add:", disabled=not chosen):
            st.session_state[EVENTS_KEY] += [AssumedEvent(kind, p, on).to_dict() for p in chosen]
    if not leads.empty:
        lead_labels = {
            r.lead_id: f"{r.lead_id} {r.company}({r.unit_name},{r.status})" for r in leads.itertuples()
        }
        lead_cols = st.columns([4, 1])
        with lead_cols[0]:
            chosen_leads = st.multiselect(
                "假设认定有效的招商信息",
                list(lead_labels),
                format_func=lead_labels.get,
                key="whatif_pick_leads",
            )
        with lead_cols[1]:
            st.write("")
            if st.button(
                "加入假设", key="whatif_add_leads", icon=":material/add:", disabled=not chosen_leads
            ):
                st.session_state[EVENTS_KEY] += [
                    AssumedEvent("lead_valid", lead).to_dict() for lead in chosen_leads
                ]
    with st.expander("假设一笔资金到位"):
        fund_cols = st.columns(6)
        fund_project = fund_cols[0].selectbox(
            "项目", list(labels), format_func=labels.get, key="whatif_fund_project"
        )
        fund_on = fund_cols[1].date_input(
            "到位日期", value=evaluate_on, format="YYYY-MM-DD", key="whatif_fund_date"
        )
        amounts = [
            fund_cols[i + 2].number_input(label, min_value=0.0, step=100.0, key=f"whatif_fund_{i}")
            for i, label in enumerate(
                ("到位资金(万元)", "其中固定资产(万元)", "实际利用外资(万美元)", "其中现汇(万美元)")
            )
        ]
        if st.button("加入资金到位假设", key="whatif_add_fund", disabled=fund_project is None):
            st.session_state[EVENTS_KEY] += [AssumedEvent("funds", fund_project, fund_on, *amounts).to_dict()]
    events = [AssumedEvent.from_dict(e) for e in st.session_state[EVENTS_KEY]]
    if events:
        st.markdown("**当前假设**")
        for i, event in enumerate(events):
            row = st.columns([6, 1])
            row[0].markdown(f"{i + 1}. {md(event.describe())}")
            if row[1].button("移除", key=f"whatif_remove_{i}"):
                st.session_state[EVENTS_KEY].pop(i)
                st.rerun()
    else:
        st.caption("尚无假设事件。可在上方挑选项目,或在下方“缺口测算”中一键加入。")
    return events
