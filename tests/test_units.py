"""METRICS.md §4: unit indicators, score, ranking, awards and the mid-year check."""

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

from analytics.metrics.units import unit_results, unit_table

_ids = itertools.count()


def _give(con, unit: str, signed: int = 0, in_stats: int = 0, leads: int = 0) -> None:
    """``signed`` projects in S, ``in_stats`` old projects entering the statistics in W, ``leads`` valid leads."""
    for _ in range(signed):
        add_project(con, f"s{next(_ids)}", "2021-02-01", unit=unit)
    for _ in range(in_stats):
        add_project(con, f"i{next(_ids)}", "2020-02-01", unit=unit, in_stats="2021-03-01")
    for _ in range(leads):
        n = next(_ids)
        add_lead(con, f"l{n}", "2021-03-01", f"企业{n}", unit=unit)


def _db():
    con = fresh()
    add_industry(con, "i1")
    return con


def _by_id(results: list[dict]) -> dict[str, dict]:
    return {r["unit_id"]: r for r in results}


def test_indicators_count_only_their_rule() -> None:
    con = _db()
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_unit_targets(con, 2021, "t01", 1, 1, 1)
    add_project(con, "a", "2021-02-01", unit="t01", in_stats="2021-02-10")  # signed and in stats
    add_project(con, "b", "2021-02-01", unit="t01", written_off="2021-05-01")  # written off: neither
    add_project(con, "c", "2020-11-01", unit="t01", in_stats="2020-12-31")  # in stats last year
    add_project(con, "d", "2021-02-01", unit="t02")  # another unit
    add_lead(con, "l1", "2021-03-01", "甲公司", unit="t01")  # valid first report
    add_lead(con, "l2", "2021-03-02", "甲 公司", unit="t01")  # duplicate
    add_lead(con, "l3", "2021-03-03", "乙公司", unit="t01", status="pending")  # not valid
    add_lead(con, "l4", "2020-12-31 23:59", "丙公司", unit="t01")  # before W
    add_lead(con, "l5", "2021-07-20 23:59", "丁公司", unit="t01")  # on D (date compare): counts
    add_lead(con, "l6", "2021-07-21 00:00", "戊公司", unit="t01")  # after D
    add_lead(con, "m1", "2020-12-01", "己公司", unit="t02")  # last year's first report ...
    add_lead(con, "m2", "2021-03-01", "己公司", unit="t01")  # ... makes this year's lead a duplicate
    t01 = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))["t01"]
    assert t01["actuals"] == {"signed_projects": 1, "in_stats_projects": 1, "valid_leads": 2}  # l1, l5


def test_score_with_cap_and_completion() -> None:
    con = _db()
    add_unit(con, "t01")
    add_unit_targets(con, 2021, "t01", 2, 2, 5)
    _give(con, "t01", signed=4, in_stats=1, leads=5)
    t01 = unit_results(con, period(2021, "2021-07-20"), settings())[0]
    # c = (4/2 = 2 → capped 1.5, 1/2, 5/5); score = 100 × (0.4×1.5 + 0.4×0.5 + 0.2×1) / 1 = 100
    assert t01["score"] == 100.0
    assert t01["completed"] is False  # 0.5 < 1
    # a higher cap: 100 × (0.4×2 + 0.2 + 0.2) = 120
    assert unit_results(con, period(2021, "2021-07-20"), settings(score_cap=3.0))[0]["score"] == 120.0


def test_only_indicators_with_positive_targets_are_included() -> None:
    con = _db()
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_unit(con, "t03")
    add_unit_targets(con, 2021, "t01", 4, 0, None)  # only signed_projects included
    add_unit_targets(con, 2021, "t02", 0, None, 0)  # nothing included
    _give(con, "t01", signed=3, leads=1)
    results = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))
    # t01: 100 × 0.4 × 3/4 / 0.4 = 75
    assert results["t01"]["score"] == 75.0 and results["t01"]["rank"] == 1
    assert results["t01"]["targets"] == {"signed_projects": 4, "in_stats_projects": 0, "valid_leads": None}
    for unit in ("t02", "t03"):
        r = results[unit]
        # v2: "A unit with no included indicator has score = null, completed = null, and is not ranked."
        assert (r["score"], r["completed"], r["rank"], r["tied"], r["awards"], r["behind_half"]) == (
            None,
            None,
            None,
            False,
            [],
            False,
        )


def test_weights_override_changes_the_score() -> None:
    con = _db()
    add_unit(con, "t01")
    add_unit_targets(con, 2021, "t01", 1, 1, 1)
    _give(con, "t01", signed=1)  # c = (1, 0, 0)
    p = period(2021, "2021-07-20")
    assert unit_results(con, p, settings())[0]["score"] == 40.0  # 100 × 0.4 / 1
    weights = {"signed_projects": 1.0, "in_stats_projects": 1.0, "valid_leads": 2.0}
    assert unit_results(con, p, settings(unit_weights=weights))[0]["score"] == 25.0  # 100 × 1 / 4


