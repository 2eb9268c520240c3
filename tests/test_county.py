"""METRICS.md §3: county targets — actuals, completion, status, previous, YoY."""

from __future__ import annotations

from fractions import Fraction

import pytest
from metrics_fixtures import (
    add_arrival,
    add_industry,
    add_project,
    add_target,
    add_unit,
    fresh,
    period,
    settings,
)

from analytics.core.schema import COUNTY_METRICS
from analytics.metrics.county import (
    county_actuals,
    county_metrics,
    county_metrics_labelled,
    exact_schedule,
    status_of,
)


def _db():
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    return con


def test_every_actual_follows_its_rule() -> None:
    con = _db()
    add_project(con, "a", "2021-01-01", source="foreign", export=True, rank="central_soe", total=10000,
                is_5020=True, in_stats="2021-03-01")  # fmt: skip
    add_project(con, "b", "2021-07-20", total=9999.99, rank=" ", in_stats="2021-07-20")  # blank rank
    add_project(con, "c", "2021-07-21", source="foreign")  # signed after D
    add_project(con, "d", "2020-05-01", total=200000, in_stats="2021-02-01")  # old signing, in stats in W
    add_project(con, "e", "2021-02-01", total=300000, in_stats="2021-02-01", written_off="2021-07-01")
    add_project(con, "f", "2020-05-01", source="out_of_province", total=2000)
    add_project(con, "g", "2020-05-01", source="out_of_province", total=1999.99)
    add_arrival(con, "a", "2021-03-01", amount=100.5, fdi=10.25, fx=5.5)
    add_arrival(con, "a", "2020-12-31", amount=1000, fdi=1000, fx=1000)  # before W
    add_arrival(con, "a", "2021-07-21", amount=1000, fdi=1000, fx=1000)  # after D
    add_arrival(con, "f", "2021-06-30", amount=300.1)  # out of province, total ≥ 2000
    add_arrival(con, "g", "2021-06-30", amount=700)  # total < 2000: not counted
    add_arrival(con, "e", "2021-06-30", amount=50, fdi=1, fx=1)  # written-off project: arrivals still count
    actuals = county_actuals(con, period(2021, "2021-07-20"))
    assert actuals == {
        "signed_projects": 2,  # a, b (c after D, e written off before D)
        "foreign_firms": 1,  # a
        "export_producers": 1,
        "projects_100m": 1,  # a: 10000 ≥ 10000; b: 9999.99 is not
        "top_companies": 1,  # a: 央企, 10000 (b's rank is blank)
        "projects_5020": 1,
        "in_stats_investment_wan": 219999.99,  # a 10000 + b 9999.99 + d 200000 (e is written off)
        "in_stats_projects_100m": 2,  # a, d
        "in_stats_projects_2b": 1,  # d
        "fdi_usd_wan": 11.25,  # 10.25 + 1
        "fx_usd_wan": 6.5,  # 5.5 + 1
        "out_of_province_funds_wan": 300.1,
        "trade_usd_wan": 0.0,  # no trade rows
    }
    assert list(actuals) == list(COUNTY_METRICS)


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        # D = 2021-07-20: f = 201/365. Target 365: completion = actual/365.
        (365, "met"),  # 1
        (201, "on_track"),  # exactly f
        (200, "behind"),  # 200/365 < f, ≥ f − 0.3
        # f − 0.3 = 201/365 − 0.3 = (201 − 109.5)/365 = 91.5/365: 92 is behind, 91 far behind
        (92, "behind"),
        (91, "far_behind"),
    ],
)
def test_status_thresholds_with_computed_schedule(actual: int, expected: str) -> None:
    con = _db()
    add_target(con, 2021, "county", "signed_projects", 365)
    for i in range(actual):
        add_project(con, f"p{i}", "2021-01-05")
    entry = county_metrics(con, period(2021, "2021-07-20"), settings())[0]
    assert entry["status"] == expected
    assert entry["completion"] == actual / 365


def test_status_of_exact_boundaries() -> None:
    f = Fraction(1, 2)
    assert status_of(Fraction(1, 5), f, 0.3) == "behind"  # 0.2 = 0.5 − 0.3 exactly
    assert status_of(Fraction(19, 100), f, 0.3) == "far_behind"
    assert status_of(None, f, 0.3) == "no_target"


def test_zero_and_missing_targets_and_red_gap_override() -> None:
    con = _db()
    add_target(con, 2021, "county", "signed_projects", 0)
    add_target(con, 2021, "county", "foreign_firms", 10)
    add_project(con, "a", "2021-01-05")
    entries = {e["metric"]: e for e in county_metrics(con, period(2021, "2021-07-20"), settings())}
    assert (entries["signed_projects"]["completion"], entries["signed_projects"]["status"]) == (
        None,
        "no_target",
    )
    assert entries["signed_projects"]["target"] == 0
    assert (entries["export_producers"]["target"], entries["export_producers"]["status"]) == (
        None,
        "no_target",
    )
    assert (entries["foreign_firms"]["completion"], entries["foreign_firms"]["status"]) == (0.0, "far_behind")
    # red_gap 0.6: f − 0.6 < 0, so 0 completion is only "behind"
    wide = {e["metric"]: e for e in county_metrics(con, period(2021, "2021-07-20"), settings(red_gap=0.6))}
    assert wide["foreign_firms"]["status"] == "behind"


def test_previous_and_yoy_over_the_same_span_of_days() -> None:
    con = _db()
    add_project(con, "now1", "2021-03-01")
    add_project(con, "now2", "2021-03-02")
    add_project(con, "now3", "2021-03-03")
    add_project(con, "old1", "2020-07-20")  # on the same month-day last year: counted
    add_project(con, "old2", "2020-07-21")  # after it: not counted
    add_project(con, "old3", "2020-01-01", written_off="2021-01-10")  # written off after 2020-07-20: counted
    entry = county_metrics(con, period(2021, "2021-07-20"), settings())[0]
    assert (entry["actual"], entry["previous"]) == (3, 2)
    assert entry["yoy"] == 0.5  # 3 / 2 − 1


def test_leap_day_span_and_schedule() -> None:
    con = _db()
    add_project(con, "a", "2020-02-29")
    add_project(con, "b", "2019-02-28")  # last year's span ends 2019-02-28 (29 Feb → 28 Feb)
    add_project(con, "c", "2019-03-01")
    p = period(2020, "2020-02-29")
    assert p.schedule == 60 / 366  # 31 + 29 days of a 366-day year
    assert exact_schedule(p) == Fraction(60, 366)
    entry = county_metrics(con, p, settings())[0]
    assert (entry["actual"], entry["previous"], entry["yoy"]) == (1, 1, 0.0)


def test_empty_year_is_zero_with_null_yoy_and_money_as_floats() -> None:
    entries = county_metrics(_db(), period(2021, "2021-07-20"), settings())
    assert [e["metric"] for e in entries] == list(COUNTY_METRICS)
    for e in entries:
        assert e["yoy"] is None and e["completion"] is None and e["status"] == "no_target"
    money = {e["metric"]: e["actual"] for e in entries if e["metric"].endswith("_wan")}
    assert all(isinstance(v, float) and v == 0.0 for v in money.values())
    assert isinstance(entries[0]["actual"], int)


def test_labelled_entries_carry_chinese_names() -> None:
    entries = county_metrics_labelled(_db(), period(2021, "2021-07-20"), settings())
    assert entries[0]["name_zh"] == "新签约项目" and entries[9]["unit_zh"] == "万美元"
