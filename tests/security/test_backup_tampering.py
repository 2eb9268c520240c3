"""Restore never runs SQL from a backup, and refuses a tampered, incomplete or old-format backup.

A refused restore writes no database file; the command line says why in Chinese and exits 2.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from analytics.cli import main
from analytics.data import backup
from analytics.data.store import open_database
from tests.entry_fixtures import small_county


def _backup(tmp_path: Path) -> Path:
    path = small_county(tmp_path)
    con = open_database(path)
    try:
        return backup.backup_database(con, tmp_path / "backups", now=datetime(2026, 11, 20, 18, 0))
    finally:
        con.close()


def _inject(folder: Path, sql_file: str, pwned: Path) -> None:
    """Append a statement that writes a file to an SQL file of the backup (created if absent)."""
    with (folder / sql_file).open("a", encoding="utf-8") as handle:
        handle.write(f"\nCOPY (SELECT 1) TO '{pwned}';\n")


@pytest.mark.parametrize("sql_file", ["schema.sql", "load.sql"])
def test_sql_added_to_a_backup_is_never_run(tmp_path: Path, sql_file: str) -> None:
    folder = _backup(tmp_path)
    pwned, target = tmp_path / "pwned.csv", tmp_path / "restored.duckdb"
    _inject(folder, sql_file, pwned)
    with pytest.raises(backup.BackupError, match="清单以外的文件"):
        backup.restore_database(folder, target)
    assert not pwned.exists()
    assert not target.exists()


def test_sql_listed_in_a_rewritten_manifest_is_still_never_run(tmp_path: Path) -> None:
    # The attacker also adds the SQL file, with its true hash, to the manifest: restore reads only
    # the data files of the product's own tables, so the backup is refused and nothing runs.
    folder = _backup(tmp_path)
    pwned, target = tmp_path / "pwned.csv", tmp_path / "restored.duckdb"
    _inject(folder, "schema.sql", pwned)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest.setdefault("files", {})["schema.sql"] = hashlib.sha256(
        (folder / "schema.sql").read_bytes()
    ).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(backup.BackupError):
        backup.restore_database(folder, target)
    assert not pwned.exists()
    assert not target.exists()


def test_a_modified_data_file_is_refused(tmp_path: Path) -> None:
    # projects.parquet rewritten with p1's investment changed: the same row count, another hash.
    folder = _backup(tmp_path)
    data = folder / "projects.parquet"
    con = duckdb.connect()
    rows = con.execute("SELECT * FROM read_parquet(?)", [str(data)]).df()
    rows.loc[rows["project_id"] == "p1", "total_investment_wan"] = 999999.0
    con.register("changed", rows)
    con.execute(f"COPY changed TO '{data}' (FORMAT parquet)").fetchall()
    con.close()
    target = tmp_path / "restored.duckdb"
    with pytest.raises(backup.BackupError, match="校验值"):
        backup.restore_database(folder, target)
    assert not target.exists()


def test_an_incomplete_backup_is_refused(tmp_path: Path) -> None:
    folder = _backup(tmp_path)
    (folder / "leads.parquet").unlink()
    target = tmp_path / "restored.duckdb"
    with pytest.raises(backup.BackupError, match="缺少文件"):
        backup.restore_database(folder, target)
    assert not target.exists()


def test_an_old_format_backup_is_refused(tmp_path: Path) -> None:
    # DuckDB's EXPORT DATABASE (schema.sql + load.sql) with a manifest of row counts only, as
    # backups were written before: nothing proves its SQL is ours, so it is not run.
    path = small_county(tmp_path)
    folder = tmp_path / "backup-old"
    con = open_database(path)
    con.execute(f"EXPORT DATABASE '{folder}' (FORMAT parquet)").fetchall()
    counts = backup.row_counts(con)
    con.close()
    (folder / "manifest.json").write_text(
        json.dumps({"created_at": "2026-01-01T00:00:00", "schema_version": 3, "tables": counts}),
        encoding="utf-8",
    )
    target = tmp_path / "restored.duckdb"
    with pytest.raises(backup.BackupError, match="旧格式"):
        backup.restore_database(folder, target)
    assert not target.exists()


def test_cli_refuses_a_tampered_backup_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _backup(tmp_path)
    pwned, target = tmp_path / "pwned.csv", tmp_path / "restored.duckdb"
    _inject(folder, "schema.sql", pwned)
    assert main(["restore", "--db", str(target), "--from", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "备份可能被篡改" in err and "Traceback" not in err
    assert not pwned.exists() and not target.exists()
