"""Lead forms: report a lead (首报认定制: the first report of a company is named on the spot)
and the leading group's decision on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import duckdb

from analytics.access.permissions import require
from analytics.access.users import User
from analytics.data.keys import company_key
from analytics.data.write_lock import write_transaction
from analytics.entry.rows import (
    UNCHANGED,
    FirstReport,
    WriteResult,
    insert_row,
    next_id,
    unit_for,
    update_row,
)
from analytics.metrics import views
from analytics.metrics.leads import register_company_keys


def first_report_of(con: duckdb.DuckDBPyConnection, company: str) -> FirstReport | None:
    """The first report (METRICS.md §4) among the stored leads of ``company``'s key, if any."""
    key = company_key(company)
    if not key:
        return None
    register_company_keys(con)
    rows = views.fetch_rows(
        con,
        f"""
        SELECT a.lead_id, a.reported_at, a.reporter_unit_id, coalesce(u.name, a.reporter_unit_id)
        FROM ({views.LEAD_ADJUDICATION}) AS a LEFT JOIN units AS u ON u.unit_id = a.reporter_unit_id
        WHERE a.company_key = $key AND a.is_first_report
        """,
        {"key": key},
    )
    return FirstReport(*rows[0]) if rows else None


def report_lead(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    company: Any,
    industry_id: Any,
    intended_investment_wan: Any,
    tier: Any,
    contact_person: Any = None,
    project_content: Any = None,
    investor_origin: Any = None,
    unit_id: str | None = None,
    now: datetime | None = None,
    source: str = "表单:报送招商信息",
) -> WriteResult:
    """Report a lead: the server stamps ``reported_at``; the result tells at once whether it is the
    company's first report or a duplicate of an earlier one (by whom and when).

    ``contact_person`` (联系人), ``project_content`` (项目内容) and ``investor_origin`` (投资方来源)
    are optional; blank is stored blank. They change no count."""
    require(user, "enter_data")
    unit = unit_for(user, unit_id)
    stamp = (now or datetime.now()).replace(microsecond=0)
    with write_transaction(con) as cur:
        lead_id = next_id(cur, "leads", "lead_id", f"L{stamp:%Y%m%d}-{unit}-")
        row = {
            "lead_id": lead_id,
            "reported_at": stamp,
            "reporter_unit_id": unit,
            "company": company,
            "industry_id": industry_id,
            "intended_investment_wan": intended_investment_wan,
            "tier": tier,
            "status": "pending",
            "project_id": None,
            "contact_person": contact_person,
            "project_content": project_content,
            "investor_origin": investor_origin,
        }
        after = insert_row(cur, user, "leads", row, source=source, action="insert")
        first = first_report_of(cur, str(after["company"]))
    if first is not None and first.lead_id != lead_id:
        message = f"已报送(信息编码 {lead_id})。该企业{first.message},本条记为重复报送,不计分。"
        return WriteResult("leads", lead_id, "insert", 1, message, first, False)
    message = f"已报送(信息编码 {lead_id})。本条为该企业首报,待招商办认定。"
    return WriteResult("leads", lead_id, "insert", 1, message, None, True)


def decide_lead(
    con: duckdb.DuckDBPyConnection,
    user: User,
    lead_id: str,
    status: str,
    expected_version: int | None,
    *,
    project_id: Any = UNCHANGED,
    source: str = "表单:认定招商信息",
) -> WriteResult:
    """The investment office confirms (``valid``), rejects (``invalid``) or reopens (``pending``)."""
    require(user, "confirm_leads")
    with write_transaction(con) as cur:
        return update_row(
            cur,
            user,
            "leads",
            {"lead_id": lead_id},
            {"status": status, "project_id": project_id},
            expected_version,
            source=source,
            action="decide",
        )
