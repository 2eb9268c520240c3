"""A double click on a form's submit button stores the row once (submission token in session state)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.demo_db import DEMO_TODAY
from tests.pages.conftest import APP
from ui.frame import _shared_connection
from ui.submit_guard import DUPLICATE_MESSAGE

COMPANY = "双击测试科技有限公司"


@pytest.fixture
def own_db(demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo county: this test writes, the other page tests read the shared file."""
    copy = tmp_path / "double_submit.duckdb"
    shutil.copyfile(demo_db_path, copy)
    monkeypatch.setenv("DASHBOARD_DB", str(copy))
    return copy


def leads_of(db: Path) -> int:
    return (
        _shared_connection(str(db))
        .cursor()
        .execute("SELECT count(*) FROM leads WHERE company = ?", [COMPANY])
        .fetchone()[0]
    )


def test_pressing_report_twice_stores_the_lead_once(own_db: Path) -> None:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.session_state["global_year"] = DEMO_TODAY.year
    at.session_state["global_as_of"] = DEMO_TODAY
    at.switch_page("app_pages/entry.py")
    at.run()
    at.text_input(key="entry_lead_company").input(COMPANY)
    at.text_input(key="entry_lead_amount").input("5000")
    submit = next(b for b in at.button if b.label == "报送")
    submit.click().run()
    assert not at.exception
    assert leads_of(own_db) == 1
    submit = next(b for b in at.button if b.label == "报送")
    submit.click().run()  # the second press of a double click: same form, same values
    assert not at.exception
    assert leads_of(own_db) == 1
    assert any(DUPLICATE_MESSAGE in str(info.value) for info in at.info)
    # A changed value is a new submission (a second, different lead is stored).
    at.text_input(key="entry_lead_amount").input("6000")
    next(b for b in at.button if b.label == "报送").click().run()
    assert leads_of(own_db) == 2
