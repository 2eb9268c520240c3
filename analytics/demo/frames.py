"""The demo county's rows as contract frames, and as contract text (CSV cells)."""

from __future__ import annotations

import pandas as pd

from analytics.core.schema import BOOL, DATE, DATETIME, INT, MONEY, NUMBER, TABLES_BY_NAME


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """The rows as a typed frame with the table's columns (private ``_`` keys dropped)."""
    spec = TABLES_BY_NAME[table]
    df = pd.DataFrame(rows, columns=spec.column_names)
    for col in spec.columns:
        if col.kind in (DATE, DATETIME):
            df[col.name] = pd.to_datetime(df[col.name]).astype("datetime64[s]")
        elif col.kind == BOOL:
            df[col.name] = df[col.name].fillna(False).astype(bool)
        elif col.kind in (MONEY, NUMBER):
            df[col.name] = df[col.name].astype(float)
        elif col.kind == INT:
            df[col.name] = df[col.name].astype("int64")
        else:
            df[col.name] = df[col.name].astype("str").where(df[col.name].notna(), None)
    return df


def _format_number(value: float) -> str:
    if pd.isna(value):
        return ""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def to_csv_frame(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame as contract text: dates YYYY-MM-DD, datetimes YYYY-MM-DD HH:MM:SS, bools true/false."""
    spec = TABLES_BY_NAME[table]
    out = pd.DataFrame(index=df.index)
    for col in spec.columns:
        s = df[col.name]
        if col.kind == DATE:
            out[col.name] = s.dt.strftime("%Y-%m-%d")
        elif col.kind == DATETIME:
            out[col.name] = s.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif col.kind == BOOL:
            out[col.name] = s.map({True: "true", False: "false"})
        elif col.kind in (MONEY, NUMBER):
            out[col.name] = s.map(_format_number)
        else:
            out[col.name] = s
    return out
