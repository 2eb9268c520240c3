"""Named what-if scenarios in the ``scenarios`` table: save (who, when), list, load, delete, compare,
and export the settings part as the JSON that ``python -m analytics report --settings FILE`` reads.

Saving or deleting a scenario writes only the ``scenarios`` table, with an audit row in the same
transaction (so the app's caches see the change); the contract tables are never touched.

Who may save or delete (``save_scenario_as``, ``delete_scenario_as``, the functions the app calls;
the rule is ``permissions.check_scenario_write``, checked inside the write's transaction): the
office and the county leader save; the office overwrites or deletes any scenario, a leader only
those it saved itself (``created_by`` holds the saver's user name; the last saver owns a scenario);
clerks and the projector account neither save nor delete. ``save_scenario`` and ``delete_scenario``
without a user are for callers that act for the office already (command line, tests).
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from analytics.access.permissions import check_scenario_write, require
from analytics.access.users import User
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import record_audit, rollback_after_error
from analytics.whatif.scenario import (
    Scenario,
    ScenarioComparison,
    ScenarioError,
    build_reports,
    check_scenario,
    diff_reports,
)

MAX_NAME_LENGTH = 40


class ScenarioStoreError(ValueError):
    """A save, load or delete that cannot be done; the message is Chinese, for the screen."""


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise ScenarioStoreError("请填写推演方案名称")
    if len(name) > MAX_NAME_LENGTH:
        raise ScenarioStoreError(f"方案名称不超过 {MAX_NAME_LENGTH} 个字")
    return name


def save_scenario_as(con: duckdb.DuckDBPyConnection, user: User, scenario: Scenario, name: str) -> int:
    """``user`` saves ``scenario`` under ``name``, if the rule above allows it; returns its id."""
    require(user, "save_scenarios")
    return save_scenario(con, scenario, name, actor=user.username, _user=user)


def delete_scenario_as(con: duckdb.DuckDBPyConnection, user: User, scenario_id: int) -> None:
    """``user`` deletes a saved scenario, if the rule above allows it."""
    require(user, "save_scenarios")
    delete_scenario(con, scenario_id, actor=user.username, _user=user)


def save_scenario(
    con: duckdb.DuckDBPyConnection, scenario: Scenario, name: str, *, actor: str, _user: User | None = None
) -> int:
    """Save ``scenario`` under ``name`` (replacing a scenario of that name); returns its id.

    The scenario is checked against the data first: nothing is written when it does not fit.
    """
    name = _clean_name(name)
    errors = check_scenario(con, scenario)
    if errors:
        raise ScenarioStoreError("方案无法保存:" + ";".join(errors))
    payload = Scenario(name, scenario.settings, scenario.targets, scenario.events).to_json()
    con.execute("BEGIN TRANSACTION")
    try:
        existing = con.execute(
            "SELECT scenario_id, payload_json, created_by FROM scenarios WHERE name = ?", [name]
        ).fetchall()
        if _user is not None:
            check_scenario_write(_user, existing[0][2] if existing else None)
        if existing:
            scenario_id, before, _ = existing[0]
            con.execute(
                "UPDATE scenarios SET payload_json = ?, created_by = ?, updated_at = current_localtimestamp()"
                " WHERE scenario_id = ?",
                [payload, actor, scenario_id],
            )
            action = "update"
        else:
            scenario_id = con.execute(
                "INSERT INTO scenarios (name, payload_json, created_by) VALUES (?, ?, ?) RETURNING scenario_id",
                [name, payload, actor],
            ).fetchall()[0][0]
            before, action = None, "insert"
        record_audit(
            con,
            actor=actor,
            source="模拟推演",
            table_name="scenarios",
            action=action,
            record_key=str(scenario_id),
            before_json=before,
            after_json=payload,
        )
        con.execute("COMMIT")
    except Exception:
        rollback_after_error(con)
        raise
    return int(scenario_id)


def list_scenarios(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Saved scenarios, newest change first: id, name, who saved it, when, and what it holds."""
    rows = con.execute(
        "SELECT scenario_id, name, created_by, created_at, updated_at, payload_json FROM scenarios"
        " ORDER BY updated_at DESC, scenario_id DESC"
    ).fetchall()
    out = []
    for scenario_id, name, by, created, updated, payload in rows:
        scenario = Scenario.from_json(payload)
        out.append(
            {
                "scenario_id": int(scenario_id),
                "name": name,
                "created_by": by,
                "created_at": created,
                "updated_at": updated,
                "settings_count": len(scenario.settings),
                "targets_count": len(scenario.targets),
                "events_count": len(scenario.events),
            }
        )
    columns = [
        "scenario_id",
        "name",
        "created_by",
        "created_at",
        "updated_at",
        "settings_count",
        "targets_count",
        "events_count",
    ]
    return pd.DataFrame(out, columns=columns)


