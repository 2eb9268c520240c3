"""The registries behind the project library (项目库) and the lead registry (招商信息).

Everything is seen *as of* ``D``: a project signed after ``D`` is not in the library yet, and a
stage date, fund arrival or problem resolution after ``D`` has not happened yet (it shows blank),
exactly as METRICS.md §1 counts commencement and production only when dated ``≤ D``.

No metric is computed here: open/overdue problems come from ``analytics.supervision`` (§7) and the
first-report decision from ``analytics.leads`` (§4); this module only joins names and dates to them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.core.schema import STATUS_CHOICES, TABLES_BY_NAME, TIER_CHOICES
from analytics.metrics import views
from analytics.metrics.leads import adjudicate_leads, suggest_near_duplicates
from analytics.metrics.squads import MIN_DAYS_ON_POST, squad_members, squad_results
from analytics.metrics.supervision import problems
from analytics.metrics.units import evaluate_units, unit_table

# A project's stage as of D, furthest first (a written-off project is written off, whatever it reached).
STAGES: dict[str, str] = {
    "written_off": "已核销",
    "produced": "已投产",
    "commenced": "已开工",
    "signed": "已签约未开工",
}

# The timeline of one project: stage code, Chinese label, the projects column holding its date.
TIMELINE: tuple[tuple[str, str, str], ...] = (
    ("signed", "签约", "signed_date"),
    ("in_stats", "入统", "in_stats_date"),
    ("commenced", "开工", "commenced_date"),
    ("produced", "投产", "production_date"),
    ("written_off", "核销", "written_off_date"),
)


# The 口径 of the project library (not a METRICS.md figure: how the list is drawn up as of D).
LIBRARY_DEFINITION = (
    "截至截止日 D 已签约的全部项目(含已核销项目),可按名称、企业、编码搜索。"
    "阶段按 D 判断:核销日期 ≤ D 为已核销;否则投产日期 ≤ D 为已投产,开工日期 ≤ D 为已开工,其余为已签约未开工。"
    "晚于 D 的日期视为尚未发生,显示为空。到位资金 = 到位日期 ≤ D 的资金到位记录之和(万元)。"
)


# The library as a leader reads it: name and stage first, ids last (English → Chinese header).
LIBRARY_COLUMNS: dict[str, str] = {
    "name": "项目名称",
    "stage_zh": "阶段",
    "total_investment_wan": "总投资(万元)",
    "funds_arrived_wan": "到位资金(万元)",
    "open_problems": "未办结问题",
    "overdue_problems": "其中逾期",
    "signed_date": "签约日期",
    "in_stats_date": "入统日期",
    "commenced_date": "开工日期",
    "production_date": "投产日期",
    "written_off_date": "核销日期",
    "unit_name": "引进单位",
    "township_name": "落户乡镇",
    "industry_name": "产业",
    "leader_in_charge": "挂包县领导",
    "company": "投资企业",
    "project_id": "项目编码",
}


@dataclass(frozen=True)
class ProjectFilters:
    """What the project library can be narrowed by; ``None``/blank means "all"."""

    search: str = ""
    township_id: str | None = None
    unit_id: str | None = None
    industry_id: str | None = None
    stage: str | None = None
    signed_year: int | None = None


def _as_of(column: str) -> str:
    """SQL: the date in ``column`` if it is on or before ``D``, else NULL (not happened yet)."""
    return f"CASE WHEN p.{column} <= $as_of THEN p.{column} END"


# Every project signed by D, with names, its dates as of D, its stage and funds arrived up to D.
PROJECTS_AS_OF = f"""
SELECT p.project_id, p.name, p.company,
       p.industry_id, i.name AS industry_name, coalesce(i.is_key, false) AS is_key_industry,
       p.total_investment_wan, p.source, p.company_rank, p.is_5020, p.is_export_producer,
       p.introducing_unit_id, u.name AS unit_name,
       p.township_id, t.name AS township_name, p.in_park, p.leader_in_charge,
       p.signed_date,
       {_as_of("in_stats_date")} AS in_stats_date,
       {_as_of("commenced_date")} AS commenced_date,
       {_as_of("production_date")} AS production_date,
       {_as_of("written_off_date")} AS written_off_date,
       CASE WHEN p.written_off_date <= $as_of THEN 'written_off'
            WHEN p.production_date <= $as_of THEN 'produced'
            WHEN p.commenced_date <= $as_of THEN 'commenced'
            ELSE 'signed' END AS stage,
       coalesce(f.funds_arrived_wan, 0) AS funds_arrived_wan,
       coalesce(f.fixed_asset_wan, 0) AS fixed_asset_wan,
       coalesce(f.fdi_usd_wan, 0) AS fdi_usd_wan,
       p.note
