"""The rewards display on 总览 (METRICS.md v2 §6: "Before Y-12-31 every figure here is provisional
(预计) and the pages say so"; total = fdi + export + fx_contribution.amount + every project reward +
every prize + every tax share; deposits provisional until Y-12-31)."""

from __future__ import annotations

import re
from datetime import date

from analytics.core.labels import REWARD_LABELS
from analytics.core.period import Period
from analytics.metrics.report import build_report
from tests.pages.page_helpers import cards, dataframes_with, page_text

PAGE = "app_pages/cockpit.py"
PART = re.compile(r"(\S+?) (-?[\d,]+\.\d\d)")


def _parts(line: str) -> dict[str, float]:
    """「含 实际利用外资奖励 1.23、出口奖励 0.00 …(万元)」 → {label: amount}."""
    body = line.removeprefix("含 ").removesuffix("(万元)")
    return {
        label: float(amount.replace(",", ""))
        for label, amount in (PART.fullmatch(p).groups() for p in body.split("、"))
    }


def test_before_year_end_the_total_is_provisional_and_its_parts_add_up(
    app_test, expected_con, demo_period, demo_settings
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    assert demo_period.as_of < date(demo_period.year, 12, 31)  # demo: 2026-11-20
    report = build_report(expected_con, demo_period, demo_settings)
    rewards = report["rewards"]
    card = cards(at)["奖励测算合计(预计)"]
    assert card.value == f"{rewards['total']:,.2f} 万元"
    parts = _parts(card.lines[0])
    # every part §6 names is listed: fdi, export, fx contribution, 5020, foreign fx, prizes, tax sharing
    for code in ("fdi", "export", "fx_contribution", "project_5020", "foreign_fx", "advanced", "tax_sharing"):
        assert REWARD_LABELS[code] in parts, code
    # the listed parts add up to the total (each shown to 0.01, so within half a cent per part)
    assert abs(sum(parts.values()) - rewards["total"]) <= 0.005 * len(parts) + 1e-9
    # the payees table: one row per paid item, amounts adding up to the total
    payees = dataframes_with(at, "领取人", "金额(万元)")[0]
    assert abs(payees["金额(万元)"].sum() - rewards["total"]) < 1e-6
    # a 5020 reward goes to the intermediary when given (spec §6), by name
    for p in rewards["projects"]:
        if p["reward"] == "project_5020" and p["payee"] != p["unit_id"]:
            assert p["payee"] in set(payees["领取人"])
    text = page_text(at)
    deposits = report["deposits"]
    assert "奖励测算与责任金(预计)" in text
    assert f"责任金(预计)**:缴纳 {deposits['held_yuan']:,.0f} 元" in text or (
        f"责任金(预计):缴纳 {deposits['held_yuan']:,.0f} 元" in text
    )
    assert f"可退还 {deposits['refundable_yuan']:,.0f} 元" in text
    assert f"上缴县财政){deposits['forfeited_yuan']:,.0f} 元" in text


def test_at_year_end_the_total_is_final(app_test, expected_con, demo_settings) -> None:
    year_end = date(2026, 12, 31)
    at = app_test(PAGE, global_as_of=year_end)
    assert not at.exception
    report = build_report(expected_con, Period(2026, year_end), demo_settings)
    shown = cards(at)
    assert "奖励测算合计(预计)" not in shown
    card = shown["奖励测算合计(全年)"]
    assert card.value == f"{report['rewards']['total']:,.2f} 万元"
    text = page_text(at)
    assert "奖励测算与责任金(全年)" in text and "责任金(全年)" in text
    assert "(预计)" not in text
