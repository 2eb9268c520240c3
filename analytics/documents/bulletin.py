"""The monthly bulletin （一月一通报）: Word in the government bulletin layout, and its Excel tables.

The bulletin of month ``YYYY-MM`` is as of the month's last day, or of ``today`` when that is
earlier (the current month's bulletin so far); the plan year is the month's year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

import duckdb

from analytics.core import format as fmt
from analytics.core.period import Period
from analytics.documents import common, wording
from analytics.documents import docx_style as style
from analytics.documents.workbook import Sheet, workbook_bytes
from analytics.screens import dispatch

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class BadMonth(ValueError):
    """A month that is not YYYY-MM, or lies wholly after today."""


def bulletin_period(month: str, today: date) -> Period:
    """Period of the bulletin of ``month`` (``YYYY-MM``): as of the month's end or ``today``, if earlier."""
    match = _MONTH.match(month.strip())
    if not match:
        raise BadMonth(f"月份应为 YYYY-MM 格式，例如 2026-11:{month!r}")
    year, number = int(match.group(1)), int(match.group(2))
    first = date(year, number, 1)
    if first > today:
        raise BadMonth(f"{year}年{number}月尚未开始，无法通报")
    last = date(year, number, calendar.monthrange(year, number)[1])
    return Period(year, min(last, today))


def bulletin_figures(
    con: duckdb.DuckDBPyConnection, month: str, settings: dict[str, Any], today: date
) -> common.Figures:
    """Every figure of the bulletin of ``month``."""
    period = bulletin_period(month, today)
    figures = common.gather(con, period, settings)
    figures.extra["month"] = month
    figures.extra["month_numbers"] = dispatch.month_in_numbers(con, period, settings)
    return figures


def _title(figures: common.Figures) -> tuple[str, str]:
    year, month = figures.period.year, figures.period.as_of.month
    return (
        f"关于{year}年{month}月全县招商引资工作情况的通报",
        f"（数据截至{common.at(figures.period.as_of)}）",
    )


