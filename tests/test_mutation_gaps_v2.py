"""Golden tests from the mutants that survived `make mutate` in squads, rewards, county and concentration
(docs/mutation.md lists each with the test that now kills it). Every expected value is worked out by hand
in the comments."""

from __future__ import annotations

import itertools
from datetime import date

from metrics_fixtures import (
    add_arrival,
    add_department,
    add_industry,
    add_project,
    add_squad,
    add_target,
    add_unit,
    add_unit_targets,
    d,
    fresh,
    period,
    settings,
)

from analytics.metrics.concentration import concentration_trend, industry_shares
from analytics.metrics.county import county_actuals, county_metrics, county_metrics_labelled
from analytics.metrics.rewards import reward_candidates, rewards
from analytics.metrics.squads import squad_members, squad_results, station_compliance

P21 = period(2021, "2021-06-30")
_ids = itertools.count()


def _member(con, unit: str, squad: str, target: int | None, signed: int) -> None:
    """A department whose only included indicator is signed_projects: score = 100 × min(signed / target,
    1.5), completed when signed ≥ target."""
    add_department(con, unit, squad)
    if target is not None:
        add_unit_targets(con, 2021, unit, target, None, None)
    for _ in range(signed):
        add_project(con, f"p{next(_ids)}", "2021-02-01", unit=unit, total=1000)


def _squad_db():
    con = fresh()
    add_industry(con, "i1")
    add_squad(con, "s1", industry_id="i1")
    return con


# §5 squads ------------------------------------------------------------------------------------------


def test_a_squad_target_of_zero_is_no_target() -> None:
    """§5: "`completed` = when the squad has a target > 0: every such squad target met; otherwise every
    member with a score completed". A target row of 0 leaves the squad judged by its members."""
    con = _squad_db()
    add_target(con, 2021, "s1", "signed_projects", 0)  # 0: no target (a mutant reading ≥ 0 calls it met)
    _member(con, "d01", "s1", 2, 2)  # 100 × 2/2 = 100, completed
    _member(con, "d02", "s1", 2, 1)  # 100 × 1/2 = 50, not completed
    (squad,) = squad_results(con, P21, settings())
    # judged by its members: d02 did not complete → False; the stored 0 is still shown
    assert (squad["targets"], squad["completed"], squad["advanced_members"]) == (
        {"signed_projects": 0}, False, [])  # fmt: skip


def test_a_squad_target_of_one_is_a_target() -> None:
    """§5: a squad target of 1 is a target > 0: the squad that reaches it has completed, although one
    member missed its own target (judged by the members it would not have)."""
    con = _squad_db()
    add_target(con, 2021, "s1", "signed_projects", 1)
    _member(con, "d01", "s1", 1, 1)  # 100 × 1/1 = 100, completed
    _member(con, "d02", "s1", 2, 0)  # 0, not completed
    (squad,) = squad_results(con, P21, settings())
    # squad actual 1 + 0 = 1 ≥ 1 → completed; d01 the only completed member → advanced
    assert (squad["actuals"]["signed_projects"], squad["completed"], squad["advanced_members"]) == (
        1, True, ["d01"])  # fmt: skip


def test_a_member_with_exactly_two_scored_members_lower_is_not_disqualified() -> None:
    """§5: "`disqualified` = the members that did not complete and have fewer than two scored members of
    the squad strictly lower by order key". Exactly two lower is not fewer than two."""
    con = _squad_db()
    _member(con, "d01", "s1", 4, 1)  # 100 × 1/4 = 25: 0 lower → disqualified
    _member(con, "d02", "s1", 4, 2)  # 100 × 2/4 = 50: 1 lower (d01) → disqualified
    _member(con, "d03", "s1", 4, 3)  # 100 × 3/4 = 75: 2 lower (d01, d02) → kept
    _member(con, "d04", "s1", 1, 1)  # 100, completed: never disqualified
    (squad,) = squad_results(con, P21, settings())
    assert squad["disqualified"] == ["d01", "d02"]


