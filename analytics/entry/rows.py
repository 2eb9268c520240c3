"""The write primitives of every form and upload: validated, versioned, audited row writes.

Each write validates the row exactly as an import would (``validate_table_rows``), checks the
``row_version`` it was made from (a stale save is refused, never silently overwritten) and records
an audit entry (who, which form, which record, before → after).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.access.permissions import PermissionDenied, check_write
from analytics.access.users import User
from analytics.core.milestones import VerificationColumnRefused, carry_verification
from analytics.core.schema import DATE, DATETIME, INT, TABLES_BY_NAME
from analytics.data.importer import (
    ImportIssue,
    References,
    validate_table_rows,
)
from analytics.data.keys import fill_company_keys
from analytics.data.store import record_audit
from analytics.data.values import zh_gap

UNCHANGED: Any = object()


class EntryError(Exception):
    """A refused write; ``message`` is Chinese, for the screen. Nothing was written. ``column``
    names the contract column the refusal is about, when there is one (the form shows it there)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        self.message = message
        self.column = column
        super().__init__(message)


class FormInvalid(EntryError):
    """The input breaks the contract; ``issues`` are the importer's own, ``messages`` their text."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = issues
        self.messages = [form_message(i) for i in issues]
        super().__init__("填写有误,未保存:\n" + "\n".join(self.messages))


@dataclass(frozen=True)
class FieldProblem:
    """One reason a form was refused, for the screen: ``column`` is the contract column it concerns
    (``None``: the form as a whole), ``text`` what to change, shown under that field (the value itself
    is in the field above it), and ``message`` the whole finding with the field's name and value,
    as a list of problems shows it. Chinese only."""

    column: str | None
    text: str
    message: str


def field_problems(refusal: Exception) -> list[FieldProblem]:
    """A refused write as problems by field: each importer finding of a ``FormInvalid`` with its own
    column, else the refusal's ``column`` (``EntryError``, ``PermissionDenied``) or none."""
    if isinstance(refusal, FormInvalid):
        return [FieldProblem(i.column, _expected_text(i), form_message(i)) for i in refusal.issues]
    if isinstance(refusal, EntryError):
        return [FieldProblem(refusal.column, refusal.message, refusal.message)]
    return [FieldProblem(getattr(refusal, "column", None), str(refusal), str(refusal))]


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
    """The importer's finding as a clerk reads it on a form: the field's Chinese name, the value and
    what is expected, in Chinese only (no table or column codes, no English)."""
    table = TABLES_BY_NAME.get(issue.table)
    field_zh = ""
    if table is not None and issue.column in table.column_names:
        field_zh = table.column(issue.column).zh
    elif issue.column is None and table is not None:
        field_zh = table.zh
    lead = f"{field_zh}:" if field_zh else ""
    if issue.value is None or not str(issue.value).strip():
        return f"{lead}{issue.expected_zh}"
    return f"{lead}值「{issue.value}」不符合要求,应为{zh_gap(issue.expected_zh)}{issue.expected_zh}"


def _expected_text(issue: ImportIssue) -> str:
    """What the field should hold, shown under it (its value is in the field itself)."""
    if issue.value is None or not str(issue.value).strip():
        return issue.expected_zh
    return f"应为{zh_gap(issue.expected_zh)}{issue.expected_zh}"


def contract_columns(table: str) -> list[str]:
    return TABLES_BY_NAME[table].column_names


def key_where(key: Mapping[str, Any]) -> tuple[str, list[Any]]:
    return " AND ".join(f"{c} = ?" for c in key), list(key.values())


def fetch_row(con: duckdb.DuckDBPyConnection, table: str, key: Mapping[str, Any]) -> dict[str, Any] | None:
    """The row of ``table`` with ``key`` (contract columns and ``row_version``), or ``None``."""
    cols = contract_columns(table) + (["row_version"] if table != "fund_arrivals" else [])
    where, params = key_where(key)
    result = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", params)
    rows = result.fetchall()
    return dict(zip(cols, rows[0], strict=True)) if rows else None


def row_json(row: Mapping[str, Any] | None) -> str | None:
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


def audit_key(table: str, row: Mapping[str, Any]) -> str:
    key = TABLES_BY_NAME[table].key or ("project_id", "date")
    return "|".join(str(row[c]) for c in key)


def python_value(table: str, column: str, value: Any) -> Any:
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


