"""Reading what a page shows in an AppTest, for the page tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from streamlit.testing.v1 import AppTest

# A figure card's Markdown (``ui.widgets.figure_card``): the title, the value as a heading, the
# small lines and the verdict badge, separated by blank lines.
_CARD_TITLE = re.compile(r"^:gray\[(?P<title>.*)\]$")
_CARD_VALUE = re.compile(r"^### (?P<value>.*)$")
_CARD_LINE = re.compile(r"^:small\[(?P<line>.*)\]$")
_CARD_VERDICT = re.compile(r"^:[a-z]+-badge\[(?P<verdict>.*)\]$")
_MD_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"<[^>]+>")


def plain(markdown: str) -> str:
    """Markdown escaped by ``ui.safe_text.md`` as the text it shows."""
    return _MD_ESCAPE.sub(r"\1", markdown).replace("\u2060", "")


@dataclass(frozen=True)
class Card:
    title: str
    value: str
    lines: tuple[str, ...]
    status: str | None


def html_bodies(at: AppTest) -> list[str]:
    return [str(element.proto.body) for element in at.get("html")]


def cards(at: AppTest) -> dict[str, Card]:
    """Every figure card on the page (``kpi_card`` / ``target_card`` / ``figure_card``), by title."""
    found: dict[str, Card] = {}
    for element in at.markdown:
        parts = str(element.value).split("\n\n")
        title, value = _CARD_TITLE.match(parts[0]), len(parts) > 1 and _CARD_VALUE.match(parts[1])
        if not (title and value):
            continue
        lines = tuple(plain(m["line"]) for part in parts[2:] if (m := _CARD_LINE.match(part)))
        verdicts = [plain(m["verdict"]) for part in parts[2:] if (m := _CARD_VERDICT.match(part))]
        card = Card(plain(title["title"]), plain(value["value"]), lines, verdicts[0] if verdicts else None)
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
        parts.extend(plain(str(element.value)) for element in getattr(at, kind))
    parts.extend(unescape(_TAG.sub(" ", body)) for body in html_bodies(at))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)


def dataframes_with(at: AppTest, *columns: str) -> list:
    """The DataFrames shown on the page that have all of ``columns``, in page order."""
    return [frame.value for frame in at.dataframe if set(columns) <= set(frame.value.columns)]
