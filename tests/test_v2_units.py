"""METRICS.md v2 §4 golden tests: the order key, shared ranks, awards and sanctions at ties, the
mid-year verdict of the check day and ``behind_schedule``. Every figure is worked out by hand."""

from __future__ import annotations

import itertools

from metrics_fixtures import (
    add_department,
    add_industry,
    add_lead,
    add_project,
    add_unit,
    add_unit_targets,
    fresh,
    period,
    settings,
)

from analytics.metrics.units import unit_results

_ids = itertools.count()


def _db():
    con = fresh()
    add_industry(con, "i1")
    return con


def _give(
    con, unit: str, signed: int = 0, in_stats: int = 0, total: float = 1000.0, on: str = "2021-02-01"
) -> None:
    """``signed`` projects signed on ``on`` (each ``total`` 万元), ``in_stats`` old projects in the statistics."""
    for _ in range(signed):
        add_project(con, f"s{next(_ids)}", on, unit=unit, total=total)
    for _ in range(in_stats):
        add_project(con, f"i{next(_ids)}", "2020-02-01", unit=unit, in_stats="2021-03-01")


def _by_id(con, as_of: str = "2021-07-20", **overrides) -> dict[str, dict]:
    return {r["unit_id"]: r for r in unit_results(con, period(2021, as_of), settings(**overrides))}


def test_ranks_are_shared_1_2_2_4() -> None:
    """METRICS.md §4 Ranking (v2): "rank = 1 + the number of units of the group with a higher key
    (so units equal on the whole key share a rank: 1, 2, 2, 4), and tied = another unit of the group
    shares its rank"."""
    con = _db()
    for unit in ("t01", "t02", "t03", "t04"):
        add_unit(con, unit, township_class="1")
        add_unit_targets(con, 2021, unit, 4, None, None)
    _give(con, "t01", signed=4)  # 100 × 4/4 = 100
    _give(con, "t03", signed=2)  # 50, c = 1/2, 2 × 1000 = 2000 万元
    _give(con, "t02", signed=2)  # 50, c = 1/2, 2000 万元: equal to t03 on the whole key
    _give(con, "t04", signed=1)  # 25
    results = unit_results(con, period(2021, "2021-07-20"), settings())
    # t04: three units have a higher key → 1 + 3 = 4; t02 and t03: one higher (t01) → 2
    assert [(r["unit_id"], r["rank"], r["tied"]) for r in results] == [
        ("t01", 1, False),
        ("t02", 2, True),
        ("t03", 2, True),
        ("t04", 4, False),
    ]


def test_signed_investment_decides_before_any_id() -> None:
    """METRICS.md §4 Ranking (v2): "then signed_investment_wan = Σ total_investment_wan of its
    projects in S" — "No id ever decides a rank"."""
    con = _db()
    for unit in ("t02", "t09"):
        add_unit(con, unit, township_class="1")
        add_unit_targets(con, 2021, unit, 4, None, None)
    _give(con, "t02", signed=2, total=1000)  # 50, c = 1/2, 2000 万元
    _give(con, "t09", signed=2, total=1500)  # 50, c = 1/2, 3000 万元: ahead despite its later id
    results = _by_id(con)
    assert (results["t09"]["rank"], results["t02"]["rank"]) == (1, 2)
    assert results["t09"]["signed_investment_wan"] == 3000.0 and not results["t09"]["tied"]


def test_tie_breakers_are_uncapped_completions_and_not_included_is_lowest() -> None:
    """METRICS.md §4 Ranking (v2): "then c_i of each indicator in tie_breakers (uncapped; an
    indicator not included counts as lowest)"."""
    con = _db()
    for unit in ("t01", "t02", "t03", "t04"):
        add_unit(con, unit, township_class="1")
    # t01: c = (4/2 = 2 → 1.5 in the score, 0/2): 100 × 0.4 × 1.5 / 0.8 = 75; 4 × 1000 = 4000 万元
    add_unit_targets(con, 2021, "t01", 2, 2, None)
    _give(con, "t01", signed=4)
    # t02: c = (3/2 = 1.5, 0/2): 75 as well; 3 × 5000 = 15000 万元. Capped, the two would tie on
    # signed (1.5 = 1.5) and t02 would lead by investment; uncapped 2 > 1.5 puts t01 first.
    add_unit_targets(con, 2021, "t02", 2, 2, None)
    _give(con, "t02", signed=3, total=5000)
    # t03: c = (1/2, 1/2): 100 × (0.2 + 0.2) / 0.8 = 50; t04: c = (1/2, not included): 100 × 0.2 / 0.4 = 50.
    # Equal on score and on signed (1/2); in_stats 1/2 beats "not included" although t04 signed more money.
    add_unit_targets(con, 2021, "t03", 2, 2, None)
    _give(con, "t03", signed=1, in_stats=1)
    add_unit_targets(con, 2021, "t04", 2, None, None)
    _give(con, "t04", signed=1, total=90000)
    results = _by_id(con)
    assert [results[u]["rank"] for u in ("t01", "t02", "t03", "t04")] == [1, 2, 3, 4]
    # with in_stats first among the tie-breakers: t01 and t02 tie on in_stats (0), then signed 2 > 1.5
    swapped = _by_id(con, tie_breakers=["in_stats_projects", "signed_projects", "valid_leads"])
    assert [swapped[u]["rank"] for u in ("t01", "t02", "t03", "t04")] == [1, 2, 3, 4]
    # with no tie-breakers, only the investment is left: t02 (15000) before t01 (4000), t04 before t03
    money_only = _by_id(con, tie_breakers=[])
    assert [money_only[u]["rank"] for u in ("t01", "t02", "t03", "t04")] == [2, 1, 4, 3]


