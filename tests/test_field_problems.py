"""Which field a refused form's problem belongs to comes from the refusal's structure: the importer
finding's column (``FormInvalid``), the column a refusal names (a date after today, a permission),
or none (a stale save). ``ui.field_errors.summary_text`` counts them and names the fields."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest

from analytics.access.permissions import PermissionDenied
from analytics.data.store import open_database
from analytics.entry import progress_forms as forms
from analytics.entry import writes as entry
from analytics.entry.rows import EntryError, FieldProblem, StaleWrite, field_problems
from tests.entry_fixtures import CLERK_T01, small_county
from ui.field_errors import summary_text

TODAY = date(2026, 6, 30)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = open_database(small_county(tmp_path))
    yield connection
    connection.close()


def problems_of(action) -> list[tuple[str | None, str, str]]:
    with pytest.raises((EntryError, PermissionDenied)) as refused:
        action()
    return [(p.column, p.text, p.message) for p in field_problems(refused.value)]


def test_each_importer_finding_keeps_its_column(con: duckdb.DuckDBPyConnection) -> None:
    found = problems_of(
        lambda: entry.report_lead(
            con, CLERK_T01, company="", industry_id="i1", intended_investment_wan="五千", tier="general"
        )
    )
    expected = "不小于 0 的数字(单位:万元;可写 1,200、1200万元 或 0.12亿元)"
    assert found == [
        # under the field: what to change (a blank value is not quoted); in a list: name and value
        ("company", "必填项,不能为空(文本)", "意向企业:必填项,不能为空(文本)"),
        ("intended_investment_wan", f"应为{expected}", f"意向投资(万元):值「五千」不符合要求,应为{expected}"),
    ]


def test_a_date_after_today_names_its_column(con: duckdb.DuckDBPyConnection) -> None:
    milestone = problems_of(
        lambda: forms.record_milestone(
            con,
            CLERK_T01,
            project_id="p1",
            kind="land",
            planned_on=None,
            done_on="2026-07-01",
            opened_as=None,
            today=TODAY,
        )
    )
    message = "完成日期(2026-07-01)晚于今天(2026-06-30):尚未发生的事不能填为已完成。"
    assert milestone == [("done_on", message, message)]
    stage = problems_of(
        lambda: forms.move_lead_stage(
            con, CLERK_T01, "L2", 1, stage="visit", changed_on="2026-07-02", today=TODAY
        )
    )
    assert [column for column, _, _ in stage] == ["stage_changed_on"]
    commenced = problems_of(
        lambda: entry.update_project_stages(con, CLERK_T01, "p1", 1, commenced_date="2026-07-03", today=TODAY)
    )
    assert [column for column, _, _ in commenced] == ["commenced_date"]
    arrival = problems_of(
        lambda: entry.record_fund_arrival(
            con, CLERK_T01, project_id="p1", date="2026-07-04", amount_wan=10, fixed_asset_wan=0, today=TODAY
        )
    )
    assert [column for column, _, _ in arrival] == ["date"]


def test_a_stale_save_belongs_to_no_field(con: duckdb.DuckDBPyConnection) -> None:
    found = problems_of(lambda: entry.update_project_stages(con, CLERK_T01, "p1", 99, in_stats_date=None))
    assert [column for column, _, _ in found] == [None]
    assert isinstance(StaleWrite("x"), EntryError)


def test_a_permission_refusal_keeps_the_column_it_names() -> None:
    [problem] = field_problems(PermissionDenied("无权修改:该项目不属于本单位。", column="project_id"))
    assert (problem.column, problem.text) == ("project_id", "无权修改:该项目不属于本单位。")


LABELS = {"company": "意向企业名称", "intended_investment_wan": "意向投资(万元)"}


def test_the_summary_counts_the_problems_and_names_their_fields() -> None:
    problems = [
        FieldProblem("company", "必填项,不能为空(文本)", "意向企业:必填项,不能为空(文本)"),
        FieldProblem("intended_investment_wan", "应为数字", "意向投资(万元):值「五千」不符合要求,应为数字"),
    ]
    assert summary_text(problems, LABELS) == (
        "**有 2 处需要修改**,未保存。请按各栏下方的红字修改:意向企业名称、意向投资\\(万元\\)。"
    )


def test_the_summary_writes_out_problems_of_no_field_on_the_form() -> None:
    problems = [
        FieldProblem("company", "必填项", "意向企业:必填项"),
        FieldProblem("company", "另一处问题", "意向企业:另一处问题"),
        FieldProblem("lead_id", "重复", "信息编码:值「L1」重复"),  # not a field of this form
    ]
    assert summary_text(problems, LABELS) == (
        "**有 3 处需要修改**,未保存。请按各栏下方的红字修改:意向企业名称。\n- 信息编码\\:值「L1」重复"
    )
    # one problem of no field (a stale save): its message alone, as it reads
    assert summary_text([FieldProblem(None, "保存被拒绝。", "保存被拒绝。")], LABELS) == "保存被拒绝。"
