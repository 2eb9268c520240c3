"""Shared by the import-hardening tests: a county database file, a snapshot of everything in it,
hostile workbooks, and running ``python -m analytics import`` with its own peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl

from analytics.core.schema import TABLES
from analytics.data.importer import import_path
from analytics.data.store import open_database
from tests.data_builders import valid_tables, write_csv_folder, write_xlsx

REPO = Path(__file__).resolve().parents[2]


def county_db(directory: Path) -> Path:
    """A database file holding ``valid_tables()`` (3 projects, 2 fund arrivals, 2 leads ...)."""
    path = directory / "county.duckdb"
    con = open_database(path)
    try:
        import_path(con, write_csv_folder(directory / "tiny", valid_tables()), actor="test", source="测试")
    finally:
        con.close()
    return path


def snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every contract table's rows (sorted) and the whole audit log: equal snapshots = nothing changed."""
    tables = {t.name: sorted(con.execute(f"SELECT * FROM {t.name}").fetchall(), key=repr) for t in TABLES}
    tables["audit_log"] = con.execute("SELECT * FROM audit_log ORDER BY audit_id").fetchall()
    return tables


def snapshot_file(path: Path) -> dict[str, list[tuple]]:
    con = open_database(path, read_only=True)
    try:
        return snapshot(con)
    finally:
        con.close()


def hostile_workbook(path: Path, cell: str, *, sheet: str = "fund_arrivals") -> Path:
    """A complete, valid workbook whose ``sheet`` also holds one value in ``cell``."""
    write_xlsx(path, valid_tables())
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = "x"
    book.save(path)
    return path


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    peak_kib: int  # the child's own peak resident memory (ru_maxrss, KiB on Linux)


def run_cli(*args: str, tmp: Path) -> Run:
    """``python -m analytics ARGS`` in a child process; its exit code, output and peak memory."""
    out, err = tmp / "cli.out", tmp / "cli.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        child = subprocess.Popen(
            [sys.executable, "-m", "analytics", *args],
            cwd=REPO,
            stdout=stdout,
            stderr=stderr,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    return Run(
        # an abort (SIGABRT) is reported as a shell would: 128 + 6 = 134
        child.returncode if child.returncode >= 0 else 128 - child.returncode,
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        usage.ru_maxrss,
    )
