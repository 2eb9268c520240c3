"""METRICS.md §5: industry-chain squads and stationed-squad posts."""

from __future__ import annotations

import itertools

from metrics_fixtures import (
    add_department,
    add_industry,
    add_project,
    add_squad,
    add_station_report,
    add_unit_targets,
    fresh,
    period,
    settings,
)

from analytics.metrics.squads import squad_members, squad_results, station_compliance

_ids = itertools.count()


def _member(con, unit: str, squad: str, target: int | None, signed: int) -> None:
    """A department whose only included indicator is signed_projects: score = 100 × signed / target."""
    add_department(con, unit, squad)
    if target is not None:
        add_unit_targets(con, 2021, unit, target, None, None)
    for _ in range(signed):
        add_project(con, f"p{next(_ids)}", "2021-02-01", unit=unit)


def _db():
    con = fresh()
    add_industry(con, "i1")
    for squad in ("s1", "s2", "s3", "s4", "s5"):
        add_squad(con, squad, industry_id="i1")
    add_squad(con, "st1", kind="stationed")
    _member(con, "d01", "s1", 2, 2)  # 100, completed
    _member(con, "d02", "s1", 2, 1)  # 50
    _member(con, "d03", "s1", None, 5)  # no score: counts 0
    _member(con, "d04", "s1", 4, 1)  # 25
    _member(con, "d05", "s2", 1, 1)  # 100, completed
    _member(con, "d06", "s2", 1, 1)  # 100, completed
    _member(con, "d10", "s4", None, 1)  # s4: members without scores
    _member(con, "d07", "s5", 2, 1)  # 50
    _member(con, "d08", "s5", 2, 1)  # 50
    _member(con, "d09", "s5", 2, 1)  # 50
    return con


def test_squad_scores_completion_advanced_disqualified_and_rank() -> None:
    results = squad_results(_db(), period(2021, "2021-07-20"), settings())
    assert results == [
        # 100 + 100 = 200; both completed; tie between d05 and d06 → d05
        {"squad_id": "s2", "score": 200.0, "mean_score": 100.0, "completed": True, "rank": 1,
         "advanced_member": "d05", "disqualified": []},
        # 100 + 50 + 0 + 25 = 175; mean of the 3 scores = 175/3; lowest two: d04 (25), d02 (50)
        {"squad_id": "s1", "score": 175.0, "mean_score": 175 / 3, "completed": False, "rank": 2,
         "advanced_member": "d01", "disqualified": ["d02", "d04"]},
        # 3 × 50 = 150; lowest two of a three-way tie: the later ids d09, d08
        {"squad_id": "s5", "score": 150.0, "mean_score": 50.0, "completed": False, "rank": 3,
         "advanced_member": None, "disqualified": ["d08", "d09"]},
        # no members / no scored members: 0, ranked by squad_id
        {"squad_id": "s3", "score": 0.0, "mean_score": None, "completed": None, "rank": 4,
         "advanced_member": None, "disqualified": []},
        {"squad_id": "s4", "score": 0.0, "mean_score": None, "completed": None, "rank": 5,
         "advanced_member": None, "disqualified": []},
    ]  # fmt: skip


def test_squad_members_table() -> None:
    df = squad_members(_db(), period(2021, "2021-07-20"), settings())
    s1 = df[df["squad_id"] == "s1"].set_index("unit_id")
    assert list(s1.index) == ["d01", "d02", "d03", "d04"]
    assert s1.loc["d03", "score_counted"] == 0.0 and s1.loc["d01", "is_advanced_member"]
    assert list(s1["is_disqualified"]) == [False, True, False, True]


def test_station_compliance_needs_two_members_with_twenty_days() -> None:
    con = _db()
    add_station_report(con, "st1", "2021-01", "甲", 20)
    add_station_report(con, "st1", "2021-01", "乙", 19)  # 19 days: not on post → 1 member, not compliant
    add_station_report(con, "st1", "2021-02", "甲", 20)
    add_station_report(con, "st1", "2021-02", "乙", 31)  # 2 members → compliant
    add_station_report(con, "st1", "2020-12", "甲", 31)  # outside W
    df = station_compliance(con, period(2021, "2021-03-15"))
    assert list(df["month"]) == ["2021-01", "2021-02", "2021-03"]
    assert list(df["members_on_post"]) == [1, 2, 0]
    assert list(df["compliant"]) == [False, True, False]
    assert list(df["month_complete"]) == [True, True, False]  # March is not over on 03-15
