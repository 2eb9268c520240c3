"""A clerk form's refusal shown where it belongs: each problem directly under the field it concerns,
and a short summary at the top of the form (「有 2 处需要修改」), so it is seen without scrolling.

Which field a problem concerns comes from the refusal's structure (``analytics.entry.rows.
field_problems``: the importer's column of each finding, or the column a refusal names), never from
its text. A problem about no field of the form (a stale save, a permission, a rule over the whole
row) is written out in full in the summary. Every clerk form uses this one helper::

    errors = FieldErrors()  # the summary's place: the top of the form
    amount = errors.field("intended_investment_wan", st.text_input, "意向投资(万元)", key="…")
    ...
    result = errors.save(lambda: entry.report_lead(...))  # None when refused (shown in place)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from analytics.access.permissions import PermissionDenied
from analytics.data.importer import ImportFailed
from analytics.entry.rows import EntryError, FieldProblem, field_problems
from ui.safe_text import md

log = logging.getLogger(__name__)
T = TypeVar("T")

FAILED_MESSAGE = "保存失败,数据未改动。请稍后重试;如仍失败请联系招商办。"


def summary_text(problems: list[FieldProblem], labels: dict[str, str]) -> str:
    """The summary at the top of a refused form (Markdown): how many problems, which fields (by the
    labels the form shows, ``labels``: column → label), and in full those belonging to no field."""
    placed = list(dict.fromkeys(p.column for p in problems if p.column in labels))
    general = [p for p in problems if p.column not in labels]
    if len(problems) == 1 and not placed:
        return md(general[0].message)
    text = f"**有 {len(problems)} 处需要修改**,未保存。"
    if placed:
        text += "请按各栏下方的红字修改:" + "、".join(md(labels[c]) for c in placed) + "。"
    return text + "".join(f"\n- {md(p.message)}" for p in general)


class FieldErrors:
    """The places of one form's problems: the summary where it is created, one under each field."""

    def __init__(self) -> None:
        self._summary = st.empty()
        self._labels: dict[str, str] = {}
        self._slots: dict[str, DeltaGenerator] = {}

    def field(self, column: str, widget: Callable[..., T], label: str, /, **kwargs: Any) -> T:
        """Draw ``widget(label, **kwargs)`` (e.g. ``st.text_input`` or ``cols[0].date_input``) and,
        directly under it in the same container, the place for the problems of ``column``."""
        value = widget(label, **kwargs)
        container = getattr(widget, "__self__", None)
        self._slots[column] = container.empty() if isinstance(container, DeltaGenerator) else st.empty()
        self._labels[column] = label
        return value

    def save(self, action: Callable[[], T]) -> T | None:
        """Run a write; when it is refused, show why in place (never a traceback) and return None."""
        try:
            return action()
        except ImportFailed:
            raise  # an upload's errors have their own table
        except (EntryError, PermissionDenied) as refusal:
            self.show(field_problems(refusal))
        except Exception:
            log.exception("entry write failed")
            self._summary.error(FAILED_MESSAGE, icon=":material/error:")
        return None

    def show(self, problems: list[FieldProblem]) -> None:
        """Each problem under its field (all of a field's together), the summary at the top."""
        by_column: dict[str, list[FieldProblem]] = {}
        for problem in problems:
            if problem.column in self._slots:
                by_column.setdefault(problem.column, []).append(problem)
        for column, found in by_column.items():
            self._slots[column].markdown("  \n".join(f":red[:material/error: {md(p.text)}]" for p in found))
        icon = ":material/error:" if by_column or len(problems) > 1 else ":material/block:"
        self._summary.error(summary_text(problems, self._labels), icon=icon)
