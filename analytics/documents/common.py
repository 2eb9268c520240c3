"""What the weekly brief and the monthly bulletin share: the figures they read and the tables they print.

Every figure comes from the module that owns its METRICS.md section (county §3, landing §1,
concentration §2, units §4, squads §5, supervision §7) or from ``analytics.dispatch``; this module
only gathers them for a period and turns them into rows of text for Word and frames for Excel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.core import format as fmt
from analytics.core.labels import GROUP_LABELS, metric_title
from analytics.core.period import Period
from analytics.core.settings import SETTING_LABELS
from analytics.documents import charts, wording
from analytics.documents import docx_style as style
from analytics.metrics import concentration, county, landing, squads, units
from analytics.screens import catalog, dispatch

ISSUER = "县招商引资工作领导小组办公室"
GROUPS = tuple((g, GROUP_LABELS[g]) for g in ("township_1", "township_2"))


@dataclass
class Figures:
    """Everything a document prints, computed once for one period."""

    period: Period
    settings: dict[str, Any]
    county: list[dict]
    landing: list[dict]
    landing_gap: list[dict]
    laggards: pd.DataFrame
    concentration: dict[str, Any]
    units: pd.DataFrame
    squads: pd.DataFrame
    lists: dict[str, pd.DataFrame]
    extra: dict[str, Any] = field(default_factory=dict)

    def names(self, flag: str) -> list[str]:
        """Names of the units with a truthy ``flag`` column (behind_half, public_statement), in table order."""
        if self.units.empty:
            return []
        return list(self.units.loc[self.units[flag].astype(bool), "name"])

    def award_names(self, award: str, group: str | None = None) -> list[str]:
        """Names of the units holding ``award`` (golden_horse / advanced / snail), optionally of one group."""
        if self.units.empty:
            return []
        rows = self.units[self.units["awards"].map(lambda a: award in a)]
        if group:
            rows = rows[rows["group"] == group]
        return list(rows["name"])


def gather(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> Figures:
    """Compute every section's figures for ``period`` (units evaluated once, shared by squads)."""
    evaluated = units.evaluate_units(con, period, settings)
    squad_rows = pd.DataFrame(squads.squad_results(con, period, settings, evaluated=evaluated))
    if not squad_rows.empty:
        names = catalog.squads(con).set_index("squad_id")["name"]
        unit_names = catalog.units(con).set_index("unit_id")["name"]
        squad_rows["name"] = squad_rows["squad_id"].map(names)
        for column, names_column in (
            ("advanced_members", "advanced_name"),
            ("disqualified", "disqualified_names"),
            ("unassessed", "unassessed_names"),
        ):
            squad_rows[names_column] = squad_rows[column].map(
                lambda ids: "、".join(unit_names.get(u, u) for u in ids)
            )
    unit_rows = units.unit_table(con, period, settings, evaluated=evaluated)
    if not unit_rows.empty:
        unit_rows["awards_zh"] = unit_rows["awards"].map(lambda a: wording.awards_text(a, period))
    return Figures(
        period=period,
        settings=settings,
        county=county.county_metrics_labelled(con, period, settings),
        landing=landing.landing_rates(con, period, settings),
        landing_gap=landing.landing_gap(con, period, settings),
        laggards=landing.laggards(con, period),
        concentration=concentration.concentration(con, period, settings),
        units=unit_rows,
        squads=squad_rows,
        lists=dispatch.three_lists(con, period, settings),
    )


def day(value: object) -> str:
    """A date as YYYY-MM-DD; blank (None / NaT) as a dash."""
    if value is None or pd.isna(value):
        return fmt.DASH
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def text(value: object) -> str:
    """A text cell; blank (None / NaN / empty) as a dash."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return fmt.DASH
    return str(value)


def joined(names: list[str], empty: str = "无") -> str:
    return "、".join(names) if names else empty


# ---------------------------------------------------------------------------------------------
# rows of text for the Word tables
# ---------------------------------------------------------------------------------------------

COUNTY_HEADER = ("指标", "年度目标", "完成", "完成率", "时序进度", "状态", "同比")


def county_rows(figures: Figures) -> list[list[str]]:
    """Each county target's row; its target and what is done in one unit (both 亿元, or both 万元)."""
    schedule = fmt.percent(figures.period.schedule)
    rows = []
    for e in figures.county:
        target, actual = fmt.metric_values(e["metric"], [e["target"], e["actual"]])
        rows.append(
            [
                metric_title(e["name_zh"]),
                target if e["target"] is not None else "未设",
                actual,
                fmt.percent(e["completion"]),
                schedule,
                fmt.status_label(e["status"]),
                fmt.signed_percent(e["yoy"]),
            ]
        )
    return rows


