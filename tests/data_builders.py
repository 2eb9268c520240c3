"""Write contract datasets (DATA_CONTRACT.md) from Python rows, for tests.

A dataset is ``{table_name: [row_dict, ...]}`` with English column names. Values may be strings
(written as they are) or Python values: ``date``/``datetime`` (CSV: ISO text; xlsx: real Excel
date cells), ``bool`` (CSV: true/false; xlsx: a boolean cell), numbers, ``None`` (blank).
Columns missing from a row dict are blank. ``valid_tables()`` is a small consistent county.

    tables = valid_tables()
    tables["projects"][0]["signed_date"] = "2024-13-01"
    write_csv_folder(tmp_path / "bad", tables)
"""

from __future__ import annotations

import copy
import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

from analytics.core.schema import TABLES, TABLES_BY_NAME

Rows = list[dict[str, Any]]

_VALID: dict[str, Rows] = {
    "industries": [
        {"industry_id": "IND01", "name": "新材料", "is_key": "是", "is_industrial": "是"},
        {"industry_id": "IND02", "name": "文化旅游", "is_key": "否", "is_industrial": "否"},
        {"industry_id": "IND03", "name": "电子信息", "is_key": "true", "is_industrial": "1"},
    ],
    "squads": [
        {
            "squad_id": "SQ01",
            "name": "新材料产业链小分队",
            "kind": "industry_chain",
            "industry_id": "IND01",
            "leader": "张县长",
        },
        {"squad_id": "SQ02", "name": "园区小分队", "kind": "industry_chain", "leader": "王书记"},
        {
            "squad_id": "SQ03",
            "name": "深圳驻点小分队",
            "kind": "stationed",
            "leader": "李主任",
            "station_city": "深圳",
        },
    ],
    "units": [
        {"unit_id": "T01", "name": "城关镇", "kind": "township", "township_class": "1"},
        {"unit_id": "T02", "name": "河口乡", "kind": "township", "township_class": "2"},
        {"unit_id": "D01", "name": "发改局", "kind": "department", "squad_id": "SQ01"},
        {"unit_id": "D02", "name": "商务局", "kind": "department"},
    ],
    "projects": [
        {
            "project_id": "P001",
            "name": "年产万吨新材料项目",
            "company": "华材科技有限公司",
            "industry_id": "IND01",
            "total_investment_wan": "12000",
            "source": "out_of_province",
            "is_export_producer": "否",
            "company_rank": "private_top100",
            "is_5020": "是",
            "introducing_unit_id": "D01",
            "township_id": "T01",
            "in_park": "是",
            "leader_in_charge": "张县长",
            "signed_date": "2024-02-10",
            "in_stats_date": "2024-05-01",
            "commenced_date": "2024-03-15",
            "production_date": "2024-11-30",
            "note": "重点推进",
        },
        {
            "project_id": "P002",
            "name": "电子元件出口基地",
            "company": "Acme Electronics (HK) Ltd",
            "industry_id": "IND03",
            "total_investment_wan": "8,500.5",
            "source": "foreign",
            "is_export_producer": "yes",
            "company_rank": "world500",
            "is_5020": "N",
            "introducing_unit_id": "T01",
            "township_id": "T01",
            "in_park": "Y",
            "signed_date": "2024-04-01",
            "commenced_date": "2024-06-01",
        },
        {
            "project_id": "P003",
            "name": "古镇文旅综合体",
            "company": "河口文旅发展有限公司",
            "industry_id": "IND02",
            "total_investment_wan": "3000",
            "source": "in_province",
            "is_export_producer": "0",
            "is_5020": "false",
            "introducing_unit_id": "T02",
            "township_id": "T02",
            "in_park": "no",
            "signed_date": "2023-12-20",
            "written_off_date": "2024-08-01",
        },
    ],
    "fund_arrivals": [
        {
            "project_id": "P001",
            "date": "2024-03-01",
            "amount_wan": "2000",
            "fixed_asset_wan": "1500",
            "fdi_usd_wan": "0",
            "fx_usd_wan": "0",
        },
        {
            "project_id": "P002",
            "date": "2024-06-15",
            "amount_wan": "1200",
            "fixed_asset_wan": "1000",
            "fdi_usd_wan": "150",
            "fx_usd_wan": "100",
        },
    ],
    "leads": [
        {
            "lead_id": "L001",
            "reported_at": "2024-01-05 09:30",
            "reporter_unit_id": "D01",
            "company": "华材科技有限公司",
            "industry_id": "IND01",
            "intended_investment_wan": "10000",
            "tier": "major",
            "status": "valid",
            "project_id": "P001",
        },
        {
            "lead_id": "L002",
            "reported_at": "2024-03-02 14:05:09",
            "reporter_unit_id": "T02",
            "company": "某新能源企业",
            "industry_id": "IND03",
            "intended_investment_wan": "0",
            "tier": "general",
            "status": "pending",
        },
    ],
    "targets": [
        {"year": "2024", "scope": "county", "metric": "signed_projects", "value": "30"},
        {"year": "2024", "scope": "county", "metric": "fdi_usd_wan", "value": "500"},
        {"year": "2024", "scope": "D01", "metric": "signed_projects", "value": "3"},
        {"year": "2024", "scope": "T01", "metric": "valid_leads", "value": "5"},
    ],
    "problems": [
        {
            "problem_id": "Q001",
            "project_id": "P002",
            "raised_on": "2024-06-20",
            "description": "用地指标未落实",
            "responsible_unit_id": "D02",
            "due_date": "2024-07-31",
        },
    ],
    "station_reports": [
        {"squad_id": "SQ03", "month": "2024-06", "member": "赵六", "days_on_post": "22"},
    ],
}