FROM projects AS p
LEFT JOIN industries AS i ON i.industry_id = p.industry_id
LEFT JOIN units AS u ON u.unit_id = p.introducing_unit_id
LEFT JOIN units AS t ON t.unit_id = p.township_id
LEFT JOIN (
    SELECT a.project_id,
           CAST({views.money_sum("a.amount_wan")} AS DOUBLE) AS funds_arrived_wan,
           CAST({views.money_sum("a.fixed_asset_wan")} AS DOUBLE) AS fixed_asset_wan,
           CAST({views.money_sum("a.fdi_usd_wan")} AS DOUBLE) AS fdi_usd_wan
    FROM fund_arrivals AS a WHERE a.date <= $as_of GROUP BY a.project_id
) AS f ON f.project_id = p.project_id
WHERE p.signed_date <= $as_of
"""


def project_list(
    con: duckdb.DuckDBPyConnection, period: Period, filters: ProjectFilters | dict[str, Any] | None = None
) -> pd.DataFrame:
    """The project library as of ``D``: newest signing first, narrowed by ``filters``.

    ``search`` matches a part of the project id, name or company, ignoring case. ``stage`` is one
    of ``STAGES``. Columns: those of ``PROJECTS_AS_OF``.
    """
    if isinstance(filters, dict):
        filters = ProjectFilters(**filters)
    filters = filters or ProjectFilters()
    if filters.stage is not None and filters.stage not in STAGES:
        raise ValueError(f"unknown stage {filters.stage!r}")
    sql = f"""
    SELECT * FROM ({PROJECTS_AS_OF}) AS r
    WHERE ($search = ''
           OR strpos(lower(r.project_id), lower($search)) > 0
           OR strpos(lower(r.name), lower($search)) > 0
           OR strpos(lower(r.company), lower($search)) > 0)
      AND ($township_id IS NULL OR r.township_id = $township_id)
      AND ($unit_id IS NULL OR r.introducing_unit_id = $unit_id)
      AND ($industry_id IS NULL OR r.industry_id = $industry_id)
      AND ($stage IS NULL OR r.stage = $stage)
      AND ($signed_year IS NULL OR year(r.signed_date) = $signed_year)
    ORDER BY r.signed_date DESC, r.project_id
    """
    params = views.bind(
        period,
        search=(filters.search or "").strip(),
        township_id=filters.township_id,
        unit_id=filters.unit_id,
        industry_id=filters.industry_id,
        stage=filters.stage,
        signed_year=filters.signed_year,
    )
    library = views.fetch_df(con, sql, params)
    return _with_problem_counts(con, period, library)


def _with_problem_counts(
    con: duckdb.DuckDBPyConnection, period: Period, library: pd.DataFrame
) -> pd.DataFrame:
    """Add ``open_problems`` / ``overdue_problems``: the project's problems as §7 counts them at ``D``."""

    listed = problems(con, period, only_open=True)
    counts = listed.groupby("project_id").agg(
        open_problems=("is_open", "sum"), overdue_problems=("is_overdue", "sum")
    )
    library = library.merge(counts, left_on="project_id", right_index=True, how="left")
    library[["open_problems", "overdue_problems"]] = (
        library[["open_problems", "overdue_problems"]].fillna(0).astype(int)
    )
    return library


