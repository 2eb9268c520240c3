"""METRICS.md §6, rewards (奖励测算): fdi, export, fx_contribution, project_5020, foreign_fx, prizes,
tax sharing and the total (万元).

Every amount, threshold, share and cap comes from ``settings["reward_policy"]``. Money is summed
exactly (DECIMAL) and the formulas use exact decimal arithmetic (settings read as the decimals
typed), so a project exactly on a threshold gets it.

v2 rules: only projects ``active`` at D earn a project reward or a tax share, or count for
``fx_contribution``; the ``fdi`` and ``export`` rewards follow the county figures of §3 (a written-off
project's arrivals included). ``project_5020`` is paid once, in the plan year of its qualifying day
``q`` (the later of ``in_stats_date`` and the day the running Σ of fixed assets first reaches the
share), only for industrial projects, to the project's intermediary when given. Units tied for the
largest FX get no fx_contribution: the leading group decides.

Decisions where METRICS.md is silent:
- the running Σ of fixed assets adds the arrivals of one day together (their order within a day is
  unknown), and counts arrivals dated on or before D only;
- a blank or all-space ``intermediary`` is no intermediary;
- the prizes follow the provisional awards before Y-12-31 (the pages say 预计), as every figure here.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.format import exact_decimal
from analytics.core.period import Period
from analytics.metrics import views
from analytics.metrics.county import RELATIONS as COUNTY_RELATIONS
from analytics.metrics.squads import evaluate_squads
from analytics.metrics.tax_sharing import tax_shares
from analytics.metrics.units import evaluate_units


# The projects a project reward can look at: industrial, and foreign or a 5020 project of the minimum
# total; with fx_Y, the largest single FX arrival in W, the fixed assets arrived by D and, for a 5020
# project, the day the running Σ of fixed assets first reached the share of the total (``reached_on``).
# The three sums are fetched as exact decimal text (``_project_funds`` reads them as Decimals).
# ``where`` keeps some of the candidates.
def _project_funds_sql(where: str) -> str:
    return f"""
WITH candidates AS (
    SELECT p.project_id, p.name AS project_name, p.introducing_unit_id AS unit_id,
           nullif(trim(p.intermediary), '') AS intermediary, p.is_5020,
           {views.IN_STATS_ON} AS in_stats_date,
           p.total_investment_wan, p.source, coalesce(i.is_industrial, false) AS is_industrial,
           p.written_off_date, {views.ACTIVE} AS is_active
    FROM projects AS p LEFT JOIN industries AS i ON i.industry_id = p.industry_id
    WHERE coalesce(i.is_industrial, false)
      AND (p.source = 'foreign' OR (p.is_5020 AND p.total_investment_wan >= $min_total_5020))
), arrivals AS (
    SELECT a.* FROM fund_arrivals AS a SEMI JOIN candidates AS c ON c.project_id = a.project_id
    WHERE {views.ARRIVAL_COUNTS}
), by_day AS (
    SELECT a.project_id, a.date, {views.money_sum("a.fixed_asset_wan")} AS fixed
    FROM arrivals AS a SEMI JOIN candidates AS c ON c.project_id = a.project_id AND c.is_5020
    GROUP BY a.project_id, a.date
), running AS (
    SELECT project_id, date, sum(fixed) OVER (PARTITION BY project_id ORDER BY date) AS fixed_so_far
    FROM by_day
), funds AS (
    SELECT project_id,
           {views.money_sum("fx_usd_wan", views.in_window("date"))} AS fx_y,
           coalesce(max(fx_usd_wan) FILTER (WHERE {views.in_window("date")}), 0) AS max_fx_arrival,
           {views.money_sum("fixed_asset_wan")} AS fixed_to_date
    FROM arrivals GROUP BY project_id
), reached AS (
    SELECT r.project_id, min(r.date) AS reached_on
    FROM running AS r JOIN candidates AS c ON c.project_id = r.project_id
    WHERE r.fixed_so_far >= $min_share * CAST(c.total_investment_wan AS DECIMAL(38, 6))
    GROUP BY r.project_id
)
SELECT c.*, CAST(coalesce(f.fx_y, 0) AS VARCHAR) AS fx_y,
       CAST(coalesce(f.max_fx_arrival, 0) AS VARCHAR) AS max_fx_arrival,
       CAST(coalesce(f.fixed_to_date, 0) AS VARCHAR) AS fixed_to_date, r.reached_on
