"""The demo county's signed projects: who brought them, how big, and how far they got.

Signing → 入统 / 开工 / 投产, stalls and write-offs; small projects in standard factories (标准化厂房)
go from signing to production within months, so a young cohort already produces. Nothing is dated
after ``today``. Two projects are planted for the rewards: an FX flagship and a "5020" project.
"""

from __future__ import annotations

import math
from datetime import date

from analytics.data.keys import company_key
from analytics.demo import names as N
from analytics.demo.design import (
    DEPT_SQUAD,
    DEPT_WEIGHT,
    FX_UNIT,
    INDUSTRIAL,
    PROJECT_WEIGHTS,
    SIGNINGS_PER_YEAR,
    SQUAD_INDUSTRY,
    TOWNSHIP_IDS,
    UNIT_IDS,
)
from analytics.demo.state import DemoState, add_days

LIFE_COLUMNS = ("in_stats_date", "commenced_date", "production_date", "written_off_date")


def new_project(
    g: DemoState, year: int, unit: str, signed: date, industry: str | None = None, big: bool = False, **fixed
) -> dict:
    rng = g.rng
    if industry is None:
        squad_industry = SQUAD_INDUSTRY.get(DEPT_SQUAD.get(unit, ""), None)
        if squad_industry and rng.random() < 0.5:
            industry = squad_industry
        else:
            industry = rng.choices(list(N.INDUSTRY_WEIGHTS), weights=list(N.INDUSTRY_WEIGHTS.values()))[0]
    industrial = industry in INDUSTRIAL
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
        g.company_keys.add(company_key(company))
    else:
        company, short = g.company(industry, source)
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
        township = rng.choice(TOWNSHIP_IDS)
    leader = None
    if total >= 50000 or rng.random() < 0.03:
        leader = rng.choice(list(N.LEADERS.values()))
    is_5020 = big and rng.random() < 0.8
    # Intermediaries bring most "5020" projects and some of the others.
    intermediary = None
    if rng.random() < (0.75 if is_5020 else 0.12):
        intermediary = rng.choice(N.INTERMEDIARIES)
    p = {
        "project_id": None,
        "name": g.project_name(short, industry),
        "company": company,
        "industry_id": industry,
        "total_investment_wan": float(total),
        "source": source,
        "is_export_producer": export,
        "company_rank": rank,
        "is_5020": is_5020,
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
        "intermediary": intermediary,
        "is_major": False,
        "in_stats_verified_on": None,
        "commenced_verified_on": None,
        "production_verified_on": None,
        "planned_commence_on": None,
        "planned_production_on": None,
        "responsible_unit_id": None,
        "helper": None,
        "_year": year,
        "_fixed_life": False,
    }
    p.update(fixed)
    g.projects.append(p)
    return p


def lifecycle(g: DemoState, p: dict) -> None:
    """Signing → 入统 / 开工 / 投产, stalls and write-offs; anything after today is blank."""
    rng, signed = g.rng, p["signed_date"]
    if not p["_fixed_life"]:
        stalled = rng.random() < 0.08
        # Small projects in standard factories: commence within weeks, produce within months.
        fast = not stalled and p["total_investment_wan"] < 20000 and rng.random() < 0.3
        commenced = None
        if fast:
            commenced = add_days(signed, rng.randint(15, 60))
        elif not stalled:
            commenced = add_days(signed, int(rng.triangular(25, 300, 60)))
        if commenced is not None:
            in_stats = add_days(signed, int(rng.triangular(30, 240, 70)))
        else:
            in_stats = add_days(signed, int(rng.triangular(30, 240, 90))) if rng.random() < 0.15 else None
        production = None
        if fast:
            production = add_days(commenced, rng.randint(45, 150))
        elif commenced is not None and rng.random() < 0.9:
            production = add_days(commenced, int(rng.triangular(180, 720, 270)))
        written_off = None
        if stalled and rng.random() < 0.5:
            written_off = add_days(signed, int(rng.triangular(200, 900, 420)))
        elif commenced is not None and rng.random() < 0.015:
            written_off = add_days(commenced, rng.randint(200, 600))
            if production is not None and production >= written_off:
                production = None
        p.update(
            in_stats_date=in_stats,
            commenced_date=commenced,
            production_date=production,
            written_off_date=written_off,
        )
    for col in LIFE_COLUMNS:
        p[col] = g.not_after_today(p[col])
    if p["commenced_date"] is None:
        p["production_date"] = None


