"""Shaping the current year's projects so that the dashboard has something true to show.

- "9865": the prior-year cohort's commencement rate is held at 90–94%, the current cohort's ≤ 79%
  (its producing projects are kept: a young cohort that has begun producing);
- key-industry concentration by investment is held between 50% and 65%;
- the ranking is decidable: a snail brings in nothing, leaders and strong units have one of each
  indicator, and one 20亿 project enters the statistics.
"""

from __future__ import annotations

from datetime import date

from analytics.data.keys import company_key
from analytics.demo.design import INDUSTRIAL, KEY_INDUSTRIES, ROLES, TOWNSHIP_CLASS, TOWNSHIP_IDS
from analytics.demo.state import DemoState, add_days


def tune_landing(g: DemoState) -> None:
    """Hold the prior cohort's commencement rate in 90–94% and the current one's ≤ 79%."""
    rng, today = g.rng, g.today
    for cohort, low, high in ((g.year - 1, 0.90, 0.94), (g.year, 0.0, 0.79)):
        base = [
            p
            for p in g.projects
            if p["signed_date"].year == cohort and p["written_off_date"] is None and not p["_fixed_life"]
        ]
        n_fixed = sum(
            1 for p in g.projects if p["_fixed_life"] and p["signed_date"].year == cohort
        )  # flagships: commenced, active
        total = len(base) + n_fixed
        if total == 0:
            continue
        done = [p for p in base if p["commenced_date"] is not None]
        todo = [p for p in base if p["commenced_date"] is None]
        rng.shuffle(todo)
        # Undone first: projects not producing, latest signings first.
        done.sort(key=lambda p: (p["production_date"] is not None, -p["signed_date"].toordinal()))
        while (len(done) + n_fixed) / total < low and todo:
            p = todo.pop()
            latest = (today - p["signed_date"]).days
            p["commenced_date"] = add_days(p["signed_date"], min(latest, rng.randint(20, 200)))
            done.append(p)
        while (len(done) + n_fixed) / total > high and done:
            p = done.pop(0)
            p["commenced_date"] = None
            p["production_date"] = None


def tune_concentration(g: DemoState) -> None:
    """Hold the key-industry share of this year's signed investment between 50% and 65%.

    Projects of more than 15% of the year's investment are placed first (key while the key
    share stays under the goal); then single projects switch sides, nearest to the goal first."""
    s = [
        p
        for p in g.projects
        if p["signed_date"].year == g.year and p["written_off_date"] is None and not p["_fixed_life"]
    ]
    total = sum(p["total_investment_wan"] for p in s)
    if total <= 0:
        return
    goal, low, high = 0.575, 0.50, 0.65
    key_sum = sum(p["total_investment_wan"] for p in s if p["industry_id"] in KEY_INDUSTRIES)
    dominant = sorted((p for p in s if p["total_investment_wan"] > 0.15 * total),
                      key=lambda p: -p["total_investment_wan"])  # fmt: skip
    placed = 0.0
    for p in dominant:
        t = p["total_investment_wan"]
        want_key = placed + t <= goal * total
        placed += t if want_key else 0.0
        if (p["industry_id"] in KEY_INDUSTRIES) != want_key:
            key_sum += t if want_key else -t
            switch_industry(g, p, want_key)
    rest = [p for p in s if p["total_investment_wan"] <= 0.15 * total]
    for _ in range(len(rest)):
        share = key_sum / total
        if low <= share <= high:
            return

        def after(p: dict, key_sum: float = key_sum) -> float:
            t = p["total_investment_wan"]
            return (key_sum - t if p["industry_id"] in KEY_INDUSTRIES else key_sum + t) / total

        best = min(rest, key=lambda p: abs(after(p) - goal))
        if abs(after(best) - goal) >= abs(share - goal):
            return
        key_sum = after(best) * total
        switch_industry(g, best, best["industry_id"] not in KEY_INDUSTRIES)


def switch_industry(g: DemoState, p: dict, to_key: bool) -> None:
    industrial = p["industry_id"] in INDUSTRIAL
    if to_key:
        new = g.rng.choice(["electronics", "green_food", "bamboo"]) if industrial else "culture_tourism"
    else:
        new = g.rng.choice(["equipment", "building_materials"]) if industrial else "logistics"
    g.company_keys.discard(company_key(p["company"]))
    p["industry_id"] = new
    p["company"], short = g.company(new, p["source"])
    p["name"] = g.project_name(short, new)


def ensure_designed_activity(g: DemoState) -> None:
    """Make this year's ranking decidable: a snail brings in and enters into statistics no project
    (its projects go to its class's weakest townships), every other township has at least one,
    leaders and strong units have one of each; and one 20亿 project enters the statistics."""
    rng, today, year_start = g.rng, g.today, date(g.year, 1, 1)

    def this_year(p: dict, col: str) -> bool:
        return p[col] is not None and year_start <= p[col] <= today and p["written_off_date"] is None

    current = {col: [p for p in g.projects if this_year(p, col)] for col in ("signed_date", "in_stats_date")}
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
            and count(p["introducing_unit_id"], col) >= (1 if p["introducing_unit_id"].startswith("d") else 2)
        ]
        if donors:
            hand_over(rng.choice(donors), unit)

    for snail in sorted(u for u, r in ROLES.items() if r == "snail"):
        others = [
            u
            for u in TOWNSHIP_IDS
            if TOWNSHIP_CLASS[u] == TOWNSHIP_CLASS[snail] and ROLES.get(u) not in ("snail", "leader")
        ]
        for col in ("signed_date", "in_stats_date"):
            for p in [p for p in current[col] if p["introducing_unit_id"] == snail]:
                hand_over(p, min(others, key=lambda u: (count(u, col), rng.random())))
    for unit in TOWNSHIP_IDS:
        if ROLES.get(unit) != "snail" and count(unit, "signed_date") + count(unit, "in_stats_date") == 0:
            take(unit, "signed_date")
    for unit, role in sorted(ROLES.items()):
        if role in ("leader", "strong"):
            for col in ("signed_date", "in_stats_date"):
                if count(unit, col) == 0:
                    take(unit, col)
    big = [p for p in g.projects if p["total_investment_wan"] >= 200000 and p["written_off_date"] is None]
    if not any(this_year(p, "in_stats_date") for p in big):
        latest = add_days(today, -30)
        waiting = [p for p in big if p["in_stats_date"] is None and p["signed_date"] <= latest]
        if waiting and latest >= year_start:
            p = max(waiting, key=lambda p: p["signed_date"])
            p["in_stats_date"] = g.rand_date(max(year_start, add_days(p["signed_date"], 30)), today)
