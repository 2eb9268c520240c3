"""Import a contract dataset (DATA_CONTRACT.md): read, validate every rule, write all or nothing.

The steps, each usable on its own:

- ``read_source(path)``: a CSV folder or an .xlsx workbook -> raw DataFrames (cells as the file
  holds them; English column names; the index is the row number the user sees, header = 1).
- ``validate_frames(frames, con)`` / ``validate_table_rows(table, raw, references)``: every
  value format and row rule, every error collected (never only the first). A data-entry form
  validates its rows here too, so it accepts and rejects exactly what an import does.
- ``load_dataset(path)``: both of the above; typed DataFrames or ``ImportFailed``.
- ``import_path(con, path, actor=..., source=...)``: replace-all in one transaction, audited.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.data.demo_mark import is_demo_dataset, mark_demo_database
from analytics.data.keys import fill_company_keys
from analytics.core.schema import (
    BOOL,
    COUNTY_METRICS,
    DATE,
    DATETIME,
    ID,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_UPLOAD_BYTES,
    TABLE_ORDER,
    TABLES,
    TABLES_BY_NAME,
    TEXT,
    UNIT_METRICS,
    Table,
)
from analytics.data.store import VERSIONED_TABLES, open_database, record_audit, rollback_after_error, scalar
from analytics.data.values import (
    TYPED_DTYPES,
    csv_unguard_series,
    display_value,
    expected_for,
    parse_series,
    shown_text,
    zh_gap,
)
from analytics.data.xlsx_bounds import workbook_problems

COUNTY_SCOPE = "county"

# Extra labels accepted for an enum column beyond its own choices: the county metrics' Chinese
# names are valid labels of targets.metric as much as the unit metrics' ones are.
EXTRA_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("targets", "metric"): {label: code for code, label in COUNTY_METRICS.items()},
}


# ---------------------------------------------------------------------------------------------
# Issues
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportIssue:
    """One error: where (table, row as the user sees it with header = 1, column) and what."""

    table: str
    row: int | None
    column: str | None
    value: str | None
    expected_zh: str
    expected_en: str

    def __post_init__(self) -> None:
        # A value is shown cut short and with control characters escaped (a 1,000,000-character
        # name or a NUL byte must not flood or break the message).
        if self.value is not None:
            object.__setattr__(self, "value", shown_text(str(self.value)))

    def __str__(self) -> str:
        table = TABLES_BY_NAME.get(self.table)
        col_zh = ""
        if table is not None and self.column in table.column_names:
            col_zh = f"({table.column(self.column).zh})"
        where_zh = self.table + (f" 第{self.row}行" if self.row is not None else "")
        where_en = self.table + (f" row {self.row}" if self.row is not None else "")
        if self.column:
            where_zh += f" {self.column}{col_zh}"
            where_en += f", column {self.column}"
        if self.value is None:
            return f"{where_zh}: {self.expected_zh} / {where_en}: {self.expected_en}"
        return (
            f'{where_zh}: 值 "{self.value}" 不符合要求:应为{zh_gap(self.expected_zh)}{self.expected_zh}'
            f' / {where_en}: value "{self.value}" — expected {self.expected_en}'
        )


class ImportFailed(Exception):
    """The dataset has errors; ``errors`` lists every one. Nothing was written."""

    def __init__(self, errors: list[ImportIssue]) -> None:
        self.errors = errors
        shown = "\n".join(str(e) for e in errors[:20])
        more = f"\n... 另有 {len(errors) - 20} 处 / and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} 处错误 / error(s):\n{shown}{more}")


@dataclass(frozen=True)
class TableChange:
    """One table's row count before and after an import."""

    table: str
    before: int
    after: int

    @property
    def shrinks(self) -> bool:
        """The import empties the table or takes more than half of its rows away (2·after < before):
        it needs an explicit confirmation (docs/data-format.md, "导入确认")."""
        return 2 * self.after < self.before

    def __str__(self) -> str:
        zh = TABLES_BY_NAME[self.table].zh
        return f"{zh} {self.table}: {self.before} → {self.after} 行 / rows"


class ShrinkRefused(Exception):
    """The import would empty a table or shrink it by more than half and was not confirmed
    (``allow_shrink``). ``changes``: every table's before → after. Nothing was written."""

    def __init__(self, changes: list[TableChange]) -> None:
        self.changes = changes
        shrinking = "\n".join(f"  {c}" for c in changes if c.shrinks)
        super().__init__(
            "导入会清空数据表或使其减少一半以上,需要确认后才能导入,数据库未改动:\n"
            f"{shrinking}\n"
            "The import would empty a table or remove more than half of its rows; it needs an explicit "
            "confirmation. The database is unchanged."
        )

    @property
    def shrinking(self) -> list[TableChange]:
        return [c for c in self.changes if c.shrinks]


