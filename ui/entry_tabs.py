"""The tabs of the 数据填报 page: report a lead, project progress, fund arrivals, problems, the unit's
Excel upload and the unit's own leads.

Every widget key starts with ``entry_``; the row version a form was opened on is kept in session
state (``entry_<kind>_version_<id>``) until it is saved or reloaded, so a stale save is refused.
Every write goes through ``analytics.entry`` (audited); these functions only lay out.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from analytics.access.permissions import scope_rows_for
from analytics.access.users import User
from analytics.core.format import day, money
from analytics.core.labels import INVESTOR_ORIGIN_SUGGESTIONS, LEAD_STATUS_LABELS, TIER_CRITERIA, TIER_LABELS
from analytics.core.schema import MAX_UPLOAD_MB, TABLES_BY_NAME
from analytics.data.importer import ImportFailed, upload_size_problem
from analytics.entry import queries as entry_data
from analytics.entry import writes as entry
from ui.field_errors import FieldErrors
from ui.frame import cursor, load
from ui.safe_text import md
from ui.submit_guard import submit_once
from ui.widgets import empty_state, excel_bytes, import_errors, name_with_id


def scoped(user: User, table: str, func: Callable[..., pd.DataFrame], unit: str) -> pd.DataFrame:
    """``func``'s rows of ``unit`` (cached), only those ``user`` may see on this page."""
    return scope_rows_for(user, table, load(func, unit))


def _opened_version(kind: str, key: str, current: int) -> int:
    """The row version this person's form was opened on (kept until saved or reloaded)."""
    return st.session_state.setdefault(f"entry_{kind}_version_{key}", int(current))


def _reload_button(kind: str, key: str) -> None:
    if st.button("载入最新数据", key=f"entry_{kind}_reload_{key}", icon=":material/refresh:"):
        st.session_state.pop(f"entry_{kind}_version_{key}", None)
        st.rerun()


LEAD_COLUMNS = {c.name: c for c in TABLES_BY_NAME["leads"].columns}


def _as_date(value: Any) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


# --------------------------------------------------------------------------------------------
# 报送招商信息
# --------------------------------------------------------------------------------------------
def report_lead(user: User, unit: str, industries: dict[str, str]) -> None:
    """The lead form, with the first-report check on the company name shown as it is typed, the
    tiers' criteria beside the tier, and each refusal under its field (summary on top)."""
    errors = FieldErrors()
    company = errors.field(
        "company",
        st.text_input,
        "意向企业名称",
        key="entry_lead_company",
        placeholder="填写企业全称,系统即时查重",
    )
    check_slot = st.empty()  # filled after a submission is handled, so it is never stale
    with st.form("entry_lead_form", clear_on_submit=False):
        cols = st.columns(2)
        industry = errors.field(
            "industry_id",
            cols[0].selectbox,
            "产业",
            options=list(industries),
            format_func=lambda i: industries[i],
            key="entry_lead_industry",
        )
        amount = errors.field(
            "intended_investment_wan",
            cols[1].text_input,
            "意向投资(万元)",
            key="entry_lead_amount",
            placeholder="例如 5,000",
        )
        cols = st.columns([1, 2])
        tier = errors.field(
            "tier",
            cols[0].selectbox,
            "信息等级",
            options=list(TIER_LABELS),
            format_func=TIER_LABELS.get,
            key="entry_lead_tier",
        )
        cols[1].markdown("  \n".join(f"**{TIER_LABELS[t]}**:{text}" for t, text in TIER_CRITERIA.items()))
        cols = st.columns(2)
        contact = errors.field(
            "contact_person",
            cols[0].text_input,
            "联系人",
            key="entry_lead_contact",
            placeholder="对方联系人姓名和电话,如 王经理 13800000000",
        )
        origin = errors.field(
            "investor_origin",
            cols[1].selectbox,
            "投资方来源",
            options=list(INVESTOR_ORIGIN_SUGGESTIONS),
            index=None,
            accept_new_options=True,
            placeholder="选择省内、省外、境外,或直接输入地方,如 江苏苏州",
            key="entry_lead_origin",
        )
        content = errors.field(
            "project_content",
            st.text_area,
            "项目内容",
            key="entry_lead_content",
            placeholder="项目是什么:产品、规模、拟选址等",
            height=90,
        )
        submitted = st.form_submit_button("报送", type="primary", icon=":material/send:")
    result = None
    if submitted:
        result = submit_once(
            "entry_lead",
            (unit, company, industry, amount, tier, contact, origin, content),
            lambda: errors.save(
                lambda: entry.report_lead(
                    cursor(),
                    user,
                    company=company,
                    industry_id=industry,
                    intended_investment_wan=amount,
                    tier=tier,
                    contact_person=contact,
                    project_content=content,
                    investor_origin=origin,
                    unit_id=unit,
                )
            ),
        )
        if result is not None:
            (st.warning if result.first_report else st.success)(md(result.message))
    if company.strip() and not (submitted and result is not None):
        earlier = load(entry_data.first_report_lookup, company)
        if earlier:
            check_slot.warning(
                f"首报查重:该企业{md(earlier)}。再次报送将记为重复信息,不计分。",
                icon=":material/content_copy:",
            )
        else:
            check_slot.success("首报查重:尚无单位报送过该企业。", icon=":material/check_circle:")


