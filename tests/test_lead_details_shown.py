"""A lead's 联系人, 投资方来源 and 项目内容 are shown wherever the lead is: the unit's own list (数据填报),
the lead registry (招商信息) and the rows behind the lead figures (明细), under their Chinese headers;
they change no count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from analytics.entry import queries
from analytics.entry import writes as entry
from analytics.metrics.supervision import lead_funnel
from analytics.screens import registry
from analytics.screens.drilldown import rows_behind, rows_for_display
from tests.entry_fixtures import CLERK_T01, small_county

PERIOD = Period(2026, date(2026, 12, 3))
DETAILS = {"contact_person": "王经理 13800000000", "investor_origin": "省外", "project_content": "新型建材"}


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    yield connection
    connection.close()


def report(con: duckdb.DuckDBPyConnection) -> str:
    result = entry.report_lead(
        con,
        CLERK_T01,
        company="澄岭新材料有限公司",
        industry_id="i1",
        intended_investment_wan="800",
        tier="general",
        now=datetime(2026, 11, 20, 9, 30),
        **DETAILS,
    )
    return result.record_key


def test_the_units_own_list_carries_the_details(con: duckdb.DuckDBPyConnection) -> None:
    lead_id = report(con)
    mine = queries.unit_leads(con, "t01").set_index("lead_id")
    assert mine.loc[lead_id, list(DETAILS)].tolist() == list(DETAILS.values())
    assert mine.loc["L2", list(DETAILS)].isna().all()  # the lead stored without them: blank
    assert sorted(mine.index) == sorted([lead_id, "L2"])  # t01's leads only


def test_the_registry_shows_the_details_under_chinese_headers(con: duckdb.DuckDBPyConnection) -> None:
    lead_id = report(con)
    leads = registry.lead_registry(con, PERIOD).set_index("lead_id")
    assert leads.loc[lead_id, list(DETAILS)].tolist() == list(DETAILS.values())
    assert [registry.LEAD_LABELS[c] for c in DETAILS] == ["联系人", "投资方来源", "项目内容"]


def test_the_rows_behind_the_lead_figures_carry_the_details(con: duckdb.DuckDBPyConnection) -> None:
    lead_id = report(con)
    settings = effective_settings(con, {})
    for figure in ("supervision.lead_funnel", "unit.valid_leads"):
        rows = rows_behind(con, PERIOD, settings, figure).set_index("lead_id")
        assert rows.loc[lead_id, list(DETAILS)].tolist() == list(DETAILS.values()), figure
    shown = rows_for_display(con, PERIOD, settings, "supervision.lead_funnel")
    assert {"联系人", "投资方来源", "项目内容"} <= set(shown.columns)


def test_the_details_change_no_count(con: duckdb.DuckDBPyConnection) -> None:
    lead_id = report(con)
    before = lead_funnel(con, PERIOD)
    con.execute(
        "UPDATE leads SET contact_person = NULL, investor_origin = NULL, project_content = NULL WHERE lead_id = ?",
        [lead_id],
    ).fetchall()
    assert lead_funnel(con, PERIOD) == before
