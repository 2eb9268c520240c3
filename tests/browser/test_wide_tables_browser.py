"""Tables that must fit a 1600×900 window without a horizontal scroll, in a real browser: the race
table of every group and the office's 认定 queue (both of its parts); the 项目库 too, with its
挂包县领导 beside the project's name. Screenshots go to artifacts/screenshots/wide_*.png.

A table is drawn by glide-data-grid on a canvas; its scroll container is ``.dvn-scroller``. It needs
no horizontal scroll when that element's ``scrollWidth`` is at most its ``clientWidth``.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from analytics.data.store import open_database
from tests.browser.conftest import as_of_query, screenshot, start_app, wait_for_app
from tests.metrics_fixtures import add_lead

pytestmark = pytest.mark.browser

WINDOW = {"width": 1600, "height": 900}
# Every table drawn: its scroll container's widths (a hidden tab's or a closed expander's table is not
# drawn and has none).
GRID_WIDTHS = """() => Array.from(document.querySelectorAll("[data-testid='stDataFrame'] .dvn-scroller"))
  .map(s => ({scroll: s.scrollWidth, client: s.clientWidth}))"""


@pytest.fixture(scope="module")
def county_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo county copied, with two leads still pending from older years (2024, 2025-12-31)."""
    path = tmp_path_factory.mktemp("wide_tables") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    con = open_database(path)
    try:
        unit, industry = con.execute(
            "SELECT (SELECT min(unit_id) FROM units), (SELECT min(industry_id) FROM industries)"
        ).fetchone()
        for lead_id, reported_at, company in (
            ("LOLD1", "2024-06-01 10:00:00", "旧年待认定甲科技有限公司"),
            ("LOLD2", "2025-12-31 23:59:59", "旧年待认定乙科技有限公司"),
        ):
            add_lead(con, lead_id, reported_at, company, unit=unit, industry=industry, status="pending")
    finally:
        con.close()
    process, url = start_app(path, {"DASHBOARD_AUTH": "off"})
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def window(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=WINDOW, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def open_page(page: Page, url: str) -> None:
    page.set_viewport_size(WINDOW)
    page.goto(f"{url}?{as_of_query()}")
    wait_for_app(page)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()


def assert_no_horizontal_scroll(page: Page, tables: int) -> None:
    page.wait_for_function(  # a table just shown (an opened expander) draws its grid a moment later
        "n => document.querySelectorAll(\"[data-testid='stDataFrame'] .dvn-scroller\").length === n",
        arg=tables,
    )
    widths = page.evaluate(GRID_WIDTHS)
    assert len(widths) == tables
    for grid in widths:
        assert grid["client"] > 1000  # the table has the width of the main area (or of an expander)
        assert grid["scroll"] <= grid["client"], f"the table scrolls sideways: {grid}"


@pytest.mark.parametrize(
    ("group", "tab"), [("township_1", "一类乡镇"), ("township_2", "二类乡镇"), ("department", "县直部门")]
)
def test_race_table_shows_every_indicator_without_scrolling(
    window: Page, county_url: str, group: str, tab: str
) -> None:
    open_page(window, f"{county_url}/race")
    window.get_by_role("tab", name=tab).click()
    wait_for_app(window)
    assert_no_horizontal_scroll(window, 1)
    screenshot(window, f"wide_race_{group}")


def test_lead_queue_fits_and_keeps_older_leads_apart(window: Page, county_url: str) -> None:
    open_page(window, f"{county_url}/office")
    main = window.locator("[data-testid='stMain']")
    assert "2026 年报送的待认定信息" in main.inner_text()
    assert_no_horizontal_scroll(window, 1)  # the older ones are collapsed
    window.get_by_text("往年待认定(2 条)").click()
    wait_for_app(window)
    assert_no_horizontal_scroll(window, 2)
    screenshot(window, "wide_lead_queue")


def test_project_library_fits(window: Page, county_url: str) -> None:
    open_page(window, f"{county_url}/projects")
    assert_no_horizontal_scroll(window, 1)
    screenshot(window, "wide_projects")
