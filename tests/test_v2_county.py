"""METRICS.md v2 golden tests of §0 (milestone dates, verification), §1 (write-offs per cohort) and
§3 (top_companies, foreign trade against the city). Every figure is worked out by hand."""

from __future__ import annotations

from metrics_fixtures import (
    add_arrival,
    add_industry,
    add_project,
    add_target,
    add_trade,
    add_unit,
    add_unit_targets,
    d,
    fresh,
    period,
    settings,
)

from analytics.metrics.county import county_metrics
from analytics.metrics.landing import laggards, landing_rates
from analytics.metrics.units import unit_results


def _db():
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    return con


def _county(con, as_of: str, year: int = 2026, **overrides) -> dict[str, dict]:
    return {e["metric"]: e for e in county_metrics(con, period(year, as_of), settings(**overrides))}


def test_top_companies_are_only_central_soe_and_private_top100_of_100m() -> None:
    """METRICS.md §3 (v2): top_companies = "in S with total_investment_wan ≥ 10000 and company_rank in
    top_company_ranks" (default central_soe, private_top100)."""
    con = _db()
    add_project(con, "a", "2026-02-01", total=10000, rank="central_soe")  # counts
    add_project(con, "b", "2026-02-01", total=50000, rank="private_top100")  # counts
    add_project(con, "c", "2026-02-01", total=100000, rank="world500")  # 世界500强: not in the seed's list
    add_project(con, "e", "2026-02-01", total=20000, rank="china500")  # 中国500强: not either
    add_project(con, "f", "2026-02-01", total=9999, rank="central_soe")  # under 亿元
    add_project(con, "g", "2026-02-01", total=30000)  # no rank
    assert _county(con, "2026-07-20")["top_companies"]["actual"] == 2  # a, b
    assert (
        _county(con, "2026-07-20", top_company_ranks=["world500", "china500"])["top_companies"]["actual"] == 2
    )
    assert _county(con, "2026-07-20", top_company_ranks=[])["top_companies"]["actual"] == 0


def _trade_years(con) -> None:
    # 2025: Jan–Mar 100 + 50 each → 450 over the first quarter
    for month in ("2025-01", "2025-02", "2025-03"):
        add_trade(con, month, 100, 50)
    add_trade(con, "2025-04", 900, 0)  # after March: not in the previous span to 03-15
    # 2026: Jan 200 + 40, Feb 180 + 30, Mar 80 + 10 → 540; April not yet counted on 03-15
    add_trade(con, "2026-01", 200, 40, city_growth=0.10)
    add_trade(con, "2026-02", 180, 30, city_growth=0.15)
    add_trade(con, "2026-03", 80, 10, city_growth=0.19)
    add_trade(con, "2026-04", 1000, 1000, city_growth=0.5)


def test_trade_above_the_city() -> None:
    """METRICS.md §3 (v2): trade_usd_wan = Σ exports + imports of the trade months of Y up to the month
    of min(D, Y-12-31) (that month in full); previous over the same months of Y-1; city_growth of the
    latest row counted; above_city = yoy > city_growth."""
    con = _db()
    _trade_years(con)
    trade = _county(con, "2026-03-15")["trade_usd_wan"]
    # actual 240 + 210 + 90 = 540; previous 450; yoy = 540/450 − 1 = 0.2; city (March) 0.19 → above
    assert (trade["actual"], trade["previous"]) == (540.0, 450.0)
    assert trade["yoy"] == 0.2  # computed exactly (1/5), then shown as a float
    assert (trade["city_growth"], trade["above_city"]) == (0.19, True)
    assert (trade["target"], trade["status"]) == (None, "no_target")


def test_trade_below_the_city_and_the_exact_boundary() -> None:
    """METRICS.md §3 (v2): above_city = yoy > city_growth, "null when either is null"; the status follows
    the ordinary rule when trade has a target."""
    con = _db()
    _trade_years(con)
    con.execute("UPDATE trade SET city_growth = 0.2 WHERE month = '2026-03'")
    # yoy is exactly 0.2 (540/450 − 1 = 1/5, though 540/450 − 1 is 0.19999999999999996 in floats):
    # not above the city's 0.2
    assert _county(con, "2026-03-15")["trade_usd_wan"]["above_city"] is False
    con.execute("UPDATE trade SET city_growth = 0.25 WHERE month = '2026-03'")
    assert _county(con, "2026-03-15")["trade_usd_wan"]["above_city"] is False  # below
    # in February the latest row counted is 2026-02 (0.15): actual 450, previous 300 → yoy 0.5 > 0.15
    february = _county(con, "2026-02-28")["trade_usd_wan"]
    assert (february["actual"], february["previous"], february["city_growth"], february["above_city"]) == (
        450.0,
        300.0,
        0.15,
        True,
    )
    # a blank city growth in the latest row counted: null, not the earlier month's
    con.execute("UPDATE trade SET city_growth = NULL WHERE month = '2026-03'")
    trade = _county(con, "2026-03-15")["trade_usd_wan"]
    assert (trade["city_growth"], trade["above_city"]) == (None, None)
    # target 2000: completion 540/2000 = 0.27 ≥ f = (31 + 28 + 15)/365 = 74/365 ≈ 0.2027 → on_track
    add_target(con, 2026, "county", "trade_usd_wan", 2000)
    trade = _county(con, "2026-03-15")["trade_usd_wan"]
    assert (trade["completion"], trade["status"]) == (0.27, "on_track")


def test_no_previous_trade_gives_null_yoy_and_above_city() -> None:
    """METRICS.md §3: yoy is null when previous is 0; above_city is null when either is null."""
    con = _db()
    add_trade(con, "2026-01", 10, 0, city_growth=0.1)
    trade = _county(con, "2026-01-31")["trade_usd_wan"]
    assert (trade["actual"], trade["previous"], trade["yoy"], trade["above_city"]) == (10.0, 0.0, None, None)


