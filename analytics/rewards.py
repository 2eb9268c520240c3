"""METRICS.md §6, rewards (奖励测算): fdi, fx_contribution, project_5020, foreign_fx, total (万元).

Every amount, threshold and step comes from ``settings["reward_policy"]``. Money is summed
exactly and the formulas use exact fractions, so a project exactly on a threshold gets it.

Decisions where METRICS.md is silent (the text is followed literally):
- rewards do not test ``active``: a written-off project still earns a reward when the rule's
  conditions hold (§6 names no such condition; the what-if page shows it);
- project_5020 looks at ``in_stats_date ≤ D`` and arrivals dated ≤ D, not only those in W, as
  written; foreign_fx and fx_contribution use ``fx_Y`` (arrivals in W);
- fx_contribution goes to the unit with the largest positive Σ fx_Y (ties by unit_id); its amount
  needs one single arrival in W of a project it introduced with fx_usd_wan ≥ the threshold.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics import views
from analytics.period import Period

REWARD_ZH = {
    "fdi": "实际利用外资奖励",
    "fx_contribution": "现汇进资贡献奖",
    "project_5020": '"5020"项目奖励',
    "foreign_fx": "外资工业项目现汇奖励",
}

# Per project with an arrival: fx_Y, its largest single FX arrival in W, fixed assets arrived by D.
PROJECT_FUNDS_SQL = f"""
WITH funds AS (
    SELECT a.project_id,
           {views.money_sum("a.fx_usd_wan", views.in_window("a.date"))} AS fx_y,
           max(a.fx_usd_wan) FILTER (WHERE {views.in_window("a.date")}) AS max_fx_arrival,
           {views.money_sum("a.fixed_asset_wan", "a.date <= $as_of")} AS fixed_to_date
    FROM fund_arrivals AS a
    GROUP BY a.project_id
)
SELECT p.project_id, p.name AS project_name, p.introducing_unit_id AS unit_id, p.is_5020, p.in_stats_date,
       p.total_investment_wan, p.source, coalesce(i.is_industrial, false) AS is_industrial,
       f.fx_y, coalesce(f.max_fx_arrival, 0) AS max_fx_arrival, f.fixed_to_date, p.written_off_date
