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
        "2024-3-5",
        "2024/03/05",
        "05.03.2024",
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
    assert info.value.expected_zh == "YYYY-MM-DD 格式的日期"
    assert info.value.expected_en == "a date YYYY-MM-DD"
    assert "应为 YYYY-MM-DD 格式的日期" in str(info.value)


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


@pytest.mark.parametrize("cell", ["2024-03-05", "2024-03-05 25:00", "10:30", "2024-03-05 10"])
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
