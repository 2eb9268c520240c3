"""METRICS.md §2: key-industry concentration over S."""

from __future__ import annotations

from metrics_fixtures import add_industry, add_project, add_unit, fresh, period, settings

from analytics.metrics.concentration import concentration, concentration_trend, industry_shares


def _db():
    con = fresh()
    add_industry(con, "k1", is_key=True)
    add_industry(con, "k2", is_key=True)
    add_industry(con, "o1")
    add_unit(con, "t01")
    return con


def test_both_shares_hhi_and_headline() -> None:
    con = _db()
    add_project(con, "a", "2021-02-01", industry="k1", total=6000)
    add_project(con, "b", "2021-03-01", industry="k2", total=1000)
    add_project(con, "c", "2021-04-01", industry="o1", total=3000)
    add_project(con, "d", "2021-05-01", industry="o1", total=10000, written_off="2021-06-01")  # not in S
    add_project(con, "e", "2020-12-31", industry="o1", total=10000)  # last year: not in S
    result = concentration(con, period(2021, "2021-07-20"), settings())
    # investment: key = 6000 + 1000 = 7000 of 10000 → 0.7; count: 2 of 3
    # hhi = 0.6² + 0.1² + 0.3² = 0.36 + 0.01 + 0.09 = 0.46
    assert result["by_investment"] == 0.7
    assert result["hhi"] == 0.46
    assert result == {"by_investment": 0.7, "by_count": 2 / 3, "hhi": 0.46, "basis": "investment",
                      "headline": 0.7, "target": 0.5, "met": True}  # fmt: skip


def test_count_basis_and_exact_target_boundary() -> None:
    con = _db()
    add_project(con, "a", "2021-02-01", industry="k1", total=100)
    add_project(con, "b", "2021-02-01", industry="o1", total=900)
    s = settings(concentration_basis="count")
    result = concentration(con, period(2021, "2021-07-20"), s)
    assert (result["headline"], result["met"]) == (0.5, True)  # 1 of 2 = 0.5 ≥ 0.5
    by_investment = concentration(con, period(2021, "2021-07-20"), settings())
    assert (by_investment["headline"], by_investment["met"]) == (0.1, False)  # 100 / 1000


def test_empty_s_is_all_null() -> None:
    result = concentration(_db(), period(2021, "2021-07-20"), settings())
    assert result == {"by_investment": None, "by_count": None, "hhi": None, "basis": "investment",
                      "headline": None, "target": 0.5, "met": None}  # fmt: skip


def test_industry_shares_and_trend() -> None:
    con = _db()
    add_project(con, "a", "2021-02-01", industry="k1", total=750)
    add_project(con, "b", "2021-02-01", industry="o1", total=250)
    add_project(con, "c", "2020-02-01", industry="o1", total=250)
    df = industry_shares(con, period(2021, "2021-07-20")).set_index("industry_id")
    assert df.loc["k1", "investment_share"] == 0.75 and df.loc["o1", "count_share"] == 0.5
    assert bool(df.loc["k1", "is_key"]) and not bool(df.loc["o1", "is_key"])
    trend = concentration_trend(con, [2020, 2021], settings())
    assert list(trend["by_investment"]) == [0.0, 0.75]
    assert list(trend["as_of"].astype(str)) == ["2020-12-31", "2021-12-31"]
    leap = concentration_trend(con, [2020, 2021], settings(), "02-29")
    assert list(leap["as_of"].astype(str)) == ["2020-02-29", "2021-02-28"]
