"""Gap solver (缺口测算): for each unmet target, the fewest further events that reach it by a date,
and the records nearest to supplying them.

The rules stay with their owners: "met" of a landing rate is ``analytics.landing`` (rate ≥ target,
exact), a county status is ``analytics.county`` (completion ≥ 1, exact), concentration is
``analytics.concentration``. The solver works on the report of ``period`` (``as_of`` = the date by
which the events must happen) and finds the least count ``k`` for which the same rule says "met":

* landing (METRICS.md §1): ``k = ceil(target × base) − done`` (``landing.needed``); reachable only
  when there are at least ``k`` candidates (base projects not yet commenced / produced).
* county counts (§3): ``k = ceil(target) − actual``; for the 入统 counts the candidates are active
  signed projects not yet in the statistics that pass the metric's filter.
* 入统项目投资总额: the fewest projects whose investment reaches the shortfall — the largest first,
  which is the minimum possible count.
* concentration (§2): key-industry signings (count basis) or key-industry investment in 万元
  (investment basis) still needed; no existing record can supply it.
* units (§4): for each township/department not completed, ``ceil(target) − actual`` per included
  indicator; for 项目入统 the candidates are its own projects not yet in the statistics.

Commencement candidates are ranked by readiness, in this order, each term shown on screen: already
in the statistics first, then the larger share of funds arrived, then fewer open problems, then the
longer since signing, then project_id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.core.schema import COUNTY_METRICS, UNIT_METRICS
from analytics.core.settings import effective_settings
from analytics.metrics import views
from analytics.metrics.concentration import industry_shares
from analytics.metrics.county import RULES_BY_METRIC
from analytics.metrics.landing import BASE_SQL, laggards, landing_params, needed
from analytics.metrics.report import build_report
from analytics.metrics.supervision import problem_open
from analytics.whatif.scenario import AssumedEvent, Scenario, apply_scenario, scenario_settings

METHOD_TEXT = (
    "对每项未达标的目标,按与考核相同的规则求“至少还需多少”:9865 开工率/投产率为 ⌈目标 × 基数⌉ − 已完成;"
    "全县个数类目标为 ⌈目标⌉ − 已完成;入统项目投资总额按总投资从大到小取最少的项目数;集聚度为还需新增的"
    "重点产业项目数(按项目数)或投资额(按投资额);乡镇与部门为各项指标 ⌈目标⌉ − 已完成。候选项目不足时标明"
    "“现有记录不足”。所需个数已在测试中核对:恰好这么多能达标,少一个则不能。"
)
READINESS_ORDER = "已入统优先 → 资金到位比例高优先 → 未解决问题少优先 → 签约早优先"


@dataclass
class Gap:
    """One unmet target: what is missing, the least number of events, and the nearest candidates."""

    key: str
    label: str
    actual: float | None
    target: float | None
    needed: float | None  # the minimum further events (count) or amount (unit_zh says which)
    unit_zh: str
    reachable: bool
    event_kind: str | None = None  # commenced / produced / in_stats: what a candidate would do
    candidates: pd.DataFrame = field(default_factory=pd.DataFrame)
    minimum_candidates: int | None = None  # how many of the ranked candidates reach the target
    note: str = ""


# ---------------------------------------------------------------------------------------------
# readiness of projects
# ---------------------------------------------------------------------------------------------

_READINESS_SQL = f"""
SELECT p.project_id,
       coalesce(p.in_stats_date <= $as_of, false) AS in_stats,
       coalesce((SELECT sum(a.amount_wan) FROM fund_arrivals AS a
                 WHERE a.project_id = p.project_id AND a.date <= $as_of), 0) AS funds_arrived_wan,
       (SELECT count(*) FROM problems AS q
        WHERE q.project_id = p.project_id AND q.raised_on <= $as_of
          AND {problem_open("q")}) AS open_problems
