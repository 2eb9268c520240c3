"""Writes from the data-entry forms: leads, lead decisions, project stages, funds, problems, targets,
settings, and a unit's bulk upload.

Every write here

- is allowed only as ``analytics.permissions`` says (a clerk writes only its own unit's rows);
- validates the row exactly as an import would (``importer.validate_table_rows`` /
  ``validate_frames``: same parsers, same row and reference rules, same messages);
- runs in one transaction with an audit entry (who, which form, which record, before → after);
- refuses a stale save: an edit names the ``row_version`` it was made from, and if somebody saved
  the record in the meantime the save is refused with a message, never silently overwritten;
- holds ``WRITE_LOCK``, so the process's writes (forms, uploads, imports through ``import_workbook``)
  are serialised on the one database connection.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.access import users
from analytics.access.permissions import PermissionDenied, check_write, require
from analytics.access.users import User
from analytics.core.schema import DATE, DATETIME, INT, TABLES_BY_NAME
from analytics.core.settings import (
    DEFAULT_SETTINGS,
    SETTING_LABELS,
    SettingsError,
    apply_overrides,
    stored_overrides,
)
from analytics.data.importer import (
    ImportFailed,
    ImportIssue,
    ImportSummary,
    References,
    import_path,
    read_source,
    validate_frames,
    validate_table_rows,
)
from analytics.data.keys import company_key, fill_company_keys
from analytics.data.store import record_audit
from analytics.data.write_lock import WRITE_LOCK, write_transaction
from analytics.metrics import views
from analytics.metrics.leads import register_company_keys

UNCHANGED: Any = object()


class EntryError(Exception):
    """A refused write; ``message`` is Chinese, for the screen. Nothing was written."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class FormInvalid(EntryError):
    """The input breaks the contract; ``issues`` are the importer's own, ``messages`` their text."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = issues
        self.messages = [form_message(i) for i in issues]
        super().__init__("填写有误,未保存:\n" + "\n".join(self.messages))


class StaleWrite(EntryError):
    """Somebody saved the record after this form was opened."""


class NotFound(EntryError):
    """The record no longer exists."""


@dataclass(frozen=True)
class FirstReport:
    """The lead that counts as the first report of a company (METRICS.md §4)."""

    lead_id: str
    reported_at: datetime
    unit_id: str
    unit_name: str

    @property
    def message(self) -> str:
        return f"已于 {self.reported_at:%Y-%m-%d %H:%M} 由 {self.unit_name} 首报(信息编码 {self.lead_id})"


@dataclass(frozen=True)
class WriteResult:
    table: str
    record_key: str
    action: str
    row_version: int | None
    message: str
    first_report: FirstReport | None = None
    is_first_report: bool | None = None


@dataclass
class UploadSummary:
    unit_id: str | None
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [
            f"{TABLES_BY_NAME[t].zh}:新增 {self.inserted.get(t, 0)} 行,更新 {self.updated.get(t, 0)} 行"
            for t in sorted(set(self.inserted) | set(self.updated), key=list(TABLES_BY_NAME).index)
        ]
        return ";".join(parts) or "没有数据行"


def form_message(issue: ImportIssue) -> str:
    """The importer's message for a form: the same text without the row number."""
    return str(replace(issue, row=None))


# ---------------------------------------------------------------------------------------------
# transactions, rows, audit
# ---------------------------------------------------------------------------------------------


def _columns(table: str) -> list[str]:
    return TABLES_BY_NAME[table].column_names


def _where(key: Mapping[str, Any]) -> tuple[str, list[Any]]:
    return " AND ".join(f"{c} = ?" for c in key), list(key.values())


