"""A real ``streamlit run`` of the app on a free port and a real Chromium driven by Playwright.

The browser is Debian's /usr/bin/chromium (no browser download is possible); `.ci/run` installs it.
Screenshots go to artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.demo_db import DEMO_TODAY, build_demo_database

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(db_path: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` against ``db_path``; wait until /_stcore/health says ok."""
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db_path), **(extra_env or {})}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read() == b"ok":
                    return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    output = process.stdout.read().decode(errors="replace") if process.stdout else ""
    raise RuntimeError(f"streamlit did not start:\n{output}")


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_database(tmp_path_factory.mktemp("browser_demo"))


@pytest.fixture(scope="session")
def app_url(demo_db: Path) -> Iterator[str]:
    # No sign-in (DASHBOARD_AUTH=off: everyone acts as the investment office) for the page tests;
    # tests/browser/test_signin.py starts its own app with sign-in on.
    process, url = start_app(demo_db, {"DASHBOARD_AUTH": "off"})
    yield url
    process.terminate()
    process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    yield tab
    context.close()


def wait_for_app(page: Page, timeout_ms: int = 30000) -> None:
    """Streamlit has finished a run when the script is not running and no skeleton is left.

    On a fresh server the state reads ``notRunning`` before the first run starts, so also wait
    for the main area to hold something, then check once more after a short pause.
    """
    finished = "[data-testid='stApp'][data-test-script-state='notRunning']"
    for _ in range(2):
        page.wait_for_selector(finished, state="attached", timeout=timeout_ms)
        page.wait_for_function(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return m && m.innerText.trim().length > 0"
            " && document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0; }",
            timeout=timeout_ms,
        )
        page.wait_for_timeout(400)


def screenshot(page: Page, name: str, *, full: bool = True) -> Path:
    """Save a screenshot; ``full`` grows the viewport to the whole main area first (stMain scrolls)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if full:
        height = page.evaluate(
            "() => { const m = document.querySelector(\"[data-testid='stMain']\");"
            " return m ? m.scrollHeight : document.body.scrollHeight; }"
        )
        width = page.viewport_size["width"] if page.viewport_size else 1600
        page.set_viewport_size({"width": width, "height": min(max(int(height), 600), 12000)})
        page.wait_for_timeout(500)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def as_of_query() -> str:
    return f"year={DEMO_TODAY.year}&as_of={DEMO_TODAY.isoformat()}"
