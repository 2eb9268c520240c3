"""The year-end account's rules on a hand-written report: ties as 并列, the plan's consequences, and a
paid reward never proposed again (``analytics.screens.account``, ``analytics.data.ledger``)."""

from __future__ import annotations

from datetime import date, datetime

from analytics.core.settings import effective_settings
from analytics.data import ledger
from analytics.screens.account import consequences, rankings
from analytics.screens.account_rewards import reward_rows

TARGETS = {"signed_projects": 10, "in_stats_projects": 10, "valid_leads": 10}


def unit(unit_id, group, rank, score, completed, signed=5, awards=()):
    kind = "department" if group == "department" else "township"
    return {
        "unit_id": unit_id,
        "kind": kind,
        "group": group,
        "actuals": {"signed_projects": signed, "in_stats_projects": 5, "valid_leads": 5},
        "targets": dict(TARGETS),
        "score": score,
        "completed": completed,
        "rank": rank,
        "signed_investment_wan": 100.0,
        "awards": list(awards),
    }


# Departments: d3 and d4 are equal on the whole order key (score 50, same completions and investment),
# so they share rank 3 and the next is 5. Class 1: t1 completed (骏马奖), t2 last and not completed
# (蜗牛奖); class 2: t3 alone, not completed (rank 1 and last: 蜗牛奖). t9 has no target (unranked).
REPORT = {
    "year": 2026,
    "units": [
        unit("t1", "township_1", 1, 100.0, True, 10, ("golden_horse", "advanced")),
        unit("t2", "township_1", 2, 80.0, False, 8, ("snail",)),
        unit("t3", "township_2", 1, 70.0, False, 7, ("snail",)),
        {**unit("t9", "township_2", None, None, None), "targets": {}},
        unit("d1", "department", 1, 90.0, True, 9),
        unit("d2", "department", 2, 60.0, False, 6),
        unit("d3", "department", 3, 50.0, False, 5),
        unit("d4", "department", 3, 50.0, False, 5),
        unit("d5", "department", 5, 40.0, False, 4),
        unit("d6", "department", 6, 30.0, False, 3),
    ],
    "squads": [{"squad_id": "s1", "rank": 1, "score": 90.0, "advanced_members": ["d1"], "disqualified": []}],
    "rewards": {
        "fdi": 1.5,
        "export": 0.0,
        "fx_contribution": {"unit_id": None, "amount": 0.0, "tied": []},
        "projects": [
            {
                "project_id": "p1",
                "reward": "project_5020",
                "unit_id": "t1",
                "payee": "某招商顾问公司",
                "amount": 10.0,
            },
            {"project_id": "p2", "reward": "foreign_fx", "unit_id": "t2", "payee": "t2", "amount": 5.0},
        ],
        "prizes": [{"unit_id": "t1", "prize": "advanced", "squad_id": None, "amount": 10.0}],
        "tax_sharing": [{"project_id": "p3", "unit_id": "t1", "tax_wan": 40.0, "share": 0.7, "amount": 28.0}],
        "total": 54.5,
    },
}
NAMES = {u["unit_id"]: f"单位{u['unit_id']}" for u in REPORT["units"]}


def by(consequence: str, rows: list[dict]) -> list[str]:
    return sorted(r["unit_id"] for r in rows if r["consequence"] == consequence)


def test_units_sharing_a_rank_are_shown_as_tied():
    rows = {r["unit_id"]: r["rank_text"] for r in rankings(REPORT, NAMES)}
    assert (rows["d2"], rows["d3"], rows["d4"], rows["d5"]) == ("2", "并列3", "并列3", "5")
    assert rows["t9"] == "未排名"


def test_consequences_follow_the_plan():
    rows = consequences(REPORT, effective_settings(None), NAMES, {"s1": "小分队一"})
    assert by("excellent", rows) == ["d1", "t1"]  # 骏马奖 t1; d1 the squad's advanced member
    assert by("interview", rows) == ["t2", "t3"]  # 蜗牛奖
    assert by("no_honours", rows) == ["d2", "d3", "d4", "d5", "d6", "t2", "t3"]  # scored, not completed
    # 组织处理: not completed and fewer than 3 departments strictly lower: d3/d4 have d5, d6 below (2),
    # the tie at the limit admits both; d2 has 4 below. Townships county-wide: t3 (70) is the last.
    assert by("organisational", rows) == ["d3", "d4", "d5", "d6", "t3"]


def test_last_township_per_class_when_the_setting_says_so():
    settings = effective_settings(None, {"statement_townships": "per_class"})
    rows = consequences(REPORT, settings, NAMES, {})
    assert by("organisational", rows) == ["d3", "d4", "d5", "d6", "t2", "t3"]


def test_the_last_township_that_completed_is_not_sanctioned():
    report = {
        **REPORT,
        "units": [u if u["unit_id"] != "t3" else {**u, "completed": True} for u in REPORT["units"]],
    }
    rows = consequences(report, effective_settings(None), NAMES, {})
    assert "t3" not in by("organisational", rows)


def payment(year: int, reward: str, subject: str) -> ledger.Payment:
    return ledger.Payment(
        1, year, reward, subject, "领取人", 10.0, date(year, 12, 20), "office1", datetime(year, 12, 20), None
    )


def test_a_paid_5020_reward_is_not_proposed_again_in_a_later_year():
    paid = [payment(2025, "project_5020", "p1")]
    rows = {(r["reward"], r["subject"]): r for r in reward_rows(REPORT, paid, NAMES, {}, {})}
    assert rows[("project_5020", "p1")]["status"] == "paid_before"
    assert rows[("foreign_fx", "p2")]["status"] == "due"
    # Payees: the 5020 reward to its intermediary, the tax share to the introducing unit.
    assert rows[("project_5020", "p1")]["payee"] == "某招商顾问公司"
    assert rows[("tax_sharing", "p3")]["payee"] == "单位t1"


def test_a_yearly_reward_paid_last_year_is_due_again_this_year():
    paid = [payment(2025, "foreign_fx", "p2"), payment(2026, "advanced", "t1")]
    rows = {(r["reward"], r["subject"]): r["status"] for r in reward_rows(REPORT, paid, NAMES, {}, {})}
    assert rows[("foreign_fx", "p2")] == "due"
    assert rows[("advanced", "t1")] == "paid"


def test_drop_paid_removes_only_settled_rewards(db):
    with db.cursor() as cur:
        ledger.insert_payment(
            cur,
            year=2025,
            reward="project_5020",
            subject="p1",
            payee="x",
            amount_wan=10,
            paid_on=date(2025, 12, 1),
            actor="o",
            note=None,
        )
    proposed = REPORT["rewards"]["projects"]
    assert ledger.drop_paid(db, 2026, proposed) == [proposed[1]]  # p1's 5020 reward was paid in 2025
    assert ledger.drop_paid(db, 2026, proposed[1:]) == proposed[1:]


def test_before_the_year_is_over_awards_are_named_provisionally():
    rows = {r["unit_id"]: r["awards_zh"] for r in rankings(REPORT, NAMES, provisional=True)}
    assert (rows["t1"], rows["t2"]) == ("暂列第一、暂列先进", "暂列末位")
    reasons = consequences(REPORT, effective_settings(None), NAMES, {}, provisional=True)
    assert {r["reason"] for r in reasons if r["consequence"] == "interview"} == {
        "一类乡镇暂列末位",
        "二类乡镇暂列末位",
    }
    final = {r["unit_id"]: r["awards_zh"] for r in rankings(REPORT, NAMES)}
    assert final["t1"] == "骏马奖、先进单位"
