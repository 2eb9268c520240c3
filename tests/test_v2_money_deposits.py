"""METRICS.md v2 §6, deposits (责任金): refundable, forfeited or null by the scope's targets. Golden rows."""

from __future__ import annotations

from metrics_fixtures import (
    add_department,
    add_industry,
    add_project,
    add_squad,
    add_target,
    add_unit,
    fresh,
    period,
    settings,
)

from analytics.metrics.report import build_report

P = period(2024, "2024-07-20")


def add_deposit(con, deposit_id: str, scope: str, amount_yuan: float, year: int = 2024) -> None:
    con.execute(
        "INSERT INTO deposits (deposit_id, year, person, role, scope, amount_yuan) VALUES (?, ?, ?, ?, ?, ?)",
        [deposit_id, year, f"缴纳人{deposit_id}", None, scope, amount_yuan],
    )


def test_a_deposit_for_each_outcome() -> None:
    """§6 v2 deposits: "a row's scope … is `refundable` when it met both its `signed_projects` and its
    `in_stats_projects` targets (actual ≥ target, for each of the two that has a target > 0), `null` when
    it has neither target, else `false`"; "scopes by id, several rows of one scope merged; `held_yuan`
    counts every row, a `null` scope counts in neither of the other two sums"."""
    con = fresh()
    add_industry(con, "i1")
    add_squad(con, "s1", industry_id="i1")
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_unit(con, "t03")
    add_department(con, "d01", "s1")
    add_department(con, "d02", "s1")
    # s1 (squad): targets signed 2, in_stats 1; members signed 1 + 1 = 2 ≥ 2, in stats 1 ≥ 1 → refundable
    add_target(con, 2024, "s1", "signed_projects", 2)
    add_target(con, 2024, "s1", "in_stats_projects", 1)
    add_project(con, "a", "2024-02-01", unit="d01", in_stats="2024-03-01")
    add_project(con, "b", "2024-02-01", unit="d02")
    # t01 (township): signed target 1 met, in_stats target 1 missed (0) → forfeited
    add_target(con, 2024, "t01", "signed_projects", 1)
    add_target(con, 2024, "t01", "in_stats_projects", 1)
    add_project(con, "c", "2024-02-01", unit="t01")
    # t02: only a valid_leads target (and an in_stats target of 0): neither target > 0 → null
    add_target(con, 2024, "t02", "valid_leads", 3)
    add_target(con, 2024, "t02", "in_stats_projects", 0)
    # t03: only a signed target of 1, met → refundable (the missing in_stats target is not judged)
    add_target(con, 2024, "t03", "signed_projects", 1)
    add_project(con, "d", "2024-02-01", unit="t03")
    add_deposit(con, "k1", "s1", 1000)
    add_deposit(con, "k2", "t01", 1000)
    add_deposit(con, "k3", "s1", 500)  # merged with k1
    add_deposit(con, "k4", "t02", 1200)
    add_deposit(con, "k5", "t03", 1500)
    add_deposit(con, "k6", "t01", 800, year=2023)  # another year: not counted
    report = build_report(con, P, settings())
    assert report["deposits"] == {
        "held_yuan": 5200.0,  # 1000 + 500 + 1000 + 1200 + 1500
        "refundable_yuan": 3000.0,  # s1 1500 + t03 1500
        "forfeited_yuan": 1000.0,  # t01
        "scopes": [
            {"scope": "s1", "held_yuan": 1500.0, "refundable": True},
            {"scope": "t01", "held_yuan": 1000.0, "refundable": False},
            {"scope": "t02", "held_yuan": 1200.0, "refundable": None},
            {"scope": "t03", "held_yuan": 1500.0, "refundable": True},
        ],
    }
    assert list(report)[-2:] == ["rewards", "deposits"]


def test_forfeited_deposits_add_up() -> None:
    """§6 v2 deposits: `forfeited_yuan` is the sum over every scope whose verdict is false (two
    scopes here, one with two rows): 1000 + 300 + 700 = 2000."""
    con = fresh()
    add_industry(con, "i1")
    for unit in ("t01", "t02"):
        add_unit(con, unit)
        add_target(con, 2024, unit, "signed_projects", 1)  # nothing signed: missed
    add_deposit(con, "k1", "t01", 1000)
    add_deposit(con, "k2", "t02", 300)
    add_deposit(con, "k3", "t02", 700)
    deposits = build_report(con, P, settings())["deposits"]
    assert (deposits["held_yuan"], deposits["refundable_yuan"], deposits["forfeited_yuan"]) == (
        2000.0,
        0.0,
        2000.0,
    )
    assert [s["refundable"] for s in deposits["scopes"]] == [False, False]


def test_no_deposits() -> None:
    """§6 v2: the deposits object is always there; with no rows every sum is 0."""
    report = build_report(fresh(), P, settings())
    assert report["deposits"] == {
        "held_yuan": 0.0,
        "refundable_yuan": 0.0,
        "forfeited_yuan": 0.0,
        "scopes": [],
    }
