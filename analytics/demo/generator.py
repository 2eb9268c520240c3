"""The demo county (澄岭县, fictional): a deterministic dataset in the DATA_CONTRACT format.

``generate_demo(seed, scale, today)`` builds the nine contract tables as DataFrames; it is pure:
the same arguments give the same frames, and the wall clock only enters through ``today``.
``write_demo(out_dir, ...)`` writes them as a CSV folder (``<table>.csv``, English headers, UTF-8).

History runs from 2022-01-01 (or the year before ``today`` if earlier) to ``today``; nothing is
dated after ``today``. ``scale`` multiplies the volumes (projects, arrivals, leads, problems); the
county's units, squads and industries stay the same.

The current year (the year of ``today``) is shaped so that the METRICS.md dashboard has something
true to show (see ``ROLES`` and ``COUNTY_DESIGN``):
- class-1 townships: 柳河镇 (t02) leads and completes every target → 骏马奖; 桂溪镇 (t01) also
  completes → second 先进单位; 龙潭镇 (t05) is last and incomplete → 蜗牛奖.
- class-2 townships: 梅坪乡 (t09) → 骏马奖 and 先进单位; 云台乡 (t11) → 蜗牛奖.
- weak units fall below half of a target (behind_half after 07-20); 县医疗保障局 (d05) has a 0
  valid-leads target and 县水利局 (d12) no in-stats target (indicators left out of the score).
- county targets: some met, some on track, some behind, some far behind the time schedule.
- "9865": the prior-year cohort's commencement rate is held at 90–94%, the current cohort's ≤ 79%.
- key-industry concentration by investment is held between 50% and 65%.
- 桂溪镇 (t01) has one FX arrival ≥ 600 万美元 this year and the most FX (现汇突出贡献奖);
  a "5020" project with ≥ 20% fixed assets arrived earns its introducer the 5020 reward.
Stationed squads' monthly reports run to the previous month, and to the current month (days so
far) once its 20th day has passed, so an unfinished month is not shown as non-compliant.
These hold for an as-of date of ``today`` (the dashboard's default); early in January, with
almost no data for the year yet, the awards may not be decidable.
"""

from __future__ import annotations

import bisect
import calendar
import math
import random
import re
import unicodedata
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from analytics.core.labels import MONEY_METRICS
from analytics.core.schema import BOOL, DATE, DATETIME, INT, MONEY, NUMBER, TABLES, UNIT_METRICS
from analytics.data.demo_mark import DEMO_MARKER_FILE
from analytics.demo import names as N

FIRST_YEAR = 2022
SIGNINGS_PER_YEAR = 50
INDEPENDENT_LEADS_PER_YEAR = 115
PROBLEMS_PER_SCALE = 40
CNY_PER_USD = 7.1  # 万元 per 万美元

# Current-year role of each unit; everything not listed is "normal".
ROLES: dict[str, str] = {
    "t02": "leader",
    "t01": "strong",
    "t04": "weak",
    "t05": "snail",
    "t09": "leader",
    "t10": "weak",
    "t11": "snail",
    "d08": "strong",
    "d11": "strong",
    "d19": "strong",
    "d04": "weak",
    "d13": "weak",
    "d16": "weak",
    "d09": "weak",
}
ROLE_ACTIVITY = {"leader": 1.35, "strong": 1.15, "normal": 1.0, "weak": 0.6, "snail": 0.35}
ZERO_TARGET = ("d05", "valid_leads")  # target 0: the indicator is left out of the unit's score
MISSING_TARGET = ("d12", "in_stats_projects")  # no target row at all
FX_UNIT = "t01"  # gets the ≥ 600 万美元 single FX arrival of the current year

# How strongly each unit brings in projects (uneven on purpose); departments default to DEPT_WEIGHT.
PROJECT_WEIGHTS: dict[str, float] = {
    "t01": 1.6, "t02": 2.2, "t03": 1.2, "t04": 1.0, "t05": 0.7, "t06": 0.9,
    "t07": 0.8, "t08": 0.6, "t09": 1.1, "t10": 0.5, "t11": 0.35, "t12": 0.6,
    "d18": 1.2, "d19": 1.0, "d08": 0.8, "d20": 0.6, "d11": 0.5, "d01": 0.5,
}  # fmt: skip
DEPT_WEIGHT = 0.35

# Desired status of each county metric for the current year, as of ``today``.
COUNTY_DESIGN: dict[str, str] = {
    "signed_projects": "on_track",
    "foreign_firms": "met",
    "export_producers": "behind",
    "projects_100m": "on_track",
    "top_companies": "met",
    "projects_5020": "far_behind",
    "in_stats_investment_wan": "behind",
    "in_stats_projects_100m": "on_track",
    "in_stats_projects_2b": "met",
    "fdi_usd_wan": "on_track",
    "fx_usd_wan": "met",
    "out_of_province_funds_wan": "far_behind",
}
UNIT_WEIGHTS = {"signed_projects": 0.4, "in_stats_projects": 0.4, "valid_leads": 0.2}
SCORE_CAP = 1.5
RED_GAP = 0.30

_INDUSTRY = {i[0]: i for i in N.INDUSTRIES}
_KEY = {i[0] for i in N.INDUSTRIES if i[2]}
_INDUSTRIAL = {i[0] for i in N.INDUSTRIES if i[3]}
_SQUAD_INDUSTRY = {s[0]: s[3] for s in N.SQUADS}
_DEPT_SQUAD = {d[0]: d[2] for d in N.DEPARTMENTS}
_TOWNSHIP_IDS = [t[0] for t in N.TOWNSHIPS]
_UNIT_IDS = _TOWNSHIP_IDS + [d[0] for d in N.DEPARTMENTS]
_CLASS = {t[0]: t[2] for t in N.TOWNSHIPS}


def company_key(name: str) -> str:
    """The first-report grouping key of METRICS.md §4: NFKC, no white space, case-folded."""
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _add_days(d: date, days: int) -> date:
    return d + timedelta(days=days)