FROM projects AS p
"""


def _with_readiness(con: duckdb.DuckDBPyConnection, period: Period, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with project_id, total_investment_wan, signed_date) plus the readiness terms, ranked."""
    if frame.empty:
        return frame.assign(in_stats=[], funds_arrived_wan=[], funds_share=[], open_problems=[])
    terms = views.fetch_df(con, _READINESS_SQL, views.bind(period))
    ranked = frame.merge(terms, on="project_id", how="left")
    ranked["funds_share"] = ranked["funds_arrived_wan"].astype(float) / ranked["total_investment_wan"].astype(
        float
    )
    if "days_since_signed" not in ranked:
        ranked["days_since_signed"] = [
            (period.as_of - pd.Timestamp(s).date()).days for s in ranked["signed_date"]
        ]
    ranked = ranked.sort_values(
        ["in_stats", "funds_share", "open_problems", "days_since_signed", "project_id"],
        ascending=[False, False, True, False, True],
        kind="mergesort",
    ).reset_index(drop=True)
    ranked.insert(0, "readiness_rank", range(1, len(ranked) + 1))
    return ranked


def commencement_candidates(con: duckdb.DuckDBPyConnection, period: Period, cohort: int) -> pd.DataFrame:
    """Signed, active, not-commenced projects of ``cohort``'s base (``landing.laggards``), ranked by readiness."""
    return _with_readiness(con, period, laggards(con, period, cohort))


def production_candidates(con: duckdb.DuckDBPyConnection, period: Period, cohort: int) -> pd.DataFrame:
    """Projects of ``cohort``'s base not produced by D: commenced ones first (longest since commencing),
    then the not-yet-commenced ranked by readiness (an assumed production also means commenced)."""
    frame = views.fetch_df(
        con,
        f"""
        SELECT b.project_id, b.name AS project_name, b.company, b.cohort, b.signed_date, b.commenced_date,
               b.is_commenced, date_diff('day', b.signed_date, $as_of) AS days_since_signed,
               CASE WHEN b.is_commenced THEN date_diff('day', b.commenced_date, $as_of) END
                   AS days_since_commenced,
               b.introducing_unit_id AS unit_id, u.name AS unit_name, b.total_investment_wan
        FROM ({BASE_SQL}) AS b LEFT JOIN units AS u ON u.unit_id = b.introducing_unit_id
        WHERE NOT b.is_produced AND b.cohort = $cohort
        """,
        landing_params(period) | {"cohort": cohort},
    )
    ranked = _with_readiness(con, period, frame)
    if ranked.empty:
        return ranked
    ranked = ranked.sort_values(
        ["is_commenced", "days_since_commenced", "readiness_rank"],
        ascending=[False, False, True],
        kind="mergesort",
    ).reset_index(drop=True)
    ranked["readiness_rank"] = range(1, len(ranked) + 1)
    return ranked


def in_stats_candidates(
    con: duckdb.DuckDBPyConnection, period: Period, *, where: str | None = None, unit_id: str | None = None
) -> pd.DataFrame:
    """Active projects signed by D and not in the statistics by D (optionally passing a county rule's
    filter ``where``, taken only from ``county.RULES_BY_METRIC``, or introduced by ``unit_id``)."""
    condition = f"AND ({where})" if where else ""
    frame = views.fetch_df(
        con,
        f"""
        SELECT p.project_id, p.name AS project_name, p.company, p.signed_date,
               date_diff('day', p.signed_date, $as_of) AS days_since_signed,
               p.introducing_unit_id AS unit_id, u.name AS unit_name, p.total_investment_wan
        FROM projects AS p LEFT JOIN units AS u ON u.unit_id = p.introducing_unit_id
        WHERE p.signed_date <= $as_of AND {views.ACTIVE}
          AND (p.in_stats_date IS NULL OR p.in_stats_date > $as_of)
          AND ($unit_id IS NULL OR p.introducing_unit_id = $unit_id)
          {condition}
        """,
        views.bind(period, unit_id=unit_id),
    )
    return _with_readiness(con, period, frame)


# ---------------------------------------------------------------------------------------------
# minimum counts
# ---------------------------------------------------------------------------------------------


def count_needed(target: float, actual: float) -> int:
    """Least further events for a count to reach ``target`` (completion ≥ 1): ceil(target) − actual."""
    return max(0, math.ceil(views.exact(target)) - int(actual))


def fewest_reaching(amounts: list[float], shortfall: float) -> int | None:
    """The fewest of ``amounts`` whose sum reaches ``shortfall`` (largest first; None if all fall short)."""
    if shortfall <= 0:
        return 0
    total = Fraction(0)
    for k, amount in enumerate(sorted((views.exact(a) for a in amounts), reverse=True), start=1):
        total += amount
        if total >= views.exact(shortfall):
            return k
    return None


