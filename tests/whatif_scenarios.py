"""Find, on whatever the demo county holds, a what-if scenario that lifts a township out of 蜗牛奖.

The demo generator may change; the tests look for such a scenario instead of naming units. Tried in
order, per snail township: its own projects not yet in the statistics enter them (gap solver
candidates), its pending leads become valid, and its targets are lowered to what it has achieved (a target lowered to 0 drops that indicator).
Townships that achieved something are tried first.
"""

from __future__ import annotations

from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.metrics.report import build_report
from analytics.whatif.gap_solver import in_stats_candidates, to_assumptions
from analytics.whatif.scenario import AssumedEvent, Scenario, TargetOverride, compare, pending_leads


def snail_move(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> tuple[str, str, Scenario] | None:
    """(unit_id, unit name, scenario) such that the unit is the snail in the baseline and not in the
    scenario; None when no such scenario is found."""
    report = build_report(con, period, settings)
    names = {r[0]: r[1] for r in con.execute("SELECT unit_id, name FROM units").fetchall()}
    leads = pending_leads(con, period)
    snails = [u for u in report["units"] if "snail" in u["awards"]]
    snails.sort(key=lambda u: -sum(u["actuals"].values()))
    for unit in snails:
        uid = unit["unit_id"]
        events = to_assumptions(
            in_stats_candidates(con, period, unit_id=uid)["project_id"].tolist(), "in_stats", period.as_of
        ) + [AssumedEvent("lead_valid", lead) for lead in leads.loc[leads["unit_id"] == uid, "lead_id"]]
        lowered = [
            TargetOverride(period.year, uid, metric, float(unit["actuals"][metric]))
            for metric, target in unit["targets"].items()
            if target and unit["actuals"][metric] < target
        ]
        for scenario in (
            Scenario(name="入统与认定", events=events),
            Scenario(name="下调目标", targets=lowered),
            Scenario(name="全部", targets=lowered, events=events),
        ):
            if scenario.is_empty():
                continue
            result = compare(con, period, settings, scenario)
            row = result.units.set_index("unit_id").loc[uid]
            if "snail" not in row["scenario_awards"]:
                return uid, names[uid], scenario
    return None
