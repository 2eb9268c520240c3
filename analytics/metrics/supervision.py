"""METRICS.md §7, supervision (督导): problems (open / overdue) and the leads funnel.

A problem is ``open`` when ``resolved_on`` is blank or after D; ``overdue`` when open and
``due_date < D`` (``days_overdue`` = D − due_date). The funnel covers leads reported in W, with
the §4 first-report decision; ``conversion`` = valid first reports with a project_id / valid first
reports (null when there are none).

Problems are listed when raised on or before D (a problem raised after D did not exist yet).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.metrics import views
from analytics.metrics.leads import register_company_keys

PROBLEMS_SQL = """
SELECT pr.problem_id, pr.project_id, p.name AS project_name, pr.description,
       pr.responsible_unit_id, u.name AS responsible_unit_name,
       pr.raised_on, pr.due_date, pr.resolved_on,
       (pr.resolved_on IS NULL OR pr.resolved_on > $as_of) AS is_open,
       (pr.resolved_on IS NULL OR pr.resolved_on > $as_of) AND pr.due_date < $as_of AS is_overdue,
       CASE WHEN (pr.resolved_on IS NULL OR pr.resolved_on > $as_of) AND pr.due_date < $as_of
            THEN date_diff('day', pr.due_date, $as_of) ELSE 0 END AS days_overdue
FROM problems AS pr
LEFT JOIN projects AS p ON p.project_id = pr.project_id
LEFT JOIN units AS u ON u.unit_id = pr.responsible_unit_id
WHERE pr.raised_on <= $as_of
"""


def problems(con: duckdb.DuckDBPyConnection, period: Period, only_open: bool = False) -> pd.DataFrame:
    """Problems raised by D with open / overdue status; overdue first (most days), then by due date."""
    return views.fetch_df(
        con,
        f"""
        SELECT * FROM ({PROBLEMS_SQL}) WHERE NOT $only_open OR is_open
        ORDER BY is_overdue DESC, days_overdue DESC, is_open DESC, due_date, problem_id
        """,
        views.bind(period, only_open=only_open),
    )


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
