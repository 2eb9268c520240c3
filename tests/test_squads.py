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


def _squad(squad_id, signed, score, mean, completed, rank, advanced, disqualified, unassessed):
    return {"squad_id": squad_id, "actuals": {"signed_projects": signed, "in_stats_projects": 0}, "targets": {},
            "score": score, "mean_score": mean, "completed": completed, "rank": rank,
            "advanced_members": advanced, "disqualified": disqualified, "unassessed": unassessed}  # fmt: skip


def test_squad_scores_completion_advanced_disqualified_and_rank() -> None:
    results = squad_results(_db(), period(2021, "2021-07-20"), settings())
    assert results == [
        # 100 + 100 = 200; both completed and equal on the whole order key → both advanced
        _squad("s2", 2, 200.0, 100.0, True, 1, ["d05", "d06"], [], []),
        # 100 + 50 + 0 + 25 = 175; mean of the 3 scores = 175/3; not completed (d02, d04) → no advanced
        # member; d04 has no scored member lower, d02 one (d04): both < 2 → disqualified; d03 unassessed
        _squad("s1", 9, 175.0, 175 / 3, False, 2, [], ["d02", "d04"], ["d03"]),
        # 3 × 50 = 150; a three-way tie with nobody lower: all three disqualified (no id decides)
        _squad("s5", 3, 150.0, 50.0, False, 3, [], ["d07", "d08", "d09"], []),
        # no members / no scored members: 0, sharing rank 4
        _squad("s3", 0, 0.0, None, None, 4, [], [], []),
        _squad("s4", 1, 0.0, None, None, 4, [], [], ["d10"]),
    ]


def test_squad_members_table() -> None:
    df = squad_members(_db(), period(2021, "2021-07-20"), settings())
    s1 = df[df["squad_id"] == "s1"].set_index("unit_id")
    assert list(s1.index) == ["d01", "d02", "d03", "d04"]
    assert s1.loc["d03", "score_counted"] == 0.0 and s1.loc["d03", "is_unassessed"]
    assert not s1["is_advanced_member"].any()  # s1 did not complete
    assert list(s1["is_disqualified"]) == [False, True, False, True]
    s2 = df[df["squad_id"] == "s2"].set_index("unit_id")
    assert list(s2["is_advanced_member"]) == [True, True]


def test_station_compliance_needs_two_members_with_twenty_days() -> None:
    con = _db()
    add_station_report(con, "st1", "2021-01", "甲", 20)
    add_station_report(con, "st1", "2021-01", "乙", 19)  # 19 days: short → 1 on post, not compliant
    add_station_report(con, "st1", "2021-02", "甲", 20)
    add_station_report(con, "st1", "2021-02", "乙", 31)  # 2 members on post, nobody short → compliant
    add_station_report(con, "st1", "2020-12", "甲", 31)  # outside W
    df = station_compliance(con, period(2021, "2021-03-15"))
    assert list(df["month"]) == ["2021-01", "2021-02"]  # March, D's month, is not judged
    assert list(df["members_on_post"]) == [1, 2]
    assert list(df["short_members"]) == [["乙"], []]
    assert list(df["compliant"]) == [False, True]
