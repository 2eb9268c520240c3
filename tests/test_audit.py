"""The audit log as the office reads it: filters, the change summary, the Excel export."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.access import audit
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.entry_fixtures import CLERK_T01, OFFICE, small_county
from ui.widgets import excel_bytes


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    entry.report_lead(
        connection,
        CLERK_T01,
        company="新企业",
        industry_id="i1",
        intended_investment_wan="100",
        tier="general",
        now=datetime(2026, 11, 20, 10, 0),
    )
    entry.update_project_stages(connection, CLERK_T01, "p1", 1, commenced_date=date(2026, 4, 1))
    entry.decide_lead(connection, OFFICE, "L2", "valid", 1)
    yield connection
    connection.close()


def test_every_form_write_is_listed_newest_first(con) -> None:
    entries = audit.audit_entries(con)
    assert list(zip(entries["actor"], entries["table_name"], entries["action_label"], strict=True)) == [
        ("office", "leads", "认定"),
        ("clerk_t01", "projects", "修改"),
        ("clerk_t01", "leads", "新增"),
    ]


def test_change_summary_names_the_changed_fields_only(con) -> None:
    entries = audit.audit_entries(con, audit.AuditFilter(table_name="projects"))
    assert list(entries["changes"]) == ["开工日期: (空) → 2026-04-01"]
    decided = audit.audit_entries(con, audit.AuditFilter(action="decide"))
    assert list(decided["changes"]) == ["认定状态: pending → valid"]


def test_filters_by_actor_text_and_day(con) -> None:
    assert len(audit.audit_entries(con, audit.AuditFilter(actor="clerk_t01"))) == 2
    assert list(audit.audit_entries(con, audit.AuditFilter(text="新企业"))["table_name"]) == ["leads"]
    today = date.today()  # changed_at is the server's clock
    assert len(audit.audit_entries(con, audit.AuditFilter(start=today, end=today))) == 3
    assert audit.audit_entries(con, audit.AuditFilter(end=date(2000, 1, 1))).empty


def test_export_has_chinese_headers_and_reopens(con) -> None:
    frame = audit.audit_export_frame(audit.audit_entries(con))
    book = openpyxl.load_workbook(io.BytesIO(excel_bytes({"操作日志": frame})))
    rows = list(book["操作日志"].iter_rows(values_only=True))
    assert rows[0][:6] == ("时间", "操作人", "来源(表单/导入)", "数据表", "记录", "操作")
    assert rows[1][1:6] == ("office", "表单:认定招商信息", "招商信息", "L2", "认定")
    assert len(rows) == 4