# --------------------------------------------------------------------------------------------
# 项目进度
# --------------------------------------------------------------------------------------------
def project_progress(user: User, projects: pd.DataFrame) -> None:
    """Pick one of the unit's projects and record its in-stats, commencement and production dates."""
    if projects.empty:
        empty_state("本单位还没有项目;新项目请通过「批量上传」或由招商办导入。")
        return
    labels = dict(zip(projects["project_id"], projects["name"], strict=True))
    pid = st.selectbox("项目", list(labels), format_func=name_with_id(labels), key="entry_project_pick")
    row = projects.set_index("project_id").loc[pid]
    version = _opened_version("project", pid, row["row_version"])
    st.caption(f"签约日期 {day(_as_date(row['signed_date']))} · 总投资 {money(row['total_investment_wan'])}")
    with st.form(f"entry_project_form_{pid}_{version}"):
        errors = FieldErrors()
        milestones = (
            ("in_stats_date", "入统日期"),
            ("commenced_date", "开工日期"),
            ("production_date", "投产日期"),
        )
        in_stats, commenced, produced = (
            errors.field(column, place.date_input, label, value=_as_date(row[column]), format="YYYY-MM-DD")
            for place, (column, label) in zip(st.columns(3), milestones, strict=True)
        )
        submitted = st.form_submit_button("保存进度", type="primary")
    if submitted:
        result = errors.save(
            lambda: entry.update_project_stages(
                cursor(),
                user,
                pid,
                version,
                in_stats_date=in_stats,
                commenced_date=commenced,
                production_date=produced,
            )
        )
        if result is not None:
            st.session_state[f"entry_project_version_{pid}"] = result.row_version
            st.success(f"项目 {md(pid)} 的进度已保存。")
    _reload_button("project", pid)


# --------------------------------------------------------------------------------------------
# 资金到位
# --------------------------------------------------------------------------------------------
def fund_arrivals(user: User, unit: str, projects: pd.DataFrame) -> None:
    """Record a fund arrival for one of the unit's projects; the unit's latest arrivals below."""
    if projects.empty:
        empty_state("本单位还没有项目。")
        return
    labels = dict(zip(projects["project_id"], projects["name"], strict=True))
    # Values stay after a submission, so a refused one can be corrected where its errors are shown
    # (a second press with the same values is caught by ``submit_once``).
    with st.form("entry_funds_form"):
        errors = FieldErrors()
        pid = errors.field(
            "project_id",
            st.selectbox,
            "项目",
            options=list(labels),
            format_func=name_with_id(labels),
        )
        when = errors.field("date", st.date_input, "到位日期", value=date.today(), format="YYYY-MM-DD")
        cols = st.columns(4)
        amount = errors.field("amount_wan", cols[0].text_input, "到位资金(万元)")
        fixed = errors.field("fixed_asset_wan", cols[1].text_input, "其中固定资产投资(万元)", value="0")
        fdi = errors.field(
            "fdi_usd_wan", cols[2].text_input, "实际利用外资(万美元)", value="0", help="仅外资项目填写"
        )
        fx = errors.field(
            "fx_usd_wan", cols[3].text_input, "其中现汇进资(万美元)", value="0", help="仅外资项目填写"
        )
        submitted = st.form_submit_button("登记", type="primary")
    if submitted:
        result = submit_once(
            "entry_funds",
            (pid, when, amount, fixed, fdi, fx),
            lambda: errors.save(
                lambda: entry.record_fund_arrival(
                    cursor(),
                    user,
                    project_id=pid,
                    date=when,
                    amount_wan=amount,
                    fixed_asset_wan=fixed,
                    fdi_usd_wan=fdi,
                    fx_usd_wan=fx,
                )
            ),
        )
        if result is not None:
            st.success(md(result.message))
    arrivals = scoped(user, "fund_arrivals", entry_data.unit_fund_arrivals, unit)
    st.dataframe(arrivals.drop(columns="project_unit_id").head(50), hide_index=True, width="stretch")


