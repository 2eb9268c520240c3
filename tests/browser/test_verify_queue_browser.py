"""The 核验 queue in a real browser: a photo shown inline and a PDF offered as a download
(sign-in off: the office). The screenshot goes to artifacts/screenshots/verify_queue.png."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import Page

from analytics.data.store import open_database
from analytics.entry import verification
from tests.browser.conftest import as_of_query, screenshot, start_app, wait_for_app
from tests.entry_fixtures import OFFICE

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def site_photo() -> bytes:
    """A small PNG standing in for a photo of a construction site."""
    image = Image.new("RGB", (480, 270), (176, 196, 222))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 190, 480, 270), fill=(139, 115, 85))
    draw.rectangle((60, 80, 200, 190), fill=(220, 220, 220), outline=(90, 90, 90), width=3)
    draw.rectangle((260, 40, 300, 190), fill=(255, 165, 0))
    draw.line((280, 40, 420, 40), fill=(255, 165, 0), width=6)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def verify_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict]]:
    """The demo county copied, the oldest waiting milestone given a photo and a PDF; an app on it."""
    path = tmp_path_factory.mktemp("verify_browser") / "demo.duckdb"
    shutil.copyfile(demo_db, path)
    con = open_database(path)
    try:
        first = verification.queue(con).iloc[0].to_dict()
        verification.attach_evidence(
            con, OFFICE, first["kind"], first["record_key"], "开工现场.png", site_photo()
        )
        verification.attach_evidence(con, OFFICE, first["kind"], first["record_key"], "施工许可证.pdf", PDF)
    finally:
        con.close()
    process, url = start_app(path, {"DASHBOARD_AUTH": "off"})
    yield url, first
    process.terminate()
    process.wait(timeout=20)


def test_the_queue_shows_the_evidence(page: Page, verify_url: tuple[str, dict]) -> None:
    url, first = verify_url
    page.goto(f"{url}/verify?{as_of_query()}")
    wait_for_app(page)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text()
    for label in ("核验", "核验材料", "确认核验", "退回原因(必填)", "开工现场.png"):
        assert label in text, f"「{label}」 not shown"
    assert main.locator("[data-testid='stImage'] img").count() == 1  # the photo, inline
    assert main.get_by_role("button", name="下载 施工许可证.pdf").count() == 1  # the PDF, as a download
    screenshot(page, "verify_queue")
