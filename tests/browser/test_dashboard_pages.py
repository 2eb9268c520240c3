"""Every dashboard page in a real Chromium: it renders without an error element, shows its key
Chinese labels, and leaves a full-height screenshot in artifacts/screenshots/ for people to judge."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import as_of_query, screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser

# url_path → (screenshot name, labels that must be visible on the page); 总览 is the default page,
# served at the root URL.
DASHBOARD_PAGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "": (
        "dashboard_cockpit",
        ("招商引资总览", "聚焦三大指标", "项目提质增速", "9865 项目落地", "重点提醒"),
    ),
    "landing": ("dashboard_landing", ("9865 项目落地", "开工率与投产率", "未开工项目清单", "逐月进程")),
    "industry": ("dashboard_industry", ("产业集聚", "重点产业集聚度", "重点产业与其他产业", "历年集聚度")),
    "race": ("dashboard_race", ("乡镇赛马", "一类乡镇", "二类乡镇", "县直部门", "暂列第一")),
    "squads": ("dashboard_squads", ("招商小分队",)),
    "projects": ("dashboard_projects", ("项目库",)),
    "leads": ("dashboard_leads", ("招商信息",)),
}


@pytest.mark.parametrize("url_path", list(DASHBOARD_PAGES), ids=lambda p: p or "cockpit")
def test_dashboard_page_renders_with_its_labels(page: Page, app_url: str, url_path: str) -> None:
    """Visit the page at the demo's as-of date, check it, and save its screenshot."""
    name, labels = DASHBOARD_PAGES[url_path]
    page.goto(f"{app_url}/{url_path}?{as_of_query()}")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Page not found").count() == 0
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    for label in labels:
        assert label in text, f"/{url_path}: 「{label}」 not shown"
    assert "Traceback" not in text
    path = screenshot(page, name)
    assert path.stat().st_size > 10_000


def test_deep_link_on_a_fresh_server_runs_the_router(demo_db: Path, browser: Browser, tmp_path: Path) -> None:
    """A bookmark such as /landing opened first after a restart shows the full frame (sidebar choices).

    Streamlit treats a folder named ``pages/`` beside the entry point as a legacy multipage app and
    would run a deep-linked page without ``app.py`` (no sign-in, no frame); the page scripts
    therefore live in ``app_pages/``.
    """
    own_copy = tmp_path / "demo.duckdb"  # the session's app holds demo_db: DuckDB locks a file per process
    own_copy.write_bytes(demo_db.read_bytes())
    process, url = start_app(own_copy, {"DASHBOARD_AUTH": "off"})
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.goto(f"{url}/landing?{as_of_query()}")
        wait_for_app(tab)
        expect(tab.locator("[data-testid='stSidebar']")).to_contain_text("计划年度")
        assert "截至 2026-11-20" in tab.locator("[data-testid='stMain']").inner_text()
    finally:
        context.close()
        process.terminate()
        process.wait(timeout=20)
