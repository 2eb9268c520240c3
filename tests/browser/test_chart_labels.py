"""Chart labels as a real Chromium draws them: date axes in Chinese months (2026年3月, never
Jan 2026), on the 9865 page's 逐月进程; screenshots for people to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import as_of_query, screenshot, wait_for_app

pytestmark = pytest.mark.browser

ENGLISH_MONTH = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def _tick_texts(page: Page) -> list[str]:
    page.wait_for_selector(".js-plotly-plot .xtick text", timeout=30000)
    return page.eval_on_selector_all(
        ".js-plotly-plot .xtick text, .js-plotly-plot .ytick text", "els => els.map(e => e.textContent)"
    )


def test_landing_timeline_ticks_are_chinese_months(page: Page, app_url: str) -> None:
    page.set_viewport_size({"width": 1600, "height": 900})
    page.goto(f"{app_url}/landing?{as_of_query()}")
    wait_for_app(page)
    page.get_by_text("签约 → 开工 → 投产 逐月进程").scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    ticks = _tick_texts(page)
    months = [t for t in ticks if re.fullmatch(r"\d{4}年\d{1,2}月", t)]
    # two timelines (2025 and 2026 signings), each with several month ticks
    assert len(months) >= 6, ticks
    assert not [t for t in ticks if ENGLISH_MONTH.search(t)], ticks
    screenshot(page, "landing_timeline_chinese_months")
