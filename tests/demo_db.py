"""The demo county as a database file, built once per test session for page and browser tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from analytics.data.importer import import_path
from analytics.data.store import open_database
from analytics.demo.generator import write_demo

# Fixed, so page tests do not depend on the day they run.
DEMO_TODAY = date(2026, 11, 20)
DEMO_SEED = 2026


def build_demo_database(directory: Path, today: date = DEMO_TODAY, seed: int = DEMO_SEED) -> Path:
    """Write the demo dataset under ``directory`` and import it into ``directory/demo.duckdb``."""
    dataset = write_demo(directory / "dataset", seed=seed, scale=1, today=today)
    db_path = directory / "demo.duckdb"
    con = open_database(db_path)
    try:
        import_path(con, dataset, actor="test", source="测试")
    finally:
        con.close()
    return db_path