def library_summary(library: pd.DataFrame) -> dict[str, Any]:
    """Totals of a (filtered) ``project_list``: projects, investment and funds arrived (万元), stages."""
    return {
        "projects": len(library),
        "total_investment_wan": float(library["total_investment_wan"].sum()),
        "funds_arrived_wan": float(library["funds_arrived_wan"].sum()),
        "open_problems": int(library["open_problems"].sum()),
        "overdue_problems": int(library["overdue_problems"].sum()),
        "stages": {stage: int((library["stage"] == stage).sum()) for stage in STAGES},
    }


def signed_years(con: duckdb.DuckDBPyConnection, period: Period) -> list[int]:
    """The years in which projects of the library (signed by ``D``) were signed, newest first."""
    rows = views.fetch_rows(
        con,
        "SELECT DISTINCT year(signed_date) FROM projects WHERE signed_date <= $as_of ORDER BY 1 DESC",
        views.bind(period),
    )
    return [int(r[0]) for r in rows]


def project_detail(con: duckdb.DuckDBPyConnection, period: Period, project_id: str) -> dict[str, Any] | None:
    """One project as of ``D``: its fields and its stage timeline; ``None`` if not in the library.

    ``timeline`` lists 签约 → 入统 → 开工 → 投产 (and 核销 when the project was written off by
    ``D``), each with its date or ``None`` when it has not happened by ``D``.
    """
    sql = f"SELECT * FROM ({PROJECTS_AS_OF}) AS r WHERE r.project_id = $project_id"
    rows = views.fetch_dicts(con, sql, views.bind(period, project_id=project_id))
    if not rows:
        return None
    project = rows[0]
    timeline = [
        {"stage": code, "label": label, "date": project[column], "done": project[column] is not None}
        for code, label, column in TIMELINE
        if code != "written_off" or project[column] is not None
    ]
    return {
        "project": project,
        "timeline": pd.DataFrame(timeline, columns=["stage", "label", "date", "done"]),
    }


def fund_series(con: duckdb.DuckDBPyConnection, period: Period, project_id: str) -> pd.DataFrame:
    """The project's fund arrivals up to ``D``, one row per arrival date, with running totals.

    Columns: date, amount_wan, fixed_asset_wan, fdi_usd_wan, fx_usd_wan, cumulative_amount_wan,
    cumulative_fixed_asset_wan (all 万元 except the 万美元 columns).
    """
    sql = f"""
    SELECT date,
           CAST({views.money_sum("amount_wan")} AS DOUBLE) AS amount_wan,
           CAST({views.money_sum("fixed_asset_wan")} AS DOUBLE) AS fixed_asset_wan,
           CAST({views.money_sum("fdi_usd_wan")} AS DOUBLE) AS fdi_usd_wan,
           CAST({views.money_sum("fx_usd_wan")} AS DOUBLE) AS fx_usd_wan
    FROM fund_arrivals WHERE project_id = $project_id AND date <= $as_of
    GROUP BY date ORDER BY date
    """
    df = views.fetch_df(con, sql, views.bind(period, project_id=project_id))
    df["cumulative_amount_wan"] = df["amount_wan"].cumsum()
    df["cumulative_fixed_asset_wan"] = df["fixed_asset_wan"].cumsum()
    return df


# ---------------------------------------------------------------------------------------------
# the lead registry (招商信息)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadFilters:
    """What the lead registry can be narrowed by; ``None`` means "all"."""

    unit_id: str | None = None
    industry_id: str | None = None
    tier: str | None = None
    status: str | None = None
    first_report: bool | None = None


# The registry as the page shows it (English → Chinese header).
LEAD_LABELS: dict[str, str] = {
    "lead_id": "信息编码", "reported_at": "报送时间", "unit_name": "报送单位", "company": "意向企业",
    "industry_name": "产业", "intended_investment_wan": "意向投资(万元)", "tier_zh": "信息等级",
    "status_zh": "认定状态", "pending_text": "待认定", "project_name": "转化项目", "decision": "首报认定",
}  # fmt: skip
# What the reporting unit recorded with a lead (联系人, 投资方来源, 项目内容), headed by the contract.
LEAD_DETAILS = ("contact_person", "investor_origin", "project_content")
LEAD_LABELS |= {c: TABLES_BY_NAME["leads"].column(c).zh for c in LEAD_DETAILS}

