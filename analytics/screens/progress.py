"""What the 项目推进 page, the leader's own view, the projector screen and the weekly brief ask for.

Every rule is METRICS.md §8's (``analytics.metrics.pipeline``) or §7's (``analytics.metrics.supervision``:
a problem open / overdue at D); this module only narrows, joins and orders them for a screen.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import CHAIN_STEP_LABELS, LIGHT_LABELS, PROBLEM_CATEGORY_LABELS
from analytics.core.period import Period
from analytics.metrics import pipeline, supervision, views
from analytics.screens import catalog
from analytics.screens.dispatch import dispatch_weeks

LIGHT_ORDER = {"red": 0, "yellow": 1, "green": 2}
UNCATEGORISED = "未分类"


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """(id, name) choices of the page's filters: townships, units, county leaders and industries."""
    units = catalog.units(con)
    townships = units[units["kind"] == "township"]
    leaders = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT trim(leader_in_charge) FROM projects"
            " WHERE nullif(trim(leader_in_charge), '') IS NOT NULL ORDER BY 1"
        ).fetchall()
    ]
    return {
        "township": list(zip(townships["unit_id"], townships["name"], strict=True)),
        "unit": list(zip(units["unit_id"], units["name"], strict=True)),
        "leader": [(name, name) for name in leaders],
        "industry": [
            tuple(r) for r in catalog.industries(con)[["industry_id", "name"]].itertuples(index=False)
        ],
    }


def _open_problems(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """§7's open problems at D with their category (blank: 未分类)."""
    problems = supervision.problems(con, period, only_open=True)
    categories = dict(con.execute("SELECT problem_id, category FROM problems").fetchall())
    problems["category"] = problems["problem_id"].map(categories)
    return problems


def _category_text(part: pd.DataFrame) -> str:
    """A project's open problems by category, most first (土地 2、环保 1)."""
    labels = part["category"].map(
        lambda c: PROBLEM_CATEGORY_LABELS.get(c, UNCATEGORISED) if c else UNCATEGORISED
    )
    counts = labels.value_counts()
    return "、".join(f"{name} {n}" for name, n in counts.items())


def _with_problems(frame: pd.DataFrame, problems: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one row per project) with its open / overdue problems and their categories."""
    out = frame.copy()
    grouped = problems.groupby("project_id")
    out["open_problems"] = out["project_id"].map(grouped.size()).fillna(0).astype(int)
    out["overdue_problems"] = (
        out["project_id"].map(grouped["is_overdue"].sum()).fillna(0).astype(int) if len(problems) else 0
    )
    texts = {pid: _category_text(part) for pid, part in grouped} if len(problems) else {}
    out["problem_categories"] = out["project_id"].map(texts).fillna("")
    return out


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    """Red first, then yellow, then green, then the projects with nothing left to wait on; within a
    light the most overdue (or longest waiting) first, then by project id."""
    rank = frame["light"].map(LIGHT_ORDER).fillna(3)
    late = frame["days_overdue"].astype("Float64").fillna(frame["days_waited"].astype("Float64")).fillna(-1e9)
    return (
        frame.assign(_rank=rank, _late=-late)
        .sort_values(["_rank", "_late", "project_id"])
        .drop(columns=["_rank", "_late"])
        .reset_index(drop=True)
    )


def next_step_text(row: dict[str, Any]) -> str:
    """What a project waits on and how late it is, e.g. 供地(计划 2025-05-30,已超期 31 天)."""
    waiting = row.get("waiting_on")
    if not isinstance(waiting, str):
        return "—"
    step = CHAIN_STEP_LABELS[waiting]
    planned = row.get("planned_on")
    overdue = row.get("days_overdue")
    if planned is None or pd.isna(planned):
        waited = row.get("days_waited")
        return f"{step}(无计划日期,已等待 {int(waited)} 天)" if not pd.isna(waited) else step
    when = pd.Timestamp(planned).strftime("%Y-%m-%d")
    if overdue > 0:
        return f"{step}(计划 {when},已超期 {int(overdue)} 天)"
    return f"{step}(计划 {when},还有 {int(-overdue)} 天)"


def progress_board(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    settings: dict[str, Any],
    township: str | None = None,
    unit: str | None = None,
    leader: str | None = None,
    industry: str | None = None,
) -> dict[str, Any]:
    """The 项目推进 page: ``projects`` (every active project, red first, with its open problems by
    category, four ones and next step), ``counts`` (stage × light of those waiting), ``stages`` (every
    stage of this county in chain order), ``approvals`` (not done, with lights) and ``gaps`` (§8
    packaging gaps of the shown projects). ``unit`` matches the introducing or the responsible unit."""
    frame = pipeline.project_pipeline(con, period, settings)
    keep = pd.Series(True, index=frame.index)
    if township:
        keep &= frame["township_id"] == township
    if unit:
        keep &= (frame["unit_id"] == unit) | (frame["responsible_unit_id"] == unit)
    if leader:
        keep &= frame["leader_in_charge"] == leader
    if industry:
        keep &= frame["industry_id"] == industry
    shown = _ordered(_with_problems(frame[keep.fillna(False)], _open_problems(con, period)))
    shown["next_step"] = [next_step_text(r) for r in shown.to_dict("records")]
    approvals = pipeline.approvals(con, period, settings)
    approvals = approvals[approvals["project_id"].isin(shown["project_id"])].reset_index(drop=True)
    return {
        "projects": shown,
        "counts": pipeline.stage_light_counts(shown),
        "stages": pipeline.stage_names(pipeline.tracked_steps(con)),
        "approvals": approvals,
        "gaps": pipeline.packaging_gaps(shown),
    }


def leader_projects(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], leader: str
) -> dict[str, Any]:
    """「我挂包的项目」: ``progress_board`` narrowed to the projects ``leader`` is in charge of, plus
    their open problems one by one (``problems``: description, category, responsible unit, due)."""
    board = progress_board(con, period, settings, leader=leader)
    problems = _open_problems(con, period)
    problems = problems[problems["project_id"].isin(board["projects"]["project_id"])]
    board["problems"] = problems.reset_index(drop=True)
    return board


def timeline(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], project_id: str
) -> pd.DataFrame:
    """One project's planned vs actual dates, step by step (``pipeline.project_timeline``)."""
    return pipeline.project_timeline(con, period, settings, project_id)


def negotiation(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], unit: str | None = None
) -> dict[str, Any]:
    """在谈项目库: the funnel by stage with stage ages, and the leads themselves (stuck first)."""
    leads = pipeline.negotiation_leads(con, period, settings)
    if unit:
        leads = leads[leads["reporter_unit_id"] == unit]
    leads = leads.sort_values(["is_stuck", "stage_age_days", "lead_id"], ascending=[False, False, True])
    return {"funnel": pipeline.lead_funnel(con, period, settings), "leads": leads.reset_index(drop=True)}


