"""METRICS.md v2 §4 golden tests of ``valid_leads``: the validation cutoff, first-report protection,
invisible characters in the company key, and the order of same-day reports. Worked out by hand."""

from __future__ import annotations

from metrics_fixtures import add_industry, add_lead, add_unit, add_unit_targets, d, fresh, period, settings

from analytics.metrics import views
from analytics.metrics.leads import adjudicate_leads, register_company_keys
from analytics.metrics.units import unit_results


def _db(*units: str):
    con = fresh()
    add_industry(con, "i1")
    for unit in units:
        add_unit(con, unit)
        add_unit_targets(con, 2025, unit, None, None, 5)
    return con


def _valid_leads(con, as_of: str, year: int = 2025, **overrides) -> dict[str, int]:
    results = unit_results(con, period(year, as_of), settings(**overrides))
    return {r["unit_id"]: r["actuals"]["valid_leads"] for r in results}


def test_a_lead_validated_after_the_cutoff_does_not_count() -> None:
    """METRICS.md §4 valid_leads (v2): "validated in time: validated_on ≤ min(D, (Y+1)-
    lead_validation_cutoff); a blank validated_on counts as the date of reported_at"."""
    con = _db("t01", "t02")
    add_lead(con, "a1", "2025-11-20", "甲公司", unit="t01", validated_on=d("2026-01-15"))  # on the cutoff
    add_lead(con, "a2", "2025-12-01", "乙公司", unit="t01", validated_on=d("2026-01-16"))  # one day late
    add_lead(con, "a3", "2025-12-02", "丙公司", unit="t01")  # blank: validated on 2025-12-02
    add_lead(con, "b1", "2025-12-20", "丁公司", unit="t02", validated_on=d("2026-01-10"))
    # year-end account on 2026-03-01: min(D, 2026-01-15) = 01-15 → t01 a1 + a3 = 2, t02 b1 = 1
    assert _valid_leads(con, "2026-03-01") == {"t01": 2, "t02": 1}
    # as of 2026-01-12: min(D, 01-15) = 01-12 → a1 (01-15) not yet; t01 a3 = 1, t02 b1 (01-10) = 1
    assert _valid_leads(con, "2026-01-12") == {"t01": 1, "t02": 1}
    # a later cutoff (01-31) admits a2: t01 = 3
    assert _valid_leads(con, "2026-03-01", lead_validation_cutoff="01-31") == {"t01": 3, "t02": 1}


def test_the_reporting_window_is_checked_for_every_unit() -> None:
    """METRICS.md §4 valid_leads: "first-report leads ... with status = valid, reported_at in W,
    reporter_unit_id = u" — W is Y-01-01 to min(D, Y-12-31), by date; checked on both units, also for
    a company that has a valid lead in W whose first report lies outside W."""
    con = _db("t01", "t02")
    for unit in ("t01", "t02"):
        add_lead(con, f"{unit}-old", "2024-12-31 23:59", f"{unit}旧企业", unit=unit)  # first report before W
        add_lead(con, f"{unit}-old2", "2025-03-01", f"{unit}旧企业", unit=unit)  # in W, its duplicate
        add_lead(con, f"{unit}-in", "2025-07-20 23:59", f"{unit}新企业", unit=unit)  # on D: in W → 1
        add_lead(con, f"{unit}-late", "2025-07-21 00:00", f"{unit}后企业", unit=unit)  # after D
        add_lead(con, f"{unit}-kept", "2025-05-01", f"{unit}续企业", unit=unit)  # in W → 1
        add_lead(
            con, f"{unit}-kept2", "2025-07-21", f"{unit}续企业", unit=unit
        )  # after D (a lapse with N = 30)
    assert _valid_leads(con, "2025-07-20") == {"t01": 2, "t02": 2}
    # N = 30: -old2 is 60 days after -old, which lapses → -old2 is a first report in W (+1); -kept2 is a
    # first report too but after D → still not counted: 3 each
    assert _valid_leads(con, "2025-07-20", first_report_protection_days=30) == {"t01": 3, "t02": 3}