def test_groups_ranking_ties_and_order() -> None:
    con = _db()
    for unit, cls in (("t03", "1"), ("t01", "1"), ("t02", "1"), ("t09", "2"), ("t04", "1")):
        add_unit(con, unit, township_class=cls)
    add_department(con, "d01")
    for unit in ("t01", "t02", "t03", "t09", "d01"):
        add_unit_targets(con, 2021, unit, 2, None, None)
    _give(con, "t01", signed=1)  # 50
    _give(con, "t02", signed=2)  # 100
    _give(con, "t03", signed=1)  # 50: equal to t01 on the whole key (c = 1/2, 1000 万元 signed)
    results = unit_results(con, period(2021, "2021-07-20"), settings())
    order = [(r["unit_id"], r["group"], r["rank"], r["tied"]) for r in results]
    assert order == [
        ("t02", "township_1", 1, False),
        ("t01", "township_1", 2, True),  # v2: a shared rank, listed by unit_id
        ("t03", "township_1", 2, True),
        ("t04", "township_1", None, False),  # no targets: after the ranked ones
        ("t09", "township_2", 1, False),
        ("d01", "department", 1, False),
    ]


def test_equal_exact_scores_go_to_the_tie_breakers_not_float_noise() -> None:
    con = _db()
    add_unit(con, "t02")
    add_unit(con, "t01")
    # t02: c = (3/4, 3/4, 0) → 0.4×0.75 + 0.4×0.75 = 0.6; t01: c = (1, 1/2, 0) → 0.4 + 0.2 = 0.6
    add_unit_targets(con, 2021, "t02", 4, 4, 1)
    add_unit_targets(con, 2021, "t01", 2, 2, 1)
    _give(con, "t02", signed=3, in_stats=3)
    _give(con, "t01", signed=2, in_stats=1)
    results = unit_results(con, period(2021, "2021-07-20"), settings())
    # equal exact scores; the first tie-breaker (signed_projects completion) puts t01 (1) above t02 (3/4)
    assert [(r["unit_id"], r["rank"]) for r in results] == [("t01", 1), ("t02", 2)]
    assert results[0]["score"] == results[1]["score"]


def _class_of_four(con) -> None:
    for unit in ("t01", "t02", "t03", "t04"):
        add_unit(con, unit, township_class="1")
        add_unit_targets(con, 2021, unit, 2, None, None)
    _give(con, "t01", signed=3)  # 150 (capped), completed
    _give(con, "t02", signed=2)  # 100, completed
    _give(con, "t03", signed=2)  # 100, completed (equal to t02 on the whole key: both rank 2)
    _give(con, "t04", signed=1)  # 50, not completed


def test_awards_golden_horse_advanced_and_snail() -> None:
    con = _db()
    _class_of_four(con)
    results = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))
    assert results["t01"]["awards"] == ["golden_horse", "advanced"]
    # 2 advanced places in class 1: t02 and t03 each have one completed unit strictly better (t01)
    assert results["t02"]["awards"] == ["advanced"]
    assert results["t03"]["awards"] == ["advanced"]  # v2: the tie at the limit admits both
    assert results["t04"]["awards"] == ["snail"]
    one = _by_id(unit_results(con, period(2021, "2021-07-20"), settings(advanced_per_class={"1": 1})))
    assert [one[u]["awards"] for u in ("t01", "t02", "t03")] == [["golden_horse", "advanced"], [], []]
    more = _by_id(unit_results(con, period(2021, "2021-07-20"), settings(advanced_per_class={"1": 3})))
    assert more["t03"]["awards"] == ["advanced"]


def test_no_golden_horse_when_first_did_not_complete_and_no_snail_when_last_did() -> None:
    con = _db()
    for unit in ("t01", "t02"):
        add_unit(con, unit, township_class="2")
        add_unit_targets(con, 2021, unit, 1, 1, None)
    _give(con, "t01", signed=3, in_stats=0)  # 100 × (0.4×1.5 + 0)/0.8 = 75, not completed
    _give(con, "t02", signed=1, in_stats=1)  # 100, completed → rank 1
    results = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))
    assert results["t02"]["rank"] == 1 and results["t02"]["awards"] == ["golden_horse", "advanced"]
    assert results["t01"]["awards"] == ["snail"]
    # now t01 has a higher score but did not complete: no golden horse; t02 (completed) is advanced
    _give(con, "t01", in_stats=1)  # c = (3 → 1.5, 1): 100 × (0.6 + 0.4)/0.8 = 125, completed
    results = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))
    assert results["t01"]["awards"] == ["golden_horse", "advanced"]
    assert results["t02"]["awards"] == []  # class 2 has one advanced slot; last, but completed: no snail


