"""Stored reports (snapshots) and the year-end account's sign-offs: storage only.

A snapshot keeps a report exactly as it was computed: ``report_json`` (the text ``report`` prints),
the settings it was computed under and ``data_hash``, a hash of every contract table at that moment.
It is inserted once and never updated: this module has no function that changes a stored row, and
``report_sha256`` lets a reader check the text was not altered behind the product's back.

Computing a report is the metrics layer's job (``analytics.metrics.snapshots``); permissions and
audit entries belong to the callers (``analytics.entry.year_end``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import duckdb

from analytics.core.labels import SNAPSHOT_KIND_LABELS
from analytics.core.schema import TABLES, Table
from analytics.data.store import LEAD_DETAIL_COLUMNS, record_audit, scalar

SNAPSHOT_KINDS = SNAPSHOT_KIND_LABELS


class SnapshotNotFound(LookupError):
    """No snapshot with that id; the message is Chinese, for the screen and the command line."""


@dataclass(frozen=True)
class Snapshot:
    snapshot_id: int
    year: int
    as_of: date
    kind: str
    label: str | None
    report_json: str
    settings_json: str
    data_hash: str
    report_sha256: str
    created_at: datetime
    created_by: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.report_json)

    @property
    def settings(self) -> dict[str, Any]:
        return json.loads(self.settings_json)

    @property
    def intact(self) -> bool:
        """The stored text still has the hash it was stored with."""
        return sha256_text(self.report_json) == self.report_sha256


@dataclass(frozen=True)
class SignOff:
    signoff_id: int
    year: int
    snapshot_id: int
    signed_at: datetime
    signed_by: str
    reason: str | None


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Contract columns added after snapshots were first stored: hashed only when a row fills one, so a
# row with them blank hashes exactly as before they existed (a snapshot stored then still matches).
_HASHED_WHEN_FILLED: dict[str, tuple[str, ...]] = {"leads": LEAD_DETAIL_COLUMNS}


def _row_text(table: Table) -> str:
    """SQL: a row of ``table`` as the text its hash is taken of."""
    later = _HASHED_WHEN_FILLED.get(table.name, ())
    columns = ", ".join(f'"{c}"' for c in table.column_names if c not in later)
    text = f"CAST(row({columns}) AS VARCHAR)"
    if later:
        filled = " OR ".join(f'"{c}" IS NOT NULL' for c in later)
        extra = ", ".join(f'"{c}"' for c in later)
        text += f" || CASE WHEN {filled} THEN CAST(row({extra}) AS VARCHAR) ELSE '' END"
    return text


def data_hash(con: duckdb.DuckDBPyConnection) -> str:
    """SHA-256 over every contract table's contract columns, independent of row order.

    Each row is cast to text and hashed; a table's digest is the hash of its sorted row hashes. Two
    databases holding the same rows have the same hash, and any change of any value changes it.
    """
    digest = hashlib.sha256()
    for table in TABLES:
        row_hashes = con.execute(
            f"SELECT coalesce(string_agg(h, ',' ORDER BY h), '') FROM "
            f"(SELECT md5({_row_text(table)}) AS h FROM {table.name})"
        ).fetchall()[0][0]
        digest.update(f"{table.name}:{row_hashes};".encode())
    return digest.hexdigest()


_SNAPSHOT_COLUMNS = (
    "snapshot_id, year, as_of, kind, label, report_json, settings_json, data_hash, report_sha256,"
    " created_at, created_by"
)


def insert_snapshot(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int,
    as_of: date,
    kind: str,
    label: str | None,
    report_json: str,
    settings_json: str,
    data_hash_value: str,
    actor: str,
) -> int:
    """Store a snapshot (inside the caller's transaction) with its audit entry; its new id."""
    if kind not in SNAPSHOT_KINDS:
        raise ValueError(f"unknown snapshot kind {kind!r}")
    snapshot_id = int(
        scalar(
            con,
            "INSERT INTO snapshots (year, as_of, kind, label, report_json, settings_json, data_hash,"
            " report_sha256, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING snapshot_id",
            [
                year,
                as_of,
                kind,
                label,
                report_json,
                settings_json,
                data_hash_value,
                sha256_text(report_json),
                actor,
            ],
        )
    )
    record_audit(
        con,
        actor=actor,
        source=f"快照:{SNAPSHOT_KINDS[kind]}",
        table_name="snapshots",
        action="insert",
        record_key=str(snapshot_id),
        after_json=json.dumps(
            {
                "year": year,
                "as_of": as_of.isoformat(),
                "kind": kind,
                "label": label,
                "data_hash": data_hash_value,
            },
            ensure_ascii=False,
        ),
    )
    return snapshot_id


def _snapshot(row: tuple) -> Snapshot:
    return Snapshot(*row)


def get_snapshot(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> Snapshot:
    rows = con.execute(
        f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots WHERE snapshot_id = ?", [snapshot_id]
    ).fetchall()
    if not rows:
        raise SnapshotNotFound(f"没有编号为 {snapshot_id} 的快照。 / No snapshot with id {snapshot_id}.")
    return _snapshot(rows[0])


def find_snapshots(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int | None = None,
    kind: str | None = None,
    as_of: date | None = None,
) -> list[Snapshot]:
    """Stored snapshots matching every given field, oldest first (by id)."""
    clauses, params = [], []
    for column, value in (("year", year), ("kind", kind), ("as_of", as_of)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = con.execute(
        f"SELECT {_SNAPSHOT_COLUMNS} FROM snapshots {where} ORDER BY snapshot_id", params
    ).fetchall()
    return [_snapshot(r) for r in rows]


def snapshot_index(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every snapshot without its texts, by id: what ``snapshots`` lists."""
    rows = con.execute(
        "SELECT snapshot_id, year, as_of, kind, label, created_at, created_by, data_hash"
        " FROM snapshots ORDER BY snapshot_id"
    ).fetchall()
    keys = ("snapshot_id", "year", "as_of", "kind", "label", "created_at", "created_by", "data_hash")
    return [dict(zip(keys, r, strict=True)) for r in rows]


# --- sign-offs ---------------------------------------------------------------------------------


def insert_signoff(
    con: duckdb.DuckDBPyConnection, *, year: int, snapshot_id: int, actor: str, reason: str | None
) -> int:
    """Record a sign-off of ``year``'s account (inside the caller's transaction), audited."""
    previous = latest_signoff(con, year)
    signoff_id = int(
        scalar(
            con,
            "INSERT INTO account_signoffs (year, snapshot_id, signed_by, reason) VALUES (?, ?, ?, ?)"
            " RETURNING signoff_id",
            [year, snapshot_id, actor, reason],
        )
    )
    record_audit(
        con,
        actor=actor,
        source="年度总账签署" if previous is None else "年度总账重新签署",
        table_name="account_signoffs",
        action="sign" if previous is None else "resign",
        record_key=str(year),
        before_json=json.dumps({"snapshot_id": previous.snapshot_id}) if previous else None,
        after_json=json.dumps({"snapshot_id": snapshot_id, "reason": reason}, ensure_ascii=False),
    )
    return signoff_id


def latest_signoff(con: duckdb.DuckDBPyConnection, year: int) -> SignOff | None:
    rows = con.execute(
        "SELECT signoff_id, year, snapshot_id, signed_at, signed_by, reason FROM account_signoffs"
        " WHERE year = ? ORDER BY signoff_id DESC LIMIT 1",
        [year],
    ).fetchall()
    return SignOff(*rows[0]) if rows else None


def signoff_history(con: duckdb.DuckDBPyConnection, year: int) -> list[SignOff]:
    rows = con.execute(
        "SELECT signoff_id, year, snapshot_id, signed_at, signed_by, reason FROM account_signoffs"
        " WHERE year = ? ORDER BY signoff_id",
        [year],
    ).fetchall()
    return [SignOff(*r) for r in rows]
