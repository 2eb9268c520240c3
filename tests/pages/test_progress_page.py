"""项目推进 page: lights by stage, red first, filters, the negotiation funnel and a leader's own view
(「我挂包的项目」), checked against ``analytics.metrics.pipeline`` and plain SQL on the demo county."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from analytics.access.users import User
from analytics.core.period import Period
from analytics.metrics import pipeline
from tests.pages.conftest import AppFactory
from tests.pages.page_helpers import page_text

PAGE = "app_pages/progress.py"
LIGHTS = ("■ 红灯", "▲ 黄灯", "● 绿灯")


TABLE_COLUMNS = {
    "progress_counts": ("阶段", "合计"),
    "progress_projects": ("灯", "等待环节", "项目编码"),
    "progress_funnel": ("阶段", "信息(条)"),
    "progress_leader_projects": ("灯", "等待环节", "项目编码"),
}


def _frame(at, key: str):
    """The table drawn for ``key``: found by its headers inside the tab that draws it."""
    tab = (
        "我挂包的项目"
        if key == "progress_leader_projects"
        else ("在谈项目库" if key == "progress_funnel" else "项目推进")
    )
    block = next(t for t in at.tabs if t.label == tab)
    columns = set(TABLE_COLUMNS[key])
    return next(f.value for f in block.dataframe if columns <= set(f.value.columns))


def test_counts_by_stage_and_light_equal_the_pipeline(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    counts = _frame(at, "progress_counts").set_index("阶段")
    frame = pipeline.project_pipeline(expected_con, demo_period, demo_settings)
    # Independent of the page's grouping: count the pipeline's rows per (stage, light) here.
    for stage, part in frame[frame["light"].notna()].groupby("stage"):
        for light, label in zip(("red", "yellow", "green"), LIGHTS, strict=True):
            assert counts.loc[stage, label] == int((part["light"] == light).sum()), (stage, light)
    assert counts["合计"].sum() == int(frame["light"].notna().sum())
    assert "签约未开工" not in counts.index  # the demo tracks 注册 and 供地, so that stage does not exist


def test_project_list_shows_red_first_with_what_each_waits_on(
    app_test: AppFactory,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
    demo_settings: dict[str, Any],
) -> None:
    at = app_test(PAGE)
    shown = _frame(at, "progress_projects")
    frame = pipeline.project_pipeline(expected_con, demo_period, demo_settings)
    assert len(shown) == len(frame)
    reds = int((frame["light"] == "red").sum())
    assert reds > 0
    assert (shown["灯"].head(reds) == "■ 红灯").all()
    assert (shown["灯"].iloc[reds:] != "■ 红灯").all()
    # The most overdue red project comes first, and the page says how late it is.
    planned_red = frame[(frame["light"] == "red") & frame["days_overdue"].notna()]
    worst = planned_red.sort_values(["days_overdue", "project_id"], ascending=[False, True]).iloc[0]
    first = shown.iloc[0]
    if first["项目编码"] == worst["project_id"]:
        assert f"已超期 {int(worst['days_overdue'])} 天" in first["等待环节"]
    for _, row in shown.head(reds).iterrows():
        assert row["等待环节"] != "—"


def test_township_filter_narrows_the_list(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    township, name = expected_con.execute(
        "SELECT township_id, any_value(u.name) FROM projects p JOIN units u ON u.unit_id = p.township_id"
        " WHERE p.written_off_date IS NULL GROUP BY township_id ORDER BY count(*) DESC LIMIT 1"
    ).fetchall()[0]
    at = app_test(PAGE, progress_township=township)
    shown = _frame(at, "progress_projects")
    expected = expected_con.execute(
        "SELECT count(*) FROM projects WHERE township_id = ? AND signed_date <= ?"
        " AND (written_off_date IS NULL OR written_off_date > ?)",
        [township, demo_period.as_of, demo_period.as_of],
    ).fetchall()[0][0]
    assert len(shown) == expected
    assert set(shown["落户乡镇"]) == {name}


def test_negotiation_funnel_counts_the_years_leads(
    app_test: AppFactory, expected_con: duckdb.DuckDBPyConnection, demo_period: Period
) -> None:
    at = app_test(PAGE)
    funnel = _frame(at, "progress_funnel")
    reported = expected_con.execute(
        "SELECT count(*) FROM leads WHERE CAST(reported_at AS DATE) BETWEEN ? AND ?",
        [demo_period.window_start, demo_period.window_end],
    ).fetchall()[0][0]
    assert funnel["信息(条)"].sum() == reported
    assert list(funnel["阶段"]) == ["初次接洽", "考察", "在谈", "已签约", "终止"]


@pytest.fixture
def signed_in_leader(monkeypatch: pytest.MonkeyPatch, expected_con: duckdb.DuckDBPyConnection) -> User:
    """A leader account naming the county leader with the most projects in the demo county."""
    name = expected_con.execute(
        "SELECT leader_in_charge FROM projects WHERE leader_in_charge IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    ).fetchall()[0][0]
    leader = User("leader_zhao", "县领导", "leader", leader_name=name)
    import ui.auth

    monkeypatch.setattr(ui.auth, "current_user", lambda: leader)
    monkeypatch.setattr(ui.auth, "require_user", lambda: leader)
    return leader


def test_a_leader_sees_their_own_packaged_projects_first(
    app_test: AppFactory,
    signed_in_leader: User,
    expected_con: duckdb.DuckDBPyConnection,
    demo_period: Period,
) -> None:
    at = app_test(PAGE)
    assert not at.exception
    assert at.tabs[0].label == "我挂包的项目"
    assert f"挂包县领导:{signed_in_leader.leader_name}(本账号)" in page_text(at).replace("\\", "")
    shown = _frame(at, "progress_leader_projects")
    mine = {
        r[0]
        for r in expected_con.execute(
            "SELECT project_id FROM projects WHERE trim(leader_in_charge) = ? AND signed_date <= ?"
            " AND (written_off_date IS NULL OR written_off_date > ?)",
            [signed_in_leader.leader_name, demo_period.as_of, demo_period.as_of],
        ).fetchall()
    }
    assert set(shown["项目编码"]) == mine
    assert set(shown["挂包县领导"]) == {signed_in_leader.leader_name}
    # Their open problems: those §7 calls open at D on exactly these projects.
    block = next(t for t in at.tabs if t.label == "我挂包的项目")
    problems = [f.value for f in block.dataframe if {"办结时限", "类别"} <= set(f.value.columns)]
    open_count = expected_con.execute(
        "SELECT count(*) FROM problems WHERE project_id IN (SELECT unnest(?)) AND raised_on <= ?"
        " AND (resolved_on IS NULL OR resolved_on > ?)",
        [sorted(mine), demo_period.as_of, demo_period.as_of],
    ).fetchall()[0][0]
    assert (len(problems[0]) if problems else 0) == open_count


def test_the_office_picks_a_leader_instead(app_test: AppFactory) -> None:
    at = app_test(PAGE)
    assert [t.label for t in at.tabs][:3] == ["项目推进", "在谈项目库", "县领导挂包项目"]
    assert at.selectbox(key="progress_leader_pick").options
