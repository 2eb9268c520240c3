"""The audit log: who changed which record when, from which form or import, before → after.

Every write (forms in ``analytics.entry``, imports, settings, scenarios) appends to ``audit_log``
inside its own transaction; this module only reads it: filters, a readable change summary, export.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import pandas as pd

from analytics.core.schema import TABLES_BY_NAME

ACTION_LABELS: dict[str, str] = {
    "insert": "新增",
    "update": "修改",
    "delete": "删除",
    "decide": "认定",
    "resolve": "办结",
    "import": "导入",
    "replace": "替换",
    "verify": "核验确认",
    "return": "核验退回",
    "attach": "上传核验材料",
}
TABLE_LABELS: dict[str, str] = {
    **{name: table.zh for name, table in TABLES_BY_NAME.items()},
    "settings": "参数设置",
    "scenarios": "推演方案",
    "evidence": "核验材料",
}
COLUMN_LABELS: dict[str, str] = {
    "changed_at": "时间",
    "actor": "操作人",
    "source": "来源(表单/导入)",
    "table_label": "数据表",
    "record_key": "记录",
    "action_label": "操作",
    "changes": "变更内容(原值 → 新值)",
    "before_json": "原值(JSON)",
    "after_json": "新值(JSON)",
}


@dataclass(frozen=True)
class AuditFilter:
    """Every field optional; dates are inclusive days."""

    start: date | None = None
    end: date | None = None
    actor: str | None = None
    table_name: str | None = None
    action: str | None = None
    text: str | None = None  # found in the record key, the source or the before/after values


def audit_entries(
    con: duckdb.DuckDBPyConnection, flt: AuditFilter | None = None, *, limit: int = 5000
) -> pd.DataFrame:
    """The audit entries matching ``flt``, newest first, with Chinese labels and a change summary."""
    flt = flt or AuditFilter()
    clauses, params = ["TRUE"], []
    if flt.start is not None:
        clauses.append("changed_at >= ?")
        params.append(flt.start)
    if flt.end is not None:
        clauses.append("changed_at < ?")
        params.append(flt.end + timedelta(days=1))
    for column in ("actor", "table_name", "action"):
        value = getattr(flt, column)
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if flt.text:
        clauses.append(
            "(contains(coalesce(record_key, ''), ?) OR contains(source, ?)"
            " OR contains(coalesce(before_json, ''), ?) OR contains(coalesce(after_json, ''), ?))"
        )
        params += [flt.text] * 4
    params.append(limit)
    frame = con.execute(
        "SELECT audit_id, changed_at, actor, source, table_name, record_key, action, before_json, after_json"
        f" FROM audit_log WHERE {' AND '.join(clauses)} ORDER BY audit_id DESC LIMIT ?",
        params,
    ).df()
    frame["table_label"] = frame["table_name"].map(lambda t: TABLE_LABELS.get(t, t))
    frame["action_label"] = frame["action"].map(lambda a: ACTION_LABELS.get(a, a))
    frame["changes"] = [
        change_summary(t, b, a)
        for t, b, a in zip(frame["table_name"], frame["before_json"], frame["after_json"], strict=True)
    ]
    return frame


def change_summary(table: str, before_json: str | None, after_json: str | None) -> str:
    """ "列名: 原值 → 新值" for every changed field (row_version left out); whole rows for inserts."""
    before = _load(before_json)
    after = _load(after_json)
    if not isinstance(before, dict) or not isinstance(after, dict):
        if isinstance(after, dict) and before is None:
            return "新增:" + ";".join(
                f"{_label(table, k)}={_show(v)}" for k, v in after.items() if k != "row_version"
            )
        if isinstance(before, dict) and after is None:
            return "删除:" + ";".join(
                f"{_label(table, k)}={_show(v)}" for k, v in before.items() if k != "row_version"
            )
        return f"{_show(before)} → {_show(after)}"
    parts = [
        f"{_label(table, k)}: {_show(before.get(k))} → {_show(after.get(k))}"
        for k in dict.fromkeys([*before, *after])
        if k != "row_version" and before.get(k) != after.get(k)
    ]
    return ";".join(parts) or "(无变化)"


def _load(text: str | None) -> Any:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _label(table: str, column: str) -> str:
    spec = TABLES_BY_NAME.get(table)
    if spec is not None and column in spec.column_names:
        return spec.column(column).zh
    return {
        "rows": "行数",
        "value": "值",
        "key": "设置项",
        "added": "新增",
        "changed": "修改",
        "removed": "删除",
    }.get(column, column)


def _show(value: Any) -> str:
    if value is None:
        return "(空)"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def audit_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """The actors, tables and actions present in the log (for filter drop-downs)."""
    out: dict[str, list[str]] = {}
    for column in ("actor", "table_name", "action"):
        rows = con.execute(f"SELECT DISTINCT {column} FROM audit_log ORDER BY 1").fetchall()
        out[column] = [r[0] for r in rows]
    return out


def audit_export_frame(entries: pd.DataFrame) -> pd.DataFrame:
    """The entries as the office exports them: Chinese headers, time as YYYY-MM-DD HH:MM:SS."""
    frame = entries.copy()
    frame["changed_at"] = pd.to_datetime(frame["changed_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    columns = list(COLUMN_LABELS)
    return frame[columns].rename(columns=COLUMN_LABELS)
