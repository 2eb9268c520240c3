"""The layout of a Chinese government bulletin (党政机关公文格式, GB/T 9704) in python-docx.

Red masthead (发文机关标志) over a red rule, the issue line, a bold title, numbered sections 一、二、
and (一)(二), body text indented two characters, bordered tables, charts as pictures, and the
issuer and date at the end. Every run gets its East-Asian font set explicitly (``w:eastAsia``);
Word on the county's PCs has 宋体/黑体/仿宋/楷体, and elsewhere the CJK fallback (Noto CJK) draws them.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from analytics.documents import typography

RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0x00, 0x00, 0x00)
# Fonts of the official layout; the Latin face beside each is what Word pairs them with.
SONG, HEI, FANG, KAI = "宋体", "黑体", "仿宋", "楷体"
TITLE_FONT = "方正小标宋简体"
LATIN = "Times New Roman"
FALLBACK_CJK = "Noto Sans CJK SC"
# Sizes: 初号 42pt, 二号 22pt, 三号 16pt, 四号 14pt, 小四 12pt, 五号 10.5pt.
SIZE_MASTHEAD, SIZE_TITLE, SIZE_BODY, SIZE_TABLE = 36, 22, 15, 10.5

CHINESE_DIGITS = "零一二三四五六七八九十"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (section numbers go no higher than 99)."""
    if n <= 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")


def chinese_date(day: date) -> str:
    """2026-11-30 → 2026年11月30日 (Arabic numerals, as current bulletins write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def set_font(run: Run, east_asia: str, size: float, *, bold: bool = False, colour: RGBColor = BLACK) -> Run:
    """Font of one run: East-Asian face (``w:eastAsia``), Latin face, size, weight, colour."""
    run.font.name = LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    return run


def _spacing(paragraph: Paragraph, *, line: float = 28, before: float = 0, after: float = 0) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Pt(line)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)


def _normal_style(document: DocumentObject) -> None:
    """The Normal style: 仿宋 for East-Asian text, Chinese as the East-Asian language."""
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(SIZE_BODY)
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), FANG)
    language = r_pr.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        r_pr.append(language)
    language.set(qn("w:eastAsia"), "zh-CN")


# Each Chinese face and the Noto CJK face that stands in for it where it is not installed.
ALT_FONTS = {
    SONG: "Noto Serif CJK SC",
    FANG: "Noto Serif CJK SC",
    KAI: "Noto Serif CJK SC",
    TITLE_FONT: "Noto Serif CJK SC",
    HEI: FALLBACK_CJK,
}


def _font_table_alternatives(document: DocumentObject) -> None:
    """Declare ``ALT_FONTS`` in word/fontTable.xml (``w:altName``), GB2312 charset, for renderers without them."""
    for part in document.part.package.iter_parts():
        if str(part.partname) != "/word/fontTable.xml":
            continue
        ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        entries = "".join(
            f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/>'
            f'<w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'
            for name, alt in ALT_FONTS.items()
        )
        blob = part.blob.decode("utf-8")
        closing = "</w:fonts>"
        if closing in blob and f'xmlns:w="{ns}"' in blob:
            part._blob = blob.replace(closing, entries + closing).encode("utf-8")


def new_document(*, landscape: bool = False) -> DocumentObject:
    """An A4 document with the official margins (top 3.7 cm, bottom 3.5, left 2.8, right 2.6)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    _normal_style(document)
    _font_table_alternatives(document)
    return document


def _bottom_rule(paragraph: Paragraph, colour: str = "C00000", size_eighths: int = 18) -> None:
    p_pr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "6")
    bottom.set(qn("w:color"), colour)
    borders.append(bottom)
    p_pr.append(borders)


def masthead(document: DocumentObject, organ: str, issue_line: str, issuer: str, issued_on: date) -> None:
    """红头: the red organ name, the issue number, issuer left and date right, over a red rule."""
    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(head, line=48, before=6, after=6)
    set_font(head.add_run(organ), TITLE_FONT, SIZE_MASTHEAD, bold=True, colour=RED)
    issue = document.add_paragraph()
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(issue, after=6)
    set_font(issue.add_run(issue_line), FANG, SIZE_BODY)
    line = document.add_paragraph()
    _spacing(line, after=12)
    set_font(line.add_run(issuer), FANG, 14)
    line.add_run("\t")
    set_font(line.add_run(chinese_date(issued_on)), FANG, 14)
    section = document.sections[0]
    usable = section.page_width - section.left_margin - section.right_margin
    line.paragraph_format.tab_stops.add_tab_stop(usable, alignment=2)  # right-aligned tab
    _bottom_rule(line)


def title(document: DocumentObject, text: str, subtitle: str | None = None) -> None:
    """The document title, 二号 bold, centred; an optional line under it in 楷体."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _spacing(paragraph, line=34, before=12, after=6)
    set_font(paragraph.add_run(text), TITLE_FONT, SIZE_TITLE, bold=True)
    if subtitle:
        sub = document.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _spacing(sub, after=12)
        set_font(sub.add_run(subtitle), KAI, SIZE_BODY)


def salutation(document: DocumentObject, text: str) -> None:
    """主送机关, flush left, followed by a full-width colon."""
    paragraph = document.add_paragraph()
    _spacing(paragraph)
    set_font(paragraph.add_run(text), FANG, SIZE_BODY)


def heading(document: DocumentObject, number: int, text: str) -> None:
    """First-level heading 一、... in 黑体."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
    paragraph.paragraph_format.keep_with_next = True  # never the last line of a page
    _spacing(paragraph, before=6)
    set_font(paragraph.add_run(f"{chinese_number(number)}、{text}"), HEI, SIZE_BODY)