def test_a_tie_at_the_snail_gives_both_the_snail() -> None:
    """METRICS.md §4 Awards (v2): "蜗牛奖 snail to every unit of the class's last rank that did not
    complete"."""
    con = _db()
    for unit in ("t11", "t12", "t13"):
        add_unit(con, unit, township_class="2")
        add_unit_targets(con, 2021, unit, 2, None, None)
    _give(con, "t11", signed=2)  # 100, completed: golden horse and the one class-2 advanced place
    _give(con, "t13", signed=1)  # 50, 1000 万元
    _give(con, "t12", signed=1)  # 50, 1000 万元: equal to t13 → both rank 2, the last rank
    results = _by_id(con)
    assert results["t11"]["awards"] == ["golden_horse", "advanced"]
    assert (results["t12"]["rank"], results["t13"]["rank"]) == (2, 2)
    assert results["t12"]["awards"] == ["snail"] and results["t13"]["awards"] == ["snail"]


def test_ties_at_the_top_share_the_golden_horse_and_the_advanced_place() -> None:
    """METRICS.md §4 Awards (v2): "骏马奖 golden_horse to every rank-1 unit that completed; 先进单位
    advanced to each completed unit that has fewer than advanced_per_class completed units ranked
    strictly better (so a tie at the limit admits all tied units)"."""
    con = _db()
    for unit in ("t21", "t22", "t23"):
        add_unit(con, unit, township_class="2")
        add_unit_targets(con, 2021, unit, 1, None, None)
    _give(con, "t22", signed=1)  # 100, completed, 1000 万元
    _give(con, "t21", signed=1)  # equal to t22: both rank 1
    _give(con, "t23", signed=1, total=500)  # 100, completed, but 500 万元: rank 3, one place already gone
    results = _by_id(con)  # class 2 has 1 advanced place
    assert results["t21"]["awards"] == results["t22"]["awards"] == ["golden_horse", "advanced"]
    # t23 has 2 completed units strictly better, not fewer than 1; last rank but completed: no snail
    assert (results["t23"]["rank"], results["t23"]["awards"]) == (3, [])


def _behind_departments(con, shares: dict[str, int], target: int = 10) -> None:
    for unit, n in shares.items():
        add_department(con, unit)
        add_unit_targets(con, 2021, unit, target, None, None)
        _give(con, unit, signed=n)


def test_a_tie_at_the_public_statement_limit_admits_every_tied_department() -> None:
    """METRICS.md §4 Mid-year check (v2): "public_statement = among the units behind_half ...: each
    department that has fewer than statement_departments behind-half departments strictly lower ...
    Ties at the limit admit all tied units"."""
    con = _db()
    # targets of 10 signed: c = n/10, all below 1/2 → all behind half; each project 1000 万元
    _behind_departments(con, {"d12": 3, "d02": 4, "d07": 3, "d05": 2, "d03": 1})
    results = _by_id(con)
    # strictly lower behind-half departments: d03 0, d05 1 (d03), d07 2 and d12 2 (d03, d05), d02 4.
    # Fewer than 3: d03, d05, d07, d12 — an id order would have dropped d07 or d12.
    assert sorted(u for u, r in results.items() if r["public_statement"]) == ["d03", "d05", "d07", "d12"]
    # ranks, best first: d02 (4/10) 1; d07, d12 (3/10) 2 and 2; d05 4; d03 5
    assert (results["d07"]["rank"], results["d12"]["rank"], results["d07"]["tied"]) == (2, 2, True)
    # statement_departments = 2: d07 and d12 have 2 lower, not fewer than 2 → only d03, d05
    two = _by_id(con, statement_departments=2)
    assert sorted(u for u, r in two.items() if r["public_statement"]) == ["d03", "d05"]


