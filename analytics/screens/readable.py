"""Tables as people read them: names for ids, Chinese labels for codes, dates without a time, blank for nothing.

``readable(con, frame)`` takes a frame with the contract's English column names (the rows behind a
figure, a metrics table) and returns the same rows with every unit, township, industry and squad id
replaced by its name, every enum code by its label (``analytics.core.labels``), booleans as 是/否,
timestamps as dates and missing text as blank. ``tidy_cells(frame)`` does what needs no database
(dates, blanks, booleans, code-only columns) for any table about to be shown or downloaded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import ALL_CODE_LABELS, CODE_LABELS

# id column → (lookup, the column's new name when the frame does not carry the name already).
_ID_COLUMNS: dict[str, tuple[str, str]] = {
    "unit_id": ("units", "unit_name"),
    "introducing_unit_id": ("units", "introducing_unit_name"),
    "township_id": ("units", "township_name"),
    "responsible_unit_id": ("units", "responsible_unit_name"),
    "reporter_unit_id": ("units", "reporter_unit_name"),
    "industry_id": ("industries", "industry_name"),
    "squad_id": ("squads", "squad_name"),
    "payee": ("units", "payee_name"),  # a unit id, or an intermediary's name kept as it is
}
_NAME_SQL = {
    "units": "SELECT unit_id, name FROM units",
    "industries": "SELECT industry_id, name FROM industries",
    "squads": "SELECT squad_id, name FROM squads",
}
# Headers of the name columns (the contract's aliases name the id columns).
NAME_LABELS: dict[str, str] = {
    "unit_name": "单位",
    "introducing_unit_name": "引进单位",
    "township_name": "落户乡镇",
    "responsible_unit_name": "责任单位",
    "reporter_unit_name": "报送单位",
    "industry_name": "产业",
    "squad_name": "小分队",
    "payee_name": "奖励对象",
}
YES, NO = "是", "否"
# Codes a whole column may consist of (short or numeric codes such as township classes are left alone).
_DETECTABLE = {code: text for code, text in ALL_CODE_LABELS.items() if len(code) > 2 and not code.isdigit()}


def names(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """id → name for units, industries and squads."""
    return {kind: dict(con.execute(sql).fetchall()) for kind, sql in _NAME_SQL.items()}


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell(value: Any, for_excel: bool = False) -> Any:
    """One cell: a date for a timestamp (ISO text on screen, a date cell in Excel), blank for
    nothing (an empty cell in Excel), 是/否 for a boolean."""
    if _is_missing(value):
        return None if for_excel else ""
    if isinstance(value, pd.Timestamp | dt.datetime):
        if value.time() != dt.time(0):
            return value.strftime("%Y-%m-%d %H:%M")
        value = value.date()
    if isinstance(value, dt.date):
        return value if for_excel else value.isoformat()
    if isinstance(value, bool):
        return YES if value else NO
    return value


def _code_column(series: pd.Series) -> dict[str, str] | None:
    """The labels of a text column made only of codes (None when any value is not a code)."""
    values = {v for v in series if isinstance(v, str) and v != ""}
    if values and values <= set(_DETECTABLE):
        return _DETECTABLE
    return None


def tidy_cells(frame: pd.DataFrame, *, for_excel: bool = False, booleans: bool = True) -> pd.DataFrame:
    """Dates without a time, blank for nothing, 是/否 for booleans, labels for code-only columns.

    On screen dates become ISO text and nothing an empty string (a column mixing both stays one
    type); ``for_excel`` keeps date cells and leaves nothing as an empty cell; ``booleans=False``
    leaves boolean columns to a table's own check-box columns."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if booleans and pd.api.types.is_bool_dtype(series):
            out[column] = series.map(lambda v: "" if _is_missing(v) else (YES if v else NO)).astype(object)
        elif pd.api.types.is_datetime64_any_dtype(series):
            out[column] = series.map(lambda v: _cell(v, for_excel)).astype(object)
        elif pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series):
            cleaned = series.astype(object).map(lambda v: _cell(v, for_excel))
            mapping = _code_column(cleaned)
            out[column] = cleaned.map(mapping).where(cleaned.isin(mapping), cleaned) if mapping else cleaned
    return out


def readable(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (English column names) with names for ids and labels for codes; see the module."""
    if frame.empty and not len(frame.columns):
        return frame
    lookup = names(con)
    out = frame.copy()
    renames: dict[str, str] = {}
    for column, (kind, name_column) in _ID_COLUMNS.items():
        if column not in out.columns:
            continue
        if name_column in out.columns:  # the name is already there: the id adds nothing
            out = out.drop(columns=[column])
            continue
        table = lookup[kind]
        out[column] = out[column].map(lambda v, t=table: "" if _is_missing(v) else t.get(v, v)).astype(object)
        renames[column] = name_column
    for column in out.columns:
        mapping = CODE_LABELS.get(column)
        if mapping and (
            pd.api.types.is_object_dtype(out[column]) or pd.api.types.is_string_dtype(out[column])
        ):
            out[column] = (
                out[column].map(lambda v, m=mapping: v if _is_missing(v) else m.get(v, v)).astype(object)
            )
    return tidy_cells(out.rename(columns=renames))
