"""Item 1: no input file may end the process, and reading stays bounded.

A sheet whose header is in row 1 and which holds one more value far away (XFD1048576: 16,384
columns × 1,048,576 rows) used to make python-calamine allocate ~512 GiB and abort the process
(exit 134). Now every workbook is measured before it is read: a value beyond 64 columns or
200,000 data rows (row 200,001), a shared-string table declaring more than 5,000,000 texts, or a
package unpacking to more than 512 MB is refused with the sheet (or workbook) named, and nothing
changes. The same holds through the CLI, the office import and a clerk's upload.
"""

from __future__ import annotations

import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

import pytest

from analytics.access.users import User
from analytics.core.schema import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from analytics.data.importer import ImportFailed, import_path, upload_size_problem
from analytics.data.store import open_database
from analytics.data.xlsx_bounds import workbook_problems
from analytics.entry import writes as entry
from tests.data_builders import valid_tables, write_csv_folder, write_xlsx
from tests.entry_fixtures import OFFICE
from tests.security.import_helpers import REPO, county_db, hostile_workbook, run_cli, snapshot, snapshot_file

CLERK_T01 = User("clerk_t01", "城关镇填报员", "clerk", "T01")
ONE_GIB_KIB = 1024 * 1024

# (cell, why it is out of bounds)
FAR_CELLS = [
    ("XFD1048576", "the last cell of a sheet: 16,384 columns × 1,048,576 rows"),
    ("A1048576", "1,048,575 data rows, above 200,000"),
    ("XFD2", "column 16,384, above 64"),
    ("BM3", "column 65, the first one above 64"),
    ("A200002", "data row 200,001, the first one above 200,000"),
]


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


HEADER_ROW = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'


def _raw_workbook(
    path: Path, shared_strings: Callable[[IO[bytes]], None] | None = None, rows: str = ""
) -> Path:
    """A one-sheet workbook, written part by part: sheet industries, header cell A1 = shared
    string 0 (industry_id), then ``rows`` (sheet XML); ``shared_strings`` writes the shared-string
    part (default: the one header text)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            "</Types>",
        )
        book.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        book.writestr(
            "xl/workbook.xml",
            f'<workbook {NS} xmlns:r="{REL}"><sheets><sheet name="industries" sheetId="1" r:id="rId1"/>'
            "</sheets></workbook>",
        )
        book.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        book.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet {NS} xmlns:x="{NS[7:-1]}"><sheetData>{HEADER_ROW}{rows}</sheetData></worksheet>',
        )
        with book.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            if shared_strings is None:
                part.write(f'<sst {NS} count="1" uniqueCount="1"><si><t>industry_id</t></si></sst>'.encode())
            else:
                shared_strings(part)
    return path


def _shared_strings_count_bomb(path: Path) -> Path:
    """A workbook of a few KB whose shared-string table declares 4,000,000,000 texts (calamine
    reserved room for all of them up front: 96 GB, and aborted)."""

    def write(part: IO[bytes]) -> None:
        part.write(
            f'<sst {NS} count="4000000000" uniqueCount="4000000000"><si><t>industry_id</t></si></sst>'.encode()
        )

    return _raw_workbook(path, write)


def _unpacking_bomb(path: Path) -> Path:
    """A workbook of well under 2 MB that unpacks to 637 MiB: 600 × 65,536 = 39,321,600 one-letter
    shared strings of 17 bytes (668,467,200 bytes), which calamine held in memory all at once."""
    count = 600 * (1 << 16)

    def write(part: IO[bytes]) -> None:
        part.write(f'<sst {NS} count="{count}" uniqueCount="{count}"><si><t>industry_id</t></si>'.encode())
        block = b"<si><t>a</t></si>" * (1 << 16)
        for _ in range(600):
            part.write(block)
        part.write(b"</sst>")

    return _raw_workbook(path, write)


def _forged_size(path: Path) -> Path:
    """A valid workbook whose zip entry for one sheet claims to unpack to 10 bytes (it has more):
    a reader that trusts the size field could be fed any amount."""
    write_xlsx(path, valid_tables())
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = data.find(signature)
        while start >= 0 and data[start + name_at : start + name_at + len(name)] != name:
            start = data.find(signature, start + 4)
        assert start >= 0
        data[start + size_at : start + size_at + 4] = (10).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize(("cell", "why"), FAR_CELLS, ids=[c for c, _ in FAR_CELLS])
def test_cli_refuses_a_far_cell_with_exit_2_in_bounded_memory(tmp_path, cell, why):
    """Before: XFD1048576 aborted the process (exit 134); A1048576 read a million empty rows."""
    db = county_db(tmp_path)
    before = snapshot_file(db)
    book = hostile_workbook(tmp_path / "hostile.xlsx", cell)
    run = run_cli("import", "--db", str(db), "--data", str(book), tmp=tmp_path)
    assert run.returncode == 2, (why, run.stderr[-2000:])
    assert "Traceback" not in run.stderr
    assert f"工作表 fund_arrivals:单元格 {cell} 有内容" in run.stderr
    assert "数据库未改动" in run.stderr
    assert run.peak_kib < ONE_GIB_KIB, f"peak {run.peak_kib} KiB"
    assert snapshot_file(db) == before


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (_shared_strings_count_bomb, "声明了 4000000000 个不同文本"),
        (_unpacking_bomb, "解压后有 637 MB,超过 512 MB 的上限"),
        (_forged_size, "工作表 industries:工作簿已损坏"),
    ],
    ids=["shared-strings-count", "unpacks-to-637-MiB", "forged-size"],
)
def test_cli_refuses_a_workbook_bomb_with_exit_2_in_bounded_memory(tmp_path, build, message):
    db = county_db(tmp_path)
    before = snapshot_file(db)
    book = build(tmp_path / "bomb.xlsx")
    assert book.stat().st_size < 2 * 2**20  # a small file
    run = run_cli("import", "--db", str(db), "--data", str(book), tmp=tmp_path)
    assert run.returncode == 2, run.stderr[-2000:]
    assert message in run.stderr
    assert "Traceback" not in run.stderr
    assert run.peak_kib < ONE_GIB_KIB, f"peak {run.peak_kib} KiB"
    assert snapshot_file(db) == before


# Cells as other writers (or an attacker) may write them; calamine places each the same way.
ODD_CELLS = [
    ("address-less", '<row r="2">' + "<c><v>1</v></c>" * 65 + "</row>", "BM2"),  # the 65th cell
    ("address-less-row", '<row r="1048576"><c><v>1</v></c></row>', "A1048576"),
    ("prefixed", '<row r="9"><x:c r="XFD9"><x:v>1</x:v></x:c></row>', "XFD9"),
    ("quote-trick", '<row r="3"><c t="n" foo=">" r="XFD1048576"><v>1</v></c></row>', "XFD1048576"),
    ("lower-case", '<row r="4"><c r="xfd1048576"><v>1</v></c></row>', "xfd1048576"),
]


@pytest.mark.parametrize(("rows", "cell"), [c[1:] for c in ODD_CELLS], ids=[c[0] for c in ODD_CELLS])
def test_cli_follows_cells_written_in_other_ways(tmp_path, rows, cell):
    db = county_db(tmp_path)
    before = snapshot_file(db)
    book = _raw_workbook(tmp_path / "odd.xlsx", rows=rows)
    run = run_cli("import", "--db", str(db), "--data", str(book), tmp=tmp_path)
    assert run.returncode == 2, run.stderr[-2000:]
    assert f"工作表 industries:单元格 {cell} 有内容" in run.stderr
    assert run.peak_kib < ONE_GIB_KIB, f"peak {run.peak_kib} KiB"
    assert snapshot_file(db) == before
    # A far cell with a format but no value is not read by calamine: it is no reason to refuse.
    styled = '<row r="1048576"><c r="XFD1048576" s="1"/><c r="XFC1048576" s="1"></c></row>'
    assert workbook_problems(_raw_workbook(tmp_path / "styled.xlsx", rows=styled)) == []


@pytest.fixture
def county(tmp_path):
    con = open_database(":memory:")
    import_path(con, write_csv_folder(tmp_path / "tiny", valid_tables()), actor="test", source="测试")
    yield con
    con.close()


@pytest.mark.parametrize("cell", ["XFD1048576", "A1048576", "XFD2"])
def test_office_import_and_clerk_upload_refuse_a_far_cell_in_process(tmp_path, county, cell):
    """The app's own entry points (the server process): an error naming sheet and cell, no abort."""
    before = snapshot(county)
    book = hostile_workbook(tmp_path / "office.xlsx", cell)
    with pytest.raises(ImportFailed) as office:
        entry.import_workbook(county, OFFICE, book)
    assert [(e.table, e.row) for e in office.value.errors] == [("fund_arrivals", None)]
    assert f"单元格 {cell} 有内容" in office.value.errors[0].expected_zh

    upload = hostile_workbook(tmp_path / "clerk.xlsx", cell, sheet="projects")
    with pytest.raises(ImportFailed) as clerk:
        entry.upload_unit_rows(county, CLERK_T01, upload)
    assert [(e.table, e.row) for e in clerk.value.errors] == [("projects", None)]
    assert f"单元格 {cell} 有内容" in clerk.value.errors[0].expected_zh
    assert snapshot(county) == before


