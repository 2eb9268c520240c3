"""The office's 认定 queue scoped to a plan year (``analytics.entry.queries.pending_lead_queue``).

Leads of one township: pending ones at 2024-06-01 09:00, 2025-12-31 23:59:59, 2026-01-01 00:00:00,
2026-03-05 09:00 and 2027-01-02 09:00, and a valid one in 2026 (never in the queue).
"""

from __future__ import annotations

import duckdb
import pytest

from analytics.entry.queries import pending_lead_queue
from tests.metrics_fixtures import add_industry, add_lead, add_unit, fresh


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = fresh()
    add_industry(con, "i1")
    add_unit(con, "t01", name="东岭镇")
    add_lead(con, "L2024", "2024-06-01", "戊公司", status="pending")
    add_lead(con, "L1231", "2025-12-31 23:59:59", "甲公司", status="pending")
    add_lead(con, "L0101", "2026-01-01 00:00:00", "乙公司", status="pending")
    add_lead(con, "L0305", "2026-03-05", "丙公司", status="pending")
    add_lead(con, "L2027", "2027-01-02", "己公司", status="pending")
    add_lead(con, "LVALID", "2026-02-01", "丁公司", status="valid")
    return con


def ids(queue: dict, part: str) -> list[str]:
    return queue[part]["lead_id"].tolist()


def test_the_turn_of_the_year_divides_the_queue(con: duckdb.DuckDBPyConnection) -> None:
    queue = pending_lead_queue(con, 2026)
    # 2026-01-01 00:00:00 is the plan year's; one second earlier is an older year's.
    assert ids(queue, "this_year") == ["L0101", "L0305"]
    assert ids(queue, "earlier") == ["L2024", "L1231"]
    assert ids(queue, "later") == ["L2027"]


def test_an_earlier_plan_year_keeps_later_leads_apart(con: duckdb.DuckDBPyConnection) -> None:
    queue = pending_lead_queue(con, 2025)
    assert ids(queue, "this_year") == ["L1231"]
    assert ids(queue, "earlier") == ["L2024"]
    assert ids(queue, "later") == ["L0101", "L0305", "L2027"]


def test_newest_first_reverses_each_part(con: duckdb.DuckDBPyConnection) -> None:
    queue = pending_lead_queue(con, 2026, newest_first=True)
    assert ids(queue, "this_year") == ["L0305", "L0101"]
    assert ids(queue, "earlier") == ["L1231", "L2024"]


def test_each_part_carries_what_a_decision_needs(con: duckdb.DuckDBPyConnection) -> None:
    row = pending_lead_queue(con, 2026)["this_year"].iloc[0]
    assert (row["unit_name"], row["status"], int(row["row_version"])) == ("东岭镇", "pending", 1)
    assert row["reason"].startswith("首报")
