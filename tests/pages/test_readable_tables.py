"""Drill-downs and Excel downloads show names and Chinese labels, never raw ids or codes.

Two paths: every figure key ``rows_behind`` answers, through the display path the pages use
(``drilldown.rows_for_display``); and every page in an AppTest with every 「显示明细」 toggle on,
scanning each table shown and the workbook of each download (the download's data is produced the
way the browser would ask for it). A cell fails when it equals a unit, township, industry or squad
id of the demo county or an enum code (the contract's choices and ``analytics.core.labels``), reads
None/NaN/NaT, or carries a midnight time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import duckdb
import openpyxl
import pandas as pd
import pytest
import streamlit as st

from analytics.core.labels import ALL_CODE_LABELS
from analytics.core.period import Period
from analytics.metrics.definitions import definitions
from analytics.screens import drilldown
from analytics.screens.readable import readable, tidy_cells
from tests.pages.conftest import AppFactory

PAGES = (
    "app_pages/cockpit.py",
    "app_pages/landing.py",
    "app_pages/industry.py",
    "app_pages/race.py",
    "app_pages/squads.py",
    "app_pages/projects.py",
    "app_pages/progress.py",
    "app_pages/leads.py",
    "app_pages/bulletin.py",
    "app_pages/office.py",
    "app_pages/account.py",
    "app_pages/verify.py",
)
BAD_TEXT = ("None", "nan", "NaN", "NaT", "<NA>")


@pytest.fixture(scope="module")
def raw_codes(expected_con: duckdb.DuckDBPyConnection) -> set[str]:
    ids = {
        row[0]
        for sql in (
            "SELECT unit_id FROM units",
            "SELECT industry_id FROM industries",
            "SELECT squad_id FROM squads",
        )
        for row in expected_con.execute(sql).fetchall()
    }
    # Codes of one or two characters or digits only (township class 1/2) are ordinary cell values.
    codes = {code for code in ALL_CODE_LABELS if len(code) > 2 and not code.isdigit()}
    return ids | codes


def bad_cells(frame: pd.DataFrame, raw: set[str], where: str) -> list[str]:
    found = []
    for column in frame.columns:
        for value in frame[column].tolist():
            text = str(value)
            if isinstance(value, str) and value in raw:
                found.append(f"{where} [{column}] code {value!r}")
            elif isinstance(value, str) and value in BAD_TEXT:
                found.append(f"{where} [{column}] {value!r}")
            elif value is None or (not isinstance(value, str) and pd.isna(value) is True):
                if pd.api.types.is_object_dtype(frame[column]):
                    found.append(f"{where} [{column}] missing shown as {value!r}")
            elif "00:00:00" in text:
                found.append(f"{where} [{column}] time {text!r}")
    return found


def workbook_cells(data: bytes) -> pd.DataFrame:
    """Every non-empty cell as Excel shows it (a date cell formatted without hours reads as a date)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                if cell.is_date and "h" not in cell.number_format.lower():
                    cells.append(cell.value.date().isoformat())
                else:
                    cells.append(cell.value)
    return pd.DataFrame({"cell": cells}, dtype=object)


def test_every_figure_behind_shows_names_and_labels(
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
    raw_codes: set[str],
) -> None:
    found, opened = [], 0
    for key in definitions(demo_settings):
        try:
            frame = drilldown.rows_for_display(expected_con, demo_period, demo_settings, key)
        except drilldown.UnknownFigure:
            continue
        opened += 1
        found += bad_cells(frame, raw_codes, key)
    assert opened >= 20, opened  # the county, unit, landing, concentration, rewards and supervision figures
    assert found == [], "\n".join(found[:30])


def test_the_rows_behind_named_in_the_issue_read_as_names(
    expected_con: duckdb.DuckDBPyConnection, demo_period: Period, demo_settings: dict[str, Any]
) -> None:
    """A signed project's row: the introducing unit by name, 省外/省内/外资, a date without time."""
    raw = drilldown.rows_behind(expected_con, demo_period, demo_settings, "county.signed_projects")
    row = raw.iloc[0]
    unit_name = expected_con.execute(
        "SELECT name FROM units WHERE unit_id = ?", [row["introducing_unit_id"]]
    ).fetchone()[0]
    shown = drilldown.rows_for_display(expected_con, demo_period, demo_settings, "county.signed_projects")
    first = shown.iloc[0]
    assert first["引进单位"] == unit_name
    assert first["资金来源"] in {"省内", "省外", "外资"}
    assert str(first["签约日期"]) == str(pd.Timestamp(row["signed_date"]).date())


def test_readable_replaces_ids_codes_times_and_blanks(expected_con: duckdb.DuckDBPyConnection) -> None:
    unit_id, unit_name = expected_con.execute("SELECT unit_id, name FROM units ORDER BY unit_id").fetchone()
    frame = pd.DataFrame({
        "introducing_unit_id": [unit_id, None],
        "source": ["out_of_province", "in_province"],
        "signed_date": pd.to_datetime(["2026-03-01", None]),
        "note": ["x", None],
        "is_key": [True, False],
    })  # fmt: skip
    out = readable(expected_con, frame)
    assert out["introducing_unit_name"].tolist() == [unit_name, ""]
    assert out["source"].tolist() == ["省外", "省内"]
    assert [str(v) for v in out["signed_date"]] == ["2026-03-01", ""]
    assert out["note"].tolist() == ["x", ""]
    assert out["is_key"].tolist() == ["是", "否"]
    # A Chinese table handed to a download: a code-only column gets its labels, nothing else changes.
    assert tidy_cells(pd.DataFrame({"状态": ["behind", "met"]}))["状态"].tolist() == ["滞后", "已完成"]


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, bytes]]]:
    """Every download button's file, produced as the browser would ask for it."""
    captured: list[tuple[str, bytes]] = []
    original = st.download_button

    def capture(label: str, data: Any = None, file_name: str | None = None, **kwargs: Any) -> Any:
        content = data() if callable(data) else data
        if isinstance(content, bytes) and (file_name or "").endswith(".xlsx"):
            captured.append((file_name or label, content))
        return original(label, data=content, file_name=file_name, **kwargs)

    monkeypatch.setattr(st, "download_button", capture)
    yield captured


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.split("/")[-1])
def test_every_table_and_download_of_a_page_reads_as_names(
    app_test: AppFactory, page: str, raw_codes: set[str], downloads: list[tuple[str, bytes]]
) -> None:
    at = app_test(page)
    assert not at.exception
    toggles = [t for t in at.toggle if t.label == "显示明细"]
    for toggle in toggles:
        toggle.set_value(True)
    if toggles:
        at.run()
        assert not at.exception
    found = []
    for number, element in enumerate(at.dataframe):
        found += bad_cells(element.value, raw_codes, f"{page} table {number}")
    for name, data in downloads:
        found += bad_cells(workbook_cells(data), raw_codes, f"{page} {name}")
    assert found == [], "\n".join(found[:30])
