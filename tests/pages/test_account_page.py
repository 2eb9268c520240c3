"""The 年度总账 page and the race page's mid-year verdict from its snapshot (AppTest).

These tests write to the database (snapshots, a sign-off, backdated edits), so each runs the app on
its own copy of the demo county, never on the shared one the other page tests read.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.access.users import User
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from analytics.entry.year_end import sign_account
from analytics.metrics.snapshots import take_snapshot
from analytics.screens.account import year_account
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import dataframes_with, page_text

OFFICE = User("office1", "县招商办", "office")


@pytest.fixture
def own_db(demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_db_path, copy)
    monkeypatch.setenv("DASHBOARD_DB", str(copy))
    return copy


def raise_signing_target(con, year: int, unit_id: str) -> None:
    """A backdated edit: ``unit_id``'s signing target of ``year`` becomes 1000 (it falls far behind)."""
    con.execute(
        "UPDATE targets SET value = 1000 WHERE year = ? AND scope = ? AND metric = 'signed_projects'",
        [year, unit_id],
    )


def test_race_page_takes_the_mid_year_verdict_from_its_snapshot(own_db: Path, app_test: AppFactory) -> None:
    con = open_database(own_db)
    snapshot_id = take_snapshot(
        con, Period(2026, date(2026, 7, 20)), effective_settings(con), kind="mid_year", actor="system"
    )
    report = con.execute("SELECT report_json FROM snapshots WHERE snapshot_id = ?", [snapshot_id]).fetchall()
    units = json.loads(report[0][0])["units"]
    on_track = next(
        u for u in units if u["rank"] is not None and not u["behind_half"] and u["kind"] == "township"
    )
    name = con.execute("SELECT name FROM units WHERE unit_id = ?", [on_track["unit_id"]]).fetchall()[0][0]
    raise_signing_target(con, 2026, on_track["unit_id"])  # now below half as of 07-20 on today's data
    con.close()

    at = app_test("app_pages/race.py")
    assert not at.exception
    text = page_text(at).replace("\\", "")  # names are Markdown-escaped on the page
    behind = sum(u["behind_half"] for u in units)
    assert f"(以 2026-07-20 时间过半检查日快照为准):{behind} 个单位有指标完成率低于 50%" in text
    assert f"快照 {snapshot_id}" not in text  # the snapshot's internal number is not for readers
    assert f"快照后数据有变动:{name}:快照中否「任务未过半」,按现数据为是" in text
    rows = pd.concat(dataframes_with(at, "单位", "提示"))
    assert "未过半" not in rows.loc[rows["单位"] == name, "提示"].iloc[0]


def test_account_page_shows_the_account_and_its_tables(
    own_db: Path, app_test: AppFactory, expected_con
) -> None:
    at = app_test("app_pages/account.py")
    assert not at.exception
    text = page_text(at)
    assert "2026 年尚未结束" in text
    units = expected_con.execute("SELECT count(*) FROM units").fetchall()[0][0]  # the same county
    ranking = dataframes_with(at, "类别", "名次", "单位", "得分")[0]
    assert len(ranking) == units
    assert "县委县政府主要领导约谈" in set(dataframes_with(at, "单位", "结果", "依据")[0]["结果"])


def test_signed_account_page_warns_after_a_backdated_edit(own_db: Path, app_test: AppFactory) -> None:
    con = open_database(own_db)
    sign_account(con, OFFICE, 2025, today=date(2026, 1, 10))
    first = next(
        (r["unit_id"], r["name"])
        for r in year_account(con, 2025, date(2026, 1, 10)).rankings
        if r["group"] == "township_1" and r["rank"] == 1
    )
    raise_signing_target(con, 2025, first[0])
    con.close()

    at = app_test("app_pages/account.py", global_year=2025)
    assert not at.exception
    warnings = "\n".join(str(w.value) for w in at.warning)
    assert "年度总账已签署,签署后数据有变动" in warnings
    assert first[1] in warnings
    assert "已签署:office1" in page_text(at).replace("\\", "")


def test_editing_data_of_a_signed_year_warns_with_the_difference(own_db: Path, app_test: AppFactory) -> None:
    con = open_database(own_db)
    sign_account(con, OFFICE, 2025, today=date(2026, 1, 10))
    at = app_test("app_pages/entry.py")
    assert not [w for w in at.warning if "年度总账已签署" in str(w.value)]  # nothing edited yet
    leader = next(
        (r["unit_id"], r["name"])
        for r in year_account(con, 2025, date(2026, 1, 10)).rankings
        if r["group"] == "township_1" and r["rank"] == 1
    )
    raise_signing_target(con, 2025, leader[0])
    con.execute(
        "INSERT INTO audit_log (actor, source, table_name, action) VALUES ('test', '测试', 'targets', 'update')"
    )
    con.close()

    for page in ("app_pages/entry.py", "app_pages/office.py"):
        at = app_test(page)
        warnings = "\n".join(str(w.value) for w in at.warning).replace("\\", "")
        assert "2025 年度总账已签署(office1 于" in warnings
        assert f"{leader[1]}:名次 1 → " in warnings


def test_office_records_a_payment_on_the_page(own_db: Path, app_test: AppFactory) -> None:
    at = app_test("app_pages/account.py")
    first_due = dataframes_with(at, "奖励类别", "对象", "发放情况")[0].iloc[0]
    assert first_due["发放情况"] == "待发放"
    at.button(key="account_pay").click().run()
    assert not at.exception
    assert any("已登记发放" in str(s.value) for s in at.success)
    rewards = dataframes_with(at, "奖励类别", "对象", "发放情况")[0]
    row = rewards[
        (rewards["奖励类别"] == first_due["奖励类别"]) & (rewards["对象"] == first_due["对象"])
    ].iloc[0]
    assert (row["发放情况"], row["登记人"]) == ("已发放", "local")
