"""What a clerk reads when a form is refused: Chinese only, the field by its Chinese name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.data.store import open_database
from analytics.entry import writes as entry
from tests.entry_fixtures import CLERK_T01, small_county

# Three or more ASCII letters in a row: an English word or a table/column code (万元, 5020 are fine).
ASCII_WORD = re.compile(r"[A-Za-z_]{3,}")


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    yield connection
    connection.close()


BAD_FORMS: dict[str, Callable[[duckdb.DuckDBPyConnection], object]] = {
    "lead amount": lambda con: entry.report_lead(
        con, CLERK_T01, company="甲公司", industry_id="i1", intended_investment_wan="五千", tier="general"
    ),
    "lead blank company": lambda con: entry.report_lead(
        con, CLERK_T01, company="", industry_id="i1", intended_investment_wan="100", tier="general"
    ),
    "stage order": lambda con: entry.update_project_stages(
        con, CLERK_T01, "p1", 1, commenced_date="2026-04-01", production_date=date(2026, 1, 2)
    ),
    "arrival amount": lambda con: entry.record_fund_arrival(
        con, CLERK_T01, project_id="p1", date="2026-05-01", amount_wan="-3", fixed_asset_wan=0
    ),
    "problem due": lambda con: entry.raise_problem(
        con, CLERK_T01, project_id="p1", description="用地未落实", responsible_unit_id="t01", due_date="明天"
    ),
}


@pytest.mark.parametrize("form", list(BAD_FORMS))
def test_a_refused_form_speaks_chinese_only(con: duckdb.DuckDBPyConnection, form: str) -> None:
    with pytest.raises(entry.EntryError) as refused:
        BAD_FORMS[form](con)
    messages = getattr(refused.value, "messages", [str(refused.value)])
    assert messages
    for message in messages:
        assert not ASCII_WORD.search(message), message


def test_the_import_error_table_names_tables_and_columns_in_chinese() -> None:
    from analytics.data.importer_issues import ImportIssue
    from ui.widgets import import_error_frame

    issues = [
        ImportIssue("projects", 3, "commenced_date", "2027-13-01", "日期(YYYY-MM-DD)", "a date"),
        ImportIssue("leads", None, None, None, "缺少必填列", "missing column"),
    ]
    frame = import_error_frame(issues)
    assert frame.iloc[0].tolist() == ["项目", 3, "开工日期", "2027-13-01", "日期(YYYY-MM-DD)"]
    assert frame.iloc[1]["表"] == "招商信息" and frame.iloc[1]["列"] == ""
