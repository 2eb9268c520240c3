"""模拟推演 page on the demo county (AppTest): it runs, says it is a simulation, and each widget moves
the scenario figures exactly as ``analytics.scenario.compare`` with the same scenario does."""

from __future__ import annotations

from analytics.core.format import money, percent
from analytics.core.labels import MONEY_METRICS
from analytics.metrics.report import build_report
from analytics.whatif.scenario import Scenario, compare, targets_frame
from analytics.whatif.scenario_store import list_scenarios
from tests.pages.page_helpers import cards, page_text
from tests.whatif_scenarios import snail_move

PAGE = "app_pages/whatif.py"


def test_page_runs_and_shows_the_baseline(app_test, expected_con, demo_period, demo_settings) -> None:
    at = app_test(PAGE)
    assert not at.exception
    text = page_text(at)
    assert "这是模拟推演" in text and "真实数据" in text
    report = build_report(expected_con, demo_period, demo_settings)
    shown = cards(at)
    for entry in report["landing"]:
        card = shown[f"{entry['cohort']} 年签约项目开工率(推演)"]
        assert card.value == percent(entry["commencement_rate"])
        assert "— 无变化" in card.lines
    assert shown["奖励测算合计(推演)"].value == money(report["rewards"]["total"])
    assert "Kaplan–Meier" in text  # the projection states its method


def test_lowering_a_landing_target_flips_met(app_test, expected_con, demo_period, demo_settings) -> None:
    at = app_test(PAGE)
    at.slider(key="whatif_current_c").set_value(50).run()
    assert not at.exception
    expected = compare(
        expected_con,
        demo_period,
        demo_settings,
        Scenario(settings={"landing_targets": {"current": [0.5, 0.5]}}),
    )
    row = expected.landing[expected.landing["indicator"] == f"{demo_period.year} 年签约项目开工率"].iloc[0]
    card = cards(at)[f"{demo_period.year} 年签约项目开工率(推演)"]
    # demo: 28 of 47 commenced = 59.6%; below 80% (baseline) but above 50% (scenario)
    assert not row["baseline_met"] and row["scenario_met"]
    assert card.status == "● 达到目标" and "未达标 → 达标" in card.lines
    assert "目标 50.0%" in card.lines[0]


def test_reward_policy_change_matches_analytics(app_test, expected_con, demo_period, demo_settings) -> None:
    at = app_test(PAGE)
    at.number_input(key="whatif_r_fdi").set_value(0.006).run()
    expected = compare(
        expected_con,
        demo_period,
        demo_settings,
        Scenario(settings={"reward_policy": {"fdi_wan_per_usd_wan": 0.006}}),
    )
    card = cards(at)["奖励测算合计(推演)"]
    assert card.value == money(expected.scenario["rewards"]["total"])
    assert expected.reward_total_change > 0 and card.lines[1].startswith("▲")


def test_target_editor_moves_the_snail(app_test, expected_con, demo_period, demo_settings) -> None:
    """Edit a snail township's targets in the data editor (found on the demo by
    ``tests.whatif_scenarios.snail_move``): the page shows it leaving 蜗牛奖, as compare() says."""
    found = snail_move(expected_con, demo_period, demo_settings)
    assert found is not None, "the demo county should allow lifting some township out of 蜗牛奖"
    unit_id, name, scenario = found
    frame = targets_frame(expected_con, demo_period.year)
    counts = frame[~frame["metric"].isin(MONEY_METRICS)].reset_index(drop=True)  # the 个数目标 editor
    edits = {}
    for override in scenario.targets:
        row = int(
            counts.index[(counts["scope"] == override.scope) & (counts["metric"] == override.metric)][0]
        )
        edits[row] = {"推演目标(个)": int(override.value)}
    at = app_test(PAGE)
    at.session_state["whatif_targets_count_1"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    expected = compare(expected_con, demo_period, demo_settings, Scenario(targets=scenario.targets))
    snails = expected.units[expected.units["scenario_awards"].map(lambda a: "snail" in a)]["name"].tolist()
    assert name not in snails
    assert cards(at)["蜗牛奖(推演)"].value == "、".join(snails)
    assert f"{name}不再是蜗牛奖" in page_text(at)


def test_gap_button_adds_the_minimum_assumptions(app_test) -> None:
    at = app_test(PAGE)
    button = next(b for b in at.button if b.key == "whatif_gap_add")
    needed = int(button.label.split("前 ")[1].split(" 个")[0])
    button.click().run()
    assert not at.exception
    assert len(at.session_state["whatif_events"]) == needed
    # the default gap is the first solvable one: 2025 年签约项目投产率 (demo: 23 of 58, needs 12 more)
    assert cards(at)["2025 年签约项目投产率(推演)"].status == "● 达到目标"


def test_saving_a_scenario_writes_only_the_scenarios_table(app_test, demo_db_path) -> None:
    at = app_test(PAGE)
    at.slider(key="whatif_cap").set_value(120).run()  # 单项完成率计分上限 120%
    at.text_input(key="whatif_save_name").input("计分上限 1.2").run()
    next(b for b in at.button if b.key == "whatif_save").click().run()
    assert not at.exception
    assert any("已保存推演方案" in s.value for s in at.success)
    from ui.frame import cursor

    saved = list_scenarios(cursor())
    assert "计分上限 1.2" in saved["name"].tolist()
