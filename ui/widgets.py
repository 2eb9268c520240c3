"""Widgets every page shares: the 口径 popover, rows-behind expander, Excel download, cards, empty states."""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape

import pandas as pd
import streamlit as st

from analytics.core.format import status_colour, status_label
from analytics.core.schema import TABLES_BY_NAME
from analytics.screens.readable import tidy_cells

CARD_CSS = """
<style>
.kpi-card {border:1px solid #D5DBE3; border-left:6px solid var(--accent); border-radius:6px;
  padding:10px 14px; background:#FFFFFF; min-height:128px;}
.kpi-title {font-size:0.95rem; color:#3B4656; margin-bottom:2px;}
.kpi-value {font-size:1.75rem; font-weight:700; color:#1B2430; line-height:1.25;}
.kpi-sub {font-size:0.85rem; color:#4A5668;}
.kpi-status {display:inline-block; font-size:0.85rem; font-weight:600; color:#FFFFFF;
  background:var(--accent); border-radius:4px; padding:1px 8px; margin-top:4px;}
.badge {display:inline-block; border-radius:4px; padding:1px 8px; margin-right:4px;
  font-size:0.85rem; font-weight:600; color:#FFFFFF;}
</style>
"""


def inject_css() -> None:
    st.html(CARD_CSS)


def kpi_card(title: str, value: str, lines: list[str], status: str | None = None) -> None:
    """A figure card: title, big value, small lines, and the schedule status as colour AND text."""
    accent = status_colour(status) if status else "#1F4E79"
    status_html = f'<div class="kpi-status">{escape(status_label(status))}</div>' if status else ""
    sub = "".join(f'<div class="kpi-sub">{escape(line)}</div>' for line in lines)
    st.html(
        f'<div class="kpi-card" style="--accent:{accent}"><div class="kpi-title">{escape(title)}</div>'
        f'<div class="kpi-value">{escape(value)}</div>{sub}{status_html}</div>'
    )


def badge(text: str, colour: str) -> str:
    """An inline HTML badge (used for awards); callers pass it to ``st.html``."""
    return f'<span class="badge" style="background:{colour}">{escape(text)}</span>'


def explain(title: str, definition: str) -> None:
    """A small 口径 popover beside a figure."""
    with st.popover("口径", icon=":material/help:", help=f"{title} 的统计口径"):
        st.markdown(f"**{title}**")
        st.markdown(definition)


def rows_behind(label: str, loader: Callable[[], pd.DataFrame], *, key: str) -> None:
    """An expander with the rows behind a figure, loaded only when opened, and an Excel download."""
    with st.expander(f"明细:{label}"):
        if st.toggle("显示明细", key=f"{key}_show"):
            frame = loader()
            if frame.empty:
                st.info("没有符合条件的记录。")
            else:
                frame = tidy_cells(frame)
                st.dataframe(frame, hide_index=True, width="stretch")
                excel_download(frame, f"{label}.xlsx", key=f"{key}_xlsx")


def excel_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """A workbook with one sheet per frame (dates without a time, blank for nothing, labels for codes:
    ``tidy_cells``); text that looks like a formula stays text."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            tidy_cells(frame, for_excel=True).to_excel(writer, sheet_name=sheet[:31], index=False)
            worksheet = writer.sheets[sheet[:31]]
            for row in worksheet.iter_rows(min_row=2):
                for cell in row:
                    if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@"):
                        cell.data_type = "s"
            worksheet.freeze_panes = "A2"
    return buffer.getvalue()


def excel_download(frame: pd.DataFrame, filename: str, *, key: str, label: str = "下载 Excel") -> None:
    st.download_button(
        label,
        data=lambda: excel_bytes({"数据": frame}),
        file_name=filename,
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=key,
        icon=":material/download:",
    )


def name_with_id(labels: dict[str, str]) -> Callable[[str], str]:
    """A picker's label of an id: 「name(id)」, so two projects of one name stay apart."""
    return lambda code: f"{labels[code]}({code})"


def empty_state(message: str) -> None:
    """What to do when there is nothing to show yet; never an error."""
    st.info(message, icon=":material/info:")


def import_errors(message: str, errors: list) -> None:
    """A failed import or upload: the message, then every error as a table (table, row, column, value)."""
    st.error(message)
    frame = import_error_frame(errors)
    st.dataframe(frame, hide_index=True, width="stretch")
    excel_download(frame, "导入错误清单.xlsx", key=f"import_errors_{len(errors)}", label="下载错误清单")


def import_error_frame(errors: list) -> pd.DataFrame:
    """The errors with the tables' and columns' Chinese names (the contract's aliases), never codes."""
    rows = []
    for e in errors:
        table = TABLES_BY_NAME.get(e.table)
        column = (
            table.column(e.column).zh if table is not None and e.column in table.column_names else e.column
        )
        rows.append({
            "表": table.zh if table is not None else e.table,
            "行": e.row,
            "列": column or "",
            "值": e.value,
            "应为": e.expected_zh,
        })  # fmt: skip
    return pd.DataFrame(rows, columns=["表", "行", "列", "值", "应为"])
