"""METRICS.md v2 §6, rewards: active projects only, 5020 once and to its intermediary, industrial only,
the export reward, fx_contribution ties, prizes and tax sharing. Golden rows by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest
from metrics_fixtures import (
    add_arrival,
    add_department,
    add_industry,
    add_project,
    add_squad,
    add_unit,
    add_unit_targets,
    fresh,
    period,
    settings,
)

from analytics.core.settings import SettingsError
from analytics.metrics.rewards import rewards

P = period(2024, "2024-07-20")


def set_project(con, project_id: str, **values) -> None:
    """Set v2 project columns the shared fixture does not fill (intermediary, in_park, is_major …)."""
    for column, value in values.items():
        con.execute(f"UPDATE projects SET {column} = ? WHERE project_id = ?", [value, project_id])


def add_tax(con, project_id: str, month: str, tax_wan: float) -> None:
    con.execute("INSERT INTO tax_receipts (project_id, month, local_tax_wan) VALUES (?, ?, ?)",
                [project_id, month, tax_wan])  # fmt: skip


def add_trade(con, month: str, exports: float, imports: float) -> None:
    con.execute("INSERT INTO trade (month, exports_usd_wan, imports_usd_wan) VALUES (?, ?, ?)",
                [month, exports, imports])  # fmt: skip


def _db():
    con = fresh()
    add_industry(con, "ind", is_industrial=True)
    add_industry(con, "svc", is_industrial=False)
    for unit in ("t01", "t02", "t03"):
        add_unit(con, unit)
    add_department(con, "d01")
    return con


def _5020(con, project_id: str, *, in_stats: str, fixed_on: list[tuple[str, float]], industry: str = "ind",
          total: float = 300000, unit: str = "t01") -> None:  # fmt: skip
    add_project(con, project_id, "2023-03-01", unit=unit, industry=industry, total=total, is_5020=True,
                in_stats=in_stats)  # fmt: skip
    for day, fixed in fixed_on:
        add_arrival(con, project_id, day, amount=fixed, fixed=fixed)


def _projects(result: dict) -> list[tuple]:
    return [(p["project_id"], p["reward"], p["payee"], p["amount"]) for p in result["projects"]]


def test_5020_qualified_last_year_is_not_paid_this_year() -> None:
    """§6 v2 project_5020: "once … Its qualifying day `q` = the later of `in_stats_date` and the date of
    the arrival with which the running Σ first reaches 20%. Paid in the plan year of `q`, i.e. when `q`
    is in `W`"."""
    con = _db()
    # a: in stats 2023-06-01, fixed 60000 = 20 % of 300000 reached 2023-09-01 → q = 2023-09-01: paid in 2023
    _5020(con, "a", in_stats="2023-06-01", fixed_on=[("2023-09-01", 60000)])
    # b: fixed 20 % reached 2023-10-01 but in stats only 2024-02-01 → q = 2024-02-01: paid in 2024,
    #    10 + 5 × floor((300000 − 200000) / 100000) = 15
    _5020(con, "b", in_stats="2024-02-01", fixed_on=[("2023-10-01", 60000)])
    # c: in stats 2023-05-01; 30000 in 2023 (10 %), 30000 more on 2024-03-01 → running 60000 = 20 %
    #    first on 2024-03-01 → q = 2024-03-01: paid in 2024, 15
    _5020(con, "c", in_stats="2023-05-01", fixed_on=[("2023-05-02", 30000), ("2024-03-01", 30000)])
    assert _projects(rewards(con, P, settings())) == [("b", "project_5020", "t01", 15.0),
                                                      ("c", "project_5020", "t01", 15.0)]  # fmt: skip
    # As of 2023-12-31 (plan year 2023) a is paid, and b and c are not yet.
    last_year = rewards(con, period(2023, "2023-12-31"), settings())
    assert _projects(last_year) == [("a", "project_5020", "t01", 15.0)]


def test_5020_is_paid_to_its_intermediary() -> None:
    """§6 v2: "project_5020 … once, to the project's `intermediary` (项目中介机构(人)) when given, else its
    introducing unit"; "`payee` = the intermediary's name or the `unit_id`"."""
    con = _db()
    _5020(con, "a", in_stats="2024-02-01", fixed_on=[("2024-03-01", 60000)], unit="t02")
    set_project(con, "a", intermediary="某招商顾问公司")
    _5020(con, "b", in_stats="2024-02-01", fixed_on=[("2024-03-01", 40000)], unit="t03", total=200000)
    result = rewards(con, P, settings())
    assert result["projects"] == [
        {
            "project_id": "a",
            "reward": "project_5020",
            "unit_id": "t02",
            "payee": "某招商顾问公司",
            "amount": 15.0,
        },
        # no intermediary: paid to the introducing unit; 200000 → 10 + 5 × 0 = 10
        {"project_id": "b", "reward": "project_5020", "unit_id": "t03", "payee": "t03", "amount": 10.0},
    ]


