"""The panels of the 核验 page: the queue's filters and table, one milestone with its evidence, and
the confirm / send-back / attach forms.

Every write goes through ``analytics.entry.verification`` (permission checked there, audited); these
functions only lay out. Widget keys start with ``verify_``.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from analytics.access.permissions import PermissionDenied, can_verify
from analytics.access.users import User
from analytics.core.labels import VERIFICATION_KIND_LABELS, VERIFICATION_STATUS_LABELS
from analytics.data.evidence import MAX_BYTES, EvidenceError, file_info
from analytics.entry import queries as entry_data
from analytics.entry import verification
from analytics.entry.writes import EntryError
from ui.frame import cursor, load
from ui.safe_text import md
from ui.widgets import empty_state

log = logging.getLogger(__name__)


def _refused(exc: Exception) -> None:
    if isinstance(exc, EntryError | PermissionDenied | EvidenceError):
        st.error(md(exc))
    else:
        log.exception("verification write failed", exc_info=exc)
        st.error("保存失败,数据未改动。请稍后重试。")


def filters(kinds: list[str]) -> tuple[list[str], str | None, str]:
    """Kind, unit and status chosen above the queue."""
    units = load(entry_data.unit_choices)
    cols = st.columns(3)
    kind = cols[0].selectbox(
        "事项",
        [None, *kinds],
        format_func=lambda k: "全部" if k is None else VERIFICATION_KIND_LABELS[k],
        key="verify_kind",
    )
    unit = cols[1].selectbox(
        "引进单位", [None, *units], format_func=lambda u: "全部" if u is None else units[u], key="verify_unit"
    )
    status = cols[2].selectbox(
        "状态",
        list(VERIFICATION_STATUS_LABELS),
        format_func=VERIFICATION_STATUS_LABELS.get,
        key="verify_status",
    )
    return ([kind] if kind else kinds), unit, status


def queue_table(frame: pd.DataFrame, *, key: str = "verify_queue_table") -> None:
    shown = frame[list(verification.QUEUE_COLUMNS)].copy()
    shown["milestone_date"] = pd.to_datetime(shown["milestone_date"]).dt.strftime("%Y-%m-%d")
    amounts = pd.to_numeric(shown["amount_wan"], errors="coerce")
    shown["amount_wan"] = [
        f"{a:,.2f}" if pd.notna(a) else "" for a in amounts
    ]  # blank for a project milestone
    shown["reason"] = shown["reason"].fillna("")
    shown = shown.rename(columns=verification.QUEUE_COLUMNS)
    st.dataframe(shown, hide_index=True, width="stretch", key=key)


def _item_label(row: Any) -> str:
    day = pd.Timestamp(row["milestone_date"]).strftime("%Y-%m-%d")
    amount = f" · {row['amount_wan']:,.2f} 万元" if pd.notna(row["amount_wan"]) else ""
    return f"{row['kind_zh']} · {row['project_id']} {row['project_name']} · {day}{amount}"


def pick(frame: pd.DataFrame, *, key: str = "verify_pick") -> dict[str, Any] | None:
    """The milestone chosen to look at (the oldest by default)."""
    if frame.empty:
        return None
    index = st.selectbox(
        "查看事项", list(frame.index), format_func=lambda i: _item_label(frame.loc[i]), key=key
    )
    return frame.loc[index].to_dict()


def evidence_view(row: dict[str, Any]) -> None:
    """The files attached to a milestone: images inline, PDFs as downloads."""
    files = load(verification.evidence_of, row["kind"], row["record_key"])
    if files.empty:
        st.info("尚未上传核验材料。")
        return
    for _, f in files.iterrows():
        caption = (
            f"{file_info(f)} · {f['uploaded_by']} 于 {pd.Timestamp(f['uploaded_at']):%Y-%m-%d %H:%M} 上传"
        )
        try:
            data = verification.evidence_bytes(cursor(), f["sha256"])
        except EvidenceError as exc:
            st.error(md(exc))
            continue
        if f["media_type"].startswith("image/"):
            st.image(data, caption=caption, width=480)
        else:
            st.caption(md(caption))
            st.download_button(
                f"下载 {f['file_name']}",
                data=data,
                file_name=str(f["file_name"]),
                mime=f["media_type"],
                key=f"verify_pdf_{f['evidence_id']}",
            )


def decision_forms(user: User, row: dict[str, Any], settings: dict[str, Any]) -> None:
    """Confirm or send back (only for the kinds this account verifies, and only what is not verified)."""
    what = VERIFICATION_KIND_LABELS[row["kind"]]
    if row["status"] == "verified":
        st.success(f"该{what}已于 {pd.Timestamp(row['verified_on']):%Y-%m-%d} 核验。")
        return
    if row["status"] == "returned":
        st.warning(f"已退回,原因:{md(row['reason'])}")
    if not can_verify(user, row["kind"], settings):
        st.info(f"本账号不核验{what}:{md(verification.verifier_note(settings))}")
        return
    milestone_date = pd.Timestamp(row["milestone_date"]).date()
    key = f"{row['kind']}_{row['record_key']}"
    cols = st.columns(2)
    with cols[0].form(f"verify_confirm_{key}"):
        st.markdown(f"**确认{what}**")
        on = st.date_input("核验日期", value=date.today(), format="YYYY-MM-DD", key=f"verify_on_{key}")
        confirm_it = st.form_submit_button("确认核验", type="primary")
    with cols[1].form(f"verify_return_{key}"):
        st.markdown(f"**退回{what}**")
        reason = st.text_area(
            "退回原因(必填)", max_chars=verification.MAX_REASON_CHARS, key=f"verify_reason_{key}"
        )
        return_it = st.form_submit_button("退回")
    try:
        if confirm_it:
            result = verification.confirm(
                cursor(), user, row["kind"], row["record_key"], milestone_date, verified_on=on
            )
            st.success(md(result.message))
        elif return_it:
            result = verification.send_back(
                cursor(), user, row["kind"], row["record_key"], milestone_date, reason
            )
            st.success(md(result.message))
    except Exception as exc:
        _refused(exc)


def attach_form(user: User, row: dict[str, Any]) -> None:
    """Attach a photo or PDF to the milestone (checked by content and size on the server)."""
    key = f"{row['kind']}_{row['record_key']}"
    with st.form(f"verify_attach_{key}", clear_on_submit=True):
        uploaded = st.file_uploader(
            f"上传核验材料(图片或 PDF,不超过 {MAX_BYTES // 1024 // 1024} MB)",
            type=["jpg", "jpeg", "png", "webp", "pdf"],
            key=f"verify_file_{key}",
            max_upload_size=MAX_BYTES // 1024 // 1024,
        )
        attach_it = st.form_submit_button("上传")
    if attach_it:
        if uploaded is None:
            st.error("请先选择文件。")
            return
        try:
            verification.attach_evidence(
                cursor(), user, row["kind"], row["record_key"], uploaded.name, uploaded.getvalue()
            )
            st.success(f"已上传 {md(uploaded.name)}。")
        except Exception as exc:
            _refused(exc)


def empty_queue(status: str) -> None:
    empty_state(f"没有{VERIFICATION_STATUS_LABELS[status]}的事项。")


def unit_evidence(user: User, unit: str) -> None:
    """On the data-entry page: the unit's milestones sent back (with the reason) or waiting for
    verification, the evidence of each, and the upload of photos and PDFs."""
    status = st.radio(
        "状态",
        ["returned", "pending", "verified"],
        format_func=VERIFICATION_STATUS_LABELS.get,
        horizontal=True,
        key="entry_verify_status",
    )
    frame = load(verification.queue, unit_id=unit, status=status)
    if frame.empty:
        empty_queue(status)
        return
    queue_table(frame, key="entry_verify_table")
    row = pick(frame, key="entry_verify_pick")
    if row is None:
        return
    if row["status"] == "returned":
        st.warning(f"已退回,原因:{md(row['reason'])}。请在「项目进度」或「资金到位」中改正后等待重新核验。")
    evidence_view(row)
    attach_form(user, row)
