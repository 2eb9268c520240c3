"""The main changes in words and the cards of the scenario beside its baseline."""

from __future__ import annotations

import streamlit as st

from analytics.core.format import money, percent
from analytics.core.period import Period
from analytics.screens.reward_view import contents_text, reward_parts
from analytics.whatif.scenario import Scenario, ScenarioComparison
from ui.page import target_card
from ui.safe_text import html_text
from ui.verdicts import provisional_word
from ui.whatif.marks import arrow, met_word
from ui.widgets import kpi_card


def result_summary(scenario: Scenario, result: ScenarioComparison, period: Period) -> None:
    """The main changes in words, then two rows of cards: 9865 rates; concentration, rewards,
    snail award and county targets — each scenario figure beside its baseline."""
    if scenario.is_empty():
        st.info("尚未调整任何参数、目标或假设:推演结果与基线相同。", icon=":material/info:")
    if result.highlights:
        st.html(
            '<div style="border-left:6px solid #B7791F;background:#FFF8E6;padding:8px 14px;border-radius:6px;'
            'font-size:1.05rem;line-height:1.9"><b>主要变化</b><br>'
            + "<br>".join(f"◆ {html_text(line)}" for line in result.highlights)
            + "</div>"
        )
    cards = st.columns(4)
    for col, row in zip(cards, result.landing.itertuples(), strict=False):
        with col:
            target_card(
                f"{row.indicator}(推演)",
                percent(row.scenario_rate),
                [
                    f"基线 {percent(row.baseline_rate)} · 目标 {percent(row.scenario_target)}",
                    arrow(row.baseline_rate, row.scenario_rate),
                    f"{met_word(row.baseline_met)} → {met_word(row.scenario_met)}",
                ],
                row.scenario_met,
            )
    cards = st.columns(4)
    conc = result.concentration.set_index("key")
    with cards[0]:
        target_card(
            "重点产业集聚度(推演)",
            percent(conc.loc["headline", "scenario"]),
            [
                f"口径 {'按投资额' if result.scenario['concentration']['basis'] == 'investment' else '按项目数'}"
                f" · 目标 {percent(conc.loc['target', 'scenario'])}",
                arrow(conc.loc["headline", "baseline"], conc.loc["headline", "scenario"]),
            ],
            result.scenario["concentration"]["met"],
        )
    with cards[1]:
        rewards = result.rewards.set_index("item")
        kpi_card(
            "奖励测算合计(推演)",
            money(rewards.loc["奖励合计", "scenario"]),
            [
                f"基线 {money(rewards.loc['奖励合计', 'baseline'])}",
                arrow(rewards.loc["奖励合计", "baseline"], rewards.loc["奖励合计", "scenario"], money),
                f"{provisional_word(period)}数 · " + contents_text(reward_parts(result.scenario["rewards"])),
            ],
        )
    snails = result.units[result.units["scenario_awards"].map(lambda a: "snail" in a)]
    with cards[2]:
        kpi_card(
            "蜗牛奖(推演)",
            "、".join(snails["name"]) or "无",
            [
                "基线 "
                + (
                    "、".join(
                        result.units.loc[result.units["baseline_awards"].map(lambda a: "snail" in a), "name"]
                    )
                    or "无"
                )
            ],
        )
    county = result.county
    with cards[3]:
        moved = county[county["changed"]]
        kpi_card(
            "全县目标状态变化",
            f"{int((county['baseline_status'] != county['scenario_status']).sum())} 项",
            [f"数值或目标变化 {len(moved)} 项"],
        )