def test_non_industrial_5020_project_earns_nothing() -> None:
    """§6 v2 project_5020 conditions: "`is_5020`, the industry `is_industrial`, `total ≥ 200000` …"."""
    con = _db()
    _5020(con, "a", in_stats="2024-02-01", fixed_on=[("2024-03-01", 60000)], industry="svc")
    assert rewards(con, P, settings())["projects"] == []


def test_written_off_foreign_project_earns_nothing_but_its_arrivals_count_for_fdi() -> None:
    """§6 v2: "only projects `active` at `D` earn a project reward, a tax share, or count for
    `fx_contribution` …; the `fdi` and `export` rewards follow the county figures of §3, written-off
    projects' arrivals included"."""
    con = _db()
    add_project(
        con, "w", "2024-01-05", unit="t02", source="foreign", industry="ind", written_off="2024-06-01"
    )
    add_arrival(con, "w", "2024-02-01", fdi=700, fx=700)  # would be foreign_fx 5 + 2 × 6 = 17 and fx 15
    add_project(con, "k", "2024-01-05", unit="t03", source="foreign", industry="ind")
    add_arrival(con, "k", "2024-03-01", fdi=100, fx=100)  # active: foreign_fx 5 + 2 × 0 = 5
    result = rewards(con, P, settings())
    assert result["fdi"] == 2.4  # 0.003 × (700 + 100): the written-off project's arrival counts
    # fx_contribution over active projects only: t03 with 100, no single arrival ≥ 600 → 0
    assert result["fx_contribution"] == {"unit_id": "t03", "amount": 0.0, "tied": []}
    assert _projects(result) == [("k", "foreign_fx", "t03", 5.0)]
    assert result["total"] == 7.4  # 2.4 + 5
    # Written off after D: still active at D, earns.
    late = rewards(con, period(2024, "2024-05-31"), settings())
    assert _projects(late) == [("k", "foreign_fx", "t03", 5.0), ("w", "foreign_fx", "t02", 17.0)]
    assert late["fx_contribution"] == {"unit_id": "t02", "amount": 15.0, "tied": []}


def test_fx_contribution_tie_names_nobody() -> None:
    """§6 v2 fx_contribution: "Units tied for the largest: unit `null`, amount 0, `tied` lists them (the
    leading group decides)"."""
    con = _db()
    add_project(con, "a", "2024-01-05", unit="t03", source="foreign", industry="svc")
    add_project(con, "b", "2024-01-05", unit="t02", source="foreign", industry="svc")
    add_project(con, "c", "2024-01-05", unit="t01", source="foreign", industry="svc")
    add_arrival(con, "a", "2024-02-01", fx=700, fdi=700)  # t03: 700, one arrival ≥ 600
    add_arrival(con, "b", "2024-02-01", fx=300, fdi=300)
    add_arrival(con, "b", "2024-02-02", fx=400, fdi=400)  # t02: 300 + 400 = 700
    add_arrival(con, "c", "2024-02-02", fx=100, fdi=100)  # t01: 100
    result = rewards(con, P, settings())
    assert result["fx_contribution"] == {"unit_id": None, "amount": 0.0, "tied": ["t02", "t03"]}


def test_export_reward_on_the_trade_months_counted() -> None:
    """§6 v2 export: "`0.003 × Σ exports_usd_wan` of the trade months counted by `trade_usd_wan`" (§3: months
    of `Y` not after the month of `min(D, Y-12-31)`, that month in full)."""
    con = _db()
    add_trade(con, "2023-12", 9000, 1)  # last year: not counted
    add_trade(con, "2024-01", 1000, 500)
    add_trade(con, "2024-07", 2000, 500)  # D's month counts in full
    add_trade(con, "2024-08", 4000, 500)  # after D's month
    result = rewards(con, P, settings())
    assert result["export"] == 9.0  # 0.003 × (1000 + 2000); imports earn nothing
    assert result["total"] == 9.0


def test_prizes_for_advanced_townships_and_squad_advanced_members() -> None:
    """§6 v2 prizes: "each township with the `advanced` award; each squad's `advanced_members` … 10 each";
    entries `{"unit_id", "prize", "squad_id", "amount"}` by `unit_id` then prize."""
    con = fresh()
    add_industry(con, "ind")
    add_squad(con, "s1", industry_id="ind")
    add_unit(con, "t02", township_class="2")
    add_unit(con, "t01", township_class="2")
    add_department(con, "d01", "s1")
    add_unit_targets(con, 2024, "t02", 1, None, None)  # 1/1 → 100, completed, rank 1: advanced (1 slot)
    add_unit_targets(con, 2024, "t01", 2, None, None)  # 1/2 → 50: not completed
    add_unit_targets(con, 2024, "d01", 1, None, None)  # 1/1 → completed; squad s1 completed → advanced
    for project_id, unit in (("a", "t02"), ("b", "t01"), ("c", "d01")):
        add_project(con, project_id, "2024-02-01", unit=unit, industry="ind")
    result = rewards(con, P, settings())
    assert result["prizes"] == [
        {"unit_id": "d01", "prize": "squad_advanced", "squad_id": "s1", "amount": 10.0},
        {"unit_id": "t02", "prize": "advanced", "squad_id": None, "amount": 10.0},
    ]
    assert result["total"] == 20.0
    assert rewards(con, P, settings(reward_policy={"prize_wan": 8.0}))["total"] == 16.0


