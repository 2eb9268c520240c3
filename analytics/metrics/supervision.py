"""METRICS.md §7, supervision (督导): problems (open / overdue), major projects and the leads funnel.

A problem is ``open`` when ``resolved_on`` is blank or after D; ``overdue`` (超期) when open and
``due_date < D`` (``days_overdue`` = D − due_date): ``problem_open`` / ``problem_overdue`` are the one
place these rules are written, for every query that asks. **v2** A project is **major** (重大项目)
when ``is_major``, or ``total_investment_wan ≥ major_project_min_wan``, or it has a
``leader_in_charge`` (``major_project``). The funnel covers leads reported in W, with the §4
first-report decision; ``conversion`` = valid first reports with a project_id / valid first reports
(null when there are none).

Problems are listed when raised on or before D (a problem raised after D did not exist yet). A
``leader_in_charge`` of only spaces is no leader.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.core.settings import DEFAULT_SETTINGS
from analytics.metrics import views
from analytics.metrics.leads import register_company_keys


def problem_open(alias: str = "pr") -> str:
    """SQL (§7): the problem ``alias`` is open at D — ``resolved_on`` blank or after D."""
    return f"({alias}.resolved_on IS NULL OR {alias}.resolved_on > $as_of)"


def problem_overdue(alias: str = "pr") -> str:
    """SQL (§7): the problem ``alias`` is overdue (超期) at D — open and ``due_date < D``."""
    return f"({problem_open(alias)} AND {alias}.due_date < $as_of)"


def major_project(alias: str = "p") -> str:
    """SQL (§7, v2): the project ``alias`` is major — flagged ``is_major``, or a total of at least
    ``$major_min_wan``, or with a ``leader_in_charge``. Bind ``major_min_wan`` (``major_params``)."""
    return (
        f"({alias}.is_major OR {alias}.total_investment_wan >= $major_min_wan"
        f" OR nullif(trim({alias}.leader_in_charge), '') IS NOT NULL)"
    )


def major_params(settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """The bind parameter of ``major_project``: ``major_project_min_wan`` of ``settings`` (default)."""
    chosen = DEFAULT_SETTINGS if settings is None else settings
    return {"major_min_wan": chosen["major_project_min_wan"]}


PROBLEMS_SQL = f"""
SELECT pr.problem_id, pr.project_id, p.name AS project_name, pr.description,
       pr.responsible_unit_id, u.name AS responsible_unit_name,
       pr.raised_on, pr.due_date, pr.resolved_on,
       {problem_open()} AS is_open,
       {problem_overdue()} AS is_overdue,
       CASE WHEN {problem_overdue()} THEN date_diff('day', pr.due_date, $as_of) ELSE 0 END AS days_overdue
FROM problems AS pr
LEFT JOIN projects AS p ON p.project_id = pr.project_id
LEFT JOIN units AS u ON u.unit_id = pr.responsible_unit_id
WHERE pr.raised_on <= $as_of
"""

MAJOR_PROJECTS_SQL = """
SELECT p.project_id, p.name AS project_name, p.introducing_unit_id, p.total_investment_wan,
       p.is_major AS by_flag, p.total_investment_wan >= $major_min_wan AS by_size,
       nullif(trim(p.leader_in_charge), '') IS NOT NULL AS by_leader,
       nullif(trim(p.leader_in_charge), '') AS leader_in_charge
FROM projects AS p
WHERE {major}
ORDER BY p.project_id
""".replace("{major}", major_project())


def problems(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    only_open: bool = False,
    *,
    settings: dict[str, Any] | None = None,
) -> pd.DataFrame:
    """Problems raised by D with open / overdue status and whether their project is major (§7, by
    ``settings``, the defaults when None); overdue first (most days), then by due date."""
    return views.fetch_df(
        con,
        f"""
        SELECT r.*, coalesce({major_project()}, false) AS is_major_project
        FROM ({PROBLEMS_SQL}) AS r LEFT JOIN projects AS p ON p.project_id = r.project_id
        WHERE NOT $only_open OR r.is_open
        ORDER BY r.is_overdue DESC, r.days_overdue DESC, r.is_open DESC, r.due_date, r.problem_id
        """,
        views.bind(period, only_open=only_open) | major_params(settings),
    )


def major_projects(con: duckdb.DuckDBPyConnection, settings: dict[str, Any] | None = None) -> pd.DataFrame:
    """§7 major projects (重大项目), by project_id, with which rule makes each major: ``by_flag``
    (is_major), ``by_size`` (total ≥ major_project_min_wan), ``by_leader`` (a leader_in_charge)."""
    return views.fetch_df(con, MAJOR_PROJECTS_SQL, major_params(settings))


def problem_summary_by_unit(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Per responsible unit: problems raised, open, overdue, the longest overdue (days)."""
    return views.fetch_df(
        con,
        f"""
        SELECT responsible_unit_id, any_value(responsible_unit_name) AS responsible_unit_name,
               count(*) AS problems, count(*) FILTER (WHERE is_open) AS open,
               count(*) FILTER (WHERE is_overdue) AS overdue, max(days_overdue) AS max_days_overdue
        FROM ({PROBLEMS_SQL})
        GROUP BY responsible_unit_id
        ORDER BY overdue DESC, open DESC, responsible_unit_id
        """,
        views.bind(period),
    )


FUNNEL_SQL = f"""
SELECT a.tier, a.status, a.is_first_report, a.duplicate_of IS NOT NULL AS is_duplicate,
       a.project_id IS NOT NULL AS has_project
FROM ({views.LEAD_ADJUDICATION}) AS a
WHERE {views.in_window("a.reported_at")}
"""


def lead_funnel(con: duckdb.DuckDBPyConnection, period: Period) -> dict[str, Any]:
    """Leads reported in W: totals, by tier and status, first reports vs duplicates, conversion."""
    register_company_keys(con)
    rows = views.fetch_dicts(con, FUNNEL_SQL, views.bind(period))
    by_tier_status: dict[str, dict[str, int]] = {
        tier: dict.fromkeys(("pending", "valid", "invalid"), 0) for tier in ("general", "important", "major")
    }
    for r in rows:
        by_tier_status.setdefault(r["tier"], {}).setdefault(r["status"], 0)
        by_tier_status[r["tier"]][r["status"]] += 1
    valid_first = [r for r in rows if r["is_first_report"] and r["status"] == "valid"]
    converted = sum(1 for r in valid_first if r["has_project"])
    return {
        "reported": len(rows),
        "by_tier_status": by_tier_status,
        "first_reports": sum(1 for r in rows if r["is_first_report"]),
        "duplicates": sum(1 for r in rows if r["is_duplicate"]),
        "valid_first_reports": len(valid_first),
        "converted": converted,
        "conversion": converted / len(valid_first) if valid_first else None,
    }


def lead_funnel_table(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """``lead_funnel``'s tier × status counts as a long table (tier, status, leads)."""
    funnel = lead_funnel(con, period)
    return pd.DataFrame(
        [
            {"tier": tier, "status": status, "leads": n}
            for tier, statuses in funnel["by_tier_status"].items()
            for status, n in statuses.items()
        ],
        columns=["tier", "status", "leads"],
    )
