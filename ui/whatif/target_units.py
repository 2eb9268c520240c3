"""Targets in the unit a person reads: money in 亿元 or 万元 (named in the column header), 万美元,
and counts as whole numbers. Targets are stored in 万元 / 万美元 / 个; an amount typed in 亿元 is
converted to 万元 in decimal (``analytics.core.format.wan_from``), so 1.4 亿元 is exactly 14000 万元.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pandas as pd
import streamlit as st

from analytics.core.format import MONEY_UNITS, in_unit, money_unit, wan_from
from analytics.core.labels import METRIC_UNITS

# The editors of the 模拟推演 page, in order: (kind, heading).
KINDS: tuple[tuple[str, str], ...] = (("wan", "金额目标"), ("usd", "外资与外贸目标"), ("count", "个数目标"))


def target_kind(metric: str) -> str:
    """``wan`` (stored in 万元), ``usd`` (万美元) or ``count`` (个) for a target's metric."""
    return METRIC_UNITS.get(metric, "count")


def shown_unit(kind: str, values_stored: Iterable[float | None]) -> str:
    """The unit an editor of ``kind`` shows: 亿元 once the largest amount reaches 1 亿, else 万元;
    万美元; 个."""
    if kind == "wan":
        return money_unit(values_stored)
    return "万美元" if kind == "usd" else "个"


def to_shown(value_stored: float | None, unit: str) -> float | int | None:
    """A stored target in ``unit``: 万元 amounts divided exactly for 亿元, counts as whole numbers."""
    if value_stored is None or pd.isna(value_stored):
        return None
    if unit in MONEY_UNITS:
        return in_unit(value_stored, unit)
    if unit == "个":
        return int(round(float(value_stored)))
    return float(value_stored)


def to_stored(value_shown: float | int, unit: str) -> float:
    """A target typed in ``unit`` as stored: 亿元 → 万元 in decimal (1.4 亿元 → 14000.0), else as is."""
    return wan_from(value_shown, unit) if unit in MONEY_UNITS else float(value_shown)


def refusal(value_shown: Any, unit: str) -> str | None:
    """Why a typed target cannot be taken (the editor validates in the browser only), or ``None``."""
    if isinstance(value_shown, bool) or not isinstance(value_shown, numbers.Real | Decimal):
        return f"应为数字,实际为 {value_shown!r}"
    if value_shown < 0:
        return f"应为不小于 0 的数,实际为 {value_shown}"
    if unit == "个" and not float(value_shown).is_integer():
        return f"个数应为整数,实际为 {value_shown}"
    return None


def decimals_needed(values_shown: Iterable[float | None], least: int = 2, most: int = 6) -> int:
    """Decimal places that show every value exactly (at least ``least``): 12.3456 亿元 needs 4."""
    places = least
    for value in values_shown:
        if value is None or pd.isna(value):
            continue
        exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
        places = max(places, -exponent if isinstance(exponent, int) else 0)
    return min(places, most)


def number_column(label: str, unit: str, values_shown: Iterable[float | None], **kwargs: Any) -> Any:
    """A NumberColumn for targets in ``unit``: counts step 1 as ``%d``, amounts with separators and
    as many decimals as the values need."""
    if unit == "个":
        return st.column_config.NumberColumn(label, min_value=0, step=1, format="%d", **kwargs)
    step = 0.000001 if unit == "亿元" else 0.01  # a 万元 amount's cents, whatever the unit shown
    return st.column_config.NumberColumn(
        label, min_value=0, step=step, format=f"%,.{decimals_needed(values_shown)}f", **kwargs
    )
