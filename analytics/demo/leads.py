"""The demo county's leads (招商信息): first reports, planted duplicates, decisions and stages.

Leads that turned into projects were reported before the signing; the others are uneven by unit.
Planted: the same company reported again by another unit under a variant name (case, full width,
spaces: the same first-report key), first-invalid-then-valid pairs, and "有限公司" near-duplicates
(a different key: only a suggestion). Decisions (认定) come within weeks of the report, so only
leads of the last months are still pending. Each lead has a negotiation stage (METRICS.md §8): the
converted ones are signed, most turned-down ones dropped, and some valid ones stuck in talks long.
"""

from __future__ import annotations

import math
import random
import re
from datetime import date, datetime, timedelta

from analytics.data.keys import company_key
from analytics.demo import names as N
from analytics.demo.design import (
    DEPT_WEIGHT,
    INDEPENDENT_LEADS_PER_YEAR,
    PROJECT_WEIGHTS,
    ROLES,
    UNIT_IDS,
    ZERO_TARGET,
)
from analytics.demo.state import DemoState, add_days

PENDING_MAX_DAYS = 120  # a lead older than this has been decided


def lead(
    g: DemoState, reported: datetime, unit: str, company: str, industry: str, intended: float, **kw
) -> dict:
    project = kw.get("project")
    tier = "major" if intended >= 100000 else ("important" if intended >= 10000 else "general")
    if tier == "general" and g.rng.random() < 0.08:
        tier = "important"
    d = {
        "lead_id": None,
        "reported_at": reported,
        "reporter_unit_id": unit,
        "company": company,
        "industry_id": industry,
        "intended_investment_wan": float(round(intended, -1)),
        "tier": tier,
        "status": kw.get("status") or status(g, reported),
        "project_id": project["project_id"] if project else None,
        "validated_on": None,
        "stage": None,
        "stage_changed_on": None,
        "_project": project,
        "_key": company_key(company),
    }
    decide(g, d, kw.get("validated_on"))
    g.leads.append(d)
    return d


def status(g: DemoState, reported: datetime) -> str:
    age = (g.today - reported.date()).days
    r = g.rng.random()
    if age > PENDING_MAX_DAYS:
        return "valid" if r < 0.7 else "invalid"
    if age > 30:
        return "valid" if r < 0.55 else ("invalid" if r < 0.78 else "pending")
    return "pending" if r < 0.55 else ("valid" if r < 0.9 else "invalid")


def decide(g: DemoState, x: dict, validated_on: date | None = None) -> None:
    """The decision day and the negotiation stage of a lead, from its status and project."""
    rng, today, reported = g.rng, g.today, x["reported_at"].date()
    project = x.get("_project")
    if x["status"] == "pending":
        x["validated_on"] = None
    else:
        day = validated_on or add_days(reported, int(rng.triangular(1, 50, 8)))
        if project is not None:
            day = max(min(day, project["signed_date"]), reported)
        x["validated_on"] = min(day, today)
    if project is not None:
        x["stage"], x["stage_changed_on"] = "signed", project["signed_date"]
        return
    age = (today - reported).days
    if x["status"] == "invalid":
        stage = "dropped" if rng.random() < 0.85 else "contact"
    elif x["status"] == "pending":
        stage = "contact" if rng.random() < 0.8 else "visit"
    elif age > 365:
        stage = rng.choices(["dropped", "negotiating", "visit"], [60, 25, 15])[0]
    elif age > 90:
        stage = rng.choices(["negotiating", "visit", "dropped", "contact"], [40, 30, 20, 10])[0]
    else:
        stage = rng.choices(["contact", "visit", "negotiating"], [40, 35, 25])[0]
    after = {"contact": (0, 0), "visit": (5, 60), "negotiating": (30, 150), "dropped": (20, 400)}[stage]
    changed = add_days(reported, rng.randint(*after))
    if stage == "dropped" and x["validated_on"] is not None:
        changed = max(changed, x["validated_on"])
    x["stage"], x["stage_changed_on"] = stage, min(changed, today)


