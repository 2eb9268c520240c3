"""METRICS.md v2 §5, squads: squad targets, advanced members, disqualified at ties, unassessed members,
stationed months judged only once ended and with every reported member on post. Golden rows by hand."""

from __future__ import annotations

import itertools

from metrics_fixtures import (
    add_department,
    add_industry,
    add_project,
    add_squad,
    add_station_report,
    add_target,
    add_unit_targets,
    fresh,
    period,
    settings,
)

from analytics.metrics.squads import judged_months, squad_results, station_compliance

P = period(2021, "2021-06-30")
_ids = itertools.count()


def _member(con, unit: str, squad: str, target: int | None, signed: int, in_stats: int = 0) -> None:
    """A department whose only included indicator is signed_projects (score = 100 × min(signed /
    target, 1.5)); ``in_stats`` of its signed projects also enter the statistics (no unit target)."""
    add_department(con, unit, squad)
    if target is not None:
        add_unit_targets(con, 2021, unit, target, None, None)
    for i in range(signed):
        add_project(con, f"p{next(_ids)}", "2021-02-01", unit=unit, total=1000,
                    in_stats="2021-03-01" if i < in_stats else None)  # fmt: skip


def _db():
    con = fresh()
    add_industry(con, "i1")
    return con


def _by_id(results: list[dict]) -> dict[str, dict]:
    return {s["squad_id"]: s for s in results}


def test_squad_targets_met_and_missed() -> None:
    """§5 v2: "`actuals` = … the sum of its members' unit actuals; `targets` = the `targets` rows with
    `scope` = the squad_id"; "`completed` = when the squad has a target > 0: every such squad target met
    (`actual ≥ target`); otherwise every member with a score completed"."""
    con = _db()
    for squad in ("s1", "s2", "s3"):
        add_squad(con, squad, industry_id="i1")
    # s1: targets signed 3, in_stats 1; actuals signed 2 + 1 = 3 ≥ 3, in_stats 1 + 0 = 1 ≥ 1 → met
    add_target(con, 2021, "s1", "signed_projects", 3)
    add_target(con, 2021, "s1", "in_stats_projects", 1)
    _member(con, "d01", "s1", 2, 2, in_stats=1)  # 100 × 2/2 = 100, completed
    _member(con, "d02", "s1", 2, 1)  # 100 × 1/2 = 50, not completed: the squad still meets its targets
    # s2: target signed 4; actuals 1 + 2 = 3 < 4 → missed, although both members completed
    add_target(con, 2021, "s2", "signed_projects", 4)
    _member(con, "d03", "s2", 1, 1)  # 100
    _member(con, "d04", "s2", 2, 2)  # 100
    # s3: no squad target → judged by its members: d05 completed (100) → completed
    _member(con, "d05", "s3", 1, 1)
    got = _by_id(squad_results(con, P, settings()))
    assert (got["s1"]["actuals"], got["s1"]["targets"], got["s1"]["completed"]) == (
        {"signed_projects": 3, "in_stats_projects": 1}, {"signed_projects": 3, "in_stats_projects": 1}, True)  # fmt: skip
    assert (got["s2"]["actuals"], got["s2"]["targets"], got["s2"]["completed"]) == (
        {"signed_projects": 3, "in_stats_projects": 0}, {"signed_projects": 4}, False)  # fmt: skip
    assert (got["s3"]["targets"], got["s3"]["completed"]) == ({}, True)
    # Advanced members only when the squad completed: s2's completed members d03/d04 are not named.
    assert got["s2"]["advanced_members"] == []
    # s1 completed: its only completed member d01 is named; d02 did not complete, with 0 scored members
    # lower than it (< 2) → disqualified
    assert (got["s1"]["advanced_members"], got["s1"]["disqualified"]) == (["d01"], ["d02"])
    # Scores 150 (s1 = 100 + 50), 200 (s2), 100 (s3): ranks by score
    assert [(s["squad_id"], s["rank"]) for s in squad_results(con, P, settings())] == [
        ("s2", 1), ("s1", 2), ("s3", 3)]  # fmt: skip


def test_the_higher_completed_member_is_named_not_the_smaller_id() -> None:
    """§5 v2: "`advanced_members` = when the squad `completed` is `true`: the completed members with no
    completed member strictly higher by order key"."""
    con = _db()
    add_squad(con, "s1", industry_id="i1")
    _member(con, "d07", "s1", 2, 2)  # 100 × 2/2 = 100
    _member(con, "d12", "s1", 2, 3)  # 100 × min(3/2, 1.5) = 150: higher, with the larger id
    (squad,) = squad_results(con, P, settings())
    assert squad["completed"] is True and squad["advanced_members"] == ["d12"]


def test_a_tie_at_the_top_names_every_tied_member() -> None:
    """§5 v2: "the completed members with no completed member strictly higher by order key (usually
    one)" — equal on the whole key (score, completions, signed investment), both are named."""
    con = _db()
    add_squad(con, "s1", industry_id="i1")
    _member(con, "d09", "s1", 1, 1)  # 100, completion 1, signed investment 1000
    _member(con, "d08", "s1", 1, 1)  # the same on the whole key
    _member(con, "d07", "s1", 2, 1)  # 50: not completed (the squad completes by its own target)
    add_target(con, 2021, "s1", "signed_projects", 3)  # squad target 3, actual 3 → completed
    (squad,) = squad_results(con, P, settings())
    assert squad["completed"] is True and squad["advanced_members"] == ["d08", "d09"]


