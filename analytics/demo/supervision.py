"""Supervision data of the demo county: the problem list (问题清单, with categories) on major
projects, and the stationed squads' monthly reports (驻点月报).

Problems: some open and overdue (超期), some raised in the last two weeks. Monthly reports run to
the previous month, and to the current month (days so far) once its 20th day has passed, so an
unfinished month is not shown as non-compliant.
"""

from __future__ import annotations

import bisect
import calendar

from analytics.demo import names as N
from analytics.demo.design import PROBLEMS_PER_SCALE
from analytics.demo.state import DemoState, add_days, previous_month


def generate_problems(g: DemoState) -> list[dict]:
    rng, today = g.rng, g.today
    major = sorted(
        (
            p
            for p in g.projects
            if (p["total_investment_wan"] >= 50000 or p["leader_in_charge"]) and p["written_off_date"] is None
        ),
        key=lambda p: p["signed_date"],
    )
    if not major:
        return []
    signed = [p["signed_date"] for p in major]
    rows = []
    n = PROBLEMS_PER_SCALE * g.scale
    for i in range(n):
        recent = i < max(3, round(0.12 * n))
        back = rng.randint(0, 13) if recent else int(rng.triangular(14, 720, 60))
        raised = add_days(today, -back)
        k = bisect.bisect_right(signed, raised)
        if k == 0:
            raised, k = today, len(major)
        p = major[rng.randint(k // 2, k - 1)]
        desc, unit, category = rng.choice(N.PROBLEMS)
        if unit == "township":
            unit = p["township_id"] or N.PARK_TOWNSHIP
        due = add_days(raised, rng.choice([15, 30, 30, 45, 60, 90]))
        resolved = None
        if recent:
            if today > raised and rng.random() < 0.15:
                resolved = add_days(raised, rng.randint(1, (today - raised).days))
        elif rng.random() < 0.7:
            resolved = add_days(raised, rng.randint(3, max(4, int((due - raised).days * 1.4))))
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
                "category": category,
            }
        )
    rows.sort(key=lambda r: (r["raised_on"], r["project_id"]))
    for i, r in enumerate(rows, 1):
        r["problem_id"] = f"Q{i:05d}"
    return rows


# ---------- station reports ----------


def generate_station_reports(g: DemoState) -> list[dict]:
    rng, today = g.rng, g.today
    rows = []
    last = (today.year, today.month) if today.day >= 20 else previous_month(today.year, today.month)
    for squad, members in N.STATION_MEMBERS.items():
        y, m = g.first_year, 1
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
