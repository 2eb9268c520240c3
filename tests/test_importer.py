"""The importer: reading CSV folders and workbooks, every contract rule, all-or-nothing writes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from data_builders import valid_tables, write_csv_folder, write_xlsx

from analytics.core.schema import TABLES, TABLES_BY_NAME
from analytics.data.importer import (
    ImportFailed,
    References,
    import_path,
    load_dataset,
    load_into_memory,
    read_source,
    validate_frames,
    validate_table_rows,
    write_dataset,
)
from analytics.data.store import PROJECT_ROOT, open_database, scalar


def contents(con) -> dict[str, pd.DataFrame]:
    """Every contract table, contract columns, in insertion order."""
    return {
        t.name: con.execute(f"SELECT {', '.join(t.column_names)} FROM {t.name} ORDER BY rowid").df()
        for t in TABLES
    }


def _all_null_as_object(frame: pd.DataFrame) -> pd.DataFrame:
    """DuckDB gives an all-NULL text column as object dtype (nothing to infer from): compare such a
    column by its values only."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype != bool and frame[column].isna().all():
            frame[column] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    return frame


def assert_same_contents(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(_all_null_as_object(a[name]), _all_null_as_object(b[name]), obj=name)


def issue_places(failed: ImportFailed) -> set[tuple]:
    return {(i.table, i.row, i.column) for i in failed.errors}


def failures(path: Path) -> ImportFailed:
    with pytest.raises(ImportFailed) as info:
        load_dataset(path)
    return info.value


# --- reading ---------------------------------------------------------------------------------


def test_tiny_dataset_loads_typed_like_the_database(tiny_dataset, db):
    dataset = load_dataset(tiny_dataset)
    assert {name: len(df) for name, df in dataset.items()} == {
        "industries": 3,
        "squads": 3,
        "units": 4,
        "projects": 3,
        "fund_arrivals": 2,
        "leads": 2,
        "targets": 4,
        "problems": 1,
        "station_reports": 1,
    }
    import_path(db, tiny_dataset, actor="test", source="test")
    # load_dataset gives exactly what the database then holds (same columns, dtypes, values); the
    # optional v2 tables are not in this dataset and stay empty.
    stored = contents(db)
    assert_same_contents(dataset, {name: stored[name] for name in dataset})
    assert all(stored[name].empty for name in ("milestones", "trade", "tax_receipts", "deposits"))
    projects = dataset["projects"].set_index("project_id")
    assert projects.at["P002", "total_investment_wan"] == 8500.5  # "8,500.5"
    assert projects.at["P002", "is_export_producer"]  # "yes"
    assert projects.at["P001", "signed_date"] == pd.Timestamp("2024-02-10")
    assert pd.isna(projects.at["P003", "company_rank"])


def test_xlsx_with_chinese_sheets_headers_labels_and_excel_cells_equals_csv(tmp_path, tiny_dataset):
    tables = valid_tables()
    p1 = tables["projects"][0]
    p1.update(
        source="省外",
        company_rank="民营100强",
        is_export_producer=False,
        in_park=True,
        signed_date=datetime(2024, 2, 10),
        in_stats_date=date(2024, 5, 1),
        total_investment_wan=12000,
        is_5020=1,
    )
    tables["units"][0]["township_class"] = 1  # a number cell
    tables["units"][1]["township_class"] = "二类"
    tables["leads"][0].update(reported_at=datetime(2024, 1, 5, 9, 30), tier="重大", status="有效")
    tables["leads"][1]["reported_at"] = datetime(2024, 3, 2, 14, 5, 9)
    tables["targets"][0].update(year=2024, scope="county", metric="新签约项目", value=30)  # county label
    tables["targets"][2]["metric"] = "项目引进"  # unit label of signed_projects
    tables["station_reports"][0].update(month=datetime(2024, 6, 1), days_on_post=22)
    tables["squads"][2]["kind"] = "驻点"
    book = write_xlsx(tmp_path / "county.xlsx", tables, chinese_names=True, chinese_headers=True)
    assert_same_contents(load_dataset(book), load_dataset(tiny_dataset))


def test_csv_without_bom_with_chinese_file_names_and_headers(tmp_path, tiny_dataset):
    folder = write_csv_folder(
        tmp_path / "zh", valid_tables(), chinese_names=True, chinese_headers=True, bom=False
    )
    assert (folder / "项目.csv").exists()
    assert_same_contents(load_dataset(folder), load_dataset(tiny_dataset))


def test_headers_tolerate_spaces_full_width_brackets_and_case(tmp_path, tiny_dataset):
    tables = valid_tables()
    folder = write_csv_folder(tmp_path / "h", tables)
    text = (folder / "projects.csv").read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    header = header.replace("total_investment_wan", " 总投资(万元) ").replace("project_id", "Project_ID")
    (folder / "projects.csv").write_text(header + "\n" + rest, encoding="utf-8-sig")
    assert_same_contents(load_dataset(folder), load_dataset(tiny_dataset))


def test_read_source_row_numbers_are_what_the_user_sees(tmp_path):
    tables = valid_tables()
    book = write_xlsx(tmp_path / "b.xlsx", tables)
    wb = openpyxl.load_workbook(book)
    ws = wb["projects"]
    ws.insert_rows(3, amount=2)  # two fully empty rows between the first and second project
    wb.save(book)
    frames = read_source(book)
    assert list(frames["projects"].index) == [2, 5, 6]
    assert list(frames["projects"]["project_id"]) == ["P001", "P002", "P003"]
    # An error in the second project names sheet row 5.
    ws["N5"] = "someday"  # signed_date
    wb.save(book)
    assert issue_places(failures(book)) == {("projects", 5, "signed_date")}


def test_blank_csv_rows_are_skipped_but_counted(tmp_path):
    folder = write_csv_folder(tmp_path / "c", valid_tables())
    path = folder / "industries.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines.insert(2, ",,,")  # an Excel-style empty row after the first industry
    lines[3] = lines[3].replace("否", "maybe", 1)  # IND02 was row 3, now row 4
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    assert issue_places(failures(folder)) == {("industries", 4, "is_key")}


def test_optional_tables_may_be_absent(tmp_path):
    tables = valid_tables()
    del tables["problems"], tables["station_reports"]
    dataset = load_dataset(write_csv_folder(tmp_path / "o", tables))
    assert "problems" not in dataset and "station_reports" not in dataset


def test_hidden_files_and_non_csv_files_are_ignored(tmp_path, tiny_dataset):
    (tiny_dataset / ".DS_Store").write_text("x")
    (tiny_dataset / "~$projects.csv").write_text("x")
    (tiny_dataset / "说明.txt").write_text("x")
    load_dataset(tiny_dataset)


# --- structural errors -----------------------------------------------------------------------


def test_missing_table_is_rejected(tmp_path):
    tables = valid_tables()
    del tables["units"]
    failed = failures(write_csv_folder(tmp_path / "m", tables))
    assert ("units", None, None) in issue_places(failed)
    assert "缺少表 units" in str(failed.errors[0]) or any("缺少表 units" in str(e) for e in failed.errors)


def test_unknown_column_is_rejected_not_dropped(tmp_path):
    tables = valid_tables()
    tables["industries"][0]["colour"] = "red"
    columns = {"industries": [*TABLES_BY_NAME["industries"].column_names, "colour"]}
    failed = failures(write_csv_folder(tmp_path / "u", tables, columns=columns))
    assert issue_places(failed) == {("industries", None, None)}
    assert failed.errors[0].value == "colour"
    assert "未知的列" in str(failed.errors[0])


def test_missing_required_column_duplicate_header_unknown_file(tmp_path):
    tables = valid_tables()
    tables["notes"] = [{"x": "1"}]
    columns = {
        "leads": [c for c in TABLES_BY_NAME["leads"].column_names if c != "tier"],
        "industries": [*TABLES_BY_NAME["industries"].column_names, "产业名称"],
    }
    folder = write_csv_folder(tmp_path / "s", tables, columns=columns)
    assert issue_places(failures(folder)) == {
        ("notes", None, None),  # unknown file
        ("leads", None, "tier"),  # missing required column
        ("industries", None, "name"),  # name given twice (English and Chinese)
    }


def test_missing_optional_column_is_blank(tmp_path):
    columns = {"projects": [c for c in TABLES_BY_NAME["projects"].column_names if c != "note"]}
    dataset = load_dataset(write_csv_folder(tmp_path / "n", valid_tables(), columns=columns))
    assert dataset["projects"]["note"].isna().all()


def test_unknown_sheet_and_empty_sheet_are_reported(tmp_path):
    book = write_xlsx(tmp_path / "b.xlsx", valid_tables())
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("Sheet1")  # entirely empty and unknown
    wb.create_sheet("资金到位 ")  # a second fund_arrivals sheet
    wb.save(book)
    failed = failures(book)
    assert ("Sheet1", None, None) in issue_places(failed)
    assert ("fund_arrivals", None, None) in issue_places(failed)


def test_hidden_sheet_is_ignored(tmp_path):
    book = write_xlsx(tmp_path / "b.xlsx", valid_tables())
    wb = openpyxl.load_workbook(book)
    wb.create_sheet("下拉选项").sheet_state = "hidden"
    wb.save(book)
    load_dataset(book)


def test_non_utf8_csv_is_reported_clearly(tmp_path):
    folder = write_csv_folder(tmp_path / "g", valid_tables())
    text = (folder / "units.csv").read_text(encoding="utf-8-sig")
    (folder / "units.csv").write_bytes(text.encode("gbk"))
    failed = failures(folder)
    assert issue_places(failed) == {("units", None, None)}
    assert "UTF-8" in str(failed.errors[0])


def test_value_in_a_column_without_header(tmp_path):
    folder = write_csv_folder(tmp_path / "x", valid_tables())
    path = folder / "industries.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[1] += ",stray"
    path.write_text("\n".join(lines), encoding="utf-8-sig")
    assert issue_places(failures(folder)) == {("industries", 2, None)}


# --- every row rule, one planted error each ---------------------------------------------------

# (description, {table: {row_index: {column: new value}}}, expected (table, row, column)).
# Row numbers: header = 1, so rows[0] is row 2.
RULES = [
    ("bad date", {"projects": {0: {"signed_date": "2024-13-01"}}}, ("projects", 2, "signed_date")),
    ("signed required", {"projects": {0: {"signed_date": ""}}}, ("projects", 2, "signed_date")),
    (
        "commenced before signed",
        {"projects": {0: {"commenced_date": "2024-01-01"}}},
        ("projects", 2, "commenced_date"),
    ),
    (
        "production before commenced",
        {"projects": {0: {"production_date": "2024-03-01"}}},
        ("projects", 2, "production_date"),
    ),
    (
        "production without commenced",
        {"projects": {2: {"production_date": "2024-07-01"}}},
        ("projects", 4, "commenced_date"),
    ),
    (
        "in stats before signed",
        {"projects": {0: {"in_stats_date": "2024-01-01"}}},
        ("projects", 2, "in_stats_date"),
    ),
    (
        "written off before signed",
        {"projects": {2: {"written_off_date": "2023-01-01"}}},
        ("projects", 4, "written_off_date"),
    ),
    (
        "investment not > 0",
        {"projects": {0: {"total_investment_wan": "0"}}},
        ("projects", 2, "total_investment_wan"),
    ),
    (
        "investment not a number",
        {"projects": {0: {"total_investment_wan": "一万"}}},
        ("projects", 2, "total_investment_wan"),
    ),
    ("unknown source", {"projects": {0: {"source": "overseas"}}}, ("projects", 2, "source")),
    ("blank required text", {"projects": {0: {"name": "  "}}}, ("projects", 2, "name")),
    ("project industry", {"projects": {0: {"industry_id": "IND99"}}}, ("projects", 2, "industry_id")),
    (
        "introducing unit",
        {"projects": {0: {"introducing_unit_id": "X"}}},
        ("projects", 2, "introducing_unit_id"),
    ),
    ("township is a department", {"projects": {0: {"township_id": "D01"}}}, ("projects", 2, "township_id")),
    ("duplicate project id", {"projects": {2: {"project_id": "P001"}}}, ("projects", 4, "project_id")),
    (
        "funds for unknown project",
        {"fund_arrivals": {0: {"project_id": "P999"}}},
        ("fund_arrivals", 2, "project_id"),
    ),
    ("funds before signing", {"fund_arrivals": {0: {"date": "2024-01-01"}}}, ("fund_arrivals", 2, "date")),
    (
        "fixed assets > amount",
        {"fund_arrivals": {0: {"fixed_asset_wan": "2500"}}},
        ("fund_arrivals", 2, "fixed_asset_wan"),
    ),
    ("fx > fdi", {"fund_arrivals": {1: {"fx_usd_wan": "200"}}}, ("fund_arrivals", 3, "fx_usd_wan")),
    (
        "fdi for a domestic project",
        {"fund_arrivals": {0: {"fdi_usd_wan": "10"}}},
        ("fund_arrivals", 2, "fdi_usd_wan"),
    ),
    ("negative amount", {"fund_arrivals": {0: {"amount_wan": "-1"}}}, ("fund_arrivals", 2, "amount_wan")),
    ("squad industry", {"squads": {0: {"industry_id": "IND99"}}}, ("squads", 2, "industry_id")),
    (
        "station city for industry chain",
        {"squads": {0: {"station_city": "上海"}}},
        ("squads", 2, "station_city"),
    ),
    ("unknown squad kind", {"squads": {0: {"kind": "roaming"}}}, ("squads", 2, "kind")),
    ("township without class", {"units": {0: {"township_class": ""}}}, ("units", 2, "township_class")),
    ("department with class", {"units": {2: {"township_class": "1"}}}, ("units", 4, "township_class")),
    ("township in a squad", {"units": {0: {"squad_id": "SQ01"}}}, ("units", 2, "squad_id")),
    ("department in a stationed squad", {"units": {2: {"squad_id": "SQ03"}}}, ("units", 4, "squad_id")),
    ("department in unknown squad", {"units": {2: {"squad_id": "SQ99"}}}, ("units", 4, "squad_id")),
    ("bad township class", {"units": {0: {"township_class": "3"}}}, ("units", 2, "township_class")),
    ("lead reporter", {"leads": {0: {"reporter_unit_id": "X"}}}, ("leads", 2, "reporter_unit_id")),
    ("lead industry", {"leads": {0: {"industry_id": "X"}}}, ("leads", 2, "industry_id")),
    ("lead project", {"leads": {0: {"project_id": "P999"}}}, ("leads", 2, "project_id")),
    ("duplicate lead id", {"leads": {1: {"lead_id": "L001"}}}, ("leads", 3, "lead_id")),
    ("lead time without time", {"leads": {0: {"reported_at": "2024-01-05"}}}, ("leads", 2, "reported_at")),
    ("lead tier", {"leads": {0: {"tier": "超大"}}}, ("leads", 2, "tier")),
    ("lead status", {"leads": {0: {"status": "ok"}}}, ("leads", 2, "status")),
    ("target scope", {"targets": {0: {"scope": "X99"}}}, ("targets", 2, "scope")),
    ("unit metric for county", {"targets": {0: {"metric": "valid_leads"}}}, ("targets", 2, "metric")),
    ("county metric for unit", {"targets": {2: {"metric": "fdi_usd_wan"}}}, ("targets", 4, "metric")),
    ("unknown metric", {"targets": {0: {"metric": "gdp"}}}, ("targets", 2, "metric")),
    ("negative target", {"targets": {0: {"value": "-1"}}}, ("targets", 2, "value")),
    ("fractional year", {"targets": {0: {"year": "2024.5"}}}, ("targets", 2, "year")),
    ("duplicate target key", {"targets": {1: {"metric": "signed_projects"}}}, ("targets", 3, "metric")),
    ("bad bool", {"industries": {0: {"is_key": "maybe"}}}, ("industries", 2, "is_key")),
    ("problem project", {"problems": {0: {"project_id": "P999"}}}, ("problems", 2, "project_id")),
    ("problem unit", {"problems": {0: {"responsible_unit_id": "X"}}}, ("problems", 2, "responsible_unit_id")),
    ("problem due date", {"problems": {0: {"due_date": "soon"}}}, ("problems", 2, "due_date")),
    (
        "report for industry-chain squad",
        {"station_reports": {0: {"squad_id": "SQ01"}}},
        ("station_reports", 2, "squad_id"),
    ),
    (
        "days on post > 31",
        {"station_reports": {0: {"days_on_post": "32"}}},
        ("station_reports", 2, "days_on_post"),
    ),
    ("month format", {"station_reports": {0: {"month": "2024-6"}}}, ("station_reports", 2, "month")),
]


def _mutated(changes: dict) -> dict:
    tables = valid_tables()
    for table, rows in changes.items():
        for index, values in rows.items():
            tables[table][index].update(values)
    return tables


@pytest.mark.parametrize(("changes", "place"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_each_rule_names_table_row_and_column(tmp_path, changes, place):
    failed = failures(write_csv_folder(tmp_path / "d", _mutated(changes)))
    assert issue_places(failed) == {place}
    text = str(failed.errors[0])
    assert f"{place[0]} 第{place[1]}行" in text and f"{place[0]} row {place[1]}" in text


def test_duplicate_station_report_key(tmp_path):
    tables = valid_tables()
    tables["station_reports"].append(dict(tables["station_reports"][0]))
    failed = failures(write_csv_folder(tmp_path / "d", tables))
    assert issue_places(failed) == {("station_reports", 3, "member")}
    assert "第2行" in failed.errors[0].expected_zh


def test_duplicate_industry_id(tmp_path):
    tables = valid_tables()
    tables["industries"].append(dict(tables["industries"][0], name="另一个"))
    failed = failures(write_csv_folder(tmp_path / "d", tables))
    assert issue_places(failed) == {("industries", 5, "industry_id")}
    assert failed.errors[0].expected_zh == "本表内唯一的产业编码(与第2行重复)"


def test_problem_dates_are_not_ordered_by_the_contract(tmp_path):
    # due_date before raised_on and resolved_on before raised_on: the contract has no such rule.
    tables = _mutated({"problems": {0: {"due_date": "2024-01-01", "resolved_on": "2024-01-02"}}})
    load_dataset(write_csv_folder(tmp_path / "p", tables))


def test_message_format_matches_the_contract(tmp_path):
    tables = valid_tables()
    tables["projects"].append(
        dict(
            tables["projects"][0],
            project_id="P004",
            signed_date="2024-13-01",
            commenced_date="",
            production_date="",
            in_stats_date="",
        )
    )
    (issue,) = failures(write_csv_folder(tmp_path / "m", tables)).errors
    assert str(issue) == (
        'projects 第5行 signed_date(签约日期): 值 "2024-13-01" 不符合要求:应为日期,如 2024-03-05、2024/3/5、'
        "2024.3.5 或 2024年3月5日(月份应为 1 到 12) / "
        'projects row 5, column signed_date: value "2024-13-01" — expected a date YYYY-MM-DD, YYYY/M/D, '
        "YYYY.M.D or YYYY年M月D日 (the month must be 1 to 12)"
    )


PLANTED = {
    "projects": {
        0: {"signed_date": "2024-13-01"},
        1: {"industry_id": "IND99", "total_investment_wan": "abc"},
    },
    "fund_arrivals": {1: {"fx_usd_wan": "999"}},
    "units": {3: {"kind": "bureau"}},
    "leads": {1: {"reported_at": "yesterday"}},
    "targets": {3: {"scope": "T99"}},
    "station_reports": {0: {"days_on_post": "40"}},
}
PLANTED_PLACES = {
    ("projects", 2, "signed_date"),
    ("projects", 3, "industry_id"),
    ("projects", 3, "total_investment_wan"),
    ("fund_arrivals", 3, "fx_usd_wan"),
    ("units", 5, "kind"),
    ("leads", 3, "reported_at"),
    ("targets", 5, "scope"),
    ("station_reports", 2, "days_on_post"),
}


def test_all_errors_are_reported_together(tmp_path):
    failed = failures(write_csv_folder(tmp_path / "all", _mutated(PLANTED)))
    assert issue_places(failed) == PLANTED_PLACES


def test_all_errors_together_in_a_workbook_too(tmp_path):
    failed = failures(write_xlsx(tmp_path / "all.xlsx", _mutated(PLANTED), chinese_names=True))
    assert issue_places(failed) == PLANTED_PLACES


# --- writing ---------------------------------------------------------------------------------


def test_import_is_all_or_nothing(tmp_path, tiny_dataset, db):
    import_path(db, tiny_dataset, actor="test", source="test")
    before = contents(db)
    audit_before = scalar(db, "SELECT count(*) FROM audit_log")
    bad = write_csv_folder(tmp_path / "bad", _mutated(PLANTED))
    with pytest.raises(ImportFailed):
        import_path(db, bad, actor="test", source="test")
    assert_same_contents(before, contents(db))
    assert scalar(db, "SELECT count(*) FROM audit_log") == audit_before


def test_a_failure_while_writing_rolls_everything_back(tiny_dataset, db):
    import_path(db, tiny_dataset, actor="test", source="test")
    before = contents(db)
    dataset = load_dataset(tiny_dataset)
    dataset["industries"] = dataset["industries"].iloc[:1]  # written first: would change
    dataset["targets"].loc[0, "scope"] = None  # NOT NULL in the database: the insert fails
    with pytest.raises(Exception, match="NOT NULL"):
        write_dataset(db, dataset, actor="test", source="test", allow_shrink=True)
    assert_same_contents(before, contents(db))


def test_reimport_is_idempotent(tiny_dataset, db):
    import_path(db, tiny_dataset, actor="test", source="test")
    first = contents(db)
    summary = import_path(db, tiny_dataset, actor="test", source="test")
    assert_same_contents(first, contents(db))
    assert summary.previous_counts == summary.row_counts  # replaced, nothing added
    assert "导入完成" in str(summary) and "projects: 3" in str(summary)


def test_import_replaces_rows_and_audits_each_table(tmp_path, tiny_dataset, db):
    import_path(db, tiny_dataset, actor="clerk", source="上传")
    tables = valid_tables()
    tables["leads"] = tables["leads"][:1]
    import_path(db, write_csv_folder(tmp_path / "fewer", tables), actor="clerk", source="上传")
    assert scalar(db, "SELECT count(*) FROM leads") == 1
    rows = db.execute(
        "SELECT actor, source, action, after_json FROM audit_log WHERE table_name = 'leads' ORDER BY audit_id"
    ).fetchall()
    assert [(a, s, act) for a, s, act, _ in rows] == [("clerk", "上传", "import")] * 2
    # L001 kept as it was, L002 gone: the audit entry names it.
    assert json.loads(rows[-1][3]) == {"rows": 1, "added": [], "changed": [], "removed": ["L002"]}


def test_optional_table_absent_from_the_source_is_left_as_it_was(tmp_path, tiny_dataset, db):
    import_path(db, tiny_dataset, actor="test", source="test")
    tables = valid_tables()
    del tables["problems"]
    summary = import_path(db, write_csv_folder(tmp_path / "np", tables), actor="test", source="test")
    assert scalar(db, "SELECT count(*) FROM problems") == 1
    assert summary.untouched == ["problems", "milestones", "trade", "tax_receipts", "deposits"]


def test_load_into_memory(tiny_dataset):
    con = load_into_memory(tiny_dataset)
    try:
        assert scalar(con, "SELECT count(*) FROM projects") == 3
    finally:
        con.close()


# --- the form entry points -------------------------------------------------------------------


def test_validate_table_rows_checks_a_form_row_against_the_database(tiny_dataset, db):
    import_path(db, tiny_dataset, actor="test", source="test")
    refs = References.from_database(db)
    row = pd.DataFrame(
        [
            {
                "项目编码": "P100",
                "项目名称": "新项目",
                "投资企业": "=某公司",
                "产业编码": "IND99",
                "总投资(万元)": "1,000",
                "资金来源": "外资",
                "引进单位": "D01",
                "签约日期": "2025-01-02",
            }
        ],
        index=[1],
    )
    result = validate_table_rows("projects", row, refs)
    assert [(i.row, i.column) for i in result.issues] == [(1, "industry_id")]
    row.loc[1, "产业编码"] = "IND01"
    result = validate_table_rows("projects", row, refs)
    assert result.ok
    typed = result.tables["projects"]
    assert typed.at[1, "company"] == "=某公司" and typed.at[1, "source"] == "foreign"
    assert typed.at[1, "total_investment_wan"] == 1000.0


def test_validate_frames_resolves_references_in_the_database(tiny_dataset, db):
    import_path(db, tiny_dataset, actor="test", source="test")
    funds = pd.DataFrame(
        [
            {
                "project_id": "P002",
                "date": "2024-03-01",
                "amount_wan": "1",
                "fixed_asset_wan": "1",
                "fdi_usd_wan": "1",
                "fx_usd_wan": "0",
            }
        ],
        index=[7],
    )
    result = validate_frames({"fund_arrivals": funds}, db)
    # P002 was signed 2024-04-01: money cannot arrive before.
    assert [(i.table, i.row, i.column) for i in result.issues] == [("fund_arrivals", 7, "date")]
    assert validate_frames({"fund_arrivals": funds}).ok  # without the database: no references known


# --- command line ----------------------------------------------------------------------------


def test_cli_import_bad_data_exits_2_with_every_error(tmp_path):
    bad = write_csv_folder(tmp_path / "bad", _mutated(PLANTED))
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "import", "--db", str(tmp_path / "x.duckdb"), "--data", str(bad)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert proc.returncode == 2
    for table, row, column in PLANTED_PLACES:
        assert f"{table} row {row}, column {column}" in proc.stderr
    assert "共 8 处错误" in proc.stderr


def test_cli_import_good_data(tmp_path, tiny_dataset):
    db_path = tmp_path / "ok.duckdb"
    proc = subprocess.run(
        [sys.executable, "-m", "analytics", "import", "--db", str(db_path), "--data", str(tiny_dataset)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "projects: 3" in proc.stdout
    con = open_database(db_path, read_only=True)
    try:
        assert scalar(con, "SELECT count(*) FROM leads") == 2
    finally:
        con.close()


def test_data_format_doc_names_every_table_and_column():
    doc = (PROJECT_ROOT / "docs" / "data-format.md").read_text(encoding="utf-8")
    for table in TABLES:
        assert f"`{table.name}`" in doc and table.zh in doc
        for column in table.columns:
            assert f"| {column.zh} | `{column.name}` |" in doc, (table.name, column.name)
