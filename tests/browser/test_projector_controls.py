"""调度会投屏 at 1920×1080: the meeting's controls (上一屏 / 下一屏, the 自动翻页 switch and its
interval) are as legible from the back of the room as the screen they sit under."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.browser.conftest import as_of_query, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def _font_px(page, selector: str) -> float:
    return page.locator(selector).first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")


def test_auto_advance_control_is_projector_sized(browser: Browser, app_url: str) -> None:
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/dispatch?mode=projector&screen=1&{as_of_query()}")
        wait_for_app(page)
        # the switch: its label in 32 px type, the switch itself drawn at least 60 px wide
        assert _font_px(page, ".st-key-dispatch_auto [data-testid='stWidgetLabel'] p") >= 30
        track = page.locator(".st-key-dispatch_auto label > div").first
        width = track.evaluate("e => e.getBoundingClientRect().width")
        height = track.evaluate("e => e.getBoundingClientRect().height")
        assert width >= 60 and height >= 30, (width, height)
        # the interval box and the buttons: 30 px type or more, at least 60 px high
        assert _font_px(page, ".st-key-dispatch_interval input") >= 30
        assert _box(page, ".st-key-dispatch_interval [role='group']")["height"] >= 60
        for key in ("dispatch_prev", "dispatch_next"):
            assert _font_px(page, f".st-key-{key} button p") >= 30
            assert _box(page, f".st-key-{key} button")["height"] >= 60
        # switched on, it still fits the screen with the rest (no scrolling on the projector)
        page.get_by_text("自动翻页").click()
        wait_for_app(page)
        assert page.get_by_role("switch", name="自动翻页").is_checked()
        height = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollHeight")
        assert height <= 1080
        screenshot(page, "projector_auto_advance_on", full=False)
    finally:
        context.close()