FROM candidates AS c
LEFT JOIN funds AS f ON f.project_id = c.project_id
LEFT JOIN reached AS r ON r.project_id = c.project_id
{where}
ORDER BY c.project_id
"""


# The report reads only the projects that can earn a reward: active, and foreign with fx_Y at the
# foreign_fx minimum or more, or 5020 with both days of ``q`` known and the later in W. A necessary
# condition only (``evaluate_project_rewards`` decides and computes); the drill-down reads every
# candidate. A year's candidates run to thousands, the projects that earn to hundreds.
_CAN_EARN = f"""WHERE c.is_active AND (
    (c.source = 'foreign' AND coalesce(f.fx_y, 0) >= $min_fx)
    OR (c.is_5020 AND c.in_stats_date IS NOT NULL AND r.reached_on IS NOT NULL
        AND {views.in_window("greatest(c.in_stats_date, r.reached_on)")}))"""
PROJECT_FUNDS_SQL = _project_funds_sql(where="")
EARNING_PROJECT_FUNDS_SQL = _project_funds_sql(where=_CAN_EARN)

# Per introducing unit, over active projects: Σ fx_Y and its largest single FX arrival in W.
UNIT_FX_SQL = f"""
SELECT p.introducing_unit_id AS unit_id, {views.money_sum("a.fx_usd_wan")} AS fx_y,
       coalesce(max(a.fx_usd_wan), 0) AS max_fx_arrival
FROM ({views.ARRIVALS_W}) AS a JOIN projects AS p ON p.project_id = a.project_id
WHERE a.fx_usd_wan > 0 AND {views.ACTIVE}
GROUP BY p.introducing_unit_id
ORDER BY p.introducing_unit_id
"""

# The county figures of §3 the fdi and export rewards follow (written-off projects' arrivals included).
COUNTY_MONEY_SQL = f"""
SELECT (SELECT {views.money_sum("fdi_usd_wan")} FROM ({views.ARRIVALS_W})) AS fdi_usd_wan,
       (SELECT {views.money_sum("exports_usd_wan")} FROM ({COUNTY_RELATIONS["trade"]})) AS exports_usd_wan
