"""The v2 settings of METRICS.md ("Settings"): bad values get a clear Chinese error, good ones pass."""

from __future__ import annotations

import pytest

from analytics.core.settings import DEFAULT_SETTINGS, SettingsError, apply_overrides


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"tie_breakers": ["signed_projects", "signed_projects"]}, "tie_breakers"),
        ({"tie_breakers": ["score"]}, "tie_breakers"),
        ({"top_company_ranks": ["fortune"]}, "top_company_ranks"),
        ({"statement_departments": 2.5}, "公开表态的县直部门数"),
        ({"statement_departments": -1}, "statement_departments"),
        ({"statement_townships": "township"}, "公开表态的乡镇范围"),
        ({"lead_validation_cutoff": "13-01"}, "lead_validation_cutoff"),
        ({"lead_validation_cutoff": "0115"}, "lead_validation_cutoff"),
        ({"first_report_protection_days": "30"}, "首报保护期"),
        ({"first_report_protection_days": -5}, "首报保护期"),
        ({"first_report_protection_days": 7.5}, "首报保护期"),
        ({"count_verified_only": "yes"}, "count_verified_only"),
        ({"stall_yellow_days": 2.5}, "stall_yellow_days"),
    ],
)
def test_bad_v2_settings_are_refused_with_a_chinese_message(overrides: dict, words: str) -> None:
    with pytest.raises(SettingsError, match=words):
        apply_overrides(DEFAULT_SETTINGS, overrides)


def test_good_v2_settings_pass() -> None:
    merged = apply_overrides(
        DEFAULT_SETTINGS,
        {
            "tie_breakers": ["valid_leads"],
            "top_company_ranks": ["world500", "central_soe"],
            "statement_departments": 0,
            "statement_townships": "per_class",
            "lead_validation_cutoff": "02-29",
            "first_report_protection_days": 90,
            "count_verified_only": True,
        },
    )
    assert merged["first_report_protection_days"] == 90 and merged["tie_breakers"] == ["valid_leads"]
    assert (
        apply_overrides(merged, {"first_report_protection_days": None})["first_report_protection_days"]
        is None
    )
