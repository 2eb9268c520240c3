"""Snapshots: a report (``report.build_report``) stored as computed, and the automatic ones.

A snapshot of ``(Y, D)`` stores the report's JSON text exactly as ``python -m analytics report``
prints it, the effective settings it used and the hash of the contract data it was computed from
(``analytics.data.snapshots``). Nothing later changes it: a later import or edit changes the live
report, never a stored one.

Automatic snapshots (issue 13, METRICS.md §4 mid-year check), taken the first time the app or the
command line runs on or after their day, for the current year and the previous one when the database
holds targets for that year (a year without data is not frozen):

- ``mid_year``: as of the ``mid_year_check`` day ``C`` of ``Y``, on or after ``C``;
- ``quarter``: as of each quarter end (03-31, 06-30, 09-30, 12-31; 季排名), from the day after it
  (the quarter's last day is still being recorded while it lasts).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data import snapshots as store
from analytics.data.write_lock import WRITE_LOCK, write_transaction
from analytics.metrics.report import build_report
from analytics.metrics.units import mid_year_date

QUARTER_ENDS: tuple[tuple[int, int], ...] = ((3, 31), (6, 30), (9, 30), (12, 31))
SYSTEM_ACTOR = "system"


def report_text(report: dict[str, Any]) -> str:
    """The report as ``python -m analytics report`` prints it (without the final newline)."""
    return json.dumps(report, ensure_ascii=False, indent=2)


def settings_text(settings: dict[str, Any]) -> str:
    return json.dumps(settings, ensure_ascii=False, sort_keys=True)


def take_snapshot(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    kind: str,
    actor: str,
    label: str | None = None,
) -> int:
    """Compute the report of ``period`` under ``settings`` and store it; the new snapshot's id.

    Under the process's write lock from the data hash to the insert, so no write of this process
    falls between the data the report read and the hash stored with it.
    """
    with WRITE_LOCK:
        cur = con.cursor()
        try:
            hashed = store.data_hash(cur)
            report = build_report(cur, period, settings)
        finally:
            cur.close()
        with write_transaction(con) as tx:
            return store.insert_snapshot(
                tx,
                year=period.year,
                as_of=period.as_of,
                kind=kind,
                label=label,
                report_json=report_text(report),
                settings_json=settings_text(settings),
                data_hash_value=hashed,
                actor=actor,
            )


def quarter_ends(year: int) -> list[date]:
    return [date(year, month, day) for month, day in QUARTER_ENDS]


def _years_with_targets(con: duckdb.DuckDBPyConnection, years: list[int]) -> list[int]:
    rows = con.execute(
        "SELECT DISTINCT year FROM targets WHERE list_contains(?, year) ORDER BY year", [years]
    ).fetchall()
    return [int(r[0]) for r in rows]


def due_snapshots(con: duckdb.DuckDBPyConnection, today: date) -> list[tuple[str, Period]]:
    """The automatic snapshots not yet stored on ``today``: (kind, period), oldest first."""
    settings = effective_settings(con)
    due: list[tuple[str, Period]] = []
    for year in _years_with_targets(con, [today.year - 1, today.year]):
        check_day = mid_year_date(Period(year, date(year, 12, 31)), settings)
        wanted = [("quarter", q) for q in quarter_ends(year) if today > q]
        if today >= check_day:
            wanted.append(("mid_year", check_day))
        for kind, day in sorted(wanted, key=lambda w: w[1]):
            if not store.find_snapshots(con, year=year, kind=kind, as_of=day):
                due.append((kind, Period(year, day)))
    return due


def take_due_snapshots(con: duckdb.DuckDBPyConnection, today: date | None = None) -> list[int]:
    """Take every automatic snapshot that is due (``due_snapshots``) under the stored settings."""
    today = today or date.today()
    taken = []
    with WRITE_LOCK:
        due = due_snapshots(con, today)
        settings = effective_settings(con) if due else {}
        for kind, period in due:
            taken.append(take_snapshot(con, period, settings, kind=kind, actor=SYSTEM_ACTOR))
    return taken


def mid_year_snapshot(con: duckdb.DuckDBPyConnection, year: int) -> store.Snapshot | None:
    """The first ``mid_year`` snapshot of ``year`` (the verdict of the day), if one is stored."""
    found = store.find_snapshots(con, year=year, kind="mid_year")
    return found[0] if found else None


def live_report_like(con: duckdb.DuckDBPyConnection, snapshot: store.Snapshot) -> dict[str, Any]:
    """The report of the snapshot's period and settings computed on today's data (for drift)."""
    return build_report(con, Period(snapshot.year, snapshot.as_of), snapshot.settings)


def data_changed_since(con: duckdb.DuckDBPyConnection, snapshot: store.Snapshot) -> bool:
    return store.data_hash(con) != snapshot.data_hash
