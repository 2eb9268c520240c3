"""Who may read and change what: pure functions of the user and the row, no database, no Streamlit.

- ``leader`` reads everything; changes nothing.
- ``office`` (招商办) reads and changes everything: confirms leads, edits targets and settings,
  imports, reads the audit log, takes backups, manages accounts.
- ``clerk`` of one unit reads the county views and, on the data-entry page, only its own unit's
  rows; writes only its own unit's leads, projects, fund arrivals and problems, never a lead's
  confirmation status, a target or a setting.
- ``viewer`` (the projector PC) reads the county views; changes nothing.
- Saving and deleting what-if scenarios: ``office`` and ``leader`` (``check_scenario_write``).
- ``verifier`` of one unit (e.g. the statistics bureau) reads the county views and verifies (核验)
  the milestone kinds the office assigned to its unit (``check_verify``); the office verifies the
  kinds assigned to ``office``. Evidence is attached by the milestone's unit, its verifier and the
  office (``check_attach_evidence``).

Ownership (``row_owner``): a lead is its reporting unit's, a project its introducing unit's, a fund
arrival and a problem the unit's that introduced their project. Callers add that project's unit to
such a row as ``project_unit_id``, looked up for each version of the row from the project *that
version* names (``analytics.entry`` does); a lead's ``project_unit_id`` is the unit of the project
it is linked to.

A clerk's write is checked on both versions (``check_write``): the stored row must be its unit's
and so must the row as it would be stored, so a clerk can neither take over another unit's record
nor hand its own to another unit. On top of that a clerk raises problems only on its own unit's
projects, links its leads only to its own unit's projects, and, for a problem of another unit's
project it is responsible for, only sets the resolution date.

Reading on the data-entry page (``entry_unit``, ``scope_rows_for``): a clerk sees its own unit's
rows (``row_units``: for a problem also those it is responsible for); the office sees the rows of
the unit it picks; the other roles do not use that page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from analytics.access.users import User
from analytics.core.labels import VERIFICATION_KIND_LABELS
from analytics.core.milestones import VERIFIER_OFFICE, verifier_of
from analytics.core.schema import TABLES_BY_NAME

ALL_ROLES = frozenset({"leader", "office", "clerk", "viewer", "verifier"})

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
    "save_scenarios": frozenset({"office", "leader"}),
    "verify": frozenset({"office", "verifier"}),
    # Issue 13: the year-end account (年度总账) and what freezes it.
    "view_account": frozenset({"office", "leader"}),
    "take_snapshot": frozenset({"office"}),
    "sign_account": frozenset({"office"}),
    "record_payment": frozenset({"office"}),
}

# Pages (by url_path) that not every role may open; every other page is a county view.
PAGE_ACTIONS: dict[str, str] = {
    "entry": "enter_data",
    "office": "import",
    "verify": "verify",
    "account": "view_account",
}

# Tables a clerk may write (their own unit's rows of).
CLERK_TABLES = frozenset({"leads", "projects", "fund_arrivals", "problems", "milestones"})

# A clerk may not set these columns: the office decides them.
OFFICE_ONLY_COLUMNS: dict[str, frozenset[str]] = {
    "leads": frozenset({"status"}),
    "projects": frozenset({"written_off_date"}),
}


class PermissionDenied(PermissionError):
    """Not allowed for this user; the message is Chinese, for the screen. ``column`` names the
    column that decides the refusal, when there is one (an upload reports the error there)."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(message)
        self.column = column


def can(user: User, action: str) -> bool:
    """May ``user`` perform ``action`` (a key of ``ACTIONS``) at all?"""
    return user.role in ACTIONS.get(action, frozenset())


def can_open_page(user: User, url_path: str) -> bool:
    action = PAGE_ACTIONS.get(url_path)
    return action is None or can(user, action)


def row_units(table: str, row: Mapping[str, Any]) -> set[str]:
    """The units that see a row on the data-entry page (empty: it is the county's, the office's).

    Its owner (``row_owner``), and for a problem also the unit responsible for solving it.
    """
    units = {row_owner(table, row)}
    if table == "problems":
        units.add(row.get("responsible_unit_id"))
    return {u for u in units if isinstance(u, str) and u}


# The column that names a row's owner (for fund arrivals, problems and milestones: the project's unit,
# which the caller adds as ``project_unit_id``; the row itself names the project in ``project_id``).
OWNER_COLUMNS: dict[str, str] = {
    "leads": "reporter_unit_id",
    "projects": "introducing_unit_id",
    "fund_arrivals": "project_unit_id",
    "problems": "project_unit_id",
    "milestones": "project_unit_id",
}

# The column of the row a refusal points at (what the clerk typed to change hands).
_OWNER_INPUT_COLUMNS = {
    **OWNER_COLUMNS,
    "fund_arrivals": "project_id",
    "problems": "project_id",
    "milestones": "project_id",
}