LANDING_HEADER = ("签约年度", "基数", "已开工", "开工率", "开工目标", "已投产", "投产率", "投产目标")


def landing_rows(figures: Figures) -> list[list[str]]:
    def met(flag: bool | None) -> str:
        return "" if flag is None else ("（达标）" if flag else "（未达标）")

    return [
        [
            f"{e['cohort']}年",
            f"{fmt.count(e['base'])}(已核销 {e['written_off']})",
            fmt.count(e["commenced"]),
            fmt.percent(e["commencement_rate"]) + met(e["commencement_met"]),
            fmt.percent(e["commencement_target"], 0),
            fmt.count(e["produced"]),
            fmt.percent(e["production_rate"]) + met(e["production_met"]),
            fmt.percent(e["production_target"], 0),
        ]
        for e in figures.landing
    ]


RANKING_HEADER = ("名次", "单位", "项目引进", "项目入统", "有效信息", "得分", "奖项/情形")


def _actual_of_target(row: pd.Series, metric: str) -> str:
    target = row[f"{metric}_target"]
    actual = int(row[f"{metric}_actual"])
    return f"{actual}/{target:g}" if target is not None and pd.notna(target) else f"{actual}/—"


def ranking_rows(figures: Figures, group: str) -> list[list[str]]:
    """One group's units by rank: actual/target of each indicator, score, awards and flags."""
    table = figures.units[figures.units["group"] == group] if not figures.units.empty else figures.units
    rows = []
    for _, row in table.iterrows():
        notes = wording.unit_notes(row, figures.period)
        rows.append(
            [
                str(row["rank"]) if pd.notna(row["rank"]) else "—",
                row["name"],
                _actual_of_target(row, "signed_projects"),
                _actual_of_target(row, "in_stats_projects"),
                _actual_of_target(row, "valid_leads"),
                fmt.score(row["score"]),
                "、".join(notes),
            ]
        )
    return rows


def squad_header(figures: Figures) -> tuple[str, ...]:
    advanced = wording.advanced_member_word(figures.period)
    return ("名次", "小分队", "总得分", "平均分", "完成任务", advanced, "取消评先评优资格", "未下达目标成员")


def squad_rows(figures: Figures) -> list[list[str]]:
    done = {True: "完成", False: "未完成"}
    return [
        [
            str(row["rank"]),
            row["name"],
            fmt.score(row["score"]),
            fmt.score(row["mean_score"]),
            done.get(row["completed"], "—"),
            text(row["advanced_name"]),
            text(row["disqualified_names"]),
            text(row["unassessed_names"]),
        ]
        for _, row in figures.squads.iterrows()
    ]


PROBLEM_UNIT_HEADER = ("责任单位", "未办结问题", "其中超期", "最早办结时限")


def problem_unit_rows(figures: Figures) -> tuple[list[list[str]], list[int]]:
    """Open problems per responsible unit; the indexes of units with overdue problems (printed red)."""
    table = figures.lists["by_unit"]
    rows, red = [], []
    for i, (_, row) in enumerate(table.iterrows()):
        rows.append(
            [
                row["unit_name"],
                fmt.count(row["open"], "项"),
                fmt.count(row["overdue"], "项"),
                day(row["earliest_due"]),
            ]
        )
        if row["overdue"] > 0:
            red.append(i)
    return rows, red


def money_column(title: str, values_wan: list[float]) -> tuple[str, list[str]]:
    """A table column of amounts in one unit: its header names the unit (「总投资（亿元）」: 亿元 once
    the largest reaches 1 亿, else 万元) and its cells are bare numbers in it."""
    unit = fmt.money_unit(values_wan)
    return f"{title}（{unit}）", [fmt.amount_in(v, unit) for v in values_wan]


