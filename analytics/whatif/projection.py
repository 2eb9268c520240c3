"""Year-end projection of the "9865" rates (年末预测) from the county's own signing → commencement →
production lags.

Method (also shown on screen as ``METHOD_TEXT``):

1. Kaplan–Meier estimates over every project signed by ``D``: ``S(t)`` = the probability that a
   project has not commenced ``t`` days after signing, and ``G(u)`` = the probability that a commenced
   project has not produced ``u`` days after commencing. A project that has not commenced by ``D`` is
   censored at ``D`` (or at its write-off date, if written off by then); likewise for production.
2. For each project of a cohort's base (METRICS.md §1, ``landing.BASE_SQL``) not yet commenced by
   ``D``, signed ``a`` days before ``D``, with ``h`` days left to ``Y-12-31``:
   ``p = 1 − S(a + h) / S(a)`` (conditional on not having commenced by ``D``).
   For production: a project commenced ``b`` days before ``D`` produces with ``1 − G(b + h) / G(b)``;
   one not yet commenced must commence on some day ``t`` in ``(a, a + h]`` and produce within the
   rest: ``Σ_t [S(t−) − S(t)] / S(a) × (1 − G(a + h − t))``.
3. Expected year-end rate = (done by ``D`` + Σ p) / base. The range is the 10%–90% interval of the
   number of further events, whose exact distribution is the Poisson-binomial of the ``p`` (projects
   independent); ``probability_met`` = P(rate ≥ target) under that distribution.

Stated limits: base stays as at ``D`` (no later signings or write-offs), the lag distributions are
taken as known (the range does not include their estimation error), and beyond the longest lag
observed ``S`` stays flat.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.metrics import views
from analytics.metrics.landing import BASE_SQL, cohort_targets, landing_params
from analytics.whatif.scenario import Scenario, apply_scenario, scenario_settings

LOW_QUANTILE, HIGH_QUANTILE = 0.10, 0.90
METHOD_TEXT = (
    "用本县历史项目的“签约→开工”“开工→投产”间隔,以 Kaplan–Meier 方法估计(截至日期尚未开工/投产的项目"
    "作删失处理,已核销项目在核销日删失);对每个尚未开工(投产)的项目,计算其在截至日期仍未开工的条件下"
    "于年底前开工(投产)的概率 p;预计完成率 =(已完成 + Σp)÷ 基数;区间为各项目独立时完成个数"
    "(泊松二项分布)的 10%–90% 分位。假定截至日期后不再新增签约或核销;区间不含间隔分布本身的估计误差。"
)


# ---------------------------------------------------------------------------------------------
# Kaplan–Meier
# ---------------------------------------------------------------------------------------------


class Survival:
    """A Kaplan–Meier survival curve on whole days: ``S(t)`` = P(event later than ``t`` days)."""

    def __init__(self, durations: np.ndarray, events: np.ndarray) -> None:
        durations = np.asarray(durations, dtype=float)
        events = np.asarray(events, dtype=bool)
        times = np.unique(durations[events])
        at_risk = np.array([(durations >= t).sum() for t in times], dtype=float)
        happened = np.array([(durations[events] == t).sum() for t in times], dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            factors = np.where(at_risk > 0, 1.0 - happened / at_risk, 1.0)
        self.times = times
        self.values = np.cumprod(factors) if len(factors) else np.array([])
        self.observations = int(len(durations))
        self.events = int(events.sum())

    def __call__(self, t: float | np.ndarray) -> np.ndarray:
        """``S(t)``: 1 before the first event time, flat after the last one."""
        t = np.asarray(t, dtype=float)
        index = np.searchsorted(self.times, t, side="right") - 1
        padded = np.concatenate([[1.0], self.values])
        return padded[index + 1]

    def conditional(self, age: np.ndarray, horizon: float) -> np.ndarray:
        """P(event within ``horizon`` more days | no event by ``age``); 0 where ``S(age)`` is 0."""
        now, later = self(age), self(np.asarray(age, dtype=float) + horizon)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(now > 0, 1.0 - later / now, 0.0)

    def jumps_between(self, start: float, end: float) -> tuple[np.ndarray, np.ndarray]:
        """Event times in ``(start, end]`` and the probability mass ``S(t−) − S(t)`` at each."""
        mask = (self.times > start) & (self.times <= end)
        before = np.concatenate([[1.0], self.values[:-1]]) if len(self.values) else np.array([])
        return self.times[mask], (before - self.values)[mask]


def _lag_frames(con: duckdb.DuckDBPyConnection, period: Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(signing→commencement, commencement→production) durations in days with event flags."""
    params = views.bind(period)
    commencement = views.fetch_df(
        con,
        """
        SELECT date_diff('day', signed_date,
                   CASE WHEN commenced_date <= $as_of THEN commenced_date
                        WHEN written_off_date <= $as_of THEN written_off_date ELSE $as_of END) AS days,
               coalesce(commenced_date <= $as_of, false) AS event
        FROM projects WHERE signed_date <= $as_of
        """,
        params,
    )
    production = views.fetch_df(
        con,
        """
        SELECT date_diff('day', commenced_date,
                   CASE WHEN production_date <= $as_of THEN production_date
                        WHEN written_off_date <= $as_of THEN greatest(written_off_date, commenced_date)
                        ELSE $as_of END) AS days,
               coalesce(production_date <= $as_of, false) AS event
        FROM projects WHERE commenced_date <= $as_of
        """,
        params,
    )
    return commencement, production


def lag_curves(con: duckdb.DuckDBPyConnection, period: Period) -> tuple[Survival, Survival]:
    """Kaplan–Meier curves of the two lags, from every project signed by ``D``."""
    commencement, production = _lag_frames(con, period)
    return (
        Survival(commencement["days"].to_numpy(), commencement["event"].to_numpy()),
        Survival(production["days"].to_numpy(), production["event"].to_numpy()),
    )


