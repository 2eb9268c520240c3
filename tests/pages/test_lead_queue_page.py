"""The office's 认定 queue (招商办管理 → 认定招商信息) in an AppTest, on a hand-made county.

Five leads of one township, four of them pending: 2024-06-01 and 2025-12-31 23:59:59 (older years),
2026-01-01 00:00:00 and 2026-03-05 (the 2026 plan year), and one already valid. The two around the
turn of the year are one second apart and land in different parts of the queue.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analytics.data.store import open_database
from tests.metrics_fixtures import add_industry, add_lead, add_unit
from tests.pages.conftest import AppFactory
from ui.frame import _shared_connection

PAGE = "app_pages/office.py"
AS_OF = date(2026, 11, 20)


@pytest.fixture
def queue_county(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "queue.duckdb"
    con = open_database(path)
    add_industry(con, "i1")
    add_unit(con, "t01", name="东岭镇", township_class="1")
    add_lead(con, "L0", "2024-06-01", "戊公司", status="pending")
    add_lead(con, "L1", "2025-12-31 23:59:59", "甲公司", status="pending")
    add_lead(con, "L2", "2026-01-01 00:00:00", "乙公司", status="pending")
    add_lead(con, "L3", "2026-03-05", "丙公司", status="pending")
    add_lead(con, "L4", "2026-02-01", "丁公司", status="valid")
    con.close()
    monkeypatch.setenv("DASHBOARD_DB", str(path))
    return path


def queue_parts(at) -> tuple[list[str], dict[str, list[str]]]:
    """The lead ids of the plan year's editor, and of each expander's editor by its title."""
    expanders = {ex.label: ex.dataframe[0].value["信息编码"].tolist() for ex in at.expander}
    inside = {tuple(ids) for ids in expanders.values()}
    main = [
        f.value["信息编码"].tolist()
        for f in at.dataframe
        if "信息编码" in f.value.columns and tuple(f.value["信息编码"]) not in inside
    ]
    assert len(main) == 1
    return main[0], expanders


def test_the_plan_year_is_one_part_and_older_years_another(queue_county: Path, app_test: AppFactory) -> None:
    at = app_test(PAGE, global_year=2026, global_as_of=AS_OF)
    assert not at.exception
    current, others = queue_parts(at)
    # 2026-01-01 00:00:00 is in 2026; one second earlier (2025-12-31 23:59:59) is not. L4 is decided.
    assert current == ["L2", "L3"]
    assert others == {"往年待认定(2 条)": ["L0", "L1"]}
    assert not at.expander[0].proto.expanded  # the older ones start collapsed
    assert any("2026 年报送的待认定信息:2 条" in str(m.value) for m in at.markdown)


def test_an_earlier_plan_year_lists_later_leads_apart(queue_county: Path, app_test: AppFactory) -> None:
    at = app_test(PAGE, global_year=2025, global_as_of=date(2025, 12, 31))
    assert not at.exception
    current, others = queue_parts(at)
    assert current == ["L1"]
    assert others == {"往年待认定(1 条)": ["L0"], "2026 年及以后报送的待认定(2 条)": ["L2", "L3"]}


def test_oldest_first_by_default_newest_first_by_choice(queue_county: Path, app_test: AppFactory) -> None:
    at = app_test(PAGE, global_year=2026, global_as_of=AS_OF)
    order = at.radio(key="office_leads_order")
    assert order.value == "oldest" and order.options == ["最早在前", "最新在前"]
    order.set_value("newest").run()
    assert not at.exception
    current, others = queue_parts(at)
    assert current == ["L3", "L2"]
    assert others == {"往年待认定(2 条)": ["L1", "L0"]}


def test_the_decision_is_the_first_column(queue_county: Path, app_test: AppFactory) -> None:
    at = app_test(PAGE, global_year=2026, global_as_of=AS_OF)
    editors = [f.value for f in at.dataframe if "信息编码" in f.value.columns]
    assert len(editors) == 2
    for frame in editors:
        assert frame.columns[0] == "认定"
        assert set(frame["认定"]) == {"待认定"}


def test_a_decision_is_saved_for_the_row_it_was_made_on(queue_county: Path, app_test: AppFactory) -> None:
    """Newest first, the first row of the 2026 editor is L3 (2026-03-05): marking it 有效 stores L3."""
    at = app_test(PAGE, run=False, global_year=2026, global_as_of=AS_OF)
    at.session_state["office_leads_order"] = "newest"
    at.session_state["office_leads_editor_this_year_2026_newest_0"] = {
        "edited_rows": {0: {"认定": "有效"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    next(b for b in at.button if b.label == "保存认定结果").click().run()
    assert not at.exception
    assert any("已保存 1 条认定结果" in str(s.value) for s in at.success)
    rows = (
        _shared_connection(str(queue_county))
        .cursor()
        .execute("SELECT lead_id, status FROM leads ORDER BY lead_id")
    )
    assert dict(rows.fetchall()) == {
        "L0": "pending",
        "L1": "pending",
        "L2": "pending",
        "L3": "valid",
        "L4": "valid",
    }
    at.run()  # the queue reloads without L3, in fresh editors
    current, _ = queue_parts(at)
    assert current == ["L2"]
