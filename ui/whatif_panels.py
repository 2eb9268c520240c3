"""The panels of the 模拟推演 page: the editors of a scenario (settings, targets, assumed events,
saved scenarios) and the views of its result (cards, side-by-side tables, gap solver, projection).

Every widget key starts with ``whatif_``; the person's scenario lives in session state under the
keys below. Figures come from ``analytics.scenario`` and friends; these functions only lay them out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.access import permissions
from analytics.access.users import User
from analytics.core.format import metric_value, money, percent, score
from analytics.core.labels import AWARD_LABELS, GROUP_LABELS, STATUS_LABELS
from analytics.core.period import Period
from analytics.whatif import gap_solver, scenario_store
from analytics.whatif.scenario import (
    EVENT_KINDS,
    AssumedEvent,
    Scenario,
    ScenarioComparison,
    ScenarioError,
    TargetOverride,
    scenario_settings,
)
from ui.frame import cursor, load
from ui.page import target_card
from ui.safe_text import html_text, md
from ui.widgets import excel_download, kpi_card

EVENTS_KEY = "whatif_events"
TARGETS_KEY = "whatif_target_overrides"
GEN_KEY = "whatif_editor_generation"
UP, DOWN, SAME = "#1E7B34", "#B3261E", "#5D6D7E"
AWARD_ZH = AWARD_LABELS
GROUP_ZH = GROUP_LABELS
STATUS_ZH = STATUS_LABELS

# --------------------------------------------------------------------------------------------
# settings widgets (keys whatif_*), their values become the scenario's settings overrides
# --------------------------------------------------------------------------------------------
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
    ("whatif_cap", ("score_cap",), "单项完成率计分上限", 1.0, 3.0, 0.05, False),
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
    st.session_state[EVENTS_KEY] = [e.to_dict() for e in scenario.events]
    st.session_state[TARGETS_KEY] = [t.__dict__ for t in scenario.targets]
    st.session_state[GEN_KEY] += 1


def open_saved(scenario_id: int, base: dict[str, Any], year: int) -> None:
    """Button callback (runs before the widgets are drawn, so it may set their values)."""
    try:
        opened = Scenario.from_json(load(scenario_store.load_scenario_json, scenario_id))
        load_into_widgets(scenario_settings(base, opened), opened, year)
        st.session_state["whatif_message"] = f"已打开方案“{md(opened.name)}”。"
    except (ScenarioError, scenario_store.ScenarioStoreError) as exc:
        st.session_state["whatif_message"] = f"方案无法打开:{md(exc)}"


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
    return overrides


# --------------------------------------------------------------------------------------------
# editing: settings, targets, events, saved scenarios
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# baseline vs scenario
# --------------------------------------------------------------------------------------------
def arrow(before: float | None, after: float | None, fmt=percent) -> str:
    """▲/▼ with 由…变为… — the change as text, so it never depends on colour alone."""
    if before == after:
        return "— 无变化"
    if before is None or after is None:
        return f"由 {fmt(before)} 变为 {fmt(after)}"
    return f"{'▲' if after > before else '▼'} 由 {fmt(before)} 变为 {fmt(after)}"


def _met_word(met: bool | None) -> str:
    return {True: "达标", False: "未达标"}.get(met, "无基数")


def _awards_text(a: list[str]) -> str:
    return "、".join(AWARD_ZH[x] for x in a) or "—"


def result_summary(scenario: Scenario, result: ScenarioComparison) -> None:
    """The main changes in words, then two rows of cards: 9865 rates; concentration, rewards,
    snail award and county targets — each scenario figure beside its baseline."""
    if scenario.is_empty():
        st.info("尚未调整任何参数、目标或假设:推演结果与基线相同。", icon=":material/info:")
    if result.highlights:
        st.html(
            '<div style="border-left:6px solid #B7791F;background:#FFF8E6;padding:8px 14px;border-radius:6px;'
            'font-size:1.05rem;line-height:1.9"><b>主要变化</b><br>'
            + "<br>".join(f"◆ {html_text(line)}" for line in result.highlights)
            + "</div>"
        )
    cards = st.columns(4)
    for col, row in zip(cards, result.landing.itertuples(), strict=False):
        with col:
            target_card(
                f"{row.indicator}(推演)",
                percent(row.scenario_rate),
                [
                    f"基线 {percent(row.baseline_rate)} · 目标 {percent(row.scenario_target)}",
                    arrow(row.baseline_rate, row.scenario_rate),
                    f"{_met_word(row.baseline_met)} → {_met_word(row.scenario_met)}",
                ],
                row.scenario_met,
            )
    cards = st.columns(4)
    conc = result.concentration.set_index("key")
    with cards[0]:
        target_card(
            "重点产业集聚度(推演)",
            percent(conc.loc["headline", "scenario"]),
            [
                f"口径 {'按投资额' if result.scenario['concentration']['basis'] == 'investment' else '按项目数'}"
                f" · 目标 {percent(conc.loc['target', 'scenario'])}",
                arrow(conc.loc["headline", "baseline"], conc.loc["headline", "scenario"]),
            ],
            result.scenario["concentration"]["met"],
        )
    with cards[1]:
        rewards = result.rewards.set_index("item")
        kpi_card(
            "奖励测算合计(推演)",
            money(rewards.loc["奖励合计", "scenario"]),
            [
                f"基线 {money(rewards.loc['奖励合计', 'baseline'])}",
                arrow(rewards.loc["奖励合计", "baseline"], rewards.loc["奖励合计", "scenario"], money),
            ],
        )
    snails = result.units[result.units["scenario_awards"].map(lambda a: "snail" in a)]
    with cards[2]:
        kpi_card(
            "蜗牛奖(推演)",
            "、".join(snails["name"]) or "无",
            [
                "基线 "
                + (
                    "、".join(
                        result.units.loc[result.units["baseline_awards"].map(lambda a: "snail" in a), "name"]
                    )
                    or "无"
                )
            ],
        )
    county = result.county
    with cards[3]:
        moved = county[county["changed"]]
        kpi_card(
            "全县目标状态变化",
            f"{int((county['baseline_status'] != county['scenario_status']).sum())} 项",
            [f"数值或目标变化 {len(moved)} 项"],
        )


def show(frame: pd.DataFrame, changed: pd.Series, *, key: str, filename: str) -> None:
    """A side-by-side table; rows that changed are shaded amber (and carry a ▲/▼ text column)."""
    styled = frame.style.apply(
        lambda r: ["background-color:#FFF1C7" if changed.iloc[r.name] else "" for _ in r], axis=1
    )
    st.dataframe(styled, hide_index=True, width="stretch", key=key)
    excel_download(frame, filename, key=f"{key}_xlsx")


def comparison_tables(result: ScenarioComparison) -> None:
    """Baseline and scenario side by side, one tab per part of the report, each with its download."""
    tabs = st.tabs(["9865 与集聚度", "全县目标", "乡镇与部门排名", "招商小分队", "奖励测算"])
    with tabs[0]:
        land = result.landing.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "指标": land["indicator"],
                    "基数(推演)": land["scenario_base"],
                    "基线": land["baseline_rate"].map(percent),
                    "推演": land["scenario_rate"].map(percent),
                    "目标(推演)": land["scenario_target"].map(percent),
                    "基线是否达标": land["baseline_met"].map(_met_word),
                    "推演是否达标": land["scenario_met"].map(_met_word),
                    "变化": [
                        arrow(b, s) for b, s in zip(land["baseline_rate"], land["scenario_rate"], strict=True)
                    ],
                }
            ),
            land["changed"],
            key="whatif_landing",
            filename="推演_9865.xlsx",
        )
        c = result.concentration.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "项目": c["item"],
                    "基线": [
                        (_met_word(v) if k == "met" else percent(v))
                        for k, v in zip(c["key"], c["baseline"], strict=True)
                    ],
                    "推演": [
                        (_met_word(v) if k == "met" else percent(v))
                        for k, v in zip(c["key"], c["scenario"], strict=True)
                    ],
                }
            ),
            c["changed"],
            key="whatif_conc",
            filename="推演_集聚度.xlsx",
        )
    with tabs[1]:
        cty = result.county.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "指标": cty["name"],
                    "完成(基线)": [
                        metric_value(m, v) for m, v in zip(cty["metric"], cty["baseline_actual"], strict=True)
                    ],
                    "完成(推演)": [
                        metric_value(m, v) for m, v in zip(cty["metric"], cty["scenario_actual"], strict=True)
                    ],
                    "目标(推演)": [
                        metric_value(m, v) for m, v in zip(cty["metric"], cty["scenario_target"], strict=True)
                    ],
                    "完成率(推演)": cty["scenario_completion"].map(percent),
                    "状态": [
                        f"{STATUS_ZH[b]} → {STATUS_ZH[s]}" if b != s else STATUS_ZH[s]
                        for b, s in zip(cty["baseline_status"], cty["scenario_status"], strict=True)
                    ],
                }
            ),
            cty["changed"],
            key="whatif_county",
            filename="推演_全县目标.xlsx",
        )
    with tabs[2]:
        units = result.units
        for group in ("township_1", "township_2", "department"):
            part = (
                units[units["group"] == group]
                .sort_values("scenario_rank", na_position="last")
                .reset_index(drop=True)
            )
            if part.empty:
                continue
            st.markdown(f"**{GROUP_ZH[group]}**")
            show(
                pd.DataFrame(
                    {
                        "推演名次": part["scenario_rank"],
                        "单位": part["name"],
                        "名次变化": [
                            (
                                "—"
                                if pd.isna(c) or c == 0
                                else (f"▲ 上升 {int(c)} 位" if c > 0 else f"▼ 下降 {int(-c)} 位")
                            )
                            for c in part["rank_change"]
                        ],
                        "基线得分": part["baseline_score"].map(score),
                        "推演得分": part["scenario_score"].map(score),
                        "基线奖项": part["baseline_awards"].map(_awards_text),
                        "推演奖项": part["scenario_awards"].map(_awards_text),
                    }
                ),
                part["changed"],
                key=f"whatif_units_{group}",
                filename=f"推演_{GROUP_ZH[group]}.xlsx",
            )
        if not result.award_changes.empty:
            st.markdown("**奖项得失**")
            for r in result.award_changes.itertuples():
                colour = UP if (r.change == "gained") != (r.award == "snail") else DOWN
                verb = "获得" if r.change == "gained" else "失去"
                st.html(
                    f'<span style="color:{colour};font-weight:600">{"▲" if colour == UP else "▼"} '
                    f"{html_text(r.name)}({GROUP_ZH.get(r.group, '')}){verb}{html_text(r.award_zh)}</span>"
                )
    with tabs[3]:
        sq = result.squads.reset_index(drop=True)
        if sq.empty:
            st.caption("没有产业链招商小分队。")
        else:
            show(
                pd.DataFrame(
                    {
                        "小分队": sq["name"],
                        "基线名次": sq["baseline_rank"],
                        "推演名次": sq["scenario_rank"],
                        "基线得分": sq["baseline_score"].map(score),
                        "推演得分": sq["scenario_score"].map(score),
                        "变化": [
                            arrow(b, s, score)
                            for b, s in zip(sq["baseline_score"], sq["scenario_score"], strict=True)
                        ],
                        "推演取消评优": sq["scenario_disqualified"].map(lambda d: "、".join(d) or "—"),
                    }
                ),
                sq["changed"],
                key="whatif_squads",
                filename="推演_小分队.xlsx",
            )
    with tabs[4]:
        rw = result.rewards.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "奖励": rw["item"],
                    "基线": rw["baseline"].map(money),
                    "推演": rw["scenario"].map(money),
                    "变化": [arrow(b, s, money) for b, s in zip(rw["baseline"], rw["scenario"], strict=True)],
                }
            ),
            rw["changed"],
            key="whatif_rewards",
            filename="推演_奖励.xlsx",
        )


# --------------------------------------------------------------------------------------------
# gap solver and year-end projection
# --------------------------------------------------------------------------------------------
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


def projection_panel(proj: pd.DataFrame) -> None:
    """The year-end 9865 projection (``projection.projection_json``) as cards against target."""
    if proj.empty or proj["base"].sum() == 0:
        st.info("两个年度都还没有签约项目,无法预测。")
        return
    cols = st.columns(4)
    for col, row in zip(cols, proj.itertuples(), strict=False):
        with col:
            if not row.base:
                kpi_card(f"{row.indicator} 年末预计", "—", ["暂无基数"])
                continue
            target_card(
                f"{row.indicator} 年末预计",
                percent(row.expected_rate),
                [
                    f"区间 {percent(row.low_rate)}–{percent(row.high_rate)}(10%–90%)",
                    f"目标 {percent(row.target)} · 当前 {percent(row.rate_now)}",
                    f"达标概率 {percent(row.probability_met)}",
                ],
                row.expected_rate >= row.target,
            )
    st.caption(
        f"样本:签约→开工 {int(proj['history_projects'].iloc[0])} 个项目;"
        f"开工→投产 {int(proj['history_projects'].iloc[1])} 个项目。卡片标注的是预计值对目标:达到目标 / 未达目标。"
    )
