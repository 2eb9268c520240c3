"""Reading a dataset: a CSV folder or an .xlsx workbook -> raw frames, within the limits.

Cells are kept as the file holds them (CSV: strings; xlsx: numbers, dates, strings), column names
are the English ones, and each frame's index is the row number the user sees (header = row 1).
Nothing is parsed here; ``importer_validate`` does that.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.core.schema import (
    ID,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    TABLES,
    TABLES_BY_NAME,
    TEXT,
    Table,
)
from analytics.data.importer_issues import ImportFailed, ImportIssue, table_issue
from analytics.data.values import csv_unguard_series, display_value, shown_text
from analytics.data.xlsx_bounds import workbook_problems

_TABLE_BY_LABEL: dict[str, str] = {}
for _t in TABLES:
    _TABLE_BY_LABEL[_t.name.lower()] = _t.name
    _TABLE_BY_LABEL[_t.zh] = _t.name


def normalise_label(text: Any) -> str:
    """A header or sheet name as typed: BOM, spaces and full-width brackets do not matter."""
    label = "" if text is None else str(text)
    label = label.replace("\ufeff", "").replace("(", "(").replace(")", ")")
    return "".join(label.split())


def table_for_label(label: str) -> str | None:
    """The contract table a file stem or sheet name stands for (English or Chinese name)."""
    norm = normalise_label(label)
    return _TABLE_BY_LABEL.get(norm.lower()) or _TABLE_BY_LABEL.get(norm)


def column_lookup(table: Table) -> dict[str, str]:
    lookup = {}
    for c in table.columns:
        lookup[c.name.lower()] = c.name
        lookup[normalise_label(c.zh)] = c.name
    return lookup


def _frame_from_rows(
    table: Table,
    headers: list[Any],
    rows: Iterable[tuple[int, list[Any]]],
    issues: list[ImportIssue],
) -> pd.DataFrame:
    """Match headers to columns (English or Chinese), keep the known ones, report the rest."""
    lookup = column_lookup(table)
    positions: dict[str, int] = {}
    for pos, header in enumerate(headers):
        label = normalise_label(header)
        if not label:
            continue
        name = lookup.get(label.lower()) or lookup.get(label)
        if name is None:
            shown = shown_text(str(header).strip())
            issues.append(
                table_issue(
                    table.name,
                    None,
                    str(header).strip(),
                    f'未知的列"{shown}",应为本表的列名(英文或中文):'
                    + "、".join(f"{c.name}/{c.zh}" for c in table.columns),
                    f'unknown column "{shown}"; the columns of {table.name} are '
                    + ", ".join(c.name for c in table.columns),
                )
            )
        elif name in positions:
            issues.append(
                table_issue(
                    table.name,
                    name,
                    str(header).strip(),
                    f"列 {name}({table.column(name).zh}) 重复出现,每列只能有一个表头",
                    f"column {name} appears twice; give each column once",
                )
            )
        else:
            positions[name] = pos
    width = len(headers)
    named = {pos for pos, h in enumerate(headers) if normalise_label(h)}
    index: list[int] = []
    data: list[list[Any]] = []
    take = list(positions.items())
    for number, cells in rows:
        if all(_is_blank(v) for v in cells):
            continue  # fully empty rows are skipped
        stray = [i for i, v in enumerate(cells) if not _is_blank(v) and (i >= width or i not in named)]
        if stray:
            issues.append(
                ImportIssue(
                    table.name,
                    number,
                    None,
                    display_value(cells[stray[0]]),
                    f"第 {stray[0] + 1} 列有内容但没有表头;请删除该内容或补上列名",
                    f"cell {stray[0] + 1} has a value but its column has no header",
                )
            )
        index.append(number)
        data.append([cells[pos] if pos < len(cells) else None for _, pos in take])
    columns = [name for name, _ in take]
    arr = np.empty((len(data), len(columns)), dtype=object)
    if data:
        arr[:, :] = data
    return pd.DataFrame(arr, columns=columns, index=pd.Index(index, dtype="int64", name="row"))


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _too_big(table: str, where_zh: str, where_en: str, zh: str, en: str) -> ImportIssue:
    return table_issue(table, None, None, f"{where_zh} {zh}", f"{where_en} {en}")


def _csv_records(path: Path, table: Table, issues: list[ImportIssue]) -> list[list[str]] | None:
    """The records of a CSV file within the limits (file size, rows, columns, cell size), or None
    with the reason among ``issues``."""
    where_zh, where_en = f"文件 {path.name}", f"file {path.name}"
    size = path.stat().st_size
    if size > MAX_UNPACKED_BYTES:
        issues.append(
            _too_big(
                table.name,
                where_zh,
                where_en,
                f"有 {size // 2**20} MB,超过 {MAX_UNPACKED_BYTES // 2**20} MB 的上限",
                f"is {size // 2**20} MB, above the limit of {MAX_UNPACKED_BYTES // 2**20} MB",
            )
        )
        return None
    records: list[list[str]] = []
    # The csv module refuses cells above 131,072 characters; the file size bounds a cell instead,
    # so an overlong text reaches validation and is reported with its column and the text limit.
    # (A process-wide setting, always set to this same value.)
    csv.field_size_limit(MAX_UNPACKED_BYTES)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            for record in reader:
                if len(record) > MAX_SHEET_COLUMNS:
                    issues.append(
                        _too_big(
                            table.name,
                            f"{where_zh} 第{reader.line_num}行",
                            f"{where_en} line {reader.line_num}",
                            f"有 {len(record)} 列,超过每张表 {MAX_SHEET_COLUMNS} 列的上限",
                            f"has {len(record)} columns, above the limit of {MAX_SHEET_COLUMNS}",
                        )
                    )
                    return None
                if len(records) > MAX_SHEET_ROWS:  # the header and MAX_SHEET_ROWS data rows read
                    issues.append(
                        _too_big(
                            table.name,
                            where_zh,
                            where_en,
                            f"超过每张表 {MAX_SHEET_ROWS:,} 行数据的上限;请分批导入",
                            f"has more than {MAX_SHEET_ROWS:,} data rows, the limit; import it in parts",
                        )
                    )
                    return None
                records.append(record)
        except csv.Error as exc:  # e.g. a stray quote before the end of the file
            issues.append(
                _too_big(
                    table.name,
                    f"{where_zh} 第{reader.line_num}行",
                    f"{where_en} line {reader.line_num}",
                    f"无法按 CSV 读取({exc})",
                    f"cannot be read as CSV ({exc})",
                )
            )
            return None
    return records


def _read_csv_file(path: Path, table: Table, issues: list[ImportIssue]) -> pd.DataFrame | None:
    try:
        records = _csv_records(path, table, issues)
        if records is None:
            return None
    except UnicodeDecodeError:
        issues.append(
            table_issue(
                table.name,
                None,
                None,
                f"文件 {path.name} 不是 UTF-8 编码;请在 Excel 中选择“另存为 → CSV UTF-8(逗号分隔)”",
                f"file {path.name} is not UTF-8; save it as 'CSV UTF-8 (Comma delimited)'",
            )
        )
        return None
    if not records or not any(normalise_label(h) for h in records[0]):
        issues.append(_no_header(table, path.name))
        return None
    frame = _frame_from_rows(table, records[0], enumerate(records[1:], start=2), issues)
    # Undo the exporter's formula guard (values.csv_guard) on text cells.
    for column in table.columns:
        if column.kind in (ID, TEXT) and column.name in frame.columns:
            frame[column.name] = csv_unguard_series(frame[column.name].astype(object)).astype(object)
    return frame


def _no_header(table: Table, where: str) -> ImportIssue:
    return table_issue(
        table.name,
        None,
        None,
        f"{where} 没有表头;第 1 行应为列名",
        f"{where} has no header row; row 1 must hold the column names",
    )


def _read_folder(folder: Path, issues: list[ImportIssue]) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    seen: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith((".", "~$")) or not path.is_file() or path.suffix.lower() != ".csv":
            continue  # hidden files, Excel lock files, sub-folders and non-CSV files are not data
        name = table_for_label(path.stem)
        if name is None:
            issues.append(unknown_table(path.stem, f"文件 {path.name}", f"file {path.name}"))
            continue
        if name in seen:
            issues.append(_twice(name, seen[name], path.name))
            continue
        seen[name] = path.name
        frame = _read_csv_file(path, TABLES_BY_NAME[name], issues)
        if frame is not None:
            frames[name] = frame
    return frames


def unknown_table(label: str, where_zh: str, where_en: str) -> ImportIssue:
    known = "、".join(f"{t.name}/{t.zh}" for t in TABLES)
    return table_issue(
        label,
        None,
        None,
        f"{where_zh} 不是已知的表;表名应为:{known}",
        f"{where_en} is not a table of the contract; the tables are " + ", ".join(TABLES_BY_NAME),
    )


def _twice(name: str, first: str, second: str) -> ImportIssue:
    return table_issue(
        name,
        None,
        None,
        f"表 {name} 出现了两次({first} 和 {second}),只能保留一个",
        f"table {name} is given twice ({first} and {second}); keep one",
    )


def _cell(value: Any) -> Any:
    """A calamine cell as openpyxl would give it, so the parsers see one set of types: blank → None,
    whole numbers → int (Excel stores every number as a float), date cells → datetime."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def _sheet_rows(sheet: Any) -> Iterator[tuple[int, list[Any]]]:
    """A calamine sheet's rows, lazily, numbered and placed as Excel shows them: ``iter_rows``
    starts at row 1 but at the first used column, so leading empty columns are put back."""
    start = sheet.start
    pad = [None] * (start[1] if start is not None else 0)
    for number, row in enumerate(sheet.iter_rows(), start=1):
        yield number, pad + [_cell(v) for v in row]


