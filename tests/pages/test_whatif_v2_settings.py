"""模拟推演 page: every v2 setting of METRICS.md (Settings, v2) has a widget with its Chinese label
from ``SETTING_LABELS`` / ``REWARD_POLICY_LABELS``, and the scenario's settings JSON shown on the
page round-trips through ``python -m analytics report --settings FILE``."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from data_builders import valid_tables, write_csv_folder

from analytics.core.period import Period
from analytics.core.settings import REWARD_POLICY_LABELS, SETTING_LABELS, effective_settings
from analytics.data.importer import load_into_memory
from analytics.metrics.report import build_report

PAGE = "app_pages/whatif.py"
ROOT = Path(__file__).resolve().parents[2]
V2_SETTINGS = (
    "tie_breakers",
    "statement_departments",
    "statement_townships",
    "top_company_ranks",
    "lead_validation_cutoff",
    "first_report_protection_days",
    "major_project_min_wan",
    "count_verified_only",
    "stall_yellow_days",
    "stall_default_days",
)

# What the widgets are set to below, written out by hand as the overrides the page must export.
EXPECTED = {
    "tie_breakers": ["valid_leads", "signed_projects"],
    "statement_departments": 1,
    "statement_townships": "per_class",
    "top_company_ranks": ["central_soe"],
    "lead_validation_cutoff": "03-01",
    "first_report_protection_days": 90,
    "major_project_min_wan": 50000,
    "count_verified_only": True,
    "stall_yellow_days": 10,
    "stall_default_days": {"registered": 30},
    "reward_policy": {
        "export_wan_per_usd_wan": 0.005,
        "prize_wan": 8.0,
        "tax_sharing": {"township_share": 0.6, "department_share": 0.2, "cap_wan": 80.0},
    },
}


def _labels(at) -> set[str]:
    widgets = [
        *at.multiselect,
        *at.number_input,
        *at.radio,
        *at.date_input,
        *at.checkbox,
    ]
    return {w.label for w in widgets}


def test_every_v2_setting_has_a_labelled_widget(app_test) -> None:
    at = app_test(PAGE)
    assert not at.exception
    labels = " ".join(_labels(at)) + " " + " ".join(c.value for c in at.caption)
    missing = [key for key in V2_SETTINGS if SETTING_LABELS[key] not in labels]
    missing += [key for key, label in REWARD_POLICY_LABELS.items() if label not in labels]
    assert missing == []


def _set_v2_widgets(at, year: int) -> None:
    at.multiselect(key="whatif_v2_tie_breakers").set_value(["valid_leads", "signed_projects"])
    at.number_input(key="whatif_v2_stmt_departments").set_value(1)
    at.radio(key="whatif_v2_stmt_townships").set_value("per_class")
    at.multiselect(key="whatif_v2_top_ranks").set_value(["central_soe"])
    at.date_input(key="whatif_v2_cutoff").set_value(date(year + 1, 3, 1))
    at.number_input(key="whatif_v2_protection").set_value(90)
    at.number_input(key="whatif_v2_major_min").set_value(50000)
    at.checkbox(key="whatif_v2_verified_only").check()
    at.number_input(key="whatif_v2_stall_yellow").set_value(10)
    at.number_input(key="whatif_v2_stall_registered").set_value(30)
    at.number_input(key="whatif_r_export_wan_per_usd_wan").set_value(0.005)
    at.number_input(key="whatif_r_prize_wan").set_value(8.0)
    at.number_input(key="whatif_r_tax_sharing_township_share").set_value(0.6)
    at.number_input(key="whatif_r_tax_sharing_department_share").set_value(0.2)
    at.number_input(key="whatif_r_tax_sharing_cap_wan").set_value(80.0)


def test_v2_settings_json_round_trips_through_report_cli(
    app_test, demo_period, demo_settings, tmp_path
) -> None:
    # each value set below differs from the demo's effective settings, so each must be exported
    for key, value in EXPECTED.items():
        assert value != demo_settings[key], key
    at = app_test(PAGE)
    _set_v2_widgets(at, demo_period.year)
    at.run()
    assert not at.exception
    exported = json.loads(at.code[-1].value)
    assert exported == EXPECTED

    settings_file = tmp_path / "推演设置.json"
    settings_file.write_text(at.code[-1].value, encoding="utf-8")
    folder = write_csv_folder(tmp_path / "county", valid_tables())
    done = subprocess.run(
        [sys.executable, "-m", "analytics", "report", "--data", str(folder), "--year", "2024"]
        + ["--as-of", "2024-07-20", "--settings", str(settings_file)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    con = load_into_memory(folder)
    try:
        period = Period(2024, date(2024, 7, 20))
        expected = build_report(con, period, effective_settings(None, EXPECTED))
        defaults = build_report(con, period, effective_settings(None, {}))
    finally:
        con.close()
    assert json.loads(done.stdout) == json.loads(json.dumps(expected, ensure_ascii=False))
    # the file did change the rules: the 5020/export/tax settings or the cutoff move some figure
    assert json.loads(done.stdout) != json.loads(json.dumps(defaults, ensure_ascii=False))
