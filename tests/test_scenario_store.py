"""Named scenarios: save (who, when, audit row), list, load, replace, delete, compare, export."""

from __future__ import annotations

import json
from datetime import date

import pytest

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import data_version
from analytics.metrics.report import build_report
from analytics.whatif.scenario import AssumedEvent, Scenario, TargetOverride, compare
from analytics.whatif.scenario_store import (
    ScenarioStoreError,
    compare_saved,
    delete_scenario,
    export_settings,
    list_scenarios,
    load_scenario,
    save_scenario,
)
from tests.metrics_fixtures import add_industry, add_project, add_unit, add_unit_targets, fresh

PERIOD = Period(2026, date(2026, 6, 30))


@pytest.fixture
def con():
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_project(con, "a1", "2026-02-01", unit="t01")
    add_project(con, "b1", "2026-02-01", unit="t02")
    add_project(con, "b2", "2026-03-01", unit="t02")
    add_unit_targets(con, 2026, "t01", 4, None, None)
    add_unit_targets(con, 2026, "t02", 4, None, None)
    yield con
    con.close()


def test_save_list_load_and_audit(con) -> None:
    scenario = Scenario(
        settings={"score_cap": 1.2},
        targets=[TargetOverride(2026, "t01", "signed_projects", 1)],
        events=[AssumedEvent("commenced", "a1", date(2026, 5, 1))],
    )
    version = data_version(con)
    scenario_id = save_scenario(con, scenario, "  降低桂溪镇目标 ", actor="张主任")
    assert data_version(con) == version + 1  # one audit row → the app's caches refresh
    audit = con.execute(
        "SELECT actor, table_name, action, record_key FROM audit_log ORDER BY audit_id"
    ).fetchall()
    assert audit[-1] == ("张主任", "scenarios", "insert", str(scenario_id))
    listed = list_scenarios(con)
    assert listed["name"].tolist() == ["降低桂溪镇目标"]
    assert listed.iloc[0]["created_by"] == "张主任"
    assert (
        listed.iloc[0]["settings_count"],
        listed.iloc[0]["targets_count"],
        listed.iloc[0]["events_count"],
    ) == (1, 1, 1)
    loaded = load_scenario(con, scenario_id)
    assert loaded.settings == scenario.settings and loaded.targets == scenario.targets
    assert loaded.events == scenario.events and loaded.name == "降低桂溪镇目标"


def test_saving_under_the_same_name_replaces(con) -> None:
    first = save_scenario(con, Scenario(settings={"score_cap": 1.2}), "方案甲", actor="a")
    second = save_scenario(con, Scenario(settings={"score_cap": 1.4}), "方案甲", actor="b")
    assert first == second
    assert len(list_scenarios(con)) == 1
    assert load_scenario(con, first).settings == {"score_cap": 1.4}
    assert con.execute(
        "SELECT action FROM audit_log WHERE table_name = 'scenarios' ORDER BY audit_id"
    ).fetchall() == [("insert",), ("update",)]


def test_bad_scenarios_and_names_write_nothing(con) -> None:
    before = con.execute("SELECT count(*) FROM audit_log").fetchall()
    with pytest.raises(ScenarioStoreError, match="名称"):
        save_scenario(con, Scenario(), "   ", actor="a")
    with pytest.raises(ScenarioStoreError, match="不存在"):
        save_scenario(
            con, Scenario(events=[AssumedEvent("commenced", "zz", date(2026, 5, 1))]), "坏", actor="a"
        )
    assert list_scenarios(con).empty
    assert con.execute("SELECT count(*) FROM audit_log").fetchall() == before


def test_delete(con) -> None:
    scenario_id = save_scenario(con, Scenario(settings={"red_gap": 0.1}), "临时", actor="a")
    delete_scenario(con, scenario_id, actor="b")
    assert list_scenarios(con).empty
    assert con.execute("SELECT actor, action FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchall() == [
        ("b", "delete")
    ]
    with pytest.raises(ScenarioStoreError):
        load_scenario(con, scenario_id)
    with pytest.raises(ScenarioStoreError):
        delete_scenario(con, scenario_id, actor="b")


def test_compare_two_saved_scenarios(con) -> None:
    lower = Scenario(targets=[TargetOverride(2026, "t01", "signed_projects", 1)])
    first = save_scenario(con, Scenario(), "原目标", actor="a")
    second = save_scenario(con, lower, "降低目标", actor="a")
    settings = effective_settings(con)
    result = compare_saved(con, PERIOD, settings, first, second)
    # the same as comparing the plain report with the second scenario
    direct = compare(con, PERIOD, settings, lower)
    assert result.baseline == build_report(con, PERIOD, settings)
    assert result.scenario == direct.scenario
    changes = {(r.unit_id, r.award, r.change) for r in result.award_changes.itertuples()}
    assert ("t01", "snail", "lost") in changes


def test_export_is_a_settings_file_the_report_accepts(con, tmp_path, capsys) -> None:
    scenario = Scenario(
        settings={"score_cap": 1.2, "unit_weights": {"valid_leads": 0.5}},
        targets=[TargetOverride(2026, "t01", "signed_projects", 1)],
        events=[AssumedEvent("commenced", "a1", date(2026, 5, 1))],
    )
    text, note = export_settings(scenario)
    assert json.loads(text) == scenario.settings
    # exactly what `python -m analytics report --settings FILE` does with the file
    settings = effective_settings(None, json.loads(text))
    assert settings["score_cap"] == 1.2 and settings["unit_weights"]["valid_leads"] == 0.5
    assert "1 项目标调整" in note and "1 项假设事件" in note and "不是设置项" in note
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    from analytics.cli import main
    from analytics.data.exporter import export_dataset

    data = export_dataset(con, tmp_path / "data")
    assert (
        main(
            [
                "report",
                "--data",
                str(data),
                "--year",
                "2026",
                "--as-of",
                "2026-06-30",
                "--settings",
                str(path),
            ]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed == build_report(con, PERIOD, effective_settings(None, scenario.settings))