def row_owner(table: str, row: Mapping[str, Any]) -> str | None:
    """The unit a row belongs to, or ``None`` (a county row, or a project that does not exist)."""
    owner = row.get(OWNER_COLUMNS[table]) if table in OWNER_COLUMNS else None
    return owner if isinstance(owner, str) and owner else None


def entry_unit(user: User, chosen: str | None = None) -> str:
    """The unit whose rows the data-entry page shows and writes for.

    A clerk's own unit, whatever was ``chosen``; the office's ``chosen`` unit (it enters on behalf of
    any unit). Leader and viewer may not enter data.
    """
    require(user, "enter_data")
    if user.role == "clerk":
        if not user.unit_id:
            raise PermissionDenied("无权填报:本账号没有绑定单位,请联系招商办。")
        return str(user.unit_id)
    if not chosen:
        raise PermissionDenied("请选择代填单位。")
    return chosen


def can_write(
    user: User, table: str, row: Mapping[str, Any], before: Mapping[str, Any] | None = None
) -> bool:
    """May ``user`` change ``before`` (``None``: a new row) into ``row``? See ``check_write``."""
    try:
        check_write(user, table, row, before)
    except PermissionDenied:
        return False
    return True


def check_write(
    user: User, table: str, row: Mapping[str, Any], before: Mapping[str, Any] | None = None
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may change ``before`` into ``row``.

    ``before`` is the row as stored (``None`` for a new row), ``row`` as it would be stored; for
    fund arrivals, problems and leads each carries ``project_unit_id`` looked up from the project it
    names itself. The office may write anything; a clerk only:

    - rows whose stored version is its unit's (no taking over another unit's record), and whose new
      version is its unit's too (no handing its own record to another unit);
    - problems raised on its own unit's projects; of another unit's problem it is responsible for,
      only the resolution date;
    - leads linked (when the link is set or changed) to its own unit's projects;
    - never an office-only column (a lead's status, a project's write-off).
    """
    if user.role == "office":
        return
    if user.role != "clerk" or table not in CLERK_TABLES or not user.unit_id:
        if user.role == "clerk":
            raise PermissionDenied(f"无权修改:单位填报员不能修改{_table_zh(table)}。")
        raise PermissionDenied(f"无权修改:{user.role_label}账号只能查看,不能修改数据。")
    unit = user.unit_id
    column = _OWNER_INPUT_COLUMNS[table]
    if before is not None and row_owner(table, before) != unit:
        if not _resolving_as_responsible(unit, table, row, before):
            raise PermissionDenied(_not_ours(table, before, unit), column)
    elif row_owner(table, row) != unit:
        if before is None and table == "problems":
            raise PermissionDenied(
                f"无权提出问题:项目 {row.get('project_id')} {_owned_by(row_owner(table, row))},"
                f"只能对本单位引进的项目提出问题。",
                column,
            )
        if before is None:
            raise PermissionDenied(_not_ours(table, row, unit), column)
        raise PermissionDenied(
            f"无权修改:不能把本单位的{_table_zh(table)}记录 {_key(table, row)} 改为"
            f"{_owned_by(row_owner(table, row))}(本单位 {unit})。",
            column,
        )
    if (
        table == "leads"
        and row.get("project_id")
        and (before is None or _differs(before.get("project_id"), row.get("project_id")))
    ):
        if row.get("project_unit_id") != unit:
            raise PermissionDenied(
                f"无权关联:项目 {row.get('project_id')} {_owned_by(row.get('project_unit_id'))},"
                f"只能关联本单位引进的项目(本单位 {unit})。",
                "project_id",
            )
    for column in OFFICE_ONLY_COLUMNS.get(table, ()):
        old = before.get(column) if before is not None else None
        new = row.get(column)
        if before is None and table == "leads" and column == "status":
            if new not in (None, "pending"):
                raise PermissionDenied("新报送的信息只能是“待认定”,由招商办认定有效或无效。", column)
        elif before is not None and _differs(old, new):
            raise PermissionDenied(f"无权修改“{column}”:该项由招商办确定。", column)
        elif before is None and column != "status" and new is not None:
            raise PermissionDenied(f"无权填写“{column}”:该项由招商办确定。", column)


def _resolving_as_responsible(
    unit: str, table: str, row: Mapping[str, Any], before: Mapping[str, Any]
) -> bool:
    """Is this a change of only the resolution date of a problem ``unit`` is responsible for?"""
    if table != "problems" or before.get("responsible_unit_id") != unit:
        return False
    others = [c for c in TABLES_BY_NAME[table].column_names if c != "resolved_on"]
    if any(_differs(before.get(c), row.get(c)) for c in others):
        raise PermissionDenied(
            f"无权修改:问题 {_key(table, before)} {_owned_by(row_owner(table, before))},"
            f"本单位({unit})作为责任单位只能填写办结日期。",
            next(c for c in others if _differs(before.get(c), row.get(c))),
        )
    return True


def _table_zh(table: str) -> str:
    return TABLES_BY_NAME[table].zh if table in TABLES_BY_NAME else table


def _key(table: str, row: Mapping[str, Any]) -> str:
    key = TABLES_BY_NAME[table].key if table in TABLES_BY_NAME else ()
    return "|".join(str(row.get(c)) for c in (key or ("project_id", "date")))


def _owned_by(owner: str | None) -> str:
    return f"属于 {owner}" if owner else "不属于任何单位"


def _not_ours(table: str, row: Mapping[str, Any], unit: str) -> str:
    owner = _owned_by(row_owner(table, row))
    if table == "fund_arrivals":
        what = f"项目 {row.get('project_id')} 的资金到位记录{owner}"
    elif table == "problems":
        what = f"{_table_zh(table)}记录 {_key(table, row)} 所在的项目 {row.get('project_id')} {owner}"
    else:
        what = f"{_table_zh(table)}记录 {_key(table, row)} {owner}"
    return f"无权修改:{what},不属于本单位({unit})。"


def _differs(old: Any, new: Any) -> bool:
    if (old is None or old is pd.NaT) and (new is None or new is pd.NaT):
        return False
    return old != new


def require(user: User, action: str) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may perform ``action``."""
    if not can(user, action):
        raise PermissionDenied(f"无权操作:{user.role_label}账号不能{ACTION_LABELS.get(action, action)}。")


