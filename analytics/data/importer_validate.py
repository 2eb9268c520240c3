"""Validating raw frames: columns, every value's format, keys, row rules and references, with every
error collected (never only the first). A data-entry form validates its rows here too
(``validate_table_rows``), so it accepts and refuses exactly what an import does."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.core.schema import BOOL, COUNTY_METRICS, TABLE_ORDER, TABLES, TABLES_BY_NAME, Table
from analytics.data.importer_issues import Checker, ImportIssue, sorted_issues, table_issue
from analytics.data.importer_read import column_lookup, normalise_label, unknown_table
from analytics.data.importer_refs import References, reference_rules
from analytics.data.importer_rules import row_rules
from analytics.data.values import absent_column, display_value, expected_for, parse_series

# Extra labels accepted for an enum column beyond its own choices: the county metrics' Chinese
# names are valid labels of targets.metric as much as the unit metrics' ones are.
EXTRA_LABELS: dict[tuple[str, str], dict[str, str]] = {
    ("targets", "metric"): {label: code for code, label in COUNTY_METRICS.items()},
}


@dataclass
class ValidationResult:
    """Typed tables (index = the user's row numbers) and every issue found."""

    tables: dict[str, pd.DataFrame]
    issues: list[ImportIssue]

    @property
    def ok(self) -> bool:
        return not self.issues


def _check_columns(table: Table, raw: pd.DataFrame) -> tuple[pd.DataFrame | None, list[ImportIssue]]:
    """Rename Chinese headers, report unknown and missing required columns."""
    lookup = column_lookup(table)
    issues: list[ImportIssue] = []
    renamed: dict[Any, str] = {}
    for col in raw.columns:
        label = normalise_label(col)
        name = lookup.get(label.lower()) or lookup.get(label)
        if name is None:
            issues.append(
                table_issue(table.name, None, str(col), f'未知的列"{col}"', f'unknown column "{col}"')
            )
        elif name in renamed.values():
            issues.append(
                table_issue(table.name, name, str(col), f"列 {name} 重复出现", f"column {name} appears twice")
            )
        else:
            renamed[col] = name
    frame = raw[list(renamed)].rename(columns=renamed)
    # A bool column may be absent like it may be blank (= false); other required columns may not.
    missing = [c for c in table.columns if c.required and c.kind != BOOL and c.name not in frame.columns]
    for c in missing:
        issues.append(
            table_issue(
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


def _parse_table(table: Table, raw: pd.DataFrame, checker: Checker) -> pd.DataFrame:
    typed: dict[str, pd.Series] = {}
    for column in table.columns:
        labels = EXTRA_LABELS.get((table.name, column.name))
        if column.name not in raw.columns:  # an absent optional column (e.g. v2's in a v1 file)
            typed[column.name] = absent_column(column, raw.index)
            continue
        source = raw[column.name]
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


def _check_keys(table: Table, typed: pd.DataFrame, checker: Checker) -> None:
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


def _validate_one(
    table: Table, raw: pd.DataFrame
) -> tuple[pd.DataFrame | None, pd.DataFrame | None, Checker | None, list[ImportIssue]]:
    frame, issues = _check_columns(table, raw)
    if frame is None:
        return None, None, None, issues
    checker = Checker(table, frame)
    typed = _parse_table(table, frame, checker)
    _check_keys(table, typed, checker)
    row_rules(table, typed, checker)
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
        reference_rules(table, typed, references, checker)
    return ValidationResult({table_name: typed}, sorted_issues(issues + checker.issues))


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
                    table_issue(
                        table.name,
                        None,
                        None,
                        f"缺少表 {table.name}({table.zh}):应有文件 {table.name}.csv 或工作表 "
                        f"{table.name}/{table.zh}(可以没有数据行,但要有表头)",
                        f"table {table.name} is missing: give {table.name}.csv or a sheet named "
                        f"{table.name} (it may have no rows, but needs its header)",
                    )
                )
    checked: dict[str, tuple[pd.DataFrame, Checker]] = {}
    for name in TABLE_ORDER:
        if name not in frames:
            continue
        _, typed, checker, table_issues = _validate_one(TABLES_BY_NAME[name], frames[name])
        issues += table_issues
        if typed is not None and checker is not None:
            checked[name] = (typed, checker)
    for name in frames:
        if name not in TABLES_BY_NAME:
            issues.append(unknown_table(name, f"表 {name}", f"table {name}"))
    refs = References.from_tables({name: typed for name, (typed, _) in checked.items()})
    if con is not None:
        refs = References.from_database(con).overlay(refs)
    for name, (typed, checker) in checked.items():
        reference_rules(TABLES_BY_NAME[name], typed, refs, checker)
        issues += checker.issues
    return ValidationResult({name: typed for name, (typed, _) in checked.items()}, sorted_issues(issues))