def red_yellow_by_stage(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """The projector and the weekly brief: red and yellow projects in chain order of their stage
    (red first within a stage), each with what the dispatch meeting decided on it last week: the
    problems raised on it during last week (``decided_last_week``: description → unit, due date)."""
    board = progress_board(con, period, settings)
    frame = board["projects"]
    frame = frame[frame["light"].isin(["red", "yellow"])].copy()
    order = {step: i for i, step in enumerate(pipeline.CHAIN)}
    frame["_step"] = frame["waiting_on"].map(order)
    frame["_rank"] = frame["light"].map(LIGHT_ORDER)
    frame = frame.sort_values(["_step", "_rank", "project_id"]).drop(columns=["_step", "_rank"])
    _, last_week = dispatch_weeks(period.as_of)
    raised = views.fetch_df(
        con,
        """
        SELECT pr.project_id, pr.description, coalesce(u.name, pr.responsible_unit_id) AS unit_name,
               pr.due_date
        FROM problems AS pr LEFT JOIN units AS u ON u.unit_id = pr.responsible_unit_id
        WHERE pr.raised_on BETWEEN $ws AND $we
        ORDER BY pr.project_id, pr.raised_on, pr.problem_id
        """,
        {"ws": last_week.start, "we": min(last_week.end, period.as_of)},
    )
    decided = {
        pid: ";".join(
            f"{r.description}({r.unit_name},{pd.Timestamp(r.due_date):%m-%d} 前)" for r in part.itertuples()
        )
        for pid, part in raised.groupby("project_id")
    }
    frame["decided_last_week"] = frame["project_id"].map(decided).fillna("")
    frame["light_label"] = frame["light"].map(LIGHT_LABELS)
    return frame.reset_index(drop=True)
