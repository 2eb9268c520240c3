"""项目推进 in a real Chromium: the page at 1600×900 and 1920×1080, and the projector's 项目推进 screen
at 1920×1080 — no exception, the lights in words, screenshots in artifacts/screenshots/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import as_of_query, screenshot, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1600, 900), (1920, 1080)])
def test_progress_page_renders_with_lights_in_words(
    browser: Browser, app_url: str, width: int, height: int
) -> None:
    """The page opens on the lights by stage, red projects first, no exception anywhere."""
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/progress?{as_of_query()}")
        wait_for_app(page, timeout_ms=120000)  # the first, cold run computes every figure
        assert page.locator("[data-testid='stException']").count() == 0
        main = page.locator("[data-testid='stMain']")
        text = main.inner_text()
        for words in ("项目推进", "各阶段红黄绿灯", "■ 红灯", "▲ 黄灯", "● 绿灯", "项目清单(红灯在前)"):
            assert words in text
        screenshot(page, f"progress_{width}x{height}", full=False)
        screenshot(page, f"progress_{width}x{height}_full")
        page.get_by_role("tab", name="在谈项目库").click()
        wait_for_app(page, timeout_ms=120000)
        assert "超过设定停留天数的信息" in main.inner_text()
        assert page.locator("[data-testid='stException']").count() == 0
        screenshot(page, f"progress_negotiation_{width}x{height}", full=False)
    finally:
        context.close()


def test_projector_progress_screen_fits_1920x1080(browser: Browser, app_url: str) -> None:
    """The 项目推进 projector screen: its title, red and yellow in words, one screen high."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/dispatch?mode=projector&screen=1&{as_of_query()}")
        wait_for_app(page)
        while page.locator(".pj-title").inner_text() != "项目推进":
            page.get_by_role("button", name="下一屏 ▶").click()
            wait_for_app(page)
        assert page.locator("[data-testid='stException']").count() == 0
        body = page.locator(".pj-table").inner_text()
        assert "红灯" in body
        cells = page.eval_on_selector_all(
            ".pj-table td", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert cells and all(size >= 30 for size in cells)
        height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        assert height <= 1080, f"the screen is {height}px high"
        screenshot(page, "projector_progress_1920x1080", full=False)
    finally:
        context.close()
