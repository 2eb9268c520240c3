"""The DuckDB store: where the database file is, opening it, and forward migrations.

One process holds the file read-write (DuckDB locks it against every other process), so the
running app is the single writer. Inside a process, share one connection and give each thread
its own ``connection.cursor()``.
"""

from __future__ import annotations

import errno
import logging
import os
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import duckdb

from analytics.core.schema import BOOL, DUCKDB_TYPES, TABLES, Table, column_constraint, table_ddl
from analytics.data.keys import fill_company_keys

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "demo.duckdb"


class DatabaseLockedError(RuntimeError):
    """The database file is held by another process (usually the running app)."""


class DatabaseMissingError(RuntimeError):
    """A database file to read does not exist."""


class DatabaseUnusableError(RuntimeError):
    """The database file cannot be opened or written: damaged, not a database, no permission, disk
    full. The message (``storage_error_message``) says in Chinese what happened and what to do."""


def database_path() -> Path:
    """The database file: ``$DASHBOARD_DB`` or ``data/demo.duckdb``."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB_PATH)


# Contract columns that a later migration adds (``_migration_lead_details``). The migrations that
# build the contract before it (1 and contract_v2) leave them out, so a database built up to an
# older version (a restore rebuilds a backup's schema at the backup's version) has exactly that
# version's columns.
LEAD_DETAIL_COLUMNS: tuple[str, ...] = ("contact_person", "project_content", "investor_origin")
_ADDED_LATER: dict[str, tuple[str, ...]] = {"leads": LEAD_DETAIL_COLUMNS}


def _before_later_columns(table: Table) -> Table:
    """``table`` without the columns a later migration adds."""
    later = _ADDED_LATER.get(table.name, ())
    return replace(table, columns=tuple(c for c in table.columns if c.name not in later))


def _migration_1(con: duckdb.DuckDBPyConnection) -> None:
    """Contract tables, settings, scenarios and the audit log."""
    for table in TABLES:
        con.execute(table_ddl(_before_later_columns(table)))
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS settings (
          key VARCHAR PRIMARY KEY,
          value_json VARCHAR NOT NULL,
          updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
          updated_by VARCHAR
        )
        """
    )
    con.execute("CREATE SEQUENCE IF NOT EXISTS scenario_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS scenarios (
          scenario_id INTEGER PRIMARY KEY DEFAULT nextval('scenario_id_seq'),
          name VARCHAR NOT NULL UNIQUE,
          payload_json VARCHAR NOT NULL,
          created_by VARCHAR,
          created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
          updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )
    con.execute("CREATE SEQUENCE IF NOT EXISTS audit_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS audit_log (
          audit_id BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
          changed_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
          actor VARCHAR NOT NULL,
          source VARCHAR NOT NULL,
          table_name VARCHAR NOT NULL,
          record_key VARCHAR,
          action VARCHAR NOT NULL,
          before_json VARCHAR,
          after_json VARCHAR
        )
        """
    )


# Tables the data-entry forms edit in place: each row carries a version for optimistic locking.
VERSIONED_TABLES: tuple[str, ...] = ("projects", "leads", "problems", "targets", "settings")


def _migration_2(con: duckdb.DuckDBPyConnection) -> None:
    """``row_version`` on the tables forms edit, so a stale save is refused (no lost updates).

    Not a contract column: the importer inserts contract columns by name (new rows get 1) and the
    exporter writes contract columns only.
    """
    for name in VERSIONED_TABLES:
        con.execute(f"ALTER TABLE {name} ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1")


def _migration_3(con: duckdb.DuckDBPyConnection) -> None:
    """``leads.company_key``: the §4 first-report key stored with the lead when it is written.

    The key needs Python's NFKC, so computing it for every lead on every report dominated the
    report's time at scale. Writers fill it (``analytics.leads.fill_company_keys``); a row left
    blank (or written by hand) is keyed on the fly, so a missing key never changes a count.
    """

    con.execute("ALTER TABLE leads ADD COLUMN company_key VARCHAR")
    fill_company_keys(con)


def _migration_4(con: duckdb.DuckDBPyConnection) -> None:
    """Every stored ``leads.company_key`` recomputed: METRICS v2 §4 removes invisible characters
    (zero-width space and joiners, BOM, soft hyphen, word joiner, direction marks, variation
    selectors) from the key, so a name differing only by them is the same company."""

    con.execute("UPDATE leads SET company_key = NULL").fetchall()
    fill_company_keys(con)


def _migration_5(con: duckdb.DuckDBPyConnection) -> None:
    """Sign-in throttling state and the database's own marks (e.g. that it holds the demo county).

    ``sign_in_throttle``: one row per user name (``account:…``) or client address (``client:…``)
    with recent wrong passwords, so a lock survives a restart (``analytics.users.check_sign_in``).
    ``database_meta``: facts about the file itself, such as ``demo_dataset`` (set by importing the
    demo generator's dataset; ``analytics.data.demo_mark.is_demo_database``).
    """
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS sign_in_throttle (
          subject VARCHAR PRIMARY KEY,
          failures INTEGER NOT NULL,
          last_failure_at TIMESTAMP,
          locks INTEGER NOT NULL,
          locked_until TIMESTAMP
        )
        """
    )
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS database_meta (
          key VARCHAR PRIMARY KEY,
          value VARCHAR NOT NULL,
          updated_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )


