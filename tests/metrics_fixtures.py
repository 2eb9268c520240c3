"""Tiny hand-made datasets for the metrics tests: rows inserted straight into a fresh database.

Every helper fills the columns a test does not care about with harmless defaults, so a test
shows only what matters to the rule it pins.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import duckdb

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import open_database


def d(text: str) -> date:
    return date.fromisoformat(text)


def fresh() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database with every contract table."""
    return open_database(":memory:")


def settings(**overrides: Any) -> dict[str, Any]:
    return effective_settings(None, overrides or None)


def period(year: int, as_of: str) -> Period:
    return Period(year, d(as_of))


def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict[str, Any]) -> None:
    columns = list(row)
    placeholders = ", ".join("?" for _ in columns)
    con.execute(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", [row[c] for c in columns]
    )


def add_industry(
    con: duckdb.DuckDBPyConnection,
    industry_id: str,
    *,
    is_key: bool = False,
    is_industrial: bool = True,
    name: str | None = None,
) -> None:
    _insert(
        con,
        "industries",
        {
            "industry_id": industry_id,
            "name": name or f"产业{industry_id}",
            "is_key": is_key,
            "is_industrial": is_industrial,
        },
    )


def add_squad(
    con: duckdb.DuckDBPyConnection,
    squad_id: str,
    *,
    kind: str = "industry_chain",
    industry_id: str | None = None,
    name: str | None = None,
) -> None:
    _insert(
        con,
        "squads",
        {
            "squad_id": squad_id,
            "name": name or f"小分队{squad_id}",
            "kind": kind,
            "industry_id": industry_id,
            "leader": "县领导",
            "station_city": "上海" if kind == "stationed" else None,
        },
    )


def add_unit(
    con: duckdb.DuckDBPyConnection,
    unit_id: str,
    *,
    kind: str = "township",
    township_class: str | None = "1",
    squad_id: str | None = None,
    name: str | None = None,
) -> None:
    _insert(
        con,
        "units",
        {
            "unit_id": unit_id,
            "name": name or f"单位{unit_id}",
            "kind": kind,
            "township_class": township_class if kind == "township" else None,
            "squad_id": squad_id,
        },
    )


def add_department(con: duckdb.DuckDBPyConnection, unit_id: str, squad_id: str | None = None) -> None:
    add_unit(con, unit_id, kind="department", township_class=None, squad_id=squad_id)


def add_project(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    signed_date: str,
    *,
    unit: str = "t01",
    industry: str = "i1",
    total: float = 1000.0,
    source: str = "in_province",
    export: bool = False,
    rank: str | None = None,
    is_5020: bool = False,
    township: str | None = None,
    in_stats: str | None = None,
    commenced: str | None = None,
    produced: str | None = None,
    written_off: str | None = None,
    company: str | None = None,
    leader: str | None = None,
    **extra: Any,
) -> None:
    """A project; ``extra`` sets any other column (v2: ``in_stats_verified_on=d("…")``, ``intermediary``)."""
    _insert(
        con,
        "projects",
        {
            "project_id": project_id,
            "name": f"项目{project_id}",
            "company": company or f"企业{project_id}",
            "industry_id": industry,
            "total_investment_wan": total,
            "source": source,
            "is_export_producer": export,
            "company_rank": rank,
            "is_5020": is_5020,
            "introducing_unit_id": unit,
            "township_id": township or unit,
            "in_park": False,
            "leader_in_charge": leader,
            "signed_date": d(signed_date),
            "in_stats_date": d(in_stats) if in_stats else None,
            "commenced_date": d(commenced) if commenced else None,
            "production_date": d(produced) if produced else None,
            "written_off_date": d(written_off) if written_off else None,
            "note": None,
        }
        | extra,
    )


def add_arrival(
    con: duckdb.DuckDBPyConnection,
    project_id: str,
    on: str,
    *,
    amount: float = 0.0,
    fixed: float = 0.0,
    fdi: float = 0.0,
    fx: float = 0.0,
    **extra: Any,
) -> None:
    """A fund arrival; ``extra`` sets any other column (v2: ``verified_on=d("…")``)."""
    _insert(
        con,
        "fund_arrivals",
        {
            "project_id": project_id,
            "date": d(on),
            "amount_wan": amount,
            "fixed_asset_wan": fixed,
            "fdi_usd_wan": fdi,
            "fx_usd_wan": fx,
        }
        | extra,
    )


def add_lead(
    con: duckdb.DuckDBPyConnection,
    lead_id: str,
    reported_at: str,
    company: str,
    *,
    unit: str = "t01",
    status: str = "valid",
    tier: str = "general",
    project_id: str | None = None,
    industry: str = "i1",
    **extra: Any,
) -> None:
    """A lead; ``extra`` sets any other column (v2: ``validated_on=d("…")``)."""
    at = (
        datetime.fromisoformat(reported_at)
        if len(reported_at) > 10
        else datetime.fromisoformat(reported_at + " 09:00")
    )
    _insert(
        con,
        "leads",
        {
            "lead_id": lead_id,
            "reported_at": at,
            "reporter_unit_id": unit,
            "company": company,
            "industry_id": industry,
            "intended_investment_wan": 100.0,
            "tier": tier,
            "status": status,
            "project_id": project_id,
        }
        | extra,
    )


def add_target(con: duckdb.DuckDBPyConnection, year: int, scope: str, metric: str, value: float) -> None:
    _insert(con, "targets", {"year": year, "scope": scope, "metric": metric, "value": float(value)})


def add_unit_targets(
    con: duckdb.DuckDBPyConnection,
    year: int,
    unit_id: str,
    signed: float | None,
    in_stats: float | None,
    leads: float | None,
) -> None:
    for metric, value in (
        ("signed_projects", signed),
        ("in_stats_projects", in_stats),
        ("valid_leads", leads),
    ):
        if value is not None:
            add_target(con, year, unit_id, metric, value)


def add_problem(
    con: duckdb.DuckDBPyConnection,
    problem_id: str,
    project_id: str,
    raised: str,
    due: str,
    resolved: str | None = None,
    unit: str = "t01",
) -> None:
    _insert(
        con,
        "problems",
        {
            "problem_id": problem_id,
            "project_id": project_id,
            "raised_on": d(raised),
            "description": f"问题{problem_id}",
            "responsible_unit_id": unit,
            "due_date": d(due),
            "resolved_on": d(resolved) if resolved else None,
        },
    )


def add_station_report(
    con: duckdb.DuckDBPyConnection, squad_id: str, month: str, member: str, days: int
) -> None:
    _insert(
        con, "station_reports", {"squad_id": squad_id, "month": month, "member": member, "days_on_post": days}
    )


def add_trade(
    con: duckdb.DuckDBPyConnection,
    month: str,
    exports: float,
    imports: float,
    city_growth: float | None = None,
) -> None:
    """A month of the v2 ``trade`` table (万美元; ``city_growth`` a fraction)."""
    _insert(
        con,
        "trade",
        {"month": month, "exports_usd_wan": exports, "imports_usd_wan": imports, "city_growth": city_growth},
    )
