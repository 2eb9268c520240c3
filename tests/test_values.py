"""The value parsers of analytics.values: every format of DATA_CONTRACT.md "Value formats"."""

from __future__ import annotations

import random
import time
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from analytics.core.schema import (
    DATE,
    SOURCE_CHOICES,
    TABLES_BY_NAME,
    TOWNSHIP_CLASS_CHOICES,
    Column,
)
from analytics.data.values import (
    ValueFormatError,
    absent_column,
    csv_guard,
    csv_unguard,
    csv_unguard_series,
    parse_bool,
    parse_date,
    parse_datetime,
    parse_enum,
    parse_id,
    parse_int,
    parse_money,
    parse_month,
    parse_series,
    parse_text,
    parse_value,
)

# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-05", date(2024, 3, 5)),
        ("  2024-03-05 ", date(2024, 3, 5)),
        (datetime(2024, 3, 5), date(2024, 3, 5)),  # an Excel date cell as openpyxl reads it
        (date(2024, 3, 5), date(2024, 3, 5)),
        (45356, date(2024, 3, 5)),  # an Excel serial day number
        (45356.0, date(2024, 3, 5)),
        # v2: the year-first forms of Chinese-locale Excel and typing
        ("2024/3/5", date(2024, 3, 5)),
        ("2024/03/05", date(2024, 3, 5)),
        ("2024.3.5", date(2024, 3, 5)),
        ("2024.12.31", date(2024, 12, 31)),
        ("2024年3月5日", date(2024, 3, 5)),
        (" 2024年12月1日 ", date(2024, 12, 1)),
        ("2024/2/29", date(2024, 2, 29)),  # a leap day
        ("", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_date_accepts_iso_text_excel_cells_and_serials(cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize(
    "cell",
    [
        "2024-13-01",
        "2024-02-30",
        "2024-3-5",  # ISO text keeps its two-digit month and day
        "05.03.2024",  # day first: ambiguous, never accepted
        "3/5/2024",
        "2024/3.5",  # mixed separators
        "2024年3月5",  # 日 missing
        "2024/3/5 10:00",
        "abc",
        "2024-03-05 10:00",
        45356.5,
        datetime(2024, 3, 5, 10, 0),
        True,
        0,
        -3,
    ],
)
def test_date_rejects_other_forms_with_bilingual_message(cell):
    with pytest.raises(ValueFormatError) as info:
        parse_date(cell)
    assert info.value.expected_zh.startswith("日期,如 2024-03-05、2024/3/5、2024.3.5 或 2024年3月5日")
    assert info.value.expected_en.startswith("a date YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日")
    assert "应为日期,如 2024-03-05" in str(info.value)


@pytest.mark.parametrize(
    ("cell", "reason_zh", "reason_en"),
    [
        ("2024-3", "(此值缺少日)", "(the day is missing)"),
        ("2024/3", "(此值缺少日)", "(the day is missing)"),
        ("2024年3月", "(此值缺少日)", "(the day is missing)"),
        ("2024/13/1", "(月份应为 1 到 12)", "(the month must be 1 to 12)"),
        ("2024.0.5", "(月份应为 1 到 12)", "(the month must be 1 to 12)"),
        ("2024年2月30日", "(2024年2月没有30日)", "(2024-02 has no day 30)"),
        ("2023/2/29", "(2023年2月没有29日)", "(2023-02 has no day 29)"),  # not a leap year
        ("2024-04-31", "(2024年4月没有31日)", "(2024-04 has no day 31)"),
    ],
)
def test_partly_typed_or_impossible_date_is_an_error_saying_why(cell, reason_zh, reason_en):
    """Issue 15: a partly typed date is an error, never a blank; an impossible day is named."""
    with pytest.raises(ValueFormatError) as info:
        parse_date(cell)
    assert info.value.expected_zh.endswith(reason_zh)
    assert info.value.expected_en.endswith(reason_en)
    # The same in a column: the cell is bad, not blank (a blank optional date would pass).
    parsed = parse_series(
        TABLES_BY_NAME["projects"].column("commenced_date"), pd.Series([cell, ""], dtype=object)
    )
    assert parsed.bad.tolist() == [True, False] and parsed.blank.tolist() == [False, True]


def test_required_blank_date_says_required():
    with pytest.raises(ValueError, match="必填") as info:
        parse_date("  ", required=True)
    assert "required" in info.value.expected_en


# --- datetimes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03-05 10:30", datetime(2024, 3, 5, 10, 30)),
        ("2024-03-05 10:30:07", datetime(2024, 3, 5, 10, 30, 7)),
        ("2024-03-05T10:30:07", datetime(2024, 3, 5, 10, 30, 7)),
        ("2024/3/5 9:05", datetime(2024, 3, 5, 9, 5)),  # v2: year-first local forms
        ("2024.3.5 14:30:07", datetime(2024, 3, 5, 14, 30, 7)),
        ("2024年3月5日 14:30", datetime(2024, 3, 5, 14, 30)),
        (datetime(2024, 3, 5, 10, 30, 7), datetime(2024, 3, 5, 10, 30, 7)),
        # Excel float noise: 10:30:06.999999 is 10:30:07 to the second.
        (datetime(2024, 3, 5, 10, 30, 6, 999_999), datetime(2024, 3, 5, 10, 30, 7)),
        (date(2024, 3, 5), datetime(2024, 3, 5)),
        (45356.4375, datetime(2024, 3, 5, 10, 30)),  # 0.4375 day = 10:30
        ("", None),
    ],
)
def test_datetime_accepts_text_and_excel_cells(cell, expected):
    assert parse_datetime(cell) == expected


