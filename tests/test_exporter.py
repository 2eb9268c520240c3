"""The exporter: the contract format back out, round-tripping to identical tables."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pandas as pd
import pytest
from data_builders import valid_tables, write_csv_folder

from analytics.core.schema import TABLES
from analytics.data.exporter import export_dataset
from analytics.data.importer import import_path
from analytics.data.store import open_database

AWKWARD_TEXTS = {
    ("projects", 0, "company"): '=HYPERLINK("http://x","点我")',
    ("projects", 1, "company"): "-负号贸易有限公司",
    ("projects", 2, "name"): "+86 项目",
    ("projects", 2, "note"): "@备注, 含逗号\n和换行",
    ("leads", 1, "company"): "'=已加引号",
    ("industries", 1, "name"): '文化"旅游"',
}


def contents(con) -> dict[str, pd.DataFrame]:
    return {
        t.name: con.execute(f"SELECT {', '.join(t.column_names)} FROM {t.name} ORDER BY rowid").df()
        for t in TABLES
    }


@pytest.fixture
def awkward_db(tmp_path, db):
    """The tiny county, with texts that look like formulas, quotes, commas and new lines."""
    tables = valid_tables()
    for (table, index, column), text in AWKWARD_TEXTS.items():
        tables[table][index][column] = text
    tables["leads"][0]["reported_at"] = "2024-01-05 09:30:59"
    source = write_csv_folder(tmp_path / "source", tables)
    import_path(db, source, actor="test", source="test")
    # The CSV guard removes one apostrophe on import: what is stored is the plain text.
    stored = {
        (t, i, c): db.execute(f"SELECT {c} FROM {t} ORDER BY rowid").fetchall()[i][0]
        for (t, i, c) in AWKWARD_TEXTS
    }
    assert stored[("projects", 0, "company")] == '=HYPERLINK("http://x","点我")'
    assert stored[("leads", 1, "company")] == "=已加引号"
    return db


@pytest.mark.parametrize("target", ["out.xlsx", "out_csv"])
def test_export_then_import_gives_identical_tables(tmp_path, awkward_db, target):
    written = export_dataset(awkward_db, tmp_path / target)
    again = open_database(":memory:")
    try:
        import_path(again, written, actor="test", source="test")
        before, after = contents(awkward_db), contents(again)
        for name in before:
            pd.testing.assert_frame_equal(before[name], after[name], obj=name)
    finally:
        again.close()


def test_xlsx_is_in_chinese_with_real_date_cells_and_no_formulas(tmp_path, awkward_db):
    path = export_dataset(awkward_db, tmp_path / "county.xlsx")
    wb = openpyxl.load_workbook(path)  # not read-only: to see data types and formats
    assert wb.sheetnames == [t.zh for t in TABLES]
    ws = wb["项目"]
    assert [c.value for c in ws[1]][:5] == ["项目编码", "项目名称", "投资企业", "产业编码", "总投资(万元)"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["C"].width >= 20
    first = {ws.cell(1, i).value: ws.cell(2, i) for i in range(1, ws.max_column + 1)}
    assert first["投资企业"].data_type == "s"  # text, not a formula
    assert first["投资企业"].value == '=HYPERLINK("http://x","点我")'
    assert first["签约日期"].is_date and first["签约日期"].number_format == "yyyy-mm-dd"
    assert first["签约日期"].value == datetime(2024, 2, 10)
    assert first["总投资(万元)"].value == 12000 and first["总投资(万元)"].number_format == "#,##0.00"
    assert first["资金来源"].value == "省外" and first["生产型出口企业"].value == "否"
    assert first["5020项目"].value == "是"
    assert all(c.data_type != "f" for sheet in wb.worksheets for row in sheet.iter_rows() for c in row)
    leads = wb["招商信息"]
    assert leads["B2"].value == datetime(2024, 1, 5, 9, 30, 59) and leads["B2"].is_date
    targets = wb["目标任务"]
    # The county's signed_projects is 新签约项目; a unit's is 项目引进 (schema.COUNTY/UNIT_METRICS).
    assert [targets.cell(r, 3).value for r in range(2, 6)] == [
        "新签约项目",
        "实际利用外资(万美元)",
        "项目引进",
        "有效信息",
    ]


def test_csv_is_english_utf8_with_bom_and_guards_formulas(tmp_path, awkward_db):
    folder = export_dataset(awkward_db, tmp_path / "csv")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{t.name}.csv" for t in TABLES)
    raw = (folder / "projects.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("project_id,name,company,")
    assert "'=HYPERLINK" in text and "'-负号贸易有限公司" in text and "'+86 项目" in text
    assert ",12000,out_of_province,false," in text  # codes, plain numbers, true/false
    assert "2024-02-10" in text
    leads = (folder / "leads.csv").read_text(encoding="utf-8-sig")
    assert ",'=已加引号," in leads and "2024-01-05 09:30:59" in leads


def test_export_writes_contract_columns_only(tmp_path, awkward_db):
    folder = export_dataset(awkward_db, tmp_path / "csv")
    header = (folder / "projects.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.split(",") == TABLES[3].column_names  # no row_version or other internal column


def test_export_of_an_empty_database_is_a_valid_template(tmp_path, db):
    book = export_dataset(db, tmp_path / "template.xlsx")
    again = open_database(":memory:")
    try:
        summary = import_path(again, book, actor="test", source="test")
        assert set(summary.row_counts.values()) == {0}
    finally:
        again.close()
