"""Every page's own URL works on a fresh server, the default page's /cockpit included (no English
「Page not found」), and lands on that page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import as_of_query, start_app, wait_for_app

pytestmark = pytest.mark.browser

# url_path → the page's title (st.title) as the page shows it.
TITLES = {
    "cockpit": "招商引资总览",
    "landing": "9865 项目落地",
    "industry": "产业集聚",
    "race": "乡镇赛马",
    "projects": "项目库",
    "progress": "项目推进",
    "leads": "招商信息",
    "office": "招商办管理",
}


def test_every_page_url_opens_its_page_on_a_fresh_server(
    demo_db: Path, browser: Browser, tmp_path: Path
) -> None:
    own_copy = tmp_path / "demo.duckdb"  # the session's app holds demo_db: DuckDB locks a file per process
    own_copy.write_bytes(demo_db.read_bytes())
    process, url = start_app(own_copy, {"DASHBOARD_AUTH": "off"})
    try:
        for path, title in TITLES.items():  # /cockpit first: the server's very first request
            context = browser.new_context(viewport={"width": 1600, "height": 900}, locale="zh-CN")
            page = context.new_page()
            try:
                page.goto(f"{url}/{path}?{as_of_query()}")
                wait_for_app(page, timeout_ms=120_000)
                assert page.get_by_text("Page not found").count() == 0, path
                assert title in page.locator("[data-testid='stMain']").inner_text(), path
            finally:
                context.close()
    finally:
        process.terminate()
        process.wait(timeout=20)
