"""The documents page and the investment office's page in a real browser (sign-in off: the office)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import as_of_query, screenshot, wait_for_app

PAGES = {
    "bulletin": ("documents_page", ("周报与月通报", "内容预览")),
    "office": ("office_page", ("招商办管理", "认定招商信息", "目标任务", "操作日志", "备份")),
    "entry": ("entry_page", ("数据填报",)),
}


@pytest.mark.parametrize("url_path", list(PAGES))
def test_office_side_page_renders(page: Page, app_url: str, url_path: str) -> None:
    """Each page opens without an error element and shows its key labels; a screenshot is kept."""
    name, labels = PAGES[url_path]
    page.goto(f"{app_url}/{url_path}?{as_of_query()}")
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    text = page.locator("[data-testid='stMain']").inner_text()
    for label in labels:
        assert label in text, f"/{url_path}: 「{label}」 not shown"
    screenshot(page, name)


def test_office_audit_log_tab_lists_the_demo_import(page: Page, app_url: str) -> None:
    """The audit log tab shows the demo import's entries (one per contract table)."""
    page.goto(f"{app_url}/office?{as_of_query()}")
    wait_for_app(page)
    page.get_by_role("tab", name="操作日志").click()
    wait_for_app(page)
    panel = page.locator("[data-testid='stMain']")
    assert page.locator("[data-testid='stException']").count() == 0
    assert "import" in panel.inner_text() or "导入" in panel.inner_text()
    screenshot(page, "office_audit_log")