def fetch_row(con: duckdb.DuckDBPyConnection, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
    """The row of ``table`` with ``key`` (contract columns and ``row_version``), or ``None``."""
    cols = _columns(table) + (["row_version"] if table != "fund_arrivals" else [])
    where, params = _where(key)
    result = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", params)
    rows = result.fetchall()
    return dict(zip(cols, rows[0], strict=True)) if rows else None


def _json(row: Mapping[str, Any] | None) -> str | None:
    if row is None:
        return None

    def default(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, np.generic):
            return value.item()
        return str(value)

    return json.dumps(dict(row), ensure_ascii=False, default=default, sort_keys=False)


def _record_key(table: str, row: Mapping[str, Any]) -> str:
    key = TABLES_BY_NAME[table].key or ("project_id", "date")
    return "|".join(str(row[c]) for c in key)


def _python(table: str, column: str, value: Any) -> Any:
    """A typed DataFrame cell as the Python value DuckDB stores."""
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if value is pd.NA:
        return None
    kind = TABLES_BY_NAME[table].column(column).kind
    if kind == DATE:
        return pd.Timestamp(value).date()
    if kind == DATETIME:
        return pd.Timestamp(value).to_pydatetime()
    if kind == INT:
        return int(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _validate(con: duckdb.DuckDBPyConnection, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one row as the importer does (references against the database); the typed row."""
    raw = pd.DataFrame([{c: row.get(c) for c in _columns(table)}], index=[1], dtype=object)
    result = validate_table_rows(table, raw, References.from_database(con))
    if not result.ok:
        raise FormInvalid(result.issues)
    typed = result.tables[table].iloc[0]
    return {c: _python(table, c, typed[c]) for c in _columns(table)}


def _project_unit(con: duckdb.DuckDBPyConnection, project_id: Any) -> str | None:
    rows = con.execute(
        "SELECT introducing_unit_id FROM projects WHERE project_id = ?", [project_id]
    ).fetchall()
    return rows[0][0] if rows else None


def _with_units(
    con: duckdb.DuckDBPyConnection,
    table: str,
    row: Mapping[str, Any] | None,
    uploaded: Mapping[Any, Any] | None = None,
) -> dict | None:
    """``row`` plus ``project_unit_id``, the unit of the project this very row names (for the tables
    whose rows name a project), as the permission rules need it; ``uploaded`` maps the projects of
    the same upload to their units (a stored project's unit is checked on its own row)."""
    if row is None:
        return None
    if table not in ("fund_arrivals", "problems", "leads"):
        return dict(row)
    project_id = row.get("project_id")
    unit = (uploaded or {}).get(project_id) or _project_unit(con, project_id)
    return {**row, "project_unit_id": unit}


def _last_change(con: duckdb.DuckDBPyConnection, table: str, record_key: str) -> str:
    rows = con.execute(
        "SELECT actor, changed_at FROM audit_log WHERE table_name = ? AND record_key = ?"
        " ORDER BY audit_id DESC LIMIT 1",
        [table, record_key],
    ).fetchall()
    if not rows:
        return "其他人"
    actor, at = rows[0]
    return f"{actor} 于 {at:%Y-%m-%d %H:%M:%S}"


def _check_version(
    con: duckdb.DuckDBPyConnection, table: str, before: Mapping[str, Any], expected_version: int | None
) -> None:
    current = before.get("row_version")
    if expected_version is None or current != expected_version:
        who = _last_change(con, table, _record_key(table, before))
        raise StaleWrite(
            f"保存被拒绝:该记录在您打开后已被 {who} 修改(版本 {expected_version} → {current})。"
            "您的修改没有保存,请刷新后按最新内容重新填写。"
        )


def _update(
    cur: duckdb.DuckDBPyConnection,
    user: User,
    table: str,
    key: Mapping[str, Any],
    changes: Mapping[str, Any],
    expected_version: int | None,
    *,
    source: str,
    action: str = "update",
) -> WriteResult:
    """Change ``changes`` of the row with ``key``: permission, validation, version, audit."""
    before = fetch_row(cur, table, key)
    if before is None:
        raise NotFound(f"记录 {'|'.join(map(str, key.values()))} 不存在(可能已被删除或重新导入)。")
    proposed = {**before, **{k: v for k, v in changes.items() if v is not UNCHANGED}}
    check_write(user, table, _with_units(cur, table, proposed), _with_units(cur, table, before))
    after = _validate(cur, table, proposed)
    _check_version(cur, table, before, expected_version)
    sets = ", ".join(f"{c} = ?" for c in after)
    if table == "leads":  # the stored first-report key is re-derived from the (maybe new) name
        sets += ", company_key = NULL"
    where, params = _where(key)
    updated = cur.execute(
        f"UPDATE {table} SET {sets}, row_version = row_version + 1 WHERE {where} AND row_version = ?",
        [*after.values(), *params, expected_version],
    ).fetchall()
    if not updated or updated[0][0] != 1:  # pragma: no cover - the lock makes this unreachable
        raise StaleWrite("保存被拒绝:该记录刚被他人修改,请刷新后重试。")
    if table == "leads":
        fill_company_keys(cur)
    after["row_version"] = before["row_version"] + 1
    record_key = _record_key(table, after)
    record_audit(
        cur,
        actor=user.username,
        source=source,
        table_name=table,
        action=action,
        record_key=record_key,
        before_json=_json(before),
        after_json=_json(after),
    )
    return WriteResult(table, record_key, action, after["row_version"], "已保存。")


def _insert(
    cur: duckdb.DuckDBPyConnection,
    user: User,
    table: str,
    row: Mapping[str, Any],
    *,
    source: str,
    action: str,
) -> dict[str, Any]:
    check_write(user, table, _with_units(cur, table, row))
    typed = _validate(cur, table, row)
    cols = list(typed)
    cur.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        list(typed.values()),
    ).fetchall()
    if table == "leads":
        fill_company_keys(cur)
    after = (
        fetch_row(cur, table, {c: typed[c] for c in TABLES_BY_NAME[table].key})
        if TABLES_BY_NAME[table].key
        else typed
    )
    record_audit(
        cur,
        actor=user.username,
        source=source,
        table_name=table,
        action=action,
        record_key=_record_key(table, typed),
        after_json=_json(after),
    )
    return after or typed


def _next_id(cur: duckdb.DuckDBPyConnection, table: str, column: str, prefix: str) -> str:
    """``prefix`` + the next free three-digit number (called under the write lock)."""
    rows = cur.execute(f"SELECT {column} FROM {table} WHERE starts_with({column}, ?)", [prefix]).fetchall()
    used = {r[0] for r in rows}
    n = len(used) + 1
    while f"{prefix}{n:03d}" in used:
        n += 1
    return f"{prefix}{n:03d}"


def _unit_for(user: User, unit_id: str | None) -> str:
    if user.role == "clerk":
        if unit_id not in (None, user.unit_id):
            raise PermissionDenied(f"无权以其他单位名义报送:本账号属于 {user.unit_id}。")
        return str(user.unit_id)
    if not unit_id:
        raise EntryError("请选择报送单位。")
    return unit_id


# ---------------------------------------------------------------------------------------------
# leads
# ---------------------------------------------------------------------------------------------


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
    unit_id: str | None = None,
    now: datetime | None = None,
    source: str = "表单:报送招商信息",
) -> WriteResult:
    """Report a lead: the server stamps ``reported_at``; the result tells at once whether it is the
    company's first report or a duplicate of an earlier one (by whom and when)."""
    require(user, "enter_data")
    unit = _unit_for(user, unit_id)
    stamp = (now or datetime.now()).replace(microsecond=0)
    with write_transaction(con) as cur:
        lead_id = _next_id(cur, "leads", "lead_id", f"L{stamp:%Y%m%d}-{unit}-")
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
        }
        after = _insert(cur, user, "leads", row, source=source, action="insert")
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
        return _update(
            cur,
            user,
            "leads",
            {"lead_id": lead_id},
            {"status": status, "project_id": project_id},
            expected_version,
            source=source,
            action="decide",
        )


# ---------------------------------------------------------------------------------------------
# projects, funds, problems
# ---------------------------------------------------------------------------------------------


def update_project_stages(
    con: duckdb.DuckDBPyConnection,
    user: User,
    project_id: str,
    expected_version: int | None,
    *,
    in_stats_date: Any = UNCHANGED,
    commenced_date: Any = UNCHANGED,
    production_date: Any = UNCHANGED,
    written_off_date: Any = UNCHANGED,
    source: str = "表单:更新项目进度",
) -> WriteResult:
    """Set a project's stage dates (blank = not happened yet); write-off is the office's."""
    require(user, "enter_data")
    changes = {
        "in_stats_date": in_stats_date,
        "commenced_date": commenced_date,
        "production_date": production_date,
        "written_off_date": written_off_date,
    }
    with write_transaction(con) as cur:
        return _update(
            cur, user, "projects", {"project_id": project_id}, changes, expected_version, source=source
        )


def record_fund_arrival(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    project_id: Any,
    date: Any,
    amount_wan: Any,
    fixed_asset_wan: Any,
    fdi_usd_wan: Any = 0,
    fx_usd_wan: Any = 0,
    source: str = "表单:登记资金到位",
) -> WriteResult:
    """Record one fund arrival of a project (arrivals are added, never edited in place)."""
    require(user, "enter_data")
    row = {
        "project_id": project_id,
        "date": date,
        "amount_wan": amount_wan,
        "fixed_asset_wan": fixed_asset_wan,
        "fdi_usd_wan": fdi_usd_wan,
        "fx_usd_wan": fx_usd_wan,
    }
    with write_transaction(con) as cur:
        after = _insert(cur, user, "fund_arrivals", row, source=source, action="insert")
    return WriteResult(
        "fund_arrivals", _record_key("fund_arrivals", after), "insert", None, "资金到位已登记。"
    )


def raise_problem(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    project_id: Any,
    description: Any,
    responsible_unit_id: Any,
    due_date: Any,
    raised_on: date | None = None,
    source: str = "表单:提出问题",
) -> WriteResult:
    """Raise a problem on a project (the server dates it today unless ``raised_on`` is given)."""
    require(user, "enter_data")
    day = raised_on or date.today()
    with write_transaction(con) as cur:
        problem_id = _next_id(cur, "problems", "problem_id", f"Q{day:%Y%m%d}-")
        row = {
            "problem_id": problem_id,
            "project_id": project_id,
            "raised_on": day,
            "description": description,
            "responsible_unit_id": responsible_unit_id,
            "due_date": due_date,
            "resolved_on": None,
        }
        _insert(cur, user, "problems", row, source=source, action="insert")
    return WriteResult("problems", problem_id, "insert", 1, f"问题已登记(编码 {problem_id})。")


def resolve_problem(
    con: duckdb.DuckDBPyConnection,
    user: User,
    problem_id: str,
    expected_version: int | None,
    resolved_on: Any,
    *,
    source: str = "表单:问题办结",
) -> WriteResult:
    """Mark a problem resolved on ``resolved_on`` (blank reopens it)."""
    require(user, "enter_data")
    with write_transaction(con) as cur:
        return _update(
            cur,
            user,
            "problems",
            {"problem_id": problem_id},
            {"resolved_on": resolved_on},
            expected_version,
            source=source,
            action="resolve",
        )


# ---------------------------------------------------------------------------------------------
# targets and settings (the investment office)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TargetEdit:
    """One target as edited: ``value`` blank deletes it; ``expected_version`` None = a new target."""

    year: Any
    scope: Any
    metric: Any
    value: Any
    expected_version: int | None = None


def save_targets(
    con: duckdb.DuckDBPyConnection, user: User, edits: list[TargetEdit], *, source: str = "表单:目标任务"
) -> list[WriteResult]:
    """Save several targets in one transaction: all are validated (every error reported, row
    numbers = positions in ``edits`` from 1), any stale one refuses the whole save."""
    require(user, "edit_targets")
    keep = [(i, e) for i, e in enumerate(edits, start=1) if not _blank(e.value)]
    raw = pd.DataFrame(
        [{"year": e.year, "scope": e.scope, "metric": e.metric, "value": e.value} for _, e in keep],
        index=[i for i, _ in keep],
        columns=["year", "scope", "metric", "value"],
        dtype=object,
    )
    results: list[WriteResult] = []
    with write_transaction(con) as cur:
        typed_rows: dict[int, dict[str, Any]] = {}
        if len(raw):
            checked = validate_table_rows("targets", raw, References.from_database(cur))
            if not checked.ok:
                raise FormInvalid(checked.issues)
            frame = checked.tables["targets"]
            typed_rows = {
                i: {c: _python("targets", c, frame.at[i, c]) for c in _columns("targets")}
                for i in frame.index
            }
        for i, edit in enumerate(edits, start=1):
            if i in typed_rows:
                row = typed_rows[i]
                key = {"year": row["year"], "scope": row["scope"], "metric": row["metric"]}
            else:
                key = {
                    "year": _int_or_none(edit.year),
                    "scope": str(edit.scope or "").strip(),
                    "metric": edit.metric,
                }
            before = fetch_row(cur, "targets", key)
            if before is None and edit.expected_version is not None:
                raise StaleWrite(f"保存被拒绝:目标 {key['scope']} {key['metric']} 已被他人删除,请刷新。")
            if before is not None:
                if i in typed_rows:
                    results.append(
                        _update(
                            cur, user, "targets", key, typed_rows[i], edit.expected_version, source=source
                        )
                    )
                else:
                    _check_version(cur, "targets", before, edit.expected_version)
                    where, params = _where(key)
                    cur.execute(f"DELETE FROM targets WHERE {where}", params).fetchall()
                    record_key = _record_key("targets", before)
                    record_audit(
                        cur,
                        actor=user.username,
                        source=source,
                        table_name="targets",
                        action="delete",
                        record_key=record_key,
                        before_json=_json(before),
                    )
                    results.append(WriteResult("targets", record_key, "delete", None, "已删除。"))
            elif i in typed_rows:
                after = _insert(cur, user, "targets", typed_rows[i], source=source, action="insert")
                results.append(WriteResult("targets", _record_key("targets", after), "insert", 1, "已新增。"))
    return results


def _blank(value: Any) -> bool:
    return (
        value is None
        or (isinstance(value, float) and np.isnan(value))
        or (isinstance(value, str) and not value.strip())
    )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def save_setting(
    con: duckdb.DuckDBPyConnection,
    user: User,
    key: str,
    value: Any,
    expected_version: int | None,
    *,
    source: str = "表单:参数设置",
) -> WriteResult:
    """Store one setting (validated with the other stored settings); ``value=None`` restores the default."""
    require(user, "edit_settings")
    if key not in DEFAULT_SETTINGS:
        raise EntryError(f"未知设置项 {key}。")
    with write_transaction(con) as cur:
        stored = stored_overrides(cur)
        if value is not None:
            try:
                apply_overrides(DEFAULT_SETTINGS, {**stored, key: value})
            except SettingsError as exc:
                raise EntryError(f"{SETTING_LABELS.get(key, key)}:{exc}") from None
        rows = cur.execute(
            "SELECT key, value_json, row_version FROM settings WHERE key = ?", [key]
        ).fetchall()
        before = {"key": key, "value": json.loads(rows[0][1]), "row_version": rows[0][2]} if rows else None
        if (before is None) != (expected_version is None) or (
            before is not None and before["row_version"] != expected_version
        ):
            raise StaleWrite(
                f"保存被拒绝:“{SETTING_LABELS.get(key, key)}”在您打开后已被 {_last_change(cur, 'settings', key)} "
                "修改。您的修改没有保存,请刷新后重新填写。"
            )
        if value is None:
            cur.execute("DELETE FROM settings WHERE key = ?", [key]).fetchall()
            after = None
            action, version = "delete", None
        elif before is None:
            cur.execute(
                "INSERT INTO settings (key, value_json, updated_by) VALUES (?, ?, ?)",
                [key, json.dumps(value, ensure_ascii=False), user.username],
            ).fetchall()
            action, version = "insert", 1
        else:
            cur.execute(
                "UPDATE settings SET value_json = ?, updated_by = ?, updated_at = current_localtimestamp(),"
                " row_version = row_version + 1 WHERE key = ?",
                [json.dumps(value, ensure_ascii=False), user.username, key],
            ).fetchall()
            action, version = "update", before["row_version"] + 1
        if value is not None:
            after = {"key": key, "value": value, "row_version": version}
        record_audit(
            cur,
            actor=user.username,
            source=source,
            table_name="settings",
            action=action,
            record_key=key,
            before_json=_json(before),
            after_json=_json(after),
        )
    return WriteResult(
        "settings", key, action, version, "已保存。" if value is not None else "已恢复默认值。"
    )


# ---------------------------------------------------------------------------------------------
# imports: the office's whole workbook, a unit's own rows
# ---------------------------------------------------------------------------------------------


def import_workbook(
    con: duckdb.DuckDBPyConnection,
    user: User,
    path: Path | str,
    *,
    source: str = "导入:招商办上传",
    allow_shrink: bool = False,
) -> ImportSummary:
    """The office imports a whole dataset (replace-all, through the importer) under the write lock;
    emptying or halving a table needs ``allow_shrink`` (else ``importer.ShrinkRefused``)."""
    require(user, "import")
    with WRITE_LOCK:
        cur = con.cursor()
        try:
            return import_path(cur, path, actor=user.username, source=source, allow_shrink=allow_shrink)
        finally:
            cur.close()


UPLOAD_TABLES = ("projects", "fund_arrivals", "leads", "problems")


def upload_unit_rows(
    con: duckdb.DuckDBPyConnection,
    user: User,
    path: Path | str,
    *,
    now: datetime | None = None,
    source: str = "上传:单位数据表",
) -> UploadSummary:
    """A unit's Excel sheet (any of projects, fund_arrivals, leads, problems) added or updated.

    The sheet is read and validated by the importer (same messages, row numbers as in Excel;
    references against the database); then, for a clerk, every row must be its own unit's, a
    lead's status and report time stay the office's and the server's, and a project's write-off
    stays the office's. Rows are upserted by key (nothing is deleted); fund arrivals replace the
    uploaded projects' arrivals. All or nothing, one audit entry per row.
    """
    require(user, "bulk_upload")
    stamp = (now or datetime.now()).replace(microsecond=0)
    frames = read_source(path)
    issues: list[ImportIssue] = []
    for name in frames:
        if name not in UPLOAD_TABLES:
            issues.append(
                ImportIssue(
                    name, None, None, None, f"单位数据表只能包含 {'、'.join(UPLOAD_TABLES)}", "not uploadable"
                )
            )
    frames = {n: f for n, f in frames.items() if n in UPLOAD_TABLES}
    summary = UploadSummary(user.unit_id)
    with write_transaction(con) as cur:
        checked = validate_frames(frames, cur)
        issues += checked.issues
        tables = checked.tables
        if not issues:
            issues += _scope_issues(cur, user, tables, stamp, summary)
        if issues:
            raise ImportFailed(issues)
        for name in UPLOAD_TABLES:
            if name in tables:
                _upsert(cur, user, name, tables[name], source, summary)
    return summary


def _scope_issues(
    cur: duckdb.DuckDBPyConnection,
    user: User,
    tables: dict[str, pd.DataFrame],
    stamp: datetime,
    summary: UploadSummary,
) -> list[ImportIssue]:
    """Rows the user may not write (all of them reported), and the server's report time for new leads."""
    issues: list[ImportIssue] = []
    uploaded_units = {}
    if "projects" in tables:
        projects = tables["projects"]
        uploaded_units = dict(zip(projects["project_id"], projects["introducing_unit_id"], strict=True))
    stamped = 0
    for name, frame in tables.items():
        key_cols = list(TABLES_BY_NAME[name].key)
        for row_no in frame.index:
            row = {c: _python(name, c, frame.at[row_no, c]) for c in _columns(name)}
            before = fetch_row(cur, name, {c: row[c] for c in key_cols}) if key_cols else None
            if name == "leads" and user.role == "clerk":
                if before is None:
                    row["reported_at"] = stamp
                    frame.at[row_no, "reported_at"] = pd.Timestamp(stamp)
                    stamped += 1
                elif row["reported_at"] != before["reported_at"]:
                    issues.append(
                        _scope_issue(
                            name,
                            row_no,
                            "reported_at",
                            row["reported_at"],
                            "原报送时间(报送时间由系统记录,不能修改)",
                        )
                    )
                    continue
            if name == "fund_arrivals" and _project_unit(cur, row["project_id"]) is not None:
                # the project's stored arrivals are replaced: they must be the user's to delete
                before = {"project_id": row["project_id"]}
            try:
                check_write(
                    user,
                    name,
                    _with_units(cur, name, row, uploaded_units),
                    _with_units(cur, name, before),  # the stored row's own project, as stored
                )
            except PermissionDenied as denied:
                column = denied.column or {
                    "leads": "reporter_unit_id",
                    "projects": "introducing_unit_id",
                }.get(name, "project_id")
                issues.append(
                    _scope_issue(name, row_no, column, row.get(column), str(denied).removeprefix("无权修改:"))
                )
    if stamped:
        summary.notes.append(f"{stamped} 条新信息的报送时间由系统记为 {stamp:%Y-%m-%d %H:%M:%S}。")
    return issues


def _scope_issue(table: str, row: int, column: str, value: Any, zh: str) -> ImportIssue:
    shown = (
        value.strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, datetime)
        else (None if value is None else str(value))
    )
    return ImportIssue(table, int(row), column, shown, zh, "a row this account may write")


