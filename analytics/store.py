"""The DuckDB store: where the database file is, opening it, and forward migrations.

One process holds the file read-write (DuckDB locks it against every other process), so the
running app is the single writer. Inside a process, share one connection and give each thread
its own ``connection.cursor()``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import duckdb

from analytics.schema import TABLES, table_ddl

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = PROJECT_ROOT / "data" / "demo.duckdb"


class DatabaseLockedError(RuntimeError):
    """The database file is held by another process (usually the running app)."""


class DatabaseMissingError(RuntimeError):
    """A database file to read does not exist."""


def database_path() -> Path:
    """The database file: ``$DASHBOARD_DB`` or ``data/demo.duckdb``."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB_PATH)


def _migration_1(con: duckdb.DuckDBPyConnection) -> None:
    """Contract tables, settings, scenarios and the audit log."""
    for table in TABLES:
        con.execute(table_ddl(table))
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
    from analytics.leads import fill_company_keys

    con.execute("ALTER TABLE leads ADD COLUMN company_key VARCHAR")
    fill_company_keys(con)


# Forward migrations, applied in order. Append; never edit a released one.
MIGRATIONS: list[Callable[[duckdb.DuckDBPyConnection], None]] = [_migration_1, _migration_2, _migration_3]
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


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the schema up to ``SCHEMA_VERSION``; each step in its own transaction."""
    version = current_version(con)
    for number, step in enumerate(MIGRATIONS, start=1):
        if number <= version:
            continue
        con.execute("BEGIN TRANSACTION")
        try:
            step(con)
            con.execute("INSERT INTO schema_version (version) VALUES (?)", [number])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return current_version(con)


def _connect(target: str, read_only: bool) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseLockedError(
                f"数据库文件 {target} 正被另一个进程(通常是正在运行的驾驶舱)占用;"
                f"请在应用内操作或先停止应用。 / The database file {target} is locked by another "
                "process (usually the running app): use the app, or stop it first."
            ) from exc
        raise


def _stored_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version of a file, read without writing (a read-only connection cannot create)."""
    exists = scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'")
    return int(scalar(con, "SELECT coalesce(max(version), 0) FROM schema_version")) if exists else 0


def open_database(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) and migrate the database; ``":memory:"`` for a scratch one.

    ``read_only`` opens an existing file for reading; a file written by an older version is first
    upgraded in place, so readers always see the current schema.
    """
    target = str(path) if path is not None else str(database_path())
    if target == ":memory:" or not read_only:
        if target != ":memory:":
            Path(target).parent.mkdir(parents=True, exist_ok=True)
        con = _connect(target, read_only=False)
        migrate(con)
        return con
    if not Path(target).is_file():
        raise DatabaseMissingError(
            f"数据库文件 {target} 不存在。 / The database file {target} does not exist."
        )
    con = _connect(target, read_only=True)
    if _stored_version(con) < SCHEMA_VERSION:
        con.close()
        open_database(target).close()  # migrate
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
