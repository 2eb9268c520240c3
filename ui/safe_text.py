"""Text that came from data, made inert wherever it is rendered.

Names, descriptions and notes are typed by clerks or imported from workbooks, so they may hold
Markdown (``[x](http://…)``, ``![x](…)``), Streamlit directives (``:red[…]``, ``:material/…:``),
HTML (``<img src=…>``) or plotly's pseudo-HTML (``<a href=…>``). Each renderer gets its own escape:

- ``md``: for ``st.markdown``, captions, alerts, toasts, titles, metric labels and values, tab,
  expander and widget labels, help texts — every ASCII punctuation character is backslash-escaped
  (CommonMark lets any of them be escaped, so the text reads the same), and line breaks become
  spaces, so no link, image, emphasis, directive, icon, math, autolink or block can form;
- ``html_text``: for ``st.html`` and other raw HTML — ``html.escape``;
- ``plot_text`` / ``safe_figure``: for plotly labels, hover texts and legends — ``&``, ``<`` and
  ``>`` as entities (plotly shows them as characters and builds no tag from them).
"""

from __future__ import annotations

import html
import re
import string
from typing import Any

import plotly.graph_objects as go

_MARKDOWN_SPECIALS = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
WORD_JOINER = "\u2060"
# Where GFM's literal autolinks start: a scheme's ``://``, ``www.``, an address's ``@``.
_AUTOLINK_STARTS = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)

# Trace attributes that carry text plotly renders (its pseudo-HTML); templates are code, not data.
_PLOT_TEXT_KEYS = ("x", "y", "text", "hovertext", "labels", "ids", "parents", "name", "legendgroup")


def md(value: object) -> str:
    """``value`` as Markdown that renders exactly as its text: ``[a](b)`` → ``\\[a\\]\\(b\\)``.

    GFM turns bare URLs and e-mail addresses into links after the escapes are read, so a word
    joiner (U+2060, invisible) also goes into ``://``, ``www.`` and after ``@``."""
    text = _LINE_BREAKS.sub(" ", "" if value is None else str(value))
    text = _AUTOLINK_STARTS.sub(WORD_JOINER, text)
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def md_join(values: Any, separator: str = "、") -> str:
    """Names joined for Markdown, each escaped (the separator is the product's own)."""
    return separator.join(md(v) for v in values)


def html_text(value: object) -> str:
    """``value`` as HTML text (for ``st.html``): ``<img …>`` → ``&lt;img …&gt;``."""
    return html.escape("" if value is None else str(value))


def plot_text(value: object) -> object:
    """A plotly label or hover value made inert; non-text values are returned unchanged."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    return value


def _escaped(values: Any) -> Any:
    if isinstance(values, str):
        return plot_text(values)
    if isinstance(values, list | tuple):
        return [_escaped(v) for v in values]
    if hasattr(values, "tolist") and getattr(values, "dtype", None) is not None and values.dtype == object:
        return [_escaped(v) for v in values.tolist()]
    return values


def safe_figure(fig: go.Figure) -> go.Figure:
    """Escape every data text of ``fig`` (categories, texts, hover texts, treemap labels, legend
    names, category orders) for plotly; numbers, dates and templates are left alone."""
    for trace in fig.data:
        for key in _PLOT_TEXT_KEYS:
            if key in trace and trace[key] is not None:
                trace[key] = _escaped(trace[key])
    for axis in ("xaxis", "yaxis"):
        for layout_axis in fig.select_xaxes() if axis == "xaxis" else fig.select_yaxes():
            for key in ("categoryarray", "ticktext"):
                if layout_axis[key] is not None:
                    layout_axis[key] = _escaped(list(layout_axis[key]))
    return fig
