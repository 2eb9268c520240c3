"""``DASHBOARD_DEMO_USERS=1`` opens the documented demo accounts only on the demo county's database.

It used to be honoured with any database, so one wrong environment line gave everybody the office's
rights with a published password. The database now carries its own mark: importing the folder the
demo generator writes sets it, importing any other dataset clears it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import users
from analytics.data import demo_mark
from analytics.data.importer import import_path
from analytics.data.store import open_database
from analytics.demo import generator as demo

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def demo_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.write_demo(
        tmp_path_factory.mktemp("demo") / "dataset", seed=7, scale=1, today=date(2026, 5, 11)
    )


def _database(path: Path, dataset: Path) -> Path:
    con = open_database(path)
    try:
        import_path(con, dataset, actor="test", source="测试")
    finally:
        con.close()
    return path


def _sign_in_screen(db_path: Path, users_file: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db_path))
    monkeypatch.setenv("DASHBOARD_USERS", str(users_file))
    monkeypatch.setenv("DASHBOARD_AUTH", "on")
    monkeypatch.setenv("DASHBOARD_DEMO_USERS", "1")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    return at


def test_real_database_gets_no_demo_accounts_even_with_the_switch(
    tmp_path: Path, tiny_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db_path = _database(tmp_path / "county.duckdb", tiny_dataset)  # a county's own data
    at = _sign_in_screen(db_path, tmp_path / "users.yaml", monkeypatch)
    assert not at.expander  # no list of demo accounts
    assert "首次启动:创建招商办账号" in [s.value for s in at.subheader]  # the users file is what counts
    assert any("不是演示数据库" in w.value for w in at.warning)
    con = open_database(db_path)
    try:
        assert users.active_config(con) is None
        assert not users.demo_mode(con)
    finally:
        con.close()


@pytest.fixture
def unmarked_copy(tmp_path: Path, demo_dataset: Path) -> Path:
    """The demo's CSV files copied without the marker file, e.g. as a template for a county's data."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for csv in demo_dataset.glob("*.csv"):
        (copy / csv.name).write_bytes(csv.read_bytes())
    return copy


def test_a_copy_of_the_demo_data_without_the_generators_mark_is_not_the_demo(
    tmp_path: Path, unmarked_copy: Path
) -> None:
    con = open_database(_database(tmp_path / "county.duckdb", unmarked_copy))
    try:
        assert not demo_mark.is_demo_database(con)
    finally:
        con.close()


def test_demo_database_gets_the_demo_accounts(
    tmp_path: Path, demo_dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (demo_dataset / demo.DEMO_MARKER_FILE).is_file()
    db_path = _database(tmp_path / "demo.duckdb", demo_dataset)
    at = _sign_in_screen(db_path, tmp_path / "users.yaml", monkeypatch)
    assert [e.label for e in at.expander] == ["演示账号(仅演示数据库启用)"]
    con = open_database(db_path)
    try:
        config = users.active_config(con)
        for account in users.DEMO_ACCOUNTS:
            assert users.authenticate(config, account.username, account.password) is not None
    finally:
        con.close()


def test_importing_other_data_into_the_demo_database_ends_demo_mode(
    tmp_path: Path, demo_dataset: Path, unmarked_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DEMO_USERS", "1")
    con = open_database(_database(tmp_path / "demo.duckdb", demo_dataset))
    try:
        assert users.demo_mode(con)
        import_path(con, unmarked_copy, actor="test", source="测试")  # the same rows, not the generator's
        assert not users.demo_mode(con)
    finally:
        con.close()
