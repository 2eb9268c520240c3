"""What an .xlsx package holds, checked before a reader allocates memory for it.

python-calamine builds each sheet as a dense grid from the first to the last cell that holds a
value, and reserves room for as many shared strings as the package declares; both are allocated
in Rust, where a failed allocation aborts the whole process instead of raising. So a 5 KB file
with one value in cell XFD1048576 (or ``uniqueCount="4000000000"``) would end the server.

``workbook_problems(path)`` reads the package with the standard library only, one XML part at a
time and never more than the limits of ``analytics.schema`` allow, and returns what breaks them
(an empty list when the workbook may be handed to calamine):

- the zip itself: unreadable, a part whose unpacked size differs from what the zip declares, or
  more unpacked bytes than ``MAX_UNPACKED_BYTES`` (a "zip bomb");
- a shared-string table declaring more than ``MAX_SHARED_STRINGS`` strings;
- a cell with a value beyond ``MAX_SHEET_COLUMNS`` columns or ``MAX_SHEET_ROWS`` data rows, in any
  part of the package, named by its sheet and cell address; a cell without an address (placed
  after the previous one, as calamine does) is followed through the sheet's rows.

Cells are found by regular expressions over the XML text (C speed: a 60 MB, 100,000-row workbook
takes well under a second); a part with address-less cells is walked with expat instead.
"""

from __future__ import annotations

import copy
import posixpath
import re
import xml.parsers.expat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from analytics.core.schema import MAX_SHARED_STRINGS, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS, MAX_UNPACKED_BYTES

_CHUNK = 4 * 1024 * 1024


@dataclass(frozen=True)
class WorkbookProblem:
    """One reason not to read a workbook: the sheet it concerns (None: the package) and why."""

    sheet: str | None
    zh: str
    en: str


