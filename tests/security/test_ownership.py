"""A clerk writes only its own unit's rows, on every write path: forms and the unit's Excel upload.

For each entity the clerk of 镇一 (t01) tries to take over, edit or delete a row of 镇二 (t02), or to
hand its own row to another unit; each attempt is refused with a Chinese message and changes nothing
(the audit log included). The legitimate edits of its own rows still work.

The county: townships t01 (镇一), t02 (镇二), department d01 (商务局).

- projects P202600001 (t01), P202600002 (t02);
- fund arrivals: P202600001 300 万元 on 2026-03-20, P202600002 500 万元 on 2026-03-25;
- leads L20260301-t01-001 (t01, 甲材料公司), L20260305-t02-001 (t02, 乙电子公司), both pending;
- problems Q20260310-001 on t02's P202600002 (t02 responsible), Q20260311-001 on t01's P202600001
  (d01 responsible), Q20260312-001 on t02's P202600002 with t01 responsible (t01 may resolve it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import pytest

from analytics.access import permissions
from analytics.access.permissions import PermissionDenied
from analytics.access.users import User
from analytics.core.schema import TABLES_BY_NAME
from analytics.data.importer import ImportFailed
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.metrics_fixtures import (
    add_arrival,
    add_department,
    add_industry,
    add_lead,
    add_problem,
    add_project,
    add_unit,
)

CLERK_T01 = User("clerk_t01", "镇一填报员", "clerk", "t01")
CLERK_D01 = User("clerk_d01", "商务局填报员", "clerk", "d01")
OFFICE = User("office", "招商办", "office")
LEADER = User("leader", "县领导", "leader")
VIEWER = User("viewer", "投屏", "viewer")
NOW = datetime(2026, 3, 30, 16, 0, 0)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(tmp_path / "county.duckdb")
    add_industry(connection, "i1")
    add_unit(connection, "t01", name="镇一")
    add_unit(connection, "t02", name="镇二")
    add_department(connection, "d01")
    add_project(connection, "P202600001", "2026-02-01", unit="t01")
    add_project(connection, "P202600002", "2026-02-15", unit="t02")
    add_arrival(connection, "P202600001", "2026-03-20", amount=300, fixed=200)
    add_arrival(connection, "P202600002", "2026-03-25", amount=500, fixed=400)
    add_lead(connection, "L20260301-t01-001", "2026-03-01 09:15", "甲材料公司", unit="t01", status="pending")
    add_lead(connection, "L20260305-t02-001", "2026-03-05 10:40", "乙电子公司", unit="t02", status="pending")
    add_problem(connection, "Q20260310-001", "P202600002", "2026-03-10", "2026-04-30", unit="t02")
    add_problem(connection, "Q20260311-001", "P202600001", "2026-03-11", "2026-04-30", unit="d01")
    add_problem(connection, "Q20260312-001", "P202600002", "2026-03-12", "2026-04-30", unit="t01")
    yield connection
    connection.close()


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {
        t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
        for t in ("leads", "projects", "fund_arrivals", "problems", "audit_log")
    }


def stored(con: duckdb.DuckDBPyConnection, table: str, where: str) -> list[list[Any]]:
    """The sheet of ``table`` as stored (English headers), for the rows ``where`` picks."""
    columns = TABLES_BY_NAME[table].column_names
    rows = con.execute(f"SELECT {', '.join(columns)} FROM {table} WHERE {where} ORDER BY ALL").fetchall()
    return [columns, *[list(r) for r in rows]]


def workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def edited(sheet: list[list[Any]], **changes: Any) -> list[list[Any]]:
    """``sheet`` with the columns in ``changes`` set on every data row."""
    header = sheet[0]
    return [header] + [[changes.get(c, v) for c, v in zip(header, row, strict=True)] for row in sheet[1:]]


def refused_upload(
    con: duckdb.DuckDBPyConnection, path: Path, user: User = CLERK_T01
) -> list[tuple[str, int | None, str | None, str]]:
    """Upload ``path``; it must be refused with nothing changed. The errors (table, row, column, text)."""
    before = snapshot(con)
    with pytest.raises(ImportFailed) as failed:
        entry.upload_unit_rows(con, user, path, now=NOW)
    assert snapshot(con) == before
    return [(e.table, e.row, e.column, e.expected_zh) for e in failed.value.errors]


def refused_form(con: duckdb.DuckDBPyConnection, write: Any, match: str) -> None:
    before = snapshot(con)
    with pytest.raises(PermissionDenied, match=match):
        write()
    assert snapshot(con) == before


# --- problems -----------------------------------------------------------------------------------


def test_upload_cannot_take_over_another_units_problem_by_changing_its_project(con, tmp_path) -> None:
    # t02's problem, its project changed to t01's own P202600001: the stored row is t02's.
    sheet = edited(stored(con, "problems", "problem_id = 'Q20260310-001'"), project_id="P202600001")
    errors = refused_upload(con, workbook(tmp_path / "takeover.xlsx", {"problems": sheet}))
    assert [(t, r, c) for t, r, c, _ in errors] == [("problems", 2, "project_id")]
    assert "不属于本单位" in errors[0][3] and "t02" in errors[0][3]
    # Its own problem is still edited by upload.
    sheet = edited(
        stored(con, "problems", "problem_id = 'Q20260311-001'"),
        description="用地指标待落实",
        due_date=date(2026, 5, 15),
    )
    summary = entry.upload_unit_rows(con, CLERK_T01, workbook(tmp_path / "own.xlsx", {"problems": sheet}))
    assert summary.updated == {"problems": 1}
    assert con.execute(
        "SELECT description, due_date FROM problems WHERE problem_id = 'Q20260311-001'"
    ).fetchall() == [("用地指标待落实", date(2026, 5, 15))]


def test_upload_cannot_hand_its_problem_to_another_units_project(con, tmp_path) -> None:
    sheet = edited(stored(con, "problems", "problem_id = 'Q20260311-001'"), project_id="P202600002")
    errors = refused_upload(con, workbook(tmp_path / "away.xlsx", {"problems": sheet}))
    assert [(t, r, c) for t, r, c, _ in errors] == [("problems", 2, "project_id")]
    assert "t02" in errors[0][3]


def test_clerk_raises_problems_only_on_its_own_projects(con, tmp_path) -> None:
    # Upload: a new problem on t02's project, with t01 named responsible, is still not t01's to raise.
    sheet = [
        TABLES_BY_NAME["problems"].column_names,
        ["Q20260330-001", "P202600002", date(2026, 3, 30), "道路未通", "t01", date(2026, 4, 30), None],
    ]
    errors = refused_upload(con, workbook(tmp_path / "new.xlsx", {"problems": sheet}))
    assert [(t, r, c) for t, r, c, _ in errors] == [("problems", 2, "project_id")]
    assert "只能对本单位引进的项目提出问题" in errors[0][3]
    # The form: the same rule.
    refused_form(
        con,
        lambda: entry.raise_problem(
            con,
            CLERK_T01,
            project_id="P202600002",
            description="道路未通",
            responsible_unit_id="t01",
            due_date="2026-04-30",
            raised_on=date(2026, 3, 30),
        ),
        "只能对本单位引进的项目提出问题",
    )


def test_responsible_unit_only_resolves_another_units_problem(con, tmp_path) -> None:
    # Q20260312-001 is t02's problem (its project), t01 responsible: t01 may not rewrite it ...
    for change in (
        {"description": "已改写"},
        {"responsible_unit_id": "d01"},
        {"due_date": date(2026, 12, 31)},
    ):
        sheet = edited(stored(con, "problems", "problem_id = 'Q20260312-001'"), **change)
        errors = refused_upload(con, workbook(tmp_path / "rewrite.xlsx", {"problems": sheet}))
        assert len(errors) == 1 and errors[0][:2] == ("problems", 2), change
        assert "只能填写办结日期" in errors[0][3]
    # ... but may resolve it, by upload or by the form.
    sheet = edited(stored(con, "problems", "problem_id = 'Q20260312-001'"), resolved_on=date(2026, 3, 28))
    summary = entry.upload_unit_rows(con, CLERK_T01, workbook(tmp_path / "ok.xlsx", {"problems": sheet}))
    assert summary.updated == {"problems": 1}
    entry.resolve_problem(con, CLERK_T01, "Q20260312-001", 2, None)  # reopened through the form (v2 → 3)
    assert con.execute(
        "SELECT resolved_on, row_version FROM problems WHERE problem_id = 'Q20260312-001'"
    ).fetchall() == [(None, 3)]


def test_form_cannot_resolve_a_problem_of_another_unit(con) -> None:
    refused_form(con, lambda: entry.resolve_problem(con, CLERK_T01, "Q20260310-001", 1, "2026-03-28"), "t02")


# --- leads --------------------------------------------------------------------------------------


def test_upload_cannot_take_over_hand_away_or_link_leads_across_units(con, tmp_path) -> None:
    lead_t02 = stored(con, "leads", "lead_id = 'L20260305-t02-001'")
    errors = refused_upload(
        con, workbook(tmp_path / "a.xlsx", {"leads": edited(lead_t02, reporter_unit_id="t01")})
    )
    assert [(t, r, c) for t, r, c, _ in errors] == [("leads", 2, "reporter_unit_id")]
    assert "t02" in errors[0][3]
    lead_t01 = stored(con, "leads", "lead_id = 'L20260301-t01-001'")
    errors = refused_upload(
        con, workbook(tmp_path / "b.xlsx", {"leads": edited(lead_t01, reporter_unit_id="t02")})
    )
    assert [(t, r, c) for t, r, c, _ in errors] == [("leads", 2, "reporter_unit_id")]
    # Linking its own lead to t02's project would claim t02's conversion: refused.
    errors = refused_upload(
        con, workbook(tmp_path / "c.xlsx", {"leads": edited(lead_t01, project_id="P202600002")})
    )
    assert [(t, r, c) for t, r, c, _ in errors] == [("leads", 2, "project_id")]
    assert "只能关联本单位引进的项目" in errors[0][3]
    # Its own lead, linked to its own project and re-amounted: accepted.
    ok = edited(lead_t01, project_id="P202600001", intended_investment_wan=2600)
    summary = entry.upload_unit_rows(con, CLERK_T01, workbook(tmp_path / "d.xlsx", {"leads": ok}))
    assert summary.updated == {"leads": 1}
    assert con.execute(
        "SELECT project_id, intended_investment_wan FROM leads WHERE lead_id = 'L20260301-t01-001'"
    ).fetchall() == [("P202600001", 2600.0)]


# --- projects and fund arrivals -----------------------------------------------------------------


def test_upload_cannot_take_over_a_project_or_replace_its_fund_arrivals(con, tmp_path) -> None:
    project_t02 = edited(stored(con, "projects", "project_id = 'P202600002'"), introducing_unit_id="t01")
    arrivals = [
        TABLES_BY_NAME["fund_arrivals"].column_names,
        ["P202600002", date(2026, 3, 29), 1, 0, 0, 0],
    ]
    # The project claimed in the same workbook does not make its stored arrivals t01's to replace.
    errors = refused_upload(
        con, workbook(tmp_path / "p.xlsx", {"projects": project_t02, "fund_arrivals": arrivals})
    )
    assert [(t, r, c) for t, r, c, _ in errors] == [
        ("projects", 2, "introducing_unit_id"),
        ("fund_arrivals", 2, "project_id"),
    ]
    assert all("t02" in text for *_, text in errors)
    # Handing its own project to t02 is refused too.
    project_t01 = edited(stored(con, "projects", "project_id = 'P202600001'"), introducing_unit_id="t02")
    errors = refused_upload(con, workbook(tmp_path / "q.xlsx", {"projects": project_t01}))
    assert [(t, r, c) for t, r, c, _ in errors] == [("projects", 2, "introducing_unit_id")]
    # Its own project and fund arrivals are still uploaded.
    project = edited(stored(con, "projects", "project_id = 'P202600001'"), total_investment_wan=1500)
    arrivals = [
        TABLES_BY_NAME["fund_arrivals"].column_names,
        ["P202600001", date(2026, 3, 20), 300, 200, 0, 0],
        ["P202600001", date(2026, 3, 28), 150, 100, 0, 0],
    ]
    summary = entry.upload_unit_rows(
        con, CLERK_T01, workbook(tmp_path / "own.xlsx", {"projects": project, "fund_arrivals": arrivals})
    )
    assert (summary.updated, summary.inserted) == ({"projects": 1}, {"fund_arrivals": 2})
    # 300 + 150 = 450 for P202600001; t02's 500 untouched.
    assert con.execute(
        "SELECT project_id, sum(amount_wan) FROM fund_arrivals GROUP BY ALL ORDER BY ALL"
    ).fetchall() == [("P202600001", 450.0), ("P202600002", 500.0)]


def test_forms_cannot_touch_another_units_project_or_funds(con) -> None:
    refused_form(
        con,
        lambda: entry.update_project_stages(con, CLERK_T01, "P202600002", 1, in_stats_date="2026-03-01"),
        "t02",
    )
    refused_form(
        con,
        lambda: entry.record_fund_arrival(
            con, CLERK_T01, project_id="P202600002", date="2026-03-29", amount_wan=1, fixed_asset_wan=0
        ),
        "t02",
    )


# --- the data-entry page's read scope -----------------------------------------------------------


def test_data_entry_scope_is_one_rule() -> None:
    # A clerk's unit is its own whatever the page asked for; the office's is the chosen unit.
    assert permissions.entry_unit(CLERK_T01, "t02") == "t01"
    assert permissions.entry_unit(OFFICE, "t02") == "t02"
    for reader in (LEADER, VIEWER):
        with pytest.raises(PermissionDenied, match="填报数据"):
            permissions.entry_unit(reader, "t01")
    problems = pd.DataFrame(
        {
            "problem_id": ["Q20260310-001", "Q20260311-001", "Q20260312-001"],
            "project_unit_id": ["t02", "t01", "t02"],
            "responsible_unit_id": ["t02", "d01", "t01"],
        }
    )
    # t01 sees its project's problem and the one it is responsible for; d01 the one it must solve.
    assert list(permissions.scope_rows_for(CLERK_T01, "problems", problems)["problem_id"]) == [
        "Q20260311-001",
        "Q20260312-001",
    ]
    assert list(permissions.scope_rows_for(CLERK_D01, "problems", problems)["problem_id"]) == [
        "Q20260311-001"
    ]
    assert len(permissions.scope_rows_for(OFFICE, "problems", problems)) == 3
    # Leader and viewer do not use the data-entry page: no rows there.
    assert permissions.scope_rows_for(LEADER, "problems", problems).empty
    assert permissions.scope_rows_for(VIEWER, "problems", problems).empty