# ---------------------------------------------------------------------------------------------
# Poisson-binomial
# ---------------------------------------------------------------------------------------------


def poisson_binomial(probabilities: np.ndarray) -> np.ndarray:
    """Exact distribution of the number of successes of independent events: ``pmf[k]``."""
    pmf = np.zeros(len(probabilities) + 1)
    pmf[0] = 1.0
    for n, p in enumerate(np.clip(probabilities, 0.0, 1.0), start=1):
        pmf[1 : n + 1] = pmf[1 : n + 1] * (1 - p) + pmf[0:n] * p
        pmf[0] *= 1 - p
    return pmf


def quantile(pmf: np.ndarray, q: float) -> int:
    """Smallest ``k`` with P(X ≤ k) ≥ q."""
    cdf = np.cumsum(pmf)
    return int(np.searchsorted(cdf, q - 1e-12))


# ---------------------------------------------------------------------------------------------
# the projection
# ---------------------------------------------------------------------------------------------


def project_probabilities(
    con: duckdb.DuckDBPyConnection, period: Period
) -> tuple[pd.DataFrame, Survival, Survival]:
    """Every project of both cohorts' base with its probability of commencing and of producing by
    ``Y-12-31`` (1 when it already has by ``D``), and the two lag curves."""
    start, production_curve = lag_curves(con, period)
    base = views.fetch_df(
        con,
        f"""
        SELECT project_id, name AS project_name, cohort, signed_date, commenced_date, is_commenced, is_produced,
               date_diff('day', signed_date, $as_of) AS age_days,
               CASE WHEN is_commenced THEN date_diff('day', commenced_date, $as_of) END AS commenced_days
        FROM ({BASE_SQL}) ORDER BY cohort, project_id
        """,
        landing_params(period),
    )
    horizon = max(0, (date(period.year, 12, 31) - period.as_of).days)
    if base.empty:
        return base.assign(p_commence=[], p_produce=[]), start, production_curve
    ages = base["age_days"].to_numpy(dtype=float)
    commenced = base["is_commenced"].to_numpy(dtype=bool)
    produced = base["is_produced"].to_numpy(dtype=bool)
    p_commence = np.where(commenced, 1.0, start.conditional(ages, horizon))
    p_produce = np.zeros(len(base))
    for i in range(len(base)):
        if produced[i]:
            p_produce[i] = 1.0
        elif commenced[i]:
            p_produce[i] = production_curve.conditional(
                np.array([float(base["commenced_days"].iloc[i])]), horizon
            )[0]
        elif horizon > 0:
            alive = float(start(ages[i]))
            if alive > 0:
                times, masses = start.jumps_between(ages[i], ages[i] + horizon)
                p_produce[i] = float(
                    np.sum(masses / alive * (1.0 - production_curve(ages[i] + horizon - times)))
                )
    return base.assign(p_commence=p_commence, p_produce=p_produce), start, production_curve


def year_end_projection(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> list[dict]:
    """Per cohort (Y-1, Y) and kind (commencement, production): rate now, expected year-end rate,
    its 10%–90% range, the target and the probability of meeting it. See the module docstring."""
    frame, start, production_curve = project_probabilities(con, period)
    out = []
    for cohort, (commencement_target, production_target) in cohort_targets(period, settings).items():
        rows = frame[frame["cohort"] == cohort] if not frame.empty else frame
        base = len(rows)
        for kind, zh, done_col, p_col, target, curve in (
            ("commencement", "开工率", "is_commenced", "p_commence", commencement_target, start),
            ("production", "投产率", "is_produced", "p_produce", production_target, production_curve),
        ):
            entry: dict[str, Any] = {
                "cohort": cohort,
                "kind": kind,
                "indicator": f"{cohort} 年签约项目{zh}",
                "base": base,
                "target": target,
                "done": 0,
                "rate_now": None,
                "expected": None,
                "expected_rate": None,
                "low_rate": None,
                "high_rate": None,
                "probability_met": None,
                "history_projects": curve.observations,
                "history_events": curve.events,
            }
            if base:
                done = int(rows[done_col].sum())
                pending = rows.loc[~rows[done_col].astype(bool), p_col].to_numpy(dtype=float)
                pmf = poisson_binomial(pending)
                needed_total = math.ceil(views.exact(target) * base)
                extra = max(0, needed_total - done)
                entry |= {
                    "done": done,
                    "rate_now": done / base,
                    "expected": done + float(pending.sum()),
                    "expected_rate": (done + float(pending.sum())) / base,
                    "low_rate": (done + quantile(pmf, LOW_QUANTILE)) / base,
                    "high_rate": (done + quantile(pmf, HIGH_QUANTILE)) / base,
                    "probability_met": float(pmf[extra:].sum()) if extra < len(pmf) else 0.0,
                }
            out.append(entry)
    return out


def projection_table(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """``year_end_projection`` as a DataFrame (for the page's cache and Excel download)."""
    return pd.DataFrame(year_end_projection(con, period, settings))


def projection_json(
    con: duckdb.DuckDBPyConnection, period: Period, base_overrides_json: str, scenario_json: str
) -> pd.DataFrame:
    """``projection_table`` under a scenario (its assumptions and landing targets), JSON arguments."""
    import json

    scenario = Scenario.from_json(scenario_json)
    settings = scenario_settings(effective_settings(con, json.loads(base_overrides_json or "{}")), scenario)
    scratch = apply_scenario(con, scenario)
    try:
        return projection_table(scratch, period, settings)
    finally:
        scratch.close()