@pytest.mark.parametrize(
    "cell", ["2024-03-05", "2024-03-05 25:00", "10:30", "2024-03-05 10", "2024/3/5", "2024/2/30 10:00"]
)
def test_datetime_rejects_incomplete_or_impossible(cell):
    with pytest.raises(ValueFormatError, match="YYYY-MM-DD HH:MM"):
        parse_datetime(cell)


# --- bools -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell", ["true", "TRUE", "True", "1", "是", "Y", "y", "yes", "YES", " 是 ", True, 1, 1.0]
)
def test_bool_true_spellings(cell):
    assert parse_bool(cell) is True


@pytest.mark.parametrize(
    "cell", ["false", "FALSE", "0", "否", "N", "n", "no", "No", False, 0, 0.0, "", "  ", None]
)
def test_bool_false_spellings_and_blank_is_false(cell):
    assert parse_bool(cell) is False


@pytest.mark.parametrize("cell", ["maybe", "2", "对", "t", 2])
def test_bool_rejects_other_words(cell):
    with pytest.raises(ValueFormatError, match="是/否"):
        parse_bool(cell)


# --- money and numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1200", 1200.0),
        ("1,200.5", 1200.5),
        ("1,234,567", 1234567.0),
        (" 12.25 ", 12.25),
        (3, 3.0),
        (2.5, 2.5),
        ("0", 0.0),
        ("1e3", 1000.0),
    ],
)
def test_money_accepts_numbers_and_thousands_separators(cell, expected):
    assert parse_money(cell) == expected


@pytest.mark.parametrize(
    "cell", ["abc", "1,2,3", "12,00", "-1", "inf", "nan", "¥100", True, datetime(2024, 1, 1)]
)
def test_money_rejects_text_bad_grouping_negatives_and_non_numbers(cell):
    with pytest.raises(ValueFormatError, match="万元"):
        parse_money(cell)


def test_money_strictly_positive_rejects_zero():
    with pytest.raises(ValueFormatError, match="大于 0") as info:
        parse_money("0", strictly_positive=True)
    assert info.value.expected_en.startswith("a number > 0")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1200万元", 1200.0),
        ("1,200万元", 1200.0),
        ("1,200.5 万元", 1200.5),
        ("1.2亿元", 12000.0),  # 1 亿元 = 10000 万元
        ("1.15亿元", 11500.0),  # 1.15 × 10000, without float noise (11499.999999999998)
        ("0.12亿元", 1200.0),
        ("2亿元", 20000.0),
    ],
)
def test_money_v2_accepts_a_trailing_wan_or_yi_unit(cell, expected):
    assert parse_money(cell) == expected


