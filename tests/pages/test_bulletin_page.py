"""周报与月通报 through AppTest on the demo county: preview names the same units as analytics."""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.metrics import units
from tests.pages.conftest import AppFactory

PAGE = "app_pages/bulletin.py"


def test_weekly_preview_names_golden_horses_and_snails(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    at = app_test(PAGE)
    assert not at.exception and not at.error
    table = units.unit_table(expected_con, demo_period, demo_settings)
    horses = "、".join(table.loc[table["awards"].map(lambda a: "golden_horse" in a), "name"])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["骏马奖"] == horses
    assert len(at.get("download_button")) == 2


def test_monthly_bulletin_preview_runs(app_test: AppFactory) -> None:
    at = app_test(PAGE)
    at.radio(key="bulletin_kind").set_value("月度通报").run()
    assert not at.exception and not at.error
    assert "内容预览" in at.subheader[0].value


def test_monthly_bulletin_defaults_to_the_last_complete_month(app_test: AppFactory) -> None:
    """As of 2026-11-20 November is not over: the bulletin opens on October; on 11-30 on November."""
    at = app_test(PAGE)
    at.radio(key="bulletin_kind").set_value("月度通报").run()
    assert at.selectbox(key="bulletin_month").value == "2026-10"
    at = app_test(PAGE, global_as_of=date(2026, 11, 30))
    at.radio(key="bulletin_kind").set_value("月度通报").run()
    assert at.selectbox(key="bulletin_month").value == "2026-11"
