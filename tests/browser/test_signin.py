"""Sign in as a township clerk in a real Chromium, report a lead through the form, see the result.

Starts its own app with sign-in on (the demo accounts, DASHBOARD_DEMO_USERS=1), unlike the page
tests, which run with DASHBOARD_AUTH=off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot, start_app, wait_for_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def signin_app(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    # A copy of the demo database, so the lead written here does not change the page tests' figures.
    copy = tmp_path_factory.mktemp("signin") / "demo.duckdb"
    copy.write_bytes(demo_db.read_bytes())
    process, url = start_app(
        copy,
        {
            "DASHBOARD_AUTH": "on",
            "DASHBOARD_DEMO_USERS": "1",
            "DASHBOARD_USERS": str(copy.parent / "no-users.yaml"),
        },
    )
    yield url, copy
    process.terminate()
    process.wait(timeout=20)


COOKIE = "zsyz_dashboard_auth"


def submit_credentials(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)


def wait_for_cookie(page: Page, timeout_ms: int = 15000) -> None:
    """The signed re-authentication cookie, set by the login's cookie component in the browser."""
    for _ in range(timeout_ms // 200):
        if COOKIE in {c["name"] for c in page.context.cookies()}:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"cookie {COOKIE} was not set")


def test_clerk_signs_in_and_reports_a_lead(page: Page, signin_app: tuple[str, Path]) -> None:
    """The sign-in screen, a wrong password, then the clerk's form end to end with the first-report check."""
    url, _ = signin_app
    page.goto(url)
    wait_for_app(page)
    expect(page.get_by_text("演示账号(仅演示数据库启用)")).to_be_visible()
    screenshot(page, "signin_page", full=False)

    submit_credentials(page, url, "clerk_t01", "wrong-password-1")
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    assert COOKIE not in {c["name"] for c in page.context.cookies()}

    submit_credentials(page, url, "clerk_t01", "demo-clerk-2026")
    wait_for_cookie(page)
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("当前用户:乡镇填报员(演示,t01)")).to_be_visible()
    expect(sidebar.get_by_text("数据填报")).to_be_visible()
    expect(sidebar.get_by_text("招商办管理")).to_have_count(0)  # hidden from a clerk's menu

    # A deep link is a new session: the cookie signs the clerk in again without the form.
    page.goto(f"{url}/entry")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="数据填报")).to_be_visible()
    company = "浏览器测试新材料有限公司"
    page.get_by_label("意向企业名称").fill(company)
    page.get_by_label("意向企业名称").press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("首报查重:尚无单位报送过该企业。")).to_be_visible()
    page.get_by_label("意向投资(万元)").fill("12,000")
    page.get_by_role("button", name="报送").click()
    wait_for_app(page)
    expect(page.get_by_text("本条为该企业首报,待招商办认定。")).to_be_visible()
    screenshot(page, "entry_lead_reported")

    # The same company again (different spacing): told at once who reported it first, and when.
    page.get_by_label("意向企业名称").fill("浏览器测试 新材料有限公司")
    page.get_by_label("意向企业名称").press("Enter")
    wait_for_app(page)
    expect(page.get_by_text("首报查重:该企业已于")).to_be_visible()
    expect(page.get_by_text("由 桂溪镇 首报")).to_be_visible()
    screenshot(page, "entry_duplicate_warning")

    # The lead is in the unit's own list, as the first report awaiting the office.
    page.get_by_role("tab", name="本单位已报信息").click()
    wait_for_app(page)
    mine = page.get_by_test_id("stDataFrame").last
    expect(mine).to_be_visible()
    screenshot(page, "entry_my_leads")

    # Office pages refuse a clerk even by direct link.
    page.goto(f"{url}/office")
    wait_for_app(page)
    expect(page.get_by_text("无权使用本页面")).to_be_visible()
    expect(page.get_by_role("heading", name="招商办管理")).to_have_count(0)