def validate_row(con: duckdb.DuckDBPyConnection, table: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """Validate one row as the importer does (references against the database); the typed row."""
    raw = pd.DataFrame([{c: row.get(c) for c in contract_columns(table)}], index=[1], dtype=object)
    result = validate_table_rows(table, raw, References.from_database(con))
    if not result.ok:
        raise FormInvalid(result.issues)
    typed = result.tables[table].iloc[0]
    return {c: python_value(table, c, typed[c]) for c in contract_columns(table)}


def project_unit(con: duckdb.DuckDBPyConnection, project_id: Any) -> str | None:
    rows = con.execute(
        "SELECT introducing_unit_id FROM projects WHERE project_id = ?", [project_id]
    ).fetchall()
    return rows[0][0] if rows else None


def with_units(
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
    unit = (uploaded or {}).get(project_id) or project_unit(con, project_id)
    return {**row, "project_unit_id": unit}


def last_change(con: duckdb.DuckDBPyConnection, table: str, record_key: str) -> str:
    rows = con.execute(
        "SELECT actor, changed_at FROM audit_log WHERE table_name = ? AND record_key = ?"
        " ORDER BY audit_id DESC LIMIT 1",
        [table, record_key],
    ).fetchall()
    if not rows:
        return "其他人"
    actor, at = rows[0]
    return f"{actor} 于 {at:%Y-%m-%d %H:%M:%S}"


def check_version(
    con: duckdb.DuckDBPyConnection, table: str, before: Mapping[str, Any], expected_version: int | None
) -> None:
    current = before.get("row_version")
    if expected_version is None or current != expected_version:
        who = last_change(con, table, audit_key(table, before))
        raise StaleWrite(
            f"保存被拒绝:该记录在您打开后已被 {who} 修改(版本 {expected_version} → {current})。"
            "您的修改没有保存,请刷新后按最新内容重新填写。"
        )


def update_row(
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
    proposed = _carried(table, {**before, **{k: v for k, v in changes.items() if v is not UNCHANGED}}, before)
    check_write(user, table, with_units(cur, table, proposed), with_units(cur, table, before))
    after = validate_row(cur, table, proposed)
    check_version(cur, table, before, expected_version)
    sets = ", ".join(f"{c} = ?" for c in after)
    if table == "leads":  # the stored first-report key is re-derived from the (maybe new) name
        sets += ", company_key = NULL"
    where, params = key_where(key)
    updated = cur.execute(
        f"UPDATE {table} SET {sets}, row_version = row_version + 1 WHERE {where} AND row_version = ?",
        [*after.values(), *params, expected_version],
    ).fetchall()
    if not updated or updated[0][0] != 1:  # pragma: no cover - the lock makes this unreachable
        raise StaleWrite("保存被拒绝:该记录刚被他人修改,请刷新后重试。")
    if table == "leads":
        fill_company_keys(cur)
    after["row_version"] = before["row_version"] + 1
    record_key = audit_key(table, after)
    record_audit(
        cur,
        actor=user.username,
        source=source,
        table_name=table,
        action=action,
        record_key=record_key,
        before_json=row_json(before),
        after_json=row_json(after),
    )
    return WriteResult(table, record_key, action, after["row_version"], "已保存。")


def insert_row(
    cur: duckdb.DuckDBPyConnection,
    user: User,
    table: str,
    row: Mapping[str, Any],
    *,
    source: str,
    action: str,
) -> dict[str, Any]:
    row = _carried(table, row, None)
    check_write(user, table, with_units(cur, table, row))
    typed = validate_row(cur, table, row)
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
        record_key=audit_key(table, typed),
        after_json=row_json(after),
    )
    return after or typed


def _carried(table: str, row: Mapping[str, Any], before: Mapping[str, Any] | None) -> dict[str, Any]:
    """``row`` with its verification dates carried over (a new or changed milestone: 待核验 again)."""
    try:
        return carry_verification(table, row, before)
    except VerificationColumnRefused as refused:
        raise EntryError(str(refused), refused.column) from None


def next_id(cur: duckdb.DuckDBPyConnection, table: str, column: str, prefix: str) -> str:
    """``prefix`` + the next free three-digit number (called under the write lock)."""
    rows = cur.execute(f"SELECT {column} FROM {table} WHERE starts_with({column}, ?)", [prefix]).fetchall()
    used = {r[0] for r in rows}
    n = len(used) + 1
    while f"{prefix}{n:03d}" in used:
        n += 1
    return f"{prefix}{n:03d}"


def unit_for(user: User, unit_id: str | None) -> str:
    if user.role == "clerk":
        if unit_id not in (None, user.unit_id):
            raise PermissionDenied(f"无权以其他单位名义报送:本账号属于 {user.unit_id}。")
        return str(user.unit_id)
    if not unit_id:
        raise EntryError("请选择报送单位。")
    return unit_id