def check_scenario_write(user: User, saved_by: str | None) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may save a what-if scenario over one saved by
    ``saved_by`` (``None``: a new name), or delete it.

    The office and the county leader save scenarios (what-if is their planning tool); the office may
    overwrite or delete any scenario, a leader only one it saved itself (the last saver owns a
    scenario); clerks and the projector account neither save nor delete.
    """
    require(user, "save_scenarios")
    if user.role != "office" and saved_by is not None and saved_by != user.username:
        raise PermissionDenied(
            f"无权操作:该方案由 {saved_by} 保存,{user.role_label}账号只能覆盖或删除自己保存的方案"
            "(请换一个名称另存,或请招商办处理)。"
        )


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
    "save_scenarios": "保存或删除推演方案",
    "verify": "核验",
    "view_account": "查看年度总账",
    "take_snapshot": "保存快照",
    "sign_account": "签署年度总账",
    "record_payment": "登记奖励发放",
}


def scope_rows_for(user: User, table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``frame`` the user may see on the data-entry page: ``can_read_row`` row by row.

    A clerk its own unit's rows (``row_units``), the office all of them, leader and viewer none.
    For ``fund_arrivals`` and ``problems`` the frame must carry ``project_unit_id``.
    """
    if user.role != "clerk":
        return frame if can(user, "enter_data") else frame.iloc[0:0]
    if frame.empty or table not in OWNER_COLUMNS or not user.unit_id:
        return frame.iloc[0:0]
    mask = frame[OWNER_COLUMNS[table]] == user.unit_id
    if table == "problems":
        mask = mask | (frame["responsible_unit_id"] == user.unit_id)
    return frame[mask.fillna(False).astype(bool)]


def can_verify(user: User, kind: str, settings: Mapping[str, Any]) -> bool:
    """May ``user`` confirm or send back a milestone of ``kind``? See ``check_verify``."""
    try:
        check_verify(user, kind, settings)
    except PermissionDenied:
        return False
    return True


def check_verify(user: User, kind: str, settings: Mapping[str, Any]) -> None:
    """Raise ``PermissionDenied`` unless ``user`` verifies milestones of ``kind``.

    The office's ``verifier_units`` setting names, per kind, the unit that verifies it (入统: the
    statistics bureau) or ``office``. A verifier verifies only its own unit's kinds, the office only
    the kinds assigned to ``office``; nobody else verifies.
    """
    require(user, "verify")
    verifier = verifier_of(kind, settings)
    what = VERIFICATION_KIND_LABELS.get(kind, kind)
    if user.role == "office":
        if verifier != VERIFIER_OFFICE:
            whom = f"单位 {verifier}" if verifier else "(尚未指定核验单位,请在参数设置中指定)"
            raise PermissionDenied(f"无权核验{what}:{what}由{whom}核验,不由招商办核验。")
        return
    if not user.unit_id or verifier != user.unit_id:
        raise PermissionDenied(f"无权核验{what}:本账号属于 {user.unit_id},{what}不由本单位核验。")


def check_attach_evidence(
    user: User, kind: str, project_unit_id: str | None, settings: Mapping[str, Any]
) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may attach evidence to a milestone of ``kind`` of
    a project of ``project_unit_id``: the office, that unit's clerk, or the kind's verifier."""
    if user.role == "office":
        return
    if user.role == "clerk" and user.unit_id and user.unit_id == project_unit_id:
        return
    if user.role == "verifier" and can_verify(user, kind, settings):
        return
    raise PermissionDenied(
        f"无权上传核验材料:{user.role_label}账号只能为本单位的项目或本单位核验的事项上传材料。"
    )
