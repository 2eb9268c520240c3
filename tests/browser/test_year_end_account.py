"""The 年度总账 page in a real browser, on its own copy of the demo county: 2025 signed off, then a
backdated edit (the drift warning), and 2026 not yet over. Screenshots go to artifacts/screenshots/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page

from analytics.access.users import User
from analytics.data.store import open_database
from analytics.entry.year_end import sign_account
from analytics.screens.account import year_account
from tests.browser.conftest import screenshot, start_app, wait_for_app


@pytest.fixture(scope="module")
def signed_app(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    copy = tmp_path_factory.mktemp("account_browser") / "demo.duckdb"
    shutil.copyfile(demo_db, copy)
    con = open_database(copy)
    sign_account(con, User("office1", "县招商办", "office"), 2025, today=date(2026, 1, 10))
    leader = next(
        r
        for r in year_account(con, 2025, date(2026, 1, 10)).rankings
        if r["group"] == "township_1" and r["rank"] == 1
    )
    con.execute(
        "UPDATE targets SET value = 1000 WHERE year = 2025 AND scope = ? AND metric = 'signed_projects'",
        [leader["unit_id"]],
    )
    con.close()
    process, url = start_app(copy, {"DASHBOARD_AUTH": "off"})
    yield url, leader["name"]
    process.terminate()
    process.wait(timeout=20)


def test_signed_account_page_shows_the_drift_warning(page: Page, signed_app: tuple[str, str]) -> None:
    """2025 is signed; the page says so, warns about the backdated edit and lists the account's tables."""
    url, leader = signed_app
    page.goto(f"{url}/account?year=2025&as_of=2026-01-10")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    text = page.locator("[data-testid='stMain']").inner_text()
    for label in (
        "年度总账",
        "已签署",
        "签署后数据有变动",
        leader,
        "奖惩结果",
        "奖励与奖金兑现",
        "季度排名变化",
    ):
        assert label in text, f"「{label}」 not shown"
    screenshot(page, "account_page_signed")


def test_unsigned_account_page_of_the_current_year(page: Page, signed_app: tuple[str, str]) -> None:
    """2026 is not over: the page shows the provisional account and the office's actions."""
    url, _ = signed_app
    page.goto(f"{url}/account?year=2026&as_of=2026-11-20")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "2026 年尚未结束" in text and "招商办操作" in text
    screenshot(page, "account_page_2026")
