"""The weekly dispatch brief （一周一调度简报）: Word and Excel for the week holding a chosen day.

The brief of the week holding day ``D`` is as of ``D``: this week is Monday to ``D``, compared with
the whole week before (``analytics.dispatch``); the plan year is ``D``'s year.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb

from analytics.core import format as fmt
from analytics.core.period import Period
from analytics.documents import charts, common
from analytics.documents import docx_style as style
from analytics.documents.workbook import Sheet, workbook_bytes
from analytics.screens import dispatch, progress

LAGGARDS_SHOWN = 15
LIGHTS_HEADER = ["灯", "阶段", "项目", "等待环节", "挂包县领导", "上周调度决定"]


def weekly_figures(con: duckdb.DuckDBPyConnection, as_of: date, settings: dict[str, Any]) -> common.Figures:
    """Every figure of the brief for the week holding ``as_of``, as of that day."""
    period = Period(as_of.year, as_of)
    figures = common.gather(con, period, settings)
    this_week, last_week = dispatch.dispatch_weeks(as_of)
    figures.extra |= {
        "this_week": this_week,
        "last_week": last_week,
        "week_numbers": dispatch.week_in_numbers(con, period, settings),
        "resolved": dispatch.resolved_this_week(con, period, settings),
        "last_meeting": dispatch.last_meeting_items(con, period, settings),
        "progress": progress.red_yellow_by_stage(con, period, settings),
    }
    return figures


def _value(kind: str, value: float, unit: str) -> str:
    if kind == "wan":
        return fmt.money_as(value, unit)
    if kind == "usd":
        return fmt.usd_wan(value)
    return fmt.count(value, "")


def _change(kind: str, value: float, unit: str) -> str:
    sign = "+" if value > 0 else ""
    return sign + _value(kind, value, unit) if value else "持平"


WEEK_HEADER = ("指标", "本周", "上周", "增减")


def week_rows(figures: common.Figures) -> list[list[str]]:
    """This week, last week and the change of each figure; an amount's row in one unit (亿元 once
    any of the three reaches 1 亿), so 0.00 亿元 stands beside 1.59 亿元, not 0.00 万元."""
    rows = []
    for _, row in figures.extra["week_numbers"].iterrows():
        unit = fmt.money_unit([row["this_period"], row["last_period"], row["change"]])
        rows.append(
            [
                row["label"],
                _value(row["kind"], row["this_period"], unit),
                _value(row["kind"], row["last_period"], unit),
                _change(row["kind"], row["change"], unit),
            ]
        )
    return rows


PROBLEM_HEADER = ("项目", "问题", "责任单位", "办结时限", "状态")
LAST_MEETING_HEADER = ("项目", "问题", "责任单位", "提出日期", "办结时限", "落实情况")


def issue_number(day: date) -> int:
    """The brief's number: the ISO week of the year."""
    return day.isocalendar().week


