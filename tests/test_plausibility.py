"""Plausibility warnings: each rule fires on its case and never touches a count."""

from __future__ import annotations

from metrics_fixtures import add_arrival, add_industry, add_lead, add_project, add_unit, fresh, period

from analytics.metrics.county import county_actuals
from analytics.screens.plausibility import plausibility_warnings


def test_each_rule_fires_only_on_its_case() -> None:
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    # production 2021-03-01 with the only arrival after it → production_without_funds
    add_project(
        con, "prod", "2021-01-05", commenced="2021-02-01", produced="2021-03-01", in_stats="2021-02-10"
    )
    add_arrival(con, "prod", "2021-03-02", amount=10)
    # commenced 2020-12-01 (> 6 months before 2021-07-20), last arrival 2021-01-19 (≤ 01-20) → no recent funds
    add_project(con, "stale", "2020-11-01", commenced="2020-12-01", in_stats="2020-12-15")
    add_arrival(con, "stale", "2021-01-19", amount=10)
    # commenced 2021-01-20 → 6 months before D exactly: not "more than" → no warning; arrival keeps it fresh
    add_project(con, "fresh", "2021-01-05", commenced="2021-01-20", in_stats="2021-02-01")
    add_arrival(con, "fresh", "2021-07-01", amount=10)
    # commenced 2020-06-01, in production since 2020-12-01, no arrival since → finished building, no warning
    add_project(
        con, "built", "2020-05-01", commenced="2020-06-01", produced="2020-12-01", in_stats="2020-06-15"
    )
    add_arrival(con, "built", "2020-07-01", amount=10)
    # commenced 2021-05-19 (> 2 months before 07-20), in stats after D → commenced_not_in_stats
    add_project(con, "nostats", "2021-05-01", commenced="2021-05-19", in_stats="2021-07-21")
    add_arrival(con, "nostats", "2021-06-01", amount=10)
    # commenced 2021-05-20: exactly two months → no warning
    add_project(con, "edge", "2021-05-01", commenced="2021-05-20")
    # arrival after write-off
    add_project(con, "gone", "2021-01-05", written_off="2021-03-01")
    add_arrival(con, "gone", "2021-04-01", amount=5)
    add_lead(con, "old", "2021-06-19", "甲", status="pending")  # 31 days at D → warning
    add_lead(con, "new", "2021-06-20", "乙", status="pending")  # 30 days → no warning
    add_lead(con, "late", "2021-02-01", "丙", status="valid", project_id="prod")  # prod signed 01-05 before
    p = period(2021, "2021-07-20")
    before = county_actuals(con, p)
    warnings = plausibility_warnings(con, p)
    got = sorted(zip(warnings["rule_id"], warnings["record_id"], strict=True))
    assert got == sorted(
        [
            ("production_without_funds", "prod"),
            ("commenced_no_recent_funds", "stale"),
            ("commenced_not_in_stats", "nostats"),
            ("lead_pending_too_long", "old"),
            ("lead_after_signing", "late"),
            ("arrival_after_write_off", "gone@2021-04-01"),
        ]
    )
    assert set(warnings.columns) == {"rule_id", "rule", "record_type", "record_id", "unit_id", "detail"}
    assert county_actuals(con, p) == before


def test_no_data_no_warnings() -> None:
    assert plausibility_warnings(fresh(), period(2021, "2021-07-20")).empty
