"""Parsers for the value kinds of the data contract (DATA_CONTRACT.md, "Value formats").

One parser per kind (the texts of their errors are in ``values_text``). The importer runs them
over whole columns (``parse_series``: 100k rows in well under a second); a data-entry form runs
the very same code on one value (``parse_value`` or the per-kind helpers ``parse_date`` ...), so a
form and an import accept exactly the same input and give exactly the same message.

A cell is what CSV or openpyxl gives: ``str`` (CSV: always), ``int``/``float`` (Excel numbers),
``bool``, ``datetime``/``date`` (Excel date cells), or ``None``/NaN for an empty cell.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import numpy as np
import pandas as pd

from analytics.core.schema import (
    BOOL,
    DATE,
    DATETIME,
    ENUM,
    ID,
    INT,
    MONEY,
    MONTH,
    NUMBER,
    TEXT,
    Column,
)
from analytics.data.values_text import (
    DATE_EXPECTED,
    MONEY_SUFFIXES,
    MONEY_UNIT_TEXT,
    PERCENT_COLUMNS,
    PERCENT_SUFFIXES,
    SHOWN_CHARS,
    ValueFormatError,
    control_re,
    display_value,
    expected_for,
    money_unit,
    shown_text,
    text_problem,
    zh_gap,
)

TRUE_WORDS = ("true", "1", "是", "y", "yes")
FALSE_WORDS = ("false", "0", "否", "n", "no")
_BOOL_WORDS = {**dict.fromkeys(TRUE_WORDS, True), **dict.fromkeys(FALSE_WORDS, False)}

_DATE_RE = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME_RE = r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?$"
# v2: the year-first forms Chinese-locale Excel writes: 2024/3/5, 2024.3.5, 2024年3月5日 (never
# ambiguous, since the year comes first); a datetime adds " H:MM[:SS]".
_LOCAL_DATE_RES = (
    r"(?P<y>\d{4})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})",
    r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日",
)
_TIME_RE = r"\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?"
_MONTH_RE = r"^\d{4}-(?:0[1-9]|1[0-2])$"
# "1,200.5" is accepted; "1,2,3" is not (commas must group thousands).
_GROUPED_RE = r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$"
# Excel serial day numbers: 1 = 1900-01-01 ... 2958465 = 9999-12-31.
_EXCEL_SERIAL_MAX = 2958465
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _unit_suffixes(column: Column) -> dict[str, float]:
    if column.kind == MONEY:
        return MONEY_SUFFIXES[money_unit(column)]
    if column.kind == NUMBER and column.name in PERCENT_COLUMNS:
        return PERCENT_SUFFIXES
    return {}


# Pandas dtypes of the typed columns: the same as DuckDB's ``.df()`` gives for the contract tables.
TEXT_DTYPE = "str"
TYPED_DTYPES = {
    ID: TEXT_DTYPE,
    TEXT: TEXT_DTYPE,
    ENUM: TEXT_DTYPE,
    MONTH: TEXT_DTYPE,
    MONEY: "float64",
    NUMBER: "float64",
    INT: "int32",  # "Int32" (nullable) where a cell is blank or bad
    DATE: "datetime64[us]",
    DATETIME: "datetime64[us]",
    BOOL: "bool",
}


@dataclass(frozen=True)
class ParsedColumn:
    """A parsed column: typed values (null where blank or bad) and the mask of bad cells."""

    values: pd.Series
    bad: np.ndarray  # bool, one per row: the cell is malformed, out of range, or a required blank
    blank: np.ndarray  # bool, one per row: the cell was empty


def _text_bad(column: Column, texts: np.ndarray) -> np.ndarray:
    """Mask of the id/text values (str or None, already stripped) that break ``text_problem``."""
    series = pd.Series(texts, dtype=object)
    present = series.notna().to_numpy()
    bad = np.zeros(len(series), dtype=bool)
    if not present.any():
        return bad
    # Python strings one by one: faster here than Arrow's kernels, and a lone surrogate (which an
    # Arrow string cannot hold) is found rather than failing.
    pattern = control_re(column)
    limit = column.char_limit if column.char_limit is not None else math.inf
    bad[present] = [len(v) > limit or pattern.search(v) is not None for v in series[present]]
    return bad


# ---------------------------------------------------------------------------------------------
# Column parsers
# ---------------------------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(
        value, bool | np.bool_
    )


def _number_text(value: Any) -> str:
    """An Excel number cell read into a text/id/enum column: 1001.0 -> "1001"."""
    if _is_number(value) and float(value).is_integer():
        return str(int(value))
    return display_value(value)


def _split(series: pd.Series) -> tuple[np.ndarray, pd.Series, np.ndarray]:
    """(is_str mask, stripped strings for the str cells, blank mask) of a raw column."""
    values = series.to_numpy(dtype=object)
    is_str = np.fromiter((type(v) is str for v in values), dtype=bool, count=len(values))
    stripped = pd.Series(values[is_str], dtype=object).str.strip()
    blank = pd.isna(series).to_numpy(copy=True) & ~is_str
    blank[is_str] = (stripped == "").to_numpy()
    return is_str, stripped, blank


def parse_series(column: Column, raw: pd.Series, labels: dict[str, str] | None = None) -> ParsedColumn:
    """Parse a whole raw column. ``labels``: extra accepted label -> code for an enum column."""
    series = pd.Series(raw.to_numpy(dtype=object), dtype=object)
    n = len(series)
    is_str, stripped, blank = _split(series)
    bad = np.zeros(n, dtype=bool)
    others_idx = np.flatnonzero(~is_str & ~blank)
    others = series.to_numpy(dtype=object)[others_idx]
    str_idx = np.flatnonzero(is_str)
    kind = column.kind

    if kind in (ID, TEXT):
        out = np.full(n, None, dtype=object)
        out[str_idx] = stripped.to_numpy(dtype=object)
        out[others_idx] = [_number_text(v) for v in others]
        out[blank] = None
        bad = _text_bad(column, out)
        out[bad] = None
        values = pd.Series(out, dtype=TEXT_DTYPE)
    elif kind == ENUM:
        lookup = {code.lower(): code for code in column.choices}
        lookup.update({label: code for code, label in column.choices.items()})
        lookup.update(labels or {})
        out = np.full(n, None, dtype=object)
        texts = stripped.to_numpy(dtype=object)
        out[str_idx] = [lookup.get(t, lookup.get(t.lower())) for t in texts]
        out[others_idx] = [lookup.get(_number_text(v)) for v in others]
        bad = ~blank & pd.isna(pd.Series(out, dtype=object)).to_numpy()
        values = pd.Series(out, dtype=TEXT_DTYPE)
    elif kind in (MONEY, NUMBER, INT):
        out = np.full(n, np.nan, dtype="float64")
        texts = stripped.astype(object)
        factor = np.ones(len(texts), dtype="float64")
        for suffix, by in _unit_suffixes(column).items():
            ends = texts.str.endswith(suffix).to_numpy(dtype=bool)
            if ends.any():
                texts = texts.where(~ends, texts.str[: -len(suffix)].str.rstrip())
                factor[ends] = by
        grouped = texts.str.contains(",", regex=False).to_numpy(dtype=bool)
        ok_group = texts.str.fullmatch(_GROUPED_RE).fillna(False).to_numpy(dtype=bool)
        cleaned = texts.str.replace(",", "", regex=False)
        nums = pd.to_numeric(cleaned, errors="coerce").to_numpy(dtype="float64", copy=True)
        nums[grouped & ~ok_group] = np.nan
        scaled = factor != 1.0
        if scaled.any():
            # 1.15亿元 is 11500 万元, not 11499.999999999998: round away the float noise of scaling.
            nums[scaled] = np.round(nums[scaled] * factor[scaled], 10)
        out[str_idx] = nums
        out[others_idx] = [float(v) if _is_number(v) else np.nan for v in others]
        finite = np.isfinite(out)
        bad = ~blank & ~finite
        if column.minimum is not None:
            too_low = out <= column.minimum if column.strictly_positive else out < column.minimum
            bad |= finite & too_low
        elif column.strictly_positive:
            bad |= finite & (out <= 0)
        if column.maximum is not None:
            bad |= finite & (out > column.maximum)
        if kind == INT:
            bad |= finite & (np.floor(out) != out)
            out[bad] = np.nan
            # Like DuckDB's .df(): int32 for a NOT NULL column, nullable Int32 when blanks remain.
            whole = pd.Series(out, dtype="float64").round()
            values = whole.astype("int32" if column.required and whole.notna().all() else "Int32")
        else:
            out[bad] = np.nan
            values = pd.Series(out, dtype="float64")
    elif kind in (DATE, DATETIME):
        out = np.full(n, np.datetime64("NaT"), dtype="datetime64[us]")
        texts = stripped.astype(object)
        if kind == DATE:
            shaped = texts.str.fullmatch(_DATE_RE).fillna(False)
            parsed = pd.to_datetime(texts.where(shaped), format="%Y-%m-%d", errors="coerce")
            parsed = _with_local_dates(texts, shaped, parsed, with_time=False)
        else:
            shaped = texts.str.fullmatch(_DATETIME_RE).fillna(False)
            texts = texts.where(shaped).str.replace("T", " ", regex=False)
            long = texts.str.len() == 19
            parsed = pd.concat(
                [
                    pd.to_datetime(texts[long], format="%Y-%m-%d %H:%M:%S", errors="coerce"),
                    pd.to_datetime(texts[~long], format="%Y-%m-%d %H:%M", errors="coerce"),
                ]
            ).sort_index()
            parsed = _with_local_dates(stripped.astype(object), shaped, parsed, with_time=True)
        out[str_idx] = parsed.to_numpy(dtype="datetime64[us]")
        out[others_idx] = _cells_datetime(others, kind)
        bad = ~blank & np.isnat(out)
        values = pd.Series(out, dtype="datetime64[us]")
    elif kind == MONTH:
        out = np.full(n, None, dtype=object)
        texts = stripped.astype(object)
        ok = texts.str.fullmatch(_MONTH_RE).fillna(False).to_numpy(dtype=bool)
        out[str_idx] = np.where(ok, texts.to_numpy(dtype=object), None)
        out[others_idx] = [_cell_month(v) for v in others]
        bad = ~blank & pd.isna(pd.Series(out, dtype=object)).to_numpy()
        values = pd.Series(out, dtype=TEXT_DTYPE)
    elif kind == BOOL:
        out = np.zeros(n, dtype=bool)
        known = np.zeros(n, dtype=bool)
        words = stripped.str.lower().map(_BOOL_WORDS)
        known[str_idx] = words.notna().to_numpy()
        out[str_idx] = words.fillna(False).astype(bool).to_numpy()
        cells = [_cell_bool(v) for v in others]
        known[others_idx] = [c is not None for c in cells]
        out[others_idx] = [bool(c) for c in cells]
        bad = ~blank & ~known
        # Blank = false, even in a required column (DATA_CONTRACT.md, value formats).
        return ParsedColumn(pd.Series(out, dtype="bool", index=raw.index), bad, blank)
    else:  # pragma: no cover - schema kinds are fixed
        raise ValueError(f"unknown kind {kind!r}")

    if column.required:
        bad = bad | blank
    values.index = raw.index
    return ParsedColumn(values, bad, blank)


def _with_local_dates(
    texts: pd.Series, shaped: pd.Series, parsed: pd.Series, *, with_time: bool
) -> pd.Series:
    """``parsed`` (the ISO texts) completed with the v2 year-first forms among the other texts.

    Only texts that are not ISO are looked at, so a column of ISO dates costs nothing more. A
    form's parts are put together as ISO text and parsed strictly: 2024/13/1 and 2024年2月30日
    stay NaT (an error), never a blank or a neighbouring day.
    """
    rest = texts[~shaped.astype(bool) & texts.notna()]
    if rest.empty:
        return parsed
    parsed = parsed.astype("datetime64[us]").copy()
    time_part = _TIME_RE if with_time else ""
    for pattern in _LOCAL_DATE_RES:
        parts = rest.str.extract(f"^{pattern}{time_part}$")
        parts = parts[parts["y"].notna()]
        if parts.empty:
            continue
        iso = parts["y"] + "-" + parts["m"].str.zfill(2) + "-" + parts["d"].str.zfill(2)
        if with_time:
            iso = iso + " " + parts["H"].str.zfill(2) + ":" + parts["M"] + ":" + parts["S"].fillna("00")
            fmt = "%Y-%m-%d %H:%M:%S"
        else:
            fmt = "%Y-%m-%d"
        parsed.loc[parts.index] = pd.to_datetime(iso, format=fmt, errors="coerce").astype("datetime64[us]")
    return parsed


def absent_column(column: Column, index: pd.Index) -> pd.Series:
    """The typed values of a column the file does not have: all blank (false for a bool), exactly
    what ``parse_series`` gives for empty cells, without parsing them."""
    if column.kind == BOOL:
        return pd.Series(np.zeros(len(index), dtype=bool), index=index)
    if column.kind == INT:
        return pd.Series(pd.array([None] * len(index), dtype="Int32"), index=index)
    if column.kind in (MONEY, NUMBER):
        return pd.Series(np.full(len(index), np.nan), index=index)
    if column.kind in (DATE, DATETIME):
        return pd.Series(np.full(len(index), np.datetime64("NaT"), dtype="datetime64[us]"), index=index)
    return pd.Series([None] * len(index), index=index, dtype=TEXT_DTYPE)


def _cells_datetime(cells: np.ndarray, kind: str) -> np.ndarray:
    """Excel cells (datetime/date objects or serial day numbers) of a date or datetime column,
    vectorised; NaT where a cell is not a date (a date column also refuses a time of day)."""
    out = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[us]")
    if not len(cells):
        return out
    is_dt = np.fromiter((isinstance(v, datetime) for v in cells), dtype=bool, count=len(cells))
    is_d = np.fromiter((type(v) is date for v in cells), dtype=bool, count=len(cells))
    is_num = np.fromiter((_is_number(v) for v in cells), dtype=bool, count=len(cells))
    if is_dt.any():
        stamps = np.array([np.datetime64(v, "us") for v in cells[is_dt]], dtype="datetime64[us]")
        # Excel stores times as fractions of a day: round float noise away, to the second.
        stamps = (stamps + np.timedelta64(500_000, "us")).astype("datetime64[s]").astype("datetime64[us]")
        if kind == DATE:
            stamps[stamps != stamps.astype("datetime64[D]")] = np.datetime64("NaT")
        out[is_dt] = stamps
    if is_d.any():
        out[is_d] = np.array(list(cells[is_d]), dtype="datetime64[D]").astype("datetime64[us]")
    if is_num.any():
        serial = cells[is_num].astype("float64")
        ok = (serial >= 1) & (serial <= _EXCEL_SERIAL_MAX)
        if kind == DATE:
            ok &= np.floor(serial) == serial
        serial = np.where(serial < 61, serial + 1, serial)  # Excel's phantom 1900-02-29
        seconds = np.round(np.where(ok, serial, 0) * 86400).astype("int64")
        stamps = np.datetime64(_EXCEL_EPOCH, "s") + seconds.astype("timedelta64[s]")
        stamps = stamps.astype("datetime64[us]")
        stamps[~ok] = np.datetime64("NaT")
        out[is_num] = stamps
    return out


def _cell_month(value: Any) -> str | None:
    """Excel turns a typed "2024-03" into the date 2024-03-01: accept first-of-month date cells."""
    if isinstance(value, date) and value.day == 1:
        if isinstance(value, datetime) and value.time() != time():
            return None
        return f"{value.year:04d}-{value.month:02d}"
    return None


def _cell_bool(value: Any) -> bool | None:
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if _is_number(value) and float(value) in (0.0, 1.0):
        return bool(value)
    return None


# ---------------------------------------------------------------------------------------------
# One value at a time (forms), same code path as the importer
# ---------------------------------------------------------------------------------------------


def parse_value(column: Column, value: Any, labels: dict[str, str] | None = None) -> Any:
    """Parse one cell of ``column``; blank gives ``None`` (``False`` for bools).

    Raises ``ValueFormatError`` (a ``ValueError``) with the expected text in Chinese and English.
    """
    parsed = parse_series(column, pd.Series([value], dtype=object), labels)
    if parsed.bad[0]:
        zh, en = expected_for(column, labels, blank=bool(parsed.blank[0]), value=value)
        raise ValueFormatError(value, zh, en)
    result = parsed.values.iloc[0]
    if pd.isna(result):
        return None
    if column.kind == DATE:
        return result.date()
    if column.kind == DATETIME:
        return result.to_pydatetime()
    if column.kind == INT:
        return int(result)
    if column.kind in (MONEY, NUMBER):
        return float(result)
    if column.kind == BOOL:
        return bool(result)
    return str(result)


def _adhoc(kind: str, required: bool, **kw: Any) -> Column:
    return Column("value", "值", kind, required=required, **kw)


def parse_date(value: Any, *, required: bool = False) -> date | None:
    """``YYYY-MM-DD``, ``YYYY/M/D``, ``YYYY.M.D``, ``YYYY年M月D日``, an Excel date cell or an Excel
    serial day number."""
    return parse_value(_adhoc(DATE, required), value)


def parse_datetime(value: Any, *, required: bool = False) -> datetime | None:
    """``YYYY-MM-DD HH:MM[:SS]`` or an Excel datetime cell (rounded to the second)."""
    return parse_value(_adhoc(DATETIME, required), value)


def parse_bool(value: Any) -> bool:
    """true/false, 1/0, 是/否, Y/N, yes/no (any case); blank is false."""
    return parse_value(_adhoc(BOOL, True), value)


def parse_money(
    value: Any,
    *,
    required: bool = True,
    minimum: float | None = 0,
    strictly_positive: bool = False,
    maximum: float | None = None,
) -> float | None:
    """A number in 万元 (thousands separators allowed: ``1,200.5``; also ``1200万元``, ``1.2亿元``)."""
    column = _adhoc(MONEY, required, minimum=minimum, strictly_positive=strictly_positive, maximum=maximum)
    return parse_value(column, value)


def parse_number(
    value: Any, *, required: bool = True, minimum: float | None = None, maximum: float | None = None
) -> float | None:
    """A plain number (thousands separators allowed)."""
    return parse_value(_adhoc(NUMBER, required, minimum=minimum, maximum=maximum), value)


def parse_int(
    value: Any, *, required: bool = True, minimum: float | None = None, maximum: float | None = None
) -> int | None:
    """A whole number (``2024`` or ``2024.0``)."""
    return parse_value(_adhoc(INT, required, minimum=minimum, maximum=maximum), value)


def parse_month(value: Any, *, required: bool = True) -> str | None:
    """``YYYY-MM`` (or an Excel date cell on the first of a month)."""
    return parse_value(_adhoc(MONTH, required), value)


def parse_enum(
    value: Any, choices: dict[str, str], *, required: bool = True, labels: dict[str, str] | None = None
) -> str | None:
    """A code of ``choices`` or its Chinese label; the code is returned."""
    return parse_value(_adhoc(ENUM, required, choices=choices), value, labels)


def parse_text(value: Any, *, required: bool = True) -> str | None:
    """Text with surrounding white space removed."""
    return parse_value(_adhoc(TEXT, required), value)


def parse_id(value: Any, *, required: bool = True) -> str | None:
    """An id: text with surrounding white space removed (Excel number 1001 -> "1001")."""
    return parse_value(_adhoc(ID, required), value)


# ---------------------------------------------------------------------------------------------
# CSV formula guard (exporter and importer, symmetric)
# ---------------------------------------------------------------------------------------------

# A text cell that starts with = + - @ is run as a formula when Excel opens a CSV ("CSV
# injection"). The exporter writes such a text with one extra leading apostrophe, which Excel
# treats as text; the importer removes exactly one apostrophe again. Because a text that already
# starts with apostrophes before = + - @ also gets one more, the mapping is one-to-one and every
# text round-trips unchanged.
_FORMULA_RISK_RE = re.compile(r"^'*[=+\-@]")


def csv_guard(text: str) -> str:
    """The text as written to a CSV cell: an apostrophe in front of a would-be formula."""
    return "'" + text if _FORMULA_RISK_RE.match(text) else text


def csv_unguard(text: str) -> str:
    """Inverse of ``csv_guard``."""
    return text[1:] if text.startswith("'") and _FORMULA_RISK_RE.match(text[1:]) else text


def csv_unguard_series(series: pd.Series) -> pd.Series:
    """``csv_unguard`` over a column of raw CSV strings."""
    return series.str.replace(r"^'(?='*[=+\-@])", "", n=1, regex=True)


__all__ = [
    "DATE_EXPECTED",
    "MONEY_SUFFIXES",
    "MONEY_UNIT_TEXT",
    "PERCENT_COLUMNS",
    "PERCENT_SUFFIXES",
    "SHOWN_CHARS",
    "TYPED_DTYPES",
    "absent_column",
    "ParsedColumn",
    "ValueFormatError",
    "csv_guard",
    "csv_unguard",
    "csv_unguard_series",
    "display_value",
    "expected_for",
    "money_unit",
    "parse_bool",
    "parse_date",
    "parse_datetime",
    "parse_enum",
    "parse_id",
    "parse_int",
    "parse_money",
    "parse_month",
    "parse_number",
    "parse_series",
    "parse_text",
    "parse_value",
    "shown_text",
    "text_problem",
    "zh_gap",
]
