"""``python -m analytics snapshot | snapshots | report --snapshot | account``: exact outputs, exit codes.

The tiny dataset's plan year is 2024, so no automatic snapshot is due when these run (they look at
the current year and the one before); every snapshot listed is one these tests stored.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from data_builders import valid_tables, write_csv_folder
from docx import Document
from openpyxl import load_workbook

from analytics.access.users import User
from analytics.cli import main
from analytics.data.importer import import_path
from analytics.data.snapshots import get_snapshot
from analytics.data.store import open_database
from analytics.entry.year_end import sign_account

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db_file(tmp_path: Path) -> str:
    path = tmp_path / "county.duckdb"
    con = open_database(path)
    import_path(con, write_csv_folder(tmp_path / "data", valid_tables()), actor="test", source="测试")
    con.close()
    return str(path)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_snapshot_prints_its_id_and_snapshots_lists_them(db_file, capsys):
    assert run(
        capsys, "snapshot", "--db", db_file, "--year", "2024", "--as-of", "2024-12-31", "--label", "年终"
    ) == (
        0,
        "1\n",
        "",
    )
    assert run(capsys, "snapshot", "--db", db_file, "--year", "2024", "--as-of", "2024-07-20") == (
        0,
        "2\n",
        "",
    )
    con = open_database(db_file, read_only=True)
    first, second = get_snapshot(con, 1), get_snapshot(con, 2)
    con.close()
    assert run(capsys, "snapshots", "--db", db_file) == (
        0,
        "编号\t年度\t截至日期\t类型\t说明\t保存人\t保存时间\n"
        f"1\t2024\t2024-12-31\t招商办手动\t年终\tcli\t{first.created_at:%Y-%m-%d %H:%M:%S}\n"
        f"2\t2024\t2024-07-20\t招商办手动\t\tcli\t{second.created_at:%Y-%m-%d %H:%M:%S}\n",
        "",
    )


def test_report_of_a_snapshot_is_the_stored_text_byte_for_byte(db_file, capsys):
    assert run(capsys, "snapshot", "--db", db_file, "--year", "2024", "--as-of", "2024-12-31")[0] == 0
    command = [sys.executable, "-m", "analytics", "report", "--db", db_file]
    stored = subprocess.run([*command, "--snapshot", "1"], cwd=ROOT, capture_output=True, check=True).stdout
    live = subprocess.run(
        [*command, "--year", "2024", "--as-of", "2024-12-31"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    con = open_database(db_file, read_only=True)
    text = get_snapshot(con, 1).report_json
    con.close()
    assert stored == text.encode("utf-8") + b"\n"
    assert stored == live  # nothing changed since: the stored report is what report prints


def test_unknown_snapshot_id_exits_2(db_file, capsys):
    assert run(capsys, "report", "--db", db_file, "--snapshot", "9") == (
        2,
        "",
        "没有编号为 9 的快照。 / No snapshot with id 9.\n",
    )


def test_snapshot_goes_with_db_only(db_file, capsys):
    code, out, err = run(capsys, "report", "--db", db_file, "--snapshot", "1", "--year", "2024")
    assert (code, out, err) == (2, "", "--snapshot 只与 --db 一起使用 / --snapshot goes with --db only\n")


def test_a_year_with_no_data_exits_2(db_file, tmp_path, capsys):
    message = "2019 年没有目标任务也没有签约项目,无法生成年度总账。 / No targets or projects for 2019.\n"
    assert run(capsys, "snapshot", "--db", db_file, "--year", "2019", "--as-of", "2019-12-31") == (
        2,
        "",
        message,
    )
    out = tmp_path / "总账.docx"
    assert run(capsys, "account", "--db", db_file, "--year", "2019", "--out", str(out)) == (2, "", message)
    assert not out.exists()


def test_a_bad_date_exits_2(db_file, capsys):
    code, out, err = run(capsys, "snapshot", "--db", db_file, "--year", "2024", "--as-of", "2024-13-01")
    assert (code, out, err) == (2, "", "日期应为 YYYY-MM-DD: '2024-13-01'\n")


def test_a_missing_database_exits_2(tmp_path, capsys):
    missing = tmp_path / "none.duckdb"
    code, out, err = run(capsys, "snapshot", "--db", str(missing), "--year", "2024", "--as-of", "2024-12-31")
    assert (code, out) == (2, "") and "不存在" in err
    assert not missing.exists()


def test_account_writes_word_and_excel(db_file, tmp_path, capsys):
    docx, xlsx = tmp_path / "总账.docx", tmp_path / "总账.xlsx"
    assert run(
        capsys, "account", "--db", db_file, "--year", "2024", "--out", str(docx), "--xlsx", str(xlsx)
    ) == (
        0,
        f"已写入 / written {docx}\n已写入 / written {xlsx}\n",
        "",
    )
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "2024年度招商引资工作总账" in text
    assert load_workbook(xlsx).sheetnames == ["排名与奖项", "奖惩结果", "小分队", "奖励与奖金", "责任金"]


def test_an_import_that_changes_a_signed_year_warns_on_stderr(db_file, tmp_path, capsys):
    con = open_database(db_file)
    sign_account(con, User("office1", "县招商办", "office"), 2024, today=date(2025, 1, 10))
    con.close()
    # P001 credited to 商务局 instead of 发改局: 发改局 (target 3 signings) falls from 1/3 to 0/3,
    # score 100 × 0.4 × (1/3) / 0.4 = 33.33 → 0.00.
    tables = valid_tables()
    tables["projects"][0]["introducing_unit_id"] = "D02"
    code, out, err = run(
        capsys, "import", "--db", db_file, "--data", str(write_csv_folder(tmp_path / "new", tables))
    )
    assert code == 0
    assert "注意:2024 年度总账已签署(office1 于 " in err
    assert "  发改局:得分 33.33 → 0.00\n" in err
