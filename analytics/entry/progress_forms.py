"""Progress forms (METRICS.md §8): a project's milestones (planned and done), a lead's negotiation
stage, a major project's four ones (四个一) and a problem's category.

Every write is checked by the importer's own ``validate_table_rows`` (through ``rows.validate_row``),
allowed only as ``analytics.access.permissions`` says (a clerk writes only its own unit's projects,
milestones, leads and problems), refused when stale, and audited in the same transaction. A done
date (or a stage date) after today is refused: it has not happened yet.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.access.permissions import check_write, require, scope_rows_for
from analytics.access.users import User
from analytics.core.labels import MILESTONE_KIND_LABELS
from analytics.data.store import record_audit
from analytics.data.write_lock import write_transaction
from analytics.entry.rows import (
    UNCHANGED,
    EntryError,
    StaleWrite,
    WriteResult,
    audit_key,
    project_unit,
    row_json,
    update_row,
    validate_row,
)

MILESTONE_COLUMNS = ("project_id", "kind", "planned_on", "done_on")


def _day(value: Any) -> date | None:
    """A form's date (a date, an ISO text or blank) for comparisons; the validator types it again."""
    if value is None or value == "" or (not isinstance(value, date) and pd.isna(value)):
        return None
    return pd.Timestamp(value).date()


def _not_in_future(value: Any, what: str, column: str, today: date) -> None:
    try:
        day = _day(value)
    except ValueError:
        return  # not a date at all: the validator names it
    if day is not None and day > today:
        raise EntryError(
            f"{what}({day:%Y-%m-%d})晚于今天({today:%Y-%m-%d}):尚未发生的事不能填为已完成。", column
        )


def _stored_milestone(cur: duckdb.DuckDBPyConnection, project_id: Any, kind: Any) -> dict[str, Any] | None:
    rows = cur.execute(
        "SELECT project_id, kind, planned_on, done_on FROM milestones WHERE project_id = ? AND kind = ?",
        [project_id, kind],
    ).fetchall()
    return dict(zip(MILESTONE_COLUMNS, rows[0], strict=True)) if rows else None


def record_milestone(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    project_id: Any,
    kind: Any,
    planned_on: Any,
    done_on: Any,
    opened_as: tuple[date | None, date | None] | None,
    today: date | None = None,
    source: str = "表单:项目节点",
) -> WriteResult:
    """Record a project's milestone of ``kind``: its planned and done dates (blank = none yet).

    ``opened_as`` is (planned_on, done_on) as the form showed them (``None``: no record then); if the
    stored record differs, somebody changed it meanwhile and the save is refused as stale.
    """
    require(user, "enter_data")
    today = today or date.today()
    _not_in_future(done_on, "完成日期", "done_on", today)
    with write_transaction(con) as cur:
        before = _stored_milestone(cur, project_id, kind)
        seen = None if before is None else (before["planned_on"], before["done_on"])
        if seen != opened_as:
            raise StaleWrite("保存被拒绝:该节点在您打开后已被他人修改。您的修改没有保存,请刷新后重新填写。")
        row = {"project_id": project_id, "kind": kind, "planned_on": planned_on, "done_on": done_on}
        unit = project_unit(cur, project_id)
        check_write(
            user,
            "milestones",
            {**row, "project_unit_id": unit},
            None if before is None else {**before, "project_unit_id": unit},
        )
        after = validate_row(cur, "milestones", row)
        if before is None:
            cur.execute(
                "INSERT INTO milestones (project_id, kind, planned_on, done_on) VALUES (?, ?, ?, ?)",
                [after[c] for c in MILESTONE_COLUMNS],
            ).fetchall()
        else:
            cur.execute(
                "UPDATE milestones SET planned_on = ?, done_on = ? WHERE project_id = ? AND kind = ?",
                [after["planned_on"], after["done_on"], project_id, kind],
            ).fetchall()
        action = "insert" if before is None else "update"
        key = audit_key("milestones", after)
        record_audit(
            cur,
            actor=user.username,
            source=source,
            table_name="milestones",
            action=action,
            record_key=key,
            before_json=row_json(before),
            after_json=row_json(after),
        )
    label = MILESTONE_KIND_LABELS.get(str(kind), str(kind))
    return WriteResult("milestones", key, action, None, f"项目 {project_id} 的{label}节点已保存。")


def move_lead_stage(
    con: duckdb.DuckDBPyConnection,
    user: User,
    lead_id: str,
    expected_version: int | None,
    *,
    stage: Any,
    changed_on: Any = None,
    project_id: Any = UNCHANGED,
    today: date | None = None,
    source: str = "表单:洽谈阶段",
) -> WriteResult:
    """Move a lead to ``stage`` on ``changed_on`` (default today); 已签约 needs the project it became.
    A clerk moves only its own unit's leads (and links them only to its own unit's projects)."""
    require(user, "enter_data")
    today = today or date.today()
    when = changed_on if changed_on not in (None, "") else today
    _not_in_future(when, "阶段日期", "stage_changed_on", today)
    changes = {"stage": stage, "stage_changed_on": when, "project_id": project_id}
    with write_transaction(con) as cur:
        return update_row(
            cur, user, "leads", {"lead_id": lead_id}, changes, expected_version, source=source, action="stage"
        )