@dataclass
class ValidationResult:
    """Typed tables (index = the user's row numbers) and every issue found."""

    tables: dict[str, pd.DataFrame]
    issues: list[ImportIssue]

    @property
    def ok(self) -> bool:
        return not self.issues


@dataclass
class ImportSummary:
    """What an import wrote: rows per table, and the optional tables it left untouched."""

    path: Path
    row_counts: dict[str, int]
    previous_counts: dict[str, int]
    untouched: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [f"导入完成 / import complete: {self.path}"]
        for name, count in self.row_counts.items():
            zh = TABLES_BY_NAME[name].zh
            lines.append(f"  {zh} {name}: {count} 行 / rows (原有 / before: {self.previous_counts[name]})")
        if self.untouched:
            names = ", ".join(f"{TABLES_BY_NAME[n].zh} {n}" for n in self.untouched)
            lines.append(
                f"  文件中没有、保持原样的可选表 / optional tables not in the file, left as they were: {names}"
            )
        lines.append(f"  用时 / took {self.seconds:.2f} s")
        return "\n".join(lines)


def _table_issue(table: str, column: str | None, value: str | None, zh: str, en: str) -> ImportIssue:
    return ImportIssue(table, None, column, value, zh, en)


# ---------------------------------------------------------------------------------------------
# Reading: files and sheets -> raw frames
# ---------------------------------------------------------------------------------------------

_TABLE_BY_LABEL: dict[str, str] = {}
for _t in TABLES:
    _TABLE_BY_LABEL[_t.name.lower()] = _t.name
    _TABLE_BY_LABEL[_t.zh] = _t.name


def _normalise_label(text: Any) -> str:
    """A header or sheet name as typed: BOM, spaces and full-width brackets do not matter."""
    label = "" if text is None else str(text)
    label = label.replace("\ufeff", "").replace("(", "(").replace(")", ")")
    return "".join(label.split())


def table_for_label(label: str) -> str | None:
    """The contract table a file stem or sheet name stands for (English or Chinese name)."""
    norm = _normalise_label(label)
    return _TABLE_BY_LABEL.get(norm.lower()) or _TABLE_BY_LABEL.get(norm)


def _column_lookup(table: Table) -> dict[str, str]:
    lookup = {}
    for c in table.columns:
        lookup[c.name.lower()] = c.name
        lookup[_normalise_label(c.zh)] = c.name
    return lookup


