"""Verification (核验): who may confirm or send back which milestone, the audit of each decision, a
changed milestone going back to 待核验, and the queue.

The tiny county of ``entry_fixtures``: t01's clerk records p1's 入统 (03-01), 开工 (04-01), 投产
(06-01) and a fund arrival (03-15, 500 万元). The office names unit ``tjj`` (the statistics bureau)
as the verifier of 入统; the other kinds stay with the office.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import openpyxl
import pytest

from analytics.access import users
from analytics.access.permissions import PermissionDenied
from analytics.access.users import User
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.importer import ImportFailed
from analytics.data.store import open_database
from analytics.entry import verification
from analytics.entry import writes as entry
from analytics.metrics.report import build_report
from tests.entry_fixtures import CLERK_T01, CLERK_T02, LEADER, OFFICE, VIEWER, small_county

STATS = User("tjj_verifier", "统计局核验员", "verifier", "tjj")
OTHER_VERIFIER = User("zjj_verifier", "住建局核验员", "verifier", "d01")
TODAY = date(2026, 7, 1)
ARRIVAL_KEY = "p1|2026-03-15|500.0000|300.0000|0.0000|0.0000"
VERIFIERS = {"in_stats": "tjj", "commenced": "office", "production": "office", "fund_arrival": "office"}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    entry.update_project_stages(
        connection,
        CLERK_T01,
        "p1",
        1,
        in_stats_date=date(2026, 3, 1),
        commenced_date=date(2026, 4, 1),
        production_date=date(2026, 6, 1),
    )
    entry.record_fund_arrival(
        connection, CLERK_T01, project_id="p1", date=date(2026, 3, 15), amount_wan=500, fixed_asset_wan=300
    )
    entry.save_setting(connection, OFFICE, "verifier_units", VERIFIERS, None)
    yield connection
    connection.close()


def verified(con: duckdb.DuckDBPyConnection) -> tuple:
    return con.execute(
        "SELECT in_stats_verified_on, commenced_verified_on, production_verified_on FROM projects"
        " WHERE project_id = 'p1'"
    ).fetchall()[0]


def decisions(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "SELECT kind, record_key, decision, reason, decided_by FROM verification_decisions ORDER BY decision_id"
    ).fetchall()


def audit(con: duckdb.DuckDBPyConnection, *actions: str) -> list[tuple]:
    return con.execute(
        "SELECT actor, table_name, record_key, action, after_json FROM audit_log"
        " WHERE list_contains(?, action) ORDER BY audit_id",
        [list(actions)],
    ).fetchall()


def test_a_recorded_milestone_waits_in_the_queue_oldest_first(con: duckdb.DuckDBPyConnection) -> None:
    waiting = verification.queue(con, today=TODAY)
    # 入统 03-01, arrival 03-15, 开工 04-01, 投产 06-01: every one 待核验, by date
    assert list(zip(waiting["kind"], waiting["milestone_date"].dt.date, strict=True)) == [
        ("in_stats", date(2026, 3, 1)),
        ("fund_arrival", date(2026, 3, 15)),
        ("commenced", date(2026, 4, 1)),
        ("production", date(2026, 6, 1)),
    ]
    assert set(waiting["status_zh"]) == {"待核验"}
    assert list(waiting["waiting_days"]) == [122, 108, 91, 30]  # 2026-07-01 minus each date
    assert verified(con) == (None, None, None)
    # filtered by kind and by unit (t02 has no milestone)
    assert list(verification.queue(con, kinds=["commenced"], today=TODAY)["kind"]) == ["commenced"]
    assert verification.queue(con, unit_id="t02", today=TODAY).empty


@pytest.mark.parametrize("user", [CLERK_T01, CLERK_T02, LEADER, VIEWER])
def test_nobody_but_a_verifier_or_the_office_verifies(con: duckdb.DuckDBPyConnection, user: User) -> None:
    for kind, key, day in [
        ("in_stats", "p1", date(2026, 3, 1)),
        ("commenced", "p1", date(2026, 4, 1)),
        ("fund_arrival", ARRIVAL_KEY, date(2026, 3, 15)),
    ]:
        with pytest.raises(PermissionDenied, match="无权操作"):
            verification.confirm(con, user, kind, key, day, today=TODAY)
        with pytest.raises(PermissionDenied, match="无权操作"):
            verification.send_back(con, user, kind, key, day, "照片不清楚")
    assert verified(con) == (None, None, None)
    assert decisions(con) == [] and audit(con, "verify", "return") == []


def test_the_statistics_bureau_verifies_in_stats_and_nothing_else(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(PermissionDenied, match="无权核验开工"):
        verification.confirm(con, STATS, "commenced", "p1", date(2026, 4, 1), today=TODAY)
    with pytest.raises(PermissionDenied, match="无权核验资金到位"):
        verification.confirm(con, STATS, "fund_arrival", ARRIVAL_KEY, date(2026, 3, 15), today=TODAY)
    with pytest.raises(PermissionDenied, match="无权核验入统"):  # a verifier of another unit
        verification.confirm(con, OTHER_VERIFIER, "in_stats", "p1", date(2026, 3, 1), today=TODAY)
    with pytest.raises(PermissionDenied, match="无权核验入统"):  # the office does not verify 入统
        verification.confirm(con, OFFICE, "in_stats", "p1", date(2026, 3, 1), today=TODAY)
    assert verified(con) == (None, None, None)

    result = verification.confirm(
        con, STATS, "in_stats", "p1", date(2026, 3, 1), verified_on=date(2026, 3, 10), today=TODAY
    )
    assert result.decision == "verify"
    assert verified(con) == (date(2026, 3, 10), None, None)
    assert verification.visible_kinds(STATS, verification_settings(con)) == ["in_stats"]


def verification_settings(con: duckdb.DuckDBPyConnection) -> dict:
    return effective_settings(con)


def test_the_office_verifies_the_other_milestones(con: duckdb.DuckDBPyConnection) -> None:
    verification.confirm(con, OFFICE, "commenced", "p1", date(2026, 4, 1), today=TODAY)
    verification.confirm(con, OFFICE, "production", "p1", date(2026, 6, 1), today=TODAY)
    verification.confirm(con, OFFICE, "fund_arrival", ARRIVAL_KEY, date(2026, 3, 15), today=TODAY)
    assert verified(con) == (None, TODAY, TODAY)
    assert con.execute("SELECT verified_on FROM fund_arrivals").fetchall() == [(TODAY,)]
    assert list(verification.queue(con, today=TODAY)["kind"]) == ["in_stats"]  # only 入统 still waits
    assert set(verification.queue(con, status="verified", today=TODAY)["kind"]) == {
        "commenced",
        "production",
        "fund_arrival",
    }


def test_in_stats_has_no_verifier_until_the_office_names_one(tmp_path: Path) -> None:
    con = open_database(small_county(tmp_path))
    entry.update_project_stages(con, CLERK_T01, "p1", 1, in_stats_date=date(2026, 3, 1))
    for user in (OFFICE, STATS):
        with pytest.raises(PermissionDenied, match="无权核验入统"):
            verification.confirm(con, user, "in_stats", "p1", date(2026, 3, 1), today=TODAY)
    con.close()


def test_confirming_checks_the_date_and_the_milestone_it_saw(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(entry.EntryError, match="早于开工日期"):
        verification.confirm(
            con, OFFICE, "commenced", "p1", date(2026, 4, 1), verified_on=date(2026, 3, 31), today=TODAY
        )
    with pytest.raises(entry.EntryError, match="晚于今天"):
        verification.confirm(
            con, OFFICE, "commenced", "p1", date(2026, 4, 1), verified_on=date(2026, 7, 2), today=TODAY
        )
    with pytest.raises(entry.StaleWrite, match="2026-04-01"):  # the page showed another date
        verification.confirm(con, OFFICE, "commenced", "p1", date(2026, 4, 2), today=TODAY)
    verification.confirm(con, OFFICE, "commenced", "p1", date(2026, 4, 1), today=TODAY)
    with pytest.raises(entry.EntryError, match="无需重复"):
        verification.confirm(con, OFFICE, "commenced", "p1", date(2026, 4, 1), today=TODAY)
    assert [d[2] for d in decisions(con)] == ["verify"]


def test_send_back_records_the_reason(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(entry.EntryError, match="请填写退回原因"):
        verification.send_back(con, OFFICE, "commenced", "p1", date(2026, 4, 1), "  \n ")
    verification.send_back(con, OFFICE, "commenced", "p1", date(2026, 4, 1), "开工照片看不出施工")
    assert decisions(con) == [("commenced", "p1", "return", "开工照片看不出施工", "office")]
    returned = verification.queue(con, status="returned", today=TODAY)
    assert list(zip(returned["kind"], returned["reason"], returned["status_zh"], strict=True)) == [
        ("commenced", "开工照片看不出施工", "已退回")
    ]
    assert "commenced" not in set(verification.queue(con, today=TODAY)["kind"])
    assert verified(con) == (None, None, None)  # sent back: still unverified


def test_every_decision_is_audited(con: duckdb.DuckDBPyConnection) -> None:
    verification.confirm(con, STATS, "in_stats", "p1", date(2026, 3, 1), today=TODAY)
    verification.send_back(con, OFFICE, "fund_arrival", ARRIVAL_KEY, date(2026, 3, 15), "缺银行回单")
    verification.confirm(con, OFFICE, "production", "p1", date(2026, 6, 1), today=TODAY)
    entries = audit(con, "verify", "return")
    assert [(a, t, k, act) for a, t, k, act, _ in entries] == [
        ("tjj_verifier", "projects", "p1", "verify"),
        ("office", "fund_arrivals", ARRIVAL_KEY, "return"),
        ("office", "projects", "p1", "verify"),
    ]
    after = [json.loads(e[4]) for e in entries]
    assert after[0]["in_stats_verified_on"] == "2026-07-01" and after[0]["in_stats_date"] == "2026-03-01"
    assert after[1]["reason"] == "缺银行回单"
    assert len(decisions(con)) == 3


def test_a_changed_milestone_is_unverified_again(con: duckdb.DuckDBPyConnection) -> None:
    verification.confirm(con, OFFICE, "commenced", "p1", date(2026, 4, 1), today=TODAY)
    verification.confirm(con, OFFICE, "production", "p1", date(2026, 6, 1), today=TODAY)
    version = con.execute("SELECT row_version FROM projects WHERE project_id = 'p1'").fetchall()[0][0]
    # the clerk moves 开工; 投产 is untouched and stays verified
    entry.update_project_stages(con, CLERK_T01, "p1", version, commenced_date=date(2026, 4, 5))
    assert verified(con) == (None, None, TODAY)
    assert "commenced" in set(verification.queue(con, today=TODAY)["kind"])
    # a send-back ends when the unit changes the milestone
    verification.send_back(con, OFFICE, "commenced", "p1", date(2026, 4, 5), "日期与照片不符")
    entry.update_project_stages(con, CLERK_T01, "p1", version + 1, commenced_date=date(2026, 4, 6))
    row = verification.item(con, "commenced", "p1")
    assert row is not None and (row["status"], row["reason"]) == ("pending", None)


def _workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


ARRIVAL_HEADER = [
    "project_id",
    "date",
    "amount_wan",
    "fixed_asset_wan",
    "fdi_usd_wan",
    "fx_usd_wan",
    "verified_on",
]


def test_an_upload_keeps_an_unchanged_arrival_verified_and_never_sets_one(
    con: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    verification.confirm(con, OFFICE, "fund_arrival", ARRIVAL_KEY, date(2026, 3, 15), today=TODAY)
    same = [["p1", "2026-03-15", 500, 300, 0, 0, None], ["p1", "2026-05-01", 80, 0, 0, 0, None]]
    entry.upload_unit_rows(
        con, CLERK_T01, _workbook(tmp_path / "a.xlsx", {"fund_arrivals": [ARRIVAL_HEADER, *same]})
    )
    assert con.execute("SELECT date, verified_on FROM fund_arrivals ORDER BY date").fetchall() == [
        (date(2026, 3, 15), TODAY),  # unchanged: still verified
        (date(2026, 5, 1), None),  # new: 待核验
    ]
    changed = [["p1", "2026-03-15", 550, 300, 0, 0, None]]
    entry.upload_unit_rows(
        con, CLERK_T01, _workbook(tmp_path / "b.xlsx", {"fund_arrivals": [ARRIVAL_HEADER, *changed]})
    )
    assert con.execute("SELECT amount_wan, verified_on FROM fund_arrivals").fetchall() == [(550.0, None)]
    forged = [["p1", "2026-03-15", 550, 300, 0, 0, "2026-06-30"]]
    with pytest.raises(ImportFailed, match="核验日期由核验单位"):
        entry.upload_unit_rows(
            con, CLERK_T01, _workbook(tmp_path / "c.xlsx", {"fund_arrivals": [ARRIVAL_HEADER, *forged]})
        )
    assert con.execute("SELECT amount_wan, verified_on FROM fund_arrivals").fetchall() == [(550.0, None)]


def _counted(con: duckdb.DuckDBPyConnection, as_of: date, verified_only: bool) -> tuple:
    """(t01's 入统 projects, county 入统 investment, 2026 cohort's 开工) in ``build_report``."""
    settings = effective_settings(con, {"count_verified_only": verified_only})
    report = build_report(con, Period(2026, as_of), settings)
    units = {u["unit_id"]: u for u in report["units"]}
    county = {c["metric"]: c["actual"] for c in report["county"]}
    cohort = next(row for row in report["landing"] if row["cohort"] == 2026)
    return (
        units["t01"]["actuals"]["in_stats_projects"],
        county["in_stats_investment_wan"],
        cohort["commenced"],
    )


def test_an_unverified_milestone_does_not_count_when_only_verified_ones_count(
    con: duckdb.DuckDBPyConnection,
) -> None:
    # p1 (t01, 1000 万元): 入统 03-01 and 开工 04-01, neither verified yet
    assert _counted(con, TODAY, verified_only=False) == (1, 1000.0, 1)
    assert _counted(con, TODAY, verified_only=True) == (0, 0.0, 0)
    verification.confirm(
        con, OFFICE, "commenced", "p1", date(2026, 4, 1), verified_on=date(2026, 6, 30), today=TODAY
    )
    verification.confirm(con, STATS, "in_stats", "p1", date(2026, 3, 1), verified_on=TODAY, today=TODAY)
    # as of 06-30 the 入统 verified on 07-01 does not count yet; the 开工 verified on 06-30 does
    assert _counted(con, date(2026, 6, 30), verified_only=True) == (0, 0.0, 1)
    assert _counted(con, TODAY, verified_only=True) == (1, 1000.0, 1)


def test_a_verifier_account_is_tied_to_a_unit_that_need_not_be_assessed(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    users.create_first_office(path, "office", "招商办", "office-2026", "office-2026")
    with pytest.raises(users.UsersError, match="核验员必须指定所属单位"):
        users.add_user(path, "tj", "统计局核验员", "verify-2026", "verifier", None, known_units={"t01"})
    # the statistics bureau is not among the assessed units, and need not be
    users.add_user(path, "tj", "统计局核验员", "verify-2026", "verifier", "tjj", known_units={"t01"})
    signed_in = users.authenticate(users.load_config(path), "tj", "verify-2026")
    assert signed_in is not None and (signed_in.role, signed_in.unit_id) == ("verifier", "tjj")
    assert signed_in.role_label == "核验员"