def weekly_docx(figures: common.Figures) -> bytes:
    """The brief as a .docx: masthead, title, seven numbered sections, signature."""
    period = figures.period
    this_week = figures.extra["this_week"]
    document = style.new_document()
    style.masthead(
        document,
        "招商引资调度简报",
        f"{period.as_of.year}年第{issue_number(period.as_of)}期",
        common.ISSUER,
        period.as_of,
    )
    style.title(document, "全县招商引资一周调度情况", f"（{this_week.label}）")
    common.basis_line(document, figures.settings)

    style.heading(document, 1, "本周主要数据")
    style.caption(document, "表1 本周与上周主要数据对比")
    style.table(document, WEEK_HEADER, week_rows(figures), left_columns=(0,))
    numbers = figures.extra["week_numbers"]
    counts = numbers[
        numbers["metric"].isin(
            ["new_leads", "signed_projects", "in_stats_projects", "commenced_projects", "produced_projects"]
        )
    ]
    labels = [label.replace("新报送", "").replace("新", "").replace("项目", "") for label in counts["label"]]
    common.chart_or_note(
        document,
        charts.to_png(
            charts.week_chart(labels, list(counts["this_period"]), list(counts["last_period"])), height=420
        ),
        14.0,
    )

    style.heading(document, 2, "“9865”项目推进情况")
    common.landing_section(document, figures)

    style.heading(document, 3, "乡镇赛马情况")
    common.race_section(document, figures)

    style.heading(document, 4, "重大项目三张清单")
    lists = figures.lists
    problems = lists["problems"]
    overdue = problems[problems["is_overdue"]]
    style.subheading(document, 1, "问题清单")
    style.body(
        document,
        f"重大项目未办结问题{len(problems)}项，其中超期{len(overdue)}项（表中红色）;本周办结"
        f"{len(figures.extra['resolved'])}项。超期未办结的责任单位："
        f"{common.joined(list(lists['by_unit'].query('overdue > 0')['unit_name']))}。",
    )
    rows, red = common.problem_unit_rows(figures)
    if rows:
        style.table(document, common.PROBLEM_UNIT_HEADER, rows, left_columns=(0,), red_rows=red)
        detail = [
            [
                r["project_name"],
                r["description"],
                r["responsible_unit_name"],
                common.day(r["due_date"]),
                f"超期{r['days_overdue']}天" if r["is_overdue"] else "办理中",
            ]
            for _, r in problems.iterrows()
        ]
        style.table(
            document,
            PROBLEM_HEADER,
            detail,
            left_columns=(0, 1),
            red_rows=[i for i, (_, r) in enumerate(problems.iterrows()) if r["is_overdue"]],
        )
    style.subheading(document, 2, "责任清单与进度清单")
    responsibility = lists["responsibility"].set_index("project_id")
    progress = lists["progress"]
    style.body(document, f"在建重大项目（亿元以上、未投产或有未办结问题）{len(progress)}个。")
    if len(progress):
        # each money column in one unit, named in its header
        invested, investments = common.money_column("总投资", list(progress["total_investment_wan"]))
        arrived, funds = common.money_column("累计到位", list(progress["funds_wan"]))
        style.table(
            document,
            ("项目", invested, "引进单位", "挂包县领导", "开工", "投产", arrived),
            [
                [
                    r["project_name"],
                    investment,
                    common.text(responsibility.loc[r["project_id"], "unit_name"]),
                    common.text(responsibility.loc[r["project_id"], "leader_in_charge"]),
                    common.day(r["commenced_date"]),
                    common.day(r["production_date"]),
                    fund,
                ]
                for (_, r), investment, fund in zip(progress.iterrows(), investments, funds, strict=True)
            ],
            left_columns=(0,),
        )

    style.heading(document, 5, "上次调度事项落实情况")
    items = figures.extra["last_meeting"]
    done = int((items["outcome"] == "已办结").sum()) if len(items) else 0
    style.body(
        document, f"上周（{figures.extra['last_week'].label}）提出问题{len(items)}项，已办结{done}项。"
    )
    if len(items):
        style.table(
            document,
            LAST_MEETING_HEADER,
            [
                [
                    r["project_name"],
                    r["description"],
                    r["responsible_unit_name"],
                    common.day(r["raised_on"]),
                    common.day(r["due_date"]),
                    r["outcome"],
                ]
                for _, r in items.iterrows()
            ],
            left_columns=(0, 1),
            red_rows=[i for i, (_, r) in enumerate(items.iterrows()) if r["outcome"] == "超期未办结"],
        )

    style.heading(document, 6, "滞后项目及下步要求")
    style.body(
        document,
        f"签约未开工项目共{len(figures.laggards)}个，以下为签约最早的{min(LAGGARDS_SHOWN, len(figures.laggards))}个；"
        f"涉及较多的单位：{common.joined([f'{n}（{k}个）' for n, k in common.laggard_units(figures)[:8]])}。",
    )
    if len(figures.laggards):
        style.table(document, *common.laggard_table(figures, LAGGARDS_SHOWN), left_columns=(0,))
    style.body(document, common.joined(figures.names("behind_half")) + "。", bold_prefix="任务进度滞后单位：")
    style.body(document, "各责任单位要按清单逐项销号，超期问题须在下次调度会前办结并书面说明。")
    style.heading(document, 7, "项目推进红黄灯")
    lights = figures.extra["progress"]
    reds = int((lights["light"] == "red").sum()) if len(lights) else 0
    style.body(
        document,
        f"红灯项目{reds}个、黄灯项目{len(lights) - reds}个（按阶段列出，红灯在前），"
        "以及上周调度会对其提出的事项。",
    )
    if len(lights):
        style.table(
            document,
            LIGHTS_HEADER,
            [
                [
                    r["light_label"],
                    r["stage"],
                    r["project_name"],
                    r["next_step"],
                    common.text(r["leader_in_charge"]),
                    r["decided_last_week"] or "—",
                ]
                for _, r in lights.iterrows()
            ],
            left_columns=(2, 3, 5),
            red_rows=[i for i, light in enumerate(lights["light"]) if light == "red"],
        )
    style.signature(document, common.ISSUER, period.as_of)
    return style.to_bytes(document)


def weekly_sheets(figures: common.Figures) -> list[Sheet]:
    sheets = common.sheets(figures, month_label="本周", numbers=figures.extra["week_numbers"])
    sheets.append(
        Sheet(
            "上次调度事项",
            "上周提出问题的落实情况",
            figures.extra["last_meeting"],
            {
                "problem_id": "问题编码",
                "project_name": "项目名称",
                "description": "问题描述",
                "responsible_unit_name": "责任单位",
                "raised_on": "提出日期",
                "due_date": "办结时限",
                "resolved_on": "办结日期",
                "outcome": "落实情况",
            },
        )
    )
    sheets.append(
        Sheet(
            "本周办结",
            "本周办结的问题",
            figures.extra["resolved"],
            {
                "problem_id": "问题编码",
                "project_name": "项目名称",
                "description": "问题描述",
                "responsible_unit_name": "责任单位",
                "due_date": "办结时限",
                "resolved_on": "办结日期",
            },
        )
    )
    sheets.append(
        Sheet(
            "项目推进红黄灯",
            "红灯、黄灯项目及上周调度决定",
            figures.extra["progress"],
            {
                "project_id": "项目编码",
                "project_name": "项目名称",
                "stage": "阶段",
                "light_label": "灯",
                "next_step": "等待环节",
                "leader_in_charge": "挂包县领导",
                "responsible_unit_name": "责任单位",
                "decided_last_week": "上周调度决定",
            },
        )
    )
    return sheets


def weekly_xlsx(figures: common.Figures) -> bytes:
    return workbook_bytes(
        weekly_sheets(figures), f"全县招商引资一周调度情况（{figures.extra['this_week'].label}）"
    )
