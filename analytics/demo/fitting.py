"""The demo county's targets, fitted through the metrics engine.

The generated tables (without targets) are written by the real writer into an in-memory database;
every actual, completion, score and status the fit looks at comes from ``analytics.metrics``
(``county_actuals``, ``status_of``, ``evaluate_units``, ``score_unit``). Past years get ordinary
targets near what was achieved; the current year's are chosen so that, as of ``today``:
- each county metric has the status ``COUNTY_DESIGN`` wishes;
- in each township class the leader is strictly first and completes, the snail strictly last and
  does not complete; weak units fall below half a target;
- on the mid-year check day the tied pair of departments is exactly at the public-statement limit
  (equal targets; the two lowest departments below them; every other department behind half is
  strictly above them);
- the squads of ``SQUADS_MET`` meet their own targets, those of ``SQUADS_MISSED`` do not.
"""

from __future__ import annotations

import math
import random
from datetime import date
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import MONEY_METRICS
from analytics.core.period import Period
from analytics.core.schema import COUNTY_METRICS, SQUAD_METRICS, UNIT_METRICS
from analytics.core.settings import effective_settings
from analytics.data.importer import write_dataset
from analytics.data.store import open_database
from analytics.demo.design import (
    CHAIN_SQUADS,
    COUNTY_DESIGN,
    DEPARTMENT_IDS,
    DEPT_SQUAD,
    MISSING_TARGET,
    ROLES,
    SQUADS_MET,
    SQUADS_MISSED,
    STATEMENT_LOWEST,
    STATEMENT_TIE,
    TOWNSHIP_CLASS,
    TOWNSHIP_IDS,
    UNIT_IDS,
    ZERO_TARGET,
)
from analytics.demo.midyear import check_day
from analytics.demo.state import DemoState
from analytics.metrics.county import county_actuals, exact_schedule, status_of
from analytics.metrics.units import evaluate_units, score_unit

Actuals = dict[str, dict[str, int]]
Targets = dict[str, dict[str, float]]


# The tables the county and unit metrics read (the others are not needed to fit the targets).
FIT_TABLES = ("industries", "squads", "units", "projects", "fund_arrivals", "leads", "targets", "trade")


