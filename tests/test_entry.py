"""Form writes on a real DuckDB file: validation as the importer, permissions, stale saves, audit."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.access.permissions import PermissionDenied
from analytics.data.importer import ImportFailed, References, validate_table_rows
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.entry_fixtures import CLERK_T01, CLERK_T02, LEADER, OFFICE, VIEWER, small_county

NOW = datetime(2026, 11, 20, 10, 5, 30)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    yield connection
    connection.close()


def audit_rows(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT actor, source, table_name, record_key, action, before_json, after_json FROM audit_log ORDER BY audit_id"
    ).fetchall()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in ("leads", "projects", "fund_arrivals", "problems", "targets", "settings", "audit_log")
    }


# --- leads --------------------------------------------------------------------------------------


def test_duplicate_lead_is_saved_and_told_who_reported_first(con) -> None:
    # "华为技术" has the same company key as L1 "华为 技术" (white space removed), reported by 镇二.
    result = entry.report_lead(
        con,
        CLERK_T01,
        company="华为技术",
        industry_id="i1",
        intended_investment_wan="1,200",
        tier="重要",
        now=NOW,
    )
    assert result.is_first_report is False
    assert result.first_report.lead_id == "L1"
    assert "已于 2026-01-05 09:00 由 镇二 首报" in result.message
    row = con.execute(
        "SELECT lead_id, reported_at, reporter_unit_id, intended_investment_wan, tier, status, row_version"
        " FROM leads WHERE lead_id = ?",
        [result.record_key],
    ).fetchall()
    # server-stamped time (to the second), the clerk's unit, "1,200" parsed as the importer does
    assert row == [("L20261120-t01-001", NOW, "t01", 1200.0, "important", "pending", 1)]


def test_new_company_is_a_first_report(con) -> None:
    result = entry.report_lead(
        con,
        CLERK_T01,
        company="新企业",
        industry_id="i2",
        intended_investment_wan="0",
        tier="general",
        now=NOW,
    )
    assert result.is_first_report is True and result.first_report is None
    assert "首报" in result.message


def test_first_report_lookup_before_submitting(con) -> None:
    assert (
        entry.first_report_of(con, " 华为技术 ").message == "已于 2026-01-05 09:00 由 镇二 首报(信息编码 L1)"
    )
    assert entry.first_report_of(con, "没人报过") is None


def test_bad_lead_gets_the_importers_messages_and_writes_nothing(con) -> None:
    before = snapshot(con)
    with pytest.raises(entry.FormInvalid) as failed:
        entry.report_lead(
            con, CLERK_T01, company="", industry_id="i9", intended_investment_wan="-3", tier="x", now=NOW
        )
    # The same row through the importer's validator gives the very same messages.
    raw = {
        "lead_id": "L20261120-t01-001",
        "reported_at": NOW,
        "reporter_unit_id": "t01",
        "company": "",
        "industry_id": "i9",
        "intended_investment_wan": "-3",
        "tier": "x",
        "status": "pending",
        "project_id": None,
    }
    import pandas as pd

    expected = validate_table_rows(
        "leads", pd.DataFrame([raw], index=[1], dtype=object), References.from_database(con)
    )
    assert failed.value.messages == [entry.form_message(i) for i in expected.issues]
    assert [i.column for i in failed.value.issues] == [
        "company",
        "industry_id",
        "intended_investment_wan",
        "tier",
    ]
    assert snapshot(con) == before


def test_clerk_cannot_report_for_another_unit_and_readers_cannot_report(con) -> None:
    with pytest.raises(PermissionDenied):
        entry.report_lead(
            con,
            CLERK_T01,
            company="甲",
            industry_id="i1",
            intended_investment_wan=1,
            tier="general",
            unit_id="t02",
        )
    for user in (LEADER, VIEWER):
        with pytest.raises(PermissionDenied):
            entry.report_lead(
                con, user, company="甲", industry_id="i1", intended_investment_wan=1, tier="general"
            )
    assert con.execute("SELECT count(*) FROM leads").fetchall() == [(2,)]


def test_office_decides_a_lead_and_the_audit_shows_before_and_after(con) -> None:
    result = entry.decide_lead(con, OFFICE, "L2", "有效", 1)
    assert result.row_version == 2
    actor, source, table, key, action, before, after = audit_rows(con)[-1]
    assert (actor, source, table, key, action) == ("office", "表单:认定招商信息", "leads", "L2", "decide")
    assert (json.loads(before)["status"], json.loads(after)["status"]) == ("pending", "valid")
    assert (json.loads(before)["row_version"], json.loads(after)["row_version"]) == (1, 2)
    with pytest.raises(PermissionDenied):
        entry.decide_lead(con, CLERK_T01, "L2", "invalid", 2)


# --- stale saves --------------------------------------------------------------------------------


def test_second_save_from_the_same_version_is_refused(con) -> None:
    # Two people opened p1 at version 1. The first saves commencement 04-01; the second's 04-02 is refused.
    entry.update_project_stages(con, CLERK_T01, "p1", 1, commenced_date=date(2026, 4, 1))
    before = snapshot(con)
    with pytest.raises(entry.StaleWrite, match="clerk_t01") as refused:
        entry.update_project_stages(con, OFFICE, "p1", 1, commenced_date=date(2026, 4, 2))
    assert "版本 1 → 2" in refused.value.message
    assert snapshot(con) == before
    assert con.execute(
        "SELECT commenced_date, row_version FROM projects WHERE project_id = 'p1'"
    ).fetchall() == [(date(2026, 4, 1), 2)]


def test_stale_target_and_setting_saves_are_refused(con) -> None:
    entry.save_targets(con, OFFICE, [entry.TargetEdit(2026, "county", "signed_projects", 35, 1)])
    with pytest.raises(entry.StaleWrite):
        entry.save_targets(con, OFFICE, [entry.TargetEdit(2026, "county", "signed_projects", 40, 1)])
    entry.save_setting(con, OFFICE, "red_gap", 0.25, None)
    with pytest.raises(entry.StaleWrite):
        entry.save_setting(con, OFFICE, "red_gap", 0.2, None)  # somebody stored it meanwhile
    assert con.execute("SELECT value, row_version FROM targets").fetchall() == [(35.0, 2)]
    assert con.execute("SELECT value_json, row_version FROM settings").fetchall() == [("0.25", 1)]


# --- projects, funds, problems ------------------------------------------------------------------


def test_stage_dates_follow_the_importers_row_rules(con) -> None:
    entry.update_project_stages(con, CLERK_T01, "p1", 1, commenced_date="2026-04-01")
    with pytest.raises(entry.FormInvalid) as failed:
        entry.update_project_stages(con, CLERK_T01, "p1", 2, production_date=date(2026, 1, 2))
    # A clerk reads Chinese only: the field's name, the value and the rule (no table or column codes).
    assert failed.value.messages == [
        "投产日期:值「2026-01-02」不符合要求,应为不早于开工日期 2026-04-01 的日期"
    ]


def test_clerk_cannot_touch_another_units_project_funds_or_problems(con) -> None:
    before = snapshot(con)
    with pytest.raises(PermissionDenied):
        entry.update_project_stages(con, CLERK_T01, "p2", 1, commenced_date=date(2026, 4, 1))
    with pytest.raises(PermissionDenied):
        entry.record_fund_arrival(
            con, CLERK_T01, project_id="p2", date="2026-05-01", amount_wan=1, fixed_asset_wan=0
        )
    with pytest.raises(PermissionDenied):
        entry.raise_problem(
            con, CLERK_T01, project_id="p2", description="x", responsible_unit_id="t02", due_date="2026-12-01"
        )
    with pytest.raises(PermissionDenied, match="written_off_date"):
        entry.update_project_stages(con, CLERK_T01, "p1", 1, written_off_date=date(2026, 6, 1))
    assert snapshot(con) == before


def test_fund_arrival_and_problem_are_audited(con) -> None:
    entry.record_fund_arrival(
        con,
        CLERK_T01,
        project_id="pf",
        date="2026-05-01",
        amount_wan="5,000",
        fixed_asset_wan="3000",
        fdi_usd_wan="700",
        fx_usd_wan="600",
    )
    assert con.execute(
        "SELECT project_id, date, amount_wan, fixed_asset_wan, fdi_usd_wan, fx_usd_wan, verified_on FROM fund_arrivals"
    ).fetchall() == [("pf", date(2026, 5, 1), 5000.0, 3000.0, 700.0, 600.0, None)]
    created = entry.raise_problem(
        con,
        CLERK_T01,
        project_id="p1",
        description="用地指标",
        responsible_unit_id="d01",
        due_date="2026-12-01",
        raised_on=date(2026, 11, 20),
    )
    assert created.record_key == "Q20261120-001"
    # d01's clerk is responsible, so it may resolve it although p1 is t01's project
    d01 = CLERK_T02.__class__("clerk_d01", "商务局", "clerk", "d01")
    entry.resolve_problem(con, d01, "Q20261120-001", 1, "2026-11-25")
    rows = audit_rows(con)
    assert [(r[0], r[2], r[3], r[4]) for r in rows] == [
        ("clerk_t01", "fund_arrivals", "pf|2026-05-01", "insert"),
        ("clerk_t01", "problems", "Q20261120-001", "insert"),
        ("clerk_d01", "problems", "Q20261120-001", "resolve"),
    ]
    assert json.loads(rows[0][6])["fx_usd_wan"] == 600.0
    assert (json.loads(rows[2][5])["resolved_on"], json.loads(rows[2][6])["resolved_on"]) == (
        None,
        "2026-11-25",
    )


def test_fdi_on_a_domestic_project_is_refused_like_an_import(con) -> None:
    with pytest.raises(entry.FormInvalid) as failed:
        entry.record_fund_arrival(
            con,
            CLERK_T01,
            project_id="p1",
            date="2026-05-01",
            amount_wan=10,
            fixed_asset_wan=20,
            fdi_usd_wan=5,
        )
    assert {i.column for i in failed.value.issues} == {"fixed_asset_wan", "fdi_usd_wan"}
    assert con.execute("SELECT count(*) FROM fund_arrivals").fetchall() == [(0,)]


# --- targets and settings -----------------------------------------------------------------------


def test_targets_batch_is_all_or_nothing(con) -> None:
    before = snapshot(con)
    with pytest.raises(entry.FormInvalid) as failed:
        entry.save_targets(
            con,
            OFFICE,
            [
                entry.TargetEdit(2026, "t01", "valid_leads", 5),
                entry.TargetEdit(2026, "t01", "signed_projects", -1),  # row 2: negative
                entry.TargetEdit(2026, "county", "valid_leads", 3),  # row 3: a unit metric for the county
            ],
        )
    assert [(i.row, i.column) for i in failed.value.issues] == [(2, "value"), (3, "metric")]
    assert snapshot(con) == before
    results = entry.save_targets(
        con,
        OFFICE,
        [
            entry.TargetEdit(2026, "t01", "valid_leads", 5),
            entry.TargetEdit(2026, "county", "signed_projects", None, 1),
        ],
    )
    assert [(r.record_key, r.action) for r in results] == [
        ("2026|t01|valid_leads", "insert"),
        ("2026|county|signed_projects", "delete"),
    ]
    assert con.execute("SELECT year, scope, metric, value FROM targets").fetchall() == [
        (2026, "t01", "valid_leads", 5.0)
    ]


def test_bad_setting_is_refused_with_the_settings_message(con) -> None:
    with pytest.raises(entry.EntryError, match="不能为负"):
        entry.save_setting(con, OFFICE, "red_gap", -0.1, None)
    with pytest.raises(PermissionDenied):
        entry.save_setting(con, CLERK_T01, "red_gap", 0.2, None)
    assert con.execute("SELECT count(*) FROM settings").fetchall() == [(0,)]


# --- a unit's upload ----------------------------------------------------------------------------


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


LEAD_HEADER = [
    "信息编码",
    "报送时间",
    "报送单位",
    "意向企业",
    "产业编码",
    "意向投资(万元)",
    "信息等级",
    "认定状态",
    "转化项目",
]


def test_clerk_upload_refuses_rows_of_other_units_and_writes_nothing(con, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "t01.xlsx",
        {
            "招商信息": [
                LEAD_HEADER,
                ["U1", "2026-03-01 09:00", "t01", "甲公司", "i1", 100, "一般", "待认定", None],
                ["U2", "2026-03-01 09:00", "t02", "乙公司", "i1", 100, "一般", "待认定", None],
                ["U3", "2026-03-01 09:00", "t01", "丙公司", "i1", 100, "一般", "有效", None],
            ]
        },
    )
    before = snapshot(con)
    with pytest.raises(ImportFailed) as failed:
        entry.upload_unit_rows(con, CLERK_T01, path, now=NOW)
    assert [(e.table, e.row, e.column) for e in failed.value.errors] == [
        ("leads", 3, "reporter_unit_id"),  # another unit's row: Excel row 3
        ("leads", 4, "status"),  # a clerk cannot confirm its own lead
    ]
    assert snapshot(con) == before


def test_clerk_upload_adds_its_rows_with_server_time_and_is_idempotent(con, tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "t01.xlsx",
        {
            "leads": [
                LEAD_HEADER,
                ["U1", "2020-01-01 09:00", "t01", "甲公司", "i1", "1,000", "重要", "待认定", None],
            ]
        },
    )
    summary = entry.upload_unit_rows(con, CLERK_T01, path, now=NOW)
    assert (summary.inserted, summary.updated) == ({"leads": 1}, {})
    # the back-dated report time in the sheet is replaced by the upload time
    assert con.execute(
        "SELECT reported_at, intended_investment_wan FROM leads WHERE lead_id = 'U1'"
    ).fetchall() == [(NOW, 1000.0)]
    # uploading again changes nothing but the version: still one U1 (the sheet's old time is now refused)
    with pytest.raises(ImportFailed, match="报送时间"):
        entry.upload_unit_rows(con, CLERK_T01, path, now=NOW)
    assert con.execute("SELECT count(*) FROM leads WHERE lead_id = 'U1'").fetchall() == [(1,)]


def test_form_writes_store_the_first_report_key_and_a_renamed_lead_is_rekeyed(con) -> None:
    # "ＡＣＭＥ　Tech" (full-width letters, ideographic space) → NFKC "ACME Tech" → key "acmetech".
    result = entry.report_lead(
        con,
        CLERK_T01,
        company="ＡＣＭＥ　Tech",
        industry_id="i1",
        intended_investment_wan="10",
        tier="一般",
        now=NOW,
    )
    lead_id = result.record_key
    stored = con.execute("SELECT company_key FROM leads WHERE lead_id = ?", [lead_id]).fetchall()
    assert stored == [("acmetech",)]


def test_a_form_opened_before_an_import_is_refused_after_it(con, tmp_path: Path) -> None:
    # A clerk opens p1 at version 1; the office re-imports the county's own export. Imported rows get
    # a version above every earlier one (max 1 → 2), so the clerk's save cannot overwrite the import.
    from analytics.data.exporter import export_dataset
    from analytics.data.importer import import_path

    export_dataset(con, tmp_path / "export")
    import_path(con, tmp_path / "export", actor="office", source="测试")
    assert con.execute("SELECT DISTINCT row_version FROM projects").fetchall() == [(2,)]
    before = snapshot(con)
    with pytest.raises(entry.StaleWrite):
        entry.update_project_stages(con, CLERK_T01, "p1", 1, commenced_date=date(2026, 4, 1))
    assert snapshot(con) == before


def test_account_changes_are_audited_without_passwords(con, tmp_path: Path) -> None:
    from analytics.access import users

    path = tmp_path / "users.yaml"
    users.create_first_office(path, "zsb", "县招商办", "secret2026", "secret2026")
    office = users.authenticate(users.load_config(path), "zsb", "secret2026")
    entry.add_account(
        con, office, path, "clerk_a", "镇一填报员", "pass2026x", "clerk", "t01", known_units={"t01"}
    )
    entry.reset_password(con, office, path, "clerk_a", "newpass2026")
    entry.remove_account(con, office, path, "clerk_a")
    with pytest.raises(PermissionDenied):
        entry.add_account(con, CLERK_T01, path, "sneaky", "冒充", "pass2026x", "office")
    rows = con.execute(
        "SELECT actor, action, record_key, before_json, after_json FROM audit_log"
        " WHERE table_name = 'accounts' ORDER BY audit_id"
    ).fetchall()
    assert [(a, act, key) for a, act, key, _, _ in rows] == [
        ("zsb", "insert", "clerk_a"),
        ("zsb", "reset_password", "clerk_a"),
        ("zsb", "delete", "clerk_a"),
    ]
    assert json.loads(rows[0][4]) == {
        "username": "clerk_a",
        "display_name": "镇一填报员",
        "role": "clerk",
        "unit_id": "t01",
        "leader_name": None,  # only a county leader's account names the leader it is
    }
    assert json.loads(rows[2][3])["role"] == "clerk" and rows[2][4] is None
    text = json.dumps(rows, ensure_ascii=False)
    assert "pass2026x" not in text and "newpass2026" not in text and "$2b$" not in text
    assert users.authenticate(users.load_config(path), "clerk_a", "newpass2026") is None  # removed
