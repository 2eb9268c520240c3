"""What the data-entry and office pages show: a unit's own rows (with their ``row_version``, which a
form sends back to detect a stale save), the pending leads with their first-report standing (the
office's 认定 queue, scoped to a plan year), the targets and settings as stored, and the choices of
the drop-downs.

Each loader returns one unit's rows, by ``unit_id``; which unit a user may see, and which of the
rows, is ``analytics.permissions``' rule (``entry_unit``, ``scope_rows_for``), applied by the page.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

from analytics.core.settings import DEFAULT_SETTINGS, SETTING_LABELS
from analytics.entry.lead_forms import first_report_of
from analytics.metrics import views
from analytics.metrics.leads import adjudicate_leads


def unit_choices(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """unit_id -> name, townships first then departments, by id."""
    rows = views.fetch_rows(con, "SELECT unit_id, name FROM units ORDER BY kind DESC, unit_id", {})
    return dict(rows)


def industry_choices(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(views.fetch_rows(con, "SELECT industry_id, name FROM industries ORDER BY industry_id", {}))


def unit_projects(con: duckdb.DuckDBPyConnection, unit_id: str | None) -> pd.DataFrame:
    """The projects a unit introduced (every project when ``unit_id`` is None), newest signing first."""
    return views.fetch_df(
        con,
        """
        SELECT project_id, name, company, introducing_unit_id, source, total_investment_wan, signed_date,
               in_stats_date, commenced_date, production_date, written_off_date, row_version
        FROM projects WHERE $unit IS NULL OR introducing_unit_id = $unit
        ORDER BY signed_date DESC, project_id
        """,
        {"unit": unit_id},
    )


def unit_leads(con: duckdb.DuckDBPyConnection, unit_id: str | None) -> pd.DataFrame:
    """A unit's leads with their first-report standing (METRICS.md §4) and what the unit recorded
    with them (联系人, 项目内容, 投资方来源), newest first."""
    frame = adjudicate_leads(con)
    if unit_id is not None:
        frame = frame[frame["reporter_unit_id"] == unit_id]
    details = views.fetch_df(
        con,
        "SELECT lead_id, contact_person, project_content, investor_origin FROM leads"
        " WHERE $unit IS NULL OR reporter_unit_id = $unit",
        {"unit": unit_id},
    )
    frame = frame.merge(details, on="lead_id", how="left")
    return frame.sort_values(["reported_at", "lead_id"], ascending=False).reset_index(drop=True)


def pending_leads(con: duckdb.DuckDBPyConnection, *, newest_first: bool = False) -> pd.DataFrame:
    """Leads awaiting the office's decision, with first-report standing and version; ordered by
    report time (oldest first unless ``newest_first``), then lead id the same way."""
    frame = adjudicate_leads(con)
    versions = views.fetch_df(con, "SELECT lead_id, row_version FROM leads", {})
    units = views.fetch_df(con, "SELECT unit_id AS reporter_unit_id, name AS unit_name FROM units", {})
    frame = frame.merge(versions, on="lead_id").merge(units, on="reporter_unit_id", how="left")
    frame = frame[frame["status"] == "pending"]
    ascending = not newest_first
    return frame.sort_values(["reported_at", "lead_id"], ascending=ascending).reset_index(drop=True)


def pending_lead_queue(
    con: duckdb.DuckDBPyConnection, year: int, *, newest_first: bool = False
) -> dict[str, pd.DataFrame]:
    """The office's 认定 queue scoped to plan year ``year``: ``this_year`` holds the pending leads
    reported from ``year``-01-01 00:00 to ``year``-12-31 24:00, ``earlier`` those reported before (往年),
    ``later`` those after (when an earlier plan year is chosen). Each part keeps ``pending_leads``'
    order."""
    frame = pending_leads(con, newest_first=newest_first)
    reported_year = pd.to_datetime(frame["reported_at"]).dt.year
    parts = {
        "this_year": frame[reported_year == year],
        "earlier": frame[reported_year < year],
        "later": frame[reported_year > year],
    }
    return {part: rows.reset_index(drop=True) for part, rows in parts.items()}


def unit_problems(con: duckdb.DuckDBPyConnection, unit_id: str | None) -> pd.DataFrame:
    """Problems on a unit's projects or for which it is responsible, open ones first."""
    return views.fetch_df(
        con,
        """
        SELECT q.problem_id, q.project_id, p.name AS project_name, p.introducing_unit_id AS project_unit_id,
               q.raised_on, q.description, q.responsible_unit_id, q.due_date, q.resolved_on, q.row_version
        FROM problems AS q LEFT JOIN projects AS p USING (project_id)
        WHERE $unit IS NULL OR p.introducing_unit_id = $unit OR q.responsible_unit_id = $unit
        ORDER BY q.resolved_on IS NOT NULL, q.due_date, q.problem_id
        """,
        {"unit": unit_id},
    )


def unit_fund_arrivals(con: duckdb.DuckDBPyConnection, unit_id: str | None) -> pd.DataFrame:
    return views.fetch_df(
        con,
        """
        SELECT f.project_id, p.name AS project_name, f.date, f.amount_wan, f.fixed_asset_wan,
               f.fdi_usd_wan, f.fx_usd_wan, p.introducing_unit_id AS project_unit_id
        FROM fund_arrivals AS f JOIN projects AS p USING (project_id)
        WHERE $unit IS NULL OR p.introducing_unit_id = $unit
        ORDER BY f.date DESC, f.project_id
        """,
        {"unit": unit_id},
    )


def stored_targets(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    return views.fetch_df(
        con,
        "SELECT year, scope, metric, value, row_version FROM targets WHERE year = $year"
        " ORDER BY scope = 'county' DESC, scope, metric",
        {"year": year},
    )


def settings_rows(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Each setting: key, label, default, stored value (or None) and its version (or None)."""
    stored = {
        key: (json.loads(value), version)
        for key, value, version in views.fetch_rows(
            con, "SELECT key, value_json, row_version FROM settings", {}
        )
    }
    return [
        {
            "key": key,
            "label": SETTING_LABELS.get(key, key),
            "default": default,
            "stored": stored.get(key, (None, None))[0],
            "row_version": stored.get(key, (None, None))[1],
        }
        for key, default in DEFAULT_SETTINGS.items()
    ]


def first_report_lookup(con: duckdb.DuckDBPyConnection, company: str) -> str | None:
    """The first-report message for a company name as typed (``None``: nobody reported it yet)."""
    first = first_report_of(con, company)
    return first.message if first is not None else None
