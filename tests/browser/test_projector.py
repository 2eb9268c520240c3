"""调度会投屏 in a real Chromium at 1920×1080: every screen, screenshots, and big enough type.

Screenshots land in artifacts/screenshots/projector_N.png for people to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import as_of_query, screenshot, wait_for_app

pytestmark = pytest.mark.browser

# The screens' titles, in order, as the meeting sees them.
SCREENS = (
    "本周数据",
    "全县目标",
    "9865 进度",
    "乡镇赛马",
    "县直部门赛马",
    "招商小分队",
    "重大项目三张清单",
    "责任清单",
    "进度清单",
    "滞后项目",
    "项目推进",
    "上次调度事项落实",
)


@pytest.mark.parametrize("number", range(1, len(SCREENS) + 1))
def test_each_screen_fills_the_projector_without_errors(browser: Browser, app_url: str, number: int) -> None:
    """Each screen opens from its link, shows its title and indicator, fits 1920×1080, no exception."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/dispatch?mode=projector&screen={number}&{as_of_query()}")
        wait_for_app(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert not page.locator("[data-testid='stSidebar']").is_visible()
        title = page.locator(".pj-title")
        assert title.inner_text() == SCREENS[number - 1]
        assert f"第 {number}/{len(SCREENS)} 屏" in page.locator(".pj-meta").inner_text()
        # The key figures are readable from the back of the room: at least 96 px where a screen has them.
        sizes = page.eval_on_selector_all(
            ".pj-big", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert all(size >= 96 for size in sizes)
        # Body text no smaller than 30 px anywhere in the screen's tables.
        cells = page.eval_on_selector_all(
            ".pj-table td", "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
        )
        assert all(size >= 30 for size in cells)
        # One screen: the content and the buttons fit the 1080-pixel height without scrolling.
        height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        assert height <= 1080, f"screen {number} is {height}px high"
        screenshot(page, f"projector_{number}", full=False)
    finally:
        context.close()


def test_next_button_moves_to_the_next_screen_and_updates_the_link(browser: Browser, app_url: str) -> None:
    """下一屏 goes from screen 3 to 4 and writes screen=4 into the address; 上一屏 comes back."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/dispatch?mode=projector&screen=3&{as_of_query()}")
        wait_for_app(page)
        page.get_by_role("button", name="下一屏 ▶").click()
        page.wait_for_function("document.querySelector('.pj-title')?.innerText === '乡镇赛马'")
        assert "screen=4" in page.url
        page.get_by_role("button", name="◀ 上一屏").click()
        page.wait_for_function("document.querySelector('.pj-title')?.innerText === '9865 进度'")
    finally:
        context.close()