def generate_leads(g: DemoState) -> None:
    rng, today = g.rng, g.today
    # Leads that turned into projects: reported by (mostly) the introducer before signing.
    for p in g.projects:
        if p["_fixed_life"] or rng.random() < 0.45:
            continue
        d = add_days(p["signed_date"], -rng.randint(20, 200))
        unit = p["introducing_unit_id"] if rng.random() < 0.9 else rng.choice(UNIT_IDS)
        total = p["total_investment_wan"]
        lead(g, g.moment(d), unit, p["company"], p["industry_id"], total * rng.uniform(0.6, 1.3),
                  status="valid", project=p)  # fmt: skip
    # Leads of their own, uneven by unit.
    independent = []
    for year in range(g.first_year, g.year + 1):
        start, end = date(year, 1, 1), min(date(year, 12, 31), today)
        weights = [
            PROJECT_WEIGHTS.get(u, DEPT_WEIGHT) * (1.0 if u.startswith("d") else 1.3) * g.activity(u, year)
            for u in UNIT_IDS
        ]
        share = 1.0 if year < g.year else g.f
        n = round(INDEPENDENT_LEADS_PER_YEAR * g.scale * share)
        for unit in rng.choices(UNIT_IDS, weights=weights, k=n):
            industry = rng.choices(list(N.INDUSTRY_WEIGHTS), weights=list(N.INDUSTRY_WEIGHTS.values()))[0]
            r = rng.random()
            source = "foreign" if r < 0.06 else ("out_of_province" if r < 0.6 else "in_province")
            company, _ = g.company(industry, source)
            intended = math.exp(rng.gauss(math.log(8000), 1.1))
            independent.append(lead(g, g.moment(g.rand_date(start, end)), unit, company, industry, intended))
    plant_duplicates(g, independent)
    ensure_valid_leads(g)


def ensure_valid_leads(g: DemoState) -> None:
    """Every unit but the snails has at least one valid first report this year, so that the
    snail can be ranked strictly last."""
    rng, today, year_start = g.rng, g.today, date(g.year, 1, 1)
    first: dict[str, dict] = {}
    for x in sorted(g.leads, key=lambda x: x["reported_at"]):
        key = x["_key"]
        if x["status"] != "invalid" and key not in first:
            first[key] = x
    credited = {
        x["reporter_unit_id"]
        for x in first.values()
        if x["status"] == "valid" and year_start <= x["reported_at"].date() <= today
    }
    latest = max(year_start, add_days(today, -31))
    for unit in UNIT_IDS:
        if unit in credited or ROLES.get(unit) == "snail" or (unit, "valid_leads") == ZERO_TARGET:
            continue
        industry = rng.choice(list(N.INDUSTRY_WEIGHTS))
        company, _ = g.company(industry, "out_of_province")
        when = g.moment(g.rand_date(year_start, min(latest, today)))
        lead(g, when, unit, company, industry, rng.uniform(3000, 30000), status="valid")


def plant_duplicates(g: DemoState, independent: list[dict]) -> None:
    """Same company reported again by another unit under a variant name (same first-report key),
    first-invalid-then-valid pairs, and "有限公司" near-duplicates (a different key)."""
    rng, today = g.rng, g.today
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
        unit = rng.choice([u for u in UNIT_IDS if u != src["reporter_unit_id"]])
        status = None
        if i % 3 == 0:  # the first report was turned down, the second one counts
            src["status"], status = "invalid", "valid"
            decide(g, src)
        elif rng.random() < 0.55:
            status = "invalid"
        dup = lead(g, when, unit, name, src["industry_id"], src["intended_investment_wan"], status=status)
        recent = (today - when.date()).days <= PENDING_MAX_DAYS
        if status is None and dup["status"] == "valid" and recent and rng.random() < 0.5:
            dup["status"] = "pending"
            decide(g, dup)
    # Near-duplicates by 有限公司: a different key, so both may count; the app may only suggest.
    limited = [x for x in independent if x["company"].endswith("有限公司")]
    for _ in range(max(2, round(0.01 * len(independent)))):
        src = rng.choice(limited)
        name = src["company"][: -len("有限公司")]
        key = company_key(name)
        when = src["reported_at"] + timedelta(days=rng.randint(1, 40))
        if key in g.company_keys or when.date() > today:
            continue
        g.company_keys.add(key)
        unit = rng.choice([u for u in UNIT_IDS if u != src["reporter_unit_id"]])
        lead(g, when, unit, name, src["industry_id"], src["intended_investment_wan"])


def assign_lead_ids(g: DemoState) -> None:
    g.leads.sort(key=lambda x: x["reported_at"])
    width = max(6, len(str(len(g.leads))))
    for i, x in enumerate(g.leads, 1):
        x["lead_id"] = f"L{i:0{width}d}"


_FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in map(chr, range(0x21, 0x7F))}


def _variant(name: str, kind: str, rng: random.Random) -> str:
    """A differently written name with the same first-report key."""
    if kind == "case" and re.search(r"[A-Za-z]", name):
        return name.lower() if name != name.lower() else name.upper()
    if kind == "fullwidth" and re.search(r"[!-~]", name):
        return "".join(_FULLWIDTH.get(c, c) for c in name)
    k = rng.randint(1, max(1, len(name) - 2))
    return name[:k] + rng.choice([" ", "  ", "\u3000"]) + name[k:]
