"""公文 typography of the generated documents on the demo county: no ASCII punctuation between
Chinese characters, dates written 11月30日 (never 2026-11-30 or 12-10), no space between a number
and its Chinese unit (「项目0个」)."""

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
from analytics.documents.typography import gongwen
from tests.demo_db import DEMO_TODAY, build_demo_database

CJK = r"[\u3400-\u9fff]"
ASCII_BETWEEN_CJK = re.compile(rf"{CJK} *[,;:!?()] *{CJK}")
ASCII_AFTER_CJK = re.compile(rf"{CJK} *[,;:!?]")
ISO_OR_MONTH_DAY = re.compile(r"(?<![\d-])(\d{4}-)?\d{2}-\d{2}(?![\d-])")
NUMBER_SPACE_UNIT = re.compile(rf"\d +{CJK}")


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    con: duckdb.DuckDBPyConnection = open_database(build_demo_database(tmp_path_factory.mktemp("gongwen")))
    settings = effective_settings(con, {})
    yield {
        "weekly": weekly.weekly_docx(weekly.weekly_figures(con, DEMO_TODAY, settings)),
        "bulletin": bulletin.bulletin_docx(bulletin.bulletin_figures(con, "2026-10", settings, DEMO_TODAY)),
    }
    con.close()


def texts(data: bytes) -> tuple[list[str], list[str]]:
    """(body paragraphs, table cells) of a .docx."""
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return [p.text for p in document.paragraphs], cells


@pytest.mark.parametrize("name", ["weekly", "bulletin"])
def test_generated_documents_use_chinese_punctuation_dates_and_spacing(
    documents: dict[str, bytes], name: str
) -> None:
    paragraphs, cells = texts(documents[name])
    checks = [
        (t, (ASCII_BETWEEN_CJK, ASCII_AFTER_CJK, ISO_OR_MONTH_DAY, NUMBER_SPACE_UNIT)) for t in paragraphs
    ]
    # Table cells may hold a bare ISO date (a date column); their Chinese text follows the same rules.
    checks += [(t, (ASCII_BETWEEN_CJK, ASCII_AFTER_CJK, NUMBER_SPACE_UNIT)) for t in cells]
    found = [
        f"{text[max(0, m.start() - 8) : m.end() + 8]!r}"
        for text, patterns in checks
        for pattern in patterns
        for m in pattern.finditer(text)
    ]
    assert found == [], "\n".join(found[:30])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("还需投产 9 个;2026年签约项目", "还需投产9个；2026年签约项目"),
        ("47 个(已核销 0)", "47个（已核销0）"),
        ("供地(计划 2026-09-06,已超期 3 天)", "供地（计划2026年9月6日，已超期3天）"),
        ("规划(县自然资源局,12-10 前)", "规划（县自然资源局，12月10日前）"),
        ("金额 1,400 万元", "金额1,400万元"),  # a thousands separator stays
        ("截至 2026-11-20 10:05", "截至2026年11月20日 10:05"),  # a time keeps its space
        ("Nova Tech, Ltd.", "Nova Tech, Ltd."),  # no Chinese: untouched
    ],
)
def test_gongwen_rewrites_one_text(raw: str, expected: str) -> None:
    assert gongwen(raw) == expected