def load_scenario(con: duckdb.DuckDBPyConnection, scenario_id: int) -> Scenario:
    rows = con.execute("SELECT payload_json FROM scenarios WHERE scenario_id = ?", [scenario_id]).fetchall()
    if not rows:
        raise ScenarioStoreError(f"推演方案 {scenario_id} 不存在(可能已被删除)")
    return Scenario.from_json(rows[0][0])


def load_scenario_json(con: duckdb.DuckDBPyConnection, scenario_id: int) -> str:
    """The saved scenario as JSON (for the page's cache)."""
    return load_scenario(con, scenario_id).to_json()


def delete_scenario(
    con: duckdb.DuckDBPyConnection, scenario_id: int, *, actor: str, _user: User | None = None
) -> None:
    con.execute("BEGIN TRANSACTION")
    try:
        rows = con.execute(
            "SELECT payload_json, created_by FROM scenarios WHERE scenario_id = ?", [scenario_id]
        ).fetchall()
        if not rows:
            raise ScenarioStoreError(f"推演方案 {scenario_id} 不存在(可能已被删除)")
        if _user is not None:
            check_scenario_write(_user, rows[0][1])
        con.execute("DELETE FROM scenarios WHERE scenario_id = ?", [scenario_id])
        record_audit(
            con,
            actor=actor,
            source="模拟推演",
            table_name="scenarios",
            action="delete",
            record_key=str(scenario_id),
            before_json=rows[0][0],
        )
        con.execute("COMMIT")
    except Exception:
        rollback_after_error(con)
        raise


def compare_saved(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    base_settings: dict[str, Any],
    first_id: int,
    second_id: int,
) -> ScenarioComparison:
    """Two saved scenarios side by side: the first plays "baseline", the second "scenario"."""

    first, second = load_scenario(con, first_id), load_scenario(con, second_id)
    try:
        _, report_a = build_reports(con, period, base_settings, first)
        _, report_b = build_reports(con, period, base_settings, second)
    except ScenarioError as exc:
        raise ScenarioStoreError("方案无法应用:" + ";".join(exc.errors)) from exc
    names = {r[0]: r[1] for r in con.execute("SELECT unit_id, name FROM units").fetchall()}
    squads = {r[0]: r[1] for r in con.execute("SELECT squad_id, name FROM squads").fetchall()}
    return diff_reports(report_a, report_b, names, squads)


def compare_saved_json(
    con: duckdb.DuckDBPyConnection, period: Period, base_overrides_json: str, first_id: int, second_id: int
) -> ScenarioComparison:

    base = effective_settings(con, json.loads(base_overrides_json or "{}"))
    return compare_saved(con, period, base, first_id, second_id)


def export_settings(scenario: Scenario) -> tuple[str, str]:
    """(JSON text for ``analytics report --settings``, a note on what it leaves out).

    The file holds only the settings overrides (keys it does not name keep their defaults). Target
    overrides and assumed events are not settings, so the file cannot carry them: the note says so.
    """
    text = json.dumps(scenario.settings, ensure_ascii=False, indent=2, sort_keys=True)
    left_out = []
    if scenario.targets:
        left_out.append(f"{len(scenario.targets)} 项目标调整")
    if scenario.events:
        left_out.append(f"{len(scenario.events)} 项假设事件")
    note = "导出文件只含设置项(口径参数),可用于 python -m analytics report --settings 文件。" + (
        f"本方案的{'、'.join(left_out)}不是设置项,未包含在文件中。" if left_out else ""
    )
    return text, note
