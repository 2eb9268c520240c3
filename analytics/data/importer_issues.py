"""Import errors: one ``ImportIssue`` per bad cell, row or table, and the ``Checker`` that collects
them for one table, naming the row as the user sees it (header = row 1) and the column as data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.core.schema import TABLE_ORDER, TABLES, TABLES_BY_NAME, Table
from analytics.data.values import display_value, shown_text, zh_gap


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


def table_issue(table: str, column: str | None, value: str | None, zh: str, en: str) -> ImportIssue:
    return ImportIssue(table, None, column, value, zh, en)


class Checker:
    """Collects issues for one table, naming the user's row numbers and showing raw values."""

    def __init__(self, table: Table, raw: pd.DataFrame) -> None:
        self.table = table
        self.raw = raw
        self.issues: list[ImportIssue] = []

    def flag(self, mask: pd.Series | np.ndarray, column: str, zh: str, en: str) -> None:
        rows = self.raw.index[as_mask(mask)]
        for row in rows:
            raw_value = self.raw.at[row, column] if column in self.raw.columns else None
            self.issues.append(
                ImportIssue(self.table.name, int(row), column, display_value(raw_value), zh, en)
            )

    def flag_each(self, mask: pd.Series, column: str, texts: pd.Series) -> None:
        """Like ``flag`` with a per-row (zh, en) message."""
        for row in self.raw.index[as_mask(mask)]:
            zh, en = texts.at[row]
            raw_value = self.raw.at[row, column] if column in self.raw.columns else None
            self.issues.append(
                ImportIssue(self.table.name, int(row), column, display_value(raw_value), zh, en)
            )


def as_mask(mask: pd.Series | np.ndarray) -> np.ndarray:
    """A boolean mask where unknown (NA) counts as false."""
    if isinstance(mask, pd.Series):
        return mask.astype(object).fillna(False).to_numpy(dtype=bool)
    return np.asarray(mask, dtype=bool)


def sorted_issues(issues: list[ImportIssue]) -> list[ImportIssue]:
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