def _upsert(
    cur: duckdb.DuckDBPyConnection,
    user: User,
    name: str,
    frame: pd.DataFrame,
    source: str,
    summary: UploadSummary,
) -> None:
    key_cols = list(TABLES_BY_NAME[name].key)
    cols = _columns(name)
    if not key_cols:  # fund arrivals: the uploaded projects' arrivals are replaced
        for project_id in sorted(set(frame["project_id"])):
            old = cur.execute(
                "SELECT count(*) FROM fund_arrivals WHERE project_id = ?", [project_id]
            ).fetchall()[0][0]
            cur.execute("DELETE FROM fund_arrivals WHERE project_id = ?", [project_id]).fetchall()
            new_rows = frame[frame["project_id"] == project_id]
            for row_no in new_rows.index:
                row = {c: _python(name, c, new_rows.at[row_no, c]) for c in cols}
                cur.execute(
                    f"INSERT INTO fund_arrivals ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
                    list(row.values()),
                ).fetchall()
            record_audit(
                cur,
                actor=user.username,
                source=source,
                table_name=name,
                action="replace",
                record_key=str(project_id),
                before_json=json.dumps({"rows": old}),
                after_json=json.dumps({"rows": len(new_rows)}),
            )
            summary.inserted[name] = summary.inserted.get(name, 0) + len(new_rows)
        return
    for row_no in frame.index:
        row = {c: _python(name, c, frame.at[row_no, c]) for c in cols}
        key = {c: row[c] for c in key_cols}
        before = fetch_row(cur, name, key)
        where, params = _where(key)
        if before is not None:
            cur.execute(f"DELETE FROM {name} WHERE {where}", params).fetchall()
        version = 1 if before is None else before["row_version"] + 1
        cur.execute(
            f"INSERT INTO {name} ({', '.join(cols)}, row_version) VALUES ({', '.join('?' for _ in cols)}, ?)",
            [*row.values(), version],
        ).fetchall()
        record_audit(
            cur,
            actor=user.username,
            source=source,
            table_name=name,
            action="insert" if before is None else "update",
            record_key=_record_key(name, row),
            before_json=_json(before),
            after_json=_json({**row, "row_version": version}),
        )
        bucket = summary.inserted if before is None else summary.updated
        bucket[name] = bucket.get(name, 0) + 1
    if name == "leads":
        fill_company_keys(cur)


