"""The Excel workbook behind a bulletin: one sheet per table, Chinese headers, numbers as numbers.

Money columns (万元 / 万美元) carry ``#,##0.00``, rates ``0.0%``, dates ``yyyy-mm-dd``; text is always
stored as text, so a project name that starts with ``=`` never becomes a formula.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"
SCORE_FORMAT = "0.00"

HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
THIN = Side(style="thin", color="8A96A8")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "宋体"


@dataclass
class Sheet:
    """One sheet: a title line above the table, ``columns`` maps DataFrame column → Chinese header."""

    name: str
    title: str
    frame: pd.DataFrame
    columns: dict[str, str]
    money: Sequence[str] = field(default_factory=tuple)
    rates: Sequence[str] = field(default_factory=tuple)
    scores: Sequence[str] = field(default_factory=tuple)
    # When set, ``money`` columns get the money format only on rows where this column is truthy
    # (a table mixing counts and amounts row by row); other rows get ``#,##0``.
    money_if: str | None = None


def _plain(value: object) -> object:
    """A cell value openpyxl stores as-is: numbers, dates, text; missing values blank."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if hasattr(value, "item"):  # numpy scalars
        return _plain(value.item())
    return value


def _write(cell: Cell, value: object) -> None:
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text, even "=1+1"


def workbook_bytes(sheets: Sequence[Sheet], generated: str) -> bytes:
    """The workbook as bytes; ``generated`` is written under each sheet's title (口径 and date)."""
    book = Workbook()
    book.remove(book.active)
    for spec in sheets:
        ws = book.create_sheet(spec.name[:31])
        ws.cell(row=1, column=1, value=spec.title).font = Font(name=FONT, size=14, bold=True)
        _write(ws.cell(row=2, column=1), generated)
        ws.cell(row=2, column=1).font = Font(name=FONT, size=10, color="4A5668")
        header_row = 4
        keys = list(spec.columns)
        for j, key in enumerate(keys, start=1):
            cell = ws.cell(row=header_row, column=j)
            _write(cell, spec.columns[key])
            cell.font = Font(name=FONT, bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        widths = [max(8, len(spec.columns[k]) * 2 + 2) for k in keys]
        frame = spec.frame.reset_index(drop=True)
        money_rows = (
            frame[spec.money_if].astype(bool) if spec.money_if else pd.Series(True, index=frame.index)
        )
        for i, record in enumerate(frame[keys].itertuples(index=False), start=header_row + 1):
            is_money_row = bool(money_rows.iloc[i - header_row - 1])
            for j, (key, raw) in enumerate(zip(keys, record, strict=True), start=1):
                cell = ws.cell(row=i, column=j)
                value = _plain(raw)
                _write(cell, value)
                cell.border = BORDER
                cell.font = Font(name=FONT)
                if key in spec.money:
                    cell.number_format = MONEY_FORMAT if is_money_row else "#,##0"
                elif key in spec.rates:
                    cell.number_format = RATE_FORMAT
                elif key in spec.scores:
                    cell.number_format = SCORE_FORMAT
                elif isinstance(value, date | datetime):
                    cell.number_format = DATE_FORMAT
                if isinstance(value, str):
                    widths[j - 1] = max(widths[j - 1], min(60, len(value) * 2 + 2))
        for j, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(j)].width = width
        ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
