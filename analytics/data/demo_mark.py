"""The demo mark: whether a dataset folder, or the data in a database, is the generated demo county.

The demo accounts (``analytics.access.users.demo_mode``) are honoured only on a database that
carries the mark, so a county's real database never gets them, whatever the environment says.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.data.store import scalar

DEMO_MARKER_FILE = "DEMO_DATASET.txt"


def is_demo_dataset(path: Path | str) -> bool:
    """Whether ``path`` is a dataset folder the demo generator wrote (it carries the marker file)."""
    return (Path(path) / DEMO_MARKER_FILE).is_file()


# The mark inside the database file: set by importing a dataset the demo generator wrote (it carries
# ``DEMO_MARKER_FILE``), cleared by importing any other dataset.
_DEMO_MARK_KEY = "demo_dataset"


def is_demo_database(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the data in this database is the generated demo county's (never true for real data)."""
    return scalar(con, "SELECT value FROM database_meta WHERE key = ?", [_DEMO_MARK_KEY]) == "1"


def mark_demo_database(con: duckdb.DuckDBPyConnection, demo: bool) -> None:
    """Set or clear the demo mark (inside the caller's import transaction)."""
    con.execute("DELETE FROM database_meta WHERE key = ?", [_DEMO_MARK_KEY]).fetchall()
    if demo:
        con.execute("INSERT INTO database_meta (key, value) VALUES (?, '1')", [_DEMO_MARK_KEY]).fetchall()