def _letters_for(number: int) -> str:
    """Column number (1 = A) as Excel's letters."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _not_above(limit: str, alphabet: str) -> str:
    """A regex for the strings over ``alphabet`` (ordered digits, no zero) read as numbers of at
    most ``limit`` (the same string form): shorter strings, or as long and not above, digit by digit."""
    first, size = alphabet[0], len(limit)
    parts = [f"[{first}-{alphabet[-1]}]{{1,{size - 1}}}"] if size > 1 else []
    for i, ch in enumerate(limit):
        position = alphabet.index(ch)
        if position > 0:
            lower = f"[{alphabet[0]}-{alphabet[position - 1]}]"
            parts.append(
                re.escape(limit[:i])
                + lower
                + (f"[{first}-{alphabet[-1]}]{{{size - i - 1}}}" if i < size - 1 else "")
            )
    parts.append(re.escape(limit))
    return "(?:" + "|".join(parts) + ")"


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _rows_not_above(limit: int) -> str:
    """A regex for row numbers 1..``limit`` (leading zeros allowed, as calamine reads them)."""
    text = str(limit)
    parts = [f"[1-9][0-9]{{0,{len(text) - 2}}}"] if len(text) > 1 else []
    for i, ch in enumerate(text):
        low = 1 if i == 0 else 0
        if int(ch) > low:
            parts.append(
                text[:i]
                + f"[{low}-{int(ch) - 1}]"
                + (f"[0-9]{{{len(text) - i - 1}}}" if i < len(text) - 1 else "")
            )
    parts.append(text)
    return "0*(?:" + "|".join(parts) + ")"


_LAST_ROW = MAX_SHEET_ROWS + 1  # the header is row 1
_LAST_COLUMN = _letters_for(MAX_SHEET_COLUMNS)
_ADDRESS_OK = f"(?:{_not_above(_LAST_COLUMN, _LETTERS)}){_rows_not_above(_LAST_ROW)}"


def _above(limit: str, alphabet: str, first: str) -> str:
    """A regex for the numbers written over ``alphabet`` (``first``: the allowed leading symbols)
    that are above ``limit``: longer, or as long and larger at the first symbol that differs."""
    size = len(limit)
    parts = [f"[{first}][{alphabet}]{{{size},}}"]
    for i, ch in enumerate(limit):
        higher = alphabet[alphabet.index(ch) + 1 :]
        if higher:
            rest = f"[{alphabet}]{{{size - i - 1}}}" if i < size - 1 else ""
            parts.append(re.escape(limit[:i]) + f"[{higher}]" + rest)
    return "(?:" + "|".join(parts) + ")"


# The common shape, as Excel, openpyxl and xlsxwriter write cells: ``<c r="B7" ...>``. A part whose
# every cell tag has it is checked with one search; any other part is checked tag by tag.
_FAST_FAR = re.compile(
    (
        r'<c r="(?:'
        + _above(_LAST_COLUMN, _LETTERS, _LETTERS)
        + "|[A-Z]+0*"
        + _above(str(_LAST_ROW), "0123456789", "1-9")
        + r'|(?![A-Z]{1,3}[0-9]{1,7}"))'
    ).encode()
)
_PREFIXED_CELL = re.compile(rb"<[\w.-]+:c[\s/>]")
# A start tag's attributes, quote-aware (a ">" may stand inside an attribute value).
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*?"""
_CELL_START = r"<(?:[\w.-]+:)?c(?=[\s/>])"
# A cell whose address is outside the limits (or not an address at all).
_FAR_CELL = re.compile(
    (
        _CELL_START + _ATTRS + r"""(?<=[\s"'])r\s*=\s*(["'])\s*(?!""" + _ADDRESS_OK + r"""\s*\1)([^"']*)\1"""
    ).encode(),
    re.IGNORECASE,
)
# A cell tag with no address attribute at all.
_CELL_WITHOUT_ADDRESS = re.compile(
    (_CELL_START + r"""(?:\s+(?!r\s*=)[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*/?>""").encode()
)
_TAG_END = re.compile((_ATTRS + r"(/?)>").encode())
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c\s*>")
_VALUE_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:v|is|f)(?=[\s/>])")
_SST_TAG = re.compile((r"<(?:[\w.-]+:)?sst(?=[\s/>])" + _ATTRS + ">").encode())
_UNIQUE_COUNT = re.compile(rb"""\suniqueCount\s*=\s*["']\s*(\d+)""")


class _Refused(Exception):
    def __init__(self, problem: WorkbookProblem) -> None:
        super().__init__(problem.en)
        self.problem = problem


def _package_problem(sheet: str | None, zh: str, en: str) -> _Refused:
    return _Refused(WorkbookProblem(sheet, zh, en))


def _part_text(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str | None) -> bytes:
    """A part's unpacked bytes; refused when they are not as many as the zip declares (a forged
    size field). At most the declared size plus one byte is unpacked, and the declared sizes
    together were checked against ``MAX_UNPACKED_BYTES`` before."""
    unbounded = copy.copy(info)
    unbounded.file_size = info.file_size + 1  # one byte more shows a forged size
    try:
        with archive.open(unbounded) as handle:
            data = handle.read(info.file_size + 1)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise _package_problem(
            sheet, f"工作簿已损坏,无法读取({exc})", f"the workbook is damaged ({exc})"
        ) from None
    except RuntimeError as exc:  # an encrypted part
        raise _package_problem(
            sheet, f"工作簿已加密或损坏({exc})", f"the workbook is encrypted or damaged ({exc})"
        ) from None
    if len(data) != info.file_size:
        raise _package_problem(
            sheet,
            "工作簿已损坏:压缩包记录的大小与实际内容不符",
            "the workbook is damaged: a part's size differs from what the zip declares",
        )
    return data


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part path -> sheet name, from xl/workbook.xml and its relationships (best effort: a part
    not named here is still checked, under its own path)."""
    members = {i.filename: i for i in archive.infolist()}
    workbook = members.get("xl/workbook.xml")
    rels = members.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return {}
    ids: dict[str, str] = {}
    for match in re.finditer(
        rb"<(?:[\w.-]+:)?sheet\b" + _ATTRS.encode() + rb"/?>", _part_text(archive, workbook, None)
    ):
        tag = match.group().decode("utf-8", "replace")
        sheet = re.search(r"""\sname\s*=\s*(["'])(.*?)\1""", tag)
        rid = re.search(r"""\s[\w.-]*:?id\s*=\s*(["'])(.*?)\1""", tag)
        if sheet and rid:
            ids[rid.group(2)] = _xml_unescape(sheet.group(2))
    parts: dict[str, str] = {}
    for match in re.finditer(
        rb"<(?:[\w.-]+:)?Relationship\b" + _ATTRS.encode() + rb"/?>", _part_text(archive, rels, None)
    ):
        tag = match.group().decode("utf-8", "replace")
        rid = re.search(r"""\sId\s*=\s*(["'])(.*?)\1""", tag)
        target = re.search(r"""\sTarget\s*=\s*(["'])(.*?)\1""", tag)
        if rid and target and rid.group(2) in ids:
            path = target.group(2)
            path = (
                path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))
            )
            parts[path] = ids[rid.group(2)]
    return parts


