"""A unit's bulk upload (a workbook of its own rows) and the office's workbook import.

Every row the account may not write is reported with its table, row and column, and nothing
is written unless every row may be.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from analytics.access.permissions import PermissionDenied, check_write, require
from analytics.access.users import User
from analytics.core.milestones import VerificationColumnRefused, carry_arrivals, carry_verification
from analytics.core.schema import TABLES_BY_NAME
from analytics.data.importer import (
    ImportFailed,
    ImportIssue,
    ImportSummary,
    import_path,
    read_source,
    validate_frames,
)
from analytics.data.keys import fill_company_keys
from analytics.data.store import record_audit
from analytics.data.write_lock import WRITE_LOCK, write_transaction
from analytics.entry.rows import (
    UploadSummary,
    audit_key,
    contract_columns,
    fetch_row,
    key_where,
    project_unit,
    python_value,
    row_json,
    with_units,
)


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
            row = {c: python_value(name, c, frame.at[row_no, c]) for c in contract_columns(name)}
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
            if name == "fund_arrivals" and project_unit(cur, row["project_id"]) is not None:
                # the project's stored arrivals are replaced: they must be the user's to delete
                before = {"project_id": row["project_id"]}
            try:
                check_write(
                    user,
                    name,
                    with_units(cur, name, row, uploaded_units),
                    with_units(cur, name, before),  # the stored row's own project, as stored
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
    return issues + _verification_issues(cur, tables)


def _verification_issues(
    cur: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]
) -> list[ImportIssue]:
    """Rows that set a verification date themselves (only the verifying body confirms one)."""
    issues: list[ImportIssue] = []
    for name, frame in tables.items():
        if name not in ("projects", "fund_arrivals"):
            continue
        for row_no in frame.index:
            row = {c: python_value(name, c, frame.at[row_no, c]) for c in contract_columns(name)}
            try:
                if name == "projects":
                    carry_verification(name, row, fetch_row(cur, name, {"project_id": row["project_id"]}))
                else:
                    carry_arrivals(_stored_arrivals(cur, row["project_id"]), [row])
            except VerificationColumnRefused as refused:
                issues.append(
                    _scope_issue(name, row_no, refused.column, row.get(refused.column), str(refused))
                )
    return issues


def _stored_arrivals(cur: duckdb.DuckDBPyConnection, project_id: Any) -> list[dict[str, Any]]:
    cols = contract_columns("fund_arrivals")
    rows = cur.execute(
        f"SELECT {', '.join(cols)} FROM fund_arrivals WHERE project_id = ?", [project_id]
    ).fetchall()
    return [dict(zip(cols, r, strict=True)) for r in rows]


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
    cols = contract_columns(name)
    if not key_cols:  # fund arrivals: the uploaded projects' arrivals are replaced
        for project_id in sorted(set(frame["project_id"])):
            stored = _stored_arrivals(cur, project_id)
            old = len(stored)
            cur.execute("DELETE FROM fund_arrivals WHERE project_id = ?", [project_id]).fetchall()
            new_rows = frame[frame["project_id"] == project_id]
            uploaded = [{c: python_value(name, c, new_rows.at[i, c]) for c in cols} for i in new_rows.index]
            for row in carry_arrivals(stored, uploaded):  # an unchanged arrival stays verified
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
        row = {c: python_value(name, c, frame.at[row_no, c]) for c in cols}
        key = {c: row[c] for c in key_cols}
        before = fetch_row(cur, name, key)
        row = carry_verification(name, row, before)  # a changed milestone is 待核验 again
        where, params = key_where(key)
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
            record_key=audit_key(name, row),
            before_json=row_json(before),
            after_json=row_json({**row, "row_version": version}),
        )
        bucket = summary.inserted if before is None else summary.updated
        bucket[name] = bucket.get(name, 0) + 1
    if name == "leads":
        fill_company_keys(cur)
