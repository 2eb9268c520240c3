"""Who may read and write what: the pure permission rules, role by role."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.access.permissions import (
    PermissionDenied,
    can,
    can_open_page,
    can_write,
    check_write,
    require,
    scope_rows_for,
)
from tests.entry_fixtures import CLERK_T01, LEADER, OFFICE, VIEWER

LEAD_T01 = {"lead_id": "a", "reporter_unit_id": "t01", "status": "pending"}
LEAD_T02 = {"lead_id": "b", "reporter_unit_id": "t02", "status": "pending"}
PROJECT_T01 = {"project_id": "p1", "introducing_unit_id": "t01", "written_off_date": None}


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        (
            OFFICE,
            {
                "read_county",
                "enter_data",
                "bulk_upload",
                "confirm_leads",
                "edit_targets",
                "edit_settings",
                "import",
                "view_audit",
                "backup",
                "manage_users",
                "write_off",
            },
        ),
        (CLERK_T01, {"read_county", "enter_data", "bulk_upload"}),
        (LEADER, {"read_county"}),
        (VIEWER, {"read_county"}),
    ],
)
def test_actions_by_role(user, allowed: set[str]) -> None:
    actions = [
        "read_county",
        "enter_data",
        "bulk_upload",
        "confirm_leads",
        "edit_targets",
        "edit_settings",
        "import",
        "view_audit",
        "backup",
        "manage_users",
        "write_off",
    ]
    assert {a for a in actions if can(user, a)} == allowed


def test_pages_by_role() -> None:
    assert [can_open_page(u, "entry") for u in (OFFICE, CLERK_T01, LEADER, VIEWER)] == [
        True,
        True,
        False,
        False,
    ]
    assert [can_open_page(u, "office") for u in (OFFICE, CLERK_T01, LEADER, VIEWER)] == [
        True,
        False,
        False,
        False,
    ]
    assert all(can_open_page(u, "cockpit") for u in (OFFICE, CLERK_T01, LEADER, VIEWER))


def test_clerk_writes_only_its_own_units_rows() -> None:
    assert can_write(CLERK_T01, "leads", LEAD_T01)
    assert not can_write(CLERK_T01, "leads", LEAD_T02)
    assert can_write(CLERK_T01, "projects", PROJECT_T01)
    assert not can_write(CLERK_T01, "projects", {**PROJECT_T01, "introducing_unit_id": "t02"})
    assert can_write(CLERK_T01, "fund_arrivals", {"project_id": "p1", "project_unit_id": "t01"})
    assert not can_write(CLERK_T01, "fund_arrivals", {"project_id": "p2", "project_unit_id": "t02"})
    # problems: raised only on its own projects; of another unit's problem it is responsible for,
    # it sets only the resolution date
    q2 = {"problem_id": "q2", "project_id": "p2", "project_unit_id": "t02", "responsible_unit_id": "t01"}
    assert not can_write(CLERK_T01, "problems", q2)
    assert can_write(CLERK_T01, "problems", {**q2, "resolved_on": "2026-05-01"}, before=q2)
    assert not can_write(CLERK_T01, "problems", {**q2, "due_date": "2026-12-31"}, before=q2)
    assert not can_write(CLERK_T01, "problems", {"project_unit_id": "t02", "responsible_unit_id": "d01"})
    assert can_write(CLERK_T01, "problems", {"project_unit_id": "t01", "responsible_unit_id": "d01"})
    for table in ("targets", "units", "industries", "settings"):
        assert not can_write(CLERK_T01, table, {"scope": "t01"})


def test_leader_and_viewer_write_nothing_and_office_everything() -> None:
    for user in (LEADER, VIEWER):
        assert not can_write(user, "leads", LEAD_T01)
        with pytest.raises(PermissionDenied, match="只能查看"):
            check_write(user, "leads", LEAD_T01)
    assert can_write(OFFICE, "targets", {"scope": "county"})
    with pytest.raises(PermissionDenied, match="修改目标任务"):
        require(CLERK_T01, "edit_targets")


def test_clerk_cannot_move_a_record_to_or_from_another_unit() -> None:
    with pytest.raises(PermissionDenied, match="不属于本单位"):
        check_write(CLERK_T01, "leads", LEAD_T01, before=LEAD_T02)  # taking over t02's lead
    with pytest.raises(PermissionDenied, match="改为属于 t02"):
        check_write(CLERK_T01, "leads", LEAD_T02, before=LEAD_T01)  # handing its lead to t02


def test_clerk_cannot_confirm_leads_or_write_off_projects() -> None:
    with pytest.raises(PermissionDenied, match="待认定"):
        check_write(CLERK_T01, "leads", {**LEAD_T01, "status": "valid"})
    with pytest.raises(PermissionDenied, match="status"):
        check_write(CLERK_T01, "leads", {**LEAD_T01, "status": "valid"}, before=LEAD_T01)
    with pytest.raises(PermissionDenied, match="written_off_date"):
        check_write(
            CLERK_T01, "projects", {**PROJECT_T01, "written_off_date": "2026-05-01"}, before=PROJECT_T01
        )
    check_write(CLERK_T01, "leads", LEAD_T01, before=LEAD_T01)  # unchanged status is fine
    check_write(OFFICE, "leads", {**LEAD_T02, "status": "valid"}, before=LEAD_T02)


def test_scope_rows_for_a_clerk_is_its_own_unit_only() -> None:
    leads = pd.DataFrame([LEAD_T01, LEAD_T02])
    assert list(scope_rows_for(CLERK_T01, "leads", leads)["lead_id"]) == ["a"]
    assert list(scope_rows_for(OFFICE, "leads", leads)["lead_id"]) == ["a", "b"]
    assert scope_rows_for(LEADER, "leads", leads).empty  # leader and viewer do not enter data
    problems = pd.DataFrame(
        {
            "problem_id": ["q1", "q2", "q3"],
            "project_unit_id": ["t01", "t02", "t02"],
            "responsible_unit_id": ["d01", "t01", "d01"],
        }
    )
    assert list(scope_rows_for(CLERK_T01, "problems", problems)["problem_id"]) == ["q1", "q2"]
    assert scope_rows_for(CLERK_T01, "targets", pd.DataFrame({"scope": ["t01"]})).empty
