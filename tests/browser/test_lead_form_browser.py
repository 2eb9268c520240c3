"""The lead form as a township clerk sees it on a 1600x900 screen: the fields a county records
(联系人, 投资方来源, 项目内容), the tiers' criteria beside the tier, and after a bad submission the count
of problems at the top of the form and each problem under its field, all without scrolling.

Starts its own app with sign-in on (the demo accounts), on a copy of the demo database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot, start_app, wait_for_app
from tests.browser.test_signin import submit_credentials, wait_for_cookie

pytestmark = pytest.mark.browser

VIEWPORT = {"width": 1600, "height": 900}


@pytest.fixture(scope="module")
def clerk_app(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    copy = tmp_path_factory.mktemp("lead_form") / "demo.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    process, url = start_app(
        copy,
        {
            "DASHBOARD_AUTH": "on",
            "DASHBOARD_DEMO_USERS": "1",
            "DASHBOARD_USERS": str(copy.parent / "no-users.yaml"),
        },
    )
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def clerk_page(browser: Browser, clerk_app: str) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    page = context.new_page()
    submit_credentials(page, clerk_app, "clerk_t01", "demo-clerk-2026")
    wait_for_cookie(page)
    page.goto(f"{clerk_app}/entry")
    wait_for_app(page)
    yield page
    context.close()


def in_view(page: Page, text: str) -> bool:
    """Whether the element showing ``text`` lies inside the 900-pixel-high screen."""
    box = page.get_by_text(text, exact=False).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"]


def test_the_clerks_lead_form_and_its_errors_fit_the_screen(clerk_page: Page) -> None:
    page = clerk_page
    expect(page.get_by_role("heading", name="数据填报")).to_be_visible()
    for label in ("意向企业名称", "意向投资(万元)", "信息等级", "联系人", "投资方来源", "项目内容"):
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_text("投资5000万元以上、引进落户的电子、机械等高科技工业项目")).to_be_visible()
    screenshot(page, "entry_lead_form_empty", full=False)

    page.get_by_label("意向投资(万元)").fill("五千")  # and the company left blank
    page.get_by_role("button", name="报送").click()
    wait_for_app(page)
    expect(page.get_by_text("有 2 处需要修改")).to_be_visible()
    expect(page.get_by_text("必填项,不能为空(文本)")).to_be_visible()
    expect(page.get_by_text("应为不小于 0 的数字")).to_be_visible()
    for text in ("有 2 处需要修改", "必填项,不能为空(文本)", "应为不小于 0 的数字"):
        assert in_view(page, text), text
    screenshot(page, "entry_lead_form_two_errors", full=False)

    # Corrected and sent with its details: the unit's own list shows them next to the company.
    page.get_by_label("意向企业名称").fill("浏览器字段测试建材有限公司")
    page.get_by_label("意向企业名称").press("Enter")
    wait_for_app(page)
    page.get_by_label("意向投资(万元)").fill("5,000")
    page.get_by_label("联系人").fill("王经理 13800000000")
    page.get_by_label("投资方来源").fill("江苏苏州")
    page.keyboard.press("Enter")
    page.get_by_label("项目内容").fill("年产5万吨新型建材生产线")
    page.get_by_role("button", name="报送").click()
    wait_for_app(page)
    expect(page.get_by_text("本条为该企业首报,待招商办认定。")).to_be_visible()
    expect(page.get_by_text("有 2 处需要修改")).to_have_count(0)
    page.get_by_role("tab", name="本单位已报信息").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stDataFrame").last).to_be_visible()
    screenshot(page, "entry_my_leads_details", full=False)
