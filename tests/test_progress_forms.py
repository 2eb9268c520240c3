"""Progress forms: milestones (planned and done, no done date after today), a lead's stage move, the
four ones and problem categories — each validated like an import, scoped to the clerk's unit,
refused when stale and audited; a refused write changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.access.permissions import PermissionDenied
from analytics.data.store import open_database
from analytics.entry import progress_forms as forms
from analytics.entry.rows import EntryError, FormInvalid, StaleWrite
from tests.entry_fixtures import CLERK_T01, CLERK_T02, LEADER, OFFICE, small_county
from tests.metrics_fixtures import add_problem

TODAY = date(2026, 6, 30)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    add_problem(connection, "Q1", "p1", "2026-03-01", "2026-04-01", unit="d01")
    yield connection
    connection.close()


def milestones(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT project_id, kind, planned_on, done_on FROM milestones ORDER BY 1, 2"
    ).fetchall()


def audits(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple]:
    return con.execute(
        "SELECT actor, action, record_key FROM audit_log WHERE table_name = ? ORDER BY audit_id", [table]
    ).fetchall()


def record(con: duckdb.DuckDBPyConnection, user=CLERK_T01, **kw) -> None:
    args = {
        "project_id": "p1",
        "kind": "land",
        "planned_on": "2026-05-01",
        "done_on": None,
        "opened_as": None,
    }
    forms.record_milestone(con, user, today=TODAY, **(args | kw))


# ---------------------------------------------------------------------------------------------
# milestones
# ---------------------------------------------------------------------------------------------


def test_a_clerk_records_and_then_completes_its_own_projects_milestone(
    con: duckdb.DuckDBPyConnection,
) -> None:
    record(con)
    record(con, done_on="2026-06-30", opened_as=(date(2026, 5, 1), None))  # done today: allowed
    assert milestones(con) == [("p1", "land", date(2026, 5, 1), date(2026, 6, 30))]
    assert audits(con, "milestones") == [
        ("clerk_t01", "insert", "p1|land"),
        ("clerk_t01", "update", "p1|land"),
    ]


def test_a_done_date_after_today_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(EntryError, match="完成日期.*晚于今天"):
        record(con, done_on="2026-07-01")
    assert milestones(con) == [] and audits(con, "milestones") == []


def test_a_planned_date_after_today_is_fine(con: duckdb.DuckDBPyConnection) -> None:
    record(con, planned_on="2027-01-01")
    assert milestones(con) == [("p1", "land", date(2027, 1, 1), None)]


def test_another_units_project_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(PermissionDenied, match="不属于本单位"):
        record(con, project_id="p2")
    with pytest.raises(PermissionDenied):
        record(con, user=LEADER)
    assert milestones(con) == []
    record(con, user=OFFICE, project_id="p2")  # the office enters for any unit
    assert milestones(con) == [("p2", "land", date(2026, 5, 1), None)]


def test_the_importers_validator_names_a_bad_kind_and_date(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(FormInvalid) as refused:
        record(con, kind="roof", planned_on="2026-02-30")
    text = "\n".join(refused.value.messages)
    assert "节点" in text and "计划日期" in text
    assert milestones(con) == []


def test_a_stale_milestone_form_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    record(con)
    with pytest.raises(StaleWrite):
        record(con, done_on="2026-06-01", opened_as=None)  # opened before the first save
    assert milestones(con) == [("p1", "land", date(2026, 5, 1), None)]


# ---------------------------------------------------------------------------------------------
# a lead's stage
# ---------------------------------------------------------------------------------------------


def lead(con: duckdb.DuckDBPyConnection, lead_id: str) -> tuple:
    return con.execute(
        "SELECT stage, stage_changed_on, project_id, row_version FROM leads WHERE lead_id = ?", [lead_id]
    ).fetchall()[0]


def test_a_clerk_moves_its_own_lead_and_the_move_is_audited(con: duckdb.DuckDBPyConnection) -> None:
    version = lead(con, "L2")[3]
    forms.move_lead_stage(con, CLERK_T01, "L2", version, stage="visit", changed_on="2026-06-01", today=TODAY)
    assert lead(con, "L2")[:3] == ("visit", date(2026, 6, 1), None)
    forms.move_lead_stage(con, CLERK_T01, "L2", version + 1, stage="signed", project_id="p1", today=TODAY)
    assert lead(con, "L2")[:3] == ("signed", TODAY, "p1")  # no date given: today
    assert [a[1] for a in audits(con, "leads")] == ["stage", "stage"]


def test_another_units_lead_and_a_future_date_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    before = lead(con, "L1")
    with pytest.raises(PermissionDenied):
        forms.move_lead_stage(con, CLERK_T01, "L1", before[3], stage="visit", today=TODAY)
    with pytest.raises(EntryError, match="阶段日期"):
        forms.move_lead_stage(
            con, CLERK_T02, "L1", before[3], stage="visit", changed_on="2026-07-02", today=TODAY
        )
    assert lead(con, "L1") == before and audits(con, "leads") == []


def test_signed_needs_its_project(con: duckdb.DuckDBPyConnection) -> None:
    before = lead(con, "L2")
    with pytest.raises(FormInvalid) as refused:
        forms.move_lead_stage(con, CLERK_T01, "L2", before[3], stage="signed", today=TODAY)
    assert any("project_id" in m or "转化项目" in m for m in refused.value.messages)
    assert lead(con, "L2") == before


# ---------------------------------------------------------------------------------------------
# four ones, problem categories
# ---------------------------------------------------------------------------------------------


def project(con: duckdb.DuckDBPyConnection, project_id: str) -> tuple:
    return con.execute(
        "SELECT leader_in_charge, responsible_unit_id, helper, planned_commence_on, row_version"
        " FROM projects WHERE project_id = ?",
        [project_id],
    ).fetchall()[0]


def test_four_ones_are_set_on_the_clerks_own_project(con: duckdb.DuckDBPyConnection) -> None:
    version = project(con, "p1")[4]
    forms.set_four_ones(
        con,
        CLERK_T01,
        "p1",
        version,
        leader_in_charge="周县长",
        responsible_unit_id="d01",
        helper="王专员",
        planned_commence_on="2026-09-01",
    )
    assert project(con, "p1")[:4] == ("周县长", "d01", "王专员", date(2026, 9, 1))
    assert audits(con, "projects")[-1][:2] == ("clerk_t01", "update")
    with pytest.raises(PermissionDenied):
        forms.set_four_ones(con, CLERK_T01, "p2", project(con, "p2")[4], helper="王专员")
    with pytest.raises(StaleWrite):
        forms.set_four_ones(con, CLERK_T01, "p1", version, helper="李专员")
    assert project(con, "p1")[2] == "王专员"


def test_problem_category_is_checked_and_scoped(con: duckdb.DuckDBPyConnection) -> None:
    version = con.execute("SELECT row_version FROM problems WHERE problem_id = 'Q1'").fetchall()[0][0]
    with pytest.raises(FormInvalid):
        forms.set_problem_category(con, CLERK_T01, "Q1", version, "weather")
    with pytest.raises(PermissionDenied):
        forms.set_problem_category(con, CLERK_T02, "Q1", version, "land")
    forms.set_problem_category(con, CLERK_T01, "Q1", version, "土地")  # the Chinese label is accepted
    assert con.execute("SELECT category FROM problems WHERE problem_id = 'Q1'").fetchall() == [("land",)]
    assert audits(con, "problems")[-1][1] == "category"


def test_the_forms_show_only_the_units_own_rows(con: duckdb.DuckDBPyConnection) -> None:
    record(con)
    record(con, user=OFFICE, project_id="p2")
    assert list(forms.unit_milestones(con, CLERK_T01, "t01")["project_id"]) == ["p1"]
    assert forms.unit_milestones(con, CLERK_T01, "t02").empty  # not its unit
    assert list(forms.unit_stage_leads(con, CLERK_T01, "t01")["lead_id"]) == ["L2"]
    assert list(forms.unit_problem_rows(con, CLERK_T01, "t01")["problem_id"]) == ["Q1"]
    assert forms.unit_problem_rows(con, CLERK_T02, "t01").empty