"""


def _stepped(excess: Decimal, policy: dict[str, Any], step_size_key: str) -> Decimal:
    """base + step × floor(excess / step size), at most the cap. ``//`` of non-negative Decimals is an
    exact floor (it never rounds up to the next integer)."""
    steps = excess // exact_decimal(policy[step_size_key])
    return min(
        exact_decimal(policy["base_wan"]) + exact_decimal(policy["step_wan"]) * steps,
        exact_decimal(policy["cap_wan"]),
    )


def amount_5020(total_wan: float, fixed_to_date: Decimal, policy: dict[str, Any]) -> Decimal | None:
    """§6 project_5020 amount of a total with the fixed assets arrived; None when they fall short."""
    total, minimum = exact_decimal(total_wan), exact_decimal(policy["min_total_wan"])
    if (
        total < minimum
        or exact_decimal(fixed_to_date) < exact_decimal(policy["min_fixed_asset_share"]) * total
    ):
        return None
    return _stepped(total - minimum, policy, "step_size_wan")


def amount_foreign_fx(fx_y: Decimal, policy: dict[str, Any]) -> Decimal | None:
    """§6 foreign_fx for a foreign industrial project with ``fx_Y``; None below the threshold."""
    fx, minimum = exact_decimal(fx_y), exact_decimal(policy["min_fx_usd_wan"])
    if fx < minimum:
        return None
    return _stepped(fx - minimum, policy, "step_size_usd_wan")


def qualifying_day(row: dict) -> Any:
    """§6 project_5020 ``q``: the later of in_stats_date and the day the fixed assets reached the
    share; None while either is missing."""
    if row["in_stats_date"] is None or row["reached_on"] is None:
        return None
    return max(row["in_stats_date"], row["reached_on"])


_FUNDS_AS_TEXT = ("fx_y", "max_fx_arrival", "fixed_to_date")


def _project_funds(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], *, earning_only: bool = False
) -> list[dict]:
    policy = settings["reward_policy"]
    params = views.bind(
        period,
        settings,
        min_total_5020=policy["project_5020"]["min_total_wan"],
        min_share=exact_decimal(policy["project_5020"]["min_fixed_asset_share"]),
        min_fx=exact_decimal(policy["foreign_fx"]["min_fx_usd_wan"]),
    )
    sql = EARNING_PROJECT_FUNDS_SQL if earning_only else PROJECT_FUNDS_SQL
    rows = views.fetch_dicts(con, sql, params)
    for row in rows:
        for key in _FUNDS_AS_TEXT:
            row[key] = Decimal(row[key])
    return rows


def _payee(row: dict) -> str:
    return row["intermediary"] or row["unit_id"]


def evaluate_project_rewards(rows: list[dict], period: Period, policy: dict[str, Any]) -> list[dict]:
    """The per-project rewards of ``rows`` (from ``PROJECT_FUNDS_SQL``), by project_id then reward."""
    out = []
    for r in rows:
        if not (r["is_active"] and r["is_industrial"]):
            continue
        candidates = []
        q = qualifying_day(r)
        if r["is_5020"] and q is not None and period.window_start <= q <= period.window_end:
            amount = amount_5020(r["total_investment_wan"], r["fixed_to_date"], policy["project_5020"])
            candidates.append(("project_5020", _payee(r), amount))
        if r["source"] == "foreign":
            candidates.append(
                ("foreign_fx", r["unit_id"], amount_foreign_fx(r["fx_y"], policy["foreign_fx"]))
            )
        for reward, payee, amount in sorted(candidates):
            if amount is not None:
                out.append(
                    {
                        "project_id": r["project_id"],
                        "reward": reward,
                        "unit_id": r["unit_id"],
                        "payee": payee,
                        "amount_exact": amount,
                    }
                )
    return out


def fx_contribution(unit_rows: list[dict], policy: dict[str, Any]) -> tuple[str | None, Decimal, list[str]]:
    """(unit, amount, tied units) of §6 fx_contribution from the per-unit rows of ``UNIT_FX_SQL``.

    Units tied for the largest Σ fx_Y: no unit, 0, and the tied units by id (the leading group
    decides). No FX in W: no unit, 0, nobody tied.
    """
    with_fx = [r for r in unit_rows if r["fx_y"] > 0]
    if not with_fx:
        return None, Decimal(0), []
    largest = max(r["fx_y"] for r in with_fx)
    leaders = [r for r in with_fx if r["fx_y"] == largest]
    if len(leaders) > 1:
        return None, Decimal(0), sorted(r["unit_id"] for r in leaders)
    best, rule = leaders[0], policy["fx_contribution"]
    qualifies = exact_decimal(best["max_fx_arrival"]) >= exact_decimal(rule["single_arrival_min_usd_wan"])
    return best["unit_id"], exact_decimal(rule["amount_wan"]) if qualifies else Decimal(0), []


def prizes(units: list[dict], squads: list[dict], policy: dict[str, Any]) -> list[dict]:
    """§6 prizes: each township with the ``advanced`` award and each squad's advanced members,
    ``prize_wan`` each; by unit_id then prize."""
    amount = exact_decimal(policy["prize_wan"])
    out = [
        {"unit_id": u["unit_id"], "prize": "advanced", "squad_id": None, "amount_exact": amount}
        for u in units
        if u["kind"] == "township" and "advanced" in u["awards"]
    ]
    out += [
        {"unit_id": unit_id, "prize": "squad_advanced", "squad_id": s["squad_id"], "amount_exact": amount}
        for s in squads
        for unit_id in s["advanced_members"]
    ]
    return sorted(out, key=lambda p: (p["unit_id"], p["prize"], p["squad_id"] or ""))


def _county_money(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    policy = settings["reward_policy"]
    county = views.fetch_dicts(con, COUNTY_MONEY_SQL, views.bind(period, settings))[0]
    return {
        "fdi": exact_decimal(policy["fdi_wan_per_usd_wan"]) * county["fdi_usd_wan"],
        "export": exact_decimal(policy["export_wan_per_usd_wan"]) * county["exports_usd_wan"],
    }


def _unit_fx(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    unit_rows = views.fetch_dicts(con, UNIT_FX_SQL, views.bind(period, settings))
    return {"fx_contribution": fx_contribution(unit_rows, settings["reward_policy"])}


def _projects(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    rows = _project_funds(con, period, settings, earning_only=True)
    return {"projects": evaluate_project_rewards(rows, period, settings["reward_policy"])}


def _tax_sharing(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    return {"tax_sharing": tax_shares(con, period, settings["reward_policy"]["tax_sharing"])}


# The independent parts of ``reward_money``, each one read of the data (the report runs them side by side).
REWARD_MONEY_PARTS = (_county_money, _unit_fx, _projects, _tax_sharing)


def reward_money(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    """Every §6 figure that needs no unit evaluation (all but the prizes), exact: fdi, export,
    fx_contribution, projects and tax_sharing, for ``assemble_rewards``."""
    money: dict[str, Any] = {}
    for part in REWARD_MONEY_PARTS:
        money |= part(con, period, settings)
    return money


def assemble_rewards(
    money: dict[str, Any], units: list[dict], squads: list[dict], settings: dict[str, Any]
) -> dict[str, Any]:
    """The report's ``rewards`` object from ``reward_money`` and the §4/§5 records (for the prizes)."""
    fx_unit, fx_amount, tied = money["fx_contribution"]
    prize_rows = prizes(units, squads, settings["reward_policy"])
    decimals = (
        money["fdi"]
        + money["export"]
        + fx_amount
        + sum((p["amount_exact"] for p in money["projects"]), Decimal(0))
        + sum((p["amount_exact"] for p in prize_rows), Decimal(0))
    )
    total = Fraction(decimals) + money["tax_sharing"][1]  # the tax shares' exact sum is a Fraction
    return {
        "fdi": float(money["fdi"]),
        "export": float(money["export"]),
        "fx_contribution": {"unit_id": fx_unit, "amount": float(fx_amount), "tied": list(tied)},
        "projects": [
            {
                "project_id": p["project_id"],
                "reward": p["reward"],
                "unit_id": p["unit_id"],
                "payee": p["payee"],
                "amount": float(p["amount_exact"]),
            }
            for p in money["projects"]
        ],
        "prizes": [
            {
                "unit_id": p["unit_id"],
                "prize": p["prize"],
                "squad_id": p["squad_id"],
                "amount": float(p["amount_exact"]),
            }
            for p in prize_rows
        ],
        "tax_sharing": money["tax_sharing"][0],
        "total": float(total),
    }


