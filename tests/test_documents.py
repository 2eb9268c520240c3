"""The weekly brief and the monthly bulletin, generated from a hand-made county and from the demo,
re-opened with python-docx / openpyxl, and checked against ``analytics``.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from analytics.data.store import open_database
from analytics.documents import bulletin, weekly
from analytics.documents.bulletin import BadMonth, bulletin_period
from analytics.metrics import landing, units
from analytics.screens import dispatch
from tests.demo_db import DEMO_TODAY, build_demo_database
from tests.metrics_fixtures import (
    add_arrival,
    add_industry,
    add_problem,
    add_project,
    add_target,
    add_unit,
    add_unit_targets,
    d,
    fresh,
    period,
    settings,
)

ROOT = Path(__file__).resolve().parents[1]


def text_of(docx: bytes) -> str:
    """Every paragraph and table cell of a .docx, one per line."""
    document = Document(io.BytesIO(docx))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def small_county() -> duckdb.DuckDBPyConnection:
    """Two class-1 townships and one class-2 township, with targets, projects and problems.

    As of 2026-11-20 (plan year 2026):
    - t01 城关镇 signed p1, p2 (2 of target 2), in_stats p1 (1 of 1), no leads target → completes;
      score = 100 × (0.4×1 + 0.4×1) / 0.8 = 100.
    - t02 新华镇 signed p3 (1 of 4), in_stats 0 of 2 → score = 100 × (0.4×0.25 + 0) / 0.8 = 12.5.
      Ranked 1 and 2 in class 1: 城关镇 golden horse (completed), 新华镇 snail (last, not completed).
    - t03 白沙乡 (class 2) signed 0 of 1 → score 0, the only class-2 unit: rank 1 but not completed,
      so no golden horse; being last and not completed, snail.
    """
    con = fresh()
    add_industry(con, "i1", is_key=True)
    add_unit(con, "t01", name="城关镇", township_class="1")
    add_unit(con, "t02", name="新华镇", township_class="1")
    add_unit(con, "t03", name="白沙乡", township_class="2")
    add_unit_targets(con, 2026, "t01", 2, 1, None)
    add_unit_targets(con, 2026, "t02", 4, 2, None)
    add_unit_targets(con, 2026, "t03", 1, None, None)
    add_target(con, 2026, "county", "signed_projects", 10)
    add_project(
        con, "p1", "2026-03-02", unit="t01", total=25000, in_stats="2026-05-06", commenced="2026-06-01"
    )
    add_project(con, "p2", "2026-11-17", unit="t01", total=3000)
    add_project(con, "p3", "2026-01-15", unit="t02", total=15000)
    add_arrival(con, "p1", "2026-11-18", amount=1234.5)
    add_problem(con, "q1", "p1", "2026-10-01", "2026-11-01", unit="t02")  # open, overdue since 11-01
    add_problem(con, "q2", "p3", "2026-11-10", "2026-12-31", unit="t01")  # raised last week, open
    add_problem(con, "q3", "p3", "2026-11-12", "2026-11-30", resolved="2026-11-19", unit="t01")
    return con


AS_OF = date(2026, 11, 20)


def test_small_county_figures_are_what_the_analytics_say() -> None:
    """Pin the hand-worked facts the document tests rely on (see ``small_county``)."""
    con = small_county()
    table = units.unit_table(con, period(2026, "2026-11-20"), settings()).set_index("unit_id")
    assert table.loc["t01", "score"] == pytest.approx(100.0)
    assert table.loc["t02", "score"] == pytest.approx(12.5)
    assert table.loc["t01", "awards"] == ["golden_horse", "advanced"]
    assert table.loc["t02", "awards"] == ["snail"]
    assert table.loc["t03", "awards"] == ["snail"]


def test_weekly_docx_names_units_and_figures_of_the_small_county() -> None:
    con = small_county()
    figures = weekly.weekly_figures(con, AS_OF, settings())
    text = text_of(weekly.weekly_docx(figures))
    assert "招商引资调度简报" in text and "2026年第47期" in text  # ISO week 47
    assert "全县招商引资一周调度情况" in text and "（2026年11月16日至2026年11月20日）" in text
    assert "一、本周主要数据" in text and "六、滞后项目及下步要求" in text
    # This week: p2 signed (3,000 万元); 1,234.50 万元 arrived. Last week: nothing.
    assert "新签约项目 | 1 | 0 | +1" in text
    assert "到位资金 | 1,234.50万元 | 0.00万元 | +1,234.50万元" in text
    # First and last, by name; in-year (11-20) without the award names (METRICS v2).
    assert "一类乡镇中，城关镇暂列第一；新华镇暂列末位（年度奖项于12月31日评定）。" in text
    assert "二类乡镇中，无暂列第一；白沙乡暂列末位" in text
    # Problems: q1 open and overdue (新华镇), q2 open; q3 resolved this week.
    assert "重大项目未办结问题2项，其中超期1项" in text and "本周办结1项" in text
    assert "超期未办结的责任单位：新华镇" in text
    assert "新华镇 | 1项 | 1项 | 2026-11-01" in text
    # Last meeting: q2 (raised 2026-11-10) still open, not yet due; q3 (raised 11-12) resolved 11-19.
    assert "提出问题2项，已办结1项" in text
    assert "问题q2 | 新华镇 | 2026-11-10 | 2026-12-31 | 未到期办理中" not in text  # q2 is 城关镇's
    assert "问题q2 | 城关镇 | 2026-11-10 | 2026-12-31 | 未到期办理中" in text
    assert "问题q3 | 城关镇 | 2026-11-12 | 2026-11-30 | 已办结" in text
    # Laggards: p3 (signed 2026-01-15) and p2 are not commenced; p3 is the oldest.
    lag = landing.laggards(con, period(2026, "2026-11-20"))
    assert list(lag["project_id"]) == ["p3", "p2"]
    assert "项目p3 | 新华镇 | 2026-01-15 | 309天 | 1.50" in text  # 2026-01-15 → 11-20 = 309 days
    # one unit for the column, named in its header: p3's 1.50 亿 and p2's 3,000 万 both in 亿元
    assert "项目名称 | 引进单位 | 签约日期 | 已签约天数 | 总投资（亿元）" in text
    assert re.search(r"项目p2 \|[^\n]*\| 0\.30(\n|$)", text)  # 3,000 万元 = 0.30 亿元


def test_weekly_overdue_rows_are_red_and_runs_carry_east_asian_fonts() -> None:
    con = small_county()
    document = Document(io.BytesIO(weekly.weekly_docx(weekly.weekly_figures(con, AS_OF, settings()))))
    red_cells = [
        cell.text
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for run in cell.paragraphs[0].runs
        if run.font.color.rgb is not None and str(run.font.color.rgb) == "C00000"
    ]
    assert "问题q1" in red_cells and "问题q2" not in red_cells
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) for run in runs)
    masthead = document.paragraphs[0].runs[0]
    assert masthead.text == "招商引资调度简报" and str(masthead.font.color.rgb) == "C00000"


def test_weekly_xlsx_holds_the_same_figures_with_money_formats() -> None:
    con = small_county()
    figures = weekly.weekly_figures(con, AS_OF, settings())
    book = load_workbook(io.BytesIO(weekly.weekly_xlsx(figures)))
    assert {"本周数据", "单位排名", "问题清单", "责任清单", "进度清单", "上次调度事项"} <= set(
        book.sheetnames
    )
    week = book["本周数据"]
    rows = {r[0]: r for r in week.iter_rows(min_row=5, values_only=True)}
    assert rows["到位资金"][1] == pytest.approx(1234.5) and rows["新签约项目"][1] == 1
    funds_cell = next(c for c in week["B"] if c.value == pytest.approx(1234.5))
    assert funds_cell.number_format == "#,##0.00"
    progress = book["进度清单"]
    header = [c.value for c in progress[4]]
    assert header[:3] == ["项目编码", "项目名称", "总投资(万元)"]
    by_id = {r[0]: r for r in progress.iter_rows(min_row=5, values_only=True)}
    # Major projects: p1 (25,000, not produced) and p3 (15,000); p2 is below 1 亿.
    assert set(by_id) == {"p1", "p3"}
    assert by_id["p1"][7] == pytest.approx(1234.5)  # funds arrived by D
    assert progress.cell(row=5, column=3).number_format == "#,##0.00"
    ranking = {r[2]: r for r in book["单位排名"].iter_rows(min_row=5, values_only=True)}
    # In-year (11-20) the awards are said as 暂列… (METRICS v2: award names only from 12-31 on).
    assert ranking["城关镇"][10] == pytest.approx(100.0) and ranking["城关镇"][12] == "暂列第一、暂列先进"


def test_monthly_bulletin_of_the_small_county() -> None:
    con = small_county()
    figures = bulletin.bulletin_figures(con, "2026-11", settings(), today=AS_OF)
    assert figures.period.as_of == AS_OF  # the current month is reported up to today
    text = text_of(bulletin.bulletin_docx(figures))
    assert "招商引资工作通报" in text and "2026年第11期" in text
    assert "关于2026年11月全县招商引资工作情况的通报" in text
    assert "本期暂列第一：城关镇；暂列末位：新华镇、白沙乡。" in text
    # After 07-20 the mid-year check applies: 新华镇 (0.25, 0) and 白沙乡 (0) are behind half.
    assert "任务进度滞后单位：新华镇、白沙乡。" in text
    # County target: 3 signed of 10 → 30.0%; schedule 324/365 = 88.8% → far behind (< 58.8%).
    assert "新签约项目 | 10个 | 3个 | 30.0% | 88.8% | ■ 严重滞后" in text
    book = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(figures)))
    county = {r[0]: r for r in book["目标任务"].iter_rows(min_row=5, values_only=True)}
    assert county["新签约项目"][3] == 3 and county["新签约项目"][4] == pytest.approx(0.3)
    assert book["目标任务"].cell(row=5, column=5).number_format == "0.0%"


AWARD_NAMES = ("骏马奖", "蜗牛奖", "先进单位")


def test_october_bulletin_says_provisional_and_names_no_award() -> None:
    """METRICS v2: in-year documents say 暂列第一 / 暂列末位; 骏马奖, 蜗牛奖, 先进单位 only from 12-31 on.

    With p4 signed by 城关镇 on 09-01, as of 2026-10-31 城关镇 has signed 2 of 2 (p1, p4) and put 1 of
    1 in the statistics: it completes and leads class 1 (the golden horse's rule); 新华镇 and 白沙乡
    are last of their classes without completing (the snail's)."""
    con = small_county()
    add_project(con, "p4", "2026-09-01", unit="t01", total=2000)
    figures = bulletin.bulletin_figures(con, "2026-10", settings(), today=AS_OF)
    assert figures.period.as_of == d("2026-10-31")
    text = text_of(bulletin.bulletin_docx(figures))
    assert "本期暂列第一：城关镇；暂列末位：新华镇、白沙乡。" in text
    assert "一类乡镇中，城关镇暂列第一；新华镇暂列末位" in text
    for name in AWARD_NAMES:
        assert name not in text, name
    book = load_workbook(io.BytesIO(bulletin.bulletin_xlsx(figures)))
    cells = [str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert not [c for c in cells if any(name in c for name in AWARD_NAMES)]


def test_year_end_bulletin_gives_the_award_names() -> None:
    """The December bulletin, made in January, is as of 12-31: the awards carry their names."""
    con = small_county()
    figures = bulletin.bulletin_figures(con, "2026-12", settings(), today=d("2027-01-05"))
    assert figures.period.as_of == d("2026-12-31")
    text = text_of(bulletin.bulletin_docx(figures))
    assert "本期骏马奖：城关镇；蜗牛奖：新华镇、白沙乡。" in text
    assert "一类乡镇中，城关镇获骏马奖；新华镇获蜗牛奖。" in text
    assert "暂列" not in text


def test_bulletin_of_a_past_month_is_as_of_its_last_day() -> None:
    assert bulletin_period("2026-02", today=AS_OF).as_of == d("2026-02-28")
    assert bulletin_period("2024-02", today=AS_OF).as_of == d("2024-02-29")
    assert bulletin_period("2026-11", today=AS_OF).as_of == AS_OF
    for bad in ("2026-13", "202611", "2026-12"):  # not a month, or not begun by today
        with pytest.raises(BadMonth):
            bulletin_period(bad, today=AS_OF)


def test_text_that_looks_like_a_formula_stays_text_in_excel() -> None:
    con = small_county()
    con.execute("UPDATE projects SET name = '=HYPERLINK(\"x\")' WHERE project_id = 'p1'")
    book = load_workbook(io.BytesIO(weekly.weekly_xlsx(weekly.weekly_figures(con, AS_OF, settings()))))
    cell = next(
        c for row in book["进度清单"].iter_rows(min_row=5) for c in row if c.value == '=HYPERLINK("x")'
    )
    assert cell.data_type == "s"


# ---------------------------------------------------------------------------------------------
# the demo county
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_database(tmp_path_factory.mktemp("documents_demo"))


def test_demo_bulletin_names_exactly_the_units_analytics_names(demo: Path) -> None:
    con = open_database(demo, read_only=True)
    try:
        month_period = bulletin_period(f"{DEMO_TODAY:%Y-%m}", DEMO_TODAY)
        s = settings()
        figures = bulletin.bulletin_figures(con, f"{DEMO_TODAY:%Y-%m}", s, DEMO_TODAY)
        table = units.unit_table(con, month_period, s)
        lists = dispatch.three_lists(con, month_period, s)
    finally:
        con.close()
    text = text_of(bulletin.bulletin_docx(figures))
    horses = list(table.loc[table["awards"].map(lambda a: "golden_horse" in a), "name"])
    snails = list(table.loc[table["awards"].map(lambda a: "snail" in a), "name"])
    behind = list(table.loc[table["behind_half"], "name"])
    assert horses and snails and behind
    assert f"本期暂列第一：{'、'.join(horses)}；暂列末位：{'、'.join(snails)}。" in text
    assert f"任务进度滞后单位：{'、'.join(behind)}。" in text
    for _, row in table[table["group"] == "township_1"].iterrows():
        assert f"{row['rank']} | {row['name']} |" in text and f"{row['score']:.2f}" in text
    overdue = int(lists["problems"]["is_overdue"].sum())
    assert f"重大项目未办结问题{len(lists['problems'])}项，其中超期{overdue}项" in text


def test_demo_weekly_brief_from_the_command_line(demo: Path, tmp_path: Path) -> None:
    out, xlsx = tmp_path / "brief.docx", tmp_path / "brief.xlsx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "weekly",
            "--db",
            str(demo),
            "--week-of",
            DEMO_TODAY.isoformat(),
            "--out",
            str(out),
            "--xlsx",
            str(xlsx),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    con = open_database(demo, read_only=True)
    try:
        numbers = dispatch.week_in_numbers(con, period(DEMO_TODAY.year, DEMO_TODAY.isoformat()), settings())
    finally:
        con.close()
    text = text_of(out.read_bytes())
    signed = numbers.set_index("metric").loc["signed_projects"]
    assert f"新签约项目 | {int(signed['this_period'])} | {int(signed['last_period'])} |" in text
    sheet = load_workbook(xlsx)["本周数据"]
    values = {r[0]: r[1] for r in sheet.iter_rows(min_row=5, values_only=True)}
    assert values["到位资金"] == pytest.approx(numbers.set_index("metric").loc["funds_wan", "this_period"])
    assert len(Document(str(out)).inline_shapes) >= 3  # week, 9865 and two race charts


def test_bulletin_command_refuses_a_bad_month(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "analytics",
            "bulletin",
            "--db",
            str(demo),
            "--month",
            "2026/11",
            "--out",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "YYYY-MM" in result.stderr and not out.exists()


def test_demo_bulletin_says_each_unit_once(demo: Path) -> None:
    """No table cell of the bulletin repeats the unit its row or column already names: a USD metric
    reads 实际利用外资 | 3,330.00万美元, not 实际利用外资（万美元） | 3,330.00万美元."""
    con = open_database(demo, read_only=True)
    try:
        figures = bulletin.bulletin_figures(con, f"{DEMO_TODAY:%Y-%m}", settings(), DEMO_TODAY)
    finally:
        con.close()
    document = Document(io.BytesIO(bulletin.bulletin_docx(figures)))
    usd_rows = 0
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        for row in table.rows[1:]:
            cells = [cell.text for cell in row.cells]
            for unit in ("万美元", "万元", "亿元"):
                carried = [c for c in cells[1:] if c.endswith(unit)]
                if carried:
                    usd_rows += unit == "万美元"
                    assert unit not in cells[0], (cells[0], carried)
                    for title, cell in zip(header, cells, strict=True):
                        assert not (cell.endswith(unit) and unit in title), (title, cell)
    assert usd_rows == 3  # 实际利用外资, 现汇进资, 进出口总额 in the county table