def _read_workbook(path: Path, issues: list[ImportIssue]) -> dict[str, pd.DataFrame]:
    """Read with python-calamine (a Rust reader, ~10× faster than openpyxl on large ledgers)."""
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    frames: dict[str, pd.DataFrame] = {}
    seen: dict[str, str] = {}
    # Bounds first: calamine aborts the process (no exception) when it cannot allocate a sheet.
    problems = workbook_problems(path)
    for problem in problems:
        if problem.sheet is None:
            table, zh, en = (
                path.name,
                f"工作簿 {path.name}:{problem.zh}",
                f"workbook {path.name}: {problem.en}",
            )
        else:
            table = table_for_label(problem.sheet) or problem.sheet
            zh, en = f"工作表 {problem.sheet}:{problem.zh}", f"sheet {problem.sheet}: {problem.en}"
        issues.append(table_issue(table, None, None, zh, en))
    if problems:  # the workbook is not read at all: its bounds are the only errors to report
        raise ImportFailed(issues)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # a corrupt or non-xlsx file: one clear issue, not a traceback
        issues.append(
            table_issue(
                path.name,
                None,
                None,
                f"无法打开工作簿 {path.name}:{exc}",
                f"cannot open workbook {path.name}: {exc}",
            )
        )
        return frames
    try:
        for meta in workbook.sheets_metadata:
            if meta.visible != SheetVisibleEnum.Visible:
                continue  # hidden sheets (e.g. drop-down lists) are not data
            title = meta.name
            name = table_for_label(title)
            if name is None:
                issues.append(unknown_table(title, f"工作表 {title}", f"sheet {title}"))
                continue
            if name in seen:
                issues.append(_twice(name, seen[name], title))
                continue
            seen[name] = title
            rows = _sheet_rows(workbook.get_sheet_by_name(title))
            first = next(rows, None)
            if first is None or not any(normalise_label(h) for h in first[1]):
                issues.append(_no_header(TABLES_BY_NAME[name], f"工作表 {title}"))
                continue
            frames[name] = _frame_from_rows(TABLES_BY_NAME[name], first[1], rows, issues)
    finally:
        workbook.close()
    return frames


