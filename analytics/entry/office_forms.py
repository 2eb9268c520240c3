"""The investment office's forms: targets, settings and accounts (each audited)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.access import users
from analytics.access.permissions import require
from analytics.access.users import User
from analytics.core.settings import (
    DEFAULT_SETTINGS,
    SETTING_LABELS,
    SettingsError,
    apply_overrides,
    stored_overrides,
)
from analytics.data.importer import (
    References,
    validate_table_rows,
)
from analytics.data.store import record_audit
from analytics.data.write_lock import write_transaction
from analytics.entry.rows import (
    EntryError,
    FormInvalid,
    StaleWrite,
    WriteResult,
    audit_key,
    check_version,
    contract_columns,
    fetch_row,
    insert_row,
    key_where,
    last_change,
    python_value,
    row_json,
    update_row,
)


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
                i: {c: python_value("targets", c, frame.at[i, c]) for c in contract_columns("targets")}
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
                        update_row(
                            cur, user, "targets", key, typed_rows[i], edit.expected_version, source=source
                        )
                    )
                else:
                    check_version(cur, "targets", before, edit.expected_version)
                    where, params = key_where(key)
                    cur.execute(f"DELETE FROM targets WHERE {where}", params).fetchall()
                    record_key = audit_key("targets", before)
                    record_audit(
                        cur,
                        actor=user.username,
                        source=source,
                        table_name="targets",
                        action="delete",
                        record_key=record_key,
                        before_json=row_json(before),
                    )
                    results.append(WriteResult("targets", record_key, "delete", None, "已删除。"))
            elif i in typed_rows:
                after = insert_row(cur, user, "targets", typed_rows[i], source=source, action="insert")
                results.append(WriteResult("targets", audit_key("targets", after), "insert", 1, "已新增。"))
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
                f"保存被拒绝:“{SETTING_LABELS.get(key, key)}”在您打开后已被 {last_change(cur, 'settings', key)} "
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
            before_json=row_json(before),
            after_json=row_json(after),
        )
    return WriteResult(
        "settings", key, action, version, "已保存。" if value is not None else "已恢复默认值。"
    )


def _account_json(account: User | None) -> str | None:
    if account is None:
        return None
    return row_json({"username": account.username, "display_name": account.display_name,
                  "role": account.role, "unit_id": account.unit_id,
                  "leader_name": account.leader_name})  # fmt: skip


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
    leader_name: str | None = None,
) -> User:
    """The office adds an account (password rules of ``analytics.users``); audited. A leader account
    may name the county leader it is (``leader_name``)."""
    require(user, "manage_users")
    with write_transaction(con) as cur:
        added = users.add_user(
            path,
            username,
            display_name,
            password,
            role,
            unit_id,
            known_units=known_units,
            leader_name=leader_name,
        )
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
