"""The plan year, the as-of date and what follows from them (METRICS.md, "The report")."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction


@dataclass(frozen=True)
class Period:
    """A report is computed for a plan year ``Y`` and an as-of date ``D``."""

    year: int
    as_of: date

    @property
    def window_start(self) -> date:
        """First day of ``W``: ``Y-01-01``."""
        return date(self.year, 1, 1)

    @property
    def window_end(self) -> date:
        """Last day of ``W``: ``min(D, Y-12-31)``, included."""
        return min(self.as_of, date(self.year, 12, 31))

    @property
    def days_in_year(self) -> int:
        return 366 if calendar.isleap(self.year) else 365

    @property
    def schedule_fraction(self) -> Fraction:
        """时序进度 ``f``, exact: days from Y-01-01 to min(D, Y-12-31) inclusive / days in Y (0 before Y)."""
        days = (self.window_end - self.window_start).days + 1
        return Fraction(max(days, 0), self.days_in_year)

    @property
    def schedule(self) -> float:
        """时序进度 ``f`` as a float (for display and JSON); comparisons use ``schedule_fraction``."""
        return float(self.schedule_fraction)

    @property
    def is_year_end(self) -> bool:
        """From ``Y-12-31`` on the year's ranks, awards and money are final; before it they are
        provisional (预计, 暂列第一 / 暂列末位), and the award names are not yet given (METRICS v2)."""
        return self.as_of >= date(self.year, 12, 31)

    def previous_year_span(self) -> Period:
        """The same span of days one year earlier (29 Feb counts as 28 Feb), for YoY."""
        end = self.window_end
        if end < self.window_start:
            return Period(self.year - 1, date(self.year - 1, 1, 1) - timedelta(days=1))
        return Period(self.year - 1, month_day_of(end.year - 1, f"{end.month:02d}-{end.day:02d}"))


def month_day_of(year: int, month_day: str) -> date:
    """The date of ``MM-DD`` in ``year``; a day beyond the month's end is its last day, so 02-29 is
    28 February in a common year. The one place of this rule: YoY spans, the mid-year check day,
    the lead validation cutoff and the concentration history all read it."""
    month, day = (int(x) for x in month_day.split("-"))
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))