def laggard_table(figures: Figures, limit: int) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the signed-not-commenced projects, the earliest signed first."""
    shown = figures.laggards.head(limit)
    invested, amounts = money_column("总投资", list(shown["total_investment_wan"]))
    rows = [
        [
            row["project_name"],
            text(row["unit_name"]),
            day(row["signed_date"]),
            f"{int(row['days_since_signed'])} 天",
            amount,
        ]
        for (_, row), amount in zip(shown.iterrows(), amounts, strict=True)
    ]
    return ["项目名称", "引进单位", "签约日期", "已签约天数", invested], rows


def laggard_units(figures: Figures) -> list[tuple[str, int]]:
    """(unit name, laggard projects) for units with laggards, most first, ties by name."""
    if figures.laggards.empty:
        return []
    counts = figures.laggards.groupby("unit_name").size().reset_index(name="n")
    counts = counts.sort_values(["n", "unit_name"], ascending=[False, True])
    return [(r.unit_name, int(r.n)) for r in counts.itertuples()]


# ---------------------------------------------------------------------------------------------
# document pieces both documents print
# ---------------------------------------------------------------------------------------------


def chart_or_note(document, png: bytes | None, width_cm: float = 15.0) -> None:
    """The chart, or a one-line note where it could not be drawn (the document is still complete)."""
    if png:
        style.picture(document, png, width_cm)
    else:
        style.body(document, "（本图未能生成，数据见上表及所附 Excel 表。）")


def landing_section(document, figures: Figures) -> None:
    style.table(document, LANDING_HEADER, landing_rows(figures))
    chart_or_note(document, charts.to_png(charts.landing_chart(figures.landing)))
    gaps = [
        f"{g['cohort']}年签约项目还需开工 {g['commencements_needed']} 个、还需投产 {g['productions_needed']} 个"
        for g in figures.landing_gap
    ]
    style.body(document, ";".join(gaps) + "方能达到目标。")


def race_section(document, figures: Figures, number_start: int = 1) -> None:
    for offset, (group, label) in enumerate(GROUPS):
        style.subheading(document, number_start + offset, f"{label}赛马排名")
        rows = ranking_rows(figures, group)
        if not rows:
            style.body(document, f"暂无{label}考核数据。")
            continue
        horses, snails = figures.award_names("golden_horse", group), figures.award_names("snail", group)
        words = wording.award_labels(figures.period)
        style.body(
            document,
            wording.award_sentence(label, horses, snails, figures.period),
            bold_prefix=f"【{words['golden_horse']}/{words['snail']}】",
        )
        tied = figures.units[(figures.units["group"] == group) & figures.units["tied"].astype(bool)]
        if not tied.empty:
            ties = ";".join(
                f"第{rank}名{joined(list(names))}" for rank, names in tied.groupby("rank")["name"]
            )
            style.body(document, f"{ties}。{wording.TIE_RULE}。", bold_prefix="【并列】")
        style.caption(document, f"{label}赛马排名表")
        style.table(document, RANKING_HEADER, rows, left_columns=(1, 6))
        table = figures.units[figures.units["group"] == group]
        png = charts.to_png(
            charts.score_chart(list(table["name"]), list(table["score"]), f"{label}综合得分"),
            height=max(320, 60 * len(table) + 140),
        )
        chart_or_note(document, png, 14.0)


def at(day: date) -> str:
    return style.chinese_date(day)


def basis_line(document, settings: dict[str, Any]) -> None:
    """「仅计已核验」 under a document's title while the settings count only verified milestones."""
    if settings.get("count_verified_only"):
        style.caption(
            document, f"（{SETTING_LABELS['count_verified_only']}：入统、开工、投产和资金到位均只计已核验的）"
        )


# ---------------------------------------------------------------------------------------------
# Excel sheets
# ---------------------------------------------------------------------------------------------

NUMBERS_COLUMNS = {"label": "指标", "this_period": "{0}", "last_period": "{1}", "change": "增减"}
UNIT_COLUMNS = {
    "rank": "名次",
    "unit_id": "单位编码",
    "name": "单位",
    "group_zh": "类别",
    "signed_projects_actual": "项目引进",
    "signed_projects_target": "项目引进目标",
    "in_stats_projects_actual": "项目入统",
    "in_stats_projects_target": "项目入统目标",
    "valid_leads_actual": "有效信息",
    "valid_leads_target": "有效信息目标",
    "score": "得分",
    "completed": "三项均完成",
    "awards_zh": "奖项",
    "behind_half": "时间过半任务未过半",
    "public_statement": "公开表态",
}