def set_four_ones(
    con: duckdb.DuckDBPyConnection,
    user: User,
    project_id: str,
    expected_version: int | None,
    *,
    leader_in_charge: Any = UNCHANGED,
    responsible_unit_id: Any = UNCHANGED,
    helper: Any = UNCHANGED,
    planned_commence_on: Any = UNCHANGED,
    planned_production_on: Any = UNCHANGED,
    source: str = "表单:四个一",
) -> WriteResult:
    """A project's four ones: county leader, responsible unit, helper, and the planned dates of
    开工 and 投产 (the other steps' plans are their milestones' ``planned_on``)."""
    require(user, "enter_data")
    changes = {
        "leader_in_charge": leader_in_charge,
        "responsible_unit_id": responsible_unit_id,
        "helper": helper,
        "planned_commence_on": planned_commence_on,
        "planned_production_on": planned_production_on,
    }
    with write_transaction(con) as cur:
        return update_row(
            cur, user, "projects", {"project_id": project_id}, changes, expected_version, source=source
        )


def set_problem_category(
    con: duckdb.DuckDBPyConnection,
    user: User,
    problem_id: str,
    expected_version: int | None,
    category: Any,
    *,
    source: str = "表单:问题类别",
) -> WriteResult:
    """Set a problem's category (规划、土地、环保、能评、安全、资金、其他; blank clears it)."""
    require(user, "enter_data")
    with write_transaction(con) as cur:
        return update_row(
            cur,
            user,
            "problems",
            {"problem_id": problem_id},
            {"category": category},
            expected_version,
            source=source,
            action="category",
        )


# ---------------------------------------------------------------------------------------------
# what the forms show: the unit's own rows only
# ---------------------------------------------------------------------------------------------


def unit_milestones(con: duckdb.DuckDBPyConnection, user: User, unit_id: str) -> pd.DataFrame:
    """The milestones of ``unit_id``'s projects that ``user`` may see, with ``project_unit_id``."""
    frame = con.execute(
        """
        SELECT m.project_id, m.kind, m.planned_on, m.done_on, p.introducing_unit_id AS project_unit_id
        FROM milestones AS m JOIN projects AS p ON p.project_id = m.project_id
        WHERE p.introducing_unit_id = ? ORDER BY m.project_id, m.kind
        """,
        [unit_id],
    ).df()
    return scope_rows_for(user, "milestones", frame)


def unit_stage_leads(con: duckdb.DuckDBPyConnection, user: User, unit_id: str) -> pd.DataFrame:
    """``unit_id``'s leads that ``user`` may see, with their stage and row version, newest first."""
    frame = con.execute(
        """
        SELECT lead_id, company, reporter_unit_id, project_id, stage, stage_changed_on, reported_at,
               row_version
        FROM leads WHERE reporter_unit_id = ? ORDER BY reported_at DESC, lead_id
        """,
        [unit_id],
    ).df()
    return scope_rows_for(user, "leads", frame)


def unit_problem_rows(con: duckdb.DuckDBPyConnection, user: User, unit_id: str) -> pd.DataFrame:
    """The problems on ``unit_id``'s projects that ``user`` may categorise (their project's unit)."""
    frame = con.execute(
        """
        SELECT pr.problem_id, pr.project_id, pr.description, pr.category, pr.raised_on, pr.resolved_on,
               pr.responsible_unit_id, pr.row_version, p.introducing_unit_id AS project_unit_id
        FROM problems AS pr JOIN projects AS p ON p.project_id = pr.project_id
        WHERE p.introducing_unit_id = ? ORDER BY pr.raised_on DESC, pr.problem_id
        """,
        [unit_id],
    ).df()
    frame = scope_rows_for(user, "problems", frame)
    return frame[frame["project_unit_id"] == unit_id]


def project_four_ones(con: duckdb.DuckDBPyConnection, user: User, project_id: str) -> dict[str, Any] | None:
    """A project's four ones and row version, when ``user`` may see the project on the entry page."""
    frame = con.execute(
        """
        SELECT project_id, introducing_unit_id, leader_in_charge, responsible_unit_id, helper,
               planned_commence_on, planned_production_on, row_version
        FROM projects WHERE project_id = ?
        """,
        [project_id],
    ).df()
    frame = scope_rows_for(user, "projects", frame)
    return frame.iloc[0].to_dict() if len(frame) else None
