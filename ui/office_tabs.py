"""The tabs of the 招商办管理 page: targets, settings, workbook import, the audit log, backups and
accounts (the 认定 queue of the first tab is ``ui.lead_queue``).

Every widget key starts with ``office_``; the rows a person is editing are kept in session state
(``office_targets_snapshot_<year>``) so a save can check they are not stale. Every write goes
through ``analytics.entry`` (audited); these functions only lay out.
"""

from __future__ import annotations

import json
import logging
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from analytics.access import audit, users
from analytics.access.permissions import PermissionDenied
from analytics.access.users import User
from analytics.core.labels import METRIC_UNITS
from analytics.core.schema import (
    COUNTY_METRICS,
    MAX_UPLOAD_MB,
    TABLES_BY_NAME,
    UNIT_METRICS,
)
from analytics.data import backup
from analytics.data.importer import ImportFailed, ShrinkRefused, TableChange, upload_size_problem
from analytics.entry import queries as entry_data
from analytics.entry import writes as entry
from analytics.screens import readable
from ui.frame import cursor, load
from ui.safe_text import md
from ui.widgets import excel_download, import_errors

log = logging.getLogger(__name__)


def _refused(exc: Exception) -> None:
    """A refused write on screen: the form's problems, the rule that refused it, or a plain apology."""
    if isinstance(exc, entry.FormInvalid):
        st.error("填写有误,未保存:\n\n" + "\n".join(f"- {md(m)}" for m in exc.messages))
    elif isinstance(exc, entry.EntryError | PermissionDenied | users.UsersError):
        st.error(md(exc))
    else:
        log.exception("office write failed", exc_info=exc)
        st.error("保存失败,数据未改动。请稍后重试。")


def _snapshot(key: str, loader: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The rows this person is editing, as loaded when the editor opened (for the stale check)."""
    if key not in st.session_state:
        st.session_state[key] = loader()
    return st.session_state[key]


# --------------------------------------------------------------------------------------------
# 目标任务
# --------------------------------------------------------------------------------------------
def _metric_with_unit(metric: str, name: str) -> str:
    """「入统项目投资总额(万元)」: a money metric's name says its unit; counts are whole numbers (个)."""
    unit = {"wan": "万元", "usd": "万美元"}.get(METRIC_UNITS.get(metric, ""), "个")
    return name if unit in name else f"{name}({unit})"


def target_editor(user: User, default_year: int) -> None:
    """One year's targets in an editor (rows added, changed, deleted), saved as one batch of edits."""
    year = st.number_input("年度", value=default_year, step=1, key="office_targets_year")
    key = f"office_targets_snapshot_{year}"
    stored = _snapshot(key, lambda: load(entry_data.stored_targets, int(year)))
    # Names and Chinese metric names (with their unit) in the editor, codes only in storage.
    metric_labels = {m: _metric_with_unit(m, zh) for m, zh in {**COUNTY_METRICS, **UNIT_METRICS}.items()}
    names = readable.names(cursor())
    scope_labels = {"county": "全县", **names["units"], **names["squads"]}
    metric_codes = {v: k for k, v in metric_labels.items()}
    scope_codes = {v: k for k, v in scope_labels.items()}
    frame = pd.DataFrame({
        "对象": stored["scope"].map(lambda c: scope_labels.get(c, c)),
        "指标": stored["metric"].map(lambda c: metric_labels.get(c, c)),
        "目标值": stored["value"],
    })  # fmt: skip
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            "对象": st.column_config.SelectboxColumn(
                options=list(scope_codes), help="全县、某一单位或某一小分队"
            ),
            "指标": st.column_config.SelectboxColumn(options=list(metric_codes), help="县级或单位指标"),
            "目标值": st.column_config.NumberColumn(
                min_value=0, format="localized", help="金额按指标名称中的单位(万元或万美元)填写,个数填整数"
            ),
        },
        key=f"office_targets_editor_{year}",
    )
    if not st.button("保存目标任务", type="primary", key="office_targets_save"):
        return
    edited = edited.assign(
        对象=edited["对象"].map(lambda v: scope_codes.get(v, v)),
        指标=edited["指标"].map(lambda v: metric_codes.get(v, v)),
    )
    edits = []
    kept = set()
    for i, row in edited.iterrows():
        version = int(stored.at[i, "row_version"]) if i in stored.index else None
        if version is not None:
            kept.add(i)
            if (row["对象"], row["指标"], row["目标值"]) == tuple(
                stored.loc[i, ["scope", "metric", "value"]]
            ):
                continue
            if (row["对象"], row["指标"]) != tuple(stored.loc[i, ["scope", "metric"]]):
                # a changed key: delete the old target, add the new one
                edits.append(
                    entry.TargetEdit(int(year), stored.at[i, "scope"], stored.at[i, "metric"], None, version)
                )
                version = None
        edits.append(entry.TargetEdit(int(year), row["对象"], row["指标"], row["目标值"], version))
    for i in stored.index.difference(list(kept)):
        edits.append(
            entry.TargetEdit(
                int(year),
                stored.at[i, "scope"],
                stored.at[i, "metric"],
                None,
                int(stored.at[i, "row_version"]),
            )
        )
    try:
        results = entry.save_targets(cursor(), user, edits)
        st.success(f"已保存 {len(results)} 处修改。")
        st.session_state.pop(key, None)
    except Exception as exc:
        _refused(exc)