LEAD_COLUMNS = [
    "lead_id", "reported_at", "reporter_unit_id", "unit_name", "company", "company_key", "industry_id",
    "industry_name", "intended_investment_wan", "tier", "status", "is_first_report", "duplicate_of",
    "first_reported_at", "first_unit_name", "reason", "decision", "days_pending", "pending_text",
    "tier_zh", "status_zh", "project_id", "project_name", *LEAD_DETAILS,
]  # fmt: skip


def lead_registry(
    con: duckdb.DuckDBPyConnection, period: Period, filters: LeadFilters | dict[str, Any] | None = None
) -> pd.DataFrame:
    """Leads reported in ``W`` with the §4 first-report decision of ``analytics.leads``, newest first.

    For a duplicate, ``duplicate_of`` is the first report and ``first_reported_at`` /
    ``first_unit_name`` say when and by whom it was reported. ``days_pending`` = days from the
    report's date to ``D`` for a lead still ``pending`` (else null). ``project_name`` names the
    project a lead turned into; ``LEAD_DETAILS`` what the reporting unit recorded with the lead.
    """

    adjudicated = adjudicate_leads(con)
    details = ", ".join(f"l.{c}" for c in LEAD_DETAILS)
    names = views.fetch_df(
        con,
        f"""
        SELECT l.lead_id, u.name AS unit_name, i.name AS industry_name, p.name AS project_name, {details}
        FROM leads AS l
        LEFT JOIN units AS u ON u.unit_id = l.reporter_unit_id
        LEFT JOIN industries AS i ON i.industry_id = l.industry_id
        LEFT JOIN projects AS p ON p.project_id = l.project_id
        """,
        {},
    )
    df = adjudicated.merge(names, on="lead_id", how="left")
    first = df[["lead_id", "reported_at", "unit_name"]].rename(
        columns={
            "lead_id": "duplicate_of",
            "reported_at": "first_reported_at",
            "unit_name": "first_unit_name",
        }
    )
    df = df.merge(first, on="duplicate_of", how="left")
    reported_on = pd.to_datetime(df["reported_at"]).dt.normalize()
    start, end = pd.Timestamp(period.window_start), pd.Timestamp(period.window_end)
    df = df[(reported_on >= start) & (reported_on <= end)].copy()
    pending = df["status"] == "pending"
    days = (pd.Timestamp(period.as_of) - pd.to_datetime(df["reported_at"]).dt.normalize()).dt.days
    df["days_pending"] = days.where(pending).astype("Int64")
    df = df.sort_values(["reported_at", "lead_id"], ascending=[False, True])
    df["decision"] = _decisions(df)
    df["pending_text"] = [f"{d} 天" if pd.notna(d) else "" for d in df["days_pending"]]
    df["tier_zh"] = df["tier"].map(TIER_CHOICES)
    df["status_zh"] = df["status"].map(STATUS_CHOICES)
    return filter_leads(df[LEAD_COLUMNS].reset_index(drop=True), filters)


def filter_leads(leads: pd.DataFrame, filters: LeadFilters | dict[str, Any] | None) -> pd.DataFrame:
    """Narrow a ``lead_registry`` frame (cheap: the page filters one cached registry, no re-adjudication)."""
    if isinstance(filters, dict):
        filters = LeadFilters(**filters)
    filters = filters or LeadFilters()
    df = leads
    if filters.unit_id is not None:
        df = df[df["reporter_unit_id"] == filters.unit_id]
    if filters.industry_id is not None:
        df = df[df["industry_id"] == filters.industry_id]
    if filters.tier is not None:
        df = df[df["tier"] == filters.tier]
    if filters.status is not None:
        df = df[df["status"] == filters.status]
    if filters.first_report is not None:
        df = df[df["is_first_report"] == filters.first_report]
    return df.reset_index(drop=True)


