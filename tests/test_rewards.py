"""METRICS.md §6: rewards at and around their thresholds and caps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from metrics_fixtures import add_arrival, add_industry, add_project, add_unit, fresh, period, settings

from analytics.metrics.rewards import (
    _project_funds,
    amount_5020,
    amount_foreign_fx,
    evaluate_project_rewards,
    reward_candidates,
    rewards,
)

POLICY = settings()["reward_policy"]


def _db():
    con = fresh()
    add_industry(con, "ind", is_industrial=True)
    add_industry(con, "svc", is_industrial=False)
    for unit in ("t01", "t02", "t03"):
        add_unit(con, unit)
    return con


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        (199999, None),  # below 200000
        (200000, 10),  # exactly the threshold: 10 + 5 × 0
        (299999, 10),  # floor(99999 / 100000) = 0
        (300000, 15),  # 10 + 5 × 1
        (999999, 45),  # 10 + 5 × 7
        (1000000, 50),  # 10 + 5 × 8 = 50 = the cap
        (1500000, 50),  # 10 + 5 × 13 = 75 → capped at 50
    ],
)
def test_amount_5020_steps_and_cap(total: float, expected: int | None) -> None:
    fixed = Decimal(total) / 5  # exactly 20 %
    assert amount_5020(total, fixed, POLICY["project_5020"]) == expected


def test_amount_5020_needs_twenty_percent_fixed_assets() -> None:
    assert amount_5020(200000, Decimal("39999.99"), POLICY["project_5020"]) is None
    assert amount_5020(200000, Decimal(40000), POLICY["project_5020"]) == 10


@pytest.mark.parametrize(
    ("fx", "expected"),
    [
        ("99.99", None),
        ("100", 5),  # 5 + 2 × 0
        ("199", 5),
        ("199.99", 5),
        ("200", 7),  # 5 + 2 × 1
        ("1099.99", 23),  # 5 + 2 × 9
        ("1100", 25),  # 5 + 2 × 10 = 25 = the cap
        ("5000", 25),  # capped
    ],
)
def test_amount_foreign_fx_steps_and_cap(fx: str, expected: int | None) -> None:
    assert amount_foreign_fx(Decimal(fx), POLICY["foreign_fx"]) == expected


def test_rewards_end_to_end() -> None:
    con = _db()
    # p1: 5020, industrial, 300000, in stats 2021-01-10, fixed 40000 + 20000 reaches 20 % on 2021-03-01 → q in W
    add_project(con, "p1", "2020-05-01", unit="t01", industry="ind", total=300000, is_5020=True,
                in_stats="2021-01-10")  # fmt: skip
    add_arrival(con, "p1", "2020-06-01", amount=40000, fixed=40000)
    add_arrival(con, "p1", "2021-03-01", amount=20000, fixed=20000)
    # p2: 5020 but its fixed assets reach 20 % only after D → nothing
    add_project(con, "p2", "2021-01-05", unit="t01", industry="ind", total=200000, is_5020=True,
                in_stats="2021-02-01")  # fmt: skip
    add_arrival(con, "p2", "2021-03-01", amount=39999, fixed=39999)
    add_arrival(con, "p2", "2021-07-21", amount=1, fixed=1)
    # p3: 5020 entering the statistics after D → nothing
    add_project(con, "p3", "2021-01-05", unit="t01", industry="ind", total=200000, is_5020=True,
                in_stats="2021-07-21")  # fmt: skip
    add_arrival(con, "p3", "2021-03-01", amount=50000, fixed=50000)
    # p4: foreign industrial: fx_Y = 150 + 50 = 200 → 7; also 5020 with 200000 and 20 % → 10
    add_project(con, "p4", "2021-01-05", unit="t02", total=200000, is_5020=True, in_stats="2021-02-01",
                source="foreign", industry="ind")  # fmt: skip
    add_arrival(con, "p4", "2021-02-01", amount=40000, fixed=40000, fdi=150, fx=150)
    add_arrival(con, "p4", "2021-04-01", fdi=100, fx=50)
    add_arrival(con, "p4", "2020-12-31", fdi=1000, fx=1000)  # before W: not fx_Y, not fdi
    # p5: foreign, not industrial → no foreign_fx; fx 600 in one arrival
    add_project(con, "p5", "2021-01-05", unit="t03", source="foreign", industry="svc")
    add_arrival(con, "p5", "2021-05-01", fdi=600, fx=600)
    # p6: foreign industrial, written off before D: earns nothing (v2), its arrival still counts for fdi
    add_project(
        con, "p6", "2021-01-05", unit="t03", source="foreign", industry="ind", written_off="2021-06-01"
    )
    add_arrival(con, "p6", "2021-05-02", fdi=100, fx=100)
    result = rewards(con, period(2021, "2021-07-20"), settings())
    # fdi in W = 150 + 100 + 600 + 100 = 950 → 0.003 × 950 = 2.85
    # fx by unit over active projects: t02 = 200, t03 = 600 (p6 written off) → t03, one arrival of 600 ≥ 600 → 15
    assert result == {
        "fdi": 2.85,
        "export": 0.0,
        "fx_contribution": {"unit_id": "t03", "amount": 15.0, "tied": []},
        "projects": [
            {"project_id": "p1", "reward": "project_5020", "unit_id": "t01", "payee": "t01", "amount": 15.0},
            {"project_id": "p4", "reward": "foreign_fx", "unit_id": "t02", "payee": "t02", "amount": 7.0},
            {"project_id": "p4", "reward": "project_5020", "unit_id": "t02", "payee": "t02", "amount": 10.0},
        ],
        "prizes": [],
        "tax_sharing": [],
        "total": 49.85,  # 2.85 + 15 + 15 + 7 + 10
    }
    candidates = reward_candidates(con, period(2021, "2021-07-20"), settings()).set_index("project_id")
    assert (
        candidates.loc["p2", "fixed_to_date_wan"] == 39999.0
        and candidates.loc["p2", "project_5020_wan"] == 0.0
    )


def test_fx_contribution_without_a_single_big_arrival_names_the_unit_with_zero() -> None:
    con = _db()
    add_project(con, "a", "2021-01-05", unit="t02", source="foreign", industry="svc")
    add_arrival(con, "a", "2021-02-01", fdi=599.99, fx=599.99)
    add_arrival(con, "a", "2021-03-01", fdi=500, fx=500)  # 1099.99 in all, no single ≥ 600
    result = rewards(con, period(2021, "2021-07-20"), settings())
    assert result["fx_contribution"] == {"unit_id": "t02", "amount": 0.0, "tied": []}


def test_fx_contribution_tie_goes_to_nobody() -> None:
    con = _db()
    add_project(con, "a", "2021-01-05", unit="t03", source="foreign", industry="svc")
    add_project(con, "b", "2021-01-05", unit="t02", source="foreign", industry="svc")
    add_arrival(con, "a", "2021-02-01", fx=700, fdi=700)
    add_arrival(con, "b", "2021-02-01", fx=300, fdi=300)
    add_arrival(con, "b", "2021-02-02", fx=400, fdi=400)
    result = rewards(con, period(2021, "2021-07-20"), settings())
    # t02 (300 + 400) and t03 (700) tie at 700: the leading group decides, no id does
    assert result["fx_contribution"] == {"unit_id": None, "amount": 0.0, "tied": ["t02", "t03"]}


def test_no_fx_in_the_window() -> None:
    con = _db()
    add_project(con, "a", "2021-01-05", unit="t02", source="foreign", industry="ind")
    add_arrival(con, "a", "2021-02-01", amount=10, fdi=10)  # FDI but no FX
    result = rewards(con, period(2021, "2021-07-20"), settings())
    assert result == {"fdi": 0.03, "export": 0.0, "fx_contribution": {"unit_id": None, "amount": 0.0, "tied": []},
                      "projects": [], "prizes": [], "tax_sharing": [], "total": 0.03}  # fmt: skip


def test_policy_override() -> None:
    con = _db()
    add_project(con, "a", "2021-01-05", unit="t02", source="foreign", industry="ind")
    add_arrival(con, "a", "2021-02-01", fdi=150, fx=150)
    policy = {"foreign_fx": {"min_fx_usd_wan": 200.0}, "fdi_wan_per_usd_wan": 0.01}
    result = rewards(con, period(2021, "2021-07-20"), settings(reward_policy=policy))
    assert result["projects"] == [] and result["fdi"] == 1.5  # 150 < 200; 0.01 × 150


def test_the_reports_read_of_earning_projects_drops_none_at_the_boundaries() -> None:
    """The report reads only the projects that can earn (``EARNING_PROJECT_FUNDS_SQL``, a necessary
    condition); the drill-down reads every candidate. Both must give the same rewards, here with
    every case on an edge of the condition. W = 2021-01-01 .. 2021-07-20, foreign_fx minimum 100."""
    con = _db()
    # foreign: fx_Y exactly the minimum (earns 5), a cent below (nothing), the minimum only by
    # counting an arrival dated D itself (earns), and one written off on D (active = written off
    # after D: nothing).
    add_project(con, "f-at", "2020-06-01", unit="t01", industry="ind", source="foreign")
    add_arrival(con, "f-at", "2021-02-01", fx=100, fdi=100)
    add_project(con, "f-below", "2020-06-01", unit="t02", industry="ind", source="foreign")
    add_arrival(con, "f-below", "2021-02-01", fx=99.99, fdi=99.99)
    add_project(con, "f-on-d", "2020-06-01", unit="t03", industry="ind", source="foreign")
    add_arrival(con, "f-on-d", "2021-01-01", fx=60, fdi=60)
    add_arrival(con, "f-on-d", "2021-07-20", fx=40, fdi=40)
    add_project(
        con, "f-off", "2020-06-01", unit="t01", industry="ind", source="foreign", written_off="2021-07-20"
    )
    add_arrival(con, "f-off", "2021-02-01", fx=500, fdi=500)
    # 5020 (total 200000, share 20% = 40000): q on W's first day (earns 10), q the day before W
    # (qualified last year: nothing), q on D (earns), reached but not in the statistics (nothing).
    for project_id, in_stats, reached in (
        ("q-first", "2020-12-01", "2021-01-01"),
        ("q-last-year", "2020-12-01", "2020-12-31"),
        ("q-on-d", "2021-07-20", "2021-03-01"),
        ("q-no-stats", None, "2021-03-01"),
    ):
        add_project(
            con, project_id, "2020-06-01", industry="ind", total=200000, is_5020=True, in_stats=in_stats
        )
        add_arrival(con, project_id, reached, fixed=40000)
    p, s = period(2021, "2021-07-20"), settings()
    policy = s["reward_policy"]
    read_for_the_report = evaluate_project_rewards(_project_funds(con, p, s, earning_only=True), p, policy)
    read_for_the_drilldown = evaluate_project_rewards(_project_funds(con, p, s), p, policy)
    assert read_for_the_report == read_for_the_drilldown
    assert [(r["project_id"], r["reward"], r["amount_exact"]) for r in read_for_the_report] == [
        ("f-at", "foreign_fx", 5),
        ("f-on-d", "foreign_fx", 5),
        ("q-first", "project_5020", 10),
        ("q-on-d", "project_5020", 10),
    ]
    assert len(_project_funds(con, p, s)) == 8  # the drill-down still lists every candidate