def test_township_statement_county_wide_or_per_class() -> None:
    """METRICS.md §4 Mid-year check (v2): "each township that has no behind-half township strictly
    lower (both classes together for statement_townships = "county", within its class for
    "per_class")"."""
    con = _db()
    for unit, cls, n in (("t01", "1", 1), ("t02", "1", 3), ("t21", "2", 2), ("t22", "2", 2)):
        add_unit(con, unit, township_class=cls)
        add_unit_targets(con, 2021, unit, 8, None, None)
        _give(con, unit, signed=n)
    # c = n/8: all below 1/2 → all behind half. Lowest over the county: t01 (1/8) alone.
    county = _by_id(con)
    assert sorted(u for u, r in county.items() if r["public_statement"]) == ["t01"]
    # per class: class 1 → t01; class 2 → t21 and t22 tie at 2/8 (1000 万元 each): both
    per_class = _by_id(con, statement_townships="per_class")
    assert sorted(u for u, r in per_class.items() if r["public_statement"]) == ["t01", "t21", "t22"]


def test_the_mid_year_verdict_is_that_of_the_check_day() -> None:
    """METRICS.md §4 Mid-year check (v2): "behind_half = some included c_i < 0.5 in the report for
    (Y, C) — the verdict of that day, which later data does not move"; public_statement likewise."""
    con = _db()
    for unit in ("d01", "d02", "d03"):
        add_department(con, unit)
        add_unit_targets(con, 2021, unit, 4, None, None)
    _give(con, "d01", signed=1)  # 1/4 on C = 07-20 ...
    _give(con, "d01", signed=2, on="2021-08-10")  # ... 3/4 by September: caught up, still judged on C
    _give(con, "d02", signed=1)
    add_project(con, "gone", "2021-02-01", unit="d02", written_off="2021-08-01")  # written off after C
    add_project(con, "late", "2021-02-01", unit="d03")  # d03: 1/4 on C and today
    sept = _by_id(con, as_of="2021-09-30")
    # on C: d01 1/4 and d03 1/4 behind half; d02 2/4 (with "gone") not behind
    assert [sept[u]["behind_half"] for u in ("d01", "d02", "d03")] == [True, False, True]
    assert [sept[u]["public_statement"] for u in ("d01", "d02", "d03")] == [True, False, True]
    # today (09-30) d01 is 3/4 and d02 1/4: today's data alone would swap them; C's verdict stands
    assert sept["d01"]["actuals"]["signed_projects"] == 3 and sept["d02"]["actuals"]["signed_projects"] == 1


def test_the_check_day_counts_only_leads_valid_on_that_day() -> None:
    """METRICS.md §4 Mid-year check (v2) with §4 valid_leads (v2: "validated by min(D, cutoff)"): the
    report for (Y, C) counts the leads reported and validated by C; one reported before C but
    validated after it counts today and not in C's verdict."""
    con = _db()
    for unit in ("d01", "d02"):
        add_department(con, unit)
        add_unit_targets(con, 2021, unit, None, None, 2)
    # d01: one lead validated on C, one reported before C and validated the day after C
    add_lead(con, "L20210301-d01-001", "2021-03-01 09:00:00", "甲公司", unit="d01", validated_on="2021-07-20")
    add_lead(con, "L20210302-d01-001", "2021-03-02 09:00:00", "乙公司", unit="d01", validated_on="2021-07-21")
    # d02: one lead reported on C itself (validated that day), one reported after C
    add_lead(con, "L20210720-d02-001", "2021-07-20 17:00:00", "丙公司", unit="d02", validated_on="2021-07-20")
    add_lead(con, "L20210801-d02-001", "2021-08-01 09:00:00", "丁公司", unit="d02", validated_on="2021-08-02")
    sept = _by_id(con, as_of="2021-09-30")
    # today both units have 2/2 = 1.0
    assert [sept[u]["actuals"]["valid_leads"] for u in ("d01", "d02")] == [2, 2]
    # on C each had 1/2 = 0.5: not below half (0.5 < 0.5 is false) → nobody behind half
    assert [sept[u]["behind_half"] for u in ("d01", "d02")] == [False, False]
    # with a target of 3 on C: 1/3 < 0.5 for both → both behind half, although 2/3 today is not
    con.execute("UPDATE targets SET value = 3 WHERE scope IN ('d01', 'd02') AND metric = 'valid_leads'")
    sept = _by_id(con, as_of="2021-09-30")
    assert [sept[u]["actuals"]["valid_leads"] for u in ("d01", "d02")] == [2, 2]
    assert [sept[u]["behind_half"] for u in ("d01", "d02")] == [True, True]
    # had C counted today's leads (2/3 ≥ 0.5 for both), nobody would be behind half


