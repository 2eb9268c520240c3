"""METRICS.md §6, rewards (奖励测算): fdi, fx_contribution, project_5020, foreign_fx, total (万元).

Every amount, threshold and step comes from ``settings["reward_policy"]``. Money is summed
exactly (DECIMAL) and the formulas use exact decimal arithmetic (settings read as the decimals
typed), so a project exactly on a threshold gets it.

Decisions where METRICS.md is silent (the text is followed literally):
- rewards do not test ``active``: a written-off project still earns a reward when the rule's
  conditions hold (§6 names no such condition; the what-if page shows it);
- project_5020 looks at ``in_stats_date ≤ D`` and arrivals dated ≤ D, not only those in W, as
  written; foreign_fx and fx_contribution use ``fx_Y`` (arrivals in W);
- fx_contribution goes to the unit with the largest positive Σ fx_Y (ties by unit_id); its amount
  needs one single arrival in W of a project it introduced with fx_usd_wan ≥ the threshold.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.metrics import views

REWARD_ZH = {
    "fdi": "实际利用外资奖励",
    "fx_contribution": "现汇进资贡献奖",
    "project_5020": '"5020"项目奖励',
    "foreign_fx": "外资工业项目现汇奖励",
}

# Projects a project reward can look at (foreign industrial ones; 5020 ones in the statistics by D with
# the minimum total), with fx_Y, the largest single FX arrival in W and the fixed assets arrived by D.
# With $only_earning the rows are narrowed to those meeting every threshold, compared exactly
# (DECIMAL; the thresholds are bound as the decimals typed); the formulas below decide the amounts.
PROJECT_FUNDS_SQL = f"""
WITH candidates AS (
    SELECT p.project_id, p.name AS project_name, p.introducing_unit_id AS unit_id, p.is_5020, p.in_stats_date,
           p.total_investment_wan, p.source, coalesce(i.is_industrial, false) AS is_industrial, p.written_off_date
    FROM projects AS p LEFT JOIN industries AS i ON i.industry_id = p.industry_id
    WHERE (p.source = 'foreign' AND coalesce(i.is_industrial, false))
       OR (p.is_5020 AND p.in_stats_date <= $as_of AND p.total_investment_wan >= $min_total_5020)
), funds AS (
    SELECT a.project_id,
           {views.money_sum("a.fx_usd_wan", views.in_window("a.date"))} AS fx_y,
           coalesce(max(a.fx_usd_wan) FILTER (WHERE {views.in_window("a.date")}), 0) AS max_fx_arrival,
           {views.money_sum("a.fixed_asset_wan", "a.date <= $as_of")} AS fixed_to_date
    FROM fund_arrivals AS a SEMI JOIN candidates AS c ON c.project_id = a.project_id
    GROUP BY a.project_id
)
SELECT c.*, f.fx_y, f.max_fx_arrival, f.fixed_to_date
FROM candidates AS c JOIN funds AS f ON f.project_id = c.project_id
WHERE NOT $only_earning
   OR (c.source = 'foreign' AND c.is_industrial AND f.fx_y >= $min_fx)
   OR (c.is_5020 AND c.in_stats_date <= $as_of AND c.total_investment_wan >= $min_total_5020
       AND f.fixed_to_date >= $min_share * CAST(c.total_investment_wan AS DECIMAL(38, 6)))
ORDER BY c.project_id
"""

# Per introducing unit: Σ fx and Σ fdi of its projects' arrivals in W, and its largest single FX arrival.
UNIT_FUNDS_SQL = f"""
SELECT p.introducing_unit_id AS unit_id,
       {views.money_sum("a.fx_usd_wan")} AS fx_y,
       coalesce(max(a.fx_usd_wan), 0) AS max_fx_arrival,
       {views.money_sum("a.fdi_usd_wan")} AS fdi_usd_wan
