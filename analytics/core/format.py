"""Chinese number and date formatting: 万元/亿元 with separators, percentages, YYYY-MM-DD.

Pure functions (no Streamlit), so pages, documents and tests format alike.
"""

from __future__ import annotations

import math
from datetime import date, datetime

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
