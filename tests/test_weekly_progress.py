"""The weekly brief's 项目推进红黄灯 section: red and yellow projects by stage, with what last week's
meeting decided on them (the problems raised on them last week)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx

from analytics.core.settings import effective_settings
from analytics.data.store import open_database
from analytics.documents.weekly import weekly_docx, weekly_figures
from tests.entry_fixtures import small_county
from tests.metrics_fixtures import add_problem


def test_red_and_yellow_projects_with_last_weeks_decision(tmp_path: Path) -> None:
    con = open_database(small_county(tmp_path))
    # D = 2026-11-20 (a Friday); last week is 11-09 .. 11-15.
    con.execute(
        "UPDATE projects SET planned_commence_on = DATE '2026-10-01' WHERE project_id = 'p1'"
    )  # 31 (Oct) + 19 = 50 days late: red
    con.execute(
        "UPDATE projects SET planned_commence_on = DATE '2026-11-10' WHERE project_id = 'p2'"
    )  # 10 days: yellow
    con.execute(
        "UPDATE projects SET planned_commence_on = DATE '2026-12-01' WHERE project_id = 'pf'"
    )  # not due: green
    add_problem(con, "Q1", "p1", "2026-11-12", "2026-11-30", unit="d01")
    add_problem(con, "Q0", "p1", "2026-11-08", "2026-11-30", unit="d01")  # the week before last
    add_problem(con, "Q2", "p1", "2026-11-17", "2026-11-30", unit="d01")  # this week
    document = docx.Document(
        io.BytesIO(weekly_docx(weekly_figures(con, date(2026, 11, 20), effective_settings(con))))
    )
    texts = [p.text for p in document.paragraphs]
    assert "七、项目推进红黄灯" in texts
    assert "红灯项目1个、黄灯项目1个（按阶段列出，红灯在前），以及上周调度会对其提出的事项。" in texts
    table = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["灯", "阶段", "项目", "等待环节", "挂包县领导", "上周调度决定"]
    assert [r[:3] for r in rows[1:]] == [["红灯", "签约未开工", "项目p1"], ["黄灯", "签约未开工", "项目p2"]]
    # in 公文 typography: Chinese punctuation, dates as 月日, no space before a unit
    assert rows[1][3] == "开工（计划2026年10月1日，已超期50天）"
    assert rows[1][5] == "问题Q1（单位d01，11月30日前）"  # raised 11-12, in last week
    assert rows[2][5] == "—"
    con.close()
