"""模拟推演 in a real browser: open a saved scenario that lifts a township out of 蜗牛奖 and see the
baseline vs scenario comparison say so; screenshots before and after for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from analytics.whatif.scenario_store import save_scenario
from tests.browser.conftest import SCREENSHOTS, as_of_query, screenshot, start_app, wait_for_app
from tests.demo_db import DEMO_TODAY, build_demo_database
from tests.whatif_scenarios import snail_move

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def whatif_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Its own demo database with one saved scenario (saved before the app holds the file)."""
    db = build_demo_database(tmp_path_factory.mktemp("whatif_browser"))
    con = open_database(db)
    try:
        found = snail_move(con, Period(DEMO_TODAY.year, DEMO_TODAY), effective_settings(con))
        assert found is not None
        _, name, scenario = found
        save_scenario(con, scenario, f"{name}脱离蜗牛奖", actor="招商办")
    finally:
        con.close()
    process, url = start_app(Path(db), {"DASHBOARD_AUTH": "off"})
    yield url, name
    process.terminate()
    process.wait(timeout=20)


def test_saved_scenario_moves_a_township_off_the_snail(whatif_app: tuple[str, str], page: Page) -> None:
    url, name = whatif_app
    page.goto(f"{url}/whatif?{as_of_query()}")
    wait_for_app(page, timeout_ms=60000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("这是模拟推演").count() >= 1
    screenshot(page, "whatif_baseline")

    page.set_viewport_size({"width": 1600, "height": 1000})
    page.get_by_role("tab", name="④ 方案管理").click()
    page.get_by_role("button", name="打开").click()
    wait_for_app(page, timeout_ms=60000)
    page.wait_for_timeout(800)
    wait_for_app(page, timeout_ms=60000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text(f"{name}不再是蜗牛奖").count() >= 1
    page.get_by_role("tab", name="乡镇与部门排名").click()
    page.wait_for_timeout(500)
    screenshot(page, "whatif_snail_scenario")
    top = page.locator("[data-testid='stMain']")
    top.evaluate("m => m.scrollTo(0, 0)")
    page.set_viewport_size({"width": 1600, "height": 1000})
    page.get_by_text("推演结果:基线 与 推演 对比").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "whatif_snail_results.png"))
