"""Shared fixtures: a fresh in-memory database and a tiny valid CSV dataset."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # so tests can import data_builders

from data_builders import valid_tables, write_csv_folder  # noqa: E402

from analytics.data.store import open_database  # noqa: E402


@pytest.fixture
def db() -> Iterator[duckdb.DuckDBPyConnection]:
    """A migrated, empty in-memory database."""
    con = open_database(":memory:")
    yield con
    con.close()


@pytest.fixture
def tiny_dataset(tmp_path: Path) -> Path:
    """A folder of CSV files holding ``data_builders.valid_tables()`` (every table, all valid)."""
    return write_csv_folder(tmp_path / "tiny", valid_tables())