# --------------------------------------------------------------------------------------------
# 参数设置
# --------------------------------------------------------------------------------------------
def verified_only_switch(user: User) -> None:
    """The office's switch for 仅计已核验 (METRICS.md §0 ``count_verified_only``)."""
    key = "count_verified_only"
    item = next(i for i in load(entry_data.settings_rows) if i["key"] == key)
    version_key = f"office_setting_version_{key}"
    version = st.session_state.setdefault(version_key, item["row_version"])
    current = bool(item["stored"] if item["stored"] is not None else item["default"])
    with st.form(f"office_verified_only_{version}"):
        on = st.toggle(
            item["label"],
            value=current,
            help="打开后,入统、开工、投产和资金到位须经核验(核验页面)才计入各项数据;所有页面和文档注明“仅计已核验”。",
        )
        save_it = st.form_submit_button("保存")
    if save_it:
        try:
            result = entry.save_setting(cursor(), user, key, on, version)
            st.session_state[version_key] = result.row_version
            st.success(f"{item['label']}:{'已打开' if on else '已关闭'}。")
        except Exception as exc:
            _refused(exc)


def settings_forms(user: User) -> None:
    """One form per setting, its value as JSON; saved (or reset to the default) after validation."""
    verified_only_switch(user)
    st.caption("以 JSON 填写;留空表示使用默认值。保存前按与模拟推演相同的规则校验。")
    for item in load(entry_data.settings_rows):
        version_key = f"office_setting_version_{item['key']}"
        version = st.session_state.setdefault(version_key, item["row_version"])
        current = item["stored"] if item["stored"] is not None else item["default"]
        with st.form(f"office_setting_{item['key']}_{version}"):
            st.markdown(
                f"**{item['label']}**(`{item['key']}`)" + ("" if item["stored"] is not None else " · 默认值")
            )
            text = st.text_area(
                "值", value=json.dumps(current, ensure_ascii=False), label_visibility="collapsed"
            )
            cols = st.columns(2)
            save_it = cols[0].form_submit_button("保存")
            reset_it = cols[1].form_submit_button("恢复默认")
        if save_it or reset_it:
            try:
                value = None if reset_it else json.loads(text)
                result = entry.save_setting(cursor(), user, item["key"], value, version)
                st.session_state[version_key] = result.row_version
                st.success(f"{item['label']}:{md(result.message)}")
            except json.JSONDecodeError:
                st.error(f"{item['label']}:不是有效的 JSON。")
            except Exception as exc:
                _refused(exc)


