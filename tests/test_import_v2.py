"""DATA_CONTRACT.md v2 on the import path: every new value format, column and table, with a bad
value for each; the error names table, row (as the user sees it, header = row 1) and column, and
the database is unchanged (a checksum of every table before and after). A v1 file still imports
unchanged, and export → import round-trips the v2 tables and columns.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from data_builders import valid_tables, write_csv_folder, write_xlsx
from demo_db import DEMO_SEED, DEMO_TODAY

from analytics.core.schema import TABLES, TABLES_BY_NAME
from analytics.data.exporter import export_dataset
from analytics.data.importer import ImportFailed, References, import_path, load_dataset, validate_table_rows
from analytics.data.store import open_database
from analytics.demo.generator import write_demo

# The columns v2 added to v1 tables, and the tables it added (DATA_CONTRACT.md, "Version 2").
V2_COLUMNS = {
    "projects": [
        "intermediary",
        "is_major",
        "in_stats_verified_on",
        "commenced_verified_on",
        "production_verified_on",
        "planned_commence_on",
        "planned_production_on",
        "responsible_unit_id",
        "helper",
    ],
    "fund_arrivals": ["verified_on"],
    "leads": ["validated_on", "stage", "stage_changed_on"],
    "problems": ["category"],
}
V2_TABLES = ("milestones", "trade", "tax_receipts", "deposits")


def v2_tables() -> dict[str, list[dict[str, Any]]]:
    """The tiny county of ``data_builders`` with every v2 column and table filled, in the v2
    formats (local dates, money with units, a percentage). Row numbers as the user sees them:
    projects P001 = row 2, P002 = row 3, P003 = row 4; leads L001 = 2, L002 = 3."""
    tables = valid_tables()
    p001, p002, _ = tables["projects"]  # P001 signed 2024-02-10, in stats 05-01, 开工 03-15, 投产 11-30
    p001.update(
        total_investment_wan="1.2亿元",
        intermediary="某招商顾问公司",
        is_major="是",
        in_stats_verified_on="2024/5/10",
        commenced_verified_on="2024年3月20日",
        production_verified_on="2024.12.5",
        planned_commence_on="2024-03-01",
        planned_production_on="2024/10/1",
        responsible_unit_id="D02",
        helper="刘专员",
    )
    p002.update(is_major="否", responsible_unit_id="T01")
    tables["fund_arrivals"][0].update(amount_wan="2,000万元", verified_on="2024/3/8")
    tables["fund_arrivals"][1].update(fdi_usd_wan="150万美元")
    tables["leads"][0].update(validated_on="2024年1月20日", stage="已签约", stage_changed_on="2024-02-10")
    tables["leads"][1].update(stage="negotiating", stage_changed_on="2024/3/10")
    tables["targets"] += [
        {"year": "2024", "scope": "SQ01", "metric": "signed_projects", "value": "4"},  # row 6
        {"year": "2024", "scope": "county", "metric": "进出口总额(万美元)", "value": "1200"},  # row 7
    ]
    tables["problems"][0]["category"] = "土地"
    tables["milestones"] = [
        {"project_id": "P001", "kind": "registered", "done_on": "2024-02-20"},
        {"project_id": "P001", "kind": "供地", "planned_on": "2024/2/28", "done_on": "2024年3月1日"},
        {"project_id": "P002", "kind": "construction_permit", "planned_on": "2024-05-01"},
    ]
    tables["trade"] = [
        {
            "month": "2024-01",
            "exports_usd_wan": "1,200万美元",
            "imports_usd_wan": "300",
            "city_growth": "8.5%",
        },
        {"month": "2024-02", "exports_usd_wan": "900", "imports_usd_wan": "250", "city_growth": "0.07"},
    ]
    tables["tax_receipts"] = [
        {"project_id": "P001", "month": "2024-06", "local_tax_wan": "12.5"},
        {"project_id": "P001", "month": "2024-07", "local_tax_wan": "1,300万元"},
    ]
    tables["deposits"] = [
        {
            "deposit_id": "DP1",
            "year": "2024",
            "person": "张三",
            "role": "小分队队长",
            "scope": "SQ01",
            "amount_yuan": "1,500元",
        },
        {
            "deposit_id": "DP2",
            "year": "2024",
            "person": "李四",
            "role": "乡镇党委书记",
            "scope": "T01",
            "amount_yuan": "1000",
        },
    ]
    return tables


def checksum(con) -> str:
    """SHA-256 over every base table of the database (contract, audit and internal tables), each
    read in a fixed order."""
    names = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(repr(con.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall()).encode())
    return digest.hexdigest()


def contents(con) -> dict[str, pd.DataFrame]:
    """Every contract table, contract columns, in insertion order; an all-NULL column compared by
    its values (DuckDB gives it object dtype)."""
    out = {}
    for t in TABLES:
        frame = con.execute(f"SELECT {', '.join(t.column_names)} FROM {t.name} ORDER BY rowid").df()
        for column in frame.columns:
            if frame[column].dtype != bool and frame[column].isna().all():
                frame[column] = pd.Series([None] * len(frame), dtype=object)
        out[t.name] = frame
    return out


def assert_same(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


@pytest.fixture
def v2_db(tmp_path, db):
    """A database holding the v2 tiny county (so a refused import has something to leave alone)."""
    import_path(db, write_csv_folder(tmp_path / "v2", v2_tables()), actor="test", source="test")
    return db


# --- the v2 county imports, every format read --------------------------------------------------


@pytest.mark.parametrize("container", ["csv", "xlsx"])
def test_v2_dataset_imports_with_every_format_read(tmp_path, db, container):
    tables = v2_tables()
    source = (
        write_csv_folder(tmp_path / "v2", tables)
        if container == "csv"
        else write_xlsx(tmp_path / "v2.xlsx", tables, chinese_names=True, chinese_headers=True)
    )
    summary = import_path(db, source, actor="test", source="test")
    assert summary.untouched == []
    assert {name: summary.row_counts[name] for name in V2_TABLES} == {
        "milestones": 3,
        "trade": 2,
        "tax_receipts": 2,
        "deposits": 2,
    }
    p001 = db.execute(
        "SELECT total_investment_wan, intermediary, is_major, in_stats_verified_on, commenced_verified_on,"
        " production_verified_on, planned_commence_on, planned_production_on, responsible_unit_id, helper"
        " FROM projects WHERE project_id = 'P001'"
    ).fetchone()
    assert p001 == (
        12000.0,  # 1.2亿元 = 1.2 × 10000 万元
        "某招商顾问公司",
        True,
        pd.Timestamp("2024-05-10").date(),  # 2024/5/10
        pd.Timestamp("2024-03-20").date(),  # 2024年3月20日
        pd.Timestamp("2024-12-05").date(),  # 2024.12.5
        pd.Timestamp("2024-03-01").date(),
        pd.Timestamp("2024-10-01").date(),
        "D02",
        "刘专员",
    )
    assert db.execute("SELECT is_major FROM projects ORDER BY project_id").fetchall() == [
        (True,),
        (False,),
        (False,),
    ]
    funds = db.execute(
        "SELECT amount_wan, fdi_usd_wan, CAST(verified_on AS VARCHAR) FROM fund_arrivals ORDER BY rowid"
    )
    assert funds.fetchall() == [(2000.0, 0.0, "2024-03-08"), (1200.0, 150.0, None)]
    leads = db.execute(
        "SELECT CAST(validated_on AS VARCHAR), stage, CAST(stage_changed_on AS VARCHAR) FROM leads ORDER BY lead_id"
    )
    assert leads.fetchall() == [("2024-01-20", "signed", "2024-02-10"), (None, "negotiating", "2024-03-10")]
    assert db.execute(
        "SELECT scope, metric FROM targets WHERE scope = 'SQ01' OR metric = 'trade_usd_wan'"
    ).fetchall() == [
        ("SQ01", "signed_projects"),
        ("county", "trade_usd_wan"),
    ]
    assert db.execute("SELECT category FROM problems").fetchall() == [("land",)]
    milestones = db.execute(
        "SELECT project_id, kind, CAST(planned_on AS VARCHAR), CAST(done_on AS VARCHAR) FROM milestones ORDER BY rowid"
    )
    assert milestones.fetchall() == [
        ("P001", "registered", None, "2024-02-20"),
        ("P001", "land", "2024-02-28", "2024-03-01"),
        ("P002", "construction_permit", "2024-05-01", None),
    ]
    trade = db.execute(
        "SELECT month, exports_usd_wan, imports_usd_wan, city_growth FROM trade ORDER BY month"
    )
    assert trade.fetchall() == [
        ("2024-01", 1200.0, 300.0, 0.085),
        ("2024-02", 900.0, 250.0, 0.07),
    ]  # 8.5% = 0.085
    tax = db.execute("SELECT project_id, month, local_tax_wan FROM tax_receipts ORDER BY month")
    assert tax.fetchall() == [("P001", "2024-06", 12.5), ("P001", "2024-07", 1300.0)]
    deposits = db.execute(
        "SELECT deposit_id, year, person, role, scope, amount_yuan FROM deposits ORDER BY 1"
    )
    assert deposits.fetchall() == [
        ("DP1", 2024, "张三", "小分队队长", "SQ01", 1500.0),  # 1,500元
        ("DP2", 2024, "李四", "乡镇党委书记", "T01", 1000.0),
    ]


def test_boundaries_are_allowed(tmp_path, db):
    """Equal dates pass every "not before" rule: verified on the milestone's own day, planned on the
    signing day, validated on the day of reporting, a milestone done on the signing day."""
    tables = v2_tables()
    tables["projects"][0].update(
        in_stats_verified_on="2024-05-01",
        commenced_verified_on="2024-03-15",
        production_verified_on="2024-11-30",
        planned_commence_on="2024-02-10",
        planned_production_on="2024年2月10日",
    )
    tables["fund_arrivals"][0]["verified_on"] = "2024-03-01"
    tables["leads"][0]["validated_on"] = "2024/1/5"  # reported 2024-01-05 09:30
    tables["milestones"][0]["done_on"] = "2024-02-10"
    import_path(db, write_csv_folder(tmp_path / "edge", tables), actor="test", source="test")


# --- each bad value: the error names table, row and column; nothing changes --------------------

# (what, mutations [(table, index, column, value)], the one error's (table, row, column))
BAD_CASES: list[tuple[str, list[tuple[str, int, str, Any]], tuple[str, int, str]]] = [
    # value formats
    ("partly typed date", [("projects", 0, "signed_date", "2024-3")], ("projects", 2, "signed_date")),
    ("month 13", [("projects", 0, "signed_date", "2024/13/1")], ("projects", 2, "signed_date")),
    (
        "no 30 February",
        [("projects", 0, "commenced_date", "2024年2月30日")],
        ("projects", 2, "commenced_date"),
    ),
    ("dotted date, no day 31", [("projects", 1, "signed_date", "2024.4.31")], ("projects", 3, "signed_date")),
    ("day first", [("projects", 1, "signed_date", "1.4.2024")], ("projects", 3, "signed_date")),
    (
        "local datetime, no hour 25",
        [("leads", 1, "reported_at", "2024/3/2 25:00")],
        ("leads", 3, "reported_at"),
    ),
    (
        "USD unit in a CNY column",
        [("projects", 0, "total_investment_wan", "1.2亿美元")],
        ("projects", 2, "total_investment_wan"),
    ),
    (
        "万元 in a USD column",
        [("fund_arrivals", 1, "fdi_usd_wan", "150万元")],
        ("fund_arrivals", 3, "fdi_usd_wan"),
    ),
    (
        "bad grouping with a unit",
        [("fund_arrivals", 0, "amount_wan", "2,00万元")],
        ("fund_arrivals", 2, "amount_wan"),
    ),
    ("percentage in words", [("trade", 0, "city_growth", "百分之8.5")], ("trade", 2, "city_growth")),
    ("万元 in the yuan column", [("deposits", 0, "amount_yuan", "0.15万元")], ("deposits", 2, "amount_yuan")),
    # v2 columns of projects
    ("is_major not a bool", [("projects", 0, "is_major", "也许")], ("projects", 2, "is_major")),
    (
        "intermediary with a control character",
        [("projects", 0, "intermediary", "某\x00中介")],
        ("projects", 2, "intermediary"),
    ),
    ("helper too long", [("projects", 0, "helper", "刘" * 201)], ("projects", 2, "helper")),
    (
        "in-stats verified before in stats",
        [("projects", 0, "in_stats_verified_on", "2024-04-30")],
        ("projects", 2, "in_stats_verified_on"),
    ),
    (
        "commencement verified without 开工",
        [("projects", 2, "commenced_verified_on", "2024-05-01")],
        ("projects", 4, "commenced_verified_on"),
    ),
    (
        "production verified before 投产",
        [("projects", 0, "production_verified_on", "2024/11/29")],
        ("projects", 2, "production_verified_on"),
    ),
    (
        "production verified without 投产",
        [("projects", 1, "production_verified_on", "2024-07-01")],
        ("projects", 3, "production_verified_on"),
    ),
    (
        "planned 开工 before signing",
        [("projects", 0, "planned_commence_on", "2024-02-09")],
        ("projects", 2, "planned_commence_on"),
    ),
    (
        "planned 投产 before signing",
        [("projects", 0, "planned_production_on", "2024/1/1")],
        ("projects", 2, "planned_production_on"),
    ),
    (
        "responsible unit unknown",
        [("projects", 0, "responsible_unit_id", "D99")],
        ("projects", 2, "responsible_unit_id"),
    ),
    (
        "verified date partly typed",
        [("projects", 0, "in_stats_verified_on", "2024年5月")],
        ("projects", 2, "in_stats_verified_on"),
    ),
    # fund arrivals
    (
        "arrival verified before it arrived",
        [("fund_arrivals", 0, "verified_on", "2024-02-29")],
        ("fund_arrivals", 2, "verified_on"),
    ),
    # leads
    (
        "pending lead with a validation date",
        [("leads", 1, "validated_on", "2024-03-05")],
        ("leads", 3, "validated_on"),
    ),
    ("validated before reported", [("leads", 0, "validated_on", "2024-01-04")], ("leads", 2, "validated_on")),
    ("signed lead without project", [("leads", 1, "stage", "已签约")], ("leads", 3, "project_id")),
    ("unknown stage", [("leads", 1, "stage", "洽谈中")], ("leads", 3, "stage")),
    (
        "stage date partly typed",
        [("leads", 1, "stage_changed_on", "2024-3")],
        ("leads", 3, "stage_changed_on"),
    ),
    # targets
    ("squad with a unit-only metric", [("targets", 4, "metric", "valid_leads")], ("targets", 6, "metric")),
    ("squad with a county metric", [("targets", 4, "metric", "foreign_firms")], ("targets", 6, "metric")),
    ("stationed squad as scope", [("targets", 4, "scope", "SQ03")], ("targets", 6, "scope")),
    ("unknown scope", [("targets", 4, "scope", "SQ99")], ("targets", 6, "scope")),
    ("unit with a county metric", [("targets", 2, "metric", "trade_usd_wan")], ("targets", 4, "metric")),
    (
        "county with a unit-only metric",
        [("targets", 0, "metric", "in_stats_projects")],
        ("targets", 2, "metric"),
    ),
    # problems
    ("problem category unknown", [("problems", 0, "category", "用地")], ("problems", 2, "category")),
    # milestones (issue 14 §8: a bad kind, done before signing, a duplicate project and kind)
    ("milestone kind unknown", [("milestones", 0, "kind", "开工")], ("milestones", 2, "kind")),
    (
        "milestone done before signing",
        [("milestones", 0, "done_on", "2024/2/9")],
        ("milestones", 2, "done_on"),
    ),
    ("milestone kind twice (code and label)", [("milestones", 1, "kind", "注册")], ("milestones", 3, "kind")),
    (
        "milestone of an unknown project",
        [("milestones", 2, "project_id", "P999")],
        ("milestones", 4, "project_id"),
    ),
    (
        "milestone planned on no such day",
        [("milestones", 1, "planned_on", "2024/2/30")],
        ("milestones", 3, "planned_on"),
    ),
    # trade
    ("trade month twice", [("trade", 1, "month", "2024-01")], ("trade", 3, "month")),
    ("trade month partly typed", [("trade", 0, "month", "2024/1")], ("trade", 2, "month")),
    ("negative exports", [("trade", 0, "exports_usd_wan", "-5")], ("trade", 2, "exports_usd_wan")),
    # tax receipts
    (
        "tax of an unknown project",
        [("tax_receipts", 0, "project_id", "P999")],
        ("tax_receipts", 2, "project_id"),
    ),
    (
        "tax month twice for a project",
        [("tax_receipts", 1, "month", "2024-06")],
        ("tax_receipts", 3, "month"),
    ),
    ("tax not a number", [("tax_receipts", 0, "local_tax_wan", "abc")], ("tax_receipts", 2, "local_tax_wan")),
    # deposits
    ("deposit scope a department", [("deposits", 0, "scope", "D01")], ("deposits", 2, "scope")),
    ("deposit scope unknown", [("deposits", 0, "scope", "X1")], ("deposits", 2, "scope")),
    ("deposit id twice", [("deposits", 1, "deposit_id", "DP1")], ("deposits", 3, "deposit_id")),
    ("deposit year in words", [("deposits", 0, "year", "二〇二四")], ("deposits", 2, "year")),
]


def _mutated(mutations: list[tuple[str, int, str, Any]]) -> dict[str, list[dict[str, Any]]]:
    tables = v2_tables()
    for table, index, column, value in mutations:
        tables[table][index][column] = value
    return tables


@pytest.mark.parametrize(("what", "mutations", "place"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_each_bad_v2_value_is_named_and_changes_nothing(tmp_path, v2_db, what, mutations, place):
    before = checksum(v2_db)
    source = write_csv_folder(tmp_path / "bad", _mutated(mutations))
    with pytest.raises(ImportFailed) as info:
        import_path(v2_db, source, actor="test", source="test")
    assert [(i.table, i.row, i.column) for i in info.value.errors] == [place]
    (issue,) = info.value.errors
    table, row, column = place
    # The message names the table, the row and the column in both languages.
    zh_column = TABLES_BY_NAME[table].column(column).zh
    assert f"{table} 第{row}行 {column}({zh_column})" in str(issue)
    assert f"{table} row {row}, column {column}" in str(issue)
    assert checksum(v2_db) == before


def test_milestone_messages_say_what_is_expected(tmp_path):
    """Issue 14's three import cases, as the office reads them."""
    tables = _mutated([("milestones", 0, "kind", "开工"), ("milestones", 1, "done_on", "2024-02-01")])
    tables["milestones"][2].update(project_id="P001", kind="land")  # row 4 repeats row 3's (P001, 供地)
    with pytest.raises(ImportFailed) as info:
        load_dataset(write_csv_folder(tmp_path / "m", tables))
    by_place = {(i.table, i.row, i.column): i for i in info.value.errors}
    assert set(by_place) == {
        ("milestones", 2, "kind"),
        ("milestones", 3, "done_on"),
        ("milestones", 4, "kind"),
    }
    assert by_place[("milestones", 2, "kind")].expected_zh.startswith("以下之一:注册(registered)、供地(land)")
    assert by_place[("milestones", 3, "done_on")].expected_zh == "不早于项目签约日期 2024-02-10 的日期"
    assert by_place[("milestones", 4, "kind")].expected_zh == "本表内唯一的 project_id+kind 组合(与第3行重复)"


