"""What-if scenarios: the overlay changes the numbers exactly as recomputing on an edited copy of the
database does, and applying or discarding one leaves every real table exactly as it was."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.core.period import Period
from analytics.core.schema import TABLES
from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from analytics.metrics.report import build_report
from analytics.whatif.scenario import (
    AssumedEvent,
    Scenario,
    ScenarioError,
    TargetOverride,
    apply_scenario,
    compare,
    diff_reports,
)
from tests.demo_db import DEMO_TODAY, build_demo_database
from tests.metrics_fixtures import add_industry, add_project, add_unit, add_unit_targets, fresh

PERIOD = Period(DEMO_TODAY.year, DEMO_TODAY)


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_database(tmp_path_factory.mktemp("scenario_demo"))


def _contents(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every row of every table (contract tables, settings, scenarios, audit log), sorted."""
    names = [t.name for t in TABLES] + ["settings", "scenarios", "audit_log"]
    return {name: sorted(con.execute(f"SELECT * FROM {name}").fetchall(), key=repr) for name in names}


def _pick(con: duckdb.DuckDBPyConnection, sql: str) -> list[str]:
    return [r[0] for r in con.execute(sql).fetchall()]


def _scenario_for(con: duckdb.DuckDBPyConnection) -> Scenario:
    """A scenario touching every kind of assumption, on records of the demo county."""
    waiting = _pick(
        con,
        "SELECT project_id FROM projects WHERE year(signed_date) = 2026 AND commenced_date IS NULL"
        " AND written_off_date IS NULL ORDER BY project_id LIMIT 3",
    )
    not_in_stats = _pick(
        con,
        "SELECT project_id FROM projects WHERE in_stats_date IS NULL AND written_off_date IS NULL"
        " AND signed_date <= DATE '2026-11-20' ORDER BY project_id LIMIT 2",
    )
    pending = _pick(con, "SELECT lead_id FROM leads WHERE status = 'pending' ORDER BY lead_id LIMIT 2")
    foreign = _pick(
        con, "SELECT project_id FROM projects WHERE source = 'foreign' ORDER BY project_id LIMIT 1"
    )
    assert waiting and not_in_stats and pending and foreign
    return Scenario(
        name="综合假设",
        settings={
            "score_cap": 1.2,
            "red_gap": 0.2,
            "landing_targets": {"current": [0.6, 0.3]},
            "advanced_per_class": {"1": 3},
        },
        targets=[
            TargetOverride(2026, "t05", "in_stats_projects", 1.0),
            TargetOverride(2026, "county", "signed_projects", 40.0),
        ],
        events=[AssumedEvent("commenced", p, date(2026, 11, 1)) for p in waiting]
        + [AssumedEvent("produced", waiting[0], date(2026, 11, 10))]
        + [AssumedEvent("in_stats", p, date(2026, 11, 15)) for p in not_in_stats]
        + [AssumedEvent("lead_valid", lead) for lead in pending]
        + [
            AssumedEvent(
                "funds",
                foreign[0],
                date(2026, 11, 18),
                amount_wan=5000.0,
                fixed_asset_wan=4000.0,
                fdi_usd_wan=700.0,
                fx_usd_wan=650.0,
            )
        ],
    )


def test_scenario_matches_recomputing_on_an_edited_copy(demo_path: Path, tmp_path: Path) -> None:
    """Independent path: copy the database file, make the same changes with plain SQL, and run
    build_report with the same overrides; the scenario report must be identical."""
    con = open_database(demo_path)
    try:
        scenario = _scenario_for(con)
        base_settings = effective_settings(con)
        result = compare(con, PERIOD, base_settings, scenario)
    finally:
        con.close()

    copy = tmp_path / "edited.duckdb"
    shutil.copyfile(demo_path, copy)
    edited = open_database(copy)
    edited.execute("DELETE FROM targets WHERE year = 2026 AND scope = 't05' AND metric = 'in_stats_projects'")
    edited.execute(
        "INSERT INTO targets (year, scope, metric, value) VALUES (2026, 't05', 'in_stats_projects', 1.0)"
    )
    edited.execute(
        "UPDATE targets SET value = 40 WHERE year = 2026 AND scope = 'county' AND metric = 'signed_projects'"
    )
    for e in scenario.events:
        if e.kind == "commenced":
            edited.execute("UPDATE projects SET commenced_date = ? WHERE project_id = ?", [e.on, e.record_id])
        elif e.kind == "produced":
            edited.execute(
                "UPDATE projects SET production_date = ? WHERE project_id = ?", [e.on, e.record_id]
            )
        elif e.kind == "in_stats":
            edited.execute("UPDATE projects SET in_stats_date = ? WHERE project_id = ?", [e.on, e.record_id])
        elif e.kind == "lead_valid":
            edited.execute("UPDATE leads SET status = 'valid' WHERE lead_id = ?", [e.record_id])
        else:
            edited.execute(
                "INSERT INTO fund_arrivals (project_id, date, amount_wan, fixed_asset_wan, fdi_usd_wan, fx_usd_wan)"
                " VALUES (?, ?, 5000.0, 4000.0, 700.0, 650.0)",
                [e.record_id, e.on],
            )
    settings = effective_settings(
        edited,
        {
            "score_cap": 1.2,
            "red_gap": 0.2,
            "landing_targets": {"current": [0.6, 0.3]},
            "advanced_per_class": {"1": 3},
        },
    )
    expected = build_report(edited, PERIOD, settings)
    edited.close()
    assert result.scenario == expected
    # and the scenario moved things: the baseline is different
    assert result.baseline != result.scenario
    assert any(result.units["changed"])


