"""Migration 9 (``_migration_lead_details``): a database written before leads had 联系人, 项目内容 and
投资方来源 opens with the three columns added (blank on its stored leads, nothing else changed), and a
backup taken at version 8 still restores into the new schema; the data hash of snapshots stored
before the upgrade still matches the unchanged data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from analytics.core.schema import TABLES
from analytics.data import store
from analytics.data.backup import backup_database, restore_database
from analytics.data.snapshots import data_hash
from analytics.data.store import SCHEMA_VERSION, open_database

DETAILS = ["contact_person", "project_content", "investor_origin"]
LEAD = (
    "INSERT INTO leads (lead_id, reported_at, reporter_unit_id, company, industry_id,"
    " intended_investment_wan, tier, status) VALUES"
    " ('L1', TIMESTAMP '2026-11-02 09:30:00', 't01', '华材科技有限公司', 'i1', 800, 'general', 'pending')"
)


def lead_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'leads' ORDER BY ordinal_position"
        ).fetchall()
    ]


def version_8_file(path: Path) -> Path:
    """A database file as version 8 left it (migrations 1-8), holding one lead."""
    con = duckdb.connect(str(path))
    try:
        assert store.migrate(con, upto=8) == 8
        assert not set(DETAILS) & set(lead_columns(con))
        con.execute(LEAD).fetchall()
    finally:
        con.close()
    return path


def test_this_is_migration_9() -> None:
    assert SCHEMA_VERSION == 9
    assert store.MIGRATIONS[8] is store._migration_lead_details


def test_an_old_database_opens_with_the_columns_added_and_its_lead_kept(tmp_path: Path) -> None:
    path = version_8_file(tmp_path / "old.duckdb")
    con = open_database(path)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(9,)]
        assert lead_columns(con)[-3:] == DETAILS  # added at the end, after the internal columns
        assert con.execute(
            "SELECT lead_id, company, intended_investment_wan, row_version, contact_person, project_content,"
            " investor_origin FROM leads"
        ).fetchall() == [("L1", "华材科技有限公司", 800.0, 1, None, None, None)]
        types = dict(
            con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'leads'"
            ).fetchall()
        )
        assert [types[c] for c in DETAILS] == ["VARCHAR", "VARCHAR", "VARCHAR"]
        con.execute("UPDATE leads SET contact_person = '王经理' WHERE lead_id = 'L1'").fetchall()
    finally:
        con.close()
    again = open_database(path, read_only=True)  # opened again: nothing to migrate, the value kept
    try:
        assert again.execute("SELECT contact_person FROM leads").fetchall() == [("王经理",)]
        assert again.execute("SELECT count(*) FROM schema_version").fetchall() == [(9,)]
    finally:
        again.close()


def test_a_read_only_open_of_an_old_file_upgrades_it_first(tmp_path: Path) -> None:
    path = version_8_file(tmp_path / "old.duckdb")
    reader = open_database(path, read_only=True)
    try:
        assert set(DETAILS) <= set(lead_columns(reader))
    finally:
        reader.close()


def test_a_backup_taken_at_version_8_restores_into_the_new_schema(tmp_path: Path) -> None:
    path = version_8_file(tmp_path / "old.duckdb")
    con = duckdb.connect(str(path))
    try:
        backup = backup_database(con, tmp_path / "backups")
    finally:
        con.close()
    restored = tmp_path / "restored.duckdb"
    restore_database(backup, restored)
    con = open_database(restored, read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchall() == [(9,)]
        assert con.execute("SELECT lead_id, contact_person FROM leads").fetchall() == [("L1", None)]
    finally:
        con.close()


def test_a_new_database_has_each_column_once() -> None:
    con = open_database(":memory:")
    try:
        columns = lead_columns(con)
        assert [columns.count(c) for c in DETAILS] == [1, 1, 1]
    finally:
        con.close()


def version_8_hash(con: duckdb.DuckDBPyConnection) -> str:
    """``data_hash`` as version 8 computed it: every contract column of its schema, the columns
    of each table as the file has them (written out here, independent of today's code)."""
    digest = hashlib.sha256()
    for table in TABLES:
        names = [c for c in table.column_names if table.name != "leads" or c not in DETAILS]
        columns = ", ".join(f'"{c}"' for c in names)
        row_hashes = con.execute(
            f"SELECT coalesce(string_agg(h, ',' ORDER BY h), '') FROM "
            f"(SELECT md5(CAST(row({columns}) AS VARCHAR)) AS h FROM {table.name})"
        ).fetchall()[0][0]
        digest.update(f"{table.name}:{row_hashes};".encode())
    return digest.hexdigest()


def test_the_upgrade_leaves_the_data_hash_of_stored_snapshots_matching(tmp_path: Path) -> None:
    """A snapshot stored before the upgrade (its data hash) still matches the unchanged data, so no
    signed account or mid-year verdict reports a change; filling a detail afterwards is a change."""
    path = version_8_file(tmp_path / "old.duckdb")
    old = duckdb.connect(str(path))
    try:
        before = version_8_hash(old)
    finally:
        old.close()
    con = open_database(path)
    try:
        assert data_hash(con) == before
        con.execute("UPDATE leads SET investor_origin = '省外'").fetchall()
        assert data_hash(con) != before
        con.execute("UPDATE leads SET investor_origin = NULL").fetchall()
        assert data_hash(con) == before
    finally:
        con.close()