def _decisions(leads: pd.DataFrame) -> list[str]:
    """The §4 decision of ``analytics.leads`` in words: first report, duplicate of which, or not counted."""
    texts = []
    for first, of, when, unit in leads[
        ["is_first_report", "duplicate_of", "first_reported_at", "first_unit_name"]
    ].itertuples(index=False):
        if first:
            texts.append("● 首报")
        elif isinstance(of, str):
            texts.append(f"▲ 重复:首报为 {of}({unit},{when:%Y-%m-%d})")
        else:
            texts.append("○ 不计(无效信息)")
    return texts


def near_duplicate_suggestions(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """``analytics.leads.suggest_near_duplicates`` groups with at least one lead reported in ``W``.

    Suggestions only: they change no count (METRICS.md §4). Columns: companies (text, "、"-joined),
    lead_ids (text), n_leads.
    """

    groups = suggest_near_duplicates(con)
    in_window = {
        r[0]
        for r in views.fetch_rows(
            con,
            f"SELECT lead_id FROM leads AS l WHERE {views.in_window('l.reported_at')}",
            views.bind(period),
        )
    }
    keep = groups["lead_ids"].map(lambda ids: any(i in in_window for i in ids)) if len(groups) else []
    shown = groups[keep] if len(groups) else groups
    return pd.DataFrame(
        {
            "companies": ["、".join(c) for c in shown["companies"]],
            "lead_ids": ["、".join(i) for i in shown["lead_ids"]],
            "n_leads": list(shown["n_leads"]),
        },
        columns=["companies", "lead_ids", "n_leads"],
    )


# ---------------------------------------------------------------------------------------------
# squads (招商小分队): names and members around the §5 results of analytics.squads
# ---------------------------------------------------------------------------------------------

SQUAD_BOARD_COLUMNS = [
    "rank", "squad_id", "name", "industry_name", "leader", "n_members", "n_scored", "score", "mean_score",
    "completed", "advanced_members", "advanced_member_names", "disqualified", "disqualified_names",
    "unassessed", "unassessed_names", "actuals", "targets",
]  # fmt: skip


def squad_board(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> pd.DataFrame:
    """The §5 squad ranking (``analytics.squads.squad_results``) with names, leader and member counts.

    ``advanced_members``, ``disqualified``, ``unassessed`` and their ``*_names`` are "、"-joined in
    ``unit_id`` order, as §5 lists them (empty when none).
    """

    evaluated = evaluate_units(con, period, settings)
    results = pd.DataFrame(squad_results(con, period, settings, evaluated=evaluated))
    if results.empty:
        return pd.DataFrame(columns=SQUAD_BOARD_COLUMNS)
    members = squad_members(con, period, settings, evaluated=evaluated)
    unit_names = {u["unit_id"]: u["name"] for u in evaluated}
    squads = views.fetch_df(
        con,
        "SELECT q.squad_id, q.name, q.leader, i.name AS industry_name FROM squads AS q "
        "LEFT JOIN industries AS i ON i.industry_id = q.industry_id",
        {},
    )
    counts = (
        members.groupby("squad_id")
        .agg(n_members=("unit_id", "size"), n_scored=("score", "count"))
        .reset_index()
    )
    board = results.merge(squads, on="squad_id", how="left").merge(counts, on="squad_id", how="left")
    board[["n_members", "n_scored"]] = board[["n_members", "n_scored"]].fillna(0).astype(int)
    for column, names in (
        ("advanced_members", "advanced_member_names"),
        ("disqualified", "disqualified_names"),
        ("unassessed", "unassessed_names"),
    ):
        board[names] = board[column].map(lambda ids: "、".join(unit_names[u] for u in ids))
        board[column] = board[column].map("、".join)
    return board[SQUAD_BOARD_COLUMNS]


SQUAD_MEMBER_COLUMNS = [
    "squad_id", "squad_name", "squad_rank", "unit_id", "unit_name", "score", "score_counted", "completed",
    "department_rank", "is_advanced_member", "is_disqualified", "is_unassessed",
    "signed_projects_actual", "signed_projects_target", "in_stats_projects_actual",
    "in_stats_projects_target", "valid_leads_actual", "valid_leads_target",
]  # fmt: skip


def squad_member_table(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """``analytics.squads.squad_members`` with each member's three §4 indicators (actual / target)."""

    evaluated = evaluate_units(con, period, settings)
    members = squad_members(con, period, settings, evaluated=evaluated)
    if members.empty:
        return pd.DataFrame(columns=SQUAD_MEMBER_COLUMNS)
    indicators = unit_table(con, period, settings, evaluated=evaluated)
    merged = members.merge(indicators[["unit_id", *SQUAD_MEMBER_COLUMNS[12:]]], on="unit_id", how="left")
    return merged[SQUAD_MEMBER_COLUMNS]


def station_days(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Days on post per stationed squad, member and month of ``W`` (the months §5 checks).

    ``on_post`` = at least ``analytics.squads.MIN_DAYS_ON_POST`` days. Ordered by squad, member, month.
    """

    return views.fetch_df(
        con,
        """
        SELECT q.squad_id, q.name AS squad_name, q.station_city, r.member, r.month, r.days_on_post,
               r.days_on_post >= $min_days AS on_post
        FROM station_reports AS r JOIN squads AS q ON q.squad_id = r.squad_id
        WHERE q.kind = 'stationed' AND r.month BETWEEN $first_month AND $last_month
        ORDER BY q.squad_id, r.member, r.month
        """,
        {
            "min_days": MIN_DAYS_ON_POST,
            "first_month": period.window_start.strftime("%Y-%m"),
            "last_month": period.window_end.strftime("%Y-%m"),
        },
    )


# ---------------------------------------------------------------------------------------------
# one project's problems: the three lists (问题清单、责任清单、进度清单)
# ---------------------------------------------------------------------------------------------

# list name → its columns (English → Chinese header), in the order a leader reads them.
PROBLEM_LISTS: dict[str, dict[str, str]] = {
    "问题清单": {"problem_id": "问题编码", "raised_on": "提出日期", "description": "问题描述"},
    "责任清单": {
        "problem_id": "问题编码", "description": "问题描述", "responsible_unit_name": "责任单位",
        "leader_in_charge": "挂包县领导", "due_date": "办结时限",
    },
    "进度清单": {
        "problem_id": "问题编码", "progress": "办理情况", "due_date": "办结时限", "resolved_on": "办结日期",
        "description": "问题描述",
    },
}  # fmt: skip


def project_problems(con: duckdb.DuckDBPyConnection, period: Period, project_id: str) -> pd.DataFrame:
    """The project's problems raised by ``D``, open/overdue as ``analytics.supervision.problems`` (§7)
    decides, with the project's leader in charge and a Chinese ``progress`` text.

    A resolution dated after ``D`` has not happened yet: ``resolved_on`` shows blank then.
    """

    listed = problems(con, period)
    listed = listed[listed["project_id"] == project_id].copy()
    leader = views.fetch_rows(
        con,
        "SELECT leader_in_charge FROM projects WHERE project_id = $project_id",
        {"project_id": project_id},
    )
    listed["leader_in_charge"] = leader[0][0] if leader else None
    listed["progress"] = [
        f"■ 逾期 {days} 天" if overdue else ("▲ 办理中" if is_open else "● 已办结")
        for overdue, is_open, days in zip(
            listed["is_overdue"], listed["is_open"], listed["days_overdue"], strict=True
        )
    ]
    listed["resolved_on"] = listed["resolved_on"].where(~listed["is_open"].astype(bool))
    listed["days_overdue"] = listed["days_overdue"].astype("Int64").where(listed["is_overdue"].astype(bool))
    return listed.reset_index(drop=True)
