"""The mid-year check day of the demo county's current year (METRICS.md §4, 时间过半任务过半).

On the check day the two departments of ``STATEMENT_LOWEST`` have brought in nothing, the two of
``STATEMENT_TIE`` one valid lead each and no project (so, with equal targets, they are equal on the
whole order key), and every other department has something to show. The targets (``fitting``)
then put the tie exactly at the limit of the public statement. After the check day all of them go
on working as before.
"""

from __future__ import annotations

from datetime import date

from analytics.core.settings import DEFAULT_SETTINGS
from analytics.demo import names as N
from analytics.demo.design import DEPARTMENT_IDS, ROLES, STATEMENT_LOWEST, STATEMENT_TIE, ZERO_TARGET
from analytics.demo.leads import lead
from analytics.demo.state import DemoState, add_days

SHAPED = STATEMENT_LOWEST + STATEMENT_TIE


def check_day(year: int) -> date:
    """The default ``mid_year_check`` day of ``year``."""
    month, day = (int(x) for x in DEFAULT_SETTINGS["mid_year_check"].split("-"))
    return date(year, month, day)


def _receivers(g: DemoState) -> list[str]:
    """Departments that may take over what the shaped ones must not have on the check day."""
    return [u for u in DEPARTMENT_IDS if u not in SHAPED and u not in ROLES and u != ZERO_TARGET[0]]


def shape_projects(g: DemoState) -> None:
    """No project signed or entering the statistics by the check day for the shaped departments,
    and at least one for the department without a leads target."""
    check, start = check_day(g.year), date(g.year, 1, 1)
    if g.today < check:
        return
    receivers = _receivers(g)

    def by_check(p: dict, col: str) -> bool:
        return p[col] is not None and start <= p[col] <= check

    for p in g.projects:
        if p["introducing_unit_id"] in SHAPED and (
            by_check(p, "signed_date") or by_check(p, "in_stats_date")
        ):
            p["introducing_unit_id"] = g.rng.choice(receivers)
    zero = ZERO_TARGET[0]
    if not any(p["introducing_unit_id"] == zero and by_check(p, "signed_date") for p in g.projects):
        donors = [
            p for p in g.projects if by_check(p, "signed_date") and p["introducing_unit_id"] in receivers
        ]
        if donors:
            g.rng.choice(donors)["introducing_unit_id"] = zero


def shape_leads(g: DemoState) -> None:
    """The shaped departments' leads of the check window go to others; the tied pair gets one valid
    lead each, and every other department at least one valid first report by the check day."""
    rng, check, start = g.rng, check_day(g.year), date(g.year, 1, 1)
    if g.today < check:
        return
    receivers = _receivers(g)
    reporters: dict[str, set[str]] = {}
    for x in g.leads:
        reporters.setdefault(x["_key"], set()).add(x["reporter_unit_id"])
    for x in g.leads:
        if x["reporter_unit_id"] in SHAPED and start <= x["reported_at"].date() <= check:
            key = x["_key"]
            free = [u for u in receivers if u not in reporters[key]] or receivers
            x["reporter_unit_id"] = rng.choice(free)
            reporters[key].add(x["reporter_unit_id"])
    first: dict[str, dict] = {}
    for x in sorted(g.leads, key=lambda x: x["reported_at"]):
        key = x["_key"]
        if x["status"] != "invalid" and key not in first:
            first[key] = x
    credited = {
        x["reporter_unit_id"]
        for x in first.values()
        if x["status"] == "valid"
        and start <= x["reported_at"].date() <= check
        and x["validated_on"] is not None
        and x["validated_on"] <= check
    }
    latest = add_days(check, -20)
    for unit in DEPARTMENT_IDS:
        if (
            unit in STATEMENT_LOWEST
            or unit == ZERO_TARGET[0]
            or (unit in credited and unit not in STATEMENT_TIE)
        ):
            continue
        industry = rng.choice(list(N.INDUSTRY_WEIGHTS))
        company, _ = g.company(industry, "out_of_province")
        reported = g.moment(g.rand_date(add_days(start, 20), latest))
        validated = add_days(reported.date(), rng.randint(3, 15))
        lead(
            g,
            reported,
            unit,
            company,
            industry,
            rng.uniform(3000, 30000),
            status="valid",
            validated_on=validated,
        )