def _frame_from_rows(
    table: Table,
    headers: list[Any],
    rows: Iterable[tuple[int, list[Any]]],
    issues: list[ImportIssue],
) -> pd.DataFrame:
    """Match headers to columns (English or Chinese), keep the known ones, report the rest."""
    lookup = _column_lookup(table)
    positions: dict[str, int] = {}
    for pos, header in enumerate(headers):
        label = _normalise_label(header)
        if not label:
            continue
        name = lookup.get(label.lower()) or lookup.get(label)
        if name is None:
            shown = shown_text(str(header).strip())
            issues.append(
                _table_issue(
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
                _table_issue(
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
    named = {pos for pos, h in enumerate(headers) if _normalise_label(h)}
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
    return _table_issue(table, None, None, f"{where_zh} {zh}", f"{where_en} {en}")


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
            _table_issue(
                table.name,
                None,
                None,
                f"文件 {path.name} 不是 UTF-8 编码;请在 Excel 中选择“另存为 → CSV UTF-8(逗号分隔)”",
                f"file {path.name} is not UTF-8; save it as 'CSV UTF-8 (Comma delimited)'",
            )
        )
        return None
    if not records or not any(_normalise_label(h) for h in records[0]):
        issues.append(_no_header(table, path.name))
        return None
    frame = _frame_from_rows(table, records[0], enumerate(records[1:], start=2), issues)
    # Undo the exporter's formula guard (values.csv_guard) on text cells.
    for column in table.columns:
        if column.kind in (ID, TEXT) and column.name in frame.columns:
            frame[column.name] = csv_unguard_series(frame[column.name].astype(object)).astype(object)
    return frame


def _no_header(table: Table, where: str) -> ImportIssue:
    return _table_issue(
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
            issues.append(_unknown_table(path.stem, f"文件 {path.name}", f"file {path.name}"))
            continue
        if name in seen:
            issues.append(_twice(name, seen[name], path.name))
            continue
        seen[name] = path.name
        frame = _read_csv_file(path, TABLES_BY_NAME[name], issues)
        if frame is not None:
            frames[name] = frame
    return frames


def _unknown_table(label: str, where_zh: str, where_en: str) -> ImportIssue:
    known = "、".join(f"{t.name}/{t.zh}" for t in TABLES)
    return _table_issue(
        label,
        None,
        None,
        f"{where_zh} 不是已知的表;表名应为:{known}",
        f"{where_en} is not a table of the contract; the tables are " + ", ".join(TABLES_BY_NAME),
    )


def _twice(name: str, first: str, second: str) -> ImportIssue:
    return _table_issue(
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
        issues.append(_table_issue(table, None, None, zh, en))
    if problems:  # the workbook is not read at all: its bounds are the only errors to report
        raise ImportFailed(issues)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # a corrupt or non-xlsx file: one clear issue, not a traceback
        issues.append(
            _table_issue(
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
                issues.append(_unknown_table(title, f"工作表 {title}", f"sheet {title}"))
                continue
            if name in seen:
                issues.append(_twice(name, seen[name], title))
                continue
            seen[name] = title
            rows = _sheet_rows(workbook.get_sheet_by_name(title))
            first = next(rows, None)
            if first is None or not any(_normalise_label(h) for h in first[1]):
                issues.append(_no_header(TABLES_BY_NAME[name], f"工作表 {title}"))
                continue
            frames[name] = _frame_from_rows(TABLES_BY_NAME[name], first[1], rows, issues)
    finally:
        workbook.close()
    return frames


def _read(path: Path) -> tuple[dict[str, pd.DataFrame], list[ImportIssue]]:
    issues: list[ImportIssue] = []
    path = Path(path)
    if path.is_dir():
        frames = _read_folder(path, issues)
    elif path.suffix.lower() in (".xlsx", ".xlsm") and path.is_file():
        frames = _read_workbook(path, issues)
    else:
        issues.append(
            _table_issue(
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
    frames, issues = _read(Path(path))
    if issues:
        raise ImportFailed(issues)
    return frames


# ---------------------------------------------------------------------------------------------
# References between tables
# ---------------------------------------------------------------------------------------------


@dataclass
class References:
    """What rows of one table may point at in others. ``None`` = not known: that check is skipped.

    Built from a dataset (``from_tables``), from the database (``from_database``), or both
    (``from_database(con).overlay(from_tables(...))``), so a form that adds one project checks
    its industry and units against the database.
    """

    industry_ids: set[str] | None = None
    unit_kinds: dict[str, str] | None = None  # unit_id -> township / department
    squad_kinds: dict[str, str] | None = None  # squad_id -> industry_chain / stationed
    project_signed: dict[str, pd.Timestamp] | None = None  # project_id -> signed_date
    project_source: dict[str, str] | None = None  # project_id -> source

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> References:
        refs = cls()
        if "industries" in tables:
            refs.industry_ids = set(tables["industries"]["industry_id"].dropna())
        if "units" in tables:
            units = tables["units"].dropna(subset=["unit_id"])
            refs.unit_kinds = dict(zip(units["unit_id"], units["kind"], strict=True))
        if "squads" in tables:
            squads = tables["squads"].dropna(subset=["squad_id"])
            refs.squad_kinds = dict(zip(squads["squad_id"], squads["kind"], strict=True))
        if "projects" in tables:
            projects = tables["projects"].dropna(subset=["project_id"])
            refs.project_signed = dict(zip(projects["project_id"], projects["signed_date"], strict=True))
            refs.project_source = dict(zip(projects["project_id"], projects["source"], strict=True))
        return refs

    @classmethod
    def from_database(cls, con: duckdb.DuckDBPyConnection) -> References:
        cur = con.cursor()
        try:
            tables = {
                name: cur.execute(f"SELECT * FROM {name}").df()
                for name in ("industries", "units", "squads", "projects")
            }
        finally:
            cur.close()
        return cls.from_tables(tables)

    def overlay(self, other: References) -> References:
        """These references with every field ``other`` knows replaced by ``other``'s."""
        merged = References()
        for name in self.__dataclass_fields__:
            theirs = getattr(other, name)
            setattr(merged, name, theirs if theirs is not None else getattr(self, name))
        return merged


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


class _Checker:
    """Collects issues for one table, naming the user's row numbers and showing raw values."""

    def __init__(self, table: Table, raw: pd.DataFrame) -> None:
        self.table = table
        self.raw = raw
        self.issues: list[ImportIssue] = []

    def flag(self, mask: pd.Series | np.ndarray, column: str, zh: str, en: str) -> None:
        rows = self.raw.index[_mask(mask)]
        for row in rows:
            raw_value = self.raw.at[row, column] if column in self.raw.columns else None
            self.issues.append(
                ImportIssue(self.table.name, int(row), column, display_value(raw_value), zh, en)
            )

    def flag_each(self, mask: pd.Series, column: str, texts: pd.Series) -> None:
        """Like ``flag`` with a per-row (zh, en) message."""
        for row in self.raw.index[_mask(mask)]:
            zh, en = texts.at[row]
            raw_value = self.raw.at[row, column] if column in self.raw.columns else None
            self.issues.append(
                ImportIssue(self.table.name, int(row), column, display_value(raw_value), zh, en)
            )


def _mask(mask: pd.Series | np.ndarray) -> np.ndarray:
    """A boolean mask where unknown (NA) counts as false."""
    if isinstance(mask, pd.Series):
        return mask.astype(object).fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def _check_columns(table: Table, raw: pd.DataFrame) -> tuple[pd.DataFrame | None, list[ImportIssue]]:
    """Rename Chinese headers, report unknown and missing required columns."""
    lookup = _column_lookup(table)
    issues: list[ImportIssue] = []
    renamed: dict[Any, str] = {}
    for col in raw.columns:
        label = _normalise_label(col)
        name = lookup.get(label.lower()) or lookup.get(label)
        if name is None:
            issues.append(
                _table_issue(table.name, None, str(col), f'未知的列"{col}"', f'unknown column "{col}"')
            )
        elif name in renamed.values():
            issues.append(
                _table_issue(
                    table.name, name, str(col), f"列 {name} 重复出现", f"column {name} appears twice"
                )
            )
        else:
            renamed[col] = name
    frame = raw[list(renamed)].rename(columns=renamed)
    # A bool column may be absent like it may be blank (= false); other required columns may not.
    missing = [c for c in table.columns if c.required and c.kind != BOOL and c.name not in frame.columns]
    for c in missing:
        issues.append(
            _table_issue(
                table.name,
                c.name,
                None,
                f"缺少必需的列 {c.name}({c.zh})",
                f"required column {c.name} ({c.zh}) is missing",
            )
        )
    if missing:
        return None, issues
    return frame, issues


def _parse_table(table: Table, raw: pd.DataFrame, checker: _Checker) -> pd.DataFrame:
    typed: dict[str, pd.Series] = {}
    for column in table.columns:
        labels = EXTRA_LABELS.get((table.name, column.name))
        source = (
            raw[column.name] if column.name in raw.columns else pd.Series(None, index=raw.index, dtype=object)
        )
        parsed = parse_series(column, source, labels)
        if parsed.bad.any():
            rows = raw.index[parsed.bad]
            blanks = parsed.blank[parsed.bad]
            for row, was_blank in zip(rows, blanks, strict=True):
                zh, en = expected_for(column, labels, blank=bool(was_blank), value=source.at[row])
                checker.issues.append(
                    ImportIssue(table.name, int(row), column.name, display_value(source.at[row]), zh, en)
                )
        typed[column.name] = parsed.values
    frame = pd.DataFrame(typed, index=raw.index)
    return frame


def _check_keys(table: Table, typed: pd.DataFrame, checker: _Checker) -> None:
    if not table.key or typed.empty:
        return
    key = list(table.key)
    complete = typed[key].notna().all(axis=1)
    dup = typed.duplicated(subset=key, keep="first") & complete
    if not dup.any():
        return
    first_of: dict[tuple, Any] = {}
    for row, k in zip(
        typed.index[complete], typed.loc[complete, key].itertuples(index=False, name=None), strict=True
    ):
        first_of.setdefault(k, row)
    last = key[-1]
    texts = pd.Series(index=typed.index, dtype=object)
    for row in typed.index[dup]:
        first = first_of[tuple(typed.loc[row, key])]
        if len(key) == 1:
            zh = f"本表内唯一的{table.column(last).zh}(与第{first}行重复)"
            en = f"a {last} unique within {table.name} (row {first} has the same)"
        else:
            names = "+".join(key)
            zh = f"本表内唯一的 {names} 组合(与第{first}行重复)"
            en = f"a unique combination of {names} (row {first} has the same)"
        texts.at[row] = (zh, en)
    checker.flag_each(dup, last, texts)


def _date_text(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def _not_before(
    checker: _Checker, typed: pd.DataFrame, later: str, earlier: pd.Series, earlier_name: str
) -> None:
    """Flag rows where ``typed[later]`` is before ``earlier`` (both known)."""
    mask = typed[later].notna() & earlier.notna() & (typed[later] < earlier)
    if not mask.any():
        return
    zh_name = (
        checker.table.column(earlier_name).zh if earlier_name in checker.table.column_names else earlier_name
    )
    texts = pd.Series(index=typed.index, dtype=object)
    for row in typed.index[mask]:
        when = _date_text(earlier.at[row])
        texts.at[row] = (f"不早于{zh_name} {when} 的日期", f"a date on or after {earlier_name} {when}")
    checker.flag_each(mask, later, texts)


def _row_rules(table: Table, typed: pd.DataFrame, checker: _Checker) -> None:
    """Rules inside one row (DATA_CONTRACT.md, per table)."""
    name = table.name
    if name == "projects":
        signed = typed["signed_date"]
        _not_before(checker, typed, "commenced_date", signed, "signed_date")
        _not_before(checker, typed, "production_date", typed["commenced_date"], "commenced_date")
        checker.flag(
            typed["production_date"].notna()
            & typed["commenced_date"].isna()
            & ~_bad_cell(checker, "commenced_date"),
            "commenced_date",
            "开工日期(已填投产日期的项目必须先有开工日期)",
            "a commenced_date (production_date requires commenced_date)",
        )
        _not_before(checker, typed, "in_stats_date", signed, "signed_date")
        _not_before(checker, typed, "written_off_date", signed, "signed_date")
    elif name == "fund_arrivals":
        checker.flag(
            typed["fixed_asset_wan"] > typed["amount_wan"],
            "fixed_asset_wan",
            "不大于到位资金(amount_wan)的金额",
            "an amount ≤ amount_wan",
        )
        checker.flag(
            typed["fx_usd_wan"] > typed["fdi_usd_wan"],
            "fx_usd_wan",
            "不大于实际利用外资(fdi_usd_wan)的金额",
            "an amount ≤ fdi_usd_wan",
        )
    elif name == "squads":
        checker.flag(
            (typed["kind"] == "industry_chain") & typed["station_city"].notna(),
            "station_city",
            "空白(只有驻点小分队填写驻点城市)",
            "blank (only stationed squads have a station_city)",
        )
    elif name == "units":
        township = typed["kind"] == "township"
        department = typed["kind"] == "department"
        checker.flag(
            township & typed["township_class"].isna() & ~_bad_cell(checker, "township_class"),
            "township_class",
            "乡镇类别 1 或 2(乡镇必填)",
            "1 or 2 (required for a township)",
        )
        checker.flag(
            department & typed["township_class"].notna(),
            "township_class",
            "空白(县直部门不填乡镇类别)",
            "blank (departments have no township_class)",
        )
        checker.flag(
            township & typed["squad_id"].notna(),
            "squad_id",
            "空白(乡镇不属于小分队)",
            "blank (townships belong to no squad)",
        )
    elif name == "targets":
        county = typed["scope"].str.lower() == COUNTY_SCOPE
        typed.loc[county.fillna(False), "scope"] = COUNTY_SCOPE
        metric = typed["metric"]
        county = county.fillna(False)
        checker.flag(
            county & metric.notna() & ~metric.isin(list(COUNTY_METRICS)),
            "metric",
            "县级指标之一:" + "、".join(f"{v}({k})" for k, v in COUNTY_METRICS.items()),
            "a county metric: " + ", ".join(COUNTY_METRICS),
        )
        checker.flag(
            ~county & typed["scope"].notna() & metric.notna() & ~metric.isin(list(UNIT_METRICS)),
            "metric",
            "单位指标之一:" + "、".join(f"{v}({k})" for k, v in UNIT_METRICS.items()),
            "a unit metric: " + ", ".join(UNIT_METRICS),
        )


def _bad_cell(checker: _Checker, column: str) -> pd.Series:
    """Rows already reported for ``column`` (so a rule does not report the same cell twice)."""
    rows = {i.row for i in checker.issues if i.column == column}
    return pd.Series(checker.raw.index.isin(list(rows)), index=checker.raw.index)


def _must_exist(
    checker: _Checker, typed: pd.DataFrame, column: str, known: Iterable[str] | None, zh: str, en: str
) -> None:
    if known is None:
        return
    values = typed[column]
    checker.flag(values.notna() & ~values.isin(list(known)), column, zh, en)


def _not_of_kind(ids: pd.Series, kinds: dict[str, str], expected: str) -> pd.Series:
    """Ids that are unknown, or whose row has a known kind other than ``expected`` (a row whose
    kind itself is malformed was reported already, so it is not blamed again here)."""
    kind = ids.map(kinds)
    unknown = ~ids.isin(list(kinds))
    return ids.notna() & (unknown | (kind.notna() & (kind != expected)))


def _reference_rules(table: Table, typed: pd.DataFrame, refs: References, checker: _Checker) -> None:
    """Rules that look into other tables."""
    name = table.name
    industry = ("已在产业表(industries)中登记的产业编码", "an industry_id listed in industries")
    unit = ("已在考核单位表(units)中登记的单位编码", "a unit_id listed in units")
    project = ("已在项目表(projects)中登记的项目编码", "a project_id listed in projects")
    units = refs.unit_kinds
    squads = refs.squad_kinds
    if name == "squads":
        _must_exist(checker, typed, "industry_id", refs.industry_ids, *industry)
    elif name == "units" and squads is not None:
        sid = typed["squad_id"]
        dept = (typed["kind"] == "department") & sid.notna()
        checker.flag(
            dept & _not_of_kind(sid, squads, "industry_chain"),
            "squad_id",
            "产业链小分队的编码(squads 表中类型为产业链)",
            "the squad_id of an industry_chain squad in squads",
        )
    elif name == "projects":
        _must_exist(checker, typed, "industry_id", refs.industry_ids, *industry)
        _must_exist(checker, typed, "introducing_unit_id", units, *unit)
        if units is not None:
            tid = typed["township_id"]
            checker.flag(
                _not_of_kind(tid, units, "township"),
                "township_id",
                "乡镇的单位编码(units 表中类型为乡镇)",
                "the unit_id of a township in units",
            )
    elif name == "fund_arrivals" and refs.project_signed is not None:
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
        signed = typed["project_id"].map(refs.project_signed)
        signed = pd.to_datetime(signed, errors="coerce").astype("datetime64[us]")
        _not_before(checker, typed, "date", signed, "signed_date")
        source = typed["project_id"].map(refs.project_source or {})
        checker.flag(
            (typed["fdi_usd_wan"] > 0) & source.notna() & (source != "foreign"),
            "fdi_usd_wan",
            "0(只有外资项目才有实际利用外资)",
            "0 (only foreign-source projects have foreign investment)",
        )
    elif name == "leads":
        _must_exist(checker, typed, "reporter_unit_id", units, *unit)
        _must_exist(checker, typed, "industry_id", refs.industry_ids, *industry)
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
    elif name == "targets" and units is not None:
        scope = typed["scope"]
        checker.flag(
            scope.notna() & (scope != COUNTY_SCOPE) & ~scope.isin(list(units)),
            "scope",
            "county(全县)或考核单位表(units)中的单位编码",
            "county or a unit_id listed in units",
        )
    elif name == "problems":
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
        _must_exist(checker, typed, "responsible_unit_id", units, *unit)
    elif name == "station_reports" and squads is not None:
        sid = typed["squad_id"]
        checker.flag(
            _not_of_kind(sid, squads, "stationed"),
            "squad_id",
            "驻点小分队的编码(squads 表中类型为驻点)",
            "the squad_id of a stationed squad in squads",
        )


def _validate_one(
    table: Table, raw: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, _Checker | None, list[ImportIssue]]:
    frame, issues = _check_columns(table, raw)
    if frame is None:
        return None, None, None, issues
    checker = _Checker(table, frame)
    typed = _parse_table(table, frame, checker)
    _check_keys(table, typed, checker)
    _row_rules(table, typed, checker)
    return frame, typed, checker, issues


def validate_table_rows(
    table_name: str, raw: pd.DataFrame, references: References | None = None
) -> ValidationResult:
    """Validate rows of one table (a form's submission, or one unit's upload).

    ``raw``: cells as entered (English or Chinese column names; absent optional columns are
    blank); its index is used as the row number in messages. ``references``: what the rows may
    point at (see ``References``); without it, references are not checked. Key uniqueness is
    checked within ``raw`` only.
    """
    table = TABLES_BY_NAME[table_name]
    _, typed, checker, issues = _validate_one(table, raw)
    if typed is None or checker is None:
        return ValidationResult({}, issues)
    if references is not None:
        _reference_rules(table, typed, references, checker)
    return ValidationResult({table_name: typed}, _sorted(issues + checker.issues))


def validate_frames(
    frames: dict[str, pd.DataFrame],
    con: duckdb.DuckDBPyConnection | None = None,
    *,
    complete: bool = False,
    unreadable: Collection[str] = (),
) -> ValidationResult:
    """Validate several raw tables together; references resolve against these tables first,
    then (when ``con`` is given) against the database. ``complete``: a whole dataset, so every
    non-optional table must be present, except those in ``unreadable`` (given, but refused while
    reading: that error is theirs).
    """
    issues: list[ImportIssue] = []
    if complete:
        for table in TABLES:
            if not table.optional and table.name not in frames and table.name not in unreadable:
                issues.append(
                    _table_issue(
                        table.name,
                        None,
                        None,
                        f"缺少表 {table.name}({table.zh}):应有文件 {table.name}.csv 或工作表 "
                        f"{table.name}/{table.zh}(可以没有数据行,但要有表头)",
                        f"table {table.name} is missing: give {table.name}.csv or a sheet named "
                        f"{table.name} (it may have no rows, but needs its header)",
                    )
                )
    checked: dict[str, tuple[pd.DataFrame, _Checker]] = {}
    for name in TABLE_ORDER:
        if name not in frames:
            continue
        _, typed, checker, table_issues = _validate_one(TABLES_BY_NAME[name], frames[name])
        issues += table_issues
        if typed is not None and checker is not None:
            checked[name] = (typed, checker)
    for name in frames:
        if name not in TABLES_BY_NAME:
            issues.append(_unknown_table(name, f"表 {name}", f"table {name}"))
    refs = References.from_tables({name: typed for name, (typed, _) in checked.items()})
    if con is not None:
        refs = References.from_database(con).overlay(refs)
    for name, (typed, checker) in checked.items():
        _reference_rules(TABLES_BY_NAME[name], typed, refs, checker)
        issues += checker.issues
    return ValidationResult({name: typed for name, (typed, _) in checked.items()}, _sorted(issues))


def _sorted(issues: list[ImportIssue]) -> list[ImportIssue]:
    order = {name: i for i, name in enumerate(TABLE_ORDER)}
    columns = {t.name: {c: i for i, c in enumerate(t.column_names)} for t in TABLES}
    return sorted(
        issues,
        key=lambda i: (
            order.get(i.table, -1),
            -1 if i.row is None else i.row,
            columns.get(i.table, {}).get(i.column or "", -1),
        ),
    )


# ---------------------------------------------------------------------------------------------
# Loading and importing
# ---------------------------------------------------------------------------------------------


def load_dataset(path: Path | str) -> dict[str, pd.DataFrame]:
    """The typed, validated tables of a dataset (schema column order, dtypes as DuckDB's
    ``.df()`` gives them, index 0..n-1), or ``ImportFailed`` listing every error.

    Optional tables absent from the source are absent from the result.
    """
    frames, issues = _read(Path(path))
    unreadable = {i.table for i in issues if i.table in TABLES_BY_NAME and i.table not in frames}
    result = validate_frames(frames, complete=True, unreadable=unreadable)
    issues = _sorted(issues + result.issues)
    if issues:
        raise ImportFailed(issues)
    return {name: typed.reset_index(drop=True) for name, typed in result.tables.items()}


def write_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: dict[str, pd.DataFrame],
    *,
    actor: str,
    source: str,
    demo: bool | None = None,
    allow_shrink: bool = False,
) -> dict[str, int]:
    """Replace every table of ``dataset`` in one transaction, with one audit entry per table that
    names the ids added, changed and removed (``_row_changes``).

    ``demo`` (when given) sets or clears the database's demo mark in the same transaction.
    Without ``allow_shrink``, an import that would empty a table or shrink it by more than half
    raises ``ShrinkRefused`` (every table's before → after) and writes nothing.
    Returns the previous row counts. On any error the transaction is rolled back.
    """
    previous: dict[str, int] = {}
    names = [name for name in TABLE_ORDER if name in dataset]
    # Views are registered outside the transaction: after a failed statement DuckDB refuses
    # everything but ROLLBACK, and the original error must be the one that surfaces.
    views = {name: f"_import_{name}" for name in names}
    for name in names:
        con.register(views[name], dataset[name][TABLES_BY_NAME[name].column_names])
    try:
        con.execute("BEGIN TRANSACTION").fetchall()
        try:
            for name in names:
                previous[name] = int(scalar(con, f"SELECT count(*) FROM {name}"))
            changes = [TableChange(name, previous[name], len(dataset[name])) for name in names]
            if not allow_shrink and any(c.shrinks for c in changes):
                raise ShrinkRefused(changes)
            for name in names:
                table = TABLES_BY_NAME[name]
                ids = _row_changes(con, table, views[name])
                previous_version = _max_row_version(con, name)
                con.execute(f"DELETE FROM {name}").fetchall()
                casts = ", ".join(_cast(table, c) for c in table.column_names)
                cols = ", ".join(table.column_names)
                con.execute(f"INSERT INTO {name} ({cols}) SELECT {casts} FROM {views[name]}").fetchall()
                _after_replace(con, name, previous_version)
                record_audit(
                    con,
                    actor=actor,
                    source=source,
                    table_name=name,
                    action="import",
                    before_json=json.dumps({"rows": previous[name]}),
                    after_json=json.dumps({"rows": len(dataset[name]), **ids}, ensure_ascii=False),
                )
            if demo is not None:
                mark_demo_database(con, demo)
            con.execute("COMMIT").fetchall()
        except BaseException:
            rollback_after_error(con)
            raise
    finally:
        for view in views.values():
            con.unregister(view)
    return previous


def _row_changes(con: duckdb.DuckDBPyConnection, table: Table, view: str) -> dict[str, list[str]]:
    """The ids the import adds, changes and removes in ``table`` (compared with the stored rows,
    inside the import's transaction), each sorted. An id is the key columns joined with "|" as the
    audit log writes record keys; fund arrivals, which have no key, are compared as whole rows and
    named by project_id|date (``changed`` stays empty for them)."""
    cols = table.column_names
    new = ", ".join(f"{_cast(table, c)} AS {c}" for c in cols)
    key = list(table.key) or ["project_id", "date"]
    label = " || '|' || ".join(f"CAST({{t}}.{c} AS VARCHAR)" for c in key)
    if table.key:
        using = ", ".join(key)
        differs = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in cols if c not in key) or "FALSE"
        sql = f"""
            WITH o AS (SELECT {", ".join(cols)} FROM {table.name}), n AS (SELECT {new} FROM {view})
            SELECT 'added', {label.format(t="n")} FROM n ANTI JOIN o USING ({using})
            UNION ALL SELECT 'removed', {label.format(t="o")} FROM o ANTI JOIN n USING ({using})
            UNION ALL SELECT 'changed', {label.format(t="n")} FROM n JOIN o USING ({using}) WHERE {differs}
        """
    else:
        sql = f"""
            WITH o AS (SELECT {", ".join(cols)} FROM {table.name}), n AS (SELECT {new} FROM {view}),
            a AS (SELECT * FROM n EXCEPT ALL SELECT * FROM o), r AS (SELECT * FROM o EXCEPT ALL SELECT * FROM n)
            SELECT 'added', {label.format(t="a")} FROM a
            UNION ALL SELECT 'removed', {label.format(t="r")} FROM r
        """
    found: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for kind, record in con.execute(sql).fetchall():
        found[kind].append(record)
    return {kind: sorted(records) for kind, records in found.items()}


def _max_row_version(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    """The highest ``row_version`` of a table forms edit (None for tables without one)."""
    if name not in VERSIONED_TABLES:
        return None
    return int(scalar(con, f"SELECT coalesce(max(row_version), 0) FROM {name}"))


def _after_replace(con: duckdb.DuckDBPyConnection, name: str, previous_version: int | None) -> None:
    """Derived columns of freshly imported rows.

    Imported rows get a ``row_version`` above every earlier one, so a form opened before the import
    is refused as stale instead of overwriting what was imported; leads get their company key.
    """
    if previous_version is not None:
        con.execute(f"UPDATE {name} SET row_version = ?", [previous_version + 1]).fetchall()
    if name == "leads":
        fill_company_keys(con)


def _cast(table: Table, column: str) -> str:
    kind = table.column(column).kind
    if kind == DATE:
        return f"CAST({column} AS DATE)"
    if kind == DATETIME:
        return f"CAST({column} AS TIMESTAMP)"
    return column


def import_path(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    actor: str,
    source: str,
    allow_shrink: bool = False,
) -> ImportSummary:
    """Validate the dataset at ``path`` fully, then replace the database's tables with it.

    Replace-all: every contract table in the source is emptied and refilled, in one transaction
    (on any error nothing changes). An optional table (problems, station_reports) that the
    source does not contain is left as it is. Raises ``ImportFailed`` with every error, and
    ``ShrinkRefused`` when a table would be emptied or halved without ``allow_shrink``.
    """
    started = time.perf_counter()
    dataset = load_dataset(path)
    # Only the demo generator's folder marks the database as the demo's; any other import clears it.
    previous = write_dataset(
        con, dataset, actor=actor, source=source, demo=is_demo_dataset(path), allow_shrink=allow_shrink
    )
    return ImportSummary(
        path=Path(path),
        row_counts={name: len(frame) for name, frame in dataset.items()},
        previous_counts=previous,
        untouched=[t.name for t in TABLES if t.name not in dataset],
        seconds=time.perf_counter() - started,
    )


def load_into_memory(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database holding the dataset at ``path`` (for ``report --data``)."""
    con = open_database(":memory:")
    try:
        import_path(con, path, actor="cli", source=f"内存载入 / in-memory load: {path}")
    except BaseException:
        con.close()
        raise
    return con


__all__ = [
    "EXTRA_LABELS",
    "TYPED_DTYPES",
    "ImportFailed",
    "ImportIssue",
    "ImportSummary",
    "References",
    "ShrinkRefused",
    "TableChange",
    "ValidationResult",
    "import_path",
    "load_dataset",
    "load_into_memory",
    "read_source",
    "table_for_label",
    "upload_size_problem",
    "validate_frames",
    "validate_table_rows",
    "write_dataset",
]
