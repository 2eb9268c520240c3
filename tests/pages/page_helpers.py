"""Reading what a page shows in an AppTest, for the page tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from streamlit.testing.v1 import AppTest

_CARD = re.compile(
    r'<div class="kpi-title">(?P<title>.*?)</div><div class="kpi-value">(?P<value>.*?)</div>'
    r'(?P<subs>(?:<div class="kpi-sub">.*?</div>)*)(?:<div class="kpi-status">(?P<status>.*?)</div>)?'
)
_SUB = re.compile(r'<div class="kpi-sub">(.*?)</div>')
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Card:
    title: str
    value: str
    lines: tuple[str, ...]
    status: str | None


def html_bodies(at: AppTest) -> list[str]:
    return [str(element.proto.body) for element in at.get("html")]


def cards(at: AppTest) -> dict[str, Card]:
    """Every figure card on the page (``kpi_card`` / ``target_card``), by title."""
    found: dict[str, Card] = {}
    for body in html_bodies(at):
        for match in _CARD.finditer(body):
            lines = tuple(unescape(s) for s in _SUB.findall(match["subs"]))
            status = unescape(match["status"]) if match["status"] else None
            card = Card(unescape(match["title"]), unescape(match["value"]), lines, status)
            found[card.title] = card
    return found


def page_text(at: AppTest) -> str:
    """All text a page shows through titles, markdown, captions, alerts, html and metrics, joined."""
    parts: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
    ):
        parts.extend(str(element.value) for element in getattr(at, kind))
    parts.extend(unescape(_TAG.sub(" ", body)) for body in html_bodies(at))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)


def dataframes_with(at: AppTest, *columns: str) -> list:
    """The DataFrames shown on the page that have all of ``columns``, in page order."""
    return [frame.value for frame in at.dataframe if set(columns) <= set(frame.value.columns)]
