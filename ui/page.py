"""The frame of a dashboard page: its header line, figure tools and Chinese-headed tables.

Every dashboard page starts with ``page_header`` and shows tables through ``table``, so the seven
pages read and export alike.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from analytics.core.format import day, metric_value, percent, signed_percent
from analytics.core.labels import metric_title
from analytics.core.period import Period
from analytics.metrics.definitions import definitions
from analytics.screens import drilldown
from analytics.screens.readable import tidy_cells
from ui.charts import PLOTLY_CONFIG
from ui.frame import load
from ui.safe_text import safe_figure
from ui.widgets import excel_download, explain, figure_card, kpi_card, rows_behind

# NumberColumn printf formats (sprintf-js) for the kinds of figures on the pages.
WAN_FORMAT = "%,.2f"
COUNT_FORMAT = "%,d"
PERCENT_FORMAT = "%.1f%%"
SCORE_FORMAT = "%.2f"
# A project table's 挂包县领导 column, placed beside the project's name and wide enough for a name with
# its post (「周立恒(县委常委、常务副县长)」), so that a leader sees it at 1600 px without scrolling.
LEADER_HEADER = "挂包县领导"
LEADER_WIDTH = 212


def page_header(title: str, period: Period) -> None:
    """Title plus the one-line context every page shows: year, as-of date and 时序进度."""
    st.title(title)
    st.caption(f"计划年度 {period.year} 年 · 截至 {day(period.as_of)} · 时序进度 {percent(period.schedule)}")


# How long a browser's first view of the app waits between the top of a page and its charts.
FIRST_VIEW_PAUSE_S = 0.8


def let_top_paint() -> None:
    """Let a new browser draw the top of the page (title, figure cards) before the charts and tables
    arrive. A browser that has not yet loaded the chart and table code otherwise shows nothing until
    all of it is loaded and laid out (seconds on an office PC); given a moment, it commits what it
    has first. Call it right after the first figure cards, before their 口径 and rows-behind tools:
    every element whose code is not yet loaded (a toggle, a popover) holds back what was sent with
    it. Only on a session's first page view, and only for a real browser (a test run has no request
    headers): later views have the code loaded and are not delayed."""
    if st.session_state.get("_top_painted") or not st.context.headers:
        return
    st.session_state["_top_painted"] = True
    time.sleep(FIRST_VIEW_PAUSE_S)


def figure_tools(
    title: str, definition: str, loader: Callable[[], pd.DataFrame] | None = None, *, key: str
) -> None:
    """The 口径 popover and, when a loader is given, the rows behind the figure."""
    explain(title, definition)
    if loader is not None:
        rows_behind(title, loader, key=key)


def chart(fig: Any, *, key: str | None = None) -> None:
    """Draw a plotly figure the house way (full width, no toolbar), its data texts escaped."""
    st.plotly_chart(safe_figure(fig), width="stretch", config=PLOTLY_CONFIG, key=key)


def table(
    frame: pd.DataFrame,
    *,
    key: str,
    filename: str,
    columns: dict[str, Any] | None = None,
    height: int | None = None,
    download: pd.DataFrame | None = None,
) -> None:
    """A Chinese-headed table with its Excel download (of ``download`` when the table shows a part).

    ``frame`` already has Chinese column names; ``columns`` maps some of them to
    ``st.column_config`` entries (number formats). Rates are shown as percentages: pass them
    multiplied by 100 with ``PERCENT_FORMAT``.
    """
    st.dataframe(
        tidy_cells(frame, booleans=False),
        hide_index=True,
        width="stretch",
        column_config=columns,
        key=key,
        height=height if height is not None else "auto",
    )
    excel_download(frame if download is None else download, filename, key=f"{key}_xlsx")


def leader_column() -> dict[str, Any]:
    """The column_config of the 挂包县领导 column (``LEADER_WIDTH`` px)."""
    return {LEADER_HEADER: st.column_config.TextColumn(LEADER_HEADER, width=LEADER_WIDTH)}


def number_columns(formats: dict[str, str]) -> dict[str, Any]:
    """``number_columns({"总投资(万元)": WAN_FORMAT})`` → a column_config mapping."""
    return {name: st.column_config.NumberColumn(name, format=fmt) for name, fmt in formats.items()}


def zh_frame(frame: pd.DataFrame, columns: dict[str, str], *, percent: tuple[str, ...] = ()) -> pd.DataFrame:
    """The ``columns`` of ``frame`` (English → Chinese header), in that order; ``percent`` columns
    (fractions) become percentages ×100 for ``PERCENT_FORMAT``."""
    out = frame[list(columns)].copy()
    for column in percent:
        out[column] = out[column].astype("Float64") * 100
    return out.rename(columns=columns)


def sidebar_filter(label: str, options: list[tuple[str, str]], *, key: str) -> str | None:
    """A sidebar select over (id, name) options with 「全部」 first; returns the chosen id or None."""
    names = dict(options)
    return st.sidebar.selectbox(
        label, [None, *names], format_func=lambda value: "全部" if value is None else names[value], key=key
    )


TARGET_STATES: dict[bool | None, tuple[str, str]] = {
    True: ("● 达到目标", "#1E7B34"),
    False: ("■ 未达目标", "#B3261E"),
    None: ("○ 暂无基数", "#5D6D7E"),
}


def target_card(title: str, value: str, lines: list[str], met: bool | None) -> None:
    """A figure card judged against a fixed target (not the schedule): met / not met / no base,
    in colour and in words, in the same look as ``kpi_card``."""
    label, colour = TARGET_STATES[met]
    figure_card(title, value, lines, label, colour)


def county_card(entry: dict[str, Any]) -> None:
    """A §3 county target as a card: actual, target and completion, YoY, schedule status."""
    metric = entry["metric"]
    title = metric_title(entry["name_zh"])
    target = metric_value(metric, entry["target"]) if entry["target"] is not None else "未设"
    yoy = f"同比 {signed_percent(entry['yoy'])}" if entry["yoy"] is not None else "同比 —(上年同期为 0)"
    kpi_card(
        title,
        metric_value(metric, entry["actual"]),
        [
            f"目标 {target} · 完成 {percent(entry['completion'])}",
            f"{yoy} · 上年同期 {metric_value(metric, entry['previous'])}",
        ],
        entry["status"],
    )


def drilldown_loader(
    period: Period, settings: dict[str, Any], figure_key: str, **scope: Any
) -> Callable[[], pd.DataFrame]:
    """A loader of the rows behind ``figure_key`` (``analytics.drilldown``), Chinese headers, cached."""

    return lambda: load(drilldown.rows_for_display, period, settings, figure_key, **scope)


def figure_picker_tools(
    title: str, figures: dict[str, str], period: Period, settings: dict[str, Any], *, key: str
) -> None:
    """Section tools for many figures (label → figure key): every 口径 in one popover, and the rows
    behind the figure chosen in the expander."""
    calibers = definitions(settings)
    explain(title, "\n".join(f"- **{label}**:{calibers[k]}" for label, k in figures.items()))
    with st.expander(f"明细:{title}"):
        label = st.selectbox("指标", list(figures), key=f"{key}_figure")
        if st.toggle("显示明细", key=f"{key}_show"):
            frame = drilldown_loader(period, settings, figures[label])()
            if frame.empty:
                st.info("没有符合条件的记录。")
            else:
                st.dataframe(frame, hide_index=True, width="stretch")
                excel_download(frame, f"{label}.xlsx", key=f"{key}_xlsx")
