"""Hostile names in a real Chromium: the county of ``tests/security/hostile_data.py`` (every project,
company, unit, squad, leader, industry and note carries a Markdown link or image, an ``<img>``, a
``<script>``, a colour directive, a bare URL or a plotly link), imported through the normal importer.

Signed in as a county leader, every dashboard page and every projector screen is opened; no link,
image or script from data may appear, no alert may fire, and (a route on every request) the browser
never even tries to reach evil.example.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from analytics.access import users
from tests.browser.conftest import as_of_query, screenshot, start_app, wait_for_app
from tests.security.hostile_data import EVIL_HOST, build_hostile_database

pytestmark = pytest.mark.browser

LEADER, PASSWORD = "leader_hostile", "Leader-pass-2026"
PAGES = ("cockpit", "landing", "industry", "race", "squads", "projects", "leads", "bulletin", "whatif")
DISPATCH_SCREENS = range(1, 8)

# Elements whose attributes would fetch or link to the outside, and scripts from data.
FORBIDDEN_JS = """() => {
  const hits = [];
  const urlAttributes = ['href', 'src', 'srcset', 'xlink:href', 'action', 'formaction', 'poster', 'data', 'style'];
  for (const element of document.querySelectorAll('*')) {
    for (const name of urlAttributes) {
      const value = element.getAttribute(name);
      if (value && value.includes('evil.example')) hits.push(`${element.tagName} ${name}=${value}`);
    }
  }
  for (const script of document.querySelectorAll('script')) {
    if (script.textContent.includes('alert(1)')) hits.push('SCRIPT ' + script.textContent);
  }
  return hits;
}"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    directory = tmp_path_factory.mktemp("hostile_browser")
    db_path = build_hostile_database(directory)
    users_file = directory / "users.yaml"
    users.add_user(users_file, LEADER, "县领导(测试)", PASSWORD, "leader")
    process, url = start_app(db_path, {"DASHBOARD_AUTH": "on", "DASHBOARD_USERS": str(users_file)})
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture
def guarded(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A tab whose every request passes a route: one to evil.example is recorded and aborted; any
    alert dialog is recorded too."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    attempts: list[str] = []

    def route(r: Route) -> None:
        if EVIL_HOST in r.request.url:
            attempts.append(r.request.url)
            r.abort()
        else:
            r.continue_()

    context.route("**/*", route)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (attempts.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield tab, attempts
    context.close()


def sign_in(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    page.get_by_label("用户名").fill(LEADER)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("县领导(测试)")).to_be_visible()


def assert_nothing_from_data(page: Page, where: str) -> None:
    expect(page.locator(f'a[href*="{EVIL_HOST}"]')).to_have_count(0)
    expect(page.locator(f'img[src*="{EVIL_HOST}"]')).to_have_count(0)
    assert page.evaluate(FORBIDDEN_JS) == [], where


def open_page(page: Page, url: str, path: str, query: str = "") -> None:
    page.goto(f"{url}/{path}?{as_of_query()}{query}")
    wait_for_app(page, timeout_ms=90000)
    page.wait_for_timeout(800)  # plotly draws after the script has finished


def test_no_link_image_or_script_from_data_on_any_page(
    guarded: tuple[Page, list[str]], hostile_app: str
) -> None:
    """Every dashboard page and projector screen as the leader: the names show as text, nothing
    they contain is linked, loaded or run."""
    page, attempts = guarded
    sign_in(page, hostile_app)
    for path in PAGES:
        open_page(page, hostile_app, path)
        expect(page.get_by_test_id("stException")).to_have_count(0)
        assert_nothing_from_data(page, path)
    for screen in DISPATCH_SCREENS:
        open_page(page, hostile_app, "dispatch", f"&screen={screen}")
        assert_nothing_from_data(page, f"dispatch screen {screen}")
    assert attempts == []


def test_project_record_shows_the_phishing_name_as_plain_text(
    guarded: tuple[Page, list[str]], hostile_app: str
) -> None:
    """项目库: the record of the project named 「[请点此重新登录](http://evil.example/login)…」 has
    that name as its heading, character for character, and no link."""
    page, attempts = guarded
    sign_in(page, hostile_app)
    open_page(page, hostile_app, "projects")
    main = page.get_by_test_id("stMain")
    main.get_by_test_id("stSelectbox").filter(has_text="查看项目").locator("input").click()
    page.keyboard.type("请点此重新登录")
    page.keyboard.press("Enter")
    wait_for_app(page)
    heading = main.locator("h3").filter(has_text="请点此重新登录").first
    expect(heading).to_be_visible()
    # the word joiner that stops GFM's autolink is invisible; apart from it the heading is the name
    shown = heading.inner_text()
    assert shown.replace("\u2060", "").startswith("[请点此重新登录](http://evil.example/login)")
    expect(main.get_by_text("投资企业", exact=False).first).to_be_visible()
    page.mouse.move(800, 700)  # hover over the funds chart, so its hover label is drawn too
    screenshot(page, "hostile_names_project_record")
    assert_nothing_from_data(page, "project record")
    assert attempts == []


def test_charts_show_tag_names_as_text(guarded: tuple[Page, list[str]], hostile_app: str) -> None:
    """乡镇赛马: a unit named 「<a href=…>链接</a>…」 is a bar label that reads exactly so in the chart."""
    page, attempts = guarded
    sign_in(page, hostile_app)
    open_page(page, hostile_app, "race")
    labels = page.locator(".js-plotly-plot .ytick text").all_text_contents()
    assert any(text.startswith('<a href="http://evil.example/a">链接</a>') for text in labels), labels
    assert any(text.startswith("<img src=http://evil.example/y.png>") for text in labels), labels
    screenshot(page, "hostile_names_race")
    assert attempts == []
