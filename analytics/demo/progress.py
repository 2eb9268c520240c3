"""From signing to full production (METRICS.md §7–§8): major projects, the four ones (四个一),
verification dates, planned dates and the ``milestones`` table of the demo county.

Every major project has its county leader (挂包县领导); most have a responsible unit and a helper,
a few lack one (``packaging_gaps``). Most past milestones are verified within weeks, the latest not
yet. Each project records its chain (注册 → 供地 → 开工 → 竣工 → 投产 → 达产) and approvals; six
stalled projects are planted so that every light occurs as of ``today``, with and without a
planned date: green, yellow and red.
"""

from __future__ import annotations

from datetime import date

from analytics.core.settings import DEFAULT_SETTINGS
from analytics.demo import names as N
from analytics.demo.design import INDUSTRIAL
from analytics.demo.state import DemoState, add_days

MAJOR_MIN_WAN = DEFAULT_SETTINGS["major_project_min_wan"]
STALL_DAYS = DEFAULT_SETTINGS["stall_default_days"]
YELLOW_DAYS = DEFAULT_SETTINGS["stall_yellow_days"]


def is_major(p: dict) -> bool:
    return bool(p["is_major"] or p["total_investment_wan"] >= MAJOR_MIN_WAN or p["leader_in_charge"])


def four_ones(g: DemoState) -> None:
    """Major-project list, leaders, responsible units, helpers, verification and planned dates."""
    rng, leaders = g.rng, list(N.LEADERS.values())
    for p in g.projects:
        total = p["total_investment_wan"]
        if 30000 <= total < MAJOR_MIN_WAN and rng.random() < 0.25:
            p["is_major"] = True
        if (p["is_major"] or total >= MAJOR_MIN_WAN) and not p["leader_in_charge"]:
            p["leader_in_charge"] = rng.choice(leaders)
        if is_major(p):
            if rng.random() < 0.92:
                p["responsible_unit_id"] = p["township_id"] or p["introducing_unit_id"]
            if rng.random() < 0.88:
                p["helper"] = f"{rng.choice(N.HELPER_OFFICES)} {g.person()}"
        elif rng.random() < 0.2:
            p["responsible_unit_id"] = p["introducing_unit_id"]
        for done, verified, share in (
            ("in_stats_date", "in_stats_verified_on", 0.93),
            ("commenced_date", "commenced_verified_on", 0.9),
            ("production_date", "production_verified_on", 0.88),
        ):
            if p[done] is not None and rng.random() < share:
                p[verified] = g.not_after_today(add_days(p[done], rng.randint(4, 45)))
        if rng.random() < 0.75:
            p["planned_commence_on"] = add_days(p["signed_date"], int(rng.triangular(30, 270, 90)))
            if rng.random() < 0.85:
                p["planned_production_on"] = add_days(
                    p["planned_commence_on"], int(rng.triangular(120, 540, 300))
                )


def _between(g: DemoState, a: date, b: date) -> date:
    return g.rand_date(a, b) if b > a else a


