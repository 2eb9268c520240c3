"""METRICS.md §1: the "9865" landing plan."""

from __future__ import annotations

from metrics_fixtures import add_industry, add_project, add_unit, fresh, period, settings

from analytics.metrics.landing import (
    laggards,
    landing_breakdown,
    landing_gap,
    landing_rates,
    landing_timeline,
    needed,
)


def _db():
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_unit(con, "t02", township_class="2")
    return con


def test_cohort_boundaries_and_signed_after_as_of_excluded() -> None:
    con = _db()
    add_project(con, "a", "2020-01-01", commenced="2020-06-01", produced="2021-03-01")  # cohort 2020
    add_project(con, "b", "2020-12-31", commenced="2021-08-01")  # cohort 2020, commenced after D
    add_project(con, "c", "2021-01-01", commenced="2021-01-02")  # cohort 2021
    add_project(con, "d", "2021-07-21")  # signed after D = 07-20: not in base
    add_project(con, "e", "2019-12-31", commenced="2020-01-01")  # cohort 2019: neither
    landing = landing_rates(con, period(2021, "2021-07-20"), settings())
    assert landing == [
        {
            "cohort": 2020, "base": 2, "written_off": 0, "commenced": 1, "produced": 1,
            "commencement_rate": 0.5, "production_rate": 0.5,  # 1/2, 1/2
            "commencement_target": 0.9, "production_target": 0.6,
            "commencement_met": False, "production_met": False,  # 0.5 < 0.9, 0.5 < 0.6
        },
        {
            "cohort": 2021, "base": 1, "written_off": 0, "commenced": 1, "produced": 0,
            "commencement_rate": 1.0, "production_rate": 0.0,
            "commencement_target": 0.8, "production_target": 0.5,
            "commencement_met": True, "production_met": False,
        },
    ]  # fmt: skip


def test_written_off_before_as_of_leaves_base_after_stays() -> None:
    con = _db()
    add_project(con, "gone", "2021-02-01", written_off="2021-07-19")  # written off before D: out
    add_project(con, "same_day", "2021-02-01", written_off="2021-07-20")  # on D: not after D → out
    add_project(con, "later", "2021-02-01", written_off="2021-07-21")  # after D: still active, in base
    entry = landing_rates(con, period(2021, "2021-07-20"), settings())[1]
    assert (entry["base"], entry["commenced"]) == (1, 0)
    assert entry["written_off"] == 2  # v2: gone and same_day, written off on or before D


def test_empty_cohorts_are_null() -> None:
    landing = landing_rates(_db(), period(2021, "2021-07-20"), settings())
    for entry in landing:
        # METRICS.md §1: an empty cohort counts nothing (base, commenced, produced, written off all 0)
        assert (entry["base"], entry["commenced"], entry["produced"], entry["written_off"]) == (0, 0, 0, 0)
        assert entry["commencement_rate"] is None and entry["production_rate"] is None
        assert entry["commencement_met"] is None and entry["production_met"] is None


def test_rate_exactly_on_target_is_met_and_gap_is_exact() -> None:
    con = _db()
    # cohort 2021: 10 projects, 8 commenced (8/10 = 0.8 = target), 5 produced (0.5 = target)
    for i in range(10):
        add_project(con, f"p{i}", "2021-02-01", commenced="2021-03-01" if i < 8 else None,
                    produced="2021-04-01" if i < 5 else None)  # fmt: skip
    # cohort 2020: 10 projects, 7 commenced (needs ceil(0.9*10)=9 → 2 more), 6 produced (0.6 → met)
    for i in range(10):
        add_project(con, f"q{i}", "2020-02-01", commenced="2020-03-01" if i < 7 else None,
                    produced="2020-04-01" if i < 6 else None)  # fmt: skip
    p, s = period(2021, "2021-07-20"), settings()
    prior, current = landing_rates(con, p, s)
    assert current["commencement_met"] and current["production_met"]
    assert prior["commencement_met"] is False and prior["production_met"] is True
    assert landing_gap(con, p, s) == [
        {
            "cohort": 2020,
            "base": 10,
            "written_off": 0,
            "commenced": 7,
            "produced": 6,
            "commencements_needed": 2,
            "productions_needed": 0,
        },
        {
            "cohort": 2021,
            "base": 10,
            "written_off": 0,
            "commenced": 8,
            "produced": 5,
            "commencements_needed": 0,
            "productions_needed": 0,
        },
    ]


def test_needed_uses_exact_ceiling() -> None:
    assert needed(0.7, 10, 0) == 7  # 0.7 × 10 is 7.000000000000001 in floats; exactly 7
    assert needed(0.9, 7, 6) == 1  # ceil(6.3) = 7 → 1 more
    assert needed(0.9, 0, 0) == 0
    assert needed(0.5, 4, 3) == 0  # already above


