"""Project forms: milestone dates, fund arrivals, raising and resolving problems.

A clerk writes only its own unit's rows (``analytics.access.permissions``); a milestone date after
today is refused.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.access.permissions import require
from analytics.access.users import User
from analytics.core.schema import TABLES_BY_NAME
from analytics.data.write_lock import write_transaction
from analytics.entry.rows import (
    UNCHANGED,
    EntryError,
    WriteResult,
    audit_key,
    insert_row,
    next_id,
    update_row,
)


def refuse_future(table: str, column: str, value: Any, today: dt.date | None = None) -> None:
    """A milestone date (入统, 开工, 投产, 到位) after today has not happened yet: refused, in Chinese."""
    if value is UNCHANGED or value is None or value == "":
        return
    try:
        day = pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return  # not a date at all: the validator names it
    today = today or dt.date.today()
    if day > today:
        what = TABLES_BY_NAME[table].column(column).zh
        raise EntryError(
            f"{what}({day:%Y-%m-%d})晚于今天({today:%Y-%m-%d}):尚未发生的事不能填为已完成。", column
        )


def update_project_stages(
    con: duckdb.DuckDBPyConnection,
    user: User,
    project_id: str,
    expected_version: int | None,
    *,
    in_stats_date: Any = UNCHANGED,
    commenced_date: Any = UNCHANGED,
    production_date: Any = UNCHANGED,
    written_off_date: Any = UNCHANGED,
    source: str = "表单:更新项目进度",
    today: dt.date | None = None,
) -> WriteResult:
    """Set a project's stage dates (blank = not happened yet); write-off is the office's.

    入统, 开工 and 投产 dates after ``today`` (default: the system date) are refused."""
    require(user, "enter_data")
    changes = {
        "in_stats_date": in_stats_date,
        "commenced_date": commenced_date,
        "production_date": production_date,
        "written_off_date": written_off_date,
    }
    for column in ("in_stats_date", "commenced_date", "production_date"):
        refuse_future("projects", column, changes[column], today)
    with write_transaction(con) as cur:
        return update_row(
            cur, user, "projects", {"project_id": project_id}, changes, expected_version, source=source
        )


def record_fund_arrival(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    project_id: Any,
    date: Any,
    amount_wan: Any,
    fixed_asset_wan: Any,
    fdi_usd_wan: Any = 0,
    fx_usd_wan: Any = 0,
    source: str = "表单:登记资金到位",
    today: dt.date | None = None,
) -> WriteResult:
    """Record one fund arrival of a project (arrivals are added, never edited in place); an arrival
    dated after ``today`` (default: the system date) is refused."""
    require(user, "enter_data")
    refuse_future("fund_arrivals", "date", date, today)
    row = {
        "project_id": project_id,
        "date": date,
        "amount_wan": amount_wan,
        "fixed_asset_wan": fixed_asset_wan,
        "fdi_usd_wan": fdi_usd_wan,
        "fx_usd_wan": fx_usd_wan,
    }
    with write_transaction(con) as cur:
        after = insert_row(cur, user, "fund_arrivals", row, source=source, action="insert")
    return WriteResult("fund_arrivals", audit_key("fund_arrivals", after), "insert", None, "资金到位已登记。")


def raise_problem(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    project_id: Any,
    description: Any,
    responsible_unit_id: Any,
    due_date: Any,
    raised_on: date | None = None,
    source: str = "表单:提出问题",
) -> WriteResult:
    """Raise a problem on a project (the server dates it today unless ``raised_on`` is given)."""
    require(user, "enter_data")
    day = raised_on or date.today()
    with write_transaction(con) as cur:
        problem_id = next_id(cur, "problems", "problem_id", f"Q{day:%Y%m%d}-")
        row = {
            "problem_id": problem_id,
            "project_id": project_id,
            "raised_on": day,
            "description": description,
            "responsible_unit_id": responsible_unit_id,
            "due_date": due_date,
            "resolved_on": None,
        }
        insert_row(cur, user, "problems", row, source=source, action="insert")
    return WriteResult("problems", problem_id, "insert", 1, f"问题已登记(编码 {problem_id})。")


def resolve_problem(
    con: duckdb.DuckDBPyConnection,
    user: User,
    problem_id: str,
    expected_version: int | None,
    resolved_on: Any,
    *,
    source: str = "表单:问题办结",
) -> WriteResult:
    """Mark a problem resolved on ``resolved_on`` (blank reopens it)."""
    require(user, "enter_data")
    with write_transaction(con) as cur:
        return update_row(
            cur,
            user,
            "problems",
            {"problem_id": problem_id},
            {"resolved_on": resolved_on},
            expected_version,
            source=source,
            action="resolve",
        )
