"""METRICS.md §6, deposits (责任金, v2): refunded or forfeited by the result of the scope they back.

For the ``deposits`` rows of Y, a scope (an industry-chain squad or a township) is ``refundable``
when it met each of its ``signed_projects`` and ``in_stats_projects`` targets that is > 0
(actual ≥ target), ``null`` when it has neither target, else ``false`` (forfeited into the reward
fund). A squad's actuals are its members' sums (§5), a township's its own (§4). Amounts in yuan,
summed exactly; several rows of one scope are merged. Provisional until Y-12-31.

Decision where METRICS.md is silent: a scope that is neither an industry-chain squad nor a unit
(e.g. a stationed squad) has no targets and actuals 0, so it is ``null`` unless targets name it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.metrics import views

DEPOSIT_METRICS = ("signed_projects", "in_stats_projects")

DEPOSITS_SQL = f"""
WITH held AS (
    SELECT scope, {views.money_sum("amount_yuan")} AS held_yuan FROM deposits WHERE year = $year GROUP BY scope
)
SELECT h.scope, h.held_yuan,
       max(t.value) FILTER (WHERE t.metric = 'signed_projects') AS signed_projects,
       max(t.value) FILTER (WHERE t.metric = 'in_stats_projects') AS in_stats_projects
FROM held AS h LEFT JOIN targets AS t ON t.scope = h.scope AND t.year = $year
GROUP BY h.scope, h.held_yuan
ORDER BY h.scope
"""


def refundable(actuals: dict[str, int], targets: dict[str, float | None]) -> bool | None:
    """§6 deposits: each target > 0 met → true; no target > 0 → null; else false."""
    set_targets = {m: v for m, v in targets.items() if v is not None and v > 0}
    if not set_targets:
        return None
    return all(Fraction(actuals.get(m, 0)) >= views.exact(v) for m, v in set_targets.items())


def scope_actuals(units: list[dict], squads: list[dict]) -> dict[str, dict[str, int]]:
    """Each scope's ``signed_projects`` / ``in_stats_projects`` actuals: squads' (§5) and units' (§4)."""
    out = {u["unit_id"]: {m: u["actuals"][m] for m in DEPOSIT_METRICS} for u in units}
    out |= {s["squad_id"]: dict(s["actuals"]) for s in squads}
    return out


def held_deposits(con: duckdb.DuckDBPyConnection, period: Period) -> list[dict]:
    """The deposit rows of Y merged by scope, with the scope's two targets (the only read of the data;
    ``deposits`` decides on them once the §4 and §5 records are known)."""
    return views.fetch_dicts(con, DEPOSITS_SQL, {"year": period.year})


def deposits(held: list[dict], units: list[dict], squads: list[dict]) -> dict[str, Any]:
    """The report's ``deposits`` object (yuan), scopes by id: the rows of ``held_deposits`` judged on
    the §4 and §5 records."""
    actuals = scope_actuals(units, squads)
    scopes, total, refunded, forfeited = [], Decimal(0), Decimal(0), Decimal(0)
    for row in held:
        verdict = refundable(actuals.get(row["scope"], {}), {m: row[m] for m in DEPOSIT_METRICS})
        total += row["held_yuan"]
        if verdict is True:
            refunded += row["held_yuan"]
        elif verdict is False:
            forfeited += row["held_yuan"]
        scopes.append({"scope": row["scope"], "held_yuan": float(row["held_yuan"]), "refundable": verdict})
    return {
        "held_yuan": float(total),
        "refundable_yuan": float(refunded),
        "forfeited_yuan": float(forfeited),
        "scopes": scopes,
    }
