"""METRICS.md §8 by hand: stages (六未), lights, approvals, packaging gaps (四个一), the lead funnel,
and ``python -m analytics stalled`` on hand-made data. D = 2025-06-30 unless a test says otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from analytics import cli
from analytics.data.store import open_database
from analytics.metrics import pipeline
from tests.metrics_fixtures import _insert, add_lead, add_project, d, fresh, period, settings

D = "2025-06-30"
PERIOD = period(2025, D)


def set_project(con: duckdb.DuckDBPyConnection, project_id: str, **columns: Any) -> None:
    """Set v2 columns of a project (planned dates, responsible unit, helper, is_major ...)."""
    for column, value in columns.items():
        if isinstance(value, str) and column.endswith("_on"):
            value = d(value)
        con.execute(f"UPDATE projects SET {column} = ? WHERE project_id = ?", [value, project_id])


def add_milestone(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    kind: str,
    planned: str | None = None,
    done: str | None = None,
) -> None:
    _insert(
        con,
        "milestones",
        {
            "project_id": project_id,
            "kind": kind,
            "planned_on": d(planned) if planned else None,
            "done_on": d(done) if done else None,
        },
    )


def by_id(con: duckdb.DuckDBPyConnection, as_of: str = D, **overrides: Any) -> dict[str, dict[str, Any]]:
    frame = pipeline.project_pipeline(con, period(2025, as_of), settings(**overrides))
    return {r["project_id"]: r for r in frame.to_dict("records")}


def track_every_kind(con: duckdb.DuckDBPyConnection) -> None:
    """A project elsewhere records each optional step once, so every kind is tracked."""
    add_project(con, "ZZ", "2020-01-01", commenced="2020-06-01", produced="2021-01-01")
    for kind in ("registered", "land", "completed", "full_production"):
        add_milestone(con, "ZZ", kind, done="2020-03-01")


# ---------------------------------------------------------------------------------------------
# stage
# ---------------------------------------------------------------------------------------------


def test_a_later_step_done_implies_the_earlier_ones() -> None:
    con = fresh()
    track_every_kind(con)
    # Commenced without any 注册 / 供地 record: both count as done, so it waits on 竣工.
    add_project(con, "P1", "2025-01-01", commenced="2025-03-01")
    row = by_id(con)["P1"]
    assert row["stage"] == "开工未竣工"
    assert row["waiting_on"] == "completed"
    # No plan: waited since 开工 2025-03-01 → 30 (Mar) + 30 (Apr) + 31 (May) + 30 (Jun) = 121 days ≤ 365.
    assert row["days_waited"] == 121
    assert row["planned_on"] is None and pd.isna(row["days_overdue"])
    assert row["light"] == "green"


def test_a_step_dated_after_d_is_not_done_yet() -> None:
    con = fresh()
    track_every_kind(con)
    add_project(con, "P1", "2025-01-01")
    add_milestone(con, "P1", "registered", done="2025-02-01")
    add_milestone(con, "P1", "land", done="2025-07-01")  # after D
    assert by_id(con)["P1"]["stage"] == "注册未供地"


def test_every_kind_tracked_gives_the_six_stages() -> None:
    con = fresh()
    track_every_kind(con)
    add_project(con, "A", "2025-01-01")
    add_project(con, "B", "2025-01-01")
    add_milestone(con, "B", "registered", done="2025-01-10")
    add_project(con, "C", "2025-01-01")
    add_milestone(con, "C", "land", done="2025-01-10")
    add_project(con, "E", "2025-01-01", commenced="2025-02-01")
    add_milestone(con, "E", "completed", done="2025-03-01")
    add_project(con, "F", "2025-01-01", commenced="2025-02-01", produced="2025-03-01")
    add_project(con, "G", "2025-01-01")
    add_milestone(con, "G", "full_production", done="2025-05-01")
    rows = by_id(con)
    assert {k: rows[k]["stage"] for k in "ABCEFG"} == {
        "A": "签约未注册",
        "B": "注册未供地",
        "C": "供地未开工",
        "E": "竣工未投产",
        "F": "投产未达产",
        "G": "已达产",
    }
    assert pd.isna(rows["G"]["waiting_on"]) and pd.isna(rows["G"]["light"])


def test_an_untracked_kind_is_skipped_not_missing() -> None:
    con = fresh()
    add_project(con, "Z", "2020-01-01")
    add_milestone(con, "Z", "land", planned="2020-05-01")  # only 供地 is ever recorded
    add_project(con, "B", "2025-01-10")
    add_project(con, "C", "2025-01-10")
    add_milestone(con, "C", "land", done="2025-02-01")
    add_project(con, "F", "2025-01-10", commenced="2025-02-01", produced="2025-03-01")
    rows = by_id(con)
    assert rows["B"]["stage"] == "签约未供地"  # 注册 is not tracked: no 签约未注册
    assert rows["C"]["stage"] == "供地未开工"
    assert rows["F"]["stage"] == "已投产"  # 达产 not tracked


def test_no_milestones_at_all_gives_two_stages() -> None:
    con = fresh()
    add_project(con, "A", "2025-01-10")
    add_project(con, "B", "2025-01-10", commenced="2025-03-01")
    rows = by_id(con)
    assert (rows["A"]["stage"], rows["B"]["stage"]) == ("签约未开工", "开工未投产")


def test_written_off_and_future_projects_are_left_out() -> None:
    con = fresh()
    add_project(con, "W", "2025-01-10", written_off="2025-05-01")
    add_project(con, "L", "2025-01-10", written_off="2025-07-01")  # written off after D: active
    add_project(con, "X", "2025-07-01")  # signed after D
    assert set(by_id(con)) == {"L"}


def test_unverified_commencement_is_blank_when_only_verified_count() -> None:
    con = fresh()
    add_project(con, "A", "2025-01-10", commenced="2025-03-01")
    assert by_id(con)["A"]["stage"] == "开工未投产"
    assert by_id(con, count_verified_only=True)["A"]["stage"] == "签约未开工"
    set_project(con, "A", commenced_verified_on="2025-03-05")
    assert by_id(con, count_verified_only=True)["A"]["stage"] == "开工未投产"


# ---------------------------------------------------------------------------------------------
# lights
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("planned", "light", "overdue"),
    [
        ("2025-07-05", "green", -5),  # not yet due
        ("2025-06-30", "green", 0),  # D = p
        ("2025-06-29", "yellow", 1),  # p + 1
        ("2025-05-31", "yellow", 30),  # p + 30: 1 (May 31→Jun 1) + 29 = 30
        ("2025-05-30", "red", 31),  # p + 31
    ],
)
def test_light_by_the_planned_commencement(planned: str, light: str, overdue: int) -> None:
    con = fresh()
    add_project(con, "P", "2025-01-10")
    set_project(con, "P", planned_commence_on=planned)
    row = by_id(con)["P"]
    assert (row["waiting_on"], row["light"], row["days_overdue"]) == ("commenced", light, overdue)
    assert row["planned_on"] == d(planned)


@pytest.mark.parametrize(
    ("signed", "light"),
    [
        ("2025-05-01", "green"),  # 30 (May) + 30 (Jun) = 60 days = the default for 注册
        ("2025-04-01", "yellow"),  # 29 + 31 + 30 = 90 = 1.5 × 60
        ("2025-03-31", "red"),  # 91
    ],
)
def test_light_of_registration_without_a_plan(signed: str, light: str) -> None:
    con = fresh()
    track_every_kind(con)
    add_project(con, "P", signed)
    row = by_id(con)["P"]
    assert row["stage"] == "签约未注册"
    assert row["light"] == light
    assert pd.isna(row["days_overdue"]) and row["planned_on"] is None


def test_light_by_a_milestone_plan_and_a_changed_yellow_window() -> None:
    con = fresh()
    track_every_kind(con)
    add_project(con, "P", "2025-01-10")
    add_milestone(con, "P", "registered", planned="2025-06-20")  # 10 days late
    assert by_id(con)["P"]["light"] == "yellow"
    assert by_id(con, stall_yellow_days=9)["P"]["light"] == "red"


def test_default_days_count_from_the_previous_step() -> None:
    con = fresh()
    # 开工 2025-01-01, waiting on 投产 (default 180, yellow to 270): D − 2025-01-01 = 180 → green.
    add_project(con, "P", "2024-06-01", commenced="2025-01-01")
    assert by_id(con)["P"]["light"] == "green"
    assert by_id(con, "2025-07-01")["P"]["light"] == "yellow"  # 181
    assert by_id(con, stall_default_days={"production": 100})["P"]["light"] == "red"  # 180 > 150


def test_counts_by_stage_and_light() -> None:
    con = fresh()
    add_project(con, "A", "2025-06-01")  # 29 days → green
    add_project(con, "B", "2024-06-30")  # 365 days > 270 → red
    add_project(con, "C", "2025-01-01", commenced="2025-02-01")
    set_project(con, "C", planned_production_on="2025-06-20")  # 10 days late → yellow
    add_project(con, "F", "2024-01-01", commenced="2024-02-01", produced="2024-09-01")
    counts = pipeline.stage_light_counts(pipeline.project_pipeline(con, PERIOD, settings()))
    assert counts == {
        "签约未开工": {"green": 1, "yellow": 0, "red": 1},
        "开工未投产": {"green": 0, "yellow": 1, "red": 0},
    }


# ---------------------------------------------------------------------------------------------
# approvals
# ---------------------------------------------------------------------------------------------


def test_approvals_not_done_have_their_own_lights() -> None:
    con = fresh()
    add_project(con, "P", "2025-01-10")
    add_milestone(con, "P", "planning_permit", planned="2025-05-01")  # 60 days late → red
    add_milestone(con, "P", "env_assessment")  # no plan → green
    add_milestone(con, "P", "construction_permit", planned="2025-05-01", done="2025-06-01")  # done
    add_milestone(con, "P", "energy_assessment", planned="2025-06-30", done="2025-07-05")  # done after D
    add_milestone(con, "P", "land", planned="2025-01-01")  # a chain step, not an approval
    frame = pipeline.approvals(con, PERIOD, settings())
    assert frame[["kind", "light"]].values.tolist() == [
        ["planning_permit", "red"],
        ["env_assessment", "green"],
        ["energy_assessment", "green"],
    ]
    assert frame["days_overdue"].tolist()[0] == 60  # 30 (May) + 30 (Jun)


# ---------------------------------------------------------------------------------------------
# four ones
# ---------------------------------------------------------------------------------------------


def test_packaging_gaps_name_what_is_missing_in_order() -> None:
    con = fresh()
    add_project(con, "M1", "2025-01-10", total=100000.0)  # major by size, nothing set
    add_project(con, "M2", "2025-01-10", leader="周县长")  # major by its leader
    set_project(con, "M2", responsible_unit_id="d01", planned_commence_on="2025-09-01")
    add_project(con, "M3", "2025-01-10")
    set_project(con, "M3", is_major=True, responsible_unit_id="d01", helper="王专员")
    set_project(con, "M3", leader_in_charge="周县长", planned_commence_on="2025-08-01")
    add_project(con, "M4", "2024-01-10", total=200000.0, commenced="2024-03-01", produced="2025-01-01")
    set_project(con, "M4", leader_in_charge="周县长", responsible_unit_id="d01", helper="王专员")
    add_project(con, "S", "2025-01-10", total=99999.0)  # not major
    gaps = pipeline.packaging_gaps(pipeline.project_pipeline(con, PERIOD, settings()))
    assert gaps == [
        {"project_id": "M1", "missing": ["leader", "responsible_unit", "helper", "schedule"]},
        {"project_id": "M2", "missing": ["helper"]},
    ]  # M3 complete; M4 in production needs no schedule; S is not major
    # The size rule follows the setting: at 99999 万元 S becomes major too.
    wider = pipeline.packaging_gaps(
        pipeline.project_pipeline(con, PERIOD, settings(major_project_min_wan=99999))
    )
    assert [g["project_id"] for g in wider] == ["M1", "M2", "S"]


# ---------------------------------------------------------------------------------------------
# leads in negotiation
# ---------------------------------------------------------------------------------------------


def set_lead(con: duckdb.DuckDBPyConnection, lead_id: str, stage: str | None, changed: str | None) -> None:
    con.execute(
        "UPDATE leads SET stage = ?, stage_changed_on = ? WHERE lead_id = ?",
        [stage, d(changed) if changed else None, lead_id],
    )


def test_lead_funnel_stage_ages_and_stuck_flags() -> None:
    con = fresh()
    add_lead(con, "L1", "2025-03-01", "甲")
    set_lead(con, "L1", "contact", "2025-05-31")  # 30 days: not stuck (limit 30)
    add_lead(con, "L2", "2025-03-01", "乙")
    set_lead(con, "L2", None, "2025-05-30")  # blank = contact, 31 days: stuck
    add_lead(con, "L3", "2025-02-01", "丙")
    set_lead(con, "L3", "visit", "2025-04-01")  # 90 days > 60: stuck
    add_lead(con, "L4", "2025-02-01", "丁", project_id="P9")
    set_lead(con, "L4", None, None)  # blank with a project: signed, no age
    add_lead(con, "L5", "2025-02-01", "戊")
    set_lead(con, "L5", "dropped", "2024-01-01")  # closed: never stuck
    add_lead(con, "L6", "2024-12-31", "己")  # reported before W
    leads = pipeline.negotiation_leads(con, PERIOD, settings()).set_index("lead_id")
    assert list(leads.index) == ["L1", "L2", "L3", "L4", "L5"]
    assert leads["stage"].tolist() == ["contact", "contact", "visit", "signed", "dropped"]
    assert leads["stage_age_days"].tolist()[:3] == [30, 31, 90]
    assert leads["is_stuck"].tolist() == [False, True, True, False, False]
    funnel = pipeline.lead_funnel(con, PERIOD, settings()).set_index("stage")
    assert funnel["leads"].to_dict() == {
        "contact": 2,
        "visit": 1,
        "negotiating": 0,
        "signed": 1,
        "dropped": 1,
    }
    assert funnel.loc["contact", "mean_age_days"] == 30.5  # (30 + 31) / 2
    assert funnel.loc["contact", "max_age_days"] == 31
    assert funnel["stuck"].to_dict() == {
        "contact": 1,
        "visit": 1,
        "negotiating": 0,
        "signed": 0,
        "dropped": 0,
    }
    relaxed = pipeline.negotiation_leads(con, PERIOD, settings(lead_stage_stuck_days={"contact": 31}))
    assert relaxed["is_stuck"].tolist() == [False, False, True, False, False]


# ---------------------------------------------------------------------------------------------
# python -m analytics stalled
# ---------------------------------------------------------------------------------------------


def test_stalled_command_prints_the_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "county.duckdb"
    con = open_database(db)
    add_project(con, "P1", "2025-01-01", total=150000.0, leader="周县长")  # major
    set_project(con, "P1", responsible_unit_id="d01")
    add_milestone(con, "P1", "registered", planned="2025-03-01", done="2025-02-20")
    add_milestone(con, "P1", "land", planned="2025-05-30")  # waiting on 供地, 31 days late: red
    add_project(con, "P2", "2025-04-01")  # waiting on 注册 for 90 days: yellow
    add_project(con, "P3", "2024-01-01", commenced="2024-03-01", produced="2024-12-01")
    add_milestone(con, "P3", "planning_permit", planned="2024-01-01")  # an approval: not a step
    con.close()
    code = cli.main(["stalled", "--db", str(db), "--as-of", D])
    assert code == 0
    assert json.loads(capsys.readouterr().out) == {
        "as_of": "2025-06-30",
        "projects": [
            {
                "project_id": "P1",
                "stage": "注册未供地",
                "waiting_on": "land",
                "planned_on": "2025-05-30",
                "days_overdue": 31,
                "light": "red",
            },
            {
                "project_id": "P2",
                "stage": "签约未注册",
                "waiting_on": "registered",
                "planned_on": None,
                "days_overdue": None,
                "light": "yellow",
            },
            {
                "project_id": "P3",
                "stage": "已投产",
                "waiting_on": None,
                "planned_on": None,
                "days_overdue": None,
                "light": None,
            },
        ],
        "counts": {
            "签约未注册": {"green": 0, "yellow": 1, "red": 0},
            "注册未供地": {"green": 0, "yellow": 0, "red": 1},
        },
        "packaging_gaps": [{"project_id": "P1", "missing": ["helper"]}],
    }


def test_stalled_command_with_a_settings_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "county.duckdb"
    con = open_database(db)
    add_project(con, "P2", "2025-04-01")  # waiting on 开工 for 90 days: green (default 180)
    con.close()
    overrides = tmp_path / "settings.json"
    overrides.write_text(json.dumps({"stall_default_days": {"commenced": 50}}), encoding="utf-8")
    assert cli.main(["stalled", "--db", str(db), "--as-of", D, "--settings", str(overrides)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["projects"][0]["light"] == "red"  # 90 > 75 = 1.5 × 50
    assert out["counts"] == {"签约未开工": {"green": 0, "yellow": 0, "red": 1}}


def test_stalled_command_refuses_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["stalled", "--as-of", D]) == 2
    assert "--data" in capsys.readouterr().err
    db = tmp_path / "county.duckdb"
    open_database(db).close()
    assert cli.main(["stalled", "--db", str(db), "--as-of", "2025-13-01"]) == 2
