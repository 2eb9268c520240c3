"""Backups: a consistent snapshot of the whole database (DuckDB ``EXPORT DATABASE``) and its restore.

A backup is a folder: DuckDB's ``schema.sql`` + ``load.sql`` + one Parquet file per table (contract
tables with their ``row_version``, settings, scenarios, the audit log, the schema version), plus
``manifest.json`` with the row count of every table. The export runs in one transaction under the
write lock, so it is a snapshot no form write can cut through. Restore goes into a *fresh* file
(never over a live one) and checks the counts against the manifest.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path

import duckdb

from analytics.entry import WRITE_LOCK
from analytics.store import current_version, open_database

MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message is Chinese and English."""


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table of the database (every table, internal ones included)."""
    return {
        name: int(con.execute(f'SELECT count(*) FROM "{name}"').fetchall()[0][0]) for name in _tables(con)
    }


def backup_database(
    con: duckdb.DuckDBPyConnection, out_dir: Path | str, *, now: datetime | None = None
) -> Path:
    """Export a consistent snapshot into a new folder ``out_dir/backup-YYYYMMDD-HHMMSS``; its path."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = Path(out_dir) / f"backup-{stamp}"
    if target.exists():
        raise BackupError(f"备份目录已存在 / backup folder exists: {target}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with WRITE_LOCK:
        cur = con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION").fetchall()
            try:
                counts = row_counts(cur)
                version = int(
                    cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]
                )
                escaped = str(target).replace("'", "''")
                cur.execute(f"EXPORT DATABASE '{escaped}' (FORMAT parquet)").fetchall()
            finally:
                cur.execute("ROLLBACK").fetchall()  # read-only snapshot
        finally:
            cur.close()
    manifest = {
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "schema_version": version,
        "tables": counts,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def restore_database(backup_dir: Path | str, db_path: Path | str) -> dict[str, int]:
    """Restore a backup folder into the new database file ``db_path``; the restored row counts.

    Refuses an existing ``db_path`` (restore never overwrites a database). Newer migrations are
    applied afterwards, so an old backup opens in a newer app.
    """
    source = Path(backup_dir)
    target = Path(db_path)
    manifest_path = source / MANIFEST
    if not (source / "schema.sql").exists() or not manifest_path.exists():
        raise BackupError(f"不是备份目录(缺少 schema.sql 或 {MANIFEST}) / not a backup folder: {source}")
    if target.exists():
        raise BackupError(
            f"目标数据库 {target} 已存在;恢复只写入新文件,请换一个文件名或先移走原文件。 / "
            f"{target} exists: restore writes a new file only."
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    target.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(target))
    try:
        escaped = str(source).replace("'", "''")
        con.execute(f"IMPORT DATABASE '{escaped}'").fetchall()
        counts = row_counts(con)
    except BaseException:
        con.close()
        target.unlink(missing_ok=True)
        Path(f"{target}.wal").unlink(missing_ok=True)
        raise
    con.close()
    expected = manifest["tables"]
    if {k: counts.get(k) for k in expected} != expected:
        raise BackupError(f"恢复后的行数与备份清单不一致 / row counts differ: {counts} != {expected}")
    con = open_database(target)  # apply migrations newer than the backup
    try:
        current_version(con)
    finally:
        con.close()
    return counts


def backup_zip_bytes(con: duckdb.DuckDBPyConnection) -> tuple[str, bytes]:
    """A full backup as a zip (file name, bytes), for the office's download button."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = backup_database(con, tmp)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, arcname=f"{folder.name}/{path.name}")
        return f"{folder.name}.zip", buffer.getvalue()


def unzip_backup(zip_path: Path | str, out_dir: Path | str) -> Path:
    """Unpack a downloaded backup zip; the backup folder inside it."""
    out = Path(out_dir)
    with zipfile.ZipFile(zip_path) as archive:
        for member in archive.namelist():
            if member.startswith("/") or ".." in Path(member).parts:
                raise BackupError(f"备份压缩包含非法路径 / unsafe path in zip: {member}")
        archive.extractall(out)
    folders = [p for p in out.iterdir() if (p / MANIFEST).exists()]
    if len(folders) != 1:
        raise BackupError("压缩包中应有且只有一个备份目录 / the zip must hold exactly one backup folder")
    return folders[0]


def copy_backup(folder: Path, out_dir: Path) -> Path:
    """Copy a backup folder elsewhere (used by tests and by people moving backups around)."""
    return Path(shutil.copytree(folder, out_dir / folder.name))