def bulletin_docx(figures: common.Figures) -> bytes:
    """The bulletin as a .docx: masthead, title, six numbered sections, signature."""
    period = figures.period
    document = style.new_document()
    style.masthead(
        document,
        "招商引资工作通报",
        f"{period.year}年第{period.as_of.month}期",
        common.ISSUER,
        period.as_of,
    )
    title, subtitle = _title(figures)
    style.title(document, title, subtitle)
    common.basis_line(document, figures.settings)
    style.salutation(document, "各乡镇人民政府，县直各部门：")
    style.body(
        document,
        f"按照“一周一调度、一月一通报”工作要求，现将截至{common.at(period.as_of)}全县招商引资工作情况通报如下。"
        f"本期时序进度为{fmt.percent(period.schedule)}。",
    )

    style.heading(document, 1, "主要目标任务完成情况")
    statuses = [e["status"] for e in figures.county]
    style.body(
        document,
        f"全县{len(figures.county)}项目标任务中，已完成{statuses.count('met')}项，"
        f"符合时序{statuses.count('on_track')}项，滞后{statuses.count('behind')}项，"
        f"严重滞后{statuses.count('far_behind')}项。",
    )
    style.caption(document, "表1 全县招商引资目标任务完成情况")
    style.table(document, common.COUNTY_HEADER, common.county_rows(figures), left_columns=(0,))
    numbers = figures.extra["month_numbers"].set_index("metric")
    style.body(
        document,
        f"本月新签约项目{fmt.count(numbers.loc['signed_projects', 'this_period'])}"
        f"（上月{fmt.count(numbers.loc['signed_projects', 'last_period'])}），"
        f"新入统项目{fmt.count(numbers.loc['in_stats_projects', 'this_period'])}，"
        f"新开工项目{fmt.count(numbers.loc['commenced_projects', 'this_period'])}，"
        f"新投产项目{fmt.count(numbers.loc['produced_projects', 'this_period'])}，"
        f"到位资金{fmt.money(numbers.loc['funds_wan', 'this_period'])}"
        f"（上月{fmt.money(numbers.loc['funds_wan', 'last_period'])}）。",
        bold_prefix="本月新增：",
    )

    style.heading(document, 2, "“9865”项目落地情况")
    common.landing_section(document, figures)

    style.heading(document, 3, "重点产业集聚情况")
    c = figures.concentration
    basis = "投资额" if c["basis"] == "investment" else "项目数"
    met = "" if c["met"] is None else ("，已达到目标" if c["met"] else "，未达到目标")
    style.body(
        document,
        f"今年新签约项目中，重点产业按投资额占比{fmt.percent(c['by_investment'])}，按项目数占比"
        f"{fmt.percent(c['by_count'])}；以{basis}口径计，集聚度{fmt.percent(c['headline'])}，"
        f"目标{fmt.percent(c['target'], 0)}{met}。",
    )

    style.heading(document, 4, "乡镇赛马情况")
    words = wording.award_labels(period)
    style.body(
        document,
        f"本期{words['golden_horse']}：{common.joined(figures.award_names('golden_horse'))}；"
        f"{words['snail']}：{common.joined(figures.award_names('snail'))}。",
        bold_prefix="【通报】",
    )
    common.race_section(document, figures)

    style.heading(document, 5, "县直部门及产业链招商小分队情况")
    style.subheading(document, 1, "县直部门得分排名")
    style.table(
        document, common.RANKING_HEADER, common.ranking_rows(figures, "department"), left_columns=(1, 6)
    )
    style.subheading(document, 2, "产业链招商小分队排名")
    if figures.squads.empty:
        style.body(document, "暂无产业链招商小分队数据。")
    else:
        style.table(
            document, common.squad_header(figures), common.squad_rows(figures), left_columns=(1, 5, 6, 7)
        )

    style.heading(document, 6, "重大项目问题办理情况")
    rows, red = common.problem_unit_rows(figures)
    problems = figures.lists["problems"]
    overdue_units = common.joined(list(figures.lists["by_unit"].query("overdue > 0")["unit_name"]))
    style.body(
        document,
        f"截至{common.at(period.as_of)}，重大项目未办结问题{len(problems)}项，其中超期"
        f"{int(problems['is_overdue'].sum()) if len(problems) else 0}项。超期未办结的责任单位：{overdue_units}。",
    )
    if rows:
        style.caption(document, "表 重大项目问题清单（按责任单位）")
        style.table(document, common.PROBLEM_UNIT_HEADER, rows, left_columns=(0,), red_rows=red)

    style.heading(document, 7, "存在问题及下步要求")
    behind = figures.names("behind_half")
    statement = figures.names("public_statement")
    laggard_units = [f"{name}（{n}个）" for name, n in common.laggard_units(figures)[:10]]
    style.body(document, common.joined(behind) + "。", bold_prefix="任务进度滞后单位：")
    if period.as_of >= _mid_year(figures):
        style.body(
            document,
            common.joined(statement)
            + f"，须{wording.STATEMENT}（按{common.at(_mid_year(figures))}检查日的结果，"
            f"只在任务未过半的单位中产生，{wording.TIE_RULE}）。",
            bold_prefix="公开表态单位：",
        )
    style.body(document, common.joined(laggard_units) + "。", bold_prefix="签约未开工项目较多的单位：")
    style.body(
        document,
        "各乡镇、各部门要对照目标任务，倒排工期、挂图作战，确保按时序进度完成全年任务；"
        "滞后单位要深入分析原因，拿出切实可行的追赶措施。",
    )
    style.signature(document, common.ISSUER, period.as_of)
    return style.to_bytes(document)


def _mid_year(figures: common.Figures) -> date:
    from analytics.metrics.units import mid_year_date

    return mid_year_date(figures.period, figures.settings)


def bulletin_sheets(figures: common.Figures) -> list[Sheet]:
    """The bulletin's tables for Excel (the same figures as the Word document)."""
    return common.sheets(figures, month_label="本月", numbers=figures.extra["month_numbers"])


def bulletin_xlsx(figures: common.Figures) -> bytes:
    title, subtitle = _title(figures)
    return workbook_bytes(bulletin_sheets(figures), f"{title}{subtitle}")
