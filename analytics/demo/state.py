"""The state of one demo county while it is generated: the random source, the dates, the growing
tables, and the name and date helpers every step shares."""

from __future__ import annotations

import calendar
import math
import random
from datetime import date, datetime, timedelta

from analytics.data.keys import company_key
from analytics.demo import names as N
from analytics.demo.design import FIRST_YEAR, ROLE_ACTIVITY, ROLES


def add_days(d: date, days: int) -> date:
    return d + timedelta(days=days)


def month_text(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def previous_month(y: int, m: int) -> tuple[int, int]:
    return (y - 1, 12) if m == 1 else (y, m - 1)


class DemoState:
    """Holds the random source and the growing tables while generating one demo county."""

    def __init__(self, seed: int, scale: int, today: date) -> None:
        if scale < 1:
            raise ValueError("scale must be ≥ 1")
        if today < date(FIRST_YEAR, 1, 1):
            raise ValueError(f"today must be on or after {FIRST_YEAR}-01-01")
        self.rng = random.Random(seed)
        self.scale = scale
        self.today = today
        self.year = today.year
        self.first_year = min(FIRST_YEAR, self.year - 1)
        year_start = date(self.year, 1, 1)
        days_in_year = 366 if calendar.isleap(self.year) else 365
        self.f = ((today - year_start).days + 1) / days_in_year  # 时序进度 at today
        self.company_keys: set[str] = set()
        self.projects: list[dict] = []
        self.arrivals: list[dict] = []
        self.leads: list[dict] = []
        self.fx_flagship: dict = {}
        self.flagship_5020: dict = {}

    # ---------- names ----------
    def company(self, industry: str, source: str) -> tuple[str, str]:
        """A new company name (unique by first-report key) and its short name for project names."""
        rng = self.rng
        for attempt in range(50):
            if rng.random() < 0.12:
                core = rng.choice(N.LATIN_CORES)
            else:
                core = "".join(rng.sample(N.CORE_CHARS, 3 if attempt > 10 else 2))
            word = rng.choice(N.COMPANY_WORDS[industry])
            if source == "foreign":
                place = rng.choice(N.FOREIGN_PLACES)
                name = (
                    f"{core}{word}({place})有限公司" if rng.random() < 0.5 else f"{place}{core}{word}有限公司"
                )
            else:
                cities = N.CITIES if source == "out_of_province" else N.HOME_PROVINCE_CITIES
                name = f"{rng.choice(cities)}{core}{word}{rng.choice(N.COMPANY_SUFFIXES)}"
            key = company_key(name)
            if key not in self.company_keys:
                self.company_keys.add(key)
                return name, core
        raise RuntimeError("company name pool exhausted")  # pragma: no cover

    def project_name(self, short: str, industry: str) -> str:
        template = self.rng.choice(N.PROJECT_TEMPLATES[industry])
        return short + template.format(n=self.rng.choice([5, 10, 20, 30, 50, 100, 200, 500]))

    def person(self) -> str:
        """An invented Chinese personal name."""
        return self.rng.choice(N.SURNAMES) + self.rng.choice(N.GIVEN_NAMES)

    # ---------- dates ----------
    def rand_date(self, a: date, b: date) -> date:
        return add_days(a, self.rng.randint(0, max((b - a).days, 0)))

    def moment(self, d: date) -> datetime:
        rng = self.rng
        return datetime(d.year, d.month, d.day, rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17]),
                        rng.randint(0, 59), rng.randint(0, 59))  # fmt: skip

    def not_after_today(self, d: date | None) -> date | None:
        return d if d is not None and d <= self.today else None

    def activity(self, unit: str, year: int) -> float:
        if year == self.year:
            return ROLE_ACTIVITY[ROLES.get(unit, "normal")]
        return math.exp(self.rng.gauss(0, 0.3))
