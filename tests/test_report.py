"""The METRICS.md report: keys and their order, a full hand-computed report, the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from data_builders import valid_tables, write_csv_folder
from metrics_fixtures import (
    add_arrival,
    add_department,
    add_industry,
    add_lead,
    add_project,
    add_squad,
    add_target,
    add_unit,
    add_unit_targets,
    fresh,
    period,
    settings,
)

from analytics.core.period import Period
from analytics.data.importer import load_into_memory
from analytics.metrics.report import REPORT_KEYS, build_report

ROOT = Path(__file__).resolve().parent.parent


def _small_county():
    con = fresh()
    add_industry(con, "k", is_key=True, is_industrial=True)
    add_industry(con, "s", is_key=False, is_industrial=False)
    add_squad(con, "q1", industry_id="k")
    add_unit(con, "t1", township_class="1")
    add_unit(con, "t2", township_class="1")
    add_unit(con, "t3", township_class="2")
    add_department(con, "d1", "q1")
    add_department(con, "d2", "q1")
    add_project(con, "p1", "2024-02-01", unit="t1", industry="k", total=20000, source="foreign",
                in_stats="2024-03-01", commenced="2024-03-10")  # fmt: skip
    add_project(con, "p2", "2024-03-01", unit="t2", industry="s", total=5000)
    add_project(con, "p3", "2023-05-01", unit="d1", industry="k", total=250000, is_5020=True,
                in_stats="2024-01-15", commenced="2023-06-01", produced="2024-06-01")  # fmt: skip
    add_project(con, "p4", "2023-07-20", unit="t1", industry="s", total=3000)
    add_project(con, "p5", "2024-04-01", unit="t3", industry="k", total=1000, written_off="2024-05-01")
    add_arrival(con, "p1", "2024-03-05", amount=800, fixed=500, fdi=150, fx=120)
    add_arrival(con, "p3", "2024-02-01", amount=60000, fixed=50000)
    add_lead(con, "l1", "2024-01-10", "甲公司", unit="t1")
    add_lead(con, "l2", "2024-01-11", "甲 公司", unit="t2")  # duplicate of l1
    add_lead(con, "l3", "2024-02-10", "乙公司", unit="d1")
    add_target(con, 2024, "county", "signed_projects", 4)
    add_target(con, 2024, "county", "fdi_usd_wan", 300)
    add_unit_targets(con, 2024, "t1", 1, 1, 1)
    add_unit_targets(con, 2024, "t2", 2, 0, 1)
    add_unit_targets(con, 2024, "d1", 1, 1, 1)
    add_unit_targets(con, 2024, "d2", 1, None, None)
    return con


def _county(metric, actual, previous, yoy, target=None, completion=None, status="no_target"):
    return {"metric": metric, "actual": actual, "target": target, "completion": completion, "status": status,
            "previous": previous, "yoy": yoy}  # fmt: skip


def _unit(
    unit_id, kind, group, actuals, targets, score, completed, rank, signed_wan, awards, behind, statement
):
    return {"unit_id": unit_id, "kind": kind, "group": group,
            "actuals": dict(zip(("signed_projects", "in_stats_projects", "valid_leads"), actuals, strict=True)),
            "targets": dict(zip(("signed_projects", "in_stats_projects", "valid_leads"), targets, strict=True)),
            "score": score, "completed": completed, "rank": rank, "tied": False, "signed_investment_wan": signed_wan,
            "awards": awards, "behind_half": behind, "public_statement": statement,
            "behind_schedule": False}  # fmt: skip


# 2024 is a leap year: D = 07-20 is day 31+29+31+30+31+30+20 = 202 of 366 → f = 202/366 ≈ 0.5519;
# f − red_gap ≈ 0.2519.
EXPECTED = {
    "year": 2024,
    "as_of": "2024-07-20",
    "schedule": 202 / 366,
    "landing": [
        # cohort 2023: p3 (commenced, produced 06-01), p4 (not commenced) → 1/2, 1/2
        {"cohort": 2023, "base": 2, "written_off": 0, "commenced": 1, "produced": 1, "commencement_rate": 0.5,
         "production_rate": 0.5, "commencement_target": 0.9, "production_target": 0.6,
         "commencement_met": False, "production_met": False},
        # cohort 2024: p1 (commenced), p2; p5 written off before D (v2: written_off 1)
        {"cohort": 2024, "base": 2, "written_off": 1, "commenced": 1, "produced": 0, "commencement_rate": 0.5,
         "production_rate": 0.0, "commencement_target": 0.8, "production_target": 0.5,
         "commencement_met": False, "production_met": False},
    ],
    # S = p1 (key, 20000), p2 (5000): 20000/25000 = 0.8; 1/2; hhi = 0.8² + 0.2² = 0.68
    "concentration": {"by_investment": 0.8, "by_count": 0.5, "hhi": 0.68, "basis": "investment",
                      "headline": 0.8, "target": 0.5, "met": True},
    "county": [
        # 2 of 4 = 0.5 < f, ≥ f − 0.3 → behind; 2023 to 07-20: p3, p4 → 2 → yoy 0
        _county("signed_projects", 2, 2, 0.0, 4, 0.5, "behind"),
        _county("foreign_firms", 1, 0, None),
        _county("export_producers", 0, 0, None),
        _county("projects_100m", 1, 1, 0.0),  # p1 now, p3 last year
        _county("top_companies", 0, 0, None),
        _county("projects_5020", 0, 1, -1.0),  # p3 last year: 0/1 − 1
        _county("in_stats_investment_wan", 270000.0, 0.0, None),  # p1 20000 + p3 250000
        _county("in_stats_projects_100m", 2, 0, None),
        _county("in_stats_projects_2b", 1, 0, None),
        _county("fdi_usd_wan", 150.0, 0.0, None, 300, 0.5, "behind"),
        _county("fx_usd_wan", 120.0, 0.0, None),
        _county("out_of_province_funds_wan", 0.0, 0.0, None),
        # v2: no trade rows → 0, no city growth to compare against
        _county("trade_usd_wan", 0.0, 0.0, None) | {"city_growth": None, "above_city": None},
    ],
    # D = C = 07-20: the mid-year verdict is today's report; behind_schedule needs D after C → false.
    "units": [
        # t1: (1/1, 1/1, 1/1) → 100, completed; golden horse + advanced; signed p1 20000
        _unit("t1", "township", "township_1", (1, 1, 1), (1, 1, 1), 100.0, True, 1, 20000.0,
              ["golden_horse", "advanced"], False, False),
        # t2: signed 1/2, in_stats target 0 (excluded), leads 0/1 (l2 is a duplicate):
        # 100 × (0.4 × 0.5 + 0.2 × 0) / 0.6 = 100/3; last and not completed → snail; leads 0 < 0.5 →
        # behind half, and no behind-half township lower → public statement; signed p2 5000
        _unit("t2", "township", "township_1", (1, 0, 0), (2, 0, 1), 100 / 3, False, 2, 5000.0, ["snail"], True,
              True),
        # t3: no targets → score, completed, rank null (v2); p5 written off: not in S
        _unit("t3", "township", "township_2", (0, 0, 0), (None, None, None), None, None, None, 0.0, [], False,
              False),
        # d1: (0/1, 1/1 (p3 in stats 01-15), 1/1 (l3)) → 100 × (0 + 0.4 + 0.2) = 60; signed 0 < 0.5 → behind
        # half; d1 and d2 both behind half, each with fewer than 3 behind-half departments lower → both state
        _unit("d1", "department", "department", (0, 1, 1), (1, 1, 1), 60.0, False, 1, 0.0, [], True, True),
        _unit("d2", "department", "department", (0, 0, 0), (1, None, None), 0.0, False, 2, 0.0, [], True, True),
    ],
    # q1 = d1 (60) + d2 (0); no squad target, members not completed → not completed, no advanced member;
    # d2 has no scored member lower, d1 one (d2): both < 2 → disqualified. Actuals: p3 in stats (d1).
    "squads": [{"squad_id": "q1", "actuals": {"signed_projects": 0, "in_stats_projects": 1}, "targets": {},
                "score": 60.0, "mean_score": 30.0, "completed": False, "rank": 1,
                "advanced_members": [], "disqualified": ["d1", "d2"], "unassessed": []}],
    "rewards": {
        "fdi": 0.45,  # 0.003 × 150
        "export": 0.0,  # no trade rows
        "fx_contribution": {"unit_id": "t1", "amount": 0.0, "tied": []},  # 120 in all, no single arrival ≥ 600
        "projects": [
            {"project_id": "p1", "reward": "foreign_fx", "unit_id": "t1", "payee": "t1", "amount": 5.0},  # fx 120 → 5
            # industrial (k), 250000, in stats 01-15, fixed 50000 = 20 % on 02-01 → q = 2024-02-01 in W:
            # 10 + 5 × floor(50000/100000) = 10, to d1 (no intermediary)
            {"project_id": "p3", "reward": "project_5020", "unit_id": "d1", "payee": "d1", "amount": 10.0},
        ],
        # t1 holds the advanced award of class 1 → 10
        "prizes": [{"unit_id": "t1", "prize": "advanced", "squad_id": None, "amount": 10.0}],
        "tax_sharing": [],
        "total": 25.45,  # 0.45 + 5 + 10 + 10
    },
    "deposits": {"held_yuan": 0.0, "refundable_yuan": 0.0, "forfeited_yuan": 0.0, "scopes": []},
}  # fmt: skip


def test_full_report_equals_the_hand_computed_one() -> None:
    report = build_report(_small_county(), period(2024, "2024-07-20"), settings())
    assert report == EXPECTED
    assert json.dumps(report, ensure_ascii=False) == json.dumps(
        EXPECTED, ensure_ascii=False
    )  # order and types


def test_keys_and_their_order() -> None:
    report = build_report(fresh(), period(2021, "2021-07-20"), settings())
    assert tuple(report) == REPORT_KEYS == (
        "year", "as_of", "schedule", "landing", "concentration", "county", "units", "squads", "rewards",
        "deposits")  # fmt: skip
    assert list(report["landing"][0]) == [
        "cohort", "base", "written_off", "commenced", "produced", "commencement_rate", "production_rate",
        "commencement_target", "production_target", "commencement_met", "production_met",
    ]  # fmt: skip
    assert list(report["concentration"]) == [
        "by_investment",
        "by_count",
        "hhi",
        "basis",
        "headline",
        "target",
        "met",
    ]
    assert list(report["county"][0]) == [
        "metric",
        "actual",
        "target",
        "completion",
        "status",
        "previous",
        "yoy",
    ]
    assert [e["metric"] for e in report["county"]][-1] == "trade_usd_wan"  # §3 order, trade last
    assert list(report["county"][-1]) == [
        "metric", "actual", "target", "completion", "status", "previous", "yoy", "city_growth", "above_city",
    ]  # fmt: skip
    assert list(report["rewards"]) == ["fdi", "export", "fx_contribution", "projects", "prizes", "tax_sharing",
                                       "total"]  # fmt: skip
    assert list(report["rewards"]["fx_contribution"]) == ["unit_id", "amount", "tied"]
    assert list(report["deposits"]) == ["held_yuan", "refundable_yuan", "forfeited_yuan", "scopes"]
    units = build_report(_small_county(), period(2024, "2024-07-20"), settings())["units"]
    assert list(units[0]) == ["unit_id", "kind", "group", "actuals", "targets", "score", "completed", "rank",
                              "tied", "signed_investment_wan", "awards", "behind_half", "public_statement",
                              "behind_schedule"]  # fmt: skip


def test_empty_database_report_is_all_zeros_and_nulls() -> None:
    report = build_report(fresh(), period(2021, "2021-07-20"), settings())
    assert report["schedule"] == 201 / 365
    assert report["concentration"]["headline"] is None and report["landing"][0]["commencement_rate"] is None
    assert report["units"] == [] and report["squads"] == []
    assert report["rewards"] == {"fdi": 0.0, "export": 0.0, "fx_contribution": {"unit_id": None, "amount": 0.0,
                                 "tied": []}, "projects": [], "prizes": [], "tax_sharing": [],
                                 "total": 0.0}  # fmt: skip


def test_as_of_after_the_year_uses_the_whole_year() -> None:
    report = build_report(_small_county(), Period(2024, date(2025, 3, 1)), settings())
    assert report["schedule"] == 1.0 and report["as_of"] == "2025-03-01"


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)  # fmt: skip


def test_cli_prints_the_same_json_as_build_report(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "county", valid_tables())
    done = _cli("report", "--data", str(folder), "--year", "2024", "--as-of", "2024-07-20")
    assert done.returncode == 0, done.stderr
    expected = build_report(load_into_memory(folder), period(2024, "2024-07-20"), settings())
    assert done.stdout == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def test_cli_settings_file_overrides(tmp_path: Path) -> None:
    folder = write_csv_folder(tmp_path / "county", valid_tables())
    overrides = tmp_path / "s.json"
    overrides.write_text(json.dumps({"concentration_target": 0.9}), encoding="utf-8")
    done = _cli("report", "--data", str(folder), "--year", "2024", "--as-of", "2024-07-20", "--settings",
                str(overrides))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["concentration"]["target"] == 0.9


def test_cli_exits_2_on_a_bad_dataset(tmp_path: Path) -> None:
    tables = valid_tables()
    tables["projects"][0]["signed_date"] = "2024-13-01"
    folder = write_csv_folder(tmp_path / "bad", tables)
    done = _cli("report", "--data", str(folder), "--year", "2024", "--as-of", "2024-07-20")
    assert done.returncode == 2
    assert "2024-13-01" in done.stderr and done.stdout == ""