def _xml_unescape(text: str) -> str:
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _has_value(buffer: bytes, tag_end: int, stop: int) -> bool:
    """Whether the cell whose start tag ends at ``tag_end`` holds a value (v, is or f) before its
    end tag; a cell whose end is not found within ``buffer[:stop]`` counts as holding one."""
    end = _CELL_END.search(buffer, tag_end, stop)
    if end is None:
        return True
    return _VALUE_TAG.search(buffer, tag_end, end.start()) is not None


def _far_cell(buffer: bytes, stop: int) -> str | None:
    """The address of the first cell with a value beyond the limits in ``buffer[:stop]``."""
    position = 0
    while (match := _FAR_CELL.search(buffer, position, stop)) is not None:
        end = _TAG_END.match(buffer, match.end())
        if end is None or end.group(1) != b"/":
            if _has_value(buffer, end.end() if end else match.end(), stop):
                return match.group(2).decode("utf-8", "replace").strip()[:20] or "(空地址)"
        position = match.end()
    return None


class _SequentialCells:
    """Cells placed by position (no address): rows and columns counted as calamine counts them."""

    def __init__(self) -> None:
        self.row = 0
        self.column = 0
        self.cell: tuple[int, int] = (0, 0)
        self.far: str | None = None

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if local == "row":
            number = attrs.get("r")
            self.row = _number(number) if number else self.row + 1
            self.column = 0
        elif local == "c":
            address = attrs.get("r")
            if address:
                found = re.fullmatch(r"\s*([A-Za-z]+)(\d+)\s*", address)
                self.cell = (
                    (_number(found.group(2)), _column_number(found.group(1))) if found else (10**9, 10**9)
                )
            else:
                self.cell = (self.row, self.column + 1)
            self.row, self.column = self.cell
        elif local in ("v", "is", "f") and self.far is None:
            row, column = self.cell
            if row > _LAST_ROW or column > MAX_SHEET_COLUMNS:
                self.far = f"{_letters_for(min(column, 10**6))}{row}"


def _number(text: str) -> int:
    return int(text) if text.strip().isdigit() and len(text.strip()) <= 12 else 10**9


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper()[:8]:
        number = number * 26 + ord(ch) - 64
    return number if len(letters) <= 8 else 10**9


def _refuse_doctype(*_: object) -> None:
    raise ValueError("DOCTYPE")


def _walk_sequential(data: bytes, sheet: str | None) -> str | None:
    cells = _SequentialCells()
    parser = xml.parsers.expat.ParserCreate()
    parser.StartElementHandler = cells.start
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        for start in range(0, len(data), _CHUNK):
            parser.Parse(data[start : start + _CHUNK], False)
            if cells.far is not None:
                return cells.far
        parser.Parse(b"", True)
    except (xml.parsers.expat.ExpatError, ValueError) as exc:
        raise _package_problem(
            sheet, f"工作表 XML 无效({exc})", f"the sheet's XML is not valid ({exc})"
        ) from None
    return cells.far


