"""Snapshots (issue 13): a stored report never changes, and the automatic ones are due on their day."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from data_builders import valid_tables, write_csv_folder

from analytics.access.users import User
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data import snapshots as stored
from analytics.data.importer import import_path
from analytics.data.store import open_database
from analytics.entry.writes import update_project_stages
from analytics.metrics.report import build_report
from analytics.metrics.snapshots import due_snapshots, report_text, take_due_snapshots, take_snapshot

OFFICE = User("office1", "招商办", "office")


@pytest.fixture
def county(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The tiny valid dataset (plan year 2024) imported into a database file."""
    con = open_database(tmp_path / "county.duckdb")
    import_path(con, write_csv_folder(tmp_path / "data", valid_tables()), actor="test", source="测试")
    yield con
    con.close()


def test_snapshot_is_unchanged_after_a_later_import_and_a_later_edit(county, tmp_path):
    period = Period(2024, date(2024, 12, 31))
    settings = effective_settings(county)
    snapshot_id = take_snapshot(county, period, settings, kind="on_demand", actor="office1")
    before = stored.get_snapshot(county, snapshot_id)
    assert before.report_json == report_text(build_report(county, period, settings))

    # A later import: P002 now enters the statistics in 2024 (T01 gains an in_stats project).
    tables = valid_tables()
    tables["projects"][1]["in_stats_date"] = "2024-07-01"
    import_path(county, write_csv_folder(tmp_path / "later", tables), actor="test", source="测试")
    # A later edit through the data-entry form: P001 is no longer in the statistics.
    version = county.execute("SELECT row_version FROM projects WHERE project_id = 'P001'").fetchall()[0][0]
    update_project_stages(county, OFFICE, "P001", version, in_stats_date=None)

    live = report_text(build_report(county, period, settings))
    assert live != before.report_json  # the edits did move the live report
    after = stored.get_snapshot(county, snapshot_id)
    assert after.report_json == before.report_json
    assert after.settings_json == before.settings_json
    assert after.data_hash == before.data_hash != stored.data_hash(county)
    assert after.intact


def test_data_hash_ignores_row_order_but_not_values(county, tmp_path):
    first = stored.data_hash(county)
    import_path(county, write_csv_folder(tmp_path / "same", valid_tables()), actor="test", source="测试")
    assert stored.data_hash(county) == first  # the same rows again: the same hash
    county.execute("UPDATE projects SET total_investment_wan = 12000.5 WHERE project_id = 'P001'")
    assert stored.data_hash(county) != first


def test_unknown_snapshot_id_is_a_clear_error(county):
    with pytest.raises(stored.SnapshotNotFound, match="没有编号为 42 的快照"):
        stored.get_snapshot(county, 42)


def test_automatic_snapshots_are_due_from_their_day_and_taken_once(county):
    # The dataset has 2024 targets only; the mid-year check day is 07-20 (default).
    assert due_snapshots(county, date(2024, 3, 31)) == []  # the quarter's last day is still open
    assert due_snapshots(county, date(2024, 4, 1)) == [("quarter", Period(2024, date(2024, 3, 31)))]
    assert due_snapshots(county, date(2024, 7, 20)) == [
        ("quarter", Period(2024, date(2024, 3, 31))),
        ("quarter", Period(2024, date(2024, 6, 30))),
        ("mid_year", Period(2024, date(2024, 7, 20))),
    ]
    taken = take_due_snapshots(county, date(2024, 7, 20))
    assert len(taken) == 3
    mid_year = stored.get_snapshot(county, taken[2])
    assert (mid_year.kind, mid_year.as_of, mid_year.created_by) == ("mid_year", date(2024, 7, 20), "system")
    assert mid_year.report["as_of"] == "2024-07-20"
    assert take_due_snapshots(county, date(2024, 7, 21)) == []  # once only
    # In January 2025 the 2024 quarters still due are taken (2025 has no targets: nothing for it).
    assert due_snapshots(county, date(2025, 1, 2)) == [
        ("quarter", Period(2024, date(2024, 9, 30))),
        ("quarter", Period(2024, date(2024, 12, 31))),
    ]


def test_a_year_without_targets_gets_no_automatic_snapshot(db):
    assert due_snapshots(db, date(2026, 12, 3)) == []


def test_snapshot_and_audit_entry_are_written_together(county):
    snapshot_id = take_snapshot(
        county, Period(2024, date(2024, 6, 30)), effective_settings(county), kind="on_demand", actor="office1"
    )
    rows = county.execute(
        "SELECT actor, action FROM audit_log WHERE table_name = 'snapshots' AND record_key = ?",
        [str(snapshot_id)],
    ).fetchall()
    assert rows == [("office1", "insert")]