# --------------------------------------------------------------------------------------------
# 导入数据
# --------------------------------------------------------------------------------------------
def workbook_import(user: User) -> None:
    """Upload a whole workbook; it replaces the data only if every row passes, else every error is listed.

    An import that would empty a table or take more than half of its rows away stops at a table of
    the changes (before → after) and goes ahead only with a second, explicit confirmation."""
    st.markdown(
        "上传完整的数据工作簿(.xlsx,每张表一个工作表)。导入为整体替换:有任何错误则全部不导入,并列出所有错误。"
        f"文件不超过 {MAX_UPLOAD_MB} MB。"
    )
    uploaded = st.file_uploader(
        "选择工作簿", type=["xlsx"], key="office_import_file", max_upload_size=MAX_UPLOAD_MB
    )
    pending = st.session_state.get(_PENDING_IMPORT)
    if uploaded is None or (pending is not None and pending[0] != uploaded.file_id):
        st.session_state.pop(_PENDING_IMPORT, None)
        pending = None
    if uploaded is None:
        return
    go = st.button("校验并导入", type="primary", key="office_import_go")
    confirmed = False
    if pending is not None and not go:
        _shrink_warning(pending[1])
        cols = st.columns(2)
        confirmed = cols[0].button("确认导入", type="primary", key="office_import_confirm")
        if cols[1].button("取消", key="office_import_cancel"):
            st.session_state.pop(_PENDING_IMPORT, None)
            st.rerun()
    if go or confirmed:
        _import_upload(user, uploaded, allow_shrink=confirmed)


_PENDING_IMPORT = "office_import_pending"  # (file id, changes) of an import awaiting confirmation


