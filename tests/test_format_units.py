"""analytics.core.format, the shared pieces of issue 15: money in one unit (exact 亿元 ↔ 万元) and
Chinese date axes for every plotly chart (pages and documents)."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.core.format import (
    DATE_TICK_STOPS,
    amount_in,
    chinese_date_axes,
    date_kind,
    in_unit,
    metric_values,
    money_as,
    money_unit,
    wan_from,
)

# ---------------------------------------------------------------------------------------------
# money in one unit
# ---------------------------------------------------------------------------------------------


def test_money_unit_is_yi_once_the_largest_reaches_one_yi() -> None:
    assert money_unit([9999.99, 12.0]) == "万元"
    assert money_unit([10000.0, 12.0]) == "亿元"  # 10000 万元 = 1 亿元
    assert money_unit([None, float("nan"), -15000.0]) == "亿元"  # a fall of 1.5 亿 counts too
    assert money_unit([]) == "万元"


@pytest.mark.parametrize(
    ("typed", "wan"),
    [
        (1.4, 14000.0),  # the example
        (0.57, 5700.0),  # 0.57 × 10000 in binary floating point is 5699.999999999999
        (1.13, 11300.0),  # … and 11299.999999999998
        (np.float64(0.57), 5700.0),  # what a data editor hands back
        (np.int64(3), 30000.0),
        ("1,234.5", 12345000.0),
        (0.000001, 0.01),  # one fen-level 万元 digit: 0.01 万元
    ],
)
def test_an_amount_typed_in_yi_is_stored_in_wan_exactly(typed: object, wan: float) -> None:
    assert wan_from(typed, "亿元") == wan


def test_an_amount_typed_in_wan_stays_as_typed() -> None:
    assert wan_from(1234.56, "万元") == 1234.56


def test_shown_in_yi_and_back_is_the_stored_amount() -> None:
    # 123,456.78 万元 = 12.345678 亿元; typed back, it is the same 万元 (no drift from a round trip)
    assert in_unit(123456.78, "亿元") == 12.345678
    for stored in (123456.78, 5700.0, 0.01, 1400000.0, 33.33):
        assert wan_from(in_unit(stored, "亿元"), "亿元") == stored
    assert in_unit(None, "亿元") is None


def test_amount_in_writes_the_number_without_its_unit() -> None:
    assert amount_in(123456.0, "亿元") == "12.35"
    assert amount_in(8000.0, "万元") == "8,000.00"
    assert amount_in(None, "万元") == "—"


# ---------------------------------------------------------------------------------------------
# date axes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["2025-01", "2025-02"], "month"),
        (["2025-01-03", None, "2025-02-05"], "day"),
        ([date(2025, 1, 3)], "day"),
        ([datetime(2025, 1, 3, 8, 30)], "day"),
        ([pd.Timestamp("2025-01-03")], "day"),
        (np.array(["2025-01-03"], dtype="datetime64[ns]"), "day"),
        (["2025-01-03T00:00:00.000000"], "day"),  # how plotly stores a pandas datetime column
        (["2024 年", "2025 年"], None),  # year labels are categories
        ([1.0, 2.0], None),
        (["2025-01", "柳河镇"], None),
        ([None], None),
    ],
)
def test_date_kind_recognises_what_plotly_reads_as_dates(values: object, kind: str | None) -> None:
    assert date_kind(values) == kind


def test_month_axis_gets_chinese_ticks_and_month_hover() -> None:
    figure = go.Figure(go.Scatter(x=["2025-01", "2025-02", "2025-03"], y=[1, 2, 3]))
    chinese_date_axes(figure)
    axis = figure.layout.xaxis
    assert axis.type == "date"
    assert axis.tickformat == "%Y年%-m月"
    assert axis.hoverformat == "%Y年%-m月"
    # days as 2025-01-03, months as 2025年1月, years as 2025年: no stop left to plotly's English
    assert [s.value for s in axis.tickformatstops] == ["%Y-%m-%d", "%Y年%-m月", "%Y年"]
    assert all("%b" not in s.value and "%B" not in s.value for s in axis.tickformatstops)
    assert figure.layout.yaxis.type is None  # the counts axis is left alone


def test_day_axis_hovers_with_the_day_and_categories_are_left_alone() -> None:
    figure = go.Figure()
    figure.add_bar(x=[date(2025, 3, 5), date(2025, 4, 1)], y=[1, 2])
    figure.add_scatter(x=["2025-03", "2025-04"], y=[1, 3])  # a month series on the same axis
    figure.add_bar(x=[3, 4], y=["甲", "乙"], orientation="h", xaxis="x2", yaxis="y2")
    chinese_date_axes(figure)
    assert figure.layout.xaxis.hoverformat == "%Y-%m-%d"  # one trace has days: hover the day
    layout = figure.to_dict()["layout"]
    assert "type" not in layout.get("xaxis2", {}) and "type" not in layout.get("yaxis2", {})


def test_tick_stops_pick_the_day_below_a_month_and_the_year_from_a_year() -> None:
    # plotly takes the first stop whose dtickrange holds the tick spacing (both ends inclusive)
    day_ms = 86_400_000
    first, second, third = DATE_TICK_STOPS
    assert first["dtickrange"][1] > 14 * day_ms  # fortnightly ticks still show the day
    assert first["dtickrange"][1] < 28 * day_ms  # monthly ticks (M1 ≈ 30.4 days) do not
    assert second["dtickrange"] == [None, "M11"] and third["dtickrange"] == [None, None]


def test_figures_without_axes_pass_unchanged() -> None:
    figure = go.Figure(go.Indicator(mode="number", value=3))
    figure.add_trace(go.Treemap(labels=["甲"], parents=[""], values=[1]))
    assert chinese_date_axes(figure).layout.xaxis.type is None


def test_values_of_one_figure_share_one_unit() -> None:
    # 入统项目投资总额: target 1.86 亿, done 9,000 万 → both in 亿元 (not 1.86 亿元 beside 9,000.00 万元)
    assert metric_values("in_stats_investment_wan", [18600.0, 9000.0]) == ["1.86 亿元", "0.90 亿元"]
    assert metric_values("in_stats_investment_wan", [900.0, None]) == ["900.00 万元", "—"]
    assert metric_values("fdi_usd_wan", [3330.0, 20.5]) == ["3,330.00 万美元", "20.50 万美元"]
    assert metric_values("signed_projects", [50.0, 48.0]) == ["50 个", "48 个"]
    assert money_as(12000.0, "亿元") == "1.20 亿元" and money_as(1972.4, "万元", 0) == "1,972 万元"