def test_milestones_dated_after_d_never_count() -> None:
    """METRICS.md §0 (v2): "A project's in_stats_date, commenced_date, production_date and a fund arrival
    count only when they are on or before D (a date after D is treated as blank)"; a project commenced
    and produced exactly on D counts."""
    con = _db()
    add_project(
        con, "on_d", "2025-05-01", commenced="2026-03-15", produced="2026-03-15", in_stats="2026-03-15"
    )
    add_project(
        con, "after", "2025-05-01", commenced="2026-03-16", produced="2026-03-16", in_stats="2026-03-16"
    )
    add_arrival(con, "on_d", "2026-03-15", fdi=10)
    add_arrival(con, "after", "2026-03-16", fdi=99)
    add_unit_targets(con, 2026, "t01", None, 1, None)
    p = period(2026, "2026-03-15")
    prior = landing_rates(con, p, settings())[0]
    assert (prior["base"], prior["commenced"], prior["produced"]) == (2, 1, 1)  # on_d only
    assert list(laggards(con, p)["project_id"]) == ["after"]
    county = _county(con, "2026-03-15")
    assert county["in_stats_investment_wan"]["actual"] == 1000.0  # on_d
    assert county["fdi_usd_wan"]["actual"] == 10.0
    assert unit_results(con, p, settings())[0]["actuals"]["in_stats_projects"] == 1


def _verification_county():
    con = _db()
    add_unit_targets(con, 2026, "t01", None, 4, None)
    # in the statistics on 02-01: verified 02-10; never verified; verified after D (03-20)
    add_project(con, "v", "2025-05-01", in_stats="2026-02-01", in_stats_verified_on=d("2026-02-10"),
                commenced="2025-06-01", commenced_verified_on=d("2025-06-05"))  # fmt: skip
    add_project(con, "u", "2025-05-01", in_stats="2026-02-01", commenced="2025-06-01",
                produced="2026-01-10")  # fmt: skip
    add_project(con, "late", "2025-05-01", in_stats="2026-02-01", in_stats_verified_on=d("2026-03-20"),
                produced="2026-01-10", production_verified_on=d("2026-03-20"))  # fmt: skip
    add_arrival(con, "v", "2026-02-01", fdi=5, fx=1, verified_on=d("2026-02-03"))
    add_arrival(con, "u", "2026-02-01", fdi=7, fx=2)
    add_arrival(con, "late", "2026-02-01", fdi=11, fx=4, verified_on=d("2026-03-16"))
    return con


def test_unverified_milestones_do_not_count_under_count_verified_only() -> None:
    """METRICS.md §0 (v2): "With the setting count_verified_only = true, a milestone counts only when its
    verification date ... is also on or before D; an unverified milestone is then treated as blank
    everywhere in this page. Default false: every recorded milestone counts"."""
    con = _verification_county()
    p = period(2026, "2026-03-15")
    # default: every recorded milestone counts
    county = _county(con, "2026-03-15")
    assert county["in_stats_investment_wan"]["actual"] == 3000.0  # v, u, late
    assert (county["fdi_usd_wan"]["actual"], county["fx_usd_wan"]["actual"]) == (23.0, 7.0)
    prior = landing_rates(con, p, settings())[0]
    assert (prior["commenced"], prior["produced"]) == (2, 2)  # v, u; u, late
    # verified only: v's 入统 (verified 02-10); u never verified; late verified after D
    strict = _county(con, "2026-03-15", count_verified_only=True)
    assert strict["in_stats_investment_wan"]["actual"] == 1000.0
    assert (strict["fdi_usd_wan"]["actual"], strict["fx_usd_wan"]["actual"]) == (5.0, 1.0)
    prior = landing_rates(con, p, settings(count_verified_only=True))[0]
    assert (prior["commenced"], prior["produced"]) == (1, 0)  # v commenced (verified); no verified 投产
    t01 = unit_results(con, p, settings(count_verified_only=True))[0]
    assert t01["actuals"]["in_stats_projects"] == 1
    # by 03-20 late's verification has come: 入统 2, 投产 1
    later = _county(con, "2026-03-20", count_verified_only=True)
    assert later["in_stats_investment_wan"]["actual"] == 2000.0
    assert (
        landing_rates(con, period(2026, "2026-03-20"), settings(count_verified_only=True))[0]["produced"] == 1
    )


def test_a_written_off_project_leaves_the_cohort_and_is_shown() -> None:
    """METRICS.md §1 (v2): "written_off = projects signed in year c with signed_date ≤ D that are not
    active (written off on or before D). The page shows 基数 N(已核销 M)"."""
    con = _db()
    add_project(con, "ok", "2025-03-01", commenced="2025-06-01")
    add_project(con, "idle", "2025-04-01")
    add_project(con, "gone", "2025-05-01", written_off="2026-02-01")  # written off before D: out, counted
    add_project(con, "going", "2025-05-01", written_off="2026-04-01")  # after D: still in the base
    add_project(con, "new_gone", "2026-01-10", written_off="2026-03-15")  # cohort 2026, on D: written off
    prior, current = landing_rates(con, period(2026, "2026-03-15"), settings())
    # 2025: base ok, idle, going = 3, written off 1; commenced 1/3 (not lifted to 1/2 by the write-off)
    assert (prior["base"], prior["written_off"], prior["commenced"]) == (3, 1, 1)
    assert prior["commencement_rate"] == 1 / 3
    assert (current["base"], current["written_off"]) == (0, 1)
