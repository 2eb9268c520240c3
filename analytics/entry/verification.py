"""Verification (核验) of milestones: the queue, confirming, sending back, and the evidence.

A project's 入统, 开工 and 投产 and every fund arrival start as 待核验. The body the office named for
the kind (``verifier_units`` setting; 入统: the statistics bureau, the others: the office) confirms
one, which sets the contract's ``*_verified_on`` date, or sends it back with a reason (已退回, until
the unit changes it: a changed milestone is 待核验 again, see ``analytics.core.milestones``). Each
decision is written to ``verification_decisions`` and to the audit log in one transaction.

Evidence (photos, PDFs) is attached to a milestone by the project's unit, the kind's verifier or the
office (``analytics.access.permissions.check_attach_evidence``) and stored content-addressed beside
the database (``analytics.data.evidence``).

A fund arrival has no key of its own: it is named by its content (``ARRIVAL_KEY_SQL``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.access.permissions import PermissionDenied, check_attach_evidence, check_verify, require
from analytics.access.users import User
from analytics.core.labels import VERIFICATION_KIND_LABELS, VERIFICATION_STATUS_LABELS
from analytics.core.milestones import KINDS, MILESTONES, VERIFIER_OFFICE, verifier_of
from analytics.core.settings import effective_settings
from analytics.data import evidence
from analytics.data.store import record_audit
from analytics.data.write_lock import write_transaction
from analytics.entry.writes import EntryError, NotFound, StaleWrite

MAX_REASON_CHARS = 500
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")  # newlines allowed in a reason

# A fund arrival's name: its project, date and amounts (the table has no key).
ARRIVAL_KEY_SQL = (
    "f.project_id || '|' || strftime(f.date, '%Y-%m-%d') || '|' || printf('%.4f', f.amount_wan)"
    " || '|' || printf('%.4f', f.fixed_asset_wan) || '|' || printf('%.4f', f.fdi_usd_wan)"
    " || '|' || printf('%.4f', f.fx_usd_wan)"
)


def _items_sql() -> str:
    """Every recorded milestone: kind, record_key, project_id, milestone_date, verified_on, amount."""
    parts = [
        f"SELECT '{m.kind}' AS kind, project_id AS record_key, project_id, {m.date_column} AS milestone_date,"
        f" {m.verified_column} AS verified_on, CAST(NULL AS DOUBLE) AS amount_wan"
        f" FROM projects WHERE {m.date_column} IS NOT NULL"
        for m in MILESTONES.values()
        if m.table == "projects"
    ]
    parts.append(
        f"SELECT 'fund_arrival' AS kind, {ARRIVAL_KEY_SQL} AS record_key, f.project_id,"
        " f.date AS milestone_date, f.verified_on, f.amount_wan FROM fund_arrivals AS f"
    )
    return " UNION ALL ".join(parts)


def _queue_sql(where: str) -> str:
    return f"""
        WITH items AS ({_items_sql()}),
        last_decision AS (
          SELECT kind, record_key, milestone_date, decision, reason, decided_by, decided_at
          FROM verification_decisions
          QUALIFY row_number() OVER (PARTITION BY kind, record_key ORDER BY decision_id DESC) = 1
        ),
        files AS (SELECT kind, record_key, count(*) AS n FROM evidence GROUP BY kind, record_key)
        SELECT i.kind, i.record_key, i.project_id, p.name AS project_name,
               p.introducing_unit_id AS unit_id, coalesce(u.name, p.introducing_unit_id) AS unit_name,
               i.milestone_date, i.amount_wan, i.verified_on,
               CASE WHEN i.verified_on IS NOT NULL THEN 'verified'
                    WHEN d.decision = 'return' AND d.milestone_date = i.milestone_date THEN 'returned'
                    ELSE 'pending' END AS status,
               CASE WHEN d.decision = 'return' AND d.milestone_date = i.milestone_date
                         AND i.verified_on IS NULL THEN d.reason END AS reason,
               coalesce(fl.n, 0) AS evidence_count
        FROM items AS i
        JOIN projects AS p ON p.project_id = i.project_id
        LEFT JOIN units AS u ON u.unit_id = p.introducing_unit_id
        LEFT JOIN last_decision AS d ON d.kind = i.kind AND d.record_key = i.record_key
        LEFT JOIN files AS fl ON fl.kind = i.kind AND fl.record_key = i.record_key
        WHERE {where}
        ORDER BY i.milestone_date, i.project_id, i.kind, i.record_key
    """


QUEUE_COLUMNS = {
    "kind_zh": "事项",
    "project_id": "项目编码",
    "project_name": "项目名称",
    "unit_name": "引进单位",
    "milestone_date": "日期",
    "amount_wan": "到位资金(万元)",
    "waiting_days": "已等待(天)",
    "status_zh": "状态",
    "reason": "退回原因",
    "evidence_count": "材料数",
}


def visible_kinds(user: User, settings: dict[str, Any]) -> list[str]:
    """The kinds whose queue ``user`` sees: the office every kind, a verifier the kinds of its unit."""
    require(user, "verify")
    if user.role == "office":
        return list(KINDS)
    return [k for k in KINDS if user.unit_id and verifier_of(k, settings) == user.unit_id]


def queue(
    con: duckdb.DuckDBPyConnection,
    *,
    kinds: list[str] | None = None,
    unit_id: str | None = None,
    status: str | None = "pending",
    today: date | None = None,
) -> pd.DataFrame:
    """The milestones of ``kinds`` (all by default) of ``unit_id``'s projects in ``status``
    (``None``: any), oldest first, with their status, send-back reason and evidence count."""
    clauses, params = ["TRUE"], []
    if kinds is not None:
        clauses.append("list_contains(?, i.kind)")
        params.append(list(kinds))
    if unit_id:
        clauses.append("p.introducing_unit_id = ?")
        params.append(unit_id)
    frame = con.execute(_queue_sql(" AND ".join(clauses)), params).df()
    if status is not None:
        frame = frame[frame["status"] == status].reset_index(drop=True)
    day = pd.Timestamp(today or date.today())
    frame["kind_zh"] = frame["kind"].map(VERIFICATION_KIND_LABELS)
    frame["status_zh"] = frame["status"].map(VERIFICATION_STATUS_LABELS)
    frame["waiting_days"] = (day - pd.to_datetime(frame["milestone_date"])).dt.days.clip(lower=0)
    return frame


def item(con: duckdb.DuckDBPyConnection, kind: str, record_key: str) -> dict[str, Any] | None:
    """One milestone as the queue shows it (any status), or ``None`` if it is no longer recorded."""
    if kind not in MILESTONES:
        raise EntryError(f"未知核验事项 {kind}。")
    rows = con.execute(_queue_sql("i.kind = ? AND i.record_key = ?"), [kind, record_key]).df()
    return None if rows.empty else rows.iloc[0].to_dict()


@dataclass(frozen=True)
class Decision:
    kind: str
    record_key: str
    decision: str  # verify | return
    message: str


def _current(cur: duckdb.DuckDBPyConnection, kind: str, record_key: str, milestone_date: date) -> dict:
    found = item(cur, kind, record_key)
    what = VERIFICATION_KIND_LABELS[kind]
    if found is None:
        raise NotFound(f"{what}记录 {record_key} 已不存在(可能已被修改、删除或重新导入),请刷新。")
    if pd.Timestamp(found["milestone_date"]).date() != milestone_date:
        raise StaleWrite(
            f"{what}日期在您打开后已被改为 {pd.Timestamp(found['milestone_date']):%Y-%m-%d},请刷新后重新核验。"
        )
    if found["status"] == "verified":
        raise EntryError(f"该{what}已于 {pd.Timestamp(found['verified_on']):%Y-%m-%d} 核验,无需重复操作。")
    return found


def _decide(
    cur: duckdb.DuckDBPyConnection,
    user: User,
    found: dict,
    decision: str,
    reason: str | None,
    source: str,
    verified_on: date | None = None,
) -> None:
    kind, key = found["kind"], found["record_key"]
    milestone = MILESTONES[kind]
    day = pd.Timestamp(found["milestone_date"]).date()
    if verified_on is not None:
        if milestone.table == "projects":
            cur.execute(
                f"UPDATE projects SET {milestone.verified_column} = ?, row_version = row_version + 1"
                " WHERE project_id = ?",
                [verified_on, key],
            ).fetchall()
        else:
            cur.execute(
                "UPDATE fund_arrivals SET verified_on = ? WHERE rowid = (SELECT min(f.rowid) FROM"
                f" fund_arrivals AS f WHERE {ARRIVAL_KEY_SQL} = ? AND f.verified_on IS NULL)",
                [verified_on, key],
            ).fetchall()
    cur.execute(
        "INSERT INTO verification_decisions (kind, record_key, project_id, milestone_date, decision, reason,"
        " decided_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [kind, key, found["project_id"], day, decision, reason, user.username],
    ).fetchall()
    base = {"kind": kind, "milestone": VERIFICATION_KIND_LABELS[kind], milestone.date_column: day.isoformat()}
    after = {**base, "decision": decision}
    if verified_on is not None:
        after[milestone.verified_column] = verified_on.isoformat()
    if reason is not None:
        after["reason"] = reason
    record_audit(
        cur,
        actor=user.username,
        source=source,
        table_name=milestone.table,
        action=decision,
        record_key=key,
        before_json=json.dumps({**base, milestone.verified_column: None}, ensure_ascii=False),
        after_json=json.dumps(after, ensure_ascii=False),
    )


def confirm(
    con: duckdb.DuckDBPyConnection,
    user: User,
    kind: str,
    record_key: str,
    milestone_date: date,
    *,
    verified_on: date | None = None,
    today: date | None = None,
    source: str = "核验:确认",
) -> Decision:
    """Confirm a milestone: its ``*_verified_on`` becomes ``verified_on`` (default today)."""
    today = today or date.today()
    on = verified_on or today
    with write_transaction(con) as cur:
        check_verify(user, kind, effective_settings(cur))
        found = _current(cur, kind, record_key, milestone_date)
        what = VERIFICATION_KIND_LABELS[kind]
        if on > today:
            raise EntryError(f"核验日期 {on:%Y-%m-%d} 晚于今天,未保存。")
        if on < milestone_date:
            raise EntryError(f"核验日期 {on:%Y-%m-%d} 早于{what}日期 {milestone_date:%Y-%m-%d},未保存。")
        _decide(cur, user, found, "verify", None, source, verified_on=on)
    return Decision(kind, record_key, "verify", f"{what}已核验({on:%Y-%m-%d})。")


def send_back(
    con: duckdb.DuckDBPyConnection,
    user: User,
    kind: str,
    record_key: str,
    milestone_date: date,
    reason: str,
    *,
    source: str = "核验:退回",
) -> Decision:
    """Send a milestone back to its unit with ``reason`` (required); it stays unverified."""
    text = _CONTROL.sub("", str(reason or "")).strip()
    if not text:
        raise EntryError("请填写退回原因。")
    if len(text) > MAX_REASON_CHARS:
        raise EntryError(f"退回原因最多 {MAX_REASON_CHARS} 字(现为 {len(text)} 字)。")
    with write_transaction(con) as cur:
        check_verify(user, kind, effective_settings(cur))
        found = _current(cur, kind, record_key, milestone_date)
        if found["status"] == "returned":
            raise EntryError("该事项已退回,等待填报单位修改。")
        _decide(cur, user, found, "return", text, source)
    return Decision(kind, record_key, "return", f"已退回{VERIFICATION_KIND_LABELS[kind]},原因已记录。")


def attach_evidence(
    con: duckdb.DuckDBPyConnection,
    user: User,
    kind: str,
    record_key: str,
    file_name: str,
    data: bytes,
    *,
    source: str = "核验:上传材料",
) -> int:
    """Attach a photo or PDF to a milestone (type and size checked); its ``evidence_id``."""
    if user.role not in ("office", "clerk", "verifier"):
        raise PermissionDenied(f"无权上传核验材料:{user.role_label}账号只能查看。")
    name, media = evidence.check_file(file_name, data)
    with write_transaction(con) as cur:
        found = item(cur, kind, record_key)
        if found is None:
            raise NotFound(f"{VERIFICATION_KIND_LABELS[kind]}记录 {record_key} 已不存在,请刷新。")
        check_attach_evidence(user, kind, found["unit_id"], effective_settings(cur))
        digest = evidence.write_blob(evidence.evidence_folder(cur), data)
        evidence_id = evidence.add_row(
            cur,
            kind=kind,
            record_key=record_key,
            project_id=found["project_id"],
            sha256=digest,
            file_name=name,
            media=media,
            size_bytes=len(data),
            uploaded_by=user.username,
        )
        record_audit(
            cur,
            actor=user.username,
            source=source,
            table_name="evidence",
            action="attach",
            record_key=f"{kind}:{record_key}",
            after_json=json.dumps(
                {
                    "evidence_id": evidence_id,
                    "file_name": name,
                    "media_type": media,
                    "size_bytes": len(data),
                    "sha256": digest,
                },
                ensure_ascii=False,
            ),
        )
    return evidence_id


def evidence_of(con: duckdb.DuckDBPyConnection, kind: str, record_key: str) -> pd.DataFrame:
    """The files attached to one milestone, oldest first."""
    return evidence.evidence_rows(con, kind, record_key)


def evidence_bytes(con: duckdb.DuckDBPyConnection, sha256: str) -> bytes:
    """The bytes of an attached file (checked against its hash)."""
    return evidence.read_blob(evidence.evidence_folder(con), sha256)


def verifier_note(settings: dict[str, Any]) -> str:
    """Who verifies which kind, in one line for the page."""
    parts = []
    for kind in KINDS:
        unit = verifier_of(kind, settings)
        who = "招商办" if unit == VERIFIER_OFFICE else (f"单位 {unit}" if unit else "尚未指定")
        parts.append(f"{VERIFICATION_KIND_LABELS[kind]}:{who}")
    return ";".join(parts)