@pytest.mark.parametrize(
    "cell", ["1200万美元", "12万", "1200元", "亿元", "万元", "1,2亿元", "-1亿元", "1200 亿"]
)
def test_money_v2_refuses_other_units_in_a_cny_column(cell):
    with pytest.raises(ValueFormatError, match="1200万元 或 0.12亿元"):
        parse_money(cell)


def test_money_v2_usd_column_takes_wan_usd_only():
    column = TABLES_BY_NAME["fund_arrivals"].column("fdi_usd_wan")
    assert parse_value(column, "150万美元") == 150.0
    assert parse_value(column, "1,150 万美元") == 1150.0
    for cell in ("150万元", "1.5亿元", "150美元"):
        with pytest.raises(ValueFormatError, match="单位:万美元"):
            parse_value(column, cell)


def test_money_v2_yuan_column_takes_yuan_only():
    column = TABLES_BY_NAME["deposits"].column("amount_yuan")
    assert parse_value(column, "1,500") == 1500.0
    assert parse_value(column, "1500元") == 1500.0
    for cell in ("0.15万元", "1500万美元"):
        with pytest.raises(ValueFormatError, match="单位:元"):
            parse_value(column, cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("8.5%", 0.085), ("-3.2 %", -0.032), ("8.5％", 0.085), ("0.085", 0.085), (0.085, 0.085), ("0%", 0.0)],
)
def test_city_growth_accepts_a_percentage(cell, expected):
    column = TABLES_BY_NAME["trade"].column("city_growth")
    assert parse_value(column, cell) == pytest.approx(expected, abs=1e-15)


def test_percent_only_where_the_contract_allows_it():
    with pytest.raises(ValueFormatError, match="8.5%"):
        parse_value(TABLES_BY_NAME["trade"].column("city_growth"), "8.5%%")
    with pytest.raises(ValueFormatError):
        parse_value(TABLES_BY_NAME["targets"].column("value"), "50%")


def test_usd_money_column_says_usd():
    column = TABLES_BY_NAME["fund_arrivals"].column("fdi_usd_wan")
    with pytest.raises(ValueFormatError, match="万美元"):
        parse_value(column, "-5")


@pytest.mark.parametrize(("cell", "expected"), [("2024", 2024), (2024.0, 2024), ("2024.0", 2024), (" 7 ", 7)])
def test_int_accepts_whole_numbers(cell, expected):
    assert parse_int(cell) == expected


@pytest.mark.parametrize("cell", ["2.5", "abc", 31.5])
def test_int_rejects_fractions_and_text(cell):
    with pytest.raises(ValueFormatError, match="整数"):
        parse_int(cell)


def test_int_bounds_from_schema():
    days = TABLES_BY_NAME["station_reports"].column("days_on_post")
    assert parse_value(days, "31") == 31
    assert parse_value(days, "0") == 0
    with pytest.raises(ValueFormatError, match="0 到 31 之间的整数"):
        parse_value(days, "32")


# --- months, enums, text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2024-03", "2024-03"),
        ("2024-12", "2024-12"),
        (datetime(2024, 3, 1), "2024-03"),
        (date(2024, 3, 1), "2024-03"),
    ],
)
def test_month_accepts_text_and_first_of_month_cells(cell, expected):
    # Excel turns a typed 2024-03 into the date 2024-03-01.
    assert parse_month(cell) == expected


@pytest.mark.parametrize("cell", ["2024-13", "2024-3", "2024/03", "202403", datetime(2024, 3, 15)])
def test_month_rejects_other_forms(cell):
    with pytest.raises(ValueFormatError, match="YYYY-MM"):
        parse_month(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("foreign", "foreign"), ("外资", "foreign"), (" 省内 ", "in_province"), ("FOREIGN", "foreign")],
)
def test_enum_accepts_code_or_chinese_label_and_stores_the_code(cell, expected):
    assert parse_enum(cell, SOURCE_CHOICES) == expected


