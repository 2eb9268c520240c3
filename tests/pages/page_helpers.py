"""Reading what a page shows in an AppTest, for the page tests."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def page_text(at: AppTest) -> str:
    """All text a page shows through markdown, html, captions, titles and metrics, joined."""
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
    parts.extend(str(element.proto.body) for element in at.get("html"))
    parts.extend(f"{m.label} {m.value}" for m in at.metric)
    return "\n".join(parts)
