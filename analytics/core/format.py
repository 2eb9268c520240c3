"""Chinese number and date formatting: 万元/亿元 with separators, percentages, YYYY-MM-DD.

Pure functions (no Streamlit), so pages, documents and tests format alike.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from analytics.core.labels import AWARD_LABELS, METRIC_UNITS, STATUS_COLOURS, STATUS_ICONS, STATUS_LABELS  # noqa: F401

DASH = "—"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def wan(value: float | None, digits: int = 2) -> str:
    """An amount in 万元, e.g. ``12,345.60 万元``."""
    if _missing(value):
        return DASH
    return f"{value:,.{digits}f} 万元"


def money(value: float | None) -> str:
    """An amount given in 万元, shown in 亿元 from 1 亿 (10000 万元) up, else in 万元."""
    if _missing(value):
        return DASH
    if abs(value) >= 10000:
        return f"{value / 10000:,.2f} 亿元"
    return f"{value:,.2f} 万元"


def money_short(value: float | None) -> str:
    """A compact amount for big type (projector): 亿元 with 2 decimals from 1 亿 up, else whole 万元."""
    if _missing(value):
        return DASH
    if abs(value) >= 10000:
        return f"{value / 10000:,.2f} 亿元"
    return f"{value:,.0f} 万元"


def usd_wan(value: float | None) -> str:
    """An amount in 万美元."""
    if _missing(value):
        return DASH
    return f"{value:,.2f} 万美元"


def count(value: float | None, unit: str = "个") -> str:
    if _missing(value):
        return DASH
    return f"{int(round(value)):,} {unit}".rstrip()


def percent(value: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: 0.8567 → ``85.7%``."""
    if _missing(value):
        return DASH
    return f"{value * 100:.{digits}f}%"


def signed_percent(value: float | None, digits: int = 1) -> str:
    """A change as a signed percentage: 0.12 → ``+12.0%``."""
    if _missing(value):
        return DASH
    return f"{value * 100:+.{digits}f}%"


def score(value: float | None) -> str:
    """Scores are rounded to 2 decimals for display only (METRICS.md §4)."""
    if _missing(value):
        return DASH
    return f"{value:.2f}"


def day(value: date | datetime | None) -> str:
    if _missing(value) or value is None:
        return DASH
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


# Unit of each metric, so one formatter serves every card.


def metric_value(metric: str, value: float | None) -> str:
    """Format a county or unit metric in its own unit (amounts vs counts)."""
    unit = METRIC_UNITS.get(metric)
    if unit == "wan":
        return money(value)
    if unit == "usd":
        return usd_wan(value)
    return count(value)


# Schedule status (METRICS.md §3) → Chinese label and traffic-light colour. Label always shown with
# the colour, so status never depends on colour alone (projector, colour-blind readers).
def status_label(status: str | None) -> str:
    key = status if status in STATUS_LABELS else "no_target"
    return f"{STATUS_ICONS[key]} {STATUS_LABELS[key]}"


def status_colour(status: str | None) -> str:
    return STATUS_COLOURS.get(status or "no_target", STATUS_COLOURS["no_target"])


def landing_base(base: int, written_off: int) -> str:
    """A 9865 cohort's base with its write-offs (METRICS v2 §1): ``基数 12 个(已核销 2)``."""
    return f"基数 {base} 个(已核销 {written_off})"


# ---------------------------------------------------------------------------------------------
# money in one unit: a column, an axis or an editor names its unit once, its values are numbers
# ---------------------------------------------------------------------------------------------

MONEY_UNITS: dict[str, int] = {"万元": 1, "亿元": 10000}


def money_unit(values: Iterable[float | None]) -> str:
    """The one unit for a set of amounts given in 万元: 亿元 once the largest reaches 1 亿, else 万元."""
    numbers = [abs(float(v)) for v in values if not _missing(v) and v is not None]
    return "亿元" if numbers and max(numbers) >= 10000 else "万元"


def in_unit(value_wan: float | None, unit: str) -> float | None:
    """An amount in 万元 expressed in ``unit`` (万元 or 亿元), exactly as decimal division gives it."""
    if _missing(value_wan) or value_wan is None:
        return None
    return float(exact_decimal(value_wan) / MONEY_UNITS[unit])


def wan_from(value: float | int | str | Decimal, unit: str) -> float:
    """An amount entered in ``unit`` (万元 or 亿元) as the stored 万元, converted in decimal: the
    number as typed (its shortest decimal form) times 10000, so 0.57 亿元 is exactly 5700 万元
    (binary floating point gives 5699.999999999999)."""
    return float(exact_decimal(value) * MONEY_UNITS[unit])