def test_the_member_table_shows_each_members_figures() -> None:
    """The squad page's member rows (``squad_members``): §5 "a `null` score counts 0", each member's score,
    completion, department rank and the squad's verdicts on it, under the documented column names."""
    con = _squad_db()
    add_squad(con, "s2", industry_id="i1", name="第二小分队")
    _member(con, "d01", "s1", 2, 3)  # 100 × min(3/2, 1.5) = 150, completed
    _member(con, "d02", "s1", None, 1)  # no target: no score, counts 0, unassessed
    _member(con, "d03", "s2", 2, 1)  # 100 × 1/2 = 50, not completed; 0 scored lower → disqualified
    df = squad_members(con, P21, settings())
    rows = df.astype(object).where(df.notna(), None).to_dict("records")  # a blank cell read as None
    # squad scores: s1 = 150 + 0 = 150 (rank 1), s2 = 50 (rank 2); departments ranked 150 (1), 50 (2),
    # d02 unranked (None); s1 has no squad target and its only scored member completed → d01 advanced
    assert rows == [
        {"squad_id": "s1", "squad_name": "小分队s1", "squad_rank": 1, "unit_id": "d01",
         "unit_name": "单位d01", "score": 150.0, "score_counted": 150.0, "completed": True,
         "department_rank": 1, "is_advanced_member": True, "is_disqualified": False, "is_unassessed": False},
        {"squad_id": "s1", "squad_name": "小分队s1", "squad_rank": 1, "unit_id": "d02",
         "unit_name": "单位d02", "score": None, "score_counted": 0.0, "completed": None,
         "department_rank": None, "is_advanced_member": False, "is_disqualified": False,
         "is_unassessed": True},
        {"squad_id": "s2", "squad_name": "第二小分队", "squad_rank": 2, "unit_id": "d03",
         "unit_name": "单位d03", "score": 50.0, "score_counted": 50.0, "completed": False,
         "department_rank": 2, "is_advanced_member": False, "is_disqualified": True, "is_unassessed": False},
    ]  # fmt: skip


# §3 county ------------------------------------------------------------------------------------------


def test_county_actuals_follow_the_settings_given() -> None:
    """§3 (v2): `top_companies` counts the `company_rank` values of `top_company_ranks`, a setting; the
    actuals the demo fits its targets with read the settings they are given, not the defaults."""
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_project(con, "a", "2026-02-01", total=10000, rank="central_soe")
    add_project(con, "b", "2026-02-01", total=20000, rank="world500")
    add_project(con, "c", "2026-02-01", total=30000, rank="world500")
    p = period(2026, "2026-07-20")
    assert county_actuals(con, p, settings())["top_companies"] == 1  # a (the default ranks)
    assert county_actuals(con, p, settings(top_company_ranks=["world500"]))["top_companies"] == 2  # b, c


def test_last_years_figures_follow_the_same_settings() -> None:
    """§3: `previous` is "the same metric for year Y-1 over the same span of days" — the same metric, so
    under the same `top_company_ranks`; and only `trade_usd_wan` carries `city_growth` and `above_city`."""
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_project(con, "last", "2025-03-01", total=20000, rank="world500")  # last year, within 01-01..07-20
    add_project(con, "this", "2026-03-01", total=20000, rank="world500")
    add_project(con, "soe", "2026-04-01", total=20000, rank="central_soe")
    entries = {e["metric"]: e for e in county_metrics(con, period(2026, "2026-07-20"),
                                                     settings(top_company_ranks=["world500"]))}  # fmt: skip
    # world500 only: this year 1 (this), last year 1 (last) → yoy = 1 / 1 − 1 = 0
    assert entries["top_companies"] == {"metric": "top_companies", "actual": 1, "target": None,
                                        "completion": None, "status": "no_target", "previous": 1,
                                        "yoy": 0.0}  # fmt: skip
    assert set(entries["trade_usd_wan"]) - set(entries["top_companies"]) == {"city_growth", "above_city"}


def test_labelled_county_entries_say_which_are_money() -> None:
    """The pages format a county figure by its `is_money` flag: the sums of §3 (万元, 万美元) are money,
    the counts are not."""
    con = fresh()
    money = {
        e["metric"]: e["is_money"]
        for e in county_metrics_labelled(con, period(2026, "2026-07-20"), settings())
    }
    assert sorted(m for m, is_money in money.items() if is_money) == [
        "fdi_usd_wan", "fx_usd_wan", "in_stats_investment_wan", "out_of_province_funds_wan",
        "trade_usd_wan"]  # fmt: skip
    assert money["signed_projects"] is False


# §2 concentration -----------------------------------------------------------------------------------


def test_industry_shares_rows() -> None:
    """§2 per industry of S (the industry page and the gap solver read it): projects, investment, the
    count share and the investment share, under the documented column names."""
    con = fresh()
    add_industry(con, "k1", is_key=True, name="新能源")
    add_industry(con, "o1", name="纺织")
    add_unit(con, "t01")
    add_project(con, "a", "2021-02-01", industry="k1", total=6000)
    add_project(con, "b", "2021-03-01", industry="o1", total=1000)
    add_project(con, "c", "2021-04-01", industry="o1", total=1000)
    df = industry_shares(con, period(2021, "2021-07-20"))
    # S: 3 projects, 8000 万元; k1 1 project 6000 → 1/3 and 6000/8000 = 0.75;
    # o1 2 projects 2000 → 2/3 and 2000/8000 = 0.25
    assert df.to_dict("records") == [
        {"industry_id": "k1", "industry_name": "新能源", "is_key": True, "projects": 1,
         "investment_wan": 6000.0, "count_share": 1 / 3, "investment_share": 0.75},
        {"industry_id": "o1", "industry_name": "纺织", "is_key": False, "projects": 2,
         "investment_wan": 2000.0, "count_share": 2 / 3, "investment_share": 0.25},
    ]  # fmt: skip


