"""Backups: a consistent snapshot of the whole database and its restore.

A backup is a folder holding one Parquet file per table of the product (contract tables with their
``row_version``, settings, scenarios, the audit log, the schema version ...) and ``manifest.json``:
the format, the schema version, the rows of every table, the position of every sequence, and the
SHA-256 of every file. The verification evidence (photos, PDFs) the database refers to is copied into
``evidence/``, each file named by its SHA-256 and listed in the manifest's ``evidence``. The export runs in one transaction under the write lock, so it is a snapshot
no form write can cut through.

Restore never executes anything taken from the backup. It first checks the folder against the
manifest (no file missing, none added, every hash equal), then builds the schema from the product's
own migrations up to the backup's version, loads each table the product knows from its data file
with the product's own column list, advances the sequences, checks the row counts and applies the
newer migrations. It writes a *fresh* file (never over a live one), and only once everything
succeeded: a refused backup leaves no file behind.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from analytics.data import evidence
from analytics.data.store import SCHEMA_VERSION, migrate, rollback_after_error
from analytics.data.write_lock import WRITE_LOCK

MANIFEST = "manifest.json"
EVIDENCE_DIR = "evidence"  # inside a backup: the evidence files, each named by its SHA-256
FORMAT = 2  # 1: DuckDB's EXPORT DATABASE (schema.sql + load.sql), refused since it cannot be verified


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message is Chinese and English."""


def _tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    rows = con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND NOT temporary ORDER BY table_name"
    ).fetchall()
    return [r[0] for r in rows]


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND table_name = ? ORDER BY column_index",
        [table],
    ).fetchall()
    return [r[0] for r in rows]


def _sequences(con: duckdb.DuckDBPyConnection) -> dict[str, int | None]:
    rows = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() WHERE database_name = current_database()"
        " AND schema_name = 'main' AND NOT temporary ORDER BY sequence_name"
    ).fetchall()
    return {name: (None if last is None else int(last)) for name, last in rows}


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def row_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table of the database (every table, internal ones included)."""
    return {
        name: int(con.execute(f"SELECT count(*) FROM {_quoted(name)}").fetchall()[0][0])
        for name in _tables(con)
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _data_file(table: str) -> str:
    return f"{table}.parquet"


def backup_database(
    con: duckdb.DuckDBPyConnection, out_dir: Path | str, *, now: datetime | None = None
) -> Path:
    """Export a consistent snapshot into a new folder ``out_dir/backup-YYYYMMDD-HHMMSS``; its path."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = Path(out_dir) / f"backup-{stamp}"
    if target.exists():
        raise BackupError(f"备份目录已存在 / backup folder exists: {target}")
    target.mkdir(parents=True)
    try:
        manifest = _export(con, target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def _export(con: duckdb.DuckDBPyConnection, target: Path) -> dict[str, Any]:
    """Write every table of one snapshot into ``target``; the manifest describing the files."""
    with WRITE_LOCK:
        cur = con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION").fetchall()
            try:
                counts = row_counts(cur)
                version = int(
                    cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]
                )
                sequences = _sequences(cur)
                for table in counts:
                    path = str(target / _data_file(table)).replace("'", "''")
                    cur.execute(
                        f"COPY (SELECT * FROM {_quoted(table)}) TO '{path}' (FORMAT parquet)"
                    ).fetchall()
                hashes = evidence.stored_hashes(cur) if "evidence" in counts else []
                proofs = _export_evidence(cur, hashes, target) if hashes else {}
            finally:
                rollback_after_error(cur)  # a read-only snapshot: nothing to keep
        finally:
            cur.close()
    return {
        "format": FORMAT,
        "created_at": datetime.now().isoformat(timespec="seconds"),
        "schema_version": version,
        "tables": counts,
        "sequences": sequences,
        "files": {path.name: _sha256(path) for path in sorted(target.iterdir()) if path.is_file()},
        "evidence": proofs,
    }


def _export_evidence(con: duckdb.DuckDBPyConnection, hashes: list[str], target: Path) -> dict[str, int]:
    """Copy the evidence files ``hashes`` into ``target/evidence``, each checked; hash → size."""
    source = evidence.evidence_folder(con)
    folder = target / EVIDENCE_DIR
    folder.mkdir()
    sizes: dict[str, int] = {}
    for digest in hashes:
        try:
            data = evidence.read_blob(source, digest)
        except evidence.EvidenceError as exc:
            raise BackupError(f"无法备份核验材料:{exc} / evidence file {digest} missing or damaged") from exc
        (folder / digest).write_bytes(data)
        sizes[digest] = len(data)
    return sizes


