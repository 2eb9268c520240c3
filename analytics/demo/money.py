"""The demo county's v2 money tables: foreign trade (进出口), project taxes (项目税收) and the
responsibility deposits (责任金).

- trade: one row per complete month since the first year, with the city's cumulative growth; the
  county grows faster than the city this year and slower last year;
- tax_receipts: monthly local taxes of producing projects in the park, last year and this year; the
  largest producing township project pays enough for its share to reach the 100万 cap;
- deposits: last year's and this year's, paid by each industry-chain squad's leaders and each
  township's leaders (1000–1500 元).
"""

from __future__ import annotations

from datetime import date

from analytics.demo import names as N
from analytics.demo.design import CHAIN_SQUADS, TOWNSHIP_IDS
from analytics.demo.state import DemoState, month_text, previous_month

# (the county's growth over the year before, the city's) by years before the current one.
GROWTH = {0: (0.25, 0.085), 1: (0.04, 0.08), 2: (0.09, 0.068), 3: (0.06, 0.075)}
SEASON = [0.92, 0.7, 0.98, 1.0, 1.02, 1.0, 1.03, 1.0, 1.02, 1.05, 1.08, 1.15]
TAX_CAP_SHARE_WAN = 100.0 / 0.7  # a township's 70% share reaches 100万 above this much tax a year


def _months(g: DemoState, first: date) -> list[tuple[int, int]]:
    """The complete months from ``first`` to the month before today's."""
    last = previous_month(g.today.year, g.today.month)
    out, (y, m) = [], (first.year, first.month)
    while (y, m) <= last:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def trade(g: DemoState) -> list[dict]:
    rng, rows = g.rng, []
    level = {g.first_year: 900.0 * g.scale}
    for y in range(g.first_year + 1, g.year + 1):
        level[y] = level[y - 1] * (1 + GROWTH.get(g.year - y, (0.07, 0.07))[0])
    for y, m in _months(g, date(g.first_year, 1, 1)):
        exports = level[y] * SEASON[m - 1] * rng.uniform(0.97, 1.03)
        imports = exports * rng.uniform(0.35, 0.45)
        city = None
        if y > g.first_year:
            city = round(GROWTH.get(g.year - y, (0.07, 0.07))[1] + rng.uniform(-0.006, 0.006), 4)
        rows.append(
            {
                "month": f"{y:04d}-{m:02d}",
                "exports_usd_wan": round(exports, 2),
                "imports_usd_wan": round(imports, 2),
                "city_growth": city,
            }
        )
    return rows


def tax_receipts(g: DemoState) -> list[dict]:
    rng, rows = g.rng, []
    first = date(g.year - 1, 1, 1)
    producing = [
        p
        for p in g.projects
        if p["in_park"] and p["production_date"] is not None and p["written_off_date"] is None
    ]
    capped = max(
        (
            p
            for p in producing
            if p["introducing_unit_id"] in TOWNSHIP_IDS and p["production_date"] < date(g.year, 1, 1)
        ),
        key=lambda p: (p["total_investment_wan"], p["signed_date"]),
        default=None,
    )
    this_year = len(_months(g, date(g.year, 1, 1)))
    for p in producing:
        months = _months(g, max(first, p["production_date"].replace(day=1)))[1:]
        rate = rng.uniform(0.0004, 0.0012) * p["total_investment_wan"]
        if p is capped and this_year:
            rate = max(rate, 1.25 * TAX_CAP_SHARE_WAN / this_year)
        for y, m in months:
            rows.append(
                {
                    "project_id": p["project_id"],
                    "month": month_text(date(y, m, 1)),
                    "local_tax_wan": round(rate * rng.uniform(0.8, 1.2), 2),
                }
            )
    return rows


def deposits(g: DemoState) -> list[dict]:
    rows = []
    for year in (g.year - 1, g.year):
        n = 0
        scopes = [(s, "squad") for s in CHAIN_SQUADS] + [(t, "township") for t in TOWNSHIP_IDS]
        for scope, kind in scopes:
            for role, amount in N.DEPOSIT_ROLES[kind]:
                n += 1
                rows.append(
                    {
                        "deposit_id": f"ZRJ{year}{n:04d}",
                        "year": year,
                        "person": g.person(),
                        "role": role,
                        "scope": scope,
                        "amount_yuan": amount,
                    }
                )
    return rows
