"""Milestone dates (入统, 开工, 投产, 到位) after today are refused in the forms, in Chinese, and nothing is stored."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.data.store import open_database
from analytics.entry import writes as entry
from analytics.entry.rows import EntryError
from tests.entry_fixtures import CLERK_T01, small_county

TODAY = date(2026, 11, 20)
ASCII_WORD = re.compile(r"[A-Za-z_]{3,}")


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    yield connection
    connection.close()


def stored(con: duckdb.DuckDBPyConnection) -> list:
    return [
        con.execute("SELECT * FROM projects ORDER BY ALL").fetchall(),
        con.execute("SELECT * FROM fund_arrivals ORDER BY ALL").fetchall(),
        con.execute("SELECT count(*) FROM audit_log").fetchall(),
    ]


@pytest.mark.parametrize(
    ("field", "label"),
    [("in_stats_date", "入统日期"), ("commenced_date", "开工日期"), ("production_date", "投产日期")],
)
def test_a_stage_date_after_today_is_refused(con: duckdb.DuckDBPyConnection, field: str, label: str) -> None:
    before = stored(con)
    with pytest.raises(EntryError) as caught:
        entry.update_project_stages(con, CLERK_T01, "p1", 1, today=TODAY, **{field: date(2027, 3, 1)})
    message = str(caught.value)
    assert label in message and "2027-03-01" in message and "晚于今天" in message
    assert not ASCII_WORD.search(message)  # no table or column codes, no English
    assert stored(con) == before


def test_a_stage_date_of_today_is_accepted(con: duckdb.DuckDBPyConnection) -> None:
    entry.update_project_stages(con, CLERK_T01, "p1", 1, today=TODAY, commenced_date=TODAY)
    assert con.execute("SELECT commenced_date FROM projects WHERE project_id = 'p1'").fetchone()[0] == TODAY


def test_a_fund_arrival_after_today_is_refused(con: duckdb.DuckDBPyConnection) -> None:
    before = stored(con)
    with pytest.raises(EntryError, match="晚于今天"):
        entry.record_fund_arrival(
            con, CLERK_T01, project_id="p1", date="2026-11-21", amount_wan=1, fixed_asset_wan=0, today=TODAY
        )
    assert stored(con) == before