def test_baseline_side_is_the_plain_report(demo_path: Path) -> None:
    con = open_database(demo_path)
    try:
        settings = effective_settings(con)
        result = compare(con, PERIOD, settings, Scenario())
        assert result.baseline == build_report(con, PERIOD, settings)
        assert result.scenario == result.baseline  # an empty scenario changes nothing
        assert not result.highlights
        assert not any(result.units["changed"])
    finally:
        con.close()


def test_applying_and_discarding_leaves_every_real_table_unchanged(demo_path: Path) -> None:
    con = open_database(demo_path)
    try:
        before = _contents(con)
        scenario = _scenario_for(con)
        scratch = apply_scenario(con, scenario)
        # the scratch copy did change ...
        assert (
            scratch.execute("SELECT count(*) FROM fund_arrivals").fetchall()[0][0]
            == len(before["fund_arrivals"]) + 1
        )
        scratch.close()  # discard
        compare(con, PERIOD, effective_settings(con), scenario)
        # ... and the real tables did not
        assert _contents(con) == before
    finally:
        con.close()


def test_a_scenario_round_trips_through_json() -> None:
    scenario = Scenario(
        name="甲",
        settings={"score_cap": 1.3},
        targets=[TargetOverride(2026, "county", "signed_projects", 30.0)],
        events=[
            AssumedEvent("commenced", "p1", date(2026, 5, 1)),
            AssumedEvent("lead_valid", "L1"),
            AssumedEvent("funds", "p2", date(2026, 6, 1), amount_wan=10.0, fixed_asset_wan=5.0),
        ],
    )
    assert Scenario.from_json(scenario.to_json()) == scenario


def test_bad_assumptions_are_refused_with_every_reason() -> None:
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_project(con, "p1", "2026-03-01")
    scenario = Scenario(
        settings={"score_cap": -1},
        targets=[
            TargetOverride(2026, "t99", "signed_projects", 2.0),
            TargetOverride(2026, "county", "valid_leads", 2.0),
        ],
        events=[
            AssumedEvent("commenced", "p1", date(2026, 2, 1)),  # before signing
            AssumedEvent("in_stats", "nope", date(2026, 5, 1)),
            AssumedEvent("funds", "p1", date(2026, 5, 1), amount_wan=1.0, fdi_usd_wan=5.0),
        ],
    )
    with pytest.raises(ScenarioError) as raised:
        apply_scenario(con, scenario)
    text = "\n".join(raised.value.errors)
    for fragment in ("不能为负", "t99", "valid_leads", "早于签约日期", "nope", "不是外资项目"):
        assert fragment in text
    assert con.execute("SELECT commenced_date FROM projects").fetchall() == [(None,)]


def test_an_earlier_real_date_is_kept_and_production_implies_commencement() -> None:
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_project(con, "p1", "2026-01-10", in_stats="2026-02-01")
    add_project(con, "p2", "2026-01-10")
    scratch = apply_scenario(
        con,
        Scenario(
            events=[
                AssumedEvent("in_stats", "p1", date(2026, 6, 1)),
                AssumedEvent("produced", "p2", date(2026, 6, 1)),
            ]
        ),
    )
    rows = scratch.execute(
        "SELECT project_id, in_stats_date, commenced_date, production_date FROM projects ORDER BY 1"
    ).fetchall()
    assert rows == [("p1", date(2026, 2, 1), None, None), ("p2", None, date(2026, 6, 1), date(2026, 6, 1))]


def test_snail_moves_when_a_target_is_lowered() -> None:
    """Hand-made class of two townships; lowering the laggard's target moves the snail."""
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_project(con, "a1", "2026-02-01", unit="t01")
    add_project(con, "b1", "2026-02-01", unit="t02")
    add_project(con, "b2", "2026-03-01", unit="t02")
    add_unit_targets(con, 2026, "t01", 4, None, None)  # t01: 1/4 → score 100 × 0.25 = 25
    add_unit_targets(con, 2026, "t02", 4, None, None)  # t02: 2/4 → score 50
    period = Period(2026, date(2026, 6, 30))
    settings = effective_settings(con)
    result = compare(
        con, period, settings, Scenario(targets=[TargetOverride(2026, "t01", "signed_projects", 1)])
    )
    # t01 now 1/1 → 100 (completed), t02 stays 50 and not completed → t02 last → the snail
    units = result.units.set_index("unit_id")
    assert units.loc["t01", "baseline_awards"] == ["snail"]
    assert "snail" not in units.loc["t01", "scenario_awards"]
    assert units.loc["t02", "scenario_awards"] == ["snail"]
    assert units.loc["t01", "rank_change"] == 1  # rank 2 → 1
    changes = {(r.unit_id, r.award, r.change) for r in result.award_changes.itertuples()}
    assert ("t01", "snail", "lost") in changes and ("t02", "snail", "gained") in changes
    assert any("不再是蜗牛奖" in h for h in result.highlights)


def test_diff_of_rewards_uses_the_engine_amounts() -> None:
    """diff_reports only lines numbers up: the change is scenario − baseline of the given totals."""
    base = {
        "landing": [],
        "concentration": {"met": None},
        "county": [],
        "units": [],
        "squads": [],
        "rewards": {
            "fdi": 1.5,
            "fx_contribution": {"unit_id": None, "amount": 0.0},
            "projects": [{"project_id": "p", "reward": "project_5020", "unit_id": "t", "amount": 10.0}],
            "total": 11.5,
        },
    }
    scen = {**base, "rewards": {**base["rewards"], "fdi": 3.0, "total": 13.0}}
    result = diff_reports(base, scen)
    total = result.rewards.set_index("item").loc["奖励合计"]
    assert total["change"] == pytest.approx(1.5)  # 13.0 − 11.5
    assert result.reward_total_change == pytest.approx(1.5)
