"""Export the database in the contract format (DATA_CONTRACT.md), so export → import round-trips.

- ``out`` ending in ``.xlsx``: one workbook for the county office — sheets and headers in
  Chinese, enum values as their Chinese labels, bools as 是/否, dates as real Excel date cells,
  money as ``#,##0.00``, the city's growth as a percentage (``0.0%``, the cell still holds the
  fraction); header row frozen. Every text is a text cell, never a formula.
- otherwise: a folder of ``<table>.csv`` (English names, codes, true/false, ISO dates), UTF-8
  with BOM so Excel opens the Chinese right. Texts that Excel would run as a formula (starting
  with = + - @) get one leading apostrophe, removed again on import (``values.csv_guard``).

Only contract columns are written (not ``row_version`` or other internal columns), in schema
order, rows in the order they were inserted.
"""

from __future__ import annotations

import csv
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from analytics.core.schema import (
    BOOL,
    COUNTY_METRICS,
    DATE,
    DATETIME,
    ENUM,
    ID,
    INT,
    MONEY,
    NUMBER,
    TABLES,
    TEXT,
    UNIT_METRICS,
    Column,
    Table,
)
from analytics.data.values import PERCENT_COLUMNS, csv_guard

MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"  # a fraction column (trade.city_growth): 0.085 shows as 8.5%, stays 0.085
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _rows(con: duckdb.DuckDBPyConnection, table: Table) -> list[tuple]:
    cur = con.cursor()
    try:
        cols = ", ".join(table.column_names)
        return cur.execute(f"SELECT {cols} FROM {table.name} ORDER BY rowid").fetchall()
    finally:
        cur.close()


def export_dataset(con: duckdb.DuckDBPyConnection, out: Path | str) -> Path:
    """Write every contract table to ``out`` (.xlsx workbook, or else a CSV folder); returns it."""
    out = Path(out)
    if out.suffix.lower() == ".xlsx":
        return _export_xlsx(con, out)
    return _export_csv(con, out)


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def _number_text(value: float | int) -> str:
    """Shortest text that reads back as the same number (12000.0 -> "12000")."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def _csv_cell(column: Column, value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    kind = column.kind
    if kind == BOOL:
        return "true" if value else "false"
    if kind == DATE:
        return value.isoformat()
    if kind == DATETIME:
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind in (MONEY, NUMBER, INT):
        return _number_text(value)
    if kind in (ID, TEXT):
        return csv_guard(str(value))
    return str(value)


def _export_csv(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        path = folder / f"{table.name}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.column_names)
            columns = table.columns
            for row in _rows(con, table):
                writer.writerow([_csv_cell(c, v) for c, v in zip(columns, row, strict=True)])
    return folder


# ---------------------------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------------------------


def _enum_label(table: Table, column: Column, value: str, row: dict[str, Any]) -> str:
    if table.name == "targets" and column.name == "metric":
        metrics = COUNTY_METRICS if row.get("scope") == "county" else UNIT_METRICS
        return metrics.get(value, value)
    return column.choices.get(value, value)


def _width(column: Column) -> float:
    base = {DATE: 12, DATETIME: 19, BOOL: 8, MONEY: 14, NUMBER: 12, INT: 8, ENUM: 12}.get(column.kind, 16)
    if column.name in ("name", "company", "description", "note"):
        base = 30
    # A CJK character is about two columns wide.
    return max(base, 2 * len(column.zh) + 2)


def _export_xlsx(con: duckdb.DuckDBPyConnection, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    for table in TABLES:
        sheet = workbook.create_sheet(table.zh)
        sheet.freeze_panes = "A2"
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = _width(column)
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.zh)
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            header.append(cell)
        sheet.append(header)
        names = table.column_names
        for values in _rows(con, table):
            row = dict(zip(names, values, strict=True))
            sheet.append([_xlsx_cell(sheet, table, c, row[c.name], row) for c in table.columns])
    workbook.save(path)
    return path


def _xlsx_cell(sheet: Any, table: Table, column: Column, value: Any, row: dict[str, Any]) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    kind = column.kind
    if kind == BOOL:
        return "是" if value else "否"
    if kind == ENUM:
        value = _enum_label(table, column, value, row)
    if kind == DATE:
        cell = WriteOnlyCell(sheet, value=value if isinstance(value, date) else value.date())
        cell.number_format = DATE_FORMAT
        return cell
    if kind == DATETIME:
        cell = WriteOnlyCell(
            sheet, value=value if isinstance(value, datetime) else datetime.fromisoformat(value)
        )
        cell.number_format = DATETIME_FORMAT
        return cell
    if kind == MONEY or column.name in PERCENT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = MONEY_FORMAT if kind == MONEY else PERCENT_FORMAT
        return cell
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"  # openpyxl would make "=..." a formula: keep every text a text
        return cell
    return value