def load(frames: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database holding the ``FIT_TABLES`` of ``frames`` (written by the
    importer's own writer)."""
    con = open_database(":memory:")
    needed = {name: frames[name] for name in FIT_TABLES}
    write_dataset(con, needed, actor="demo", source="演示数据拟合", allow_shrink=True)
    return con


def unit_actuals(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> Actuals:
    return {u["unit_id"]: dict(u["actuals"]) for u in evaluate_units(con, period, settings)}


def _nice(value: float) -> float:
    """Round a money target to two or three significant figures, the way a county writes them."""
    if value <= 0:
        return 0.0
    digits = 2 if value >= 1000 else 1
    mag = 10 ** (int(math.floor(math.log10(value))) - digits)
    return float(round(value / mag) * mag)


def _county_target(
    metric: str, actual: float, period: Period, red_gap: float, want: str, typical: float
) -> float:
    """A target that gives ``actual`` the wanted status (the engine's ``status_of``), or a typical one."""
    schedule = exact_schedule(period)
    f = float(schedule)
    if actual <= 0:
        return typical
    behind = max(f - red_gap / 2, 0.6 * f)
    goal = {
        "met": 1.12,
        "on_track": f + (1 - f) * 0.4,
        "behind": behind,
        "far_behind": (f - red_gap) * 0.6 if f > red_gap + 0.05 else behind,
    }[want]
    if goal <= 0:
        return typical
    if goal < 0.3 and actual / goal > 2 * typical:  # early in the year: keep the target sensible
        return _nice(2 * typical) if metric in MONEY_METRICS else float(max(1, round(2 * typical)))

    def status(target: float) -> str:
        return status_of(Fraction(actual) / Fraction(target), schedule, red_gap)

    if metric in MONEY_METRICS:
        target = _nice(actual / goal)
        return target if status(target) == want else float(actual / goal)
    best = None
    for target in range(1, int(actual / goal * 2) + 3):
        if status(target) == want and (
            best is None or abs(actual / target - goal) < abs(actual / best - goal)
        ):
            best = target
    return float(best if best is not None else max(1, round(actual / goal)))


def _score(actuals: dict[str, int], targets: dict[str, float], settings: dict[str, Any]) -> Fraction:
    return score_unit(actuals, targets, settings)[0] or Fraction(0)


def _tighten(actuals: dict[str, int], targets: dict[str, float]) -> None:
    """Raise the target of the unit's best-completed indicator by one."""
    m = max(UNIT_METRICS, key=lambda m: actuals[m] / targets[m] if targets.get(m, 0) > 0 else -1)
    targets[m] += 1


def _role_targets(rng: random.Random, actuals: Actuals, f: float, typical: Targets) -> Targets:
    targets: Targets = {}
    for u in UNIT_IDS:
        role = ROLES.get(u, "normal")
        targets[u] = {}
        for m in UNIT_METRICS:
            a = actuals[u][m]
            if role in ("leader", "strong"):
                goal = rng.uniform(1.2, 1.45) if role == "leader" else rng.uniform(1.0, 1.12)
                t = max(1, math.floor(a / goal)) if a > 0 else typical[u][m]
            else:
                span = {"normal": (0.8, 1.15), "weak": (0.4, 0.7), "snail": (0.2, 0.4)}[role]
                goal = min(f * rng.uniform(*span), 0.95)
                t = max(1, round(a / goal)) if a > 0 else typical[u][m]
                if a > 0 and a / t >= 1:
                    t = a + 1
            targets[u][m] = float(t)
    targets[ZERO_TARGET[0]][ZERO_TARGET[1]] = 0.0
    return targets


def _rank_townships(actuals: Actuals, targets: Targets, settings: dict[str, Any]) -> None:
    """The leader strictly first, the snail strictly last (and incomplete), in each class."""
    for cls in ("1", "2"):
        members = [u for u in TOWNSHIP_IDS if TOWNSHIP_CLASS[u] == cls]
        leader = next(u for u in members if ROLES.get(u) == "leader")
        snail = next(u for u in members if ROLES.get(u) == "snail")
        for _ in range(200):
            scores = {u: _score(actuals[u], targets[u], settings) for u in members}
            rival = next((u for u in members if u != leader and scores[u] >= scores[leader]), None)
            if rival is None:
                break
            _tighten(actuals[rival], targets[rival])
        for _ in range(200):
            scores = {u: _score(actuals[u], targets[u], settings) for u in members}
            floor = min(scores[u] for u in members if u != snail)
            if scores[snail] < floor or scores[snail] == 0 or floor == 0:
                break
            _tighten(actuals[snail], targets[snail])


def _statement_tie(at_check: Actuals, targets: Targets, settings: dict[str, Any]) -> None:
    """Equal targets for the tied pair; every other department behind half on the check day
    strictly above them (its easiest target lowered while needed)."""
    a, b = STATEMENT_TIE
    for m in UNIT_METRICS:
        targets[a][m] = targets[b][m] = max(targets[a][m], targets[b][m], 3.0)
    limit = _score(at_check[a], targets[a], settings)
    for u in DEPARTMENT_IDS:
        if u in STATEMENT_TIE or u in STATEMENT_LOWEST:
            continue
        for _ in range(50):
            score, _, completions = score_unit(at_check[u], targets[u], settings)
            behind_half = any(c < Fraction(1, 2) for c in completions.values())
            if score is None or not behind_half or score > limit:
                break
            easier = [m for m in completions if at_check[u][m] > 0 and targets[u][m] > 1]
            if not easier:
                break
            m = max(easier, key=lambda m: at_check[u][m] / targets[u][m])
            targets[u][m] -= 1


def _squad_targets(
    rng: random.Random, actuals: Actuals, met: tuple[str, ...], missed: tuple[str, ...]
) -> Targets:
    out: Targets = {}
    for squad in CHAIN_SQUADS:
        members = [u for u in DEPARTMENT_IDS if DEPT_SQUAD[u] == squad]
        total = {m: sum(actuals[u][m] for u in members) for m in SQUAD_METRICS}
        if squad in met:
            out[squad] = {
                m: float(max(1, math.floor(a / rng.uniform(1.0, 1.25)))) for m, a in total.items() if a > 0
            }
        elif squad in missed:
            out[squad] = {m: float(a + rng.randint(1, 3)) for m, a in total.items()}
    return out


def fit_targets(g: DemoState, frames: dict[str, pd.DataFrame]) -> list[dict]:
    """The targets table's rows for every year, fitted on ``frames`` through the metrics engine."""
    rng, year, settings = g.rng, g.year, effective_settings(None)
    con = load(frames)
    try:
        rows: list[dict] = []
        typical_county: dict[str, float] = {}
        typical_unit: Targets = {u: {} for u in UNIT_IDS}
        for y in range(g.first_year, year):
            period = Period(y, date(y, 12, 31))
            for m, a in county_actuals(con, period, settings).items():
                t = (
                    _nice(a * rng.uniform(0.85, 1.2))
                    if m in MONEY_METRICS
                    else float(max(1, round(a * rng.uniform(0.85, 1.2))))
                )
                typical_county[m] = t if t > 0 else 1.0
                rows.append({"year": y, "scope": "county", "metric": m, "value": typical_county[m]})
            units = unit_actuals(con, period, settings)
            for u in UNIT_IDS:
                for m in UNIT_METRICS:
                    typical_unit[u][m] = float(max(1, round(units[u][m] * rng.uniform(0.8, 1.3))))
                    rows.append({"year": y, "scope": u, "metric": m, "value": typical_unit[u][m]})
            squads = _squad_targets(rng, units, tuple(CHAIN_SQUADS[:3]), tuple(CHAIN_SQUADS[3:5]))
            rows += [
                {"year": y, "scope": s, "metric": m, "value": v}
                for s, t in squads.items()
                for m, v in t.items()
            ]
        period = Period(year, g.today)
        county = county_actuals(con, period, settings)
        for m in COUNTY_METRICS:
            want = COUNTY_DESIGN.get(m, "on_track")
            t = _county_target(m, county[m], period, settings["red_gap"], want, typical_county.get(m, 1.0))
            rows.append({"year": year, "scope": "county", "metric": m, "value": t})
        actuals = unit_actuals(con, period, settings)
        targets = _role_targets(rng, actuals, period.schedule, typical_unit)
        _rank_townships(actuals, targets, settings)
        if g.today >= check_day(year):
            _statement_tie(unit_actuals(con, Period(year, check_day(year)), settings), targets, settings)
        for u in UNIT_IDS:
            rows += [{"year": year, "scope": u, "metric": m, "value": targets[u][m]} for m in UNIT_METRICS]
        squads = _squad_targets(rng, actuals, SQUADS_MET, SQUADS_MISSED)
        rows += [
            {"year": year, "scope": s, "metric": m, "value": v}
            for s, t in squads.items()
            for m, v in t.items()
        ]
    finally:
        con.close()
    for r in rows:
        if (r["scope"], r["metric"]) == ZERO_TARGET:
            r["value"] = 0.0
    return [r for r in rows if (r["scope"], r["metric"]) != MISSING_TARGET]
