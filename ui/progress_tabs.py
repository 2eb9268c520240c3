"""The 数据填报 page's progress tabs (METRICS.md §8): a project's milestones and four ones, a lead's
negotiation stage and a problem's category.

Every widget key starts with ``entry_progress_``; every write goes through
``analytics.entry.progress_forms`` (validated like an import, scoped to the unit, audited); a refusal
is shown in plain Chinese and changes nothing. These functions only lay out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.access.users import User
from analytics.core.labels import LEAD_STAGE_LABELS, MILESTONE_KIND_LABELS, PROBLEM_CATEGORY_LABELS
from analytics.entry import progress_forms as forms
from ui.field_errors import FieldErrors
from ui.frame import cursor
from ui.safe_text import md
from ui.widgets import empty_state, name_with_id


def _as_date(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _project_labels(projects: pd.DataFrame) -> dict[str, str]:
    return dict(zip(projects["project_id"], projects["name"], strict=True))


def milestones_and_four_ones(user: User, unit: str, units: dict[str, str], projects: pd.DataFrame) -> None:
    """Pick one of the unit's projects: record a milestone (planned / done), then its four ones."""
    if projects.empty:
        empty_state("本单位还没有项目;新项目请通过「批量上传」或由招商办导入。")
        return
    labels = _project_labels(projects)
    pid = st.selectbox("项目", list(labels), format_func=name_with_id(labels), key="entry_progress_pick")
    stored = forms.unit_milestones(cursor(), user, unit)
    stored = stored[stored["project_id"] == pid].set_index("kind")

    st.markdown("**项目节点**(完成日期不能晚于今天;计划日期可以是将来)")
    kind = st.selectbox(
        "节点", list(MILESTONE_KIND_LABELS), format_func=MILESTONE_KIND_LABELS.get, key="entry_progress_kind"
    )
    opened = (
        (_as_date(stored.loc[kind, "planned_on"]), _as_date(stored.loc[kind, "done_on"]))
        if kind in stored.index
        else None
    )
    opened = st.session_state.setdefault(f"entry_progress_opened_{pid}_{kind}", opened)
    with st.form(f"entry_progress_milestone_{pid}_{kind}"):
        errors = FieldErrors()
        cols = st.columns(2)
        planned = errors.field(
            "planned_on",
            cols[0].date_input,
            "计划日期",
            value=opened[0] if opened else None,
            format="YYYY-MM-DD",
        )
        done = errors.field(
            "done_on",
            cols[1].date_input,
            "完成日期",
            value=opened[1] if opened else None,
            format="YYYY-MM-DD",
        )
        submitted = st.form_submit_button("保存节点", type="primary")
    if submitted:
        result = errors.save(
            lambda: forms.record_milestone(
                cursor(), user, project_id=pid, kind=kind, planned_on=planned, done_on=done, opened_as=opened
            )
        )
        if result is not None:
            st.session_state[f"entry_progress_opened_{pid}_{kind}"] = (planned, done)
            st.success(md(result.message))
    if not stored.empty:
        shown = stored.reset_index()
        st.dataframe(
            pd.DataFrame(
                {
                    "节点": shown["kind"].map(MILESTONE_KIND_LABELS),
                    "计划日期": shown["planned_on"].map(_as_date),
                    "完成日期": shown["done_on"].map(_as_date),
                }
            ),
            hide_index=True,
            width="stretch",
        )
    four_ones(user, units, pid)


def four_ones(user: User, units: dict[str, str], pid: str) -> None:
    """四个一: county leader, responsible unit, helper and the schedule (planned 开工 / 投产)."""
    st.markdown("**四个一**(挂包县领导、责任单位、帮办专员、计划日期)")
    row = forms.project_four_ones(cursor(), user, pid)
    if row is None:
        return
    version = st.session_state.setdefault(f"entry_progress_version_{pid}", int(row["row_version"]))
    unit_ids = ["", *units]
    current_unit = row.get("responsible_unit_id")
    with st.form(f"entry_progress_four_{pid}_{version}"):
        errors = FieldErrors()
        cols = st.columns(3)
        leader = errors.field(
            "leader_in_charge", cols[0].text_input, "挂包县领导", value=_text(row.get("leader_in_charge"))
        )
        responsible = errors.field(
            "responsible_unit_id",
            cols[1].selectbox,
            "责任单位",
            options=unit_ids,
            index=unit_ids.index(current_unit) if current_unit in unit_ids else 0,
            format_func=lambda u: units.get(u, "—(未明确)"),
        )
        helper = errors.field("helper", cols[2].text_input, "帮办专员", value=_text(row.get("helper")))
        cols = st.columns(2)
        commence = errors.field(
            "planned_commence_on",
            cols[0].date_input,
            "计划开工日期",
            value=_as_date(row.get("planned_commence_on")),
            format="YYYY-MM-DD",
        )
        production = errors.field(
            "planned_production_on",
            cols[1].date_input,
            "计划投产日期",
            value=_as_date(row.get("planned_production_on")),
            format="YYYY-MM-DD",
        )
        submitted = st.form_submit_button("保存四个一", type="primary")
    if submitted:
        result = errors.save(
            lambda: forms.set_four_ones(
                cursor(),
                user,
                pid,
                version,
                leader_in_charge=leader.strip() or None,
                responsible_unit_id=responsible or None,
                helper=helper.strip() or None,
                planned_commence_on=commence,
                planned_production_on=production,
            )
        )
        if result is not None:
            st.session_state[f"entry_progress_version_{pid}"] = result.row_version
            st.success(f"项目 {md(pid)} 的四个一已保存。")