def test_the_concentration_trend_is_keyed_by_year() -> None:
    """The 历年集聚度 chart reads one row per year under `year`: 2020 has no project (all null), 2021's
    only project is in a key industry (by_investment 1)."""
    con = fresh()
    add_industry(con, "k1", is_key=True)
    add_unit(con, "t01")
    add_project(con, "a", "2021-02-01", industry="k1", total=500)
    trend = concentration_trend(con, [2020, 2021], settings())
    assert list(trend["year"]) == [2020, 2021]
    assert trend.loc[trend["year"] == 2021, "by_investment"].item() == 1.0


# §6 rewards -----------------------------------------------------------------------------------------

P24 = period(2024, "2024-07-20")


def _reward_db():
    con = fresh()
    add_industry(con, "ind", is_industrial=True)
    add_unit(con, "t01")
    return con


def _reward_projects(result: dict) -> list[tuple]:
    return [(p["project_id"], p["reward"], p["payee"], p["amount"]) for p in result["projects"]]


def test_rewards_count_only_verified_milestones_when_asked() -> None:
    """§0 (v2) with §6: under `count_verified_only = true` an unverified 入统 date or arrival is blank
    "everywhere in this page": the 5020 reward needs a verified `in_stats_date`, and the `fdi` reward
    follows the verified arrivals only."""
    con = _reward_db()
    for project_id, verified in (("a", d("2024-02-05")), ("b", None)):
        # 5020, industrial, 300000: 20 % = 60000 of fixed assets arrived (verified) on 2024-03-01
        add_project(con, project_id, "2023-03-01", industry="ind", total=300000, is_5020=True,
                    in_stats="2024-02-01", in_stats_verified_on=verified)  # fmt: skip
        add_arrival(con, project_id, "2024-03-01", amount=60000, fixed=60000, verified_on=d("2024-03-02"))
    add_project(con, "f", "2024-01-10", industry="ind", source="foreign")
    add_arrival(con, "f", "2024-04-01", fdi=500, verified_on=d("2024-04-02"))
    add_arrival(con, "f", "2024-05-01", fdi=1000)  # never verified
    # every milestone: a and b earn 10 + 5 × floor((300000 − 200000) / 100000) = 15 each;
    # fdi = 0.003 × (500 + 1000) = 4.5
    every = rewards(con, P24, settings())
    assert _reward_projects(every) == [("a", "project_5020", "t01", 15.0), ("b", "project_5020", "t01", 15.0)]
    assert every["fdi"] == 4.5
    # verified only: b has no 入统 date → no q → nothing; fdi = 0.003 × 500 = 1.5
    verified = rewards(con, P24, settings(count_verified_only=True))
    assert _reward_projects(verified) == [("a", "project_5020", "t01", 15.0)]
    assert verified["fdi"] == 1.5


def test_a_written_off_project_does_not_stop_the_next_projects_reward() -> None:
    """§6 (v2): "only projects `active` at `D` earn a project reward": a written-off project earns
    nothing, and the project after it (by id) still earns its own."""
    con = _reward_db()
    add_project(con, "a", "2024-01-05", industry="ind", source="foreign", written_off="2024-06-01")
    add_arrival(con, "a", "2024-02-01", fx=700)  # written off before D: nothing
    add_project(con, "b", "2024-01-05", industry="ind", source="foreign")
    add_arrival(con, "b", "2024-02-01", fx=300)  # foreign_fx 5 + 2 × floor((300 − 100) / 100) = 9
    assert _reward_projects(rewards(con, P24, settings())) == [("b", "foreign_fx", "t01", 9.0)]


def test_a_5020_project_qualifying_on_the_first_or_the_last_day_of_w_is_paid() -> None:
    """§6 (v2) project_5020: "Paid in the plan year of `q`, i.e. when `q` is in `W`" — W from Y-01-01 to
    min(D, Y-12-31), both ends included."""
    con = _reward_db()
    # jan: in stats 2023-12-20, 60000 = 20 % of 300000 arrived 2024-01-01 → q = 2024-01-01, W's first day
    add_project(con, "jan", "2023-03-01", industry="ind", total=300000, is_5020=True, in_stats="2023-12-20")
    add_arrival(con, "jan", "2024-01-01", amount=60000, fixed=60000)
    # dday: in stats 2024-02-01, 20 % arrived on D = 2024-07-20 → q = D, W's last day
    add_project(con, "dday", "2023-03-01", industry="ind", total=300000, is_5020=True, in_stats="2024-02-01")
    add_arrival(con, "dday", "2024-07-20", amount=60000, fixed=60000)
    # each 10 + 5 × floor(100000 / 100000) = 15
    assert _reward_projects(rewards(con, P24, settings())) == [
        ("dday", "project_5020", "t01", 15.0), ("jan", "project_5020", "t01", 15.0)]  # fmt: skip