def sheets(figures: Figures, *, month_label: str, numbers: pd.DataFrame) -> list:
    """The tables behind a document, one sheet each, Chinese headers, money as 万元 numbers."""
    from analytics.documents.workbook import Sheet

    previous = "上月" if month_label == "本月" else "上周"
    county_frame = pd.DataFrame(figures.county)
    county_frame["schedule"] = figures.period.schedule
    number_columns = {k: v.format(month_label, previous) for k, v in NUMBERS_COLUMNS.items()}
    lists = figures.lists
    out = [
        Sheet(
            "目标任务",
            "全县目标任务完成情况",
            county_frame,
            {
                "name_zh": "指标",
                "unit_zh": "单位",
                "target": "年度目标",
                "actual": "完成",
                "completion": "完成率",
                "schedule": "时序进度",
                "status": "状态",
                "previous": "去年同期",
                "yoy": "同比",
            },
            rates=("completion", "schedule", "yoy"),
        ),
        Sheet(
            f"{month_label}数据",
            f"{month_label}与{previous}主要数据（金额：万元/万美元）",
            numbers.assign(is_money=numbers["kind"] != "count"),
            number_columns,
            money=("this_period", "last_period", "change"),
            money_if="is_money",
        ),
        Sheet(
            "9865落地",
            "“9865”项目开工率、投产率",
            pd.DataFrame(figures.landing),
            {
                "cohort": "签约年度",
                "base": "项目数",
                "commenced": "已开工",
                "commencement_rate": "开工率",
                "commencement_target": "开工目标",
                "produced": "已投产",
                "production_rate": "投产率",
                "production_target": "投产目标",
            },
            rates=("commencement_rate", "commencement_target", "production_rate", "production_target"),
        ),
        Sheet(
            "滞后项目",
            "签约未开工项目（按签约日期）",
            figures.laggards,
            {
                "project_id": "项目编码",
                "project_name": "项目名称",
                "cohort": "签约年度",
                "signed_date": "签约日期",
                "days_since_signed": "已签约天数",
                "unit_name": "引进单位",
                "township_name": "落户乡镇",
                "leader_in_charge": "挂包县领导",
                "total_investment_wan": "总投资(万元)",
            },
            money=("total_investment_wan",),
        ),
        Sheet("单位排名", "乡镇赛马与县直部门考核", figures.units, UNIT_COLUMNS, scores=("score",)),
    ]
    if not figures.squads.empty:
        out.append(
            Sheet(
                "招商小分队",
                "产业链招商小分队排名",
                figures.squads,
                {
                    "rank": "名次",
                    "squad_id": "小分队编码",
                    "name": "小分队",
                    "score": "总得分",
                    "mean_score": "平均分",
                    "completed": "全部完成",
                    "advanced_name": "先进队员单位",
                    "disqualified_names": "取消评先评优资格",
                },
                scores=("score", "mean_score"),
            )
        )
    out += [
        Sheet(
            "问题清单",
            "重大项目问题清单（未办结）",
            lists["problems"],
            {
                "problem_id": "问题编码",
                "project_name": "项目名称",
                "description": "问题描述",
                "responsible_unit_name": "责任单位",
                "raised_on": "提出日期",
                "due_date": "办结时限",
                "is_overdue": "超期",
                "days_overdue": "超期天数",
            },
        ),
        Sheet(
            "责任清单",
            "重大项目责任清单",
            lists["responsibility"],
            {
                "project_id": "项目编码",
                "project_name": "项目名称",
                "total_investment_wan": "总投资(万元)",
                "unit_name": "引进单位",
                "township_name": "落户乡镇",
                "leader_in_charge": "挂包县领导",
                "open_problems": "未办结问题",
                "overdue_problems": "其中超期",
            },
            money=("total_investment_wan",),
        ),
        Sheet(
            "进度清单",
            "重大项目进度清单",
            lists["progress"],
            {
                "project_id": "项目编码",
                "project_name": "项目名称",
                "total_investment_wan": "总投资(万元)",
                "signed_date": "签约日期",
                "in_stats_date": "入统日期",
                "commenced_date": "开工日期",
                "production_date": "投产日期",
                "funds_wan": "累计到位资金(万元)",
                "stage": "当前阶段",
            },
            money=("total_investment_wan", "funds_wan"),
        ),
    ]
    return out