def _migration_contract_v2(con: duckdb.DuckDBPyConnection) -> None:
    """DATA_CONTRACT.md v2: the new columns of existing tables and the four new optional tables.

    Idempotent: a file created by a later ``_migration_1`` (which builds today's contract) already
    has them, so each column and table is added only when missing.
    """
    for table in map(_before_later_columns, TABLES):
        exists = scalar(
            con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table.name]
        )
        if not exists:
            con.execute(table_ddl(table))
            continue
        present = {
            row[0]
            for row in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ?", [table.name]
            ).fetchall()
        }
        for column in table.columns:
            if column.name not in present:
                sql_type = DUCKDB_TYPES[column.kind]
                constraint = column_constraint(column) if column.kind == BOOL else ""
                con.execute(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {sql_type}{constraint}")


def _migration_year_end(con: duckdb.DuckDBPyConnection) -> None:
    """Stored reports (snapshots), the year-end account's sign-offs and the rewards ledger.

    ``snapshots``: a report as it was computed (``report_json`` byte for byte, the settings it was
    computed under and a hash of the contract data), never updated once stored
    (``analytics.data.snapshots``). ``account_signoffs``: the office's sign-off of a year's account,
    naming the snapshot it signed. ``reward_payments``: what was actually paid. Idempotent.
    """
    con.execute("CREATE SEQUENCE IF NOT EXISTS snapshot_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS snapshots (
          snapshot_id INTEGER PRIMARY KEY DEFAULT nextval('snapshot_id_seq'),
          year INTEGER NOT NULL,
          as_of DATE NOT NULL,
          kind VARCHAR NOT NULL,
          label VARCHAR,
          report_json VARCHAR NOT NULL,
          settings_json VARCHAR NOT NULL,
          data_hash VARCHAR NOT NULL,
          report_sha256 VARCHAR NOT NULL,
          created_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
          created_by VARCHAR NOT NULL
        )
        """
    )
    con.execute("CREATE SEQUENCE IF NOT EXISTS signoff_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS account_signoffs (
          signoff_id INTEGER PRIMARY KEY DEFAULT nextval('signoff_id_seq'),
          year INTEGER NOT NULL,
          snapshot_id INTEGER NOT NULL,
          signed_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
          signed_by VARCHAR NOT NULL,
          reason VARCHAR
        )
        """
    )
    con.execute("CREATE SEQUENCE IF NOT EXISTS payment_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS reward_payments (
          payment_id INTEGER PRIMARY KEY DEFAULT nextval('payment_id_seq'),
          year INTEGER NOT NULL,
          reward VARCHAR NOT NULL,
          subject VARCHAR NOT NULL,
          payee VARCHAR NOT NULL,
          amount_wan DECIMAL(18, 4) NOT NULL,
          paid_on DATE NOT NULL,
          recorded_by VARCHAR NOT NULL,
          recorded_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
          note VARCHAR
        )
        """
    )


def _migration_verification(con: duckdb.DuckDBPyConnection) -> None:
    """Verification (核验) of milestones: the evidence attached to them and every decision taken.

    ``evidence``: one row per file attached to a milestone (``kind`` of ``analytics.core.milestones``,
    ``record_key``: the project, or for a fund arrival its identifying content); the file itself
    lies beside the database, named by its SHA-256 (``analytics.data.evidence``).
    ``verification_decisions``: each confirmation or send-back, with the milestone date it judged
    and the reason of a send-back. Idempotent.
    """
    con.execute("CREATE SEQUENCE IF NOT EXISTS evidence_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS evidence (
          evidence_id BIGINT PRIMARY KEY DEFAULT nextval('evidence_id_seq'),
          kind VARCHAR NOT NULL,
          record_key VARCHAR NOT NULL,
          project_id VARCHAR NOT NULL,
          sha256 VARCHAR NOT NULL,
          file_name VARCHAR NOT NULL,
          media_type VARCHAR NOT NULL,
          size_bytes BIGINT NOT NULL,
          uploaded_by VARCHAR NOT NULL,
          uploaded_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )
    con.execute("CREATE SEQUENCE IF NOT EXISTS verification_decision_id_seq")
    con.execute(
        """
        CREATE TABLE IF NOT EXISTS verification_decisions (
          decision_id BIGINT PRIMARY KEY DEFAULT nextval('verification_decision_id_seq'),
          kind VARCHAR NOT NULL,
          record_key VARCHAR NOT NULL,
          project_id VARCHAR NOT NULL,
          milestone_date DATE NOT NULL,
          decision VARCHAR NOT NULL,
          reason VARCHAR,
          decided_by VARCHAR NOT NULL,
          decided_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
        )
        """
    )


def _migration_lead_details(con: duckdb.DuckDBPyConnection) -> None:
    """What a county records with a lead: ``leads.contact_person`` (联系人), ``project_content``
    (项目内容) and ``investor_origin`` (投资方来源), optional text columns, blank on stored leads.

    Added here for every file (``_migration_1`` and ``_migration_contract_v2`` leave them out), so
    a database rebuilt at version 8 from a backup matches that backup; idempotent all the same.
    """
    present = {
        row[0]
        for row in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'leads'"
        ).fetchall()
    }
    leads = next(t for t in TABLES if t.name == "leads")
    for name in LEAD_DETAIL_COLUMNS:
        if name not in present:
            con.execute(f"ALTER TABLE leads ADD COLUMN {name} {DUCKDB_TYPES[leads.column(name).kind]}")


# Forward migrations, applied in order. Append; never change what a released one leaves in a file
# (1 and contract_v2 leave out the columns a later one adds, so each version's schema stays its own).
MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [
    _migration_1,
    _migration_2,
    _migration_3,
    _migration_4,
    _migration_5,
    _migration_contract_v2,
    _migration_year_end,
    _migration_verification,
    _migration_lead_details,
]
SCHEMA_VERSION = len(MIGRATIONS)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | dict | None = None):
    """The single value of a one-row query (DuckDB 2.0 wants every result fetched to the end)."""
    rows = con.execute(sql, params).fetchall() if params is not None else con.execute(sql).fetchall()
    return rows[0][0] if rows else None


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_version ("
        " version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp())"
    )
    return int(scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version"))


def rollback_after_error(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back after a failed statement, keeping the original error the one that surfaces.

    Call in an ``except`` block, then ``raise``. When the failure already ended the transaction (a
    COMMIT refused for a full disk, a database invalidated by a fatal error) ROLLBACK itself fails
    with "cannot rollback - no transaction is active"; that second error is only logged.
    """
    try:
        con.execute("ROLLBACK").fetchall()
    except duckdb.Error as exc:
        log.debug("rollback after a failed write also failed: %s", exc)


