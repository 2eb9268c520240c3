"""Money in the generated documents (the weekly brief, the monthly bulletin): a unit is written once
— no 「万元万元」 in the text, and a table column whose header names its unit holds bare numbers."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import duckdb
import pytest
from docx import Document

from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from analytics.documents import bulletin, weekly
from tests.demo_db import DEMO_TODAY, build_demo_database

DOUBLED = re.compile(r"(万元|亿元|万美元)\s*(万元|亿元|万美元)")
HEADER_UNIT = re.compile(r"[（(](万元|亿元|万美元)[）)]")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Document]]:
    con: duckdb.DuckDBPyConnection = open_database(build_demo_database(tmp_path_factory.mktemp("units")))
    settings = effective_settings(con, {})
    built = {
        "weekly": weekly.weekly_docx(weekly.weekly_figures(con, DEMO_TODAY, settings)),
        "bulletin": bulletin.bulletin_docx(bulletin.bulletin_figures(con, "2026-10", settings, DEMO_TODAY)),
    }
    con.close()
    yield {name: Document(io.BytesIO(data)) for name, data in built.items()}


@pytest.mark.parametrize("name", ["weekly", "bulletin"])
def test_no_unit_is_written_twice(documents: dict[str, Document], name: str) -> None:
    document = documents[name]
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("万元" in t or "亿元" in t for t in texts)  # the scan reads money
    assert [t for t in texts if DOUBLED.search(t)] == []


def test_money_columns_name_their_one_unit_and_hold_bare_numbers(documents: dict[str, Document]) -> None:
    """The weekly brief's 进度清单 (总投资, 累计到位) and 滞后项目 (总投资): one unit per column, in
    the header; a cell never repeats it."""
    unit_columns = []
    for name, document in documents.items():
        for table in document.tables:
            header = [cell.text for cell in table.rows[0].cells]
            for index, title in enumerate(header):
                if HEADER_UNIT.search(title):
                    unit_columns.append((name, title))
                    cells = [row.cells[index].text for row in table.rows[1:]]
                    assert all(re.fullmatch(r"-?[\d,]+\.\d{2}|—", c) for c in cells), (title, cells)
    assert {title.split("（")[0] for _, title in unit_columns} >= {"总投资", "累计到位"}


def _units(cells: list[str]) -> set[str]:
    return {m.group(0) for c in cells if (m := re.search(r"(?<=\d)(万元|亿元)$", c))}


def test_amounts_that_are_compared_share_one_unit(documents: dict[str, Document]) -> None:
    """A row of one figure (表1's target and done, the weekly's this week / last week / change)
    writes its amounts in one unit; a column of one kind of amount does too."""
    mixed = []
    for name, document in documents.items():
        for table in document.tables:
            header = [cell.text for cell in table.rows[0].cells]
            rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
            mixed += [(name, row[0], sorted(_units(row))) for row in rows if len(_units(row)) > 1]
            if header[0] != "指标":  # a table of one figure per row mixes kinds down its columns
                for index, title in enumerate(header):
                    column = _units([row[index] for row in rows])
                    if len(column) > 1:
                        mixed.append((name, title, sorted(column)))
    assert mixed == []