def test_behind_schedule_after_the_check_day_against_todays_schedule() -> None:
    """METRICS.md §4 Mid-year check (v2): "behind_schedule = D is after C and some included c_i < f
    (today's completion against today's schedule)"."""
    con = _db()
    for unit in ("d01", "d02", "d03"):
        add_department(con, unit)
        add_unit_targets(con, 2021, unit, 4, None, None)
    _give(con, "d01", signed=3)  # 3/4 = 0.75
    _give(con, "d02", signed=2)  # 2/4 = 0.5
    add_department(con, "d04")  # no target: never behind schedule
    # D = 09-30: f = (31+28+31+30+31+30+31+31+30)/365 = 273/365 ≈ 0.7479 → 0.75 is not below, 0.5 and 0 are
    sept = _by_id(con, as_of="2021-09-30")
    assert [sept[u]["behind_schedule"] for u in ("d01", "d02", "d03", "d04")] == [False, True, True, False]
    # D = C (07-20): "D is after C" does not hold → no one, although 0.5 < f = 201/365
    on_check_day = _by_id(con, as_of="2021-07-20")
    assert not any(r["behind_schedule"] for r in on_check_day.values())
    # before C all three flags are false
    before = _by_id(con, as_of="2021-07-19")
    assert not any(r["behind_half"] or r["public_statement"] or r["behind_schedule"] for r in before.values())


def test_behind_schedule_is_strictly_below_the_schedule() -> None:
    """METRICS.md §4 (v2): "behind_schedule = D is after C and some included c_i < f". In 2024 (366
    days) with C = 06-30 and D = 07-01, f = 183/366 = 1/2 exactly: a unit at 1/2 is on schedule, one
    at 1/3 is behind."""
    con = _db()
    for unit in ("d01", "d02"):
        add_department(con, unit)
    add_unit_targets(con, 2024, "d01", 2, None, None)
    add_unit_targets(con, 2024, "d02", 3, None, None)
    add_project(con, "p1", "2024-02-01", unit="d01")  # 1/2 = f
    add_project(con, "p2", "2024-02-01", unit="d02")  # 1/3 < f
    rows = {
        r["unit_id"]: r
        for r in unit_results(con, period(2024, "2024-07-01"), settings(mid_year_check="06-30"))
    }
    assert (rows["d01"]["behind_schedule"], rows["d02"]["behind_schedule"]) == (False, True)


def test_weights_summing_to_zero_leave_the_unit_unscored() -> None:
    """units.py decision (METRICS.md §4 silent): included weights summing to 0 are treated like no
    included indicator: score, completed and rank null, never in the public statement."""
    con = _db()
    add_department(con, "d01")
    add_department(con, "d02")
    add_unit_targets(con, 2021, "d01", None, None, 2)  # only valid_leads, weighted 0 below
    add_unit_targets(con, 2021, "d02", 1, None, None)
    add_project(con, "p1", "2021-02-01", unit="d02")
    weights = {"signed_projects": 0.5, "in_stats_projects": 0.5, "valid_leads": 0}
    rows = {
        r["unit_id"]: r for r in unit_results(con, period(2021, "2021-09-30"), settings(unit_weights=weights))
    }
    assert (rows["d01"]["score"], rows["d01"]["completed"], rows["d01"]["rank"]) == (None, None, None)
    assert not rows["d01"]["public_statement"] and not rows["d01"]["behind_half"]
    assert (rows["d02"]["score"], rows["d02"]["rank"]) == (100.0, 1)


def test_a_township_without_a_class_is_ranked_in_its_own_group() -> None:
    """units.py decision (METRICS.md §4 silent): a township without a class is put in group
    ``township`` (after the departments), ranked there, without awards."""
    con = _db()
    add_unit(con, "t01", township_class=None)
    add_unit_targets(con, 2021, "t01", 1, None, None)
    add_project(con, "p1", "2021-02-01", unit="t01")
    rows = unit_results(con, period(2021, "2021-09-30"), settings())
    assert [(r["unit_id"], r["group"], r["rank"], r["awards"]) for r in rows] == [("t01", "township", 1, [])]