def _shrink_warning(changes: list[TableChange]) -> None:
    """The per-table change of an import that empties or halves a table, in Chinese."""
    st.warning("本次导入会清空下列标记的数据表,或使其减少一半以上。请核对各表行数变化,确认无误后再导入:")
    st.dataframe(
        pd.DataFrame(
            {
                "数据表": [f"{TABLES_BY_NAME[c.table].zh}({c.table})" for c in changes],
                "原有行数": [c.before for c in changes],
                "导入后行数": [c.after for c in changes],
                "变化": [c.after - c.before for c in changes],
                "需确认": [
                    "清空" if c.after == 0 and c.shrinks else ("减少过半" if c.shrinks else "")
                    for c in changes
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _import_upload(user: User, uploaded: UploadedFile, *, allow_shrink: bool) -> None:
    """Check the upload's size, then import it; a refused shrink is kept for confirmation."""
    too_big = upload_size_problem(uploaded.size)
    if too_big is not None:
        st.error(too_big)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "import.xlsx"
        path.write_bytes(uploaded.getvalue())
        try:
            summary = entry.import_workbook(
                cursor(), user, path, source=f"导入:{uploaded.name}", allow_shrink=allow_shrink
            )
        except ShrinkRefused as refused:
            st.session_state[_PENDING_IMPORT] = (uploaded.file_id, refused.changes)
            st.rerun()
        except ImportFailed as failed:
            import_errors(f"导入失败,共 {len(failed.errors)} 处错误,数据库未改动:", failed.errors)
            return
        except Exception as exc:
            _refused(exc)
            return
    st.session_state.pop(_PENDING_IMPORT, None)
    st.success("导入完成:" + ";".join(f"{t} {n} 行" for t, n in summary.row_counts.items()))


# --------------------------------------------------------------------------------------------
# 操作日志
# --------------------------------------------------------------------------------------------
def audit_log(choices: dict[str, list[str]]) -> None:
    """The audit log filtered by time span, person, table, action and text; newest first, to Excel."""
    cols = st.columns(5)
    span = cols[0].date_input(
        "时间范围",
        value=(date.today() - timedelta(days=30), date.today()),
        format="YYYY-MM-DD",
        key="office_audit_span",
    )
    actor = cols[1].selectbox("操作人", [""] + choices["actor"], format_func=lambda a: a or "全部")
    table_name = cols[2].selectbox(
        "数据表", [""] + choices["table_name"], format_func=lambda t: audit.TABLE_LABELS.get(t, t) or "全部"
    )
    action = cols[3].selectbox(
        "操作", [""] + choices["action"], format_func=lambda a: audit.ACTION_LABELS.get(a, a) or "全部"
    )
    text = cols[4].text_input("包含文字", key="office_audit_text")
    start, end = (span[0], span[-1]) if isinstance(span, tuple) and span else (None, None)
    flt = audit.AuditFilter(start, end, actor or None, table_name or None, action or None, text or None)
    entries = audit.audit_entries(cursor(), flt)
    shown = audit.audit_export_frame(entries)
    st.caption(f"共 {len(shown)} 条(最新在前)")
    st.dataframe(shown.drop(columns=["原值(JSON)", "新值(JSON)"]), hide_index=True, width="stretch")
    excel_download(shown, "操作日志.xlsx", key="office_audit_xlsx", label="导出 Excel")


# --------------------------------------------------------------------------------------------
# 备份
# --------------------------------------------------------------------------------------------
def backups() -> None:
    """A consistent snapshot of the whole database as a zip, kept for download in this session."""
    st.markdown(
        "生成整个数据库的一致快照(含操作日志和参数设置),可用 `python -m analytics restore` 恢复到新文件。"
    )
    if st.button("生成备份", key="office_backup_make", icon=":material/backup:"):
        name, data = backup.backup_zip_bytes(cursor())
        st.session_state["office_backup"] = (name, data)
    if "office_backup" in st.session_state:
        name, data = st.session_state["office_backup"]
        st.download_button(
            f"下载 {name}", data=data, file_name=name, mime="application/zip", key="office_backup_dl"
        )


# --------------------------------------------------------------------------------------------
# 账号管理
# --------------------------------------------------------------------------------------------
def accounts(user: User) -> None:
    """The accounts in the users file: list, add, reset a password, remove (each write audited).

    Nothing to manage with sign-in off or with the built-in demo accounts."""
    if users.auth_disabled():
        st.info("当前为免登录模式(DASHBOARD_AUTH=off),不使用账号。")
        return
    if users.demo_mode(cursor()):
        st.info("当前为演示模式(DASHBOARD_DEMO_USERS=1),使用内置演示账号,不能在此修改。")
        return
    path = users.users_path()
    config = users.load_config(path) or users.empty_config()
    listing = pd.DataFrame(
        [
            {
                "用户名": u.username,
                "显示名称": u.display_name,
                "角色": u.role_label,
                "单位": u.unit_id or "",
                "挂包县领导": u.leader_name or "",
            }
            for u in users.list_users(config)
        ]
    )
    st.dataframe(listing, hide_index=True, width="stretch")
    units = load(entry_data.unit_choices)
    with st.form("office_add_user", clear_on_submit=True):
        st.markdown("**添加账号**")
        cols = st.columns(2)
        name = cols[0].text_input("用户名")
        display = cols[1].text_input("显示名称")
        role = cols[0].selectbox("角色", list(users.ROLES), format_func=users.ROLES.get)
        unit = cols[1].selectbox(
            "所属单位(填报员)", [""] + list(units), format_func=lambda u: units.get(u, "—")
        )
        verifier_unit = st.text_input(
            "核验单位编码(核验员)",
            help="核验员所属单位的编码(如统计局 tjj),可不在考核单位之列;须与参数设置“核验单位”中填写的一致",
        )
        leader_name = st.text_input(
            "对应的挂包县领导(县领导账号)",
            help="与项目台账“挂包县领导”一栏的写法一致,该账号即可在「项目推进」查看「我挂包的项目」",
        )
        password = st.text_input("初始密码", type="password")
        if st.form_submit_button("添加"):
            try:
                entry.add_account(
                    cursor(),
                    user,
                    path,
                    name,
                    display,
                    password,
                    role,
                    (verifier_unit.strip() if role == "verifier" else unit) or None,
                    known_units=set(units),
                    leader_name=leader_name or None,
                )
                st.success(f"账号 {md(name)} 已添加。")
            except (users.UsersError, PermissionDenied) as exc:
                st.error(md(exc))
    with st.form("office_reset_user"):
        st.markdown("**重置密码 / 删除账号**")
        who = st.selectbox("账号", list(listing["用户名"]) if not listing.empty else [])
        password = st.text_input("新密码", type="password")
        cols = st.columns(2)
        reset_it = cols[0].form_submit_button("重置密码")
        remove_it = cols[1].form_submit_button("删除账号")
    if (reset_it or remove_it) and who:
        try:
            if reset_it:
                entry.reset_password(cursor(), user, path, who, password)
                st.success(f"{md(who)} 的密码已重置。")
            else:
                entry.remove_account(cursor(), user, path, who)
                st.success(f"账号 {md(who)} 已删除。")
        except (users.UsersError, PermissionDenied) as exc:
            st.error(md(exc))
