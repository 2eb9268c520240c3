"""公文 typography for the generated Word documents: Chinese punctuation inside Chinese text, dates
written 2026年11月30日 / 11月30日, and no space between a number and the Chinese around it.

``gongwen(text)`` rewrites one text; ``apply(document)`` rewrites every run of a python-docx
document (body paragraphs and table cells) just before it is saved (``docx_style.to_bytes``).
Numbers keep their ASCII separators (``1,400``, ``10:05``); Latin names keep their own spacing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from docx.document import Document as DocumentObject
from docx.text.paragraph import Paragraph

CJK = r"\u3400-\u9fff"
# Full-width marks count as Chinese context too (「项目：（」).
ZH = rf"[{CJK}\u3000-\u303f\uff00-\uffef]"
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}

_ISO_DAY = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
_MONTH_DAY = re.compile(r"(?<![\d-])(\d{2})-(\d{2})(?![\d-])")
_PARENS = re.compile(r"\(([^()]*)\)")
# A mark beside Chinese, or before a date already written 11月30日 (a thousands separator is
# followed by three digits, never by 1–2 digits and 月).
_MARK = re.compile(rf"(?<={ZH}) *([,;:!?]) *|(?<=[\d%A-Za-z]) *([,;:!?]) *(?={ZH}|\d{{1,2}}月)")
_SPACE_BEFORE_ZH = re.compile(rf"(?<=[\d%])[ \u00a0]+(?={ZH})")
_SPACE_AFTER_ZH = re.compile(
    rf"(?<={ZH})[ \u00a0]+(?=\d)(?!\d{{1,2}}:\d{{2}})"
)  # 「日 10:05」 keeps its space
_SPACE_BETWEEN_ZH = re.compile(rf"(?<=[{CJK}])[ \u00a0]+(?=[{CJK}])")


def _day(match: re.Match[str]) -> str:
    year, month, day = match.groups()
    return f"{int(year)}年{int(month)}月{int(day)}日"


def _month_day(match: re.Match[str]) -> str:
    month, day = (int(g) for g in match.groups())
    if 1 <= month <= 12 and 1 <= day <= 31:
        return f"{month}月{day}日"
    return match.group(0)


def _parens(match: re.Match[str]) -> str:
    inner = match.group(1)
    text = match.string
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if re.search(ZH, inner + before + after):
        return f"（{inner}）"
    return match.group(0)


def _mark(match: re.Match[str]) -> str:
    return FULL_WIDTH[match.group(1) or match.group(2)]


def gongwen(text: str) -> str:
    """``text`` in 公文 typography (see the module)."""
    if not text or not re.search(f"[{CJK}]", text):
        return text
    text = _ISO_DAY.sub(_day, text)
    text = _MONTH_DAY.sub(_month_day, text)
    text = _SPACE_BEFORE_ZH.sub("", text)
    text = _SPACE_AFTER_ZH.sub("", text)
    text = _SPACE_BETWEEN_ZH.sub("", text)
    text = _PARENS.sub(_parens, text)
    return _MARK.sub(_mark, text)


def _paragraphs(document: DocumentObject) -> Iterator[Paragraph]:
    yield from document.paragraphs
    tables = list(document.tables)
    while tables:
        table = tables.pop()
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                tables.extend(cell.tables)


def apply(document: DocumentObject) -> None:
    """Rewrite every run of ``document`` in 公文 typography."""
    for paragraph in _paragraphs(document):
        for run in paragraph.runs:
            fixed = gongwen(run.text)
            if fixed != run.text:
                run.text = fixed