def rewards(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    *,
    evaluated: list[dict] | None = None,
) -> dict[str, Any]:
    """The report's ``rewards`` object: fdi, export, fx_contribution, projects, prizes, tax_sharing, total."""
    units = evaluated if evaluated is not None else evaluate_units(con, period, settings)
    squads = evaluate_squads(con, period, settings, units)
    return assemble_rewards(reward_money(con, period, settings), units, squads, settings)


def reward_candidates(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """Every project a §6 project reward looks at, with its inputs and the amounts it earns (or 0)."""
    policy = settings["reward_policy"]
    rows = _project_funds(con, period, settings)
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
                "payee": _payee(r),
                "is_5020": r["is_5020"],
                "in_stats_date": r["in_stats_date"],
                "total_investment_wan": r["total_investment_wan"],
                "fixed_to_date_wan": float(r["fixed_to_date"]),
                "fixed_share": float(Fraction(r["fixed_to_date"]) / views.exact(r["total_investment_wan"])),
                "qualifying_day": qualifying_day(r) if r["is_5020"] else None,
                "source": r["source"],
                "is_industrial": r["is_industrial"],
                "fx_y_usd_wan": float(r["fx_y"]),
                "max_fx_arrival_usd_wan": float(r["max_fx_arrival"]),
                "written_off_date": r["written_off_date"],
                "is_active": r["is_active"],
                "project_5020_wan": earned.get((r["project_id"], "project_5020"), 0.0),
                "foreign_fx_wan": earned.get((r["project_id"], "foreign_fx"), 0.0),
            }
        )
    return pd.DataFrame(out)
