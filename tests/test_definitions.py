"""口径 texts are rendered from the effective settings (issue 11 item 3): change a setting and the
text a leader reads changes with it; no spec letters (W, S, D, f) reach the screen."""

from __future__ import annotations

import re

from analytics.core.settings import DEFAULT_SETTINGS, apply_overrides
from analytics.metrics.definitions import definitions


def rendered(overrides: dict) -> dict[str, str]:
    return definitions(apply_overrides(DEFAULT_SETTINGS, overrides))


def test_defaults_state_the_seed_figures() -> None:
    d = definitions()
    assert "min(完成率, 150%)" in d["unit.score"]
    assert "一类乡镇2个、二类乡镇1个" in d["unit.awards"]
    assert "7月20日" in d["unit.behind_half"]
    assert "最低的3个县直部门" in d["unit.public_statement"]
    assert "在县电视台作公开表态发言" in d["unit.public_statement"]
    assert "上年签约项目目标开工90%、投产60%" in d["landing"]
    assert "乡镇7:3(得70%)、县直部门1:9(得10%),每个项目每年最多100万元" in d["rewards.tax_sharing"]


def test_score_cap_changes_the_score_text() -> None:
    # score_cap 1.2 → a completion above 120% counts as 120%; 150% must no longer be stated.
    d = rendered({"score_cap": 1.2})
    assert "min(完成率, 120%)" in d["unit.score"] and "超过120%的按120%计" in d["unit.score"]
    assert "150%" not in d["unit.score"] and "150%" not in d["units"]


def test_advanced_places_change_the_award_text() -> None:
    d = rendered({"advanced_per_class": {"1": 3, "2": 2}})
    assert "一类乡镇3个、二类乡镇2个" in d["unit.awards"]


def test_mid_year_check_changes_every_mid_year_text() -> None:
    d = rendered({"mid_year_check": "06-30"})
    for key in ("unit.behind_half", "unit.public_statement", "unit.behind_schedule"):
        assert "6月30日" in d[key] and "7月20日" not in d[key], key


def test_statement_limits_and_scope() -> None:
    d = rendered({"statement_departments": 2, "statement_townships": "per_class"})
    assert "最低的2个县直部门" in d["unit.public_statement"]
    assert "一类、二类乡镇各自排名最低的1个乡镇" in d["unit.public_statement"]


def test_weights_targets_tie_breakers_cutoff_protection_and_money() -> None:
    d = rendered(
        {
            "unit_weights": {"signed_projects": 0.5, "in_stats_projects": 0.3, "valid_leads": 0.2},
            "landing_targets": {"prior": [0.85, 0.55], "current": [0.8, 0.5]},
            "tie_breakers": ["valid_leads"],
            "lead_validation_cutoff": "01-31",
            "first_report_protection_days": 90,
            "major_project_min_wan": 50000,
            "reward_policy": {"project_5020": {"cap_wan": 40.0}, "fdi_wan_per_usd_wan": 0.005},
            "count_verified_only": True,
        }
    )
    assert "项目引进0.5、项目入统0.3、有效信息0.2" in d["unit.score"]
    assert "上年签约项目目标开工85%、投产55%" in d["landing"]
    assert "依次比有效信息完成率,再比本年新签约项目总投资" in d["unit.rank"]
    assert "次年1月31日前" in d["unit.valid_leads"] and "次年1月31日前" in d["leads.validation_cutoff"]
    assert "首报保护期90天" in d["leads.first_report"]
    assert "总投资5亿元以上" in d["supervision.major_project"]
    assert "最多40万元" in d["rewards.project_5020"]
    assert "每美元奖励0.005元" in d["rewards.fdi"]
    assert "只计已核验" in d["report.verified_only"]


def test_no_spec_letters_reach_a_leader() -> None:
    # W, S, D and f are the spec's shorthand; a leader reads 「本年1月1日至截止日」, 「截止日」, 「时序进度」.
    for key, text in definitions().items():
        assert not re.search(r"(?<![A-Za-z])[WSDf](?![A-Za-z])", text), (key, text)