def migrate(con: duckdb.DuckDBPyConnection, *, upto: int | None = None) -> int:
    """Bring the schema up to ``SCHEMA_VERSION`` (or version ``upto``); each step in its own
    transaction."""
    version = current_version(con)
    last = SCHEMA_VERSION if upto is None else upto
    for number, step in enumerate(MIGRATIONS[:last], start=1):
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            step(con)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [number])
            con.execute("COMMIT")
        except BaseException:
            rollback_after_error(con)
            raise
    return current_version(con)


def _connect(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        if re.search(r"\block\b", str(exc).lower()):  # "could not set lock", not "block"
            raise DatabaseLockedError(
                f"数据库文件 {target} 正被另一个进程(通常是正在运行的驾驶舱)占用;"
                f"请在应用内操作或先停止应用。 / The database file {target} is locked by another "
                "process (usually the running app): use the app, or stop it first."
            ) from exc
        raise


_DAMAGED = (
    "not a valid duckdb database file",
    "could not read enough bytes",
    "corrupt",
    "checksum",
    "invalid database",
    "storage version",
)


def storage_error_message(exc: BaseException, target: str | Path | None = None) -> str:
    """What a storage fault means and what to do, in Chinese (the technical detail last).

    Covers a file that is empty, truncated, overwritten or otherwise not a database; no permission
    on the file or its folder; a full disk; a database stopped by an earlier fatal error.
    """
    text = str(exc)
    lowered = text.lower()
    where = f"数据库文件 {target} " if target is not None else "数据库文件"
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "no space left" in lowered:
        advice = "磁盘空间不足,本次写入没有保存。请清理磁盘空间后重试;已保存的数据不受影响。"
    elif isinstance(exc, duckdb.FatalException) or "invalidated" in lowered:
        advice = (
            "数据库因之前的严重错误(常见原因:磁盘已满)已停止工作。请先释放磁盘空间,再重新启动应用;"
            "最后一次成功保存之前的数据不受影响。"
        )
    elif isinstance(exc, PermissionError) or any(
        word in lowered for word in ("permission denied", "read-only file system", "operation not permitted")
    ):
        advice = (
            f"{where}无法写入:没有读写权限或磁盘为只读。请检查该文件及其所在文件夹的权限"
            "(本系统需要对文件所在文件夹有写权限),或联系管理员。"
        )
    elif any(word in lowered for word in _DAMAGED):
        advice = (
            f"{where}已损坏或不是本系统的数据库(可能为空、被截断或被其他内容覆盖)。"
            "请勿继续使用该文件;请用最近的备份恢复(python -m analytics restore --from 备份目录 --db 新文件),"
            "或联系管理员。"
        )
    elif isinstance(exc, (duckdb.IOException, OSError)):
        advice = f"读写{where}失败。请检查磁盘和文件是否可用,或联系管理员。"
    else:
        advice = "数据库操作失败,数据未改动。请稍后重试;如反复出现,请联系管理员。"
    return f"{advice}(详情:{text})"


def is_storage_fault(exc: BaseException) -> bool:
    """Whether an error is the store's (file, disk, permission), not a fault of the program."""
    if isinstance(exc, (DatabaseUnusableError, OSError, duckdb.IOException, duckdb.FatalException)):
        return True
    lowered = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(
        word in lowered for word in ("no space left", "could not write", "permission denied", "invalidated")
    )


def _stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of a file, read without writing (a read-only connection cannot create)."""
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
    return int(scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version")) if exists else 0


def open_database(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database; ``":memory:"`` for a scratch one.

    ``read_only`` opens an existing file for reading; a file written by an older version is first
    upgraded in place, so readers always see the current schema.

    A file that cannot be used (damaged, not a database, no permission, disk full) raises
    ``DatabaseUnusableError`` with a Chinese message saying what to do.
    """
    target = str(path) if path is not None else str(database_path())
    try:
        return _open(target, read_only)
    except (duckdb.Error, OSError) as exc:
        raise DatabaseUnusableError(storage_error_message(exc, target)) from exc


def _open(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    if target == ":memory:" or not read_only:
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        con = _connect(target, read_only=False)
        try:
            migrate(con)
        except BaseException:
            con.close()
            raise
        return con
    if not Path(target).is_file():
        raise DatabaseMissingError(
            f"数据库文件 {target} 不存在。 / The database file {target} does not exist."
        )
    con = _connect(target, read_only=True)
    if _stored_version(con) < SCHEMA_VERSION:
        con.close()
        _open(target, read_only=False).close()  # migrate
        con = _connect(target, read_only=True)
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever data is written: every write goes through the audit log."""
    return int(scalar(con, "SELECT coalesce(max(audit_id), 0) FROM audit_log"))


def record_audit(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    source: str,
    table_name: str,
    action: str,
    record_key: str | None = None,
    before_json: str | None = None,
    after_json: str | None = None,
) -> None:
    """Append one entry to the audit log (inside the caller's transaction)."""
    con.execute(
        "INSERT INTO audit_log (actor, source, table_name, record_key, action, before_json, after_json)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [actor, source, table_name, record_key, action, before_json, after_json],
    )
