"""Many people saving at once through the app's write path (one shared connection, a cursor per
thread, as ui.frame gives them): every accepted write is stored once, stale ones are refused, and
the database file re-opens intact."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from analytics.access.users import User
from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.entry_fixtures import OFFICE, small_county

THREADS = 8
LEADS_PER_THREAD = 10
CLERKS = [User(f"clerk_{u}", u, "clerk", u) for u in ("t01", "t02")]


def test_concurrent_form_writes_are_all_kept_once(tmp_path: Path) -> None:
    path = small_county(tmp_path)
    shared = open_database(path)  # the app's one connection
    seed_audit = shared.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    start = threading.Barrier(THREADS)

    def worker(n: int) -> dict[str, list]:
        clerk = CLERKS[n % 2]
        project = "p1" if clerk.unit_id == "t01" else "p2"
        start.wait()
        done: dict[str, list] = {"leads": [], "stages": [], "stale": [], "funds": []}
        # Everybody opened the project form at version 1 and saves at once: one may win.
        try:
            entry.update_project_stages(
                shared, clerk, project, 1, commenced_date=date(2026, 4, 1) + timedelta(days=n)
            )
            done["stages"].append((project, n))
        except entry.StaleWrite:
            done["stale"].append((project, n))
        for i in range(LEADS_PER_THREAD):
            result = entry.report_lead(
                shared,
                clerk,
                company=f"企业{n}-{i}",
                industry_id="i1",
                intended_investment_wan=i,
                tier="general",
                now=datetime(2026, 11, 20, 9, 0, 0),  # the same second for all: ids must still be unique
            )
            done["leads"].append(result.record_key)
            if i % 5 == 0:
                entry.record_fund_arrival(
                    shared,
                    clerk,
                    project_id=project,
                    date="2026-05-01",
                    amount_wan=n * 100 + i,
                    fixed_asset_wan=0,
                )
                done["funds"].append((project, float(n * 100 + i)))
        return done

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(worker, range(THREADS)))
    shared.close()

    accepted_leads = [k for o in outcomes for k in o["leads"]]
    accepted_stages = [s for o in outcomes for s in o["stages"]]
    accepted_funds = [f for o in outcomes for f in o["funds"]]
    assert len(accepted_leads) == THREADS * LEADS_PER_THREAD == len(set(accepted_leads))
    # exactly one winner per project (p1: the t01 threads, p2: the t02 threads); the rest were refused
    assert sorted(p for p, _ in accepted_stages) == ["p1", "p2"]
    assert len([s for o in outcomes for s in o["stale"]]) == THREADS - 2

    con = duckdb.connect(str(path))  # re-open the file from scratch
    try:
        stored = con.execute(
            "SELECT lead_id FROM leads WHERE lead_id NOT IN ('L1', 'L2') ORDER BY 1"
        ).fetchall()
        assert [r[0] for r in stored] == sorted(accepted_leads)
        funds = con.execute("SELECT project_id, amount_wan FROM fund_arrivals ORDER BY ALL").fetchall()
        assert funds == sorted(accepted_funds)
        for project, n in accepted_stages:
            assert con.execute(
                "SELECT commenced_date, row_version FROM projects WHERE project_id = ?", [project]
            ).fetchall() == [(date(2026, 4, 1) + timedelta(days=n), 2)]
        # one audit entry per accepted write, and audit ids without gaps or repeats
        writes = len(accepted_leads) + len(accepted_stages) + len(accepted_funds)
        ids = [r[0] for r in con.execute("SELECT audit_id FROM audit_log ORDER BY 1").fetchall()]
        assert len(ids) == seed_audit + writes and ids == list(range(1, len(ids) + 1))
        # DuckDB checks every block's checksum when reading it: a full scan of each table is clean.
        con.execute("CHECKPOINT").fetchall()
        for table in ("leads", "projects", "fund_arrivals", "audit_log"):
            con.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        con.close()


def test_an_office_edit_and_clerk_reports_interleave_without_loss(tmp_path: Path) -> None:
    path = small_county(tmp_path)
    shared = open_database(path)

    def clerk_reports() -> int:
        for i in range(20):
            entry.report_lead(
                shared,
                CLERKS[0],
                company=f"甲{i}",
                industry_id="i1",
                intended_investment_wan=1,
                tier="general",
            )
        return 20

    def office_targets() -> int:
        version = 1
        for value in range(31, 51):
            version = entry.save_targets(
                shared, OFFICE, [entry.TargetEdit(2026, "county", "signed_projects", value, version)]
            )[0].row_version
        return 20

    with ThreadPoolExecutor(2) as pool:
        assert [f.result() for f in [pool.submit(clerk_reports), pool.submit(office_targets)]] == [20, 20]
    assert shared.execute("SELECT count(*) FROM leads").fetchall() == [(22,)]
    # 20 successive saves from version 1: version 21, value 50
    assert shared.execute("SELECT value, row_version FROM targets").fetchall() == [(50.0, 21)]
    shared.close()
