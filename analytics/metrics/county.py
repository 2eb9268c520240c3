"""METRICS.md §3, county targets (全县目标任务): actual, target, completion, status, previous, YoY.

Each metric is one row of ``COUNTY_RULES``: the shared relation it reads (``S``, the active
projects entering the statistics in W, or the fund arrivals in W), a filter and a measure (a
count, or an exact money sum). The report, the pages and the drill-down all read these rules.

v2: ``top_companies`` counts only 亿元以上 projects whose ``company_rank`` is in ``top_company_ranks``;
``trade_usd_wan`` (the trade months of Y up to D's month, that month in full) also carries
``city_growth`` (of the latest trade row counted) and ``above_city`` = yoy > city_growth, exactly.
Milestones count as §0 says (``views.IN_STATS_W``, ``views.ARRIVALS_W``): the previous year's as of
its own last day. Functions without ``settings`` read the default settings.

Status (exact comparisons, f = the schedule): ``no_target`` without a target or with target 0;
``met`` when completion ≥ 1; ``on_track`` when ≥ f; ``behind`` when ≥ f − red_gap; else
``far_behind``. ``previous`` is the same metric over Y-1 to the same month-day (29 Feb → 28 Feb),
computed as if on that day (``Period.previous_year_span``); ``yoy`` is null when previous is 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.core.schema import COUNTY_METRICS
from analytics.metrics import views

# The relations a county metric reads, as SQL over the contract tables.
RELATIONS: dict[str, str] = {
    "signed": views.SIGNED_S,
    "in_stats": views.IN_STATS_W,
    "arrivals": f"""
        SELECT a.*, p.source, p.total_investment_wan, p.introducing_unit_id
        FROM ({views.ARRIVALS_W}) AS a JOIN projects AS p ON p.project_id = a.project_id
    """,
    # v2: the trade months of Y up to the month of min(D, Y-12-31), that month in full.
    "trade": """
        SELECT *, exports_usd_wan + imports_usd_wan AS trade_usd_wan FROM trade
        WHERE month >= strftime(CAST($start AS DATE), '%Y-%m') AND month <= strftime(CAST($end AS DATE), '%Y-%m')
    """,
}


@dataclass(frozen=True)
class CountyRule:
    metric: str
    relation: str  # a key of RELATIONS
    where: str | None  # filter on the relation's columns, or None for all its rows
    money_column: str | None = None  # None: count rows; else the exact sum of this column
    unit_zh: str = "个"

    @property
    def is_money(self) -> bool:
        return self.money_column is not None

    def aggregate_sql(self) -> str:
        if self.money_column:
            return views.money_sum(self.money_column, self.where)
        return f"count(*) FILTER (WHERE {self.where})" if self.where else "count(*)"


COUNTY_RULES: tuple[CountyRule, ...] = (
    CountyRule("signed_projects", "signed", None),
    CountyRule("foreign_firms", "signed", "source = 'foreign'"),
    CountyRule("export_producers", "signed", "is_export_producer"),
    CountyRule("projects_100m", "signed", "total_investment_wan >= 10000"),
    CountyRule(
        "top_companies", "signed", "total_investment_wan >= 10000 AND list_contains($top_ranks, company_rank)"
    ),
    CountyRule("projects_5020", "signed", "is_5020"),
    CountyRule("in_stats_investment_wan", "in_stats", None, "total_investment_wan", "万元"),
    CountyRule("in_stats_projects_100m", "in_stats", "total_investment_wan >= 10000"),
    CountyRule("in_stats_projects_2b", "in_stats", "total_investment_wan >= 200000"),
    CountyRule("fdi_usd_wan", "arrivals", None, "fdi_usd_wan", "万美元"),
    CountyRule("fx_usd_wan", "arrivals", None, "fx_usd_wan", "万美元"),
    CountyRule(
        "out_of_province_funds_wan",
        "arrivals",
        "source = 'out_of_province' AND total_investment_wan >= 2000",
        "amount_wan",
        "万元",
    ),
    CountyRule("trade_usd_wan", "trade", None, "trade_usd_wan", "万美元"),
)
RULES_BY_METRIC = {rule.metric: rule for rule in COUNTY_RULES}
assert [r.metric for r in COUNTY_RULES] == list(COUNTY_METRICS), "COUNTY_RULES must follow METRICS.md §3"


def _actuals_sql() -> str:
    parts = []
    for name in RELATIONS:
        aggregates = ", ".join(
            f"{rule.aggregate_sql()} AS {rule.metric}" for rule in COUNTY_RULES if rule.relation == name
        )
        parts.append(f"(SELECT {aggregates} FROM ({RELATIONS[name]})) AS {name}_actuals")
    return "SELECT * FROM " + ", ".join(parts)


_ACTUALS_SQL = _actuals_sql()


def _typed(row: tuple) -> dict[str, int | float]:
    return {
        rule.metric: float(value) if rule.is_money else int(value)
        for rule, value in zip(COUNTY_RULES, row, strict=True)
    }


# v2: the city's growth of the latest trade month counted (a blank there stays blank).
_CITY_GROWTH_SQL = f"SELECT city_growth FROM ({RELATIONS['trade']}) ORDER BY month DESC LIMIT 1"


def county_actuals(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any] | None = None
) -> dict[str, int | float]:
    """metric → actual for ``period``: ints for counts, floats for money."""
    return _typed(views.fetch_rows(con, _ACTUALS_SQL, views.bind(period, settings))[0])


def county_actuals_with_previous(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any] | None = None
) -> tuple[dict[str, int | float], dict[str, int | float]]:
    """(actuals of ``period``, actuals of ``period.previous_year_span()``) in one query."""
    previous_sql, previous_params = views.prefixed(
        _ACTUALS_SQL, views.bind(period.previous_year_span(), settings), "previous_"
    )
    row = views.fetch_rows(
        con,
        f"SELECT * FROM ({_ACTUALS_SQL}) AS current_year, ({previous_sql}) AS previous_year",
        views.bind(period, settings) | previous_params,
    )[0]
    return _typed(row[: len(COUNTY_RULES)]), _typed(row[len(COUNTY_RULES) :])


def city_growth(con: duckdb.DuckDBPyConnection, period: Period) -> float | None:
    """The ``city_growth`` of the latest trade row counted by ``trade_usd_wan`` (None: blank or no row)."""
    rows = views.fetch_rows(con, _CITY_GROWTH_SQL, views.bind(period))
    return rows[0][0] if rows else None


def trade_comparison(entry: dict[str, Any], growth: float | None) -> dict[str, Any]:
    """The ``trade_usd_wan`` entry with ``city_growth`` and ``above_city`` = yoy > city_growth (exact)."""
    above = None
    if growth is not None and entry["previous"]:
        yoy = views.exact(entry["actual"]) / views.exact(entry["previous"]) - 1
        above = yoy > views.exact(growth)
    return entry | {"city_growth": growth, "above_city": above}


def county_targets(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, float]:
    """metric → the county target of ``year`` (absent metrics have no target)."""
    rows = views.fetch_rows(
        con, "SELECT metric, value FROM targets WHERE year = $year AND scope = 'county'", {"year": year}
    )
    return dict(rows)


def status_of(completion: Fraction | None, schedule: Fraction, red_gap: float) -> str:
    """§3 status of an exact completion against the exact schedule ``f``."""
    if completion is None:
        return "no_target"
    if completion >= 1:
        return "met"
    if completion >= schedule:
        return "on_track"
    if completion >= schedule - views.exact(red_gap):
        return "behind"
    return "far_behind"


def exact_schedule(period: Period) -> Fraction:
    """The schedule ``f`` as an exact fraction of days (``Period.schedule`` is its float)."""
    return period.schedule_fraction


def county_entry(
    metric: str,
    actual: int | float,
    target: float | None,
    previous: int | float,
    schedule: Fraction,
    red_gap: float,
) -> dict[str, Any]:
    """One ``county`` entry of the report (METRICS.md key order)."""
    completion = views.exact(actual) / views.exact(target) if target else None
    return {
        "metric": metric,
        "actual": actual,
        "target": views.number(target),
        "completion": float(completion) if completion is not None else None,
        "status": status_of(completion, schedule, red_gap),
        "previous": previous,
        "yoy": float(views.exact(actual) / views.exact(previous) - 1) if previous else None,
    }


def county_metrics(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> list[dict]:
    """The report's ``county`` entries, in the order of METRICS.md §3."""
    actuals, previous = county_actuals_with_previous(con, period, settings)
    targets = county_targets(con, period.year)
    schedule = exact_schedule(period)
    entries = [
        county_entry(m, actuals[m], targets.get(m), previous[m], schedule, settings["red_gap"])
        for m in COUNTY_METRICS
    ]
    growth = city_growth(con, period)
    return [trade_comparison(e, growth) if e["metric"] == "trade_usd_wan" else e for e in entries]


def county_metrics_labelled(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> list[dict]:
    """``county_metrics`` plus ``name_zh``, ``unit_zh`` and ``is_money`` for the pages."""
    return [
        entry
        | {
            "name_zh": COUNTY_METRICS[entry["metric"]],
            "unit_zh": RULES_BY_METRIC[entry["metric"]].unit_zh,
            "is_money": RULES_BY_METRIC[entry["metric"]].is_money,
        }
        for entry in county_metrics(con, period, settings)
    ]
