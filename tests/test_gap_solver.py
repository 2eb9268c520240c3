"""Gap solver on hand-made data: its count is the least that reaches the target under the engine's
own rule (k reaches it, k − 1 does not), unreachable targets say so, and candidates are ranked by the
stated readiness terms."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from analytics.core.period import Period
from analytics.metrics.concentration import concentration
from analytics.metrics.county import county_metrics
from analytics.metrics.landing import landing_rates
from analytics.metrics.report import build_report
from analytics.whatif.gap_solver import (
    concentration_needed,
    fewest_reaching,
    to_assumptions,
    unmet_targets,
)
from analytics.whatif.scenario import Scenario, apply_scenario
from tests.metrics_fixtures import (
    add_arrival,
    add_industry,
    add_problem,
    add_project,
    add_target,
    add_unit,
    fresh,
    settings,
)

PERIOD = Period(2026, date(2026, 6, 30))
ON = date(2026, 6, 30)


def _county() -> duckdb.DuckDBPyConnection:
    con = fresh()
    add_industry(con, "i1")
    add_industry(con, "k1", is_key=True)
    add_unit(con, "t01")
    add_unit(con, "t02")
    return con


def _gap(con: duckdb.DuckDBPyConnection, key: str, **overrides):
    gaps = {g.key: g for g in unmet_targets(con, PERIOD, settings(**overrides))}
    return gaps.get(key)


def _after(con: duckdb.DuckDBPyConnection, ids: list[str], kind: str) -> duckdb.DuckDBPyConnection:
    return apply_scenario(con, Scenario(events=to_assumptions(ids, kind, ON)))


def test_commencement_minimum_reaches_the_target_and_one_less_does_not() -> None:
    con = _county()
    # 2026 cohort: 7 projects, 3 commenced; target 0.8 → ceil(0.8 × 7 = 5.6) = 6 → 3 more needed
    for i in range(7):
        add_project(con, f"p{i}", f"2026-01-0{i + 1}", commenced="2026-03-01" if i < 3 else None)
    gap = _gap(con, "landing:2026:commencement")
    assert gap.needed == 3 and gap.reachable and len(gap.candidates) == 4
    ids = gap.candidates["project_id"].tolist()
    with_k = _after(con, ids[:3], "commenced")
    with_less = _after(con, ids[:2], "commenced")
    # 6/7 = 0.857 ≥ 0.8 met; 5/7 = 0.714 not met
    assert landing_rates(with_k, PERIOD, settings())[1]["commencement_met"] is True
    assert landing_rates(with_less, PERIOD, settings())[1]["commencement_met"] is False


def test_commencement_exactly_on_the_boundary_counts_as_met() -> None:
    con = _county()
    # 10 in base, 6 commenced, target 0.8 → 8 needed → 2 more; 8/10 is exactly 0.8 (met)
    for i in range(10):
        add_project(con, f"p{i}", f"2026-02-{i + 1:02d}", commenced="2026-04-01" if i < 6 else None)
    gap = _gap(con, "landing:2026:commencement")
    assert gap.needed == 2
    scratch = _after(con, gap.candidates["project_id"].tolist()[:2], "commenced")
    assert landing_rates(scratch, PERIOD, settings())[1]["commencement_met"] is True


def test_candidates_are_ranked_by_readiness_terms() -> None:
    con = _county()
    add_project(con, "a", "2026-01-05")  # nothing ready, oldest
    add_project(con, "b", "2026-03-01", in_stats="2026-04-01")  # in statistics → first
    add_project(con, "c", "2026-02-01", total=1000.0)
    add_arrival(con, "c", "2026-03-01", amount=500.0)  # 50% funds arrived → second
    add_project(con, "d", "2026-02-01", total=1000.0)
    add_arrival(con, "d", "2026-03-01", amount=500.0)  # also 50%, but an open problem → third
    add_problem(con, "q1", "d", "2026-03-05", "2026-04-01")
    add_project(con, "e", "2026-04-01")  # nothing ready, younger than a → last
    gap = _gap(con, "landing:2026:commencement")
    ranked = gap.candidates
    assert ranked["project_id"].tolist() == ["b", "c", "d", "a", "e"]
    row = ranked.set_index("project_id")
    assert bool(row.loc["b", "in_stats"]) and row.loc["c", "funds_share"] == pytest.approx(0.5)
    assert row.loc["d", "open_problems"] == 1 and row.loc["a", "days_since_signed"] == 176  # 01-05 → 06-30
    assert ranked["readiness_rank"].tolist() == [1, 2, 3, 4, 5]


def test_production_assumption_counts_and_is_minimal() -> None:
    con = _county()
    # 4 in base, 1 produced (and commenced), 1 commenced only; target 0.5 → 2 → 1 more
    add_project(con, "p1", "2026-01-02", commenced="2026-02-01", produced="2026-05-01")
    add_project(con, "p2", "2026-01-03", commenced="2026-02-01")
    add_project(con, "p3", "2026-01-04")
    add_project(con, "p4", "2026-01-05")
    gap = _gap(con, "landing:2026:production")
    assert gap.needed == 1
    assert gap.candidates["project_id"].tolist()[0] == "p2"  # already commenced first
    scratch = _after(con, ["p2"], "produced")
    assert landing_rates(scratch, PERIOD, settings())[1]["production_met"] is True
    assert landing_rates(con, PERIOD, settings())[1]["production_met"] is False


def test_in_stats_count_target_unreachable_when_too_few_candidates() -> None:
    con = _county()
    add_project(con, "big1", "2026-01-10", total=12000.0, in_stats="2026-02-01")
    add_project(con, "big2", "2026-01-10", total=15000.0)  # the only ≥ 1 亿 candidate
    add_project(con, "small", "2026-01-10", total=800.0)
    add_target(con, 2026, "county", "in_stats_projects_100m", 3)
    gap = _gap(con, "county:in_stats_projects_100m")
    # actual 1, target 3 → 2 more; only one candidate passes "≥ 10000" → cannot be reached
    assert gap.needed == 2 and not gap.reachable and gap.minimum_candidates is None
    assert gap.candidates["project_id"].tolist() == ["big2"]


def test_in_stats_investment_needs_the_fewest_projects() -> None:
    con = _county()
    add_project(con, "done", "2026-01-10", total=4000.0, in_stats="2026-02-01")
    for pid, total in (("x", 5000.0), ("y", 3000.0), ("z", 2000.0)):
        add_project(con, pid, "2026-01-10", total=total)
    add_target(con, 2026, "county", "in_stats_investment_wan", 10000)
    gap = _gap(con, "county:in_stats_investment_wan")
    # shortfall 10000 − 4000 = 6000; no single project reaches it (max 5000); x + y = 8000 does → 2
    assert gap.needed == pytest.approx(6000.0) and gap.minimum_candidates == 2
    chosen = gap.candidates["project_id"].tolist()[:2]
    assert chosen == ["x", "y"]
    scratch = _after(con, chosen, "in_stats")
    entry = {e["metric"]: e for e in county_metrics(scratch, PERIOD, settings())}["in_stats_investment_wan"]
    assert entry["status"] == "met"
    for single in ("x", "y", "z"):
        one = _after(con, [single], "in_stats")
        assert {e["metric"]: e for e in county_metrics(one, PERIOD, settings())}["in_stats_investment_wan"][
            "status"
        ] != "met"
    assert fewest_reaching([5000.0, 3000.0, 2000.0], 10001.0) is None  # all 10000 fall short


def test_concentration_count_minimum_checked_by_the_engine() -> None:
    con = _county()
    add_project(con, "k", "2026-01-10", industry="k1")
    for i in range(3):
        add_project(con, f"n{i}", "2026-01-10", industry="i1")
    gap = _gap(con, "concentration", concentration_basis="count")
    # (1 + k) / (4 + k) ≥ 0.5 → k ≥ 2
    assert gap.needed == 2 and gap.unit_zh == "个"
    for extra, met in ((1, False), (2, True)):
        trial = _county()
        add_project(trial, "k", "2026-01-10", industry="k1")
        for i in range(3):
            add_project(trial, f"n{i}", "2026-01-10", industry="i1")
        for j in range(extra):
            add_project(trial, f"new{j}", "2026-05-01", industry="k1")
        assert concentration(trial, PERIOD, settings(concentration_basis="count"))["met"] is met


def test_concentration_by_investment_and_an_unreachable_target() -> None:
    # K = 1000 of T = 4000, target 0.5: x ≥ (0.5 × 4000 − 1000) / 0.5 = 2000 万元
    assert concentration_needed(1000.0, 4000.0, 0.5, integer=False) == pytest.approx(2000.0)
    assert concentration_needed(1000.0, 4000.0, 1.0, integer=False) is None
    assert concentration_needed(3000.0, 4000.0, 0.5, integer=True) == 0


def test_unit_gap_offers_its_own_projects() -> None:
    con = _county()
    add_project(con, "m1", "2026-01-10", unit="t01")
    add_project(con, "m2", "2026-01-11", unit="t01")
    add_project(con, "o1", "2026-01-12", unit="t02")
    add_target(con, 2026, "t01", "in_stats_projects", 2)
    gap = _gap(con, "unit:t01:in_stats_projects")
    assert gap.needed == 2 and gap.candidates["project_id"].tolist() == ["m1", "m2"]
    scratch = _after(con, ["m1", "m2"], "in_stats")
    unit = next(u for u in build_report(scratch, PERIOD, settings())["units"] if u["unit_id"] == "t01")
    assert unit["completed"] is True