def test_enum_number_cell_matches_code():
    assert parse_enum(1, TOWNSHIP_CLASS_CHOICES) == "1"
    assert parse_enum(2.0, TOWNSHIP_CLASS_CHOICES) == "2"
    assert parse_enum("一类", TOWNSHIP_CLASS_CHOICES) == "1"


def test_enum_rejects_unknown_and_lists_the_choices():
    with pytest.raises(ValueFormatError) as info:
        parse_enum("overseas", SOURCE_CHOICES)
    assert "外资(foreign)" in info.value.expected_zh
    assert "foreign (外资)" in info.value.expected_en


def test_text_and_id_are_stripped_and_number_ids_become_text():
    assert parse_text("  华材 科技 \u3000") == "华材 科技"
    assert parse_id(1001) == "1001"
    assert parse_id(1001.0) == "1001"
    assert parse_text("", required=False) is None
    with pytest.raises(ValueFormatError, match="必填"):
        parse_text("   ")


# --- whole columns ---------------------------------------------------------------------------


def test_parse_series_marks_bad_cells_and_keeps_the_index():
    column = Column("d", "日期", DATE)
    raw = pd.Series(["2024-01-02", "", "bad", datetime(2024, 5, 6)], index=[2, 3, 4, 5], dtype=object)
    parsed = parse_series(column, raw)
    assert list(parsed.bad) == [False, True, True, False]  # blank is bad: the column is required
    assert list(parsed.blank) == [False, True, False, False]
    assert list(parsed.values.index) == [2, 3, 4, 5]
    assert parsed.values.iloc[3] == pd.Timestamp("2024-05-06")


def test_parse_series_100k_rows_is_fast():
    rng = random.Random(42)
    n = 100_000
    dates = pd.Series(
        [f"20{rng.randrange(10, 30)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}" for _ in range(n)]
    )
    money = pd.Series([f"{rng.uniform(0, 1e6):,.2f}" for _ in range(n)])
    started = time.perf_counter()
    d = parse_series(Column("d", "日期", DATE), dates)
    m = parse_series(TABLES_BY_NAME["fund_arrivals"].column("amount_wan"), money)
    assert time.perf_counter() - started < 3
    assert not d.bad.any() and not m.bad.any()
    assert np.isfinite(m.values.to_numpy()).all()


# --- the CSV formula guard -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("-负号公司", "'-负号公司"),
        ("+86", "'+86"),
        ("@home", "'@home"),
        ("'=x", "''=x"),
        ("'abc", "'abc"),
        ("华材科技", "华材科技"),
        ("a=b", "a=b"),
    ],
)
def test_csv_guard_prefixes_would_be_formulas_and_round_trips(text, written):
    assert csv_guard(text) == written
    assert csv_unguard(written) == text
    assert csv_unguard_series(pd.Series([written], dtype=object)).iloc[0] == text


def test_csv_guard_is_one_to_one_on_random_texts():
    rng = random.Random(42)
    alphabet = "'=+-@a中 "
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
        assert csv_unguard(csv_guard(text)) == text


@pytest.mark.parametrize(
    "column",
    [c for t in TABLES_BY_NAME.values() for c in t.columns if not c.required or c.kind == "bool"],
    ids=lambda c: c.name,
)
def test_an_absent_column_is_typed_as_parsing_its_blank_cells(column):
    """A v1 file lacks the v2 columns: they are filled without parsing, and must be exactly what
    parsing a column of empty cells gives (dtype and values)."""
    index = pd.Index([2, 3, 5], name="row")
    parsed = parse_series(column, pd.Series([None, "", "  "], index=index, dtype=object))
    assert not parsed.bad.any()
    pd.testing.assert_series_equal(absent_column(column, index), parsed.values, check_names=False)
