"""Who may read and change what: pure functions of the user and the row, no database, no Streamlit.

- ``leader`` reads everything; changes nothing.
- ``office`` (招商办) reads and changes everything: confirms leads, edits targets and settings,
  imports, reads the audit log, takes backups, manages accounts.
- ``clerk`` of one unit reads the county views and, on the data-entry page, only its own unit's
  rows; writes only its own unit's leads, projects, fund arrivals and problems, never a lead's
  confirmation status, a target or a setting.
- ``viewer`` (the projector PC) reads the county views; changes nothing.

A row belongs to units as ``row_units`` says. Fund arrivals and problems belong to the unit that
introduced their project, so callers add the project's ``introducing_unit_id`` to such a row as
``project_unit_id`` (``analytics.entry`` does).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analytics.users import User

ALL_ROLES = frozenset({"leader", "office", "clerk", "viewer"})

# action -> roles allowed
ACTIONS: dict[str, frozenset[str]] = {
    "read_county": ALL_ROLES,
    "enter_data": frozenset({"office", "clerk"}),
    "bulk_upload": frozenset({"office", "clerk"}),
    "confirm_leads": frozenset({"office"}),
    "edit_targets": frozenset({"office"}),
    "edit_settings": frozenset({"office"}),
    "import": frozenset({"office"}),
    "view_audit": frozenset({"office"}),
    "backup": frozenset({"office"}),
    "manage_users": frozenset({"office"}),
    "write_off": frozenset({"office"}),
}

# Pages (by url_path) that not every role may open; every other page is a county view.
PAGE_ACTIONS: dict[str, str] = {"entry": "enter_data", "office": "import"}

# Tables a clerk may write (their own unit's rows of).
CLERK_TABLES = frozenset({"leads", "projects", "fund_arrivals", "problems"})

# A clerk may not set these columns: the office decides them.
OFFICE_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "leads": frozenset({"status"}),
    "projects": frozenset({"written_off_date"}),
}


class PermissionDenied(PermissionError):
    """Not allowed for this user; the message is Chinese, for the screen."""


def can(user: User, action: str) -> bool:
    """May ``user`` perform ``action`` (a key of ``ACTIONS``) at all?"""
    return user.role in ACTIONS.get(action, frozenset())


def can_open_page(user: User, url_path: str) -> bool:
    action = PAGE_ACTIONS.get(url_path)
    return action is None or can(user, action)


def row_units(table: str, row: Mapping[str, Any]) -> set[str]:
    """The units a row belongs to (empty: it belongs to the county, i.e. to the office)."""
    if table == "leads":
        units = {row.get("reporter_unit_id")}
    elif table == "projects":
        units = {row.get("introducing_unit_id")}
    elif table == "fund_arrivals":
        units = {row.get("project_unit_id")}
    elif table == "problems":
        units = {row.get("project_unit_id"), row.get("responsible_unit_id")}
    else:
        units = set()
    return {u for u in units if isinstance(u, str) and u}


def can_read_row(user: User, table: str, row: Mapping[str, Any]) -> bool:
    """Row-level reading on the data-entry page: a clerk sees only its own unit's rows."""
    if user.role != "clerk":
        return user.role in ALL_ROLES
    return user.unit_id in row_units(table, row)


def can_write(user: User, table: str, row: Mapping[str, Any]) -> bool:
    """May ``user`` write ``row`` (the row as it would be stored) into ``table``?"""
    if user.role == "office":
        return True
    if user.role != "clerk" or table not in CLERK_TABLES or not user.unit_id:
        return False
    if table == "problems":
        # A clerk raises problems on its own projects; it resolves those it is responsible for too.
        return user.unit_id in row_units(table, row)
    return row_units(table, row) == {user.unit_id}


def check_write(
    user: User, table: str, row: Mapping[str, Any], before: Mapping[str, Any] | None = None
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may change ``before`` into ``row``.

    Both the old row (``before``, if any) and the new one must be the user's, so a clerk can
    neither take over another unit's record nor hand its own to another unit; a clerk cannot
    change an office-only column.
    """
    if not can_write(user, table, row) or (before is not None and not can_write(user, table, before)):
        if user.role == "clerk":
            raise PermissionDenied(f"无权修改:该记录不属于本单位({user.unit_id})。")
        raise PermissionDenied(f"无权修改:{user.role_label}账号只能查看,不能修改数据。")
    if user.role == "clerk":
        for column in OFFICE_ONLY_COLUMNS.get(table, ()):
            old = before.get(column) if before is not None else None
            new = row.get(column)
            if before is None and table == "leads" and column == "status":
                if new not in (None, "pending"):
                    raise PermissionDenied("新报送的信息只能是“待认定”,由招商办认定有效或无效。")
            elif before is not None and _differs(old, new):
                raise PermissionDenied(f"无权修改“{column}”:该项由招商办确定。")
            elif before is None and column != "status" and new is not None:
                raise PermissionDenied(f"无权填写“{column}”:该项由招商办确定。")


def _differs(old: Any, new: Any) -> bool:
    if (old is None or old is pd.NaT) and (new is None or new is pd.NaT):
        return False
    return old != new


def require(user: User, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may perform ``action``."""
    if not can(user, action):
        raise PermissionDenied(f"无权操作:{user.role_label}账号不能{ACTION_LABELS.get(action, action)}。")


ACTION_LABELS: dict[str, str] = {
    "enter_data": "填报数据",
    "bulk_upload": "批量上传",
    "confirm_leads": "认定招商信息",
    "edit_targets": "修改目标任务",
    "edit_settings": "修改参数设置",
    "import": "导入数据",
    "view_audit": "查看操作日志",
    "backup": "下载备份",
    "manage_users": "管理账号",
    "write_off": "核销项目",
}


def scope_rows_for(user: User, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` the user may see on the data-entry page (all of them but for a clerk).

    For ``fund_arrivals`` and ``problems`` the frame must carry ``project_unit_id``.
    """
    if user.role != "clerk":
        return frame if user.role in ALL_ROLES else frame.iloc[0:0]
    if frame.empty:
        return frame
    unit = user.unit_id
    if table == "leads":
        mask = frame["reporter_unit_id"] == unit
    elif table == "projects":
        mask = frame["introducing_unit_id"] == unit
    elif table == "fund_arrivals":
        mask = frame["project_unit_id"] == unit
    elif table == "problems":
        mask = (frame["project_unit_id"] == unit) | (frame["responsible_unit_id"] == unit)
    else:
        return frame.iloc[0:0]
    return frame[mask.fillna(False).astype(bool)]
