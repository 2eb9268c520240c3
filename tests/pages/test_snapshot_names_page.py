"""Snapshots on the year-end page are named by their day and kind, never by their internal number:
the office's own snapshot, the sign-off, and the signed account's status line (AppTest on a copy of
the demo county, since these tests write)."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from analytics.access.users import User
from analytics.data.store import open_database
from analytics.entry.year_end import sign_account
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import page_text
from ui.snapshots import snapshot_name

OFFICE = User("office1", "县招商办", "office")


@pytest.fixture
def own_db(demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_path, copy)
    monkeypatch.setenv("DASHBOARD_DB", str(copy))
    return copy


def test_snapshot_name_says_day_and_kind() -> None:
    assert snapshot_name("mid_year", date(2026, 7, 20)) == "2026-07-20 时间过半检查日快照"
    assert snapshot_name("quarter", date(2026, 9, 30)) == "2026-09-30 季末快照"
    assert snapshot_name("sign_off", date(2025, 12, 31)) == "2025-12-31 年度总账签署快照"


def test_a_snapshot_on_demand_is_confirmed_by_its_day(own_db: Path, app_test: AppFactory) -> None:
    at = app_test("app_pages/account.py")
    at.date_input(key="account_snap_as_of").set_value(date(2026, 11, 20))
    at.button(key="account_snap").click().run()
    assert not at.exception
    confirmed = [str(s.value) for s in at.success]
    assert "已保存 2026-11-20 招商办手动快照。" in confirmed
    assert not any(re.search(r"快照\s*\d", text) for text in confirmed)


def test_the_signed_account_names_no_snapshot_number(own_db: Path, app_test: AppFactory) -> None:
    con = open_database(own_db)
    snapshot_id = sign_account(con, OFFICE, 2025, today=date(2026, 1, 10))
    con.close()
    at = app_test("app_pages/account.py", global_year=2025)
    assert not at.exception
    text = page_text(at).replace("\\", "")
    assert "已签署:office1 于 2026-" in text and "本年度结果以签署时保存的快照为准" in text
    assert f"快照 {snapshot_id}" not in text and f"(快照 {snapshot_id})" not in text