def concentration_needed(
    key_value: float, total_value: float, target: float, *, integer: bool
) -> float | None:
    """Least key-industry addition x with (K + x) / (T + x) ≥ target: x ≥ (tT − K) / (1 − t).

    ``integer`` rounds up to whole projects (count basis). None when the target is 1 or more and
    something non-key is in S (never reachable by adding).
    """
    t, key, total = views.exact(target), views.exact(key_value), views.exact(total_value)
    if total and key / total >= t:
        return 0
    if t >= 1:
        return None
    x = (t * total - key) / (1 - t)
    return math.ceil(x) if integer else float(x)


# ---------------------------------------------------------------------------------------------
# every unmet target
# ---------------------------------------------------------------------------------------------


def unmet_targets(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    report: dict[str, Any] | None = None,
) -> list[Gap]:
    """Every unmet target of ``period`` with its minimum further events and ranked candidates."""
    if report is None:
        report = build_report(con, period, settings)
    gaps: list[Gap] = []
    for entry in report["landing"]:
        gaps.extend(_landing_gaps(con, period, entry))
    gap = _concentration_gap(con, period, report["concentration"])
    if gap:
        gaps.append(gap)
    for entry in report["county"]:
        gap = _county_gap(con, period, entry)
        if gap:
            gaps.append(gap)
    names = {r[0]: r[1] for r in con.execute("SELECT unit_id, name FROM units").fetchall()}
    for entry in report["units"]:
        gaps.extend(_unit_gaps(con, period, entry, names.get(entry["unit_id"], entry["unit_id"])))
    return gaps


def _landing_gaps(con: duckdb.DuckDBPyConnection, period: Period, entry: dict[str, Any]) -> list[Gap]:
    gaps = []
    cohort, base = entry["cohort"], entry["base"]
    for kind, zh, event in (("commencement", "开工率", "commenced"), ("production", "投产率", "produced")):
        if entry[f"{kind}_met"] is not False:
            continue
        done = entry["commenced" if kind == "commencement" else "produced"]
        k = needed(entry[f"{kind}_target"], base, done)
        candidates = (
            commencement_candidates(con, period, cohort)
            if kind == "commencement"
            else production_candidates(con, period, cohort)
        )
        reachable = k <= len(candidates)
        gaps.append(
            Gap(
                key=f"landing:{cohort}:{kind}",
                label=f"{cohort} 年签约项目{zh}",
                actual=entry[f"{kind}_rate"],
                target=entry[f"{kind}_target"],
                needed=k,
                unit_zh="个",
                reachable=reachable,
                event_kind=event,
                candidates=candidates,
                minimum_candidates=k if reachable else None,
                note=(
                    f"基数 {base} 个,已{'开工' if event == 'commenced' else '投产'} {done} 个,"
                    f"还需 {k} 个"
                    + ("" if reachable else f";但仅有 {len(candidates)} 个候选项目,截至该日无法达标")
                ),
            )
        )
    return gaps


def _concentration_gap(con: duckdb.DuckDBPyConnection, period: Period, entry: dict[str, Any]) -> Gap | None:
    if entry["met"] is not False:
        return None

    shares = industry_shares(con, period)
    key_rows = shares[shares["is_key"].astype(bool)]
    if entry["basis"] == "count":
        value = concentration_needed(
            int(key_rows["projects"].sum()), int(shares["projects"].sum()), entry["target"], integer=True
        )
        unit, what = "个", "重点产业新签约项目"
    else:
        value = concentration_needed(
            float(key_rows["investment_wan"].sum()),
            float(shares["investment_wan"].sum()),
            entry["target"],
            integer=False,
        )
        unit, what = "万元", "重点产业新签约投资"
    return Gap(
        key="concentration",
        label="重点产业集聚度",
        actual=entry["headline"],
        target=entry["target"],
        needed=value,
        unit_zh=unit,
        reachable=value is not None,
        note=f"还需新增{what}(不新增非重点产业项目的前提下);现有记录无法补足,需新签约",
    )