def valid_tables() -> dict[str, Rows]:
    """A small, consistent dataset (every table, every rule satisfied); a fresh copy each call."""
    return copy.deepcopy(_VALID)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _headers(table: str, names: list[str], chinese_headers: bool) -> list[str]:
    if chinese_headers and table in TABLES_BY_NAME:
        known = {c.name: c.zh for c in TABLES_BY_NAME[table].columns}
        return [known.get(n, n) for n in names]
    return list(names)


def _column_names(table: str, rows: Rows, columns: dict[str, list[str]] | None) -> list[str]:
    if columns and table in columns:
        return columns[table]
    if table in TABLES_BY_NAME:
        return TABLES_BY_NAME[table].column_names
    return list(dict.fromkeys(k for row in rows for k in row))  # an unknown table


def _file_label(table: str, chinese_names: bool) -> str:
    return TABLES_BY_NAME[table].zh if chinese_names and table in TABLES_BY_NAME else table


def write_csv_folder(
    folder: Path,
    tables: dict[str, Rows],
    *,
    chinese_names: bool = False,
    chinese_headers: bool = False,
    bom: bool = True,
    columns: dict[str, list[str]] | None = None,
) -> Path:
    """One ``<table>.csv`` per table (``<中文名>.csv`` with ``chinese_names``).

    ``columns``: per table, the header to write (default: every schema column); a name not in
    the schema makes an unknown column, its values taken from the row dicts.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        names = _column_names(table, rows, columns)
        headers = _headers(table, names, chinese_headers)
        path = folder / f"{_file_label(table, chinese_names)}.csv"
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in rows:
                writer.writerow([_csv_text(row.get(n)) for n in names])
    return folder


def write_xlsx(
    path: Path,
    tables: dict[str, Rows],
    *,
    chinese_names: bool = False,
    chinese_headers: bool = False,
    columns: dict[str, list[str]] | None = None,
) -> Path:
    """One sheet per table (Chinese sheet names with ``chinese_names``); Python dates become
    Excel date cells, bools boolean cells, numbers number cells."""
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table, rows in tables.items():
        names = _column_names(table, rows, columns)
        sheet = workbook.create_sheet(_file_label(table, chinese_names))
        sheet.append(_headers(table, names, chinese_headers))
        for row in rows:
            sheet.append([row.get(n) for n in names])
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, datetime):
                    cell.number_format = "yyyy-mm-dd hh:mm:ss"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
                elif isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # a text, not a formula
    workbook.save(path)
    return path


def contract_table_names() -> list[str]:
    return [t.name for t in TABLES]
