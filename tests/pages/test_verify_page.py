"""The 核验 page and the 「仅计已核验」 banner in an AppTest (sign-in off: the office)."""

from __future__ import annotations

import duckdb

from analytics.access.permissions import can_open_page
from analytics.entry import verification
from tests.entry_fixtures import CLERK_T01, LEADER, OFFICE, VIEWER
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import page_text
from tests.test_verification import STATS


def test_the_queue_shows_what_waits_oldest_first(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection
) -> None:
    at = app_test("app_pages/verify.py")
    assert not at.exception
    waiting = verification.queue(expected_con)  # the office sees every kind; 待核验 by default
    assert len(waiting) > 0
    assert f"{len(waiting)} 项" in [s.value for s in at.subheader]
    shown = at.dataframe[0].value
    assert list(shown["项目编码"]) == list(waiting["project_id"])
    assert list(shown["日期"]) == sorted(shown["日期"])  # oldest first
    # the first one is picked and its (absent) evidence is said so; the office may decide 开工 etc.
    assert "尚未上传核验材料。" in page_text(at)


def test_the_queue_filters_by_kind(app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection) -> None:
    at = app_test("app_pages/verify.py", verify_kind="commenced")
    assert not at.exception
    waiting = verification.queue(expected_con, kinds=["commenced"])
    assert set(at.dataframe[0].value["事项"]) <= {"开工"}
    assert len(at.dataframe[0].value) == len(waiting)


def test_only_the_office_and_verifiers_open_the_page() -> None:
    assert can_open_page(OFFICE, "verify") and can_open_page(STATS, "verify")
    assert not any(can_open_page(u, "verify") for u in (CLERK_T01, LEADER, VIEWER))


def test_every_page_says_verified_only_when_it_is_on(app_test: AppFactory) -> None:
    for page in ("app_pages/cockpit.py", "app_pages/race.py", "app_pages/verify.py"):
        on = app_test(page, global_settings_overrides={"count_verified_only": True})
        assert not on.exception
        assert any(i.value.startswith("仅计已核验") for i in on.info), page
        off = app_test(page)
        assert not any(i.value.startswith("仅计已核验") for i in off.info), page


def test_the_entry_page_shows_a_units_milestones_for_evidence(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection
) -> None:
    unit = str(verification.queue(expected_con).iloc[0]["unit_id"])  # a unit with something waiting
    at = app_test("app_pages/entry.py", entry_unit=unit, entry_verify_status="pending")
    assert not at.exception
    assert "核验材料" in [t.label for t in at.tabs]
    table = next(d.value for d in at.dataframe if "材料数" in d.value.columns)
    waiting = verification.queue(expected_con, unit_id=unit)
    assert list(table["项目编码"]) == list(waiting["project_id"])