def stages_and_categories(user: User, unit: str, projects: pd.DataFrame) -> None:
    """Move one of the unit's leads to its new stage; set the category of a problem on its projects."""
    leads = forms.unit_stage_leads(cursor(), user, unit)
    st.markdown("**洽谈阶段**(初次接洽 → 考察 → 在谈 → 已签约 / 终止)")
    if leads.empty:
        empty_state("本单位还没有报送招商信息。")
    else:
        names = dict(zip(leads["lead_id"], leads["company"], strict=True))
        lead_id = st.selectbox(
            "招商信息", list(names), format_func=lambda i: f"{names[i]}({i})", key="entry_progress_lead"
        )
        row = leads.set_index("lead_id").loc[lead_id]
        version = st.session_state.setdefault(
            f"entry_progress_lead_version_{lead_id}", int(row["row_version"])
        )
        current = row["stage"] if isinstance(row["stage"], str) else "contact"
        st.caption(f"当前阶段:{LEAD_STAGE_LABELS.get(current, current)}")
        labels = _project_labels(projects) if not projects.empty else {}
        with st.form(f"entry_progress_stage_{lead_id}_{version}"):
            errors = FieldErrors()
            cols = st.columns(3)
            stage = errors.field(
                "stage", cols[0].selectbox, "新阶段", options=list(LEAD_STAGE_LABELS),
                index=list(LEAD_STAGE_LABELS).index(current), format_func=LEAD_STAGE_LABELS.get,
            )  # fmt: skip
            when = errors.field(
                "stage_changed_on", cols[1].date_input, "阶段日期", value=date.today(), format="YYYY-MM-DD"
            )
            linked = row["project_id"] if isinstance(row["project_id"], str) else ""
            options = ["", *labels]
            project = errors.field(
                "project_id",
                cols[2].selectbox,
                "转化项目(已签约时必填)",
                options=options,
                index=options.index(linked) if linked in options else 0,
                format_func=lambda p: labels.get(p, "—"),
            )
            submitted = st.form_submit_button("保存阶段", type="primary")
        if submitted:
            result = errors.save(
                lambda: forms.move_lead_stage(
                    cursor(), user, lead_id, version, stage=stage, changed_on=when, project_id=project or None
                )
            )
            if result is not None:
                st.session_state[f"entry_progress_lead_version_{lead_id}"] = result.row_version
                st.success("阶段已保存,并记入操作日志。")
    problem_categories(user, unit)


def problem_categories(user: User, unit: str) -> None:
    problems = forms.unit_problem_rows(cursor(), user, unit)
    st.markdown("**问题类别**(规划、土地、环保、能评、安全、资金、其他)")
    if problems.empty:
        empty_state("本单位项目还没有问题记录。")
        return
    texts = dict(zip(problems["problem_id"], problems["description"], strict=True))
    pid = st.selectbox(
        "问题", list(texts), format_func=lambda i: f"{i}:{texts[i][:30]}", key="entry_progress_problem"
    )
    row = problems.set_index("problem_id").loc[pid]
    version = st.session_state.setdefault(f"entry_progress_problem_version_{pid}", int(row["row_version"]))
    options = ["", *PROBLEM_CATEGORY_LABELS]
    current = row["category"] if isinstance(row["category"], str) else ""
    with st.form(f"entry_progress_category_{pid}_{version}"):
        errors = FieldErrors()
        category = errors.field(
            "category",
            st.selectbox,
            "类别",
            options=options,
            index=options.index(current) if current in options else 0,
            format_func=lambda c: PROBLEM_CATEGORY_LABELS.get(c, "—(未分类)"),
        )
        submitted = st.form_submit_button("保存类别", type="primary")
    if submitted:
        result = errors.save(
            lambda: forms.set_problem_category(cursor(), user, pid, version, category or None)
        )
        if result is not None:
            st.session_state[f"entry_progress_problem_version_{pid}"] = result.row_version
            st.success("问题类别已保存。")