# --- accounts ------------------------------------------------------------------------------------
# Accounts live in the users file (bcrypt hashes); every change is also written to the audit log,
# without any password or hash: who changed which account, and its role and unit before → after.


def _account_json(account: User | None) -> str | None:
    if account is None:
        return None
    return _json({"username": account.username, "display_name": account.display_name,
                  "role": account.role, "unit_id": account.unit_id})  # fmt: skip


def _account(path: Path, username: str) -> User | None:
    config = users.load_config(path)
    return users.user_from_config(config, username) if config else None


def add_account(
    con: duckdb.DuckDBPyConnection,
    user: User,
    path: Path,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_id: str | None = None,
    *,
    known_units: set[str] | None = None,
) -> User:
    """The office adds an account (password rules of ``analytics.users``); audited."""
    require(user, "manage_users")
    with write_transaction(con) as cur:
        added = users.add_user(path, username, display_name, password, role, unit_id, known_units=known_units)
        record_audit(cur, actor=user.username, source="表单:账号管理", table_name="accounts",
                     action="insert", record_key=added.username, after_json=_account_json(added))  # fmt: skip
    return added


def reset_password(
    con: duckdb.DuckDBPyConnection, user: User, path: Path, username: str, password: str
) -> None:
    """The office sets a new password; the audit row says that it happened, never what it is."""
    require(user, "manage_users")
    with write_transaction(con) as cur:
        users.set_password(path, username, password)
        account = _account_json(_account(path, username))
        record_audit(cur, actor=user.username, source="表单:账号管理", table_name="accounts",
                     action="reset_password", record_key=username, before_json=account,
                     after_json=account)  # fmt: skip


def remove_account(con: duckdb.DuckDBPyConnection, user: User, path: Path, username: str) -> None:
    """The office removes an account (never the last office account); audited."""
    require(user, "manage_users")
    with write_transaction(con) as cur:
        before = _account_json(_account(path, username))
        users.remove_user(path, username)
        record_audit(cur, actor=user.username, source="表单:账号管理", table_name="accounts",
                     action="delete", record_key=username, before_json=before)  # fmt: skip