def generate_projects(g: DemoState) -> None:
    rng, scale, today = g.rng, g.scale, g.today
    for year in range(g.first_year, g.year + 1):
        start = date(year, 1, 1)
        end = min(date(year, 12, 31), today)
        weights = [PROJECT_WEIGHTS.get(u, DEPT_WEIGHT) * g.activity(u, year) for u in UNIT_IDS]
        if year < g.year:
            n = max(1, round(rng.gauss(SIGNINGS_PER_YEAR, 5) * scale))
            n_big = rng.randint(1, 2) * scale
        else:
            n = round(SIGNINGS_PER_YEAR * 1.05 * scale * g.f)
            n_big = math.floor(1.6 * scale * g.f)  # none before ~08-18 at scale 1
        units = rng.choices(UNIT_IDS, weights=weights, k=n)
        for i, unit in enumerate(units):
            big = i < n_big
            industry = None
            if big:
                industry = rng.choice(["electronics", "bamboo", "biomedicine", "green_food", "equipment"])
            p = new_project(g, year, unit, g.rand_date(start, end), industry=industry, big=big)
            if big:
                p["in_park"] = True
                p["township_id"] = N.PARK_TOWNSHIP
                p["leader_in_charge"] = rng.choice(list(N.LEADERS.values()))
    plant_projects(g)
    for p in g.projects:
        lifecycle(g, p)


def plant_projects(g: DemoState) -> None:
    """Projects the rewards rely on: an FX flagship and a "5020" project, both signed last year."""
    y1 = g.year - 1
    signed = date(y1, 9, 16)
    commenced = date(y1, 11, 20)
    g.fx_flagship = new_project(
        g, y1, FX_UNIT, signed, industry="electronics", source="foreign", total=68000.0,
        company="晶辰光电(新加坡)有限公司", short="晶辰光电",
        is_export_producer=True, in_park=True, township_id=N.PARK_TOWNSHIP,
        leader_in_charge=N.LEADERS["executive"], company_rank="world500",
        in_stats_date=date(y1, 12, 10), commenced_date=commenced,
        production_date=add_days(commenced, 300), _fixed_life=True, intermediary=None,
    )  # fmt: skip
    g.fx_flagship["name"] = "晶辰光电年产800万片柔性电路板项目"
    signed = date(y1, 3, 18)
    commenced = date(y1, 6, 8)
    g.flagship_5020 = new_project(
        g, y1, "d18", signed, industry="bamboo", source="out_of_province", total=320000.0,
        company="杭州竹林新材料集团有限公司", short="竹林新材",
        is_5020=True, in_park=True, township_id=N.PARK_TOWNSHIP, company_rank="private_top100",
        leader_in_charge=N.LEADERS["county_head"], in_stats_date=date(y1, 7, 15),
        commenced_date=commenced, production_date=add_days(commenced, 420), _fixed_life=True,
        intermediary=N.INTERMEDIARIES[2],
    )  # fmt: skip
    g.flagship_5020["name"] = "竹林新材年产50万立方米竹基新材料产业园项目"


def assign_project_ids(g: DemoState) -> None:
    g.projects.sort(key=lambda p: p["signed_date"])
    seq: dict[int, int] = {}
    for p in g.projects:
        y = p["signed_date"].year
        seq[y] = seq.get(y, 0) + 1
        p["project_id"] = f"P{y}{seq[y]:05d}"
    dated = [p for p in g.projects if p["note"] is None]
    if dated:
        dated[0]["note"] = N.DASH_NOTE