def test_settings_override_changes_targets() -> None:
    con = _db()
    add_project(con, "a", "2021-02-01", commenced="2021-03-01")
    add_project(con, "b", "2021-02-01")
    p = period(2021, "2021-07-20")
    assert landing_rates(con, p, settings())[1]["commencement_met"] is False  # 0.5 < 0.8
    overridden = settings(landing_targets={"current": [0.5, 0.1]})
    assert landing_rates(con, p, overridden)[1]["commencement_met"] is True  # 0.5 ≥ 0.5


def test_laggards_oldest_first_with_days_since_signing() -> None:
    con = _db()
    add_project(con, "new", "2021-07-01", unit="t02", leader="张县长")
    add_project(con, "old", "2020-03-01")
    add_project(con, "done", "2020-01-01", commenced="2020-02-01")
    df = laggards(con, period(2021, "2021-07-20"))
    assert list(df["project_id"]) == ["old", "new"]
    # 2020-03-01 → 2021-01-01: 306 days (2020 is leap); → 2021-07-20: 31+28+31+30+31+30+19 = 200; 506
    assert list(df["days_since_signed"]) == [506, 19]
    assert df.iloc[1]["unit_name"] == "单位t02" and df.iloc[1]["leader_in_charge"] == "张县长"
    assert list(laggards(con, period(2021, "2021-07-20"), cohort=2021)["project_id"]) == ["new"]


def test_breakdown_by_unit_and_timeline() -> None:
    con = _db()
    add_project(con, "a", "2021-01-15", unit="t01", commenced="2021-03-10")
    add_project(con, "b", "2021-02-15", unit="t02")
    add_project(con, "c", "2021-02-20", unit="t02", commenced="2021-02-25", produced="2021-04-01")
    p = period(2021, "2021-04-15")
    df = landing_breakdown(con, p, settings(), "unit")
    t02 = df[(df["group_id"] == "t02") & (df["cohort"] == 2021)].iloc[0]
    assert (t02["base"], t02["commenced"], t02["produced"], t02["commencement_rate"]) == (2, 1, 1, 0.5)
    timeline = landing_timeline(con, p)
    current = timeline[timeline["cohort"] == 2021].set_index("month")
    assert list(current.index) == ["2021-01", "2021-02", "2021-03", "2021-04"]
    assert list(current["signed"]) == [1, 3, 3, 3]
    assert list(current["commenced"]) == [0, 1, 2, 2]
    assert list(current["produced"]) == [0, 0, 0, 1]


def test_a_project_signed_the_year_before_last_is_in_no_cohort_of_any_list() -> None:
    """METRICS.md §1: the cohorts are Y-1 and Y only. A project signed on (Y-2)-12-31, not commenced,
    is neither a laggard, nor in a breakdown, nor on the timeline; one signed on (Y-1)-01-01 is."""
    con = _db()
    add_project(con, "y-2", "2019-12-31")
    add_project(con, "y-1", "2020-01-01")
    p = period(2021, "2021-07-20")
    assert list(laggards(con, p)["project_id"]) == ["y-1"]
    breakdown = landing_breakdown(con, p, settings(), "unit")
    assert sorted(breakdown["cohort"].unique()) == [2020]
    assert breakdown["base"].sum() == 1  # y-1 only
    timeline = landing_timeline(con, p)
    assert set(timeline["cohort"]) <= {2020, 2021} and 2019 not in set(timeline["cohort"])


def test_lists_follow_count_verified_only_and_count_the_written_off() -> None:
    """METRICS.md §0 v2 (count_verified_only) and §1 v2 (written_off) in the lists behind the rates:
    "v" commenced 2021-03-01 and verified 2021-03-05, "u" commenced 2021-03-01 never verified, "w"
    written off on 2021-04-01 (so not in the base), all of unit t01, cohort 2021, D = 2021-07-20.
    Verified only: commenced 1 of base 2 ("u" is a laggard); otherwise 2 of 2 and no laggard."""
    from metrics_fixtures import d

    con = _db()
    add_project(con, "v", "2021-02-01", commenced="2021-03-01", commenced_verified_on=d("2021-03-05"))
    add_project(con, "u", "2021-02-02", commenced="2021-03-01")
    add_project(con, "w", "2021-02-03", written_off="2021-04-01")
    p = period(2021, "2021-07-20")
    strict = settings(count_verified_only=True)
    assert list(laggards(con, p, settings=strict)["project_id"]) == ["u"]
    assert list(laggards(con, p, settings=settings())["project_id"]) == []
    row = landing_breakdown(con, p, strict, "unit").set_index("group_id").loc["t01"]
    assert (row["base"], row["commenced"], row["written_off"]) == (2, 1, 1)
    row = landing_breakdown(con, p, settings(), "unit").set_index("group_id").loc["t01"]
    assert (row["base"], row["commenced"], row["written_off"]) == (2, 2, 1)
    july = landing_timeline(con, p, strict).set_index(["cohort", "month"]).loc[(2021, "2021-07")]
    assert july["commenced"] == 1