def test_signed_investment_breaks_a_tie_at_the_top() -> None:
    """§5 v2 "strictly higher by order key" with §4's key: "`score`; then `c_i` of each indicator in
    `tie_breakers` …; then `signed_investment_wan`"."""
    con = _db()
    add_squad(con, "s1", industry_id="i1")
    _member(con, "d09", "s1", 1, 1)  # 100, completion 1, signed investment 1000
    _member(con, "d08", "s1", 1, 1)  # the same
    _member(con, "d10", "s1", 2, 2)  # 100, completion 1, signed investment 2 × 1000 = 2000: strictly higher
    (squad,) = squad_results(con, P, settings())
    assert squad["completed"] is True and squad["advanced_members"] == ["d10"]


def test_unassessed_member_is_listed_and_counts_zero() -> None:
    """§5 v2: "`unassessed` = members without a score, listed by `unit_id`"; "`score` = Σ of its
    members' scores (a `null` score counts 0); `mean_score` = the mean of the non-null ones"."""
    con = _db()
    add_squad(con, "s1", industry_id="i1")
    _member(con, "d01", "s1", 2, 1)  # 50, not completed
    _member(
        con, "d02", "s1", None, 4
    )  # no target: unassessed, counts 0 (its 4 projects still add to actuals)
    _member(con, "d03", "s1", 1, 1)  # 100, completed
    (squad,) = squad_results(con, P, settings())
    assert squad == {
        "squad_id": "s1",
        "actuals": {"signed_projects": 6, "in_stats_projects": 0},  # 1 + 4 + 1
        "targets": {},
        "score": 150.0,  # 50 + 0 + 100
        "mean_score": 75.0,  # (50 + 100) / 2
        "completed": False,  # no squad target; d01 did not complete
        "rank": 1,
        "advanced_members": [],
        "disqualified": ["d01"],  # 0 scored members lower; d02 has no score and is not among the lower
        "unassessed": ["d02"],
    }


def test_disqualified_admits_every_member_tied_at_the_limit() -> None:
    """§5 v2: "`disqualified` = the members that did not complete and have fewer than two scored members
    of the squad strictly lower by order key (ties at the limit admit all tied)"."""
    con = _db()
    add_squad(con, "s1", industry_id="i1")
    _member(con, "d01", "s1", 1, 1)  # 100, completed
    _member(con, "d02", "s1", 2, 1)  # 50: one member (d04) strictly lower → disqualified
    _member(con, "d03", "s1", 2, 1)  # 50: tied with d02, also one strictly lower → disqualified
    _member(con, "d04", "s1", 4, 1)  # 25: none lower → disqualified
    _member(con, "d05", "s1", 4, 3)  # 75: three lower (d02, d03, d04) → kept
    (squad,) = squad_results(con, P, settings())
    assert squad["disqualified"] == ["d02", "d03", "d04"]


def test_stationed_month_with_one_member_short_is_not_compliant() -> None:
    """§5 v2: "`members_on_post` = members with `days_on_post ≥ 20`; `short_members` = reported members
    below 20 days; the month is `compliant` when at least 2 members are on post and `short_members` is
    empty"."""
    con = _db()
    add_squad(con, "st1", kind="stationed")
    for member, days in (("甲", 25), ("乙", 22), ("丙", 15)):  # 2 on post, 丙 short → not compliant
        add_station_report(con, "st1", "2021-01", member, days)
    for member, days in (("甲", 20), ("乙", 31)):  # 2 on post, nobody short → compliant
        add_station_report(con, "st1", "2021-02", member, days)
    add_station_report(con, "st1", "2021-03", "甲", 30)  # 1 on post → not compliant
    df = station_compliance(con, period(2021, "2021-04-10")).set_index("month")
    assert list(df.index) == ["2021-01", "2021-02", "2021-03"]  # April (D's month) not judged
    assert list(df["members_on_post"]) == [2, 2, 1]
    assert list(df["short_members"]) == [["丙"], [], []]
    assert list(df["compliant"]) == [False, True, False]


def test_ds_own_month_is_not_judged_even_on_its_last_day() -> None:
    """§5 v2: "per month of `W` that ended before the month of `D` (`D`'s own month is not judged, even on
    its last day)"."""
    assert judged_months(period(2021, "2021-03-31")) == ["2021-01", "2021-02"]
    assert judged_months(period(2021, "2021-04-01")) == ["2021-01", "2021-02", "2021-03"]
    assert judged_months(period(2021, "2021-01-31")) == []
    # D after Y: every month of Y has ended
    assert len(judged_months(period(2021, "2022-01-01"))) == 12
    con = _db()
    add_squad(con, "st1", kind="stationed")
    add_station_report(con, "st1", "2021-03", "甲", 31)
    add_station_report(con, "st1", "2021-03", "乙", 31)
    assert list(station_compliance(con, period(2021, "2021-03-31"))["month"]) == ["2021-01", "2021-02"]