def milestones(g: DemoState) -> list[dict]:
    """The chain's milestones and approvals of every active project (done dates up to today)."""
    rng, rows = g.rng, []
    for p in g.projects:
        if p["written_off_date"] is not None:
            continue
        signed, commenced, produced = p["signed_date"], p["commenced_date"], p["production_date"]
        kinds: dict[str, list[date | None]] = {}  # kind -> [planned_on, done_on]
        registered = add_days(signed, rng.randint(3, 45))
        if commenced is not None:
            registered = min(registered, commenced)
            land = _between(g, registered, commenced)
            kinds["registered"] = [None, registered]
            kinds["land"] = [None, land]
            kinds["planning_permit"] = [None, _between(g, land, commenced)]
            kinds["construction_permit"] = [None, max(land, add_days(commenced, -rng.randint(0, 20)))]
            if p["industry_id"] in INDUSTRIAL:
                kinds["env_assessment"] = [None, _between(g, registered, commenced)]
                if p["total_investment_wan"] >= 50000:
                    kinds["energy_assessment"] = [None, _between(g, registered, commenced)]
            if produced is not None:
                kinds["completed"] = [None, max(commenced, add_days(produced, -rng.randint(10, 60)))]
                full = add_days(produced, int(rng.triangular(120, 720, 300)))
                kinds["full_production"] = [add_days(produced, 365), g.not_after_today(full)]
            else:
                done = g.not_after_today(add_days(commenced, rng.randint(200, 500)))
                kinds["completed"] = [add_days(commenced, 365), done if rng.random() < 0.4 else None]
        else:
            kinds["registered"] = [
                add_days(signed, 30),
                g.not_after_today(registered) if rng.random() < 0.75 else None,
            ]
            if kinds["registered"][1] is not None and rng.random() < 0.5:
                kinds["land"] = [
                    add_days(signed, 120),
                    g.not_after_today(add_days(registered, rng.randint(20, 150))),
                ]
            if p["industry_id"] in INDUSTRIAL:
                kinds["env_assessment"] = [add_days(signed, rng.randint(60, 200)), None]
        for kind, (planned, done) in kinds.items():
            if planned is None and rng.random() < 0.5:
                planned = add_days(done, rng.randint(-40, 25)) if done is not None else None
            if planned is not None and planned < signed:
                planned = signed
            rows.append({"project_id": p, "kind": kind, "planned_on": planned, "done_on": done})
    _plant_lights(g, rows)
    for r in rows:
        r["project_id"] = r["project_id"]["project_id"]
    return rows


def _plant_lights(g: DemoState, rows: list[dict]) -> None:
    """Six stalled projects, so that every light occurs as of today with and without a plan."""
    today = g.today
    candidates = sorted(
        (
            p
            for p in g.projects
            if p["commenced_date"] is None and p["written_off_date"] is None and not p["_fixed_life"]
        ),
        key=lambda p: p["signed_date"],
    )
    no_plan = STALL_DAYS["commenced"]
    # (waits on, planned_on, the last done step's day or None, days of history needed)
    plans = [
        ("commenced", None, add_days(today, -(round(no_plan * 1.5) + 90)), round(no_plan * 1.5) + 100),  # red
        ("commenced", None, add_days(today, -(no_plan + 30)), no_plan + 40),  # yellow
        ("commenced", None, add_days(today, -(no_plan // 2)), no_plan // 2 + 10),  # green
        ("land", add_days(today, -(YELLOW_DAYS + 45)), None, YELLOW_DAYS + 60),  # red
        ("registered", add_days(today, -(YELLOW_DAYS // 2)), None, YELLOW_DAYS),  # yellow
        ("registered", add_days(today, 20), None, 1),  # green
    ]
    by_project: dict[int, list[dict]] = {}
    for r in rows:
        by_project.setdefault(id(r["project_id"]), []).append(r)
    used: set[int] = set()
    for waits_on, planned, last_done, history in plans:
        p = next(
            (p for p in candidates if id(p) not in used and (today - p["signed_date"]).days >= history), None
        )
        if p is None:
            continue
        used.add(id(p))
        own = by_project.setdefault(id(p), [])
        for r in own:
            if r["kind"] in ("registered", "land"):
                rows.remove(r)
        own.clear()
        p["planned_commence_on"] = add_days(p["signed_date"], 400) if waits_on != "commenced" else None
        p["planned_production_on"] = None
        registered_on = add_days(p["signed_date"], 5)
        if waits_on == "commenced":
            new = [("registered", None, registered_on), ("land", None, max(last_done, registered_on))]
        elif waits_on == "land":
            new = [("registered", None, registered_on), ("land", planned, None)]
        else:
            new = [("registered", planned, None)]
        for kind, plan, done in new:
            r = {"project_id": p, "kind": kind, "planned_on": plan, "done_on": done}
            rows.append(r)
            own.append(r)