# --------------------------------------------------------------------------------------------
# 问题清单
# --------------------------------------------------------------------------------------------
def problems(user: User, unit: str, units: dict[str, str], projects: pd.DataFrame) -> None:
    """Raise a problem on one of the unit's projects; mark one of the unit's open problems resolved."""
    if not projects.empty:
        labels = dict(zip(projects["project_id"], projects["name"], strict=True))
        with st.form("entry_problem_form"):  # values stay, as in the fund form
            st.markdown("**提出问题**")
            errors = FieldErrors()
            pid = errors.field(
                "project_id",
                st.selectbox,
                "项目",
                options=list(labels),
                format_func=name_with_id(labels),
            )
            text = errors.field("description", st.text_area, "问题描述")
            cols = st.columns(2)
            owner = errors.field(
                "responsible_unit_id",
                cols[0].selectbox,
                "责任单位",
                options=list(units),
                format_func=lambda u: f"{units[u]}({u})",
            )
            due = errors.field("due_date", cols[1].date_input, "办结时限", value=None, format="YYYY-MM-DD")
            submitted = st.form_submit_button("登记问题", type="primary")
        if submitted:
            result = submit_once(
                "entry_problem",
                (pid, text, owner, due),
                lambda: errors.save(
                    lambda: entry.raise_problem(
                        cursor(),
                        user,
                        project_id=pid,
                        description=text,
                        responsible_unit_id=owner,
                        due_date=due,
                    )
                ),
            )
            if result is not None:
                st.success(md(result.message))
    unit_problems = scoped(user, "problems", entry_data.unit_problems, unit)
    open_problems = unit_problems[unit_problems["resolved_on"].isna()]
    if open_problems.empty:
        st.info("本单位没有未办结的问题。")
        return
    st.markdown("**问题办结**")
    names = dict(zip(open_problems["problem_id"], open_problems["description"], strict=True))
    qid = st.selectbox("问题", list(names), format_func=lambda q: f"{q}:{names[q]}", key="entry_problem_pick")
    version = _opened_version("problem", qid, unit_problems.set_index("problem_id").at[qid, "row_version"])
    with st.form(f"entry_resolve_{qid}_{version}"):
        errors = FieldErrors()
        resolved = errors.field(
            "resolved_on", st.date_input, "办结日期", value=date.today(), format="YYYY-MM-DD"
        )
        submitted = st.form_submit_button("标记办结", type="primary")
    if submitted:
        result = errors.save(lambda: entry.resolve_problem(cursor(), user, qid, version, resolved))
        if result is not None:
            st.session_state[f"entry_problem_version_{qid}"] = result.row_version
            st.success(f"问题 {md(qid)} 已办结。")
    _reload_button("problem", qid)


# --------------------------------------------------------------------------------------------
# 批量上传
# --------------------------------------------------------------------------------------------
def unit_upload(user: User) -> None:
    """The unit's own workbook (blank template to download), checked by the office import's rules."""
    st.markdown(
        "上传本单位的 Excel 工作簿(工作表:项目 projects、资金到位 fund_arrivals、招商信息 leads、问题清单 problems,"
        "按需包含其中几张)。校验规则与招商办导入完全相同;只能包含本单位的数据;新报送信息的报送时间由系统记录。"
    )
    template = {
        TABLES_BY_NAME[t].zh: pd.DataFrame(columns=[c.zh for c in TABLES_BY_NAME[t].columns])
        for t in entry.UPLOAD_TABLES
    }
    st.download_button(
        "下载空白模板", data=excel_bytes(template), file_name="单位数据表模板.xlsx", key="entry_template"
    )
    uploaded = st.file_uploader(
        "选择工作簿(.xlsx)", type=["xlsx"], key="entry_upload_file", max_upload_size=MAX_UPLOAD_MB
    )
    if uploaded is None or not st.button("校验并上传", type="primary", key="entry_upload_go"):
        return
    if (too_big := upload_size_problem(uploaded.size)) is not None:
        st.error(too_big)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(uploaded.getvalue())
        try:
            summary = FieldErrors().save(lambda: entry.upload_unit_rows(cursor(), user, path))
        except ImportFailed as failed:
            summary = None
            import_errors(f"上传未成功,共 {len(failed.errors)} 处问题,数据未改动:", failed.errors)
    if summary is not None:
        st.success(f"上传完成:{md(summary)}")
        for note in summary.notes:
            st.info(md(note))


# --------------------------------------------------------------------------------------------
# 本单位已报信息
# --------------------------------------------------------------------------------------------
def unit_leads(leads: pd.DataFrame) -> None:
    """The unit's leads with what it recorded (联系人, 投资方来源 next to the company, 项目内容 last),
    their first-report standing and the office's decision; blank for nothing recorded."""
    if leads.empty:
        st.info("本单位尚未报送招商信息。")
        return

    def detail(column: str) -> dict[str, pd.Series]:
        return {LEAD_COLUMNS[column].zh: leads[column].fillna("")}

    shown = pd.DataFrame(
        {
            "信息编码": leads["lead_id"],
            "报送时间": pd.to_datetime(leads["reported_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            "意向企业": leads["company"],
            **detail("contact_person"),
            **detail("investor_origin"),
            "意向投资(万元)": leads["intended_investment_wan"],
            "等级": leads["tier"].map(TIER_LABELS),
            "认定状态": leads["status"].map(LEAD_STATUS_LABELS),
            "首报认定": leads["reason"],
            **detail("project_content"),
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "信息编码": st.column_config.TextColumn(width="medium"),
            LEAD_COLUMNS["contact_person"].zh: st.column_config.TextColumn(width="medium"),
            "意向投资(万元)": st.column_config.NumberColumn(format="%,.2f"),
        },
    )