def subheading(document: DocumentObject, number: int, text: str) -> None:
    """Second-level heading (一)... in 楷体, full-width brackets as the standard writes them."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
    paragraph.paragraph_format.keep_with_next = True
    _spacing(paragraph)
    set_font(paragraph.add_run(f"（{chinese_number(number)}）{text}"), KAI, SIZE_BODY, bold=True)


def body(document: DocumentObject, text: str, *, bold_prefix: str | None = None) -> Paragraph:
    """A body paragraph in 仿宋, first line indented two characters; an optional bold lead-in."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(SIZE_BODY * 2)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _spacing(paragraph)
    if bold_prefix:
        set_font(paragraph.add_run(bold_prefix), FANG, SIZE_BODY, bold=True)
    set_font(paragraph.add_run(text), FANG, SIZE_BODY)
    return paragraph


def caption(document: DocumentObject, text: str) -> None:
    """A table or figure caption, centred, 黑体 小四, on the same page as what it names."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    _spacing(paragraph, line=20, before=6, after=3)
    set_font(paragraph.add_run(text), HEI, 12)


def _cell_text(
    cell, text: str, *, bold: bool = False, align: int = WD_ALIGN_PARAGRAPH.CENTER, colour=BLACK
) -> None:
    cell.text = ""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = align
    _spacing(paragraph, line=15)
    set_font(paragraph.add_run(text), HEI if bold else SONG, SIZE_TABLE, bold=bold, colour=colour)


def _shade(cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


USABLE_WIDTH_CM = 15.6  # A4 less the 2.8 cm and 2.6 cm margins


def _text_cm(text: str) -> float:
    """Printed width of ``text`` at the table size (10.5 pt): ~0.39 cm a CJK character, ~0.24 cm others."""
    return sum(0.39 if ord(ch) > 0x2E80 else 0.24 for ch in text)


def _fitted_widths(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[float]:
    """Column widths: each column's longest cell plus padding (at most 6 cm). When the table is too wide,
    short columns (numbers, dates: never wrapped) keep their width and the long text columns share the rest."""
    padding = 0.5
    natural = []
    for j, head in enumerate(header):
        cells = [str(r[j]) for r in rows]
        body = max([_text_cm(c) for c in cells], default=0)
        natural.append(min(max(body, _text_cm(head) / 2, 1.0) + padding, 6.0))
    total = sum(natural)
    if total <= USABLE_WIDTH_CM:
        return [w * USABLE_WIDTH_CM / total for w in natural]
    fixed = [w <= 3.0 for w in natural]
    room = USABLE_WIDTH_CM - sum(w for w, f in zip(natural, fixed, strict=True) if f)
    flexible = sum(w for w, f in zip(natural, fixed, strict=True) if not f)
    if room <= 0 or flexible == 0:
        return [w * USABLE_WIDTH_CM / total for w in natural]
    return [w if f else w * room / flexible for w, f in zip(natural, fixed, strict=True)]


def table(
    document: DocumentObject,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    widths_cm: Sequence[float] | None = None,
    left_columns: Sequence[int] = (),
    red_rows: Sequence[int] = (),
) -> Table:
    """A bordered table: shaded bold header, centred cells (``left_columns`` flush left),
    ``red_rows`` (indexes into ``rows``) printed in red, e.g. overdue problems."""
    grid = document.add_table(rows=1 + len(rows), cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for j, text in enumerate(header):
        cell = grid.rows[0].cells[j]
        _cell_text(cell, text, bold=True)
        _shade(cell, "D9E2F3")
    red = set(red_rows)
    for i, row in enumerate(rows, start=1):
        for j, text in enumerate(row):
            align = WD_ALIGN_PARAGRAPH.LEFT if j in left_columns else WD_ALIGN_PARAGRAPH.CENTER
            _cell_text(grid.rows[i].cells[j], str(text), align=align, colour=RED if (i - 1) in red else BLACK)
    for row in grid.rows:  # a row never breaks across pages
        no_split = OxmlElement("w:cantSplit")
        no_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(no_split)
    # Repeat the header row on every page.
    tr_pr = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    widths = list(widths_cm) if widths_cm else _fitted_widths(header, rows)
    grid.autofit = False
    layout = OxmlElement("w:tblLayout")  # the widths below are kept, not re-fitted by the renderer
    layout.set(qn("w:type"), "fixed")
    grid._tbl.tblPr.append(layout)
    for column, width in zip(grid.columns, widths, strict=False):
        column.width = Cm(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = Cm(width)
    document.add_paragraph().paragraph_format.space_after = Pt(0)
    return grid


def picture(document: DocumentObject, png: bytes, width_cm: float = 15.0) -> None:
    """A chart image, centred."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))


def signature(document: DocumentObject, issuer: str, issued_on: date) -> None:
    """落款: issuer and date, right-aligned, a blank line above."""
    document.add_paragraph()
    for text in (issuer, chinese_date(issued_on)):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(SIZE_BODY * 2)
        _spacing(paragraph)
        set_font(paragraph.add_run(text), FANG, SIZE_BODY)


def to_bytes(document: DocumentObject) -> bytes:
    """The document saved, in 公文 typography (``typography.apply``)."""
    typography.apply(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
