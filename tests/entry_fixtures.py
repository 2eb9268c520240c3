"""A tiny county in a real DuckDB file, and one user per role, for the data-entry and audit tests.

Units: townships t01 (镇一) and t02 (镇二), department d01 (商务局). Industries i1 (key), i2.
Projects: p1 of t01 signed 2026-02-01, p2 of t02 signed 2026-03-01, pf (foreign) of t01.
Leads: L1 by t02 for "华为 技术" reported 2026-01-05 09:00 (valid), L2 by t01 for "某某公司" (pending).
Targets: county signed_projects 2026 = 30.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.access.users import User
from analytics.data.store import open_database
from tests.metrics_fixtures import add_department, add_industry, add_lead, add_project, add_unit

OFFICE = User("office", "招商办", "office")
LEADER = User("leader", "县领导", "leader")
VIEWER = User("viewer", "投屏", "viewer")
CLERK_T01 = User("clerk_t01", "镇一填报员", "clerk", "t01")
CLERK_T02 = User("clerk_t02", "镇二填报员", "clerk", "t02")


def seed(con: duckdb.DuckDBPyConnection) -> None:
    add_industry(con, "i1", is_key=True)
    add_industry(con, "i2")
    add_unit(con, "t01", name="镇一")
    add_unit(con, "t02", name="镇二", township_class="2")
    add_department(con, "d01")
    add_project(con, "p1", "2026-02-01", unit="t01")
    add_project(con, "p2", "2026-03-01", unit="t02")
    add_project(con, "pf", "2026-01-10", unit="t01", source="foreign")
    add_lead(con, "L1", "2026-01-05 09:00", "华为 技术", unit="t02", status="valid")
    add_lead(con, "L2", "2026-02-05 10:30", "某某公司", unit="t01", status="pending")
    con.execute(
        "INSERT INTO targets (year, scope, metric, value) VALUES (2026, 'county', 'signed_projects', 30)"
    ).fetchall()


def small_county(directory: Path) -> Path:
    """The tiny county as a database file under ``directory``."""
    path = directory / "county.duckdb"
    con = open_database(path)
    try:
        seed(con)
    finally:
        con.close()
    return path
