"""What a county records with a lead: 联系人 (contact_person), 项目内容 (project_content) and
投资方来源 (investor_origin), optional columns of ``leads``.

Through the importer they are read from English or Chinese headers; a file without them (a v1 or
v2 file) imports exactly as before, the columns blank; a value too long is refused naming table,
row (as the user sees it, header = row 1) and column, and nothing changes. The exporter writes them
and export → import gives them back. The lead form stores them (blank stays blank).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pytest
from data_builders import valid_tables, write_csv_folder, write_xlsx
from test_import_v2 import assert_same, checksum, contents

from analytics.core.schema import TABLES, TABLES_BY_NAME
from analytics.data.exporter import export_dataset
from analytics.data.importer import ImportFailed, import_path
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.entry_fixtures import CLERK_T01, small_county

DETAILS = ("contact_person", "project_content", "investor_origin")
DETAILS_ZH = ("联系人", "项目内容", "投资方来源")


def detailed_tables() -> dict[str, list[dict]]:
    """The tiny county of ``data_builders`` with L001 (row 2) and L002 (row 3) carrying details."""
    tables = valid_tables()
    tables["leads"][0].update(
        contact_person="王经理 13800000000",
        project_content="年产5万吨新型建材生产线\n二期:研发中心",  # long free text may span lines
        investor_origin="省外",
    )
    tables["leads"][1].update(contact_person="李女士", investor_origin="江苏苏州")
    return tables


def stored_details(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT lead_id, contact_person, project_content, investor_origin FROM leads ORDER BY lead_id"
    ).fetchall()


EXPECTED = [
    ("L001", "王经理 13800000000", "年产5万吨新型建材生产线\n二期:研发中心", "省外"),
    ("L002", "李女士", None, "江苏苏州"),
]


def test_the_schema_names_the_columns_in_english_and_chinese() -> None:
    leads = TABLES_BY_NAME["leads"]
    assert [(leads.column(c).zh, leads.column(c).required) for c in DETAILS] == [
        ("联系人", False),
        ("项目内容", False),
        ("投资方来源", False),
    ]
    # the limits of the other free texts: 200 for a short text, 2,000 (lines allowed) for content
    assert [leads.column(c).char_limit for c in DETAILS] == [200, 2000, 200]
    assert [leads.column(c).multiline for c in DETAILS] == [False, True, False]


@pytest.mark.parametrize("container", ["csv", "xlsx"])
def test_present_details_are_imported_from_chinese_headers(tmp_path: Path, db, container: str) -> None:
    tables = detailed_tables()
    if container == "csv":
        source = write_csv_folder(tmp_path / "in", tables, chinese_headers=True)
        header = (source / "leads.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header[-3:] == list(DETAILS_ZH)
    else:
        source = write_xlsx(tmp_path / "in.xlsx", tables, chinese_names=True, chinese_headers=True)
    import_path(db, source, actor="test", source="test")
    assert stored_details(db) == EXPECTED


def _without_details() -> dict[str, list[str]]:
    return {t.name: [c for c in t.column_names if c not in DETAILS] for t in TABLES}


def test_a_file_without_the_columns_imports_unchanged_and_blank(tmp_path: Path) -> None:
    """The tiny county written without the three columns gives the same tables as written with them
    present and blank; the three columns come out blank."""
    older = write_csv_folder(tmp_path / "older", valid_tables(), columns=_without_details())
    assert "contact_person" not in (older / "leads.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    blank = write_csv_folder(tmp_path / "blank", valid_tables())
    one, two = open_database(":memory:"), open_database(":memory:")
    try:
        import_path(one, older, actor="test", source="test")
        import_path(two, blank, actor="test", source="test")
        assert_same(contents(one), contents(two))
        assert stored_details(one) == [("L001", None, None, None), ("L002", None, None, None)]
        # every other lead column holds what the file says (read back independently of the importer)
        assert one.execute(
            "SELECT lead_id, company, intended_investment_wan, tier, status FROM leads ORDER BY lead_id"
        ).fetchall() == [
            ("L001", "华材科技有限公司", 10000.0, "major", "valid"),
            ("L002", "某新能源企业", 0.0, "general", "pending"),
        ]
    finally:
        one.close()
        two.close()


@pytest.mark.parametrize(
    ("lead", "column", "value", "expected_zh"),
    [
        (1, "contact_person", "王" * 201, "不超过 200 个字符的文本(此值有 201 个字符)"),
        (0, "project_content", "产" * 2001, "不超过 2000 个字符的文本(此值有 2001 个字符)"),
        (0, "investor_origin", "省" * 201, "不超过 200 个字符的文本(此值有 201 个字符)"),
        (1, "contact_person", "王经理\n138", "不含控制字符的文本:第 4 个字符是控制字符 U+000A"),
    ],
)
def test_a_bad_detail_is_refused_naming_table_row_and_column_and_nothing_changes(
    tmp_path: Path, db, lead: int, column: str, value: str, expected_zh: str
) -> None:
    import_path(db, write_csv_folder(tmp_path / "first", detailed_tables()), actor="test", source="test")
    before = checksum(db)
    tables = detailed_tables()
    tables["leads"][lead][column] = value
    with pytest.raises(ImportFailed) as failed:
        import_path(db, write_csv_folder(tmp_path / "bad", tables), actor="test", source="test")
    assert [(e.table, e.row, e.column, e.expected_zh) for e in failed.value.errors] == [
        ("leads", lead + 2, column, expected_zh)  # row 2 is the first data row
    ]
    assert checksum(db) == before
    assert stored_details(db) == EXPECTED


def test_the_exact_limits_are_accepted(tmp_path: Path, db) -> None:
    tables = valid_tables()
    tables["leads"][0].update(
        contact_person="王" * 200, project_content="产" * 2000, investor_origin="省" * 200
    )
    import_path(db, write_csv_folder(tmp_path / "edge", tables), actor="test", source="test")
    assert stored_details(db)[0] == ("L001", "王" * 200, "产" * 2000, "省" * 200)


@pytest.mark.parametrize("target", ["out.xlsx", "out_csv"])
def test_export_writes_the_details_and_import_gives_them_back(tmp_path: Path, db, target: str) -> None:
    import_path(db, write_csv_folder(tmp_path / "in", detailed_tables()), actor="test", source="test")
    written = export_dataset(db, tmp_path / target)
    if target.endswith(".xlsx"):
        import openpyxl

        header = [c.value for c in openpyxl.load_workbook(written)["招商信息"][1]]
        assert header[-3:] == list(DETAILS_ZH)
    else:
        header = (written / "leads.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        assert header[-3:] == list(DETAILS)
    again = open_database(":memory:")
    try:
        import_path(again, written, actor="test", source="test")
        assert stored_details(again) == EXPECTED
        assert_same(contents(db), contents(again))
    finally:
        again.close()


# --- the lead form -------------------------------------------------------------------------------


@pytest.fixture
def county(tmp_path: Path):
    con = open_database(small_county(tmp_path))
    yield con
    con.close()


def _report(con, **details):
    return entry.report_lead(
        con,
        CLERK_T01,
        company="澄岭新材料有限公司",
        industry_id="i1",
        intended_investment_wan="800",
        tier="general",
        now=datetime(2026, 11, 20, 9, 30),
        **details,
    )


def test_the_form_stores_the_details(county) -> None:
    result = _report(
        county, contact_person=" 王经理 13800000000 ", project_content="新型建材", investor_origin="境外"
    )
    row = county.execute(
        "SELECT contact_person, project_content, investor_origin FROM leads WHERE lead_id = ?",
        [result.record_key],
    ).fetchall()
    assert row == [("王经理 13800000000", "新型建材", "境外")]  # surrounding spaces trimmed, as on import


def test_blank_details_are_stored_blank(county) -> None:
    result = _report(county, contact_person="", project_content="  ", investor_origin=None)
    row = county.execute(
        "SELECT contact_person, project_content, investor_origin FROM leads WHERE lead_id = ?",
        [result.record_key],
    ).fetchall()
    assert row == [(None, None, None)]


def test_the_form_refuses_a_too_long_contact_naming_its_column(county) -> None:
    before = county.execute("SELECT count(*) FROM leads").fetchall()
    with pytest.raises(entry.FormInvalid) as refused:
        _report(county, contact_person="王" * 201)
    assert [(i.column, i.expected_zh) for i in refused.value.issues] == [
        ("contact_person", "不超过 200 个字符的文本(此值有 201 个字符)")
    ]
    assert county.execute("SELECT count(*) FROM leads").fetchall() == before
