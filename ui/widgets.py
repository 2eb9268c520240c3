"""Widgets every page shares: the 口径 popover, rows-behind expander, Excel download, cards, empty states."""

from __future__ import annotations

import io
from collections.abc import Callable
from html import escape

import pandas as pd
import streamlit as st

from analytics.core.format import status_colour, status_label
from analytics.core.labels import LIGHT_COLOURS, STATUS_COLOURS
from analytics.core.schema import TABLES_BY_NAME
from analytics.screens.readable import tidy_cells
from ui.charts import NAVY
from ui.safe_text import md

# The palette's accents by name (the colours of the status and light labels, and the charts' navy):
# a card's key names its accent, and the page CSS colours it.
ACCENTS: dict[str, str] = {
    "navy": NAVY,
    "green": STATUS_COLOURS["on_track"],
    "amber": STATUS_COLOURS["behind"],
    "ochre": LIGHT_COLOURS["yellow"],
    "red": STATUS_COLOURS["far_behind"],
    "grey": STATUS_COLOURS["no_target"],
}
# The Markdown badge colour of each accent (Streamlit's named colours).
_BADGE_COLOURS = {
    "navy": "blue",
    "green": "green",
    "amber": "orange",
    "ochre": "orange",
    "red": "red",
    "grey": "gray",
}
_CARD_KEY = "kpi-card"

CARD_CSS = (
    """
<style>
[class*="st-key-kpi-card-"] {border-left:6px solid #1F4E79 !important; min-height:128px; gap:0 !important;
  background:#FFFFFF;}
[class*="st-key-kpi-card-"] p {margin-bottom:0;}
[class*="st-key-kpi-card-"] h3 {padding:0; font-size:1.75rem; line-height:1.25; color:#1B2430;}
[class*="st-key-kpi-card-"] h3 a, [class*="st-key-kpi-card-"] h3 span[data-testid="stHeaderActionElements"]
  {display:none;}
.badge {display:inline-block; border-radius:4px; padding:1px 8px; margin-right:4px;
  font-size:0.85rem; font-weight:600; color:#FFFFFF;}
"""
    + "".join(
        f'[class*="st-key-kpi-card-{name}-"] {{border-left-color:{hex_colour} !important;}}\n'
        for name, hex_colour in ACCENTS.items()
    )
    + "</style>"
)


def inject_css() -> None:
    st.html(CARD_CSS)


def accent_name(colour: str) -> str:
    """The palette name of a hex accent (navy for a colour outside the palette)."""
    return next((name for name, hex_colour in ACCENTS.items() if hex_colour == colour), "navy")


def reset_card_keys() -> None:
    """Number the figure cards from 0 again: called once per run, so a card keeps its key."""
    st.session_state["_card_seq"] = 0


def figure_card(
    title: str, value: str, lines: list[str], verdict: str | None = None, colour: str = NAVY
) -> None:
    """A figure card: title, big value, small lines and the verdict as a badge in colour AND words.

    Drawn with the page's first code (a bordered container holding Markdown): ``st.html`` needs
    code a new browser fetches only when the first such element arrives, which held the cards at
    the top of a page back. The accent bar and sizes come from the page CSS (``CARD_CSS``), keyed by
    the container's key. Every text is escaped as Markdown."""
    accent = accent_name(colour)
    seq = st.session_state.get("_card_seq", 0)
    st.session_state["_card_seq"] = seq + 1
    body = [f":gray[{md(title)}]", f"### {md(value)}", *(f":small[{md(line)}]" for line in lines)]
    if verdict:
        body.append(f":{_BADGE_COLOURS[accent]}-badge[{md(verdict)}]")
    with st.container(border=True, key=f"{_CARD_KEY}-{accent}-{seq}"):
        st.markdown("\n\n".join(body))


def kpi_card(title: str, value: str, lines: list[str], status: str | None = None) -> None:
    """A figure card judged against the schedule: the status as colour and words (none: navy)."""
    if status:
        figure_card(title, value, lines, status_label(status), status_colour(status))
    else:
        figure_card(title, value, lines)


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