FROM ({views.ARRIVALS_W}) AS a JOIN projects AS p ON p.project_id = a.project_id
WHERE a.fx_usd_wan > 0 OR a.fdi_usd_wan > 0
GROUP BY p.introducing_unit_id
ORDER BY p.introducing_unit_id
"""


def _decimal(value: int | float | Decimal) -> Decimal:
    """A number as the exact decimal a person typed (a float through ``repr``), like ``views.exact``."""
    if isinstance(value, Decimal):
        return value
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def _stepped(excess: Decimal, policy: dict[str, Any], step_size_key: str) -> Decimal:
    """base + step × floor(excess / step size), at most the cap. ``//`` of non-negative Decimals is an
    exact floor (it never rounds up to the next integer)."""
    steps = excess // _decimal(policy[step_size_key])
    return min(
        _decimal(policy["base_wan"]) + _decimal(policy["step_wan"]) * steps, _decimal(policy["cap_wan"])
    )


def amount_5020(total_wan: float, fixed_to_date: Decimal, policy: dict[str, Any]) -> Decimal | None:
    """§6 project_5020 for a 5020 project in the statistics by D; None when it does not qualify."""
    total, minimum = _decimal(total_wan), _decimal(policy["min_total_wan"])
    if total < minimum or _decimal(fixed_to_date) < _decimal(policy["min_fixed_asset_share"]) * total:
        return None
    return _stepped(total - minimum, policy, "step_size_wan")


def amount_foreign_fx(fx_y: Decimal, policy: dict[str, Any]) -> Decimal | None:
    """§6 foreign_fx for a foreign industrial project with ``fx_Y``; None below the threshold."""
    fx, minimum = _decimal(fx_y), _decimal(policy["min_fx_usd_wan"])
    if fx < minimum:
        return None
    return _stepped(fx - minimum, policy, "step_size_usd_wan")


def _project_funds(
    con: duckdb.DuckDBPyConnection, period: Period, policy: dict[str, Any], *, only_earning: bool
) -> list[dict]:
    params = views.bind(
        period,
        only_earning=only_earning,
        min_total_5020=policy["project_5020"]["min_total_wan"],
        min_share=_decimal(policy["project_5020"]["min_fixed_asset_share"]),
        min_fx=_decimal(policy["foreign_fx"]["min_fx_usd_wan"]),
    )
    return views.fetch_dicts(con, PROJECT_FUNDS_SQL, params)


def evaluate_project_rewards(rows: list[dict], period: Period, policy: dict[str, Any]) -> list[dict]:
    """The per-project rewards of ``rows`` (from ``PROJECT_FUNDS_SQL``), by project_id then reward."""
    out = []
    for r in rows:
        candidates = []
        if r["is_5020"] and r["in_stats_date"] is not None and r["in_stats_date"] <= period.as_of:
            candidates.append(
                (
                    "project_5020",
                    amount_5020(r["total_investment_wan"], r["fixed_to_date"], policy["project_5020"]),
                )
            )
        if r["source"] == "foreign" and r["is_industrial"]:
            candidates.append(("foreign_fx", amount_foreign_fx(r["fx_y"], policy["foreign_fx"])))
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


def fx_contribution(unit_rows: list[dict], policy: dict[str, Any]) -> tuple[str | None, Decimal]:
    """(unit, amount) of §6 fx_contribution from the per-unit rows of ``UNIT_FUNDS_SQL``."""
    with_fx = [r for r in unit_rows if r["fx_y"] > 0]
    if not with_fx:
        return None, Decimal(0)
    best = min(with_fx, key=lambda r: (-r["fx_y"], r["unit_id"]))
    rule = policy["fx_contribution"]
    qualifies = _decimal(best["max_fx_arrival"]) >= _decimal(rule["single_arrival_min_usd_wan"])
    return best["unit_id"], _decimal(rule["amount_wan"]) if qualifies else Decimal(0)


def rewards(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    """The report's ``rewards`` object: fdi, fx_contribution, projects (by project_id), total."""
    policy = settings["reward_policy"]
    unit_rows = views.fetch_dicts(con, UNIT_FUNDS_SQL, views.bind(period))
    fdi = _decimal(policy["fdi_wan_per_usd_wan"]) * sum((r["fdi_usd_wan"] for r in unit_rows), Decimal(0))
    fx_unit, fx_amount = fx_contribution(unit_rows, policy)
    projects = evaluate_project_rewards(
        _project_funds(con, period, policy, only_earning=True), period, policy
    )
    total = fdi + fx_amount + sum((p["amount_exact"] for p in projects), Decimal(0))
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
    rows = _project_funds(con, period, policy, only_earning=False)
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