def test_tax_sharing_township_share_at_the_cap_and_department_share() -> None:
    """§6 v2 tax_sharing: "per project in the park (`in_park`), to its introducing unit — township: 70%
    (7:3), department: 10% (1:9) of Σ `local_tax_wan` of its `tax_receipts` months in `Y` up to the month
    of `min(D, Y-12-31)`; at most 100 per project per year"."""
    con = _db()
    add_project(con, "a", "2023-05-01", unit="t01")  # township
    add_project(con, "b", "2023-05-01", unit="d01")  # department
    add_project(con, "c", "2023-05-01", unit="t02")  # not in the park
    add_project(con, "w", "2023-05-01", unit="t03", written_off="2024-03-01")  # written off before D
    for project_id in ("a", "b", "w"):
        set_project(con, project_id, in_park=True)
    add_tax(con, "a", "2023-12", 500)  # last year: not counted
    add_tax(con, "a", "2024-01", 100)
    add_tax(con, "a", "2024-07", 50)  # D's month counts in full: 150 in all
    add_tax(con, "a", "2024-08", 999)  # after D's month
    add_tax(con, "b", "2024-02", 150)
    add_tax(con, "c", "2024-02", 150)
    add_tax(con, "w", "2024-02", 150)
    result = rewards(con, P, settings())
    assert result["tax_sharing"] == [
        # 0.7 × 150 = 105 → capped at 100
        {"project_id": "a", "unit_id": "t01", "tax_wan": 150.0, "share": 0.7, "amount": 100.0},
        # 0.1 × 150 = 15
        {"project_id": "b", "unit_id": "d01", "tax_wan": 150.0, "share": 0.1, "amount": 15.0},
    ]
    assert result["total"] == 115.0
    # Just below the cap: 0.7 × 142 = 99.4 (exact decimals, not 99.39999…)
    con.execute("UPDATE tax_receipts SET local_tax_wan = 92 WHERE project_id = 'a' AND month = '2024-01'")
    assert rewards(con, P, settings())["tax_sharing"][0]["amount"] == 99.4


def test_tax_sharing_is_exact_with_shares_and_caps_that_are_not_round() -> None:
    """§6 v2 tax_sharing with a share of 1/3 typed as 0.3333333333333333 and a cap of 33.33: each amount
    is the decimal product rounded once to a float, and the total adds the exact amounts."""
    con = _db()
    add_project(con, "a", "2023-05-01", unit="t01")
    add_project(con, "b", "2023-05-01", unit="d01")
    add_project(con, "c", "2023-05-01", unit="t02")
    for project_id in ("a", "b", "c"):
        set_project(con, project_id, in_park=True)
    add_tax(con, "a", "2024-03", 47.619048)  # 0.7 × 47.619048 = 33.3333336 → capped at 33.33
    add_tax(con, "b", "2024-03", 99.99)  # 0.3333333333333333 × 99.99 = 33.329999999999996667
    add_tax(con, "c", "2024-03", 0.1)  # 0.7 × 0.1 = 0.07 (in floats 0.06999999999999999)
    policy = {
        "tax_sharing": {"township_share": 0.7, "department_share": 0.3333333333333333, "cap_wan": 33.33}
    }
    result = rewards(con, P, settings(reward_policy=policy))
    assert [(t["project_id"], t["amount"]) for t in result["tax_sharing"]] == [
        ("a", 33.33),
        ("b", float(Decimal("33.329999999999996667"))),
        ("c", 0.07),
    ]
    assert result["tax_sharing"][1]["share"] == 0.3333333333333333
    # 33.33 + 33.329999999999996667 + 0.07 = 66.729999999999996667, rounded once
    assert result["total"] == float(Decimal("66.729999999999996667"))


@pytest.mark.parametrize(
    "policy",
    [
        {"project_5020": {"step_size_wan": 0.0}},  # would divide by zero
        {"foreign_fx": {"step_size_usd_wan": 0.0}},
        {"tax_sharing": {"township_share": 7.0}},  # 7 for 70 %: not a fraction
        {"tax_sharing": {"department_share": 1.5}},
        {"project_5020": {"min_fixed_asset_share": 20.0}},
    ],
)
def test_a_reward_policy_that_cannot_be_applied_is_refused_in_chinese(policy: dict) -> None:
    """§6: every amount, threshold, share and cap is a setting; a step of 0 or a share above 1 is refused
    with a clear message, before any figure is computed."""
    with pytest.raises(SettingsError, match="奖励政策"):
        settings(reward_policy=policy)
    assert (
        settings(reward_policy={"tax_sharing": {"township_share": 1.0}})["reward_policy"]["tax_sharing"][
            "township_share"
        ]
        == 1.0
    )
