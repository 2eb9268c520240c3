"""The office's 认定 queue (the first tab of 招商办管理): pending leads confirmed valid or invalid.

The queue is scoped to the plan year by ``analytics.entry.queries.pending_lead_queue``: the year's
leads in an editor, older years' pending leads in a collapsed 「往年待认定」 below (and, when an
earlier plan year is chosen, the later years' in another). The office chooses 最早在前 (default:
the longest waiting first) or 最新在前. The 认定 column comes first, so it is in view at 1600 px.

The rows a person is editing are kept in session state (``office_leads_snapshot_<year>_<order>``)
so a save can check they are not stale; every write goes through ``analytics.entry.writes``
(audited). Widget keys start with ``office_leads_``.
"""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from analytics.access.permissions import PermissionDenied
from analytics.access.users import User
from analytics.core.schema import STATUS_CHOICES, TIER_CHOICES
from analytics.entry import queries as entry_data
from analytics.entry import writes as entry
from ui.frame import current_choices, cursor, load
from ui.safe_text import md
from ui.widgets import empty_state

log = logging.getLogger(__name__)

LEAD_ORDERS = {"oldest": "最早在前", "newest": "最新在前"}
# The decision first, then what it is decided on; pixel widths that add up to 1,096 px, within the
# 1,106 px a table has inside an expander in a 1600 px window beside the sidebar (1,138 px outside
# one), so nothing needs a horizontal scroll.
LEAD_COLUMNS: dict[str, int] = {
    "认定": 92,
    "报送时间": 144,
    "报送单位": 120,
    "意向企业": 212,
    "意向投资(万元)": 110,
    "等级": 56,
    "首报认定": 286,
    "信息编码": 76,
}


def _lead_editor(leads: pd.DataFrame, *, key: str) -> pd.DataFrame:
    """One part of the queue in an editor: the 认定 column first and the only one that can change."""
    view = pd.DataFrame(
        {
            "认定": "待认定",
            "报送时间": pd.to_datetime(leads["reported_at"]).dt.strftime("%Y-%m-%d %H:%M"),
            "报送单位": leads["unit_name"],
            "意向企业": leads["company"],
            "意向投资(万元)": leads["intended_investment_wan"],
            "等级": leads["tier"].map(TIER_CHOICES),
            "首报认定": leads["reason"],
            "信息编码": leads["lead_id"],
        },
        columns=list(LEAD_COLUMNS),
    )
    config: dict[str, object] = {c: st.column_config.TextColumn(c, width=w) for c, w in LEAD_COLUMNS.items()}
    config["认定"] = st.column_config.SelectboxColumn(
        "认定", options=list(STATUS_CHOICES.values()), required=True, width=LEAD_COLUMNS["认定"]
    )
    config["意向投资(万元)"] = st.column_config.NumberColumn(
        "意向投资(万元)", format="%,.2f", width=LEAD_COLUMNS["意向投资(万元)"]
    )
    return st.data_editor(
        view,
        hide_index=True,
        width="stretch",
        disabled=[c for c in view.columns if c != "认定"],
        column_config=config,
        key=key,
    )


def _save_lead_decisions(user: User, edits: list[tuple[pd.DataFrame, pd.DataFrame]]) -> None:
    """Store every row whose 认定 was changed, each checked against the version it was shown at."""
    codes = {label: code for code, label in STATUS_CHOICES.items()}
    done = 0
    for leads, edited in edits:
        for i, row in edited.iterrows():
            if row["认定"] == "待认定":
                continue
            try:
                entry.decide_lead(
                    cursor(),
                    user,
                    leads.at[i, "lead_id"],
                    codes[row["认定"]],
                    int(leads.at[i, "row_version"]),
                )
                done += 1
            except Exception as exc:
                st.markdown(f"信息 {md(leads.at[i, 'lead_id'])}:")
                _refused(exc)
    st.success(f"已保存 {done} 条认定结果。")


def _forget_lead_queue() -> None:
    """Reload the queue on the next run, in fresh editors (no choice carried onto other rows)."""
    for key in [k for k in st.session_state if str(k).startswith("office_leads_snapshot")]:
        del st.session_state[key]
    st.session_state["office_leads_round"] = st.session_state.get("office_leads_round", 0) + 1


def lead_decisions(user: User) -> None:
    """The plan year's pending leads in an editor, older years' in a collapsed one below; the office
    marks each valid or invalid and saves them together (``entry_data.pending_lead_queue`` scopes)."""
    year = current_choices().year
    bar = st.columns([5, 1], vertical_alignment="bottom")
    order = bar[0].radio(
        "排序(按报送时间)",
        list(LEAD_ORDERS),
        format_func=LEAD_ORDERS.get,
        horizontal=True,
        key="office_leads_order",
        help="默认最早在前:等得最久的信息先认定。",
    )
    if bar[1].button("刷新列表", key="office_leads_refresh", icon=":material/refresh:"):
        _forget_lead_queue()
        st.rerun()
    key = f"office_leads_snapshot_{year}_{order}"
    if key not in st.session_state:  # the rows as loaded when the editors opened (stale check)
        st.session_state[key] = load(entry_data.pending_lead_queue, year, newest_first=order == "newest")
    queue = st.session_state[key]
    if all(part.empty for part in queue.values()):
        empty_state("没有待认定的招商信息。")
        return
    suffix = f"{year}_{order}_{st.session_state.get('office_leads_round', 0)}"
    edits: list[tuple[pd.DataFrame, pd.DataFrame]] = []
    current = queue["this_year"]
    st.markdown(f"**{year} 年报送的待认定信息:{len(current)} 条**(按报送时间{LEAD_ORDERS[order]})")
    if current.empty:
        st.caption(f"{year} 年报送的信息均已认定。")
    else:
        edits.append((current, _lead_editor(current, key=f"office_leads_editor_this_year_{suffix}")))
    others = (
        ("earlier", f"往年待认定({len(queue['earlier'])} 条)"),
        ("later", f"{year + 1} 年及以后报送的待认定({len(queue['later'])} 条)"),
    )
    for part, title in others:
        if not queue[part].empty:
            with st.expander(title, icon=":material/history:"):
                edits.append(
                    (queue[part], _lead_editor(queue[part], key=f"office_leads_editor_{part}_{suffix}"))
                )
    if st.button("保存认定结果", type="primary", key="office_leads_save"):
        _save_lead_decisions(user, edits)
        _forget_lead_queue()


def _refused(exc: Exception) -> None:
    """A refused decision on screen: the rule that refused it, or a plain apology."""
    if isinstance(exc, entry.EntryError | PermissionDenied):
        st.error(md(exc))
    else:
        log.exception("lead decision failed", exc_info=exc)
        st.error("保存失败,数据未改动。请稍后重试。")
