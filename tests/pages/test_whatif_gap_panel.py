"""模拟推演 缺口测算 (ui/whatif/gap_panel.py): it says whether the candidate projects suffice
(足够 / 不足), not 「能否达到」, and shows beside it the year-end probability the 年末预测 cards show."""

from __future__ import annotations

from analytics.core.format import percent
from analytics.whatif import gap_solver, projection
from tests.pages.page_helpers import cards, dataframes_with

PAGE = "app_pages/whatif.py"


def test_gap_summary_words_and_year_end_probability(
    app_test, expected_con, demo_period, demo_settings
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    (summary,) = dataframes_with(at, "指标", "还需", "说明")
    assert list(summary.columns) == ["指标", "还需", "候选项目是否足够", "年末达标概率", "说明"]
    # independent path: the solver and the projection on a copy of the same database, no scenario
    gaps = gap_solver.unmet_targets(expected_con, demo_period, demo_settings)
    year_end = projection.projection_table(expected_con, demo_period, demo_settings)
    assert list(summary["指标"]) == [g.label for g in gaps]
    for gap, word, chance in zip(gaps, summary["候选项目是否足够"], summary["年末达标概率"], strict=True):
        if gap.event_kind is None:  # no existing record can close it: the question does not apply
            assert (word, chance) == ("—", "—")
            continue
        assert word == ("足够" if gap.reachable else "不足")
        if gap.key.startswith("landing:"):
            _, cohort, kind = gap.key.split(":")
            row = year_end[(year_end["cohort"] == int(cohort)) & (year_end["kind"] == kind)].iloc[0]
            assert chance == percent(row["probability_met"])
            # … the very figure the 年末预测 card of that rate shows
            card = cards(at)[f"{gap.label} 年末预计"]
            assert f"达标概率 {chance}" in card.lines
        else:
            assert chance == "—"
    landing_rows = [g for g in gaps if g.key.startswith("landing:")]
    assert landing_rows, "the demo county has an unmet 9865 rate: the probability column is exercised"
    assert "能否达到" not in " ".join(summary.columns)


def test_candidate_amounts_share_one_unit_named_in_the_header(app_test) -> None:
    at = app_test(PAGE)
    (candidates,) = dataframes_with(at, "顺位", "项目", "引进单位")
    money = [c for c in candidates.columns if c.startswith("总投资")]
    assert money in (["总投资(亿元)"], ["总投资(万元)"])
    assert candidates[money[0]].map(lambda v: isinstance(v, float)).all()  # numbers, not "… 亿元" text