def test_every_v2_error_of_a_file_is_reported_together(tmp_path, v2_db):
    cases = [
        c
        for c in BAD_CASES
        if c[0]
        in {
            "in-stats verified before in stats",
            "arrival verified before it arrived",
            "pending lead with a validation date",
            "squad with a unit-only metric",
            "problem category unknown",
            "milestone done before signing",
            "trade month twice",
            "tax of an unknown project",
            "deposit scope a department",
        }
    ]
    assert len(cases) == 9
    before = checksum(v2_db)
    source = write_csv_folder(tmp_path / "all", _mutated([m for c in cases for m in c[1]]))
    with pytest.raises(ImportFailed) as info:
        import_path(v2_db, source, actor="test", source="test")
    assert {(i.table, i.row, i.column) for i in info.value.errors} == {c[2] for c in cases}
    assert checksum(v2_db) == before


# --- forms validate with the same rules ---------------------------------------------------------


def test_forms_get_the_v2_rules_through_validate_table_rows(v2_db):
    refs = References.from_database(v2_db)
    row = pd.DataFrame([{"项目编码": "P001", "节点": "施工许可", "完成日期": "2024/2/1"}], index=[1])
    result = validate_table_rows("milestones", row, refs)
    assert [(i.table, i.row, i.column, i.expected_zh) for i in result.issues] == [
        ("milestones", 1, "done_on", "不早于项目签约日期 2024-02-10 的日期")
    ]
    row.loc[1, "完成日期"] = "2024年2月10日"
    result = validate_table_rows("milestones", row, refs)
    assert result.ok and result.tables["milestones"].at[1, "kind"] == "construction_permit"
    lead = pd.DataFrame(
        [
            {
                "lead_id": "L9",
                "reported_at": "2024/6/1 10:00",
                "reporter_unit_id": "T01",
                "company": "某企业",
                "industry_id": "IND01",
                "intended_investment_wan": "0.5亿元",
                "tier": "general",
                "status": "pending",
                "validated_on": "2024-06-02",
                "stage": "signed",
            }
        ],
        index=[1],
    )
    issues = validate_table_rows("leads", lead, refs).issues
    assert {(i.column, i.expected_zh) for i in issues} == {
        ("validated_on", "空白(待认定的信息还没有认定日期)"),
        ("project_id", "转化项目的项目编码(洽谈阶段为已签约的信息必须填写)"),
    }


