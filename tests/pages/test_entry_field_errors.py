"""The 数据填报 page's forms show a refusal in place: each problem directly under the field it concerns
(the column of the write's structured refusal), a count on top of the form (「有 2 处需要修改」), and
nothing stored. The lead form asks for 联系人, 项目内容 and 投资方来源 and shows the tiers' criteria
beside the tier; a stored lead shows them in the unit's own list."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analytics.core.labels import TIER_CRITERIA
from tests.demo_db import DEMO_TODAY
from tests.pages.conftest import APP
from ui.frame import _shared_connection

COMPANY = "字段提示测试材料有限公司"


@pytest.fixture
def own_db(demo_db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo county: these tests write, the other page tests read the shared file."""
    copy = tmp_path / "field_errors.duckdb"
    shutil.copyfile(demo_db_path, copy)
    monkeypatch.setenv("DASHBOARD_DB", str(copy))
    return copy


def entry_page() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.session_state["global_year"] = DEMO_TODAY.year
    at.session_state["global_as_of"] = DEMO_TODAY
    at.switch_page("app_pages/entry.py")
    at.run()
    assert not at.exception
    return at


def count(db: Path, sql: str, params: list | None = None) -> int:
    return _shared_connection(str(db)).cursor().execute(sql, params or []).fetchone()[0]


def siblings(at: AppTest, node) -> list:
    """The children of the block holding ``node``, in page order."""
    for block in at.main:
        children = getattr(block, "children", None)
        if children and any(child is node for child in children.values()):
            return [children[i] for i in sorted(children)]
    raise AssertionError(f"{node} not found")


def under(at: AppTest, node) -> object:
    """The element drawn directly under ``node`` in its container."""
    row = siblings(at, node)
    return row[[id(n) for n in row].index(id(node)) + 1]


