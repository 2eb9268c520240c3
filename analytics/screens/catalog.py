"""Lookups the screens need around the metrics: which years have data, names of units and industries."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd


def available_years(con: duckdb.DuckDBPyConnection, today: date | None = None) -> list[int]:
    """Years with signings, targets or leads, plus the current year; newest first."""
    rows = con.execute(
        """
        SELECT DISTINCT year FROM (
          SELECT year(signed_date) AS year FROM projects
          UNION SELECT year FROM targets
          UNION SELECT year(reported_at) FROM leads
        ) WHERE year IS NOT NULL
        """
    ).fetchall()
    years = {int(r[0]) for r in rows} | {(today or date.today()).year}
    return sorted(years, reverse=True)


def is_empty(con: duckdb.DuckDBPyConnection) -> bool:
    """True for a fresh database: no units and no projects yet."""
    rows = con.execute("SELECT (SELECT count(*) FROM units) + (SELECT count(*) FROM projects)").fetchall()
    return rows[0][0] == 0


def units(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit with its kind, class and squad, ordered by id."""
    return con.execute(
        "SELECT unit_id, name, kind, township_class, squad_id FROM units ORDER BY unit_id"
    ).df()


def industries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT industry_id, name, is_key, is_industrial FROM industries ORDER BY industry_id"
    ).df()


def squads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        "SELECT squad_id, name, kind, industry_id, leader, station_city FROM squads ORDER BY squad_id"
    ).df()
