"""Item 10a: an import that would empty a table, or take more than half of its rows away, does not
go ahead silently. It stops with every table's change (before → after) and goes ahead only when
confirmed: ``--allow-shrink`` on the CLI, the confirm button (``allow_shrink=True``) in the app.

The county: ``valid_tables()``, with 2 fund arrivals. A header-only fund_arrivals sheet would take
it from 2 rows to 0.
"""

from __future__ import annotations

import pytest

from analytics.data.importer import ShrinkRefused, TableChange, import_path
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.data_builders import valid_tables, write_csv_folder, write_xlsx
from tests.entry_fixtures import OFFICE
from tests.security.import_helpers import county_db, run_cli, snapshot, snapshot_file


def _header_only_arrivals() -> dict:
    tables = valid_tables()
    tables["fund_arrivals"] = []  # the header row only
    return tables


def test_cli_refuses_a_header_only_sheet_without_allow_shrink(tmp_path):
    db = county_db(tmp_path)
    before = snapshot_file(db)
    book = write_xlsx(tmp_path / "empty_funds.xlsx", _header_only_arrivals())
    run = run_cli("import", "--db", str(db), "--data", str(book), tmp=tmp_path)
    assert run.returncode == 2, run.stderr
    assert "资金到位 fund_arrivals: 2 → 0 行 / rows  ← 需确认" in run.stderr
    assert "项目 projects: 3 → 3 行 / rows\n" in run.stderr  # every table's change is listed
    assert "--allow-shrink" in run.stderr
    assert snapshot_file(db) == before

    run = run_cli("import", "--db", str(db), "--data", str(book), "--allow-shrink", tmp=tmp_path)
    assert run.returncode == 0, run.stderr
    con = open_database(db, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM fund_arrivals").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM projects").fetchall() == [(3,)]
    finally:
        con.close()


def _targets_book(tmp_path, kept: int):
    tables = valid_tables()
    tables["targets"] = tables["targets"][:kept]
    return write_xlsx(tmp_path / f"targets_{kept}.xlsx", tables)


def test_office_import_needs_confirmation_to_empty_or_halve_a_table(tmp_path):
    """targets (4 rows, nothing points at them) through the office import of the app: halving is
    fine (2·after = before), more than half or emptying needs the confirmation."""
    con = open_database(":memory:")
    try:
        import_path(con, write_csv_folder(tmp_path / "tiny", valid_tables()), actor="test", source="测试")
        for before_rows, kept in [(4, 1), (2, 0)]:  # 2·1 < 4; 2·0 < 2
            if before_rows == 2:
                entry.import_workbook(con, OFFICE, _targets_book(tmp_path, 2))  # 4 → 2: half, no question
            before = snapshot(con)
            book = _targets_book(tmp_path, kept)
            with pytest.raises(ShrinkRefused) as stop:
                entry.import_workbook(con, OFFICE, book)
            assert stop.value.shrinking == [TableChange("targets", before_rows, kept)]
            assert TableChange("projects", 3, 3) in stop.value.changes
            assert snapshot(con) == before
            entry.import_workbook(con, OFFICE, book, allow_shrink=True)
            assert con.execute("SELECT count(*) FROM targets").fetchall() == [(kept,)]
            import_path(con, write_csv_folder(tmp_path / "tiny", valid_tables()), actor="test", source="测试")
    finally:
        con.close()
