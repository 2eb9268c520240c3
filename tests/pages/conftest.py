"""Shared fixtures of the page tests: the demo county database and an AppTest factory.

The app under test holds ``demo.duckdb`` through its shared connection (same process as the
test). Expected figures are computed by calling ``analytics`` on a byte-for-byte copy of that
file (``expected_con``), an independent connection that never competes with the app's.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from tests.demo_db import DEMO_TODAY, build_demo_database
from tests.shared_app_test import new_app_test, remember_registry

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
DEMO_PERIOD = Period(DEMO_TODAY.year, DEMO_TODAY)

AppFactory = Callable[..., AppTest]


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The demo county (tests/demo_db.py) as a database file; the app reads it via DASHBOARD_DB."""
    directory = tmp_path_factory.mktemp("pages_demo")
    path = build_demo_database(directory)
    saved = {key: os.environ.get(key) for key in ("DASHBOARD_DB", "DASHBOARD_AUTH")}
    os.environ["DASHBOARD_DB"] = str(path)
    os.environ["DASHBOARD_AUTH"] = "off"
    yield path
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="session")
def expected_con(
    demo_db_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a copy of the demo database, for computing the figures a page should show."""
    copy = tmp_path_factory.mktemp("pages_expected") / "expected.duckdb"
    shutil.copyfile(demo_db_path, copy)
    con = open_database(copy)
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_period() -> Period:
    return DEMO_PERIOD


@pytest.fixture(scope="session")
def demo_settings(expected_con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Stored settings of the demo database, exactly what ``ui.frame.current_settings`` gives."""
    return effective_settings(expected_con, {})


@pytest.fixture
def app_test(demo_db_path: Path) -> AppFactory:
    """``app_test("app_pages/x.py", **session_state)`` → an AppTest that has run that page once.

    The global choices are the demo's year and as-of date unless given; pass ``run=False`` to get
    the AppTest before its first run (e.g. to set more session state or query parameters first).
    """

    def make(page: str | None = None, *, run: bool = True, **state: Any) -> AppTest:
        at = new_app_test(APP, default_timeout=60)
        at.session_state["global_year"] = DEMO_TODAY.year
        at.session_state["global_as_of"] = DEMO_TODAY
        for key, value in state.items():
            at.session_state[key] = value
        if page is not None:
            at.switch_page(page)
        if run:
            at.run()
            remember_registry(at)
        return at

    return make


@pytest.fixture(scope="session")
def empty_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh database: every table, no rows (what a county sees before its first import)."""
    path = tmp_path_factory.mktemp("pages_empty") / "empty.duckdb"
    open_database(path).close()
    return path
