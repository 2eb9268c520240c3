"""The METRICS.md report ("The command line"): one JSON-ready dict, keys in the contract's order.

Fractions not percentages, floats unrounded, counts as ints, money and scores as floats; a target
is an int when its value is integral (``"target": 30``) and a float otherwise (``views.number``).
Each section is computed by its own module; §4 unit scores are computed once and shared with §5.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.metrics.concentration import concentration
from analytics.metrics.county import county_metrics
from analytics.metrics.deposits import deposits, held_deposits
from analytics.metrics.landing import landing_rates
from analytics.metrics.rewards import REWARD_MONEY_PARTS, assemble_rewards
from analytics.metrics.squads import evaluate_squads, read_squads, squad_results
from analytics.metrics.units import read_unit_leads, read_unit_rows, unit_results, units_from_reads

REPORT_KEYS = (
    "year",
    "as_of",
    "schedule",
    "landing",
    "concentration",
    "county",
    "units",
    "squads",
    "rewards",
    "deposits",
)


def build_report(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    """The full report of ``period`` under ``settings`` (see METRICS.md for every key).

    Every read of the data is a section of its own; they run side by side, each on its own cursor
    (DuckDB releases the GIL while a query runs), the longest first, and the §4, §5 and §6 decisions
    are then taken on what they read. The result does not depend on the order.
    """
    sections: dict[str, Callable[[duckdb.DuckDBPyConnection, Period, dict[str, Any]], Any]] = {
        "unit_leads": read_unit_leads,
        "county": county_metrics,
        "unit_rows": read_unit_rows,
        **{f"reward_money.{part.__name__}": part for part in REWARD_MONEY_PARTS},
        "landing": landing_rates,
        "concentration": concentration,
        "held_deposits": lambda con, period, _settings: held_deposits(con, period),
        "squad_reads": lambda con, period, _settings: read_squads(con, period),
    }
    with ThreadPoolExecutor(max_workers=len(sections)) as pool:
        futures = {
            name: pool.submit(_on_own_cursor, con, fn, period, settings) for name, fn in sections.items()
        }
        done = {name: future.result() for name, future in futures.items()}
    money = {
        key: value
        for name, part in done.items()
        if name.startswith("reward_money.")
        for key, value in part.items()
    }
    evaluated = units_from_reads(period, settings, done["unit_leads"], done["unit_rows"])
    squads = evaluate_squads(con, period, settings, evaluated, reads=done["squad_reads"])
    return {
        "year": period.year,
        "as_of": period.as_of.isoformat(),
        "schedule": period.schedule,
        "landing": done["landing"],
        "concentration": done["concentration"],
        "county": done["county"],
        "units": unit_results(con, period, settings, evaluated=evaluated),
        "squads": squad_results(con, period, settings, squads=squads),
        "rewards": assemble_rewards(money, evaluated, squads, settings),
        "deposits": deposits(done["held_deposits"], evaluated, squads),
    }


def _on_own_cursor(
    con: duckdb.DuckDBPyConnection, section: Any, period: Period, settings: dict[str, Any]
) -> Any:
    cursor = con.cursor()
    try:
        return section(cursor, period, settings)
    finally:
        cursor.close()