def plain(markdown: str) -> str:
    """Markdown as it reads (the page escapes every punctuation character of a message)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def red_text(element) -> str:
    """The message drawn under a field (red, with an error icon), as it reads."""
    assert element.type == "markdown", f"expected a message under the field, found {element.type}"
    text = str(element.value)
    assert text.startswith(":red[:material/error: ") and text.endswith("]")
    return plain(text)


def lead_tab(at: AppTest):
    return next(tab for tab in at.tabs if tab.label == "报送招商信息")


def submit_lead(at: AppTest) -> None:
    next(b for b in at.button if b.label == "报送").click().run()
    assert not at.exception


def test_a_bad_lead_shows_each_error_under_its_field_and_a_count_on_top(own_db: Path) -> None:
    leads_before = count(own_db, "SELECT count(*) FROM leads")
    at = entry_page()
    at.text_input(key="entry_lead_amount").input("五千")  # the company is left blank
    submit_lead(at)
    tab = lead_tab(at)
    first = tab.children[min(tab.children)]
    assert first.type == "error"  # the summary is the first thing of the form, above the fields
    assert plain(str(first.value)) == (
        "**有 2 处需要修改**,未保存。请按各栏下方的红字修改:意向企业名称、意向投资(万元)。"
    )
    company_says = red_text(under(at, at.text_input(key="entry_lead_company")))
    assert company_says == ":red[:material/error: 必填项,不能为空(文本)]"
    amount_says = red_text(under(at, at.text_input(key="entry_lead_amount")))
    assert amount_says.startswith(":red[:material/error: 应为不小于 0 的数字(单位:万元")
    # the fields without a problem keep an empty place under them
    for widget in (at.selectbox(key="entry_lead_tier"), at.text_input(key="entry_lead_contact")):
        assert under(at, widget).type == "empty"
    assert count(own_db, "SELECT count(*) FROM leads") == leads_before
    assert [e for e in at.error if e is not first] == []  # no second block of errors


def test_a_too_long_contact_is_shown_under_the_contact_field(own_db: Path) -> None:
    at = entry_page()
    at.text_input(key="entry_lead_company").input(COMPANY)
    at.text_input(key="entry_lead_amount").input("800")
    at.text_input(key="entry_lead_contact").input("王" * 201)
    submit_lead(at)
    [summary] = at.error
    assert plain(str(summary.value)) == "**有 1 处需要修改**,未保存。请按各栏下方的红字修改:联系人。"
    contact_says = red_text(under(at, at.text_input(key="entry_lead_contact")))
    assert contact_says == ":red[:material/error: 应为不超过 200 个字符的文本(此值有 201 个字符)]"
    assert under(at, at.text_input(key="entry_lead_amount")).type == "empty"
    assert count(own_db, "SELECT count(*) FROM leads WHERE company = ?", [COMPANY]) == 0


def test_the_tiers_criteria_are_beside_the_tier_choice(own_db: Path) -> None:
    at = entry_page()
    tier = at.selectbox(key="entry_lead_tier")
    row = next(  # the row of columns holding the tier choice
        block
        for block in at.main
        if getattr(block, "type", None) == "flex_container" and any(node is tier for node in block)
    )
    beside = [str(node.value) for node in row if getattr(node, "type", None) == "markdown"]
    assert len(beside) == 1
    assert beside[0].splitlines() == [
        f"**一般**:{TIER_CRITERIA['general']}  ",
        f"**重要**:{TIER_CRITERIA['important']}  ",
        f"**重大**:{TIER_CRITERIA['major']}",
    ]
    # the seed's thresholds, in words a clerk reads
    assert (
        "投资500万元以上" in beside[0] and "投资2000万元以上" in beside[0] and "投资5000万元以上" in beside[0]
    )


def test_a_lead_with_its_details_is_stored_and_listed(own_db: Path) -> None:
    at = entry_page()
    at.text_input(key="entry_lead_company").input(COMPANY)
    at.text_input(key="entry_lead_amount").input("2,500")
    at.text_input(key="entry_lead_contact").input("王经理 13800000000")
    at.selectbox(key="entry_lead_origin").set_value("省外")
    at.text_area(key="entry_lead_content").input("年产5万吨新型建材")
    submit_lead(at)
    assert list(at.error) == []
    stored = (
        _shared_connection(str(own_db))
        .cursor()
        .execute(
            "SELECT contact_person, investor_origin, project_content, intended_investment_wan FROM leads"
            " WHERE company = ?",
            [COMPANY],
        )
        .fetchall()
    )
    assert stored == [("王经理 13800000000", "省外", "年产5万吨新型建材", 2500.0)]
    listed = next(frame.value for frame in at.dataframe if "联系人" in frame.value.columns)
    row = listed[listed["意向企业"] == COMPANY].iloc[0]
    assert (row["联系人"], row["投资方来源"], row["项目内容"]) == (
        "王经理 13800000000",
        "省外",
        "年产5万吨新型建材",
    )


def test_a_milestone_done_after_today_is_shown_under_its_done_date(own_db: Path) -> None:
    at = entry_page()
    done = next(d for d in at.date_input if d.label == "完成日期")
    later = date.today() + timedelta(days=20)
    done.set_value(later)
    next(b for b in at.button if b.label == "保存节点").click().run()
    assert not at.exception
    done = next(d for d in at.date_input if d.label == "完成日期")
    assert red_text(under(at, done)).startswith(f":red[:material/error: 完成日期({later:%Y-%m-%d})晚于今天(")
    planned = next(d for d in at.date_input if d.label == "计划日期")
    assert under(at, planned).type == "empty"
    summaries = [plain(str(e.value)) for e in at.error]
    assert summaries == ["**有 1 处需要修改**,未保存。请按各栏下方的红字修改:完成日期。"]


def test_a_project_date_after_today_is_shown_under_its_field(own_db: Path) -> None:
    """The project progress form (入统, 开工, 投产): a 开工 date after today is refused under 开工日期,
    the other two dates stay as they were and nothing is stored."""
    at = entry_page()
    labels = [d.label for d in at.date_input]
    assert ["入统日期", "开工日期", "投产日期"] == [
        x for x in labels if x in ("入统日期", "开工日期", "投产日期")
    ]
    project = at.selectbox(key="entry_project_pick").value
    before = count(
        own_db, "SELECT count(*) FROM projects WHERE project_id = ? AND commenced_date IS NULL", [project]
    )
    later = date.today() + timedelta(days=20)
    next(d for d in at.date_input if d.label == "开工日期").set_value(later)
    next(b for b in at.button if b.label == "保存进度").click().run()
    assert not at.exception
    commenced = next(d for d in at.date_input if d.label == "开工日期")
    assert red_text(under(at, commenced)).startswith(":red[:material/error: 开工日期(")
    assert under(at, next(d for d in at.date_input if d.label == "入统日期")).type == "empty"
    after = count(
        own_db, "SELECT count(*) FROM projects WHERE project_id = ? AND commenced_date IS NULL", [project]
    )
    assert after == before
