"""Item 9: text lengths are bounded and control characters refused, in imports and in forms alike.

Limits (analytics/schema.py, docs/data-format.md): ids 64 characters, names and other short texts
200, a problem's description and a project's note 2,000. NUL and every other control character is
refused; the two long free texts still take line breaks and tabs. Each refusal names table, row,
column, the value (cut short, the NUL written as an escape) and the limit; nothing is written.
"""

from __future__ import annotations

import pytest

from analytics.core.schema import (
    ID_MAX_CHARS,
    LONG_TEXT_MAX_CHARS,
    MAX_SHARED_STRINGS,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_MB,
    MAX_UPLOAD_MB,
    NAME_MAX_CHARS,
)
from analytics.data.importer import ImportFailed, import_path
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.data_builders import valid_tables, write_csv_folder, write_xlsx
from tests.entry_fixtures import CLERK_T01, small_county
from tests.security.import_helpers import REPO, snapshot

MILLION = "企" * 1_000_000


@pytest.fixture
def county(tmp_path):
    con = open_database(":memory:")
    import_path(con, write_csv_folder(tmp_path / "tiny", valid_tables()), actor="test", source="测试")
    yield con
    con.close()


def _refused(con, path) -> list:
    before = snapshot(con)
    with pytest.raises(ImportFailed) as failed:
        import_path(con, path, actor="test", source="测试")
    assert snapshot(con) == before
    return failed.value.errors


def test_a_million_character_company_name_is_refused_naming_the_cell(tmp_path, county):
    tables = valid_tables()
    tables["projects"][0]["company"] = MILLION  # P001, row 2 (a CSV: Excel cells stop at 32,767)
    errors = _refused(county, write_csv_folder(tmp_path / "long", tables))
    assert [(e.table, e.row, e.column) for e in errors] == [("projects", 2, "company")]
    [error] = errors
    assert error.expected_zh == "不超过 200 个字符的文本(此值有 1000000 个字符)"
    # the value is shown cut to 60 characters, with its length
    assert error.value == "企" * 60 + "…(共 1000000 个字符 / 1000000 characters)"
    assert len(str(error)) < 400

    tables["projects"][0]["company"] = "企" * 32_767  # the longest text an Excel cell holds
    errors = _refused(county, write_xlsx(tmp_path / "long.xlsx", tables))
    assert [(e.table, e.row, e.column, e.expected_zh) for e in errors] == [
        ("projects", 2, "company", "不超过 200 个字符的文本(此值有 32767 个字符)")
    ]


def test_a_nul_byte_is_refused_and_line_breaks_stay_allowed_in_long_text(tmp_path, county):
    tables = valid_tables()
    tables["projects"][1]["name"] = "电子\x00元件"  # P002, row 3: NUL is the 3rd character
    tables["projects"][0]["note"] = "第一行\n第二行\t附注"  # a note may span lines: accepted
    tables["leads"][1]["company"] = "某\x1b[31m企业"  # an ANSI escape in a short text, row 3
    tables["problems"][0]["description"] = "用地\x07指标"  # BEL: refused even in long text, row 2
    tables["units"][0]["name"] = "城关\n镇"  # a line break in a short text, row 2
    errors = _refused(county, write_csv_folder(tmp_path / "nul", tables))
    assert [(e.table, e.row, e.column, e.value) for e in errors] == [
        ("units", 2, "name", "城关\\n镇"),
        ("projects", 3, "name", "电子\\x00元件"),
        ("leads", 3, "company", "某\\x1b[31m企业"),
        ("problems", 2, "description", "用地\\x07指标"),
    ]
    by_table = {e.table: e for e in errors}
    assert by_table["projects"].expected_zh == "不含控制字符的文本:第 3 个字符是控制字符 U+0000"
    assert by_table["problems"].expected_zh == (
        "不含控制字符的文本(可含换行和制表符):第 3 个字符是控制字符 U+0007"
    )
    assert "\x00" not in str(by_table["projects"])

    tables["projects"][1]["name"] = "电子元件出口基地"
    tables["leads"][1]["company"] = "某新能源企业"
    tables["problems"][0]["description"] = "用地指标未落实"
    tables["units"][0]["name"] = "城关镇"
    import_path(county, write_csv_folder(tmp_path / "ok", tables), actor="test", source="测试")
    note = county.execute("SELECT note FROM projects WHERE project_id = 'P001'").fetchall()
    assert note == [("第一行\n第二行\t附注",)]


def test_id_and_long_text_limits(tmp_path, county):
    tables = valid_tables()
    tables["squads"][1]["squad_id"] = "S" * 65  # SQ02 (referenced by nothing), row 3: 65 > 64
    tables["problems"][0]["description"] = "问" * 2001  # row 2: 2,001 > 2,000
    tables["projects"][2]["note"] = "备" * 2000  # exactly the limit: fine
    errors = _refused(county, write_csv_folder(tmp_path / "ids", tables))
    assert [(e.table, e.row, e.column, e.expected_zh) for e in errors] == [
        ("squads", 3, "squad_id", "不超过 64 个字符的编码(此值有 65 个字符)"),
        ("problems", 2, "description", "不超过 2000 个字符的文本(此值有 2001 个字符)"),
    ]


def test_forms_refuse_the_same_values_through_the_importers_validator(tmp_path):
    """report_lead validates through importer.validate_table_rows: the same limits, nothing saved."""
    con = open_database(small_county(tmp_path))
    try:
        before = snapshot(con)
        for company, expected in [
            (MILLION, "不超过 200 个字符的文本(此值有 1000000 个字符)"),
            ("华\x00材", "不含控制字符的文本:第 2 个字符是控制字符 U+0000"),
        ]:
            with pytest.raises(entry.FormInvalid) as invalid:
                entry.report_lead(
                    con,
                    CLERK_T01,
                    company=company,
                    industry_id="i1",
                    intended_investment_wan=100,
                    tier="general",
                )
            assert [(i.table, i.column, i.expected_zh) for i in invalid.value.issues] == [
                ("leads", "company", expected)
            ]
            assert len(invalid.value.messages[0]) < 400
        assert snapshot(con) == before
    finally:
        con.close()


def test_the_clerks_guide_names_every_limit():
    doc = (REPO / "docs" / "data-format.md").read_text(encoding="utf-8")
    section = doc.split("## 四、上限", 1)[1].split("\n## ", 1)[0]
    for text in (
        f"| {ID_MAX_CHARS} 个字符 |",
        f"| {NAME_MAX_CHARS} 个字符 |",
        f"| {LONG_TEXT_MAX_CHARS} 个字符 |",
        f"| {MAX_SHEET_ROWS:,} 行数据",
        f"| {MAX_SHEET_COLUMNS} 列",
        f"| {MAX_UPLOAD_MB} MB |",
        f"| {MAX_UNPACKED_MB} MB |",
        f"| {MAX_SHARED_STRINGS:,} |",
        "控制字符",
    ):
        assert text in section, text
    assert "--allow-shrink" in doc