def test_a_unit_with_less_than_one_wan_of_fx_still_leads() -> None:
    """§6 fx_contribution: "the unit with the largest Σ fx_Y over the projects it introduced … With no FX
    in W: unit `null`". 0.5 万美元 is FX: t01 leads, and with no single arrival ≥ 600 it earns 0."""
    con = _reward_db()
    add_project(con, "s", "2024-01-05", industry="ind")
    add_arrival(con, "s", "2024-02-01", fx=0.5)
    assert rewards(con, P24, settings())["fx_contribution"] == {"unit_id": "t01", "amount": 0.0, "tied": []}


def test_reward_candidates_show_each_projects_inputs_and_amounts() -> None:
    """The drill-down behind §6's project rewards (``reward_candidates``): per project its payee, 5020
    inputs (fixed assets, their share of the total, q), FX inputs and the amount each reward pays."""
    con = _reward_db()
    # a: 5020, 300000, in stats 2024-02-01, 90000 fixed (30 % ≥ 20 %) on 2024-03-01 → q = 2024-03-01;
    #    10 + 5 × floor(100000 / 100000) = 15, paid to its intermediary; not foreign → foreign_fx 0
    add_project(con, "a", "2023-03-01", industry="ind", total=300000, is_5020=True, in_stats="2024-02-01",
                intermediary="某招商顾问公司")  # fmt: skip
    add_arrival(con, "a", "2024-03-01", amount=90000, fixed=90000)
    # f: foreign, 1000; FX 250 + 80 = 330 in W, largest single 250 → 5 + 2 × floor(230 / 100) = 9
    add_project(con, "f", "2024-01-10", industry="ind", source="foreign")
    add_arrival(con, "f", "2024-02-01", fx=250)
    add_arrival(con, "f", "2024-03-01", fx=80)
    df = reward_candidates(con, P24, settings())
    rows = df.astype(object).where(df.notna(), None).to_dict("records")  # a blank cell read as None
    assert rows == [
        {"project_id": "a", "project_name": "项目a", "unit_id": "t01", "payee": "某招商顾问公司",
         "is_5020": True, "in_stats_date": date(2024, 2, 1), "total_investment_wan": 300000.0,
         "fixed_to_date_wan": 90000.0, "fixed_share": 0.3, "qualifying_day": date(2024, 3, 1),
         "source": "in_province", "is_industrial": True, "fx_y_usd_wan": 0.0, "max_fx_arrival_usd_wan": 0.0,
         "written_off_date": None, "is_active": True, "project_5020_wan": 15.0, "foreign_fx_wan": 0.0},
        {"project_id": "f", "project_name": "项目f", "unit_id": "t01", "payee": "t01",
         "is_5020": False, "in_stats_date": None, "total_investment_wan": 1000.0,
         "fixed_to_date_wan": 0.0, "fixed_share": 0.0, "qualifying_day": None,
         "source": "foreign", "is_industrial": True, "fx_y_usd_wan": 330.0, "max_fx_arrival_usd_wan": 250.0,
         "written_off_date": None, "is_active": True, "project_5020_wan": 0.0, "foreign_fx_wan": 9.0},
    ]  # fmt: skip


# Empty tables ---------------------------------------------------------------------------------------


def test_empty_tables_keep_their_columns() -> None:
    """A page reads a table's columns by name even when it has no row: no squad, an empty S, and no
    stationed month judged yet (on 31 January only January is in W, and D's own month is not judged)."""
    con = fresh()
    add_industry(con, "i1")
    assert list(squad_members(con, P21, settings()).columns) == [
        "squad_id", "squad_name", "squad_rank", "unit_id", "unit_name", "score", "score_counted",
        "completed", "department_rank", "is_advanced_member", "is_disqualified", "is_unassessed"]  # fmt: skip
    assert list(industry_shares(con, P21).columns) == [
        "industry_id", "industry_name", "is_key", "projects", "investment_wan", "count_share",
        "investment_share"]  # fmt: skip
    add_squad(con, "st1", kind="stationed")
    assert list(station_compliance(con, period(2021, "2021-01-31")).columns) == [
        "squad_id", "squad_name", "station_city", "month", "members_reported", "members_on_post",
        "short_members", "compliant"]  # fmt: skip