def _county_gap(con: duckdb.DuckDBPyConnection, period: Period, entry: dict[str, Any]) -> Gap | None:
    metric, target = entry["metric"], entry["target"]
    if not target or entry["status"] == "met":
        return None
    rule = RULES_BY_METRIC[metric]
    actual = entry["actual"]
    label = COUNTY_METRICS[metric]
    if rule.relation == "in_stats" and not rule.is_money:
        k = count_needed(target, actual)
        candidates = in_stats_candidates(con, period, where=rule.where)
        return Gap(
            key=f"county:{metric}",
            label=label,
            actual=actual,
            target=target,
            needed=k,
            unit_zh="个",
            reachable=k <= len(candidates),
            event_kind="in_stats",
            candidates=candidates,
            minimum_candidates=k if k <= len(candidates) else None,
            note=f"已完成 {actual} 个,目标 {views.number(target)} 个,还需入统 {k} 个",
        )
    if metric == "in_stats_investment_wan":
        shortfall = float(views.exact(target) - views.exact(actual))
        candidates = in_stats_candidates(con, period)
        k = fewest_reaching(candidates["total_investment_wan"].tolist(), shortfall)
        if not candidates.empty:
            candidates = candidates.sort_values(
                ["total_investment_wan", "readiness_rank"], ascending=[False, True], kind="mergesort"
            ).reset_index(drop=True)
        return Gap(
            key=f"county:{metric}",
            label=label,
            actual=actual,
            target=target,
            needed=shortfall,
            unit_zh="万元",
            reachable=k is not None,
            event_kind="in_stats",
            candidates=candidates,
            minimum_candidates=k,
            note=(
                f"还差 {shortfall:,.2f} 万元;按总投资从大到小,至少需 {k} 个项目入统"
                if k is not None
                else f"还差 {shortfall:,.2f} 万元;全部未入统项目合计也不足"
            ),
        )
    if rule.is_money:
        shortfall = float(views.exact(target) - views.exact(actual))
        return Gap(
            key=f"county:{metric}",
            label=label,
            actual=actual,
            target=target,
            needed=shortfall,
            unit_zh=rule.unit_zh,
            reachable=True,
            note=f"还差 {shortfall:,.2f} {rule.unit_zh};可在“资金到位”假设中补录",
        )
    k = count_needed(target, actual)
    return Gap(
        key=f"county:{metric}",
        label=label,
        actual=actual,
        target=target,
        needed=k,
        unit_zh="个",
        reachable=True,
        note=f"已完成 {actual} 个,目标 {views.number(target)} 个,还需新签约 {k} 个(现有记录无法补足)",
    )


def _unit_gaps(con: duckdb.DuckDBPyConnection, period: Period, entry: dict[str, Any], name: str) -> list[Gap]:
    if entry.get("score") is None or entry.get("completed"):
        return []
    gaps = []
    for metric, target in entry["targets"].items():
        if not target:
            continue
        actual = entry["actuals"].get(metric, 0)
        k = count_needed(target, actual)
        if k == 0:
            continue
        candidates = pd.DataFrame()
        reachable = True
        if metric == "in_stats_projects":
            candidates = in_stats_candidates(con, period, unit_id=entry["unit_id"])
            reachable = k <= len(candidates)
        gaps.append(
            Gap(
                key=f"unit:{entry['unit_id']}:{metric}",
                label=f"{name} {UNIT_METRICS[metric]}",
                actual=actual,
                target=target,
                needed=k,
                unit_zh="个",
                reachable=reachable,
                event_kind="in_stats" if metric == "in_stats_projects" else None,
                candidates=candidates,
                minimum_candidates=k if (metric == "in_stats_projects" and reachable) else None,
                note=f"完成 {actual} 个,目标 {views.number(target)} 个,还需 {k} 个",
            )
        )
    return gaps


def to_assumptions(project_ids: list[str], kind: str, on: date) -> list[AssumedEvent]:
    """Chosen candidates as scenario assumptions: each project ``kind`` (commenced / produced /
    in_stats) on ``on``."""
    return [AssumedEvent(kind=kind, record_id=str(p), on=on) for p in project_ids]


def unmet_targets_json(
    con: duckdb.DuckDBPyConnection, period: Period, base_overrides_json: str, scenario_json: str
) -> list[Gap]:
    """``unmet_targets`` on the scenario (its scratch copy and settings), so assumptions already made
    count; for the page's cache (JSON arguments)."""
    import json

    scenario = Scenario.from_json(scenario_json)
    settings = scenario_settings(effective_settings(con, json.loads(base_overrides_json or "{}")), scenario)
    scratch = apply_scenario(con, scenario)
    try:
        return unmet_targets(scratch, period, settings)
    finally:
        scratch.close()