class _Gen:
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

    def rand_date(self, a: date, b: date) -> date:
        return _add_days(a, self.rng.randint(0, max((b - a).days, 0)))

    def activity(self, unit: str, year: int) -> float:
        if year == self.year:
            return ROLE_ACTIVITY[ROLES.get(unit, "normal")]
        return math.exp(self.rng.gauss(0, 0.3))

    # ---------- projects ----------
    def new_project(
        self, year: int, unit: str, signed: date, industry: str | None = None, big: bool = False, **fixed
    ) -> dict:
        rng = self.rng
        if industry is None:
            squad_industry = _SQUAD_INDUSTRY.get(_DEPT_SQUAD.get(unit, ""), None)
            if squad_industry and rng.random() < 0.5:
                industry = squad_industry
            else:
                industry = rng.choices(list(N.INDUSTRY_WEIGHTS), weights=list(N.INDUSTRY_WEIGHTS.values()))[0]
        industrial = industry in _INDUSTRIAL
        r = rng.random()
        source = "foreign" if r < 0.07 else ("out_of_province" if r < 0.57 else "in_province")
        source = fixed.pop("source", source)
        if big:
            total = round(rng.uniform(200000, 500000), -3)
        else:
            total = min(max(round(math.exp(rng.gauss(math.log(12000), 1.0)), -2), 2000.0), 180000.0)
        total = fixed.pop("total", total)
        if "company" in fixed:
            company, short = fixed.pop("company"), fixed.pop("short")
            self.company_keys.add(company_key(company))
        else:
            company, short = self.company(industry, source)
        export = industrial and rng.random() < (0.5 if source == "foreign" else 0.1)
        rank = None
        if rng.random() < (0.4 if total >= 100000 else 0.05):
            rank = rng.choices(["world500", "china500", "central_soe", "private_top100"], [1, 3, 3, 3])[0]
        in_park = industrial and rng.random() < 0.7
        if in_park:
            township = N.PARK_TOWNSHIP
        elif unit.startswith("t") and rng.random() < 0.85:
            township = unit
        elif rng.random() < 0.1:
            township = None
        else:
            township = rng.choice(_TOWNSHIP_IDS)
        leader = None
        if total >= 50000 or rng.random() < 0.03:
            leader = rng.choice(list(N.LEADERS.values()))
        p = {
            "project_id": None,
            "name": self.project_name(short, industry),
            "company": company,
            "industry_id": industry,
            "total_investment_wan": float(total),
            "source": source,
            "is_export_producer": export,
            "company_rank": rank,
            "is_5020": big and rng.random() < 0.8,
            "introducing_unit_id": unit,
            "township_id": township,
            "in_park": in_park,
            "leader_in_charge": leader,
            "signed_date": signed,
            "in_stats_date": None,
            "commenced_date": None,
            "production_date": None,
            "written_off_date": None,
            "note": rng.choice(N.NOTES) if rng.random() < 0.1 else None,
            "_year": year,
            "_fixed_life": False,
        }
        p.update(fixed)
        self.projects.append(p)
        return p

    def lifecycle(self, p: dict) -> None:
        """Signing → 入统 / 开工 / 投产, stalls and write-offs; anything after today is blank."""
        rng, today, signed = self.rng, self.today, p["signed_date"]
        if not p["_fixed_life"]:
            stalled = rng.random() < 0.08
            commenced = None if stalled else _add_days(signed, int(rng.triangular(25, 300, 60)))
            if commenced is not None:
                in_stats = _add_days(signed, int(rng.triangular(30, 240, 70)))
            else:
                in_stats = (
                    _add_days(signed, int(rng.triangular(30, 240, 90))) if rng.random() < 0.15 else None
                )
            production = None
            if commenced is not None and rng.random() < 0.9:
                production = _add_days(commenced, int(rng.triangular(180, 720, 270)))
            written_off = None
            if stalled and rng.random() < 0.5:
                written_off = _add_days(signed, int(rng.triangular(200, 900, 420)))
            elif commenced is not None and rng.random() < 0.015:
                written_off = _add_days(commenced, rng.randint(200, 600))
                if production is not None and production >= written_off:
                    production = None
            p.update(
                in_stats_date=in_stats,
                commenced_date=commenced,
                production_date=production,
                written_off_date=written_off,
            )
        for col in ("in_stats_date", "commenced_date", "production_date", "written_off_date"):
            if p[col] is not None and p[col] > today:
                p[col] = None
        if p["commenced_date"] is None:
            p["production_date"] = None

    def generate_projects(self) -> None:
        rng, scale, today = self.rng, self.scale, self.today
        for year in range(self.first_year, self.year + 1):
            start = date(year, 1, 1)
            end = min(date(year, 12, 31), today)
            weights = [PROJECT_WEIGHTS.get(u, DEPT_WEIGHT) * self.activity(u, year) for u in _UNIT_IDS]
            if year < self.year:
                n = max(1, round(rng.gauss(SIGNINGS_PER_YEAR, 5) * scale))
                n_big = rng.randint(1, 2) * scale
            else:
                n = round(SIGNINGS_PER_YEAR * 1.05 * scale * self.f)
                n_big = math.floor(1.6 * scale * self.f)  # none before ~08-18 at scale 1
            units = rng.choices(_UNIT_IDS, weights=weights, k=n)
            for i, unit in enumerate(units):
                big = i < n_big
                industry = None
                if big:
                    industry = rng.choice(["electronics", "bamboo", "biomedicine", "green_food", "equipment"])
                p = self.new_project(year, unit, self.rand_date(start, end), industry=industry, big=big)
                if big:
                    p["in_park"] = True
                    p["township_id"] = N.PARK_TOWNSHIP
                    p["leader_in_charge"] = rng.choice(list(N.LEADERS.values()))
        self.plant_projects()
        for p in self.projects:
            self.lifecycle(p)

    def plant_projects(self) -> None:
        """Projects the rewards rely on: an FX flagship and a "5020" project, both signed last year."""
        y1 = self.year - 1
        signed = date(y1, 9, 16)
        commenced = date(y1, 11, 20)
        self.fx_flagship = self.new_project(
            y1, FX_UNIT, signed, industry="electronics", source="foreign", total=68000.0,
            company="晶辰光电(新加坡)有限公司", short="晶辰光电",
            is_export_producer=True, in_park=True, township_id=N.PARK_TOWNSHIP,
            leader_in_charge=N.LEADERS["executive"], company_rank="world500",
            in_stats_date=date(y1, 12, 10), commenced_date=commenced,
            production_date=_add_days(commenced, 300), _fixed_life=True,
        )  # fmt: skip
        self.fx_flagship["name"] = "晶辰光电年产800万片柔性电路板项目"
        signed = date(y1, 3, 18)
        commenced = date(y1, 6, 8)
        self.flagship_5020 = self.new_project(
            y1, "d18", signed, industry="bamboo", source="out_of_province", total=320000.0,
            company="杭州竹林新材料集团有限公司", short="竹林新材",
            is_5020=True, in_park=True, township_id=N.PARK_TOWNSHIP, company_rank="private_top100",
            leader_in_charge=N.LEADERS["county_head"], in_stats_date=date(y1, 7, 15),
            commenced_date=commenced, production_date=_add_days(commenced, 420), _fixed_life=True,
        )  # fmt: skip
        self.flagship_5020["name"] = "竹林新材年产50万立方米竹基新材料产业园项目"

    def tune_landing(self) -> None:
        """Hold the prior cohort's commencement rate in 90–94% and the current one's ≤ 79%."""
        rng, today = self.rng, self.today
        for cohort, low, high in ((self.year - 1, 0.90, 0.94), (self.year, 0.0, 0.79)):
            base = [
                p
                for p in self.projects
                if p["signed_date"].year == cohort and p["written_off_date"] is None and not p["_fixed_life"]
            ]
            n_fixed = sum(
                1 for p in self.projects if p["_fixed_life"] and p["signed_date"].year == cohort
            )  # flagships: commenced, active
            total = len(base) + n_fixed
            if total == 0:
                continue
            done = [p for p in base if p["commenced_date"] is not None]
            todo = [p for p in base if p["commenced_date"] is None]
            rng.shuffle(todo)
            done.sort(key=lambda p: p["signed_date"], reverse=True)  # latest signings first
            while (len(done) + n_fixed) / total < low and todo:
                p = todo.pop()
                latest = (today - p["signed_date"]).days
                p["commenced_date"] = _add_days(p["signed_date"], min(latest, rng.randint(20, 200)))
                done.append(p)
            while (len(done) + n_fixed) / total > high and done:
                p = done.pop(0)
                p["commenced_date"] = None
                p["production_date"] = None

    def tune_concentration(self) -> None:
        """Hold the key-industry share of this year's signed investment between 50% and 65%.

        Projects of more than 15% of the year's investment are placed first (key while the key
        share stays under the goal); then single projects switch sides, nearest to the goal first."""
        s = [
            p
            for p in self.projects
            if p["signed_date"].year == self.year and p["written_off_date"] is None and not p["_fixed_life"]
        ]
        total = sum(p["total_investment_wan"] for p in s)
        if total <= 0:
            return
        goal, low, high = 0.575, 0.50, 0.65
        key_sum = sum(p["total_investment_wan"] for p in s if p["industry_id"] in _KEY)
        dominant = sorted((p for p in s if p["total_investment_wan"] > 0.15 * total),
                          key=lambda p: -p["total_investment_wan"])  # fmt: skip
        placed = 0.0
        for p in dominant:
            t = p["total_investment_wan"]
            want_key = placed + t <= goal * total
            placed += t if want_key else 0.0
            if (p["industry_id"] in _KEY) != want_key:
                key_sum += t if want_key else -t
                self.switch_industry(p, want_key)
        rest = [p for p in s if p["total_investment_wan"] <= 0.15 * total]
        for _ in range(len(rest)):
            share = key_sum / total
            if low <= share <= high:
                return

            def after(p: dict, key_sum: float = key_sum) -> float:
                t = p["total_investment_wan"]
                return (key_sum - t if p["industry_id"] in _KEY else key_sum + t) / total

            best = min(rest, key=lambda p: abs(after(p) - goal))
            if abs(after(best) - goal) >= abs(share - goal):
                return
            key_sum = after(best) * total
            self.switch_industry(best, best["industry_id"] not in _KEY)

    def switch_industry(self, p: dict, to_key: bool) -> None:
        industrial = p["industry_id"] in _INDUSTRIAL
        if to_key:
            new = (
                self.rng.choice(["electronics", "green_food", "bamboo"]) if industrial else "culture_tourism"
            )
        else:
            new = self.rng.choice(["equipment", "building_materials"]) if industrial else "logistics"
        self.company_keys.discard(company_key(p["company"]))
        p["industry_id"] = new
        p["company"], short = self.company(new, p["source"])
        p["name"] = self.project_name(short, new)

    def ensure_designed_activity(self) -> None:
        """Make this year's ranking decidable: a snail brings in and enters into statistics no project
        (its projects go to its class's weakest townships), every other township has at least one,
        leaders and strong units have one of each; and one 20亿 project enters the statistics."""
        rng, today, year_start = self.rng, self.today, date(self.year, 1, 1)

        def this_year(p: dict, col: str) -> bool:
            return p[col] is not None and year_start <= p[col] <= today and p["written_off_date"] is None

        current = {
            col: [p for p in self.projects if this_year(p, col)] for col in ("signed_date", "in_stats_date")
        }
        counts: dict[tuple[str, str], int] = {}
        for col, ps in current.items():
            for p in ps:
                counts[p["introducing_unit_id"], col] = counts.get((p["introducing_unit_id"], col), 0) + 1

        def count(unit: str, col: str) -> int:
            return counts.get((unit, col), 0)

        def hand_over(p: dict, unit: str) -> None:
            old = p["introducing_unit_id"]
            for col in current:
                if this_year(p, col):
                    counts[old, col] -= 1
                    counts[unit, col] = count(unit, col) + 1
            p["introducing_unit_id"] = unit
            if unit.startswith("t") and not p["in_park"]:
                p["township_id"] = unit

        def take(unit: str, col: str) -> None:
            donors = [
                p
                for p in current[col]
                if not p["_fixed_life"]
                and ROLES.get(p["introducing_unit_id"]) is None
                and count(p["introducing_unit_id"], col)
                >= (1 if p["introducing_unit_id"].startswith("d") else 2)
            ]
            if donors:
                hand_over(rng.choice(donors), unit)

        for snail in sorted(u for u, r in ROLES.items() if r == "snail"):
            others = [
                u
                for u in _TOWNSHIP_IDS
                if _CLASS[u] == _CLASS[snail] and ROLES.get(u) not in ("snail", "leader")
            ]
            for col in ("signed_date", "in_stats_date"):
                for p in [p for p in current[col] if p["introducing_unit_id"] == snail]:
                    hand_over(p, min(others, key=lambda u: (count(u, col), rng.random())))
        for unit in _TOWNSHIP_IDS:
            if ROLES.get(unit) != "snail" and count(unit, "signed_date") + count(unit, "in_stats_date") == 0:
                take(unit, "signed_date")
        for unit, role in sorted(ROLES.items()):
            if role in ("leader", "strong"):
                for col in ("signed_date", "in_stats_date"):
                    if count(unit, col) == 0:
                        take(unit, col)
        big = [
            p for p in self.projects if p["total_investment_wan"] >= 200000 and p["written_off_date"] is None
        ]
        if not any(this_year(p, "in_stats_date") for p in big):
            latest = _add_days(today, -30)
            waiting = [p for p in big if p["in_stats_date"] is None and p["signed_date"] <= latest]
            if waiting and latest >= year_start:
                p = max(waiting, key=lambda p: p["signed_date"])
                p["in_stats_date"] = self.rand_date(max(year_start, _add_days(p["signed_date"], 30)), today)

    def assign_project_ids(self) -> None:
        self.projects.sort(key=lambda p: p["signed_date"])
        seq: dict[int, int] = {}
        for p in self.projects:
            y = p["signed_date"].year
            seq[y] = seq.get(y, 0) + 1
            p["project_id"] = f"P{y}{seq[y]:05d}"
        dated = [p for p in self.projects if p["note"] is None]
        if dated:
            dated[0]["note"] = N.DASH_NOTE

    # ---------- fund arrivals ----------
    def generate_arrivals(self) -> None:
        rng, today = self.rng, self.today
        for p in self.projects:
            if p["commenced_date"] is None:
                continue
            signed, total = p["signed_date"], p["total_investment_wan"]
            start = max(signed, _add_days(p["commenced_date"], -rng.randint(0, 20)))
            end = min(today, p["written_off_date"] or today)
            step = rng.choice([1, 1, 2, 3])
            n_planned = max(1, rng.randint(6, 20) // step)
            per = total * rng.uniform(0.35, 0.95) / n_planned
            fixed_share = rng.uniform(0.55, 0.92)
            foreign_share = rng.uniform(0.4, 0.9)
            for k in range(n_planned):
                d = max(signed, _add_days(start, k * step * 30 + rng.randint(-5, 5)))
                if d > end:
                    break
                self.add_arrival(p, d, per * rng.uniform(0.5, 1.5), fixed_share, foreign_share)
        self.plant_arrivals()

    def add_arrival(self, p: dict, d: date, amount: float, fixed_share: float, foreign_share: float) -> dict:
        rng = self.rng
        amount = round(amount, 2)
        fixed = math.floor(amount * fixed_share * rng.uniform(0.9, 1.0) * 100) / 100
        fdi = fx = 0.0
        if p["source"] == "foreign":
            fdi = math.floor(amount * foreign_share / CNY_PER_USD * 100) / 100
            fx = math.floor(fdi * rng.uniform(0.15, 0.45) * 100) / 100
        a = {
            "project_id": p["project_id"],
            "date": d,
            "amount_wan": amount,
            "fixed_asset_wan": fixed,
            "fdi_usd_wan": fdi,
            "fx_usd_wan": fx,
            "_project": p,
        }
        self.arrivals.append(a)
        return a

    def plant_arrivals(self) -> None:
        today, year_start = self.today, date(self.year, 1, 1)
        # The FX flagship: one arrival this year with ≥ 600 万美元 FX, and the most FX of any unit.
        d = _add_days(year_start, round((today - year_start).days * 0.3))
        fx_by_unit: dict[str, float] = {}
        for a in self.arrivals:
            if year_start <= a["date"] <= today:
                unit = a["_project"]["introducing_unit_id"]
                fx_by_unit[unit] = fx_by_unit.get(unit, 0.0) + a["fx_usd_wan"]
        others = max((v for u, v in fx_by_unit.items() if u != FX_UNIT), default=0.0)
        fx = max(640.0, others - fx_by_unit.get(FX_UNIT, 0.0) + 60.0)
        fdi = round(fx / 0.85, 2)
        amount = round(fdi * CNY_PER_USD / 0.9, 2)
        self.arrivals.append(
            {
                "project_id": self.fx_flagship["project_id"],
                "date": d,
                "amount_wan": amount,
                "fixed_asset_wan": round(amount * 0.75, 2),
                "fdi_usd_wan": fdi,
                "fx_usd_wan": round(fx, 2),
                "_project": self.fx_flagship,
            }
        )
        # The "5020" flagship: at least 25% of its total arrived as fixed assets by today.
        p = self.flagship_5020
        own = [a for a in self.arrivals if a["_project"] is p]
        fixed = sum(a["fixed_asset_wan"] for a in own)
        need = 0.25 * p["total_investment_wan"]
        if fixed < need:
            if own:
                factor = need / fixed if fixed > 0 else 1.0
                for a in own:
                    a["amount_wan"] = round(a["amount_wan"] * factor + 1, 2)
                    a["fixed_asset_wan"] = min(round(a["fixed_asset_wan"] * factor + 1, 2), a["amount_wan"])
            if sum(a["fixed_asset_wan"] for a in own) < need:
                self.add_arrival(p, p["commenced_date"], need / 0.8, 1.0, 0.0)["fixed_asset_wan"] = need

    # ---------- leads ----------
    def lead(self, reported: datetime, unit: str, company: str, industry: str, intended: float, **kw) -> dict:
        tier = "major" if intended >= 100000 else ("important" if intended >= 10000 else "general")
        if tier == "general" and self.rng.random() < 0.08:
            tier = "important"
        d = {
            "lead_id": None,
            "reported_at": reported,
            "reporter_unit_id": unit,
            "company": company,
            "industry_id": industry,
            "intended_investment_wan": float(round(intended, -1)),
            "tier": tier,
            "status": kw.get("status") or self.status(reported),
            "project_id": kw.get("project_id"),
        }
        self.leads.append(d)
        return d

    def status(self, reported: datetime) -> str:
        age = (self.today - reported.date()).days
        r = self.rng.random()
        if age > 30:
            return "valid" if r < 0.68 else ("invalid" if r < 0.94 else "pending")
        return "pending" if r < 0.55 else ("valid" if r < 0.9 else "invalid")

    def moment(self, d: date) -> datetime:
        rng = self.rng
        return datetime(d.year, d.month, d.day, rng.choice([8, 9, 9, 10, 10, 11, 14, 15, 15, 16, 17]),
                        rng.randint(0, 59), rng.randint(0, 59))  # fmt: skip

    def generate_leads(self) -> None:
        rng, today = self.rng, self.today
        # Leads that turned into projects: reported by (mostly) the introducer before signing.
        for p in self.projects:
            if p["_fixed_life"] or rng.random() < 0.45:
                continue
            d = _add_days(p["signed_date"], -rng.randint(20, 200))
            unit = p["introducing_unit_id"] if rng.random() < 0.9 else rng.choice(_UNIT_IDS)
            total = p["total_investment_wan"]
            self.lead(self.moment(d), unit, p["company"], p["industry_id"], total * rng.uniform(0.6, 1.3),
                      status="valid", project_id=p["project_id"])  # fmt: skip
        # Leads of their own, uneven by unit.
        independent = []
        for year in range(self.first_year, self.year + 1):
            start, end = date(year, 1, 1), min(date(year, 12, 31), today)
            weights = [
                PROJECT_WEIGHTS.get(u, DEPT_WEIGHT)
                * (1.0 if u.startswith("d") else 1.3)
                * self.activity(u, year)
                for u in _UNIT_IDS
            ]
            share = 1.0 if year < self.year else self.f
            n = round(INDEPENDENT_LEADS_PER_YEAR * self.scale * share)
            for unit in rng.choices(_UNIT_IDS, weights=weights, k=n):
                industry = rng.choices(list(N.INDUSTRY_WEIGHTS), weights=list(N.INDUSTRY_WEIGHTS.values()))[0]
                r = rng.random()
                source = "foreign" if r < 0.06 else ("out_of_province" if r < 0.6 else "in_province")
                company, _ = self.company(industry, source)
                intended = math.exp(rng.gauss(math.log(8000), 1.1))
                independent.append(
                    self.lead(self.moment(self.rand_date(start, end)), unit, company, industry, intended)
                )
        self.plant_duplicates(independent)
        self.ensure_valid_leads()
        self.leads.sort(key=lambda x: x["reported_at"])
        width = max(6, len(str(len(self.leads))))
        for i, x in enumerate(self.leads, 1):
            x["lead_id"] = f"L{i:0{width}d}"

    def ensure_valid_leads(self) -> None:
        """Every unit but the snails has at least one valid first report this year, so that the
        snail can be ranked strictly last."""
        rng, today, year_start = self.rng, self.today, date(self.year, 1, 1)
        first: dict[str, dict] = {}
        for x in sorted(self.leads, key=lambda x: x["reported_at"]):
            key = company_key(x["company"])
            if x["status"] != "invalid" and key not in first:
                first[key] = x
        credited = {
            x["reporter_unit_id"]
            for x in first.values()
            if x["status"] == "valid" and year_start <= x["reported_at"].date() <= today
        }
        latest = max(year_start, _add_days(today, -31))
        for unit in _UNIT_IDS:
            if unit in credited or ROLES.get(unit) == "snail" or (unit, "valid_leads") == ZERO_TARGET:
                continue
            industry = rng.choice(list(N.INDUSTRY_WEIGHTS))
            company, _ = self.company(industry, "out_of_province")
            when = self.moment(self.rand_date(year_start, min(latest, today)))
            self.lead(when, unit, company, industry, rng.uniform(3000, 30000), status="valid")

    def plant_duplicates(self, independent: list[dict]) -> None:
        """Same company reported again by another unit under a variant name (same first-report key),
        first-invalid-then-valid pairs, and "有限公司" near-duplicates (a different key)."""
        rng, today = self.rng, self.today
        if not independent:
            return
        has_ascii = [x for x in independent if re.search(r"[A-Za-z()]", x["company"])]
        has_latin = [x for x in independent if re.search(r"[A-Za-z]", x["company"])]
        kinds = ["case", "fullwidth", "spaces", "spaces"]
        n_dup = max(4, round(0.08 * len(independent)))
        for i in range(n_dup):
            kind = kinds[i % len(kinds)]
            pool = {"case": has_latin, "fullwidth": has_ascii}.get(kind) or independent
            src = rng.choice(pool)
            when = src["reported_at"] + timedelta(days=rng.randint(1, 90), minutes=rng.randint(5, 600))
            if when.date() > today:
                when = src["reported_at"] + timedelta(minutes=rng.randint(5, 300))
                if when.date() > today:
                    continue
            name = _variant(src["company"], kind, rng)
            unit = rng.choice([u for u in _UNIT_IDS if u != src["reporter_unit_id"]])
            status = None
            if i % 3 == 0:  # the first report was turned down, the second one counts
                src["status"], status = "invalid", "valid"
            elif rng.random() < 0.55:
                status = "invalid"
            dup = self.lead(
                when, unit, name, src["industry_id"], src["intended_investment_wan"], status=status
            )
            if status is None and dup["status"] == "valid" and rng.random() < 0.5:
                dup["status"] = "pending"
        # Near-duplicates by 有限公司: a different key, so both may count; the app may only suggest.
        limited = [x for x in independent if x["company"].endswith("有限公司")]
        for _ in range(max(2, round(0.01 * len(independent)))):
            src = rng.choice(limited)
            name = src["company"][: -len("有限公司")]
            key = company_key(name)
            when = src["reported_at"] + timedelta(days=rng.randint(1, 40))
            if key in self.company_keys or when.date() > today:
                continue
            self.company_keys.add(key)
            unit = rng.choice([u for u in _UNIT_IDS if u != src["reporter_unit_id"]])
            self.lead(when, unit, name, src["industry_id"], src["intended_investment_wan"])

    # ---------- problems ----------
    def generate_problems(self) -> list[dict]:
        rng, today = self.rng, self.today
        major = sorted(
            (
                p
                for p in self.projects
                if (p["total_investment_wan"] >= 50000 or p["leader_in_charge"])
                and p["written_off_date"] is None
            ),
            key=lambda p: p["signed_date"],
        )
        if not major:
            return []
        signed = [p["signed_date"] for p in major]
        rows = []
        n = PROBLEMS_PER_SCALE * self.scale
        for i in range(n):
            recent = i < max(3, round(0.12 * n))
            back = rng.randint(0, 13) if recent else int(rng.triangular(14, 720, 60))
            raised = _add_days(today, -back)
            k = bisect.bisect_right(signed, raised)
            if k == 0:
                raised, k = today, len(major)
            p = major[rng.randint(k // 2, k - 1)]
            desc, unit = rng.choice(N.PROBLEMS)
            if unit == "township":
                unit = p["township_id"] or N.PARK_TOWNSHIP
            due = _add_days(raised, rng.choice([15, 30, 30, 45, 60, 90]))
            resolved = None
            if recent:
                if today > raised and rng.random() < 0.15:
                    resolved = _add_days(raised, rng.randint(1, (today - raised).days))
            elif rng.random() < 0.7:
                resolved = _add_days(raised, rng.randint(3, max(4, int((due - raised).days * 1.4))))
                if resolved > today:
                    resolved = None
            rows.append(
                {
                    "problem_id": None,
                    "project_id": p["project_id"],
                    "raised_on": raised,
                    "description": desc,
                    "responsible_unit_id": unit,
                    "due_date": due,
                    "resolved_on": resolved,
                }
            )
        rows.sort(key=lambda r: (r["raised_on"], r["project_id"]))
        for i, r in enumerate(rows, 1):
            r["problem_id"] = f"Q{i:05d}"
        return rows

    # ---------- station reports ----------
    def generate_station_reports(self) -> list[dict]:
        rng, today = self.rng, self.today
        rows = []
        last = (today.year, today.month) if today.day >= 20 else _prev_month(today.year, today.month)
        for squad, members in N.STATION_MEMBERS.items():
            y, m = self.first_year, 1
            while (y, m) <= last:
                month = f"{y:04d}-{m:02d}"
                cap = calendar.monthrange(y, m)[1]
                if (y, m) == (today.year, today.month):
                    cap = today.day
                for name, first, final in members:
                    if (first and month < first) or (final and month > final):
                        continue
                    low = rng.random() < (0.35 if m == 2 else 0.09)
                    days = rng.randint(6, 19) if low else rng.randint(20, 27)
                    rows.append(
                        {"squad_id": squad, "month": month, "member": name, "days_on_post": min(days, cap)}
                    )
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return rows


def _prev_month(y: int, m: int) -> tuple[int, int]:
    return (y - 1, 12) if m == 1 else (y, m - 1)


_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}


def _variant(name: str, kind: str, rng: random.Random) -> str:
    """A differently written name with the same first-report key."""
    if kind == "case" and re.search(r"[A-Za-z]", name):
        return name.lower() if name != name.lower() else name.upper()
    if kind == "fullwidth" and re.search(r"[!-~]", name):
        return "".join(_FULLWIDTH.get(c, c) for c in name)
    k = rng.randint(1, max(1, len(name) - 2))
    return name[:k] + rng.choice([" ", "  ", "\u3000"]) + name[k:]


# ---------------------------------------------------------------- metrics used to set the targets


def _window(year: int, as_of: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(year, 1, 1), min(as_of, pd.Timestamp(year, 12, 31))


def _county_actuals(projects: pd.DataFrame, arrivals: pd.DataFrame, year: int, as_of: pd.Timestamp) -> dict:
    start, end = _window(year, as_of)
    active = projects["written_off_date"].isna() | (projects["written_off_date"] > as_of)
    s = projects[active & projects["signed_date"].between(start, end)]
    ist = projects[active & projects["in_stats_date"].between(start, end)]
    arr = arrivals[arrivals["date"].between(start, end)]
    big = projects.set_index("project_id")
    oop = big.index[(big["source"] == "out_of_province") & (big["total_investment_wan"] >= 2000)]
    return {
        "signed_projects": len(s),
        "foreign_firms": int((s["source"] == "foreign").sum()),
        "export_producers": int(s["is_export_producer"].sum()),
        "projects_100m": int((s["total_investment_wan"] >= 10000).sum()),
        "top_companies": int(s["company_rank"].notna().sum()),
        "projects_5020": int(s["is_5020"].sum()),
        "in_stats_investment_wan": float(ist["total_investment_wan"].sum()),
        "in_stats_projects_100m": int((ist["total_investment_wan"] >= 10000).sum()),
        "in_stats_projects_2b": int((ist["total_investment_wan"] >= 200000).sum()),
        "fdi_usd_wan": float(arr["fdi_usd_wan"].sum()),
        "fx_usd_wan": float(arr["fx_usd_wan"].sum()),
        "out_of_province_funds_wan": float(arr.loc[arr["project_id"].isin(oop), "amount_wan"].sum()),
    }


def first_reports(leads: pd.DataFrame) -> pd.DataFrame:
    """The first-report leads of METRICS.md §4 (the first non-invalid lead of each company key)."""
    keyed = leads.assign(_key=leads["company"].map(company_key)).sort_values(
        ["_key", "reported_at", "lead_id"]
    )
    keyed = keyed[keyed["status"] != "invalid"]
    return keyed.drop_duplicates("_key").drop(columns="_key")


def _unit_actuals(
    projects: pd.DataFrame, first: pd.DataFrame, year: int, as_of: pd.Timestamp
) -> dict[str, dict[str, int]]:
    start, end = _window(year, as_of)
    active = projects["written_off_date"].isna() | (projects["written_off_date"] > as_of)
    signed = projects[active & projects["signed_date"].between(start, end)][
        "introducing_unit_id"
    ].value_counts()
    ist = projects[active & projects["in_stats_date"].between(start, end)][
        "introducing_unit_id"
    ].value_counts()
    day = first["reported_at"].dt.normalize()
    valid = first[(first["status"] == "valid") & day.between(start, end)]["reporter_unit_id"].value_counts()
    return {
        u: {
            "signed_projects": int(signed.get(u, 0)),
            "in_stats_projects": int(ist.get(u, 0)),
            "valid_leads": int(valid.get(u, 0)),
        }
        for u in _UNIT_IDS
    }


def _status(completion: float, f: float) -> str:
    if completion >= 1:
        return "met"
    if completion >= f:
        return "on_track"
    if completion >= f - RED_GAP:
        return "behind"
    return "far_behind"


def _nice(value: float) -> float:
    """Round a money target to two or three significant figures, the way a county writes them."""
    if value <= 0:
        return 0.0
    digits = 2 if value >= 1000 else 1
    mag = 10 ** (int(math.floor(math.log10(value))) - digits)
    return float(round(value / mag) * mag)


def _county_target(metric: str, actual: float, f: float, want: str, typical: float) -> float:
    """A target that gives ``actual`` the wanted status at schedule ``f`` (or a typical one)."""
    if actual <= 0:
        return typical
    behind = max(f - RED_GAP / 2, 0.6 * f)
    goal = {
        "met": 1.12,
        "on_track": f + (1 - f) * 0.4,
        "behind": behind,
        "far_behind": (f - RED_GAP) * 0.6 if f > RED_GAP + 0.05 else behind,
    }[want]
    if goal <= 0:
        return typical
    if goal < 0.3 and actual / goal > 2 * typical:  # early in the year: keep the target sensible
        return _nice(2 * typical) if metric in MONEY_METRICS else float(max(1, round(2 * typical)))
    if metric in MONEY_METRICS:
        return _nice(actual / goal)
    best = None
    for target in range(1, int(actual / goal * 2) + 3):
        if _status(actual / target, f) == want and (
            best is None or abs(actual / target - goal) < abs(actual / best - goal)
        ):
            best = target
    return float(best if best is not None else max(1, round(actual / goal)))


def _score(actuals: dict[str, int], targets: dict[str, float]) -> tuple[float | None, bool]:
    included = [m for m in UNIT_METRICS if targets.get(m, 0) > 0]
    if not included:
        return None, False
    c = {m: actuals[m] / targets[m] for m in included}
    weight = sum(UNIT_WEIGHTS[m] for m in included)
    score = 100 * sum(UNIT_WEIGHTS[m] * min(c[m], SCORE_CAP) for m in included) / weight
    return score, all(v >= 1 for v in c.values())


def _current_unit_targets(
    rng: random.Random, actuals: dict, f: float, typical: dict
) -> dict[str, dict[str, float]]:
    targets: dict[str, dict[str, float]] = {}
    for u in _UNIT_IDS:
        role = ROLES.get(u, "normal")
        targets[u] = {}
        for m in UNIT_METRICS:
            a = actuals[u][m]
            if role in ("leader", "strong"):
                goal = rng.uniform(1.2, 1.45) if role == "leader" else rng.uniform(1.0, 1.12)
                t = max(1, math.floor(a / goal)) if a > 0 else typical[u][m]
            else:
                span = {"normal": (0.8, 1.15), "weak": (0.4, 0.7), "snail": (0.2, 0.4)}[role]
                goal = min(f * rng.uniform(*span), 0.95)
                t = max(1, round(a / goal)) if a > 0 else typical[u][m]
                if a > 0 and a / t >= 1:
                    t = a + 1
            targets[u][m] = float(t)
    # The class ranking by design: the leader strictly first, the snail strictly last and incomplete.
    for cls in ("1", "2"):
        members = [u for u in _TOWNSHIP_IDS if _CLASS[u] == cls]
        leader = next(u for u in members if ROLES.get(u) == "leader")
        snail = next(u for u in members if ROLES.get(u) == "snail")
        for _ in range(200):
            scores = {u: _score(actuals[u], targets[u])[0] or 0.0 for u in members}
            rival = next((u for u in members if u != leader and scores[u] >= scores[leader]), None)
            if rival is None:
                break
            _tighten(actuals[rival], targets[rival])
        for _ in range(200):
            scores = {u: _score(actuals[u], targets[u])[0] or 0.0 for u in members}
            floor = min(scores[u] for u in members if u != snail)
            if scores[snail] < floor or scores[snail] == 0 or floor == 0:
                break  # with a rival at 0 the snail cannot go lower: ties go by unit_id
            _tighten(actuals[snail], targets[snail])
    for u, m in (ZERO_TARGET,):
        targets[u][m] = 0.0
    return targets


def _tighten(actuals: dict[str, int], targets: dict[str, float]) -> None:
    """Raise the target of the unit's best-completed indicator by one."""
    m = max(UNIT_METRICS, key=lambda m: actuals[m] / targets[m] if targets.get(m, 0) > 0 else -1)
    targets[m] += 1


def _targets(gen: _Gen, projects: pd.DataFrame, arrivals: pd.DataFrame, leads: pd.DataFrame) -> list[dict]:
    rng, year, today = gen.rng, gen.year, pd.Timestamp(gen.today)
    first = first_reports(leads)
    rows = []
    typical_county: dict[str, float] = {}
    typical_unit: dict[str, dict[str, float]] = {u: {} for u in _UNIT_IDS}
    for y in range(gen.first_year, year):
        end = pd.Timestamp(y, 12, 31)
        county = _county_actuals(projects, arrivals, y, end)
        for m, a in county.items():
            factor = rng.uniform(0.85, 1.2)
            t = _nice(a * factor) if m in MONEY_METRICS else float(max(1, round(a * factor)))
            if t <= 0:
                t = 1.0
            typical_county[m] = t
            rows.append({"year": y, "scope": "county", "metric": m, "value": t})
        units = _unit_actuals(projects, first, y, end)
        for u in _UNIT_IDS:
            for m in UNIT_METRICS:
                t = float(max(1, round(units[u][m] * rng.uniform(0.8, 1.3))))
                typical_unit[u][m] = t
                rows.append({"year": y, "scope": u, "metric": m, "value": t})
    county = _county_actuals(projects, arrivals, year, today)
    for m, want in COUNTY_DESIGN.items():
        t = _county_target(m, county[m], gen.f, want, typical_county.get(m, 1.0))
        rows.append({"year": year, "scope": "county", "metric": m, "value": t})
    actuals = _unit_actuals(projects, first, year, today)
    current = _current_unit_targets(rng, actuals, gen.f, typical_unit)
    for u in _UNIT_IDS:
        for m in UNIT_METRICS:
            rows.append({"year": year, "scope": u, "metric": m, "value": current[u][m]})
    for r in rows:
        if r["scope"] == ZERO_TARGET[0] and r["metric"] == ZERO_TARGET[1]:
            r["value"] = 0.0
    return [r for r in rows if (r["scope"], r["metric"]) != MISSING_TARGET]


# ---------------------------------------------------------------- frames and files


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    spec = next(t for t in TABLES if t.name == table)
    df = pd.DataFrame(rows, columns=spec.column_names)
    for col in spec.columns:
        if col.kind in (DATE, DATETIME):
            df[col.name] = pd.to_datetime(df[col.name]).astype("datetime64[s]")
        elif col.kind == BOOL:
            df[col.name] = df[col.name].fillna(False).astype(bool)
        elif col.kind in (MONEY, NUMBER):
            df[col.name] = df[col.name].astype(float)
        elif col.kind == INT:
            df[col.name] = df[col.name].astype("int64")
        else:
            df[col.name] = df[col.name].astype("str").where(df[col.name].notna(), None)
    return df


def generate_demo(seed: int = 2026, scale: int = 1, today: date | None = None) -> dict[str, pd.DataFrame]:
    """The demo county's nine contract tables, deterministic in (seed, scale, today)."""
    gen = _Gen(seed, scale, today or date.today())
    gen.generate_projects()
    gen.tune_landing()
    gen.tune_concentration()
    gen.ensure_designed_activity()
    gen.assign_project_ids()
    gen.generate_arrivals()
    gen.generate_leads()
    problems = gen.generate_problems()
    stations = gen.generate_station_reports()

    frames = {
        "industries": _frame(
            "industries",
            [
                {"industry_id": i, "name": n, "is_key": k, "is_industrial": ind}
                for i, n, k, ind in N.INDUSTRIES
            ],
        ),
        "squads": _frame(
            "squads",
            [
                {
                    "squad_id": s,
                    "name": n,
                    "kind": k,
                    "industry_id": i,
                    "leader": N.LEADERS[ld],
                    "station_city": c,
                }
                for s, n, k, i, ld, c in N.SQUADS
            ],
        ),
        "units": _frame(
            "units",
            [{"unit_id": u, "name": n, "kind": "township", "township_class": c} for u, n, c in N.TOWNSHIPS]
            + [{"unit_id": u, "name": n, "kind": "department", "squad_id": s} for u, n, s in N.DEPARTMENTS],
        ),
        "projects": _frame("projects", gen.projects),
        "fund_arrivals": _frame(
            "fund_arrivals", sorted(gen.arrivals, key=lambda a: (a["project_id"], a["date"]))
        ),
        "leads": _frame("leads", gen.leads),
        "problems": _frame("problems", problems),
        "station_reports": _frame("station_reports", stations),
    }
    frames["targets"] = _frame(
        "targets", _targets(gen, frames["projects"], frames["fund_arrivals"], frames["leads"])
    )
    return {t.name: frames[t.name] if t.name in frames else _frame(t.name, []) for t in TABLES}


def _format_number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def to_csv_frame(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """The frame as contract text: dates YYYY-MM-DD, datetimes YYYY-MM-DD HH:MM:SS, bools true/false."""
    spec = next(t for t in TABLES if t.name == table)
    out = pd.DataFrame(index=df.index)
    for col in spec.columns:
        s = df[col.name]
        if col.kind == DATE:
            out[col.name] = s.dt.strftime("%Y-%m-%d")
        elif col.kind == DATETIME:
            out[col.name] = s.dt.strftime("%Y-%m-%d %H:%M:%S")
        elif col.kind == BOOL:
            out[col.name] = s.map({True: "true", False: "false"})
        elif col.kind in (MONEY, NUMBER):
            out[col.name] = s.map(_format_number)
        else:
            out[col.name] = s
    return out


# Written beside the CSV files: importing a folder that carries it marks the database as the demo
# county's, the only kind of database on which DASHBOARD_DEMO_USERS=1 is honoured.
def write_demo(out_dir: Path, seed: int = 2026, scale: int = 1, today: date | None = None) -> Path:
    """Write the demo county as a CSV folder (one ``<table>.csv`` per table, and the demo marker
    file) and return the folder."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for table, df in generate_demo(seed, scale, today).items():
        to_csv_frame(table, df).to_csv(out_dir / f"{table}.csv", index=False, encoding="utf-8", na_rep="")
    (out_dir / DEMO_MARKER_FILE).write_text(
        f"澄岭县演示数据(虚构),由 python -m analytics demo 生成(seed={seed}, scale={scale})。\n",
        encoding="utf-8",
    )
    return out_dir
