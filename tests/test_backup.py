"""Backup → restore gives identical tables; restore never overwrites; the CLI and the zip download."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from analytics.cli import main
from analytics.data import backup
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.entry_fixtures import CLERK_T01, OFFICE, small_county


def all_tables(path: Path) -> dict[str, list]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY ALL').fetchall() for n in names}
    finally:
        con.close()


def busy_county(tmp_path: Path) -> Path:
    path = small_county(tmp_path)
    con = open_database(path)
    entry.report_lead(
        con,
        CLERK_T01,
        company="甲",
        industry_id="i1",
        intended_investment_wan=1,
        tier="general",
        now=datetime(2026, 11, 20, 9, 0),
    )
    entry.update_project_stages(con, CLERK_T01, "p1", 1, commenced_date=date(2026, 4, 1))
    entry.save_setting(con, OFFICE, "red_gap", 0.25, None)
    con.close()
    return path


def test_backup_then_restore_gives_identical_tables(tmp_path: Path) -> None:
    path = busy_county(tmp_path)
    con = open_database(path)
    folder = backup.backup_database(con, tmp_path / "backups", now=datetime(2026, 11, 20, 18, 0))
    con.close()
    assert folder.name == "backup-20261120-180000"
    counts = backup.restore_database(folder, tmp_path / "restored.duckdb")
    original, restored = all_tables(path), all_tables(tmp_path / "restored.duckdb")
    assert restored == original  # every table, row versions, settings and the audit log included
    assert counts["audit_log"] == 3 and counts["projects"] == 3
    # The restored file keeps working: the sequences continue after the restored ids.
    again = open_database(tmp_path / "restored.duckdb")
    entry.decide_lead(again, OFFICE, "L2", "valid", 1)
    assert again.execute("SELECT max(audit_id) FROM audit_log").fetchall() == [(4,)]
    again.close()


def test_restore_refuses_an_existing_file(tmp_path: Path) -> None:
    path = busy_county(tmp_path)
    con = open_database(path)
    folder = backup.backup_database(con, tmp_path / "b")
    con.close()
    with pytest.raises(backup.BackupError, match="已存在"):
        backup.restore_database(folder, path)
    with pytest.raises(backup.BackupError, match="不是备份目录"):
        backup.restore_database(tmp_path, tmp_path / "new.duckdb")


def test_cli_backup_and_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = busy_county(tmp_path)
    assert main(["backup", "--db", str(path), "--out", str(tmp_path / "out")]) == 0
    (folder,) = (tmp_path / "out").iterdir()
    assert main(["restore", "--db", str(tmp_path / "r.duckdb"), "--from", str(folder)]) == 0
    assert all_tables(tmp_path / "r.duckdb") == all_tables(path)
    assert main(["restore", "--db", str(tmp_path / "r.duckdb"), "--from", str(folder)]) == 2
    assert "已存在" in capsys.readouterr().err


def test_zip_download_restores_too(tmp_path: Path) -> None:
    path = busy_county(tmp_path)
    con = open_database(path)
    name, data = backup.backup_zip_bytes(con)
    con.close()
    assert name.startswith("backup-") and name.endswith(".zip")
    zip_path = tmp_path / name
    zip_path.write_bytes(data)
    assert "manifest.json" in {Path(n).name for n in zipfile.ZipFile(io.BytesIO(data)).namelist()}
    folder = backup.unzip_backup(zip_path, tmp_path / "unzipped")
    backup.restore_database(folder, tmp_path / "from_zip.duckdb")
    assert all_tables(tmp_path / "from_zip.duckdb") == all_tables(path)


def test_a_backup_holds_one_data_file_per_table_and_their_hashes(tmp_path: Path) -> None:
    # No SQL in a backup: one Parquet file per table of the database, and the manifest's SHA-256
    # of each (recomputed here with hashlib).
    import hashlib
    import json

    path = busy_county(tmp_path)
    con = open_database(path)
    folder = backup.backup_database(con, tmp_path / "b")
    counts = backup.row_counts(con)
    con.close()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    data_files = {f"{table}.parquet" for table in counts}
    assert {p.name for p in folder.iterdir()} == data_files | {"manifest.json"}
    assert manifest["files"] == {
        name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in data_files
    }
    assert manifest["tables"] == counts


def test_a_version_3_backup_is_restored_and_upgraded(tmp_path: Path) -> None:
    # A database at schema version 3 whose lead L1 has the key of the v1 rule ("华\u200b为", the
    # zero-width space kept): the restore rebuilds version 3, loads it, then applies migration 4.
    from analytics.data import store

    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    store.current_version(con)
    for number, step in enumerate(store.MIGRATIONS[:3], start=1):
        step(con)
        con.execute("INSERT INTO schema_version (version) VALUES (?)", [number]).fetchall()
    con.execute(
        "INSERT INTO leads (lead_id, reported_at, reporter_unit_id, company, industry_id,"
        " intended_investment_wan, tier, status, company_key)"
        " VALUES ('L1', TIMESTAMP '2026-01-05 09:00', 't01', '华\u200b为', 'i1', 10, 'general', 'valid',"
        " '华\u200b为')"
    ).fetchall()
    folder = backup.backup_database(con, tmp_path / "b")
    con.close()
    assert json_of(folder)["schema_version"] == 3
    backup.restore_database(folder, tmp_path / "restored.duckdb")
    restored = duckdb.connect(str(tmp_path / "restored.duckdb"), read_only=True)
    try:
        versions = [
            v for (v,) in restored.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        ]
        assert versions == list(range(1, store.SCHEMA_VERSION + 1))
        assert restored.execute("SELECT lead_id, company_key FROM leads").fetchall() == [("L1", "华为")]
    finally:
        restored.close()


def json_of(folder: Path) -> dict:
    import json

    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