def test_same_day_reports_are_ordered_by_time_not_by_id() -> None:
    """METRICS.md §4 First report: "In each group, ordered by reported_at then lead_id, the first lead
    whose status is not invalid is the first report" — t02 reported at 09:00 is first although its
    id sorts after t01's 10:00 report."""
    con = _db("t01", "t02")
    add_lead(con, "L20260305-t02-001", "2025-03-05 09:00", "甲公司", unit="t02")
    add_lead(con, "L20260305-t01-007", "2025-03-05 10:00", "甲公司", unit="t01")
    assert _valid_leads(con, "2025-07-20") == {"t01": 0, "t02": 1}
    decided = adjudicate_leads(con).set_index("lead_id")
    assert decided.loc["L20260305-t01-007", "duplicate_of"] == "L20260305-t02-001"


def test_a_name_with_invisible_characters_is_the_same_company() -> None:
    """METRICS.md §4 First report (v2): the company key removes "every invisible character (Unicode
    categories Cf and the variation selectors ...)". A name that differs only by invisible characters
    is the same company."""
    con = _db("t01", "t02")
    add_lead(con, "x1", "2025-03-01", "华为技术有限公司", unit="t01")
    add_lead(con, "x2", "2025-03-02", "华为\u200b技术有限公司\ufeff", unit="t02")  # ZWSP and BOM
    add_lead(
        con, "x3", "2025-03-03", "\u200e华为技术\u00ad有限公司\ufe0f", unit="t02"
    )  # LRM, soft hyphen, VS16
    assert _valid_leads(con, "2025-07-20") == {"t01": 1, "t02": 0}


def test_a_stale_first_report_lapses_after_the_protection_period() -> None:
    """METRICS.md §4 First report (v2): "the current first report f lapses for a later non-invalid
    lead l when f has no project_id and l.reported_at is more than N days after f.reported_at; l then
    becomes the current first report (and f stays a first report: both count)"."""
    con = _db("t01", "t02", "t03")
    add_lead(con, "a1", "2025-01-05", "甲公司", unit="t01")  # first report, no project
    add_lead(con, "a2", "2025-02-04 18:00", "甲公司", unit="t03")  # 30 days after a1: not more → duplicate
    add_lead(con, "a3", "2025-02-06", "甲公司", unit="t02")  # 32 days after a1 → a1 lapses: a3 first
    add_lead(con, "a4", "2025-02-20", "甲公司", unit="t03")  # 14 days after a3 → duplicate of a3
    add_lead(con, "b1", "2025-01-05", "乙公司", unit="t01", project_id="p1")  # has a project: never lapses
    add_lead(con, "b2", "2025-06-01", "乙公司", unit="t02")
    # N = 30: t01 a1 + b1 = 2; t02 a3 = 1; t03 0
    assert _valid_leads(con, "2025-07-20", first_report_protection_days=30) == {"t01": 2, "t02": 1, "t03": 0}
    # no protection period (the default): every later lead is a duplicate of a1 / b1
    assert _valid_leads(con, "2025-07-20") == {"t01": 2, "t02": 0, "t03": 0}
    # N = 31: a3 is 32 days after a1 → still lapses; N = 32: it does not (32 is not more than 32)
    assert _valid_leads(con, "2025-07-20", first_report_protection_days=31)["t02"] == 1
    assert _valid_leads(con, "2025-07-20", first_report_protection_days=32)["t02"] == 0


def test_a_lapse_shows_in_the_adjudication() -> None:
    """METRICS.md §4 First report (v2): after a lapse both leads are first reports; a later lead is
    the duplicate of the current first report."""
    con = _db("t01", "t02")
    add_lead(con, "a1", "2025-01-05", "甲公司", unit="t01")
    add_lead(con, "a2", "2025-03-01", "甲公司", unit="t02")  # 55 days later
    add_lead(con, "a3", "2025-03-02", "甲公司", unit="t01", status="invalid")
    register_company_keys(con)
    rows = views.fetch_rows(
        con,
        f"SELECT lead_id, is_first_report, duplicate_of FROM ({views.LEAD_ADJUDICATION}) ORDER BY lead_id",
        {"protection_days": 30},
    )
    assert rows == [("a1", True, None), ("a2", True, None), ("a3", False, "a2")]
    # without protection a2 and a3 are duplicates of a1
    rows = views.fetch_rows(
        con,
        f"SELECT lead_id, is_first_report, duplicate_of FROM ({views.LEAD_ADJUDICATION}) ORDER BY lead_id",
        {},
    )
    assert rows == [("a1", True, None), ("a2", False, "a1"), ("a3", False, "a1")]
