"""The plain words of the 口径 texts: the report's window and sets said as a leader says them, and
numbers, percentages and month-days written from settings (no W, S, D or f on screen)."""

from __future__ import annotations

from decimal import Decimal

W = "统计期为本年1月1日至截止日(截止日不晚于12月31日)"
ACTIVE = "未核销(或核销日期晚于截止日)"
S = f"本年新签约项目(签约日期在本年1月1日至截止日之间且{ACTIVE})"
IN_STATS = f"入统日期在本年1月1日至截止日之间且{ACTIVE}的项目"
ARRIVALS = "本年1月1日至截止日到位的资金"


def num(value: float | int) -> str:
    """A setting's number as typed: 1.5 → ``1.5``, 2.0 → ``2``, 200000 → ``200000``."""
    text = format(Decimal(str(value)).normalize(), "f")
    return text


def pct(fraction: float) -> str:
    """A fraction as a percentage without noise: 0.9 → ``90%``, 0.125 → ``12.5%``."""
    return f"{num(Decimal(str(fraction)) * 100)}%"


def month_day(value: str) -> str:
    """A ``MM-DD`` setting in words: ``07-20`` → ``7月20日``."""
    month, day = (int(x) for x in value.split("-"))
    return f"{month}月{day}日"


def amount_wan(value: float) -> str:
    """An amount setting in 万元 in words: 200000 → ``20亿元``, 2000 → ``2000万元``."""
    if value >= 10000:
        return f"{num(Decimal(str(value)) / 10000)}亿元"
    return f"{num(value)}万元"
