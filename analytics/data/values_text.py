"""What a value of each column must be, in words: the texts of every value error (Chinese and
English), how a refused value is shown, and the unit a money column is in. The parsers in
``values`` use these; a form shows the very same texts.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from typing import Any

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

# A date's parts as typed, whatever the separators, to say what is wrong with a refused one.
_DATE_PARTS_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*[月]?$")

# v2 units a money or number text may carry: suffix -> factor to the column's unit. A CNY column is
# in 万元 (亿元 = 10000 万元), a USD column in 万美元, the one yuan column (deposits) in 元; a
# percentage column takes "8.5%" as 0.085.
MONEY_SUFFIXES: dict[str, dict[str, float]] = {
    "wan": {"万元": 1.0, "亿元": 10000.0},
    "usd": {"万美元": 1.0},
    "yuan": {"元": 1.0},
}
PERCENT_SUFFIXES: dict[str, float] = {"%": 0.01, "％": 0.01}
# Columns holding a fraction that may be written as a percentage (DATA_CONTRACT.md, trade).
PERCENT_COLUMNS = frozenset({"city_growth"})


def money_unit(column: Column) -> str:
    """The unit of a money column: "usd" (万美元), "yuan" (元) or "wan" (万元)."""
    if "usd" in column.name:
        return "usd"
    if column.name.endswith("_yuan"):
        return "yuan"
    return "wan"


# Control characters (Unicode Cc: C0, DEL, C1) and lone surrogates are refused in every id and text
# cell; a multi-line column (Column.multiline) still takes tab, line feed and carriage return.
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# An error message shows at most this many characters of a value.
SHOWN_CHARS = 60


class ValueFormatError(ValueError):
    """A value that does not fit its column; carries what was expected, in Chinese and English."""

    def __init__(self, value: Any, expected_zh: str, expected_en: str) -> None:
        self.value = value
        self.expected_zh = expected_zh
        self.expected_en = expected_en
        shown = shown_text(display_value(value))
        super().__init__(
            f'值 "{shown}" 不符合要求:应为{zh_gap(expected_zh)}{expected_zh} / value "{shown}" — expected {expected_en}'
        )


# ---------------------------------------------------------------------------------------------
# What each column expects, in words
# ---------------------------------------------------------------------------------------------


def _bounds_text(column: Column, integer: bool) -> tuple[str, str]:
    noun_zh, noun_en = ("整数", "an integer") if integer else ("数字", "a number")
    lo, hi = column.minimum, column.maximum
    if column.strictly_positive:
        return f"大于 {_fmt(lo or 0)} 的{noun_zh}", f"{noun_en} > {_fmt(lo or 0)}"
    if lo is not None and hi is not None:
        return f"{_fmt(lo)} 到 {_fmt(hi)} 之间的{noun_zh}", f"{noun_en} from {_fmt(lo)} to {_fmt(hi)}"
    if lo is not None:
        return f"不小于 {_fmt(lo)} 的{noun_zh}", f"{noun_en} ≥ {_fmt(lo)}"
    if hi is not None:
        return f"不大于 {_fmt(hi)} 的{noun_zh}", f"{noun_en} ≤ {_fmt(hi)}"
    return noun_zh, noun_en


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def expected_for(
    column: Column, labels: dict[str, str] | None = None, *, blank: bool = False, value: Any = None
) -> tuple[str, str]:
    """What a cell of ``column`` must hold: (Chinese, English), as the error messages say it.

    ``blank``: the cell was empty, so the message says first that the column is required.
    ``value``: the refused cell; for an id or text it says which limit the value breaks.
    """
    kind = column.kind
    if kind in (ID, TEXT) and not blank and isinstance(value, str):
        problem = text_problem(column, value.strip())
        if problem is not None:
            return problem
    if kind == DATE:
        zh, en = DATE_EXPECTED
        zh, en = _date_problem(value, zh, en)
    elif kind == DATETIME:
        zh, en = (
            "日期时间,如 2024-03-05 14:30 或 2024/3/5 14:30:00",
            "a date and time YYYY-MM-DD HH:MM[:SS] (or YYYY/M/D H:MM)",
        )
    elif kind == BOOL:
        zh, en = "是/否(也可填 true/false、1/0、Y/N、yes/no)", "true/false, 1/0, 是/否, Y/N or yes/no"
    elif kind == MONTH:
        zh, en = "YYYY-MM 格式的月份", "a month YYYY-MM"
    elif kind == ENUM:
        choices = column.choices
        zh = "以下之一:" + "、".join(f"{label}({code})" for code, label in choices.items())
        en = "one of " + ", ".join(f"{code} ({label})" for code, label in choices.items())
        if labels:
            extra = [lab for lab in labels if lab not in choices.values()]
            if extra:
                zh += "(也可填 " + "、".join(extra) + ")"
    elif kind in (MONEY, NUMBER, INT):
        zh, en = _bounds_text(column, integer=kind == INT)
        if kind == MONEY:
            zh, en = (
                f"{zh}{MONEY_UNIT_TEXT[money_unit(column)][0]}",
                f"{en}{MONEY_UNIT_TEXT[money_unit(column)][1]}",
            )
        elif kind == NUMBER and column.name in PERCENT_COLUMNS:
            zh, en = f"{zh}(小数如 0.085,或百分数如 8.5%)", f"{en} (a fraction such as 0.085, or 8.5%)"
    elif kind == ID:
        zh, en = "编码", "an id"
    else:
        zh, en = "文本", "text"
    if blank and column.required and kind != BOOL:
        zh, en = f"必填项,不能为空({zh})", f"a value (required, may not be blank): {en}"
    return zh, en


DATE_EXPECTED = (
    "日期,如 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日",
    "a date YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日",
)
MONEY_UNIT_TEXT = {
    "wan": ("(单位:万元;可写 1,200、1200万元 或 0.12亿元)", " (in 10,000 CNY; 1,200, 1200万元 or 0.12亿元)"),
    "usd": ("(单位:万美元;可写 1,200 或 1200万美元)", " (in 10,000 USD; 1,200 or 1200万美元)"),
    "yuan": ("(单位:元)", " (in CNY yuan)"),
}


def _date_problem(value: Any, zh: str, en: str) -> tuple[str, str]:
    """What is wrong with a refused date text that has a date's shape: a part missing (2024-3) or a
    day that does not exist (2024/13/1, 2024年2月30日); otherwise the plain expectation."""
    if not isinstance(value, str):
        return zh, en
    found = _DATE_PARTS_RE.match(value.strip())
    if found is None:
        return zh, en
    year, month, day = found.groups()
    if day is None:
        reason = ("此值缺少日", "the day is missing")
    elif not 1 <= int(month) <= 12:
        reason = ("月份应为 1 到 12", "the month must be 1 to 12")
    elif not 1 <= int(day) <= _days_in_month(int(year), int(month)):
        reason = (
            f"{int(year)}年{int(month)}月没有{int(day)}日",
            f"{year}-{int(month):02d} has no day {int(day)}",
        )
    else:
        return zh, en
    return f"{zh}({reason[0]})", f"{en} ({reason[1]})"


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def control_re(column: Column) -> re.Pattern[str]:
    return _CONTROL_MULTILINE_RE if column.multiline else _CONTROL_RE


def text_problem(column: Column, text: str) -> tuple[str, str] | None:
    """Why ``text`` (already stripped) may not stand in an id or text column: (Chinese, English),
    or None when it may. The limits are the contract's (schema.TEXT_LIMITS, Column.max_chars)."""
    noun_zh, noun_en = ("编码", "an id") if column.kind == ID else ("文本", "text")
    found = control_re(column).search(text)
    if found is not None:
        allowed_zh, allowed_en = (
            ("(可含换行和制表符)", " (line breaks and tabs are allowed)") if column.multiline else ("", "")
        )
        return (
            f"不含控制字符的{noun_zh}{allowed_zh}:第 {found.start() + 1} 个字符是控制字符 "
            f"U+{ord(found.group()):04X}",
            f"{noun_en} without control characters{allowed_en}; character {found.start() + 1} is "
            f"U+{ord(found.group()):04X}",
        )
    limit = column.char_limit
    if limit is not None and len(text) > limit:
        return (
            f"不超过 {limit} 个字符的{noun_zh}(此值有 {len(text)} 个字符)",
            f"{noun_en} of at most {limit} characters (this one has {len(text)})",
        )
    return None


def shown_text(text: str, limit: int = SHOWN_CHARS) -> str:
    """A value as an error message shows it: control characters written as escapes (\\x00), and
    a value longer than ``limit`` + 40 characters cut to ``limit`` with its full length (so a
    text shown once is shown the same again)."""
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(lambda m: repr(m.group())[1:-1], text)
    if len(text) > limit + 40:
        return f"{text[:limit]}…(共 {len(text)} 个字符 / {len(text)} characters)"
    return text


def zh_gap(text: str) -> str:
    """A space between Chinese and a following Latin word ("应为 YYYY-MM-DD"), none before Chinese."""
    return " " if text[:1].isascii() else ""


def display_value(value: Any) -> str:
    """A cell as the user sees it, for error messages (Excel dates shown as YYYY-MM-DD)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time() else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