FROM funds AS f
JOIN projects AS p ON p.project_id = f.project_id
LEFT JOIN industries AS i ON i.industry_id = p.industry_id
WHERE f.fx_y > 0 OR (p.is_5020 AND p.in_stats_date <= $as_of AND p.total_investment_wan >= $min_total_5020)
ORDER BY p.project_id
"""

FDI_SQL = f"SELECT {views.money_sum('fdi_usd_wan')} FROM ({views.ARRIVALS_W})"


def amount_5020(total_wan: float, fixed_to_date: Fraction, policy: dict[str, Any]) -> Fraction | None:
    """§6 project_5020 for a 5020 project in the statistics by D; None when it does not qualify."""
    total = views.exact(total_wan)
    minimum = views.exact(policy["min_total_wan"])
    if total < minimum or fixed_to_date < views.exact(policy["min_fixed_asset_share"]) * total:
        return None
    steps = math.floor((total - minimum) / views.exact(policy["step_size_wan"]))
    return min(
        views.exact(policy["base_wan"]) + views.exact(policy["step_wan"]) * steps,
        views.exact(policy["cap_wan"]),
    )


def amount_foreign_fx(fx_y: Fraction, policy: dict[str, Any]) -> Fraction | None:
    """§6 foreign_fx for a foreign industrial project with ``fx_Y``; None below the threshold."""
    minimum = views.exact(policy["min_fx_usd_wan"])
    if fx_y < minimum:
        return None
    steps = math.floor((fx_y - minimum) / views.exact(policy["step_size_usd_wan"]))
    return min(
        views.exact(policy["base_wan"]) + views.exact(policy["step_wan"]) * steps,
        views.exact(policy["cap_wan"]),
    )


def _project_funds(con: duckdb.DuckDBPyConnection, period: Period, policy: dict[str, Any]) -> list[dict]:
    return views.fetch_dicts(
        con, PROJECT_FUNDS_SQL, views.bind(period, min_total_5020=policy["project_5020"]["min_total_wan"])
    )


def evaluate_project_rewards(rows: list[dict], period: Period, policy: dict[str, Any]) -> list[dict]:
    """The per-project rewards of ``rows`` (from ``PROJECT_FUNDS_SQL``), by project_id then reward."""
    out = []
    for r in rows:
        candidates = []
        if r["is_5020"] and r["in_stats_date"] is not None and r["in_stats_date"] <= period.as_of:
            candidates.append(
                (
                    "project_5020",
                    amount_5020(
                        r["total_investment_wan"], Fraction(r["fixed_to_date"]), policy["project_5020"]
                    ),
                )
            )
        if r["source"] == "foreign" and r["is_industrial"]:
            candidates.append(("foreign_fx", amount_foreign_fx(Fraction(r["fx_y"]), policy["foreign_fx"])))
        for reward, amount in sorted(candidates):
            if amount is not None:
                out.append(
                    {
                        "project_id": r["project_id"],
                        "reward": reward,
                        "unit_id": r["unit_id"],
                        "amount_exact": amount,
                    }
                )
    return out


def fx_contribution(rows: list[dict], policy: dict[str, Any]) -> tuple[str | None, Fraction]:
    """(unit, amount) of §6 fx_contribution from the per-project funds rows."""
    by_unit: dict[str, Fraction] = {}
    best_single: dict[str, Fraction] = {}
    for r in rows:
        fx = Fraction(r["fx_y"])
        if fx > 0:
            by_unit[r["unit_id"]] = by_unit.get(r["unit_id"], Fraction(0)) + fx
            best_single[r["unit_id"]] = max(
                best_single.get(r["unit_id"], Fraction(0)), views.exact(r["max_fx_arrival"])
            )
    if not by_unit:
        return None, Fraction(0)
    unit = min(by_unit, key=lambda u: (-by_unit[u], u))
    rule = policy["fx_contribution"]
    qualifies = best_single[unit] >= views.exact(rule["single_arrival_min_usd_wan"])
    return unit, views.exact(rule["amount_wan"]) if qualifies else Fraction(0)


def rewards(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    """The report's ``rewards`` object: fdi, fx_contribution, projects (by project_id), total."""
    policy = settings["reward_policy"]
    fdi_usd = Fraction(views.fetch_rows(con, FDI_SQL, views.bind(period))[0][0])
    fdi = views.exact(policy["fdi_wan_per_usd_wan"]) * fdi_usd
    rows = _project_funds(con, period, policy)
    fx_unit, fx_amount = fx_contribution(rows, policy)
    projects = evaluate_project_rewards(rows, period, policy)
    total = fdi + fx_amount + sum((p["amount_exact"] for p in projects), Fraction(0))
    return {
        "fdi": float(fdi),
        "fx_contribution": {"unit_id": fx_unit, "amount": float(fx_amount)},
        "projects": [
            {
                "project_id": p["project_id"],
                "reward": p["reward"],
                "unit_id": p["unit_id"],
                "amount": float(p["amount_exact"]),
            }
            for p in projects
        ],
        "total": float(total),
    }


def reward_candidates(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """Every project a §6 project reward looks at, with its inputs and the amounts it earns (or 0)."""
    policy = settings["reward_policy"]
    rows = _project_funds(con, period, policy)
    earned = {
        (p["project_id"], p["reward"]): float(p["amount_exact"])
        for p in evaluate_project_rewards(rows, period, policy)
    }
    out = []
    for r in rows:
        out.append(
            {
                "project_id": r["project_id"],
                "project_name": r["project_name"],
                "unit_id": r["unit_id"],
                "is_5020": r["is_5020"],
                "in_stats_date": r["in_stats_date"],
                "total_investment_wan": r["total_investment_wan"],
                "fixed_to_date_wan": float(r["fixed_to_date"]),
                "fixed_share": float(Fraction(r["fixed_to_date"]) / views.exact(r["total_investment_wan"])),
                "source": r["source"],
                "is_industrial": r["is_industrial"],
                "fx_y_usd_wan": float(r["fx_y"]),
                "max_fx_arrival_usd_wan": float(r["max_fx_arrival"]),
                "written_off_date": r["written_off_date"],
                "project_5020_wan": earned.get((r["project_id"], "project_5020"), 0.0),
                "foreign_fx_wan": earned.get((r["project_id"], "foreign_fx"), 0.0),
            }
        )
    return pd.DataFrame(out)