# --- v1 files -------------------------------------------------------------------------------------


def _v1_columns() -> dict[str, list[str]]:
    return {
        t.name: [c for c in t.column_names if c not in V2_COLUMNS.get(t.name, [])]
        for t in TABLES
        if t.name not in V2_TABLES
    }


def test_a_v1_file_imports_exactly_as_with_blank_v2_columns(tmp_path):
    """The tiny county written with v1 headers only gives the same tables as written with every v2
    column present and blank; v2 columns come out blank (false for is_major), v2 tables empty."""
    v1 = write_csv_folder(tmp_path / "v1", valid_tables(), columns=_v1_columns())
    assert "is_major" not in (v1 / "projects.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    blank = write_csv_folder(tmp_path / "blank", valid_tables())
    one, two = open_database(":memory:"), open_database(":memory:")
    try:
        import_path(one, v1, actor="test", source="test")
        import_path(two, blank, actor="test", source="test")
        assert_same(contents(one), contents(two))
        nulls = " AND ".join(f"{c} IS NULL" for c in V2_COLUMNS["projects"] if c != "is_major")
        assert one.execute(f"SELECT count(*) FROM projects WHERE {nulls} AND NOT is_major").fetchone() == (3,)
        assert one.execute(
            "SELECT count(*) FROM leads WHERE validated_on IS NULL AND stage IS NULL"
        ).fetchone() == (2,)
        for name in V2_TABLES:
            assert one.execute(f"SELECT count(*) FROM {name}").fetchone() == (0,)
    finally:
        one.close()
        two.close()


def _v1_copy(source: Path, folder: Path) -> Path:
    """The CSV folder ``source`` as a v1 file: v2 tables left out, v2 columns dropped."""
    folder.mkdir(parents=True)
    for path in sorted(source.glob("*.csv")):
        if path.stem in V2_TABLES:
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        frame = frame.drop(columns=[c for c in V2_COLUMNS.get(path.stem, []) if c in frame.columns])
        frame.to_csv(folder / path.name, index=False, encoding="utf-8-sig")
    return folder


def test_the_demo_county_as_a_v1_folder_imports_unchanged(tmp_path):
    """The demo county written as a v1 folder imports, and every v1 column holds what its CSV says
    (read here with plain pandas, the independent path); the v2 columns are blank."""
    demo = write_demo(tmp_path / "demo", seed=DEMO_SEED, scale=1, today=DEMO_TODAY)
    folder = _v1_copy(demo, tmp_path / "demo_v1")
    con = open_database(":memory:")
    try:
        import_path(con, folder, actor="test", source="test")
        for name in ("projects", "leads", "fund_arrivals", "units"):
            csv = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            cols = list(csv.columns)
            stored = con.execute(f"SELECT {', '.join(cols)} FROM {name} ORDER BY rowid").fetchall()
            assert len(stored) == len(csv), name
            as_text = [[_csv_text(v) for v in row] for row in stored]
            assert as_text == csv.to_numpy().tolist(), name
        assert con.execute(
            "SELECT count(*) FROM projects WHERE is_major OR responsible_unit_id IS NOT NULL"
        ).fetchone() == (0,)
    finally:
        con.close()


def _csv_text(value: Any) -> str:
    """A stored value as the demo's CSV writes it (ISO dates, true/false, shortest numbers)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)


# --- export → import ------------------------------------------------------------------------------


@pytest.mark.parametrize("target", ["out.xlsx", "out_csv"])
def test_v2_tables_and_columns_round_trip(tmp_path, v2_db, target):
    written = export_dataset(v2_db, tmp_path / target)
    again = open_database(":memory:")
    try:
        import_path(again, written, actor="test", source="test")
        before, after = contents(v2_db), contents(again)
        assert_same(before, after)
        assert {name: len(after[name]) for name in V2_TABLES} == {
            "milestones": 3,
            "trade": 2,
            "tax_receipts": 2,
            "deposits": 2,
        }
    finally:
        again.close()


def test_xlsx_export_shows_city_growth_as_a_percentage(tmp_path, v2_db):
    import openpyxl

    book = openpyxl.load_workbook(export_dataset(v2_db, tmp_path / "out.xlsx"))
    sheet = book[TABLES_BY_NAME["trade"].zh]
    assert [c.value for c in sheet[1]] == [c.zh for c in TABLES_BY_NAME["trade"].columns]
    cell = sheet.cell(row=2, column=4)
    assert cell.value == 0.085 and cell.number_format == "0.0%"
