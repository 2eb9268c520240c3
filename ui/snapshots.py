"""The app's side of snapshots: the automatic ones are stored the first time the app runs on or after
their day (``analytics.metrics.snapshots.take_due_snapshots``), once a day per process; on screen a
snapshot is named by its as-of date and kind (``snapshot_name``), never by its internal number."""

from __future__ import annotations

import logging
from datetime import date

import duckdb
import streamlit as st

from analytics.core.format import day
from analytics.core.labels import SNAPSHOT_KIND_LABELS
from analytics.data.store import database_path
from analytics.metrics.snapshots import take_due_snapshots
from analytics.screens.account import signed_year_drifts
from ui.frame import cursor, load
from ui.safe_text import md

log = logging.getLogger(__name__)


def snapshot_name(kind: str, as_of: date) -> str:
    """A snapshot as a reader knows it: its as-of date and why it was taken
    (「2026-07-20 时间过半检查日快照」), never its internal number."""
    return f"{day(as_of)} {SNAPSHOT_KIND_LABELS.get(kind, '')}快照"


@st.cache_resource(show_spinner=False)
def _taken_today(path: str, today: str) -> list[int]:
    del path  # cache key: one check per database file, process and day
    con = cursor()
    try:
        taken = take_due_snapshots(con, date.fromisoformat(today))
    except (duckdb.Error, OSError) as exc:  # never stops the pages; the next day tries again
        log.warning("automatic snapshots not stored: %s", exc)
        return []
    finally:
        con.close()
    if taken:
        log.info("automatic snapshots stored: %s", taken)
    return taken


def ensure_automatic_snapshots(today: date | None = None) -> None:
    """Store the due mid-year and quarter-end snapshots (a no-op after the first run of the day)."""
    _taken_today(str(database_path()), (today or date.today()).isoformat())


def signed_account_warnings() -> None:
    """On the pages that edit data: a signed year's account that the edits since would change."""
    for year, signed, lines in load(signed_year_drifts):
        st.warning(
            f"{year} 年度总账已签署({md(signed)})。签署后修改了该年度的数据,数据照常保存,"
            "但签署的结果不变;若按现数据重新签署,将变化:\n\n" + "\n".join(f"- {md(line)}" for line in lines),
            icon=":material/warning:",
        )