def test_golden_horse_needs_completion_advanced_goes_further_down() -> None:
    con2 = _db()
    for unit in ("t01", "t02"):
        add_unit(con2, unit, township_class="1")
    add_unit_targets(con2, 2021, "t01", 1, 10, None)
    add_unit_targets(con2, 2021, "t02", 1, None, None)
    _give(con2, "t01", signed=2, in_stats=9)  # 100 × (0.4×1.5 + 0.4×0.9)/0.8 = 120, not completed
    _give(con2, "t02", signed=1)  # 100, completed
    results = _by_id(unit_results(con2, period(2021, "2021-07-20"), settings()))
    assert results["t01"]["rank"] == 1 and results["t01"]["awards"] == []  # no golden horse
    assert results["t02"]["awards"] == ["advanced"]  # best-ranked completed; last but completed


def test_single_ranked_unit_that_did_not_complete_is_snail_only() -> None:
    con = _db()
    add_unit(con, "t01", township_class="2")
    add_unit_targets(con, 2021, "t01", 2, None, None)
    _give(con, "t01", signed=1)
    assert unit_results(con, period(2021, "2021-07-20"), settings())[0]["awards"] == ["snail"]


def test_departments_get_no_awards() -> None:
    con = _db()
    add_department(con, "d01")
    add_unit_targets(con, 2021, "d01", 1, None, None)
    _give(con, "d01", signed=1)
    d01 = unit_results(con, period(2021, "2021-07-20"), settings())[0]
    assert (d01["rank"], d01["completed"], d01["awards"]) == (1, True, [])


def _mid_year_db():
    con = _db()
    # departments d01..d05 with signed-only targets of 4: scores 100 × n/4
    for unit, n in (("d01", 1), ("d02", 1), ("d03", 2), ("d04", 3), ("d05", 1)):
        add_department(con, unit)
        add_unit_targets(con, 2021, unit, 4, None, None)
        _give(con, unit, signed=n)
    add_department(con, "d06")  # no target: never in the public statement
    for unit, cls, n in (("t01", "1", 1), ("t02", "2", 1), ("t03", "1", 4)):
        add_unit(con, unit, township_class=cls)
        add_unit_targets(con, 2021, unit, 4, None, None)
        _give(con, unit, signed=n)
    return con


def test_public_statement_among_behind_half_units_with_ties_admitted() -> None:
    con = _mid_year_db()
    results = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))
    # behind half: completion < 0.5 → 1/4 for d01, d02, d05, t01, t02; d03 = 0.5 is not behind
    behind = sorted(u for u, r in results.items() if r["behind_half"])
    assert behind == ["d01", "d02", "d05", "t01", "t02"]
    # departments behind half: d01, d02, d05 equal on the whole key (1/4, 1000 万元): none has one
    # strictly lower, 0 < 3 → all three. Townships t01 (class 1) and t02 (class 2) equal: no township
    # strictly lower → both (statement_townships = county).
    stated = sorted(u for u, r in results.items() if r["public_statement"])
    assert stated == ["d01", "d02", "d05", "t01", "t02"]


def test_public_statement_only_among_behind_half() -> None:
    con = _db()
    for unit, n in (("d01", 1), ("d02", 2), ("d03", 2), ("d04", 2)):
        add_department(con, unit)
        add_unit_targets(con, 2021, unit, 4, None, None)
        _give(con, unit, signed=n)
    results = _by_id(unit_results(con, period(2021, "2021-07-20"), settings()))
    # only d01 (1/4) is behind half; d02..d04 (2/4 = 0.5) are not, so they make no statement
    assert sorted(u for u, r in results.items() if r["public_statement"]) == ["d01"]


def test_mid_year_check_starts_on_the_check_date() -> None:
    con = _mid_year_db()
    before = unit_results(con, period(2021, "2021-07-19"), settings())
    assert not any(r["behind_half"] or r["public_statement"] for r in before)
    on = unit_results(con, period(2021, "2021-07-20"), settings())
    assert any(r["public_statement"] for r in on) and any(r["behind_half"] for r in on)
    moved = unit_results(con, period(2021, "2021-07-20"), settings(mid_year_check="07-21"))
    assert not any(r["behind_half"] or r["public_statement"] for r in moved)


def test_unit_table_for_pages() -> None:
    con = _db()
    _class_of_four(con)
    df = unit_table(con, period(2021, "2021-07-20"), settings()).set_index("unit_id")
    assert df.loc["t01", "signed_projects_completion"] == 1.5
    assert df.loc["t01", "awards_zh"] == "骏马奖、先进单位"
    assert df.loc["t04", "score_display"] == 50.0 and df.loc["t04", "rank"] == 4
