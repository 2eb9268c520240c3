"""ui.whatif.target_units: targets typed in the unit the editor shows (亿元 / 万元 / 万美元 / 个) and
stored in 万元 / 万美元 / 个, exactly."""

from __future__ import annotations

import numpy as np
import pytest

from ui.whatif.target_units import (
    decimals_needed,
    number_column,
    refusal,
    shown_unit,
    target_kind,
    to_shown,
    to_stored,
)


def test_each_metric_has_its_editor() -> None:
    assert target_kind("in_stats_investment_wan") == "wan"
    assert target_kind("fdi_usd_wan") == "usd"
    assert target_kind("signed_projects") == "count"
    assert target_kind("valid_leads") == "count"


def test_money_editor_shows_yi_once_a_target_reaches_one_yi() -> None:
    # the demo's 入统项目投资总额 target: 1,860,000 万元 = 186 亿元
    assert shown_unit("wan", [1860000.0, 804000.0, None]) == "亿元"
    assert shown_unit("wan", [9000.0]) == "万元"
    assert shown_unit("usd", [3330.0]) == "万美元"
    assert shown_unit("count", [49.0]) == "个"


def test_one_point_four_yi_is_stored_as_fourteen_thousand_wan() -> None:
    assert to_stored(1.4, "亿元") == 14000.0
    assert to_stored(np.float64(0.57), "亿元") == 5700.0  # not 5699.999999999999
    assert to_stored(140, "亿元") == 1400000.0  # the 1,400,000.00 万元, typed as 140 亿元
    assert to_stored(3330.5, "万美元") == 3330.5
    assert to_stored(np.int64(49), "个") == 49.0


def test_targets_show_in_the_editors_unit() -> None:
    assert to_shown(1400000.0, "亿元") == 140.0
    assert to_shown(14000.0, "亿元") == 1.4
    assert to_shown(49.0, "个") == 49 and isinstance(to_shown(49.0, "个"), int)  # not 49.00
    assert to_shown(None, "亿元") is None and to_shown(float("nan"), "个") is None


def test_shown_then_saved_unchanged_is_the_stored_target() -> None:
    """A target left alone must not become a scenario change through a round trip."""
    for stored in (1860000.0, 804000.0, 123456.78, 0.01):
        assert to_stored(to_shown(stored, "亿元"), "亿元") == stored


@pytest.mark.parametrize(
    ("value", "unit", "why"),
    [
        (2.5, "个", "个数应为整数"),
        (-1, "亿元", "不小于 0"),
        ("abc", "亿元", "应为数字"),
        (True, "个", "应为数字"),
    ],
)
def test_refused_targets_say_why(value: object, unit: str, why: str) -> None:
    assert why in (refusal(value, unit) or "")


@pytest.mark.parametrize(
    ("value", "unit"), [(3, "个"), (np.float64(3.0), "个"), (1.4, "亿元"), (0, "万美元")]
)
def test_good_targets_pass(value: object, unit: str) -> None:
    assert refusal(value, unit) is None


def test_amounts_show_every_decimal_they_have() -> None:
    assert decimals_needed([186.0, 80.4]) == 2
    assert decimals_needed([12.3456, None]) == 4  # 123,456 万元 in 亿元
    assert decimals_needed([0.000001]) == 6


def test_counts_are_whole_numbers_in_the_editor() -> None:
    column = number_column("推演目标(个)", "个", [49])
    assert column["type_config"]["format"] == "%d" and column["type_config"]["step"] == 1
    money = number_column("推演目标(亿元)", "亿元", [186.0])
    assert money["type_config"]["format"] == "%,.2f" and money["label"] == "推演目标(亿元)"
