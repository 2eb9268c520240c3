"""The store: the database path, forward migrations of an existing file, the data version."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from analytics.data import store
from analytics.data.keys import company_key
from analytics.data.store import SCHEMA_VERSION, data_version, database_path, open_database, record_audit


def test_database_path_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DASHBOARD_DB", raising=False)
    assert database_path() == store.PROJECT_ROOT / "data" / "demo.duckdb"
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "county.duckdb"))
    assert database_path() == tmp_path / "county.duckdb"


def test_a_version_1_file_upgrades_in_place_and_keeps_its_rows(tmp_path: Path) -> None:
    # A file written when only migration 1 existed: its rows survive; migration 2 adds row_version
    # (1 for existing rows), migration 3 stores each lead's company key (NFKC "ＡＢＣ　科技" → "abc科技").
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    store.current_version(con)
    store.MIGRATIONS[0](con)
    con.execute("INSERT INTO schema_version (version) VALUES (1)").fetchall()
    # Migration 1 builds today's contract; a real version-1 file had no v2 columns: drop them.
    for table, column in (("leads", "validated_on"), ("leads", "stage"), ("leads", "stage_changed_on")):
        con.execute(f"ALTER TABLE {table} DROP COLUMN {column}").fetchall()
    con.execute("INSERT INTO units VALUES ('t01', '镇一', 'township', '1', NULL)").fetchall()
    con.execute(
        "INSERT INTO leads VALUES ('L1', TIMESTAMP '2026-01-05 09:00', 't01', 'ＡＢＣ　科技', 'i1', 10, 'general',"
        " 'valid', NULL)"
    ).fetchall()
    con.close()

    upgraded = open_database(path)
    assert [
        v for (v,) in upgraded.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
    ] == list(range(1, SCHEMA_VERSION + 1))
    assert upgraded.execute("SELECT unit_id, name FROM units").fetchall() == [("t01", "镇一")]
    assert upgraded.execute("SELECT lead_id, company_key, row_version FROM leads").fetchall() == [
        ("L1", company_key("ＡＢＣ　科技"), 1)
    ]
    assert company_key("ＡＢＣ　科技") == "abc科技"
    # The contract v2 migration added the lead's v2 columns, blank for the old row.
    assert upgraded.execute("SELECT validated_on, stage, stage_changed_on FROM leads").fetchall() == [
        (None, None, None)
    ]
    upgraded.close()
    # Opening again applies nothing twice.
    again = open_database(path)
    assert again.execute("SELECT count(*) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    again.close()


def test_every_write_moves_the_data_version() -> None:
    con = open_database(":memory:")
    assert data_version(con) == 0
    record_audit(con, actor="office", source="测试", table_name="targets", action="update")
    first = data_version(con)
    record_audit(con, actor="office", source="测试", table_name="targets", action="update")
    assert 0 < first < data_version(con)


def test_reading_an_older_file_upgrades_it_first(tmp_path: Path) -> None:
    # A version-1 file opened read-only (export, report --db, bulletin) is migrated before reading,
    # so readers never meet a missing column.
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    store.current_version(con)
    store.MIGRATIONS[0](con)
    con.execute("INSERT INTO schema_version (version) VALUES (1)").fetchall()
    con.close()
    reader = open_database(path, read_only=True)
    assert reader.execute("SELECT max(version) FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    assert reader.execute("SELECT count(company_key) FROM leads").fetchall() == [(0,)]
    reader.close()


def test_reading_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = tmp_path / "nowhere.duckdb"
    with pytest.raises(store.DatabaseMissingError, match="不存在"):
        open_database(missing, read_only=True)
    assert not missing.exists()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "export",
            "--db",
            str(missing),
            "--out",
            str(tmp_path / "x.xlsx"),
        ],
        capture_output=True,
        text=True,
        cwd=store.PROJECT_ROOT,
    )
    assert done.returncode == 2 and "不存在" in done.stderr


def test_migrate_can_stop_at_a_version() -> None:
    # Restore rebuilds a backup's schema at its own version before loading it: migrations 1-2 only
    # leave leads without company_key (added by migration 3).
    con = duckdb.connect(":memory:")
    assert store.migrate(con, upto=2) == 2
    columns = {
        r[0]
        for r in con.execute("SELECT column_name FROM duckdb_columns() WHERE table_name = 'leads'").fetchall()
    }
    assert "row_version" in columns and "company_key" not in columns
    assert store.migrate(con) == SCHEMA_VERSION
    con.close()