def test_a_wide_csv_row_is_refused_naming_file_and_line(tmp_path, county):
    before = snapshot(county)
    folder = write_csv_folder(tmp_path / "wide", valid_tables())
    path = folder / "units.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] += "," * 100  # 5 columns + 100 more = 105 on line 3
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_path(county, folder, actor="test", source="测试")
    assert [(e.table, e.expected_zh) for e in failed.value.errors] == [
        ("units", "文件 units.csv 第3行 有 105 列,超过每张表 64 列的上限")
    ]
    assert snapshot(county) == before


def test_a_csv_file_above_the_row_limit_is_refused(tmp_path, county):
    before = snapshot(county)
    folder = write_csv_folder(tmp_path / "long", valid_tables())
    with (folder / "targets.csv").open("a", encoding="utf-8") as handle:
        handle.write("2024,county,signed_projects,1\n" * 200_000)  # 4 rows + 200,000 = 200,004
    with pytest.raises(ImportFailed) as failed:
        import_path(county, folder, actor="test", source="测试")
    assert [(e.table, e.expected_zh) for e in failed.value.errors] == [
        ("targets", "文件 targets.csv 超过每张表 200,000 行数据的上限;请分批导入")
    ]
    assert snapshot(county) == before


def test_upload_limit_is_set_on_the_server_and_checked_by_the_handlers():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB == 20
    assert upload_size_problem(MAX_UPLOAD_BYTES) is None
    refusal = upload_size_problem(MAX_UPLOAD_BYTES + 1)
    assert refusal is not None and "超过 20 MB 的上传上限" in refusal
    for handler in ("ui/office_tabs.py", "ui/entry_tabs.py"):
        source = (REPO / handler).read_text(encoding="utf-8")
        assert "upload_size_problem(uploaded.size)" in source, handler
        assert "max_upload_size=MAX_UPLOAD_MB" in source, handler
