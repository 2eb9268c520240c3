"""Fund arrivals (资金到位) of the demo county's commenced projects, most of them verified.

Arrivals run from about the commencement in steps of one to three months. Planted: the FX
flagship's single arrival of ≥ 600 万美元 this year (and the most FX of any unit), and the "5020"
flagship's fixed assets reaching 25% of its total.
"""

from __future__ import annotations

import math
from datetime import date

from analytics.demo.design import CNY_PER_USD, FX_UNIT
from analytics.demo.state import DemoState, add_days


def generate_arrivals(g: DemoState) -> None:
    rng, today = g.rng, g.today
    for p in g.projects:
        if p["commenced_date"] is None:
            continue
        signed, total = p["signed_date"], p["total_investment_wan"]
        start = max(signed, add_days(p["commenced_date"], -rng.randint(0, 20)))
        end = min(today, p["written_off_date"] or today)
        step = rng.choice([1, 1, 2, 3])
        n_planned = max(1, rng.randint(6, 20) // step)
        per = total * rng.uniform(0.35, 0.95) / n_planned
        fixed_share = rng.uniform(0.55, 0.92)
        foreign_share = rng.uniform(0.4, 0.9)
        for k in range(n_planned):
            d = max(signed, add_days(start, k * step * 30 + rng.randint(-5, 5)))
            if d > end:
                break
            add_arrival(g, p, d, per * rng.uniform(0.5, 1.5), fixed_share, foreign_share)
    plant_arrivals(
        g,
    )


def add_arrival(
    g: DemoState, p: dict, d: date, amount: float, fixed_share: float, foreign_share: float
) -> dict:
    rng = g.rng
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
        "verified_on": _verified(g, d),
        "_project": p,
    }
    g.arrivals.append(a)
    return a


def plant_arrivals(g: DemoState) -> None:
    today, year_start = g.today, date(g.year, 1, 1)
    # The FX flagship: one arrival this year with ≥ 600 万美元 FX, and the most FX of any unit.
    d = add_days(year_start, round((today - year_start).days * 0.3))
    fx_by_unit: dict[str, float] = {}
    for a in g.arrivals:
        if year_start <= a["date"] <= today:
            unit = a["_project"]["introducing_unit_id"]
            fx_by_unit[unit] = fx_by_unit.get(unit, 0.0) + a["fx_usd_wan"]
    others = max((v for u, v in fx_by_unit.items() if u != FX_UNIT), default=0.0)
    fx = max(640.0, others - fx_by_unit.get(FX_UNIT, 0.0) + 60.0)
    fdi = round(fx / 0.85, 2)
    amount = round(fdi * CNY_PER_USD / 0.9, 2)
    g.arrivals.append(
        {
            "project_id": g.fx_flagship["project_id"],
            "date": d,
            "amount_wan": amount,
            "fixed_asset_wan": round(amount * 0.75, 2),
            "fdi_usd_wan": fdi,
            "fx_usd_wan": round(fx, 2),
            "_project": g.fx_flagship,
        }
    )
    # The "5020" flagship: at least 25% of its total arrived as fixed assets by today.
    p = g.flagship_5020
    own = [a for a in g.arrivals if a["_project"] is p]
    fixed = sum(a["fixed_asset_wan"] for a in own)
    need = 0.25 * p["total_investment_wan"]
    if fixed < need:
        if own:
            factor = need / fixed if fixed > 0 else 1.0
            for a in own:
                a["amount_wan"] = round(a["amount_wan"] * factor + 1, 2)
                a["fixed_asset_wan"] = min(round(a["fixed_asset_wan"] * factor + 1, 2), a["amount_wan"])
        if sum(a["fixed_asset_wan"] for a in own) < need:
            add_arrival(g, p, p["commenced_date"], need / 0.8, 1.0, 0.0)["fixed_asset_wan"] = need


def _verified(g: DemoState, d: date) -> date | None:
    """Most arrivals are verified (bank slip) within weeks; the latest ones not yet."""
    if g.rng.random() < 0.04:
        return None
    return g.not_after_today(add_days(d, g.rng.randint(3, 35)))