def _refuse(chinese: str, english: str) -> BackupError:
    return BackupError(f"{chinese},数据库未创建。 / {english}; no database was written.")


def _read_manifest(source: Path) -> dict[str, Any]:
    """The manifest of a backup folder, its shape checked (nothing in it is ever executed)."""
    if not (source / MANIFEST).is_file():
        raise _refuse(f"不是备份目录(缺少 {MANIFEST}):{source}", f"not a backup folder: {source}")
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise _refuse(f"备份清单 {MANIFEST} 无法读取或已损坏", f"unreadable manifest: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refuse(
            "这是旧格式的备份(没有 SHA-256 校验清单,且需要执行备份中的 SQL),为安全起见不予恢复;"
            "请用当前版本重新生成备份",
            "an old-format backup (no SHA-256 manifest) is not restored",
        )
    files, tables, sequences = manifest.get("files"), manifest.get("tables"), manifest.get("sequences")
    version = manifest.get("schema_version")
    if (
        not isinstance(files, dict)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in files.items())
        or not isinstance(tables, dict)
        or not all(isinstance(k, str) and type(v) is int and v >= 0 for k, v in tables.items())
        or not isinstance(sequences, dict)
        or not all(isinstance(k, str) and (v is None or type(v) is int) for k, v in sequences.items())
        or type(version) is not int
    ):
        raise _refuse(f"备份清单 {MANIFEST} 内容不完整或格式不对", "malformed manifest")
    if not 1 <= version <= SCHEMA_VERSION:
        raise _refuse(
            f"备份的数据库版本 {version} 不受支持(本系统为 {SCHEMA_VERSION});较新版本的备份请用较新版本恢复",
            f"unsupported schema version {version}",
        )
    return manifest


def _verify_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file of the folder is in the manifest with its SHA-256, and nothing else is there."""
    listed: dict[str, str] = manifest["files"]
    present = {p.name for p in source.iterdir()} - {MANIFEST, EVIDENCE_DIR}
    extra, missing = sorted(present - set(listed)), sorted(set(listed) - present)
    if extra:
        raise _refuse(
            f"备份目录中有清单以外的文件({'、'.join(extra)}),备份可能被篡改",
            f"files not in the manifest: {extra}",
        )
    if missing:
        raise _refuse(f"备份不完整,缺少文件:{'、'.join(missing)}", f"missing files: {missing}")
    for name, expected in sorted(listed.items()):
        path = source / name
        if not path.is_file() or path.is_symlink() or _sha256(path) != expected:
            raise _refuse(
                f"备份文件 {name} 的校验值(SHA-256)与清单不符,备份已被改动或损坏",
                f"{name}: SHA-256 differs from the manifest",
            )
    expected_files = {_data_file(t) for t in manifest["tables"]}
    if set(listed) != expected_files:
        raise _refuse("备份清单中的文件与数据表不对应", "the manifest's files do not match its tables")
    _verify_evidence(source, manifest)


def _verify_evidence(source: Path, manifest: dict[str, Any]) -> None:
    """The evidence files are exactly those the manifest lists, each one's SHA-256 its name."""
    listed = manifest.get("evidence") or {}
    if not isinstance(listed, dict) or not all(
        isinstance(k, str) and type(v) is int for k, v in listed.items()
    ):
        raise _refuse(f"备份清单 {MANIFEST} 的核验材料清单格式不对", "malformed evidence list")
    folder = source / EVIDENCE_DIR
    if folder.exists() and (not folder.is_dir() or folder.is_symlink()):
        raise _refuse("备份中的核验材料目录无效", "the evidence folder is not a folder")
    present = {p.name for p in folder.iterdir()} if folder.is_dir() else set()
    extra, missing = sorted(present - set(listed)), sorted(set(listed) - present)
    if extra or missing:
        raise _refuse(
            f"备份中的核验材料与清单不符(多出 {len(extra)} 个,缺少 {len(missing)} 个)",
            f"evidence files differ from the manifest: extra {extra}, missing {missing}",
        )
    for digest in sorted(listed):
        path = folder / digest
        if not path.is_file() or path.is_symlink() or _sha256(path) != digest:
            raise _refuse(
                f"核验材料 {digest[:12]}… 的校验值(SHA-256)与清单不符,备份已被改动或损坏",
                f"evidence {digest}: SHA-256 differs",
            )