def _scan_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str | None) -> str | None:
    """The first out-of-bounds cell of one part (None if none); shared strings checked on the way."""
    data = _part_text(archive, info, sheet)
    _check_shared_strings(data)
    cell_tags = sum(data.count(b"<c" + after) for after in (b" ", b">", b"/", b"\t", b"\n", b"\r"))
    if cell_tags == data.count(b'<c r="') and (b":c" not in data or not _PREFIXED_CELL.search(data)):
        if cell_tags == 0 or _FAST_FAR.search(data) is None:
            return None
    if _CELL_WITHOUT_ADDRESS.search(data):
        return _walk_sequential(data, sheet)
    return _far_cell(data, len(data))


def _check_shared_strings(buffer: bytes) -> None:
    if b"sst" not in buffer:
        return
    declared = [m for tag in _SST_TAG.finditer(buffer) for m in _UNIQUE_COUNT.finditer(tag.group())]
    for match in declared:
        if len(match.group(1)) > 12 or int(match.group(1)) > MAX_SHARED_STRINGS:
            raise _package_problem(
                None,
                f"工作簿声明了 {match.group(1).decode()[:15]} 个不同文本,超过 {MAX_SHARED_STRINGS:,} 的上限",
                f"the workbook declares {match.group(1).decode()[:15]} distinct texts, above the limit "
                f"of {MAX_SHARED_STRINGS:,}",
            )


def workbook_problems(path: Path | str) -> list[WorkbookProblem]:
    """What in the workbook at ``path`` breaks the reading limits (empty: safe to read)."""
    path = Path(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        return [
            WorkbookProblem(None, f"不是有效的 .xlsx 工作簿({exc})", f"not a valid .xlsx workbook ({exc})")
        ]
    problems: list[WorkbookProblem] = []
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        declared = sum(i.file_size for i in infos)
        if declared > MAX_UNPACKED_BYTES:
            return [
                WorkbookProblem(
                    None,
                    f"工作簿解压后有 {declared // 2**20} MB,超过 {MAX_UNPACKED_BYTES // 2**20} MB 的上限,"
                    "可能是异常文件;请检查后重新保存",
                    f"the workbook unpacks to {declared // 2**20} MB, above the limit of "
                    f"{MAX_UNPACKED_BYTES // 2**20} MB; check it and save it again",
                )
            ]
        try:
            sheets = _sheet_parts(archive)
            for info in infos:
                sheet = sheets.get(info.filename)
                if sheet is None and not info.filename.lower().endswith((".xml", ".rels")):
                    continue  # images and other binary parts: calamine reads XML only
                far = _scan_part(archive, info, sheet)
                if far is not None:
                    part_zh, part_en = (
                        ("", "") if sheet else (f"(部件 {info.filename})", f" (part {info.filename})")
                    )
                    problems.append(
                        WorkbookProblem(
                            sheet,
                            f"单元格 {far}{part_zh} 有内容,超出每张表 {MAX_SHEET_COLUMNS} 列(到 {_LAST_COLUMN} 列)、"
                            f"{MAX_SHEET_ROWS:,} 行数据(到第 {_LAST_ROW:,} 行)的上限;"
                            "请删除表格范围以外的内容后重新保存",
                            f"cell {far}{part_en} holds a value beyond the limit of {MAX_SHEET_COLUMNS} columns "
                            f"(up to column {_LAST_COLUMN}) and {MAX_SHEET_ROWS:,} data rows (up to row "
                            f"{_LAST_ROW:,}); delete what lies outside the table and save again",
                        )
                    )
        except _Refused as refused:
            problems.append(refused.problem)
    return problems