def read_path(path: Path) -> tuple[dict[str, pd.DataFrame], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    path = Path(path)
    if path.is_dir():
        frames = _read_folder(path, issues)
    elif path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        frames = _read_workbook(path, issues)
    else:
        issues.append(
            table_issue(
                str(path),
                None,
                None,
                f"{path} 不是 CSV 文件夹,也不是 .xlsx 工作簿",
                f"{path} is neither a folder of CSV files nor an .xlsx workbook",
            )
        )
        frames = {}
    return frames, issues


def upload_size_problem(size: int) -> str | None:
    """Why an uploaded file is refused before it is even saved (None: within ``MAX_UPLOAD_BYTES``).

    The server refuses larger uploads too (``server.maxUploadSize``); this is the same limit
    checked again by the handler, so a changed server setting cannot lift it."""
    if size <= MAX_UPLOAD_BYTES:
        return None
    return (
        f"文件有 {size / 2**20:.1f} MB,超过 {MAX_UPLOAD_BYTES // 2**20} MB 的上传上限,未读取,数据未改动。"
        "请删除多余的工作表或内容后重新上传。"
    )


def read_source(path: Path | str) -> dict[str, pd.DataFrame]:
    """Raw tables of a CSV folder or .xlsx workbook; ``ImportFailed`` on unreadable structure.

    Cells are kept as the file holds them (CSV: strings; xlsx: numbers, dates, strings), column
    names are the English ones, and the index is each row's number as the user sees it.
    """
    frames, issues = read_path(Path(path))
    if issues:
        raise ImportFailed(issues)
    return frames