def _load(con: duckdb.DuckDBPyConnection, source: Path, manifest: dict[str, Any]) -> dict[str, int]:
    """Load the backup's data into ``con`` (schema at the backup's version); the row counts."""
    known = _tables(con)
    if set(manifest["tables"]) != set(known):
        unknown = sorted(set(manifest["tables"]) - set(known))
        absent = sorted(set(known) - set(manifest["tables"]))
        raise _refuse(
            f"备份中的数据表与本系统不一致(多出:{'、'.join(unknown) or '无'};缺少:{'、'.join(absent) or '无'})",
            f"tables differ: unknown {unknown}, missing {absent}",
        )
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        for table in known:
            columns = _columns(con, table)
            path = str(source / _data_file(table))
            in_file = [r[0] for r in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()]
            if sorted(in_file) != sorted(columns):
                raise _refuse(
                    f"备份文件 {_data_file(table)} 的列与数据表 {table} 不一致", f"{table}: columns differ"
                )
            cols = ", ".join(_quoted(c) for c in columns)
            con.execute(f"DELETE FROM {_quoted(table)}").fetchall()  # schema_version rows of the migrations
            con.execute(
                f"INSERT INTO {_quoted(table)} ({cols}) SELECT {cols} FROM read_parquet(?)", [path]
            ).fetchall()
        for name, last in _sequences(con).items():
            wanted = manifest["sequences"].get(name)
            if wanted is not None and (last is None or wanted > last):
                # The name comes from the product's own catalog, never from the backup.
                literal = "'" + name.replace("'", "''") + "'"
                con.execute(
                    f"SELECT max(nextval({literal})) FROM range(?)", [wanted - (last or 0)]
                ).fetchall()
        con.execute("COMMIT").fetchall()
    except BaseException:
        rollback_after_error(con)
        raise
    return row_counts(con)


def restore_database(backup_dir: Path | str, db_path: Path | str) -> dict[str, int]:
    """Restore a backup folder into the new database file ``db_path``; the restored row counts.

    Refuses an existing ``db_path`` (restore never overwrites a database), and any backup whose
    files differ from its manifest. Newer migrations are applied afterwards, so an old backup opens
    in a newer app.
    """
    source = Path(backup_dir)
    target = Path(db_path)
    if target.exists():
        raise BackupError(
            f"目标数据库 {target} 已存在;恢复只写入新文件,请换一个文件名或先移走原文件。 / "
            f"{target} exists: restore writes a new file only."
        )
    if not source.is_dir():
        raise _refuse(f"不是备份目录:{source}", f"not a backup folder: {source}")
    manifest = _read_manifest(source)
    _verify_files(source, manifest)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".restore-", dir=target.parent))
    try:
        building = scratch / "restoring.duckdb"
        con = duckdb.connect(str(building))
        try:
            migrate(con, upto=manifest["schema_version"])
            try:
                counts = _load(con, source, manifest)
            except duckdb.Error as exc:
                raise _refuse(
                    "备份数据无法载入(文件内容与数据表不符)", f"cannot load the data: {exc}"
                ) from exc
            if counts != manifest["tables"]:
                raise _refuse(
                    "恢复后的行数与备份清单不一致", f"row counts differ: {counts} != {manifest['tables']}"
                )
            migrate(con)  # migrations newer than the backup
            wanted = set(evidence.stored_hashes(con))
            if not wanted <= set(manifest.get("evidence") or {}):
                raise _refuse(
                    "备份缺少数据库引用的核验材料", "evidence files the database refers to are missing"
                )
        finally:
            con.close()
        if target.exists():
            raise BackupError(
                f"目标数据库 {target} 在恢复过程中被创建,未覆盖。 / {target} appeared meanwhile."
            )
        folder = evidence.folder_for(target)
        for digest in sorted(wanted):
            evidence.write_blob(folder, (source / EVIDENCE_DIR / digest).read_bytes())
        os.replace(building, target)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return counts


def backup_zip_bytes(con: duckdb.DuckDBPyConnection) -> tuple[str, bytes]:
    """A full backup as a zip (file name, bytes), for the office's download button."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = backup_database(con, tmp)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, arcname=f"{folder.name}/{path.relative_to(folder).as_posix()}")
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
