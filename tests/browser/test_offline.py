"""County intranets have no internet: no page may ask anything of a host other than the server.

Every request the browser makes is routed through a handler that lets the server's own requests
through and aborts (and records) any other; the test fails on any such attempt. The document's
``link``/``img``/``script`` addresses are checked too, because Chromium does not route favicon
loads through the interception layer.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Route

from tests.browser.conftest import as_of_query, wait_for_app

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Every page of the router (url_path), the default page by its own name and at the root, and
# every projector screen.
PAGE_PATHS = (
    "",
    "cockpit",
    "landing",
    "industry",
    "race",
    "squads",
    "projects",
    "progress",
    "leads",
    "dispatch",
    "bulletin",
    "whatif",
    "entry",
    "verify",
    "account",
    "office",
)
PROJECTOR_SCREENS = range(1, 13)

OUTSIDE_ADDRESSES_JS = """() => {
  const urls = [];
  for (const el of document.querySelectorAll('link[href], img[src], script[src], iframe[src], source[src]')) {
    urls.push(el.href || el.src);
  }
  return urls.filter(u => u && /^(https?:)?\\/\\//.test(u)
    && !/^https?:\\/\\/(127\\.0\\.0\\.1|localhost)([:\\/]|$)/.test(u));
}"""


def _is_local(url: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in {"data", "blob", "about", "chrome", "chrome-extension"}:
        return True
    return parsed.hostname in LOCAL_HOSTS


def _visit_all(browser: Browser, addresses: list[str], viewport: dict[str, int]) -> list[str]:
    """Open each address in a fresh context with every outside request blocked; the attempts."""
    attempts: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if _is_local(url):
            route.continue_()
        else:
            attempts.append(url)
            route.abort()

    for address in addresses:
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        context.route("**/*", guard)
        page = context.new_page()
        page.on("websocket", lambda ws: None if _is_local(ws.url) else attempts.append(ws.url))
        try:
            page.goto(address)
            wait_for_app(page, timeout_ms=120_000)  # the first page may be the server's first run
            page.wait_for_timeout(500)
            attempts.extend(f"{address} → {url}" for url in page.evaluate(OUTSIDE_ADDRESSES_JS))
        finally:
            context.close()
    return attempts


def test_no_page_requests_anything_outside_the_server(browser: Browser, app_url: str) -> None:
    """Every page at 1600×1000 (the default page at / and /cockpit): no request leaves the server."""
    addresses = [f"{app_url}/{path}?{as_of_query()}" for path in PAGE_PATHS]
    assert _visit_all(browser, addresses, {"width": 1600, "height": 1000}) == []


def test_no_projector_screen_requests_anything_outside_the_server(browser: Browser, app_url: str) -> None:
    """Every projector screen at 1920×1080 (numbers past the last screen show the last one)."""
    addresses = [
        f"{app_url}/dispatch?mode=projector&screen={number}&{as_of_query()}" for number in PROJECTOR_SCREENS
    ]
    assert _visit_all(browser, addresses, {"width": 1920, "height": 1080}) == []