def exact_decimal(value: float | int | str | Decimal) -> Decimal:
    """A number as the exact decimal a person typed: a float through its shortest form (``repr``),
    text with its thousands separators removed; the one conversion money rules and editors use."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return Decimal(value.replace(",", "").strip())
    number = float(value)  # numpy and pandas scalars too
    return Decimal(int(number)) if number.is_integer() else Decimal(repr(number))


def amount_in(value_wan: float | None, unit: str) -> str:
    """An amount in 万元 as a number of ``unit`` without the unit (the column header names it):
    ``amount_in(123456, "亿元")`` → ``12.35``."""
    shown = in_unit(value_wan, unit)
    return DASH if shown is None else f"{shown:,.2f}"


def money_as(value_wan: float | None, unit: str, digits: int = 2) -> str:
    """An amount in 万元 written in the given ``unit`` with it: ``money_as(12000, "亿元")`` → ``1.20 亿元``."""
    shown = in_unit(value_wan, unit)
    return DASH if shown is None else f"{shown:,.{digits}f} {unit}"


def metric_values(metric: str, values: Iterable[float | None]) -> list[str]:
    """Several values of one metric (a target and its actual; this week, last week and the change)
    in one unit, so they compare at a glance: ``[1.59 亿元, 0.00 亿元]``, never ``[1.59 亿元, 0.00 万元]``."""
    values = list(values)
    if METRIC_UNITS.get(metric) == "wan":
        unit = money_unit(values)
        return [money_as(v, unit) for v in values]
    return [metric_value(metric, v) for v in values]


# ---------------------------------------------------------------------------------------------
# date axes of charts (plotly's d3 time formats): never plotly's English default (Jan 2026)
# ---------------------------------------------------------------------------------------------

DAY_TICKS = "%Y-%m-%d"
MONTH_TICKS = "%Y年%-m月"
YEAR_TICKS = "%Y年"
# Which format a date axis uses at each tick spacing (the first stop that fits wins): daily or
# weekly ticks show the day, monthly to half-yearly ones the month, yearly ones the year.
DATE_TICK_STOPS: tuple[dict[str, Any], ...] = (
    {"dtickrange": [None, 20 * 86_400_000], "value": DAY_TICKS},
    {"dtickrange": [None, "M11"], "value": MONTH_TICKS},
    {"dtickrange": [None, None], "value": YEAR_TICKS},
)
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?$")
_MONTH_TEXT = re.compile(r"^\d{4}-\d{2}$")


def date_kind(values: Iterable[Any] | None) -> str | None:
    """``"month"`` when every value is a ``YYYY-MM`` text, ``"day"`` when every value is a date
    (a date, a timestamp, or ``YYYY-MM-DD`` text), else ``None``; blanks are skipped.

    Plotly reads such values as dates and, left alone, labels them in English."""
    if values is None or isinstance(values, str | bytes):
        return None
    present = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    if not present:
        return None
    if all(isinstance(v, str) and _MONTH_TEXT.match(v) for v in present):
        return "month"
    if all(_is_day(v) for v in present):
        return "day"
    return None


def _is_day(value: Any) -> bool:
    if isinstance(value, date):  # datetime and pandas Timestamp are dates too
        return True
    if isinstance(value, str):
        return bool(_DATE_TEXT.match(value))
    return type(value).__name__ == "datetime64"


def chinese_date_axes(figure: Any) -> Any:
    """Every date axis of a plotly ``figure`` labelled in Chinese (2026年3月, 2026-03-05, 2026年), its
    hover in the data's own grain: the one place charts get their date labels."""
    kinds: dict[str, str] = {}
    for trace in figure.data:
        for letter in ("x", "y"):
            try:
                values = getattr(trace, letter)
                anchor = getattr(trace, f"{letter}axis") or letter
            except AttributeError:  # traces without axes (indicator, treemap)
                continue
            kind = date_kind(_as_list(values))
            if kind is not None:
                name = f"{letter}axis{anchor[1:]}"
                kinds[name] = "day" if kinds.get(name, kind) == "day" else kind
    for name, kind in kinds.items():
        figure.update_layout(
            {
                name: {
                    "type": "date",
                    "tickformat": MONTH_TICKS,
                    "tickformatstops": list(DATE_TICK_STOPS),
                    "hoverformat": MONTH_TICKS if kind == "month" else DAY_TICKS,
                }
            }
        )
    return figure


def _as_list(values: Any) -> list[Any] | None:
    if values is None:
        return None
    if hasattr(values, "dtype") and str(getattr(values, "dtype", "")).startswith("datetime64"):
        return [date(1970, 1, 1)] * len(values)  # only the kind matters
    return list(values)
