"""④ 方案管理: save, open, delete and compare saved scenarios; download the settings JSON."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analytics.access import permissions
from analytics.access.users import User
from analytics.core.period import Period
from analytics.whatif import scenario_store
from analytics.whatif.scenario import Scenario, ScenarioError, scenario_settings
from ui.frame import cursor, load
from ui.safe_text import md
from ui.whatif.settings_editor import load_into_widgets


def open_saved(scenario_id: int, base: dict[str, Any], year: int) -> None:
    """Button callback (runs before the widgets are drawn, so it may set their values)."""
    try:
        opened = Scenario.from_json(load(scenario_store.load_scenario_json, scenario_id))
        load_into_widgets(scenario_settings(base, opened), opened, year)
        st.session_state["whatif_message"] = f"已打开方案“{md(opened.name)}”。"
    except (ScenarioError, scenario_store.ScenarioStoreError) as exc:
        st.session_state["whatif_message"] = f"方案无法打开:{md(exc)}"


def scenario_management(
    saved: pd.DataFrame,
    scenario: Scenario,
    user: User,
    base: dict[str, Any],
    run_period: Period,
    base_overrides_json: str,
) -> None:
    """④ 方案管理: save the current scenario, open, delete or compare saved ones (``saved`` is
    ``scenario_store.list_scenarios``), download the settings as JSON."""
    can_save = permissions.can(user, "save_scenarios")  # checked again, with ownership, on saving
    cols = st.columns([3, 1])
    name = cols[0].text_input("方案名称", key="whatif_save_name", max_chars=scenario_store.MAX_NAME_LENGTH)
    with cols[1]:
        st.write("")
        if st.button("保存当前方案", key="whatif_save", icon=":material/save:", disabled=not can_save):
            try:
                scenario_store.save_scenario_as(cursor(), user, scenario, name)
                st.success(f"已保存推演方案“{md(name.strip())}”(只保存方案本身,不改动任何数据)。")
            except (scenario_store.ScenarioStoreError, permissions.PermissionDenied) as exc:
                st.error(md(exc))
    if not can_save:
        st.caption("只有招商办和县领导账号可以保存方案;县领导只能覆盖或删除自己保存的方案。")
    if saved.empty:
        st.caption("尚无已保存的方案。")
    else:
        options = dict(zip(saved["scenario_id"], saved["name"], strict=True))
        shown = saved.assign(
            when=saved["updated_at"].map(lambda t: f"{t:%Y-%m-%d %H:%M}"),
        )[["name", "created_by", "when", "settings_count", "targets_count", "events_count"]].rename(
            columns={
                "name": "方案",
                "created_by": "保存人",
                "when": "保存时间",
                "settings_count": "参数调整",
                "targets_count": "目标调整",
                "events_count": "假设事件",
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        cols = st.columns([3, 1, 1])
        picked = cols[0].selectbox(
            "选择方案", list(options), format_func=options.get, key="whatif_saved_pick"
        )
        with cols[1]:
            st.write("")
            st.button(
                "打开",
                key="whatif_open",
                icon=":material/folder_open:",
                on_click=open_saved,
                args=(int(picked), base, run_period.year),
            )
        with cols[2]:
            st.write("")
            if st.button("删除", key="whatif_delete", icon=":material/delete:", disabled=not can_save):
                try:
                    scenario_store.delete_scenario_as(cursor(), user, int(picked))
                    st.rerun()
                except (scenario_store.ScenarioStoreError, permissions.PermissionDenied) as exc:
                    st.error(md(exc))
        if len(options) >= 2:
            cols = st.columns(2)
            first = cols[0].selectbox(
                "对比:方案甲", list(options), format_func=options.get, key="whatif_cmp_a"
            )
            second = cols[1].selectbox(
                "对比:方案乙", list(options), index=1, format_func=options.get, key="whatif_cmp_b"
            )
            if first != second:
                try:
                    pair = load(
                        scenario_store.compare_saved_json,
                        run_period,
                        base_overrides_json,
                        int(first),
                        int(second),
                    )
                    st.markdown(f"**{md(options[first])} → {md(options[second])}**")
                    for line in pair.highlights or ["两个方案的考核结果相同。"]:
                        st.markdown("· " + md(line))
                except scenario_store.ScenarioStoreError as exc:
                    st.error(md(exc))
    text, note = scenario_store.export_settings(scenario)
    st.download_button(
        "下载设置 JSON",
        data=text.encode("utf-8"),
        file_name="推演设置.json",
        mime="application/json",
        key="whatif_export",
        icon=":material/download:",
    )
    st.caption(note)
    with st.expander("查看设置 JSON"):
        st.code(text, language="json")
