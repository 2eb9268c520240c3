"""周报与月通报: choose a week or a month, preview the key contents, download Word and Excel.

The documents are built by ``analytics.documents`` from the same figures as every page; building
one takes a few seconds (charts included), so each is cached by data version, period and settings.
"""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from typing import Any

import duckdb
import streamlit as st

from analytics.core.format import count, percent
from analytics.documents import bulletin, common, weekly
from analytics.screens import dispatch
from ui.frame import current_choices, current_settings, load
from ui.page import page_header
from ui.safe_text import md_join

log = logging.getLogger(__name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def weekly_documents(con: duckdb.DuckDBPyConnection, as_of: date, settings_json: str) -> dict[str, Any]:
    """The weekly brief's preview facts, .docx and .xlsx bytes (cached through ``load``)."""
    figures = weekly.weekly_figures(con, as_of, json.loads(settings_json))
    return {
        "summary": summary(figures),
        "docx": weekly.weekly_docx(figures),
        "xlsx": weekly.weekly_xlsx(figures),
    }


def monthly_documents(
    con: duckdb.DuckDBPyConnection, month: str, today: date, settings_json: str
) -> dict[str, Any]:
    """The monthly bulletin's preview facts, .docx and .xlsx bytes (cached through ``load``)."""
    figures = bulletin.bulletin_figures(con, month, json.loads(settings_json), today)
    return {
        "summary": summary(figures),
        "docx": bulletin.bulletin_docx(figures),
        "xlsx": bulletin.bulletin_xlsx(figures),
    }


def summary(figures: common.Figures) -> dict[str, Any]:
    """What the preview shows: who is named, and the headline counts."""
    statuses = [e["status"] for e in figures.county]
    problems = figures.lists["problems"]
    return {
        "as_of": figures.period.as_of.isoformat(),
        "golden_horse": figures.award_names("golden_horse"),
        "snail": figures.award_names("snail"),
        "behind_half": figures.names("behind_half"),
        "behind_targets": statuses.count("behind") + statuses.count("far_behind"),
        "landing": [(e["cohort"], e["commencement_rate"], e["production_rate"]) for e in figures.landing],
        "open_problems": len(problems),
        "overdue_problems": int(problems["is_overdue"].sum()) if len(problems) else 0,
        "laggards": len(figures.laggards),
    }


choices = current_choices()
settings_json = json.dumps(current_settings(), sort_keys=True)
page_header("周报与月通报", choices.period)
kind = st.radio("文档", ("一周调度简报", "月度通报"), horizontal=True, key="bulletin_kind")

try:
    if kind == "一周调度简报":
        day = st.date_input(
            "调度日期（简报截至该日，统计本周一至该日）",
            value=choices.as_of,
            key="bulletin_week_of",
            format="YYYY-MM-DD",
        )
        this_week, last_week = dispatch.dispatch_weeks(day)
        st.caption(f"本周 {this_week.label}，对比上周 {last_week.label}")
        name = f"招商引资一周调度简报_{day:%Y%m%d}"
        with st.spinner("正在生成简报（含图表）……"):
            documents = load(weekly_documents, day, settings_json)
    else:
        months = []
        month = choices.as_of.replace(day=1)
        for _ in range(24):
            months.append(f"{month:%Y-%m}")
            month = (month - timedelta(days=1)).replace(day=1)
        # The last complete month first: the current month only once its last day is the as-of date.
        complete = (choices.as_of + timedelta(days=1)).day == 1
        chosen = st.selectbox(
            "通报月份",
            months,
            index=0 if complete else 1,
            key="bulletin_month",
            format_func=lambda m: (
                f"{m[:4]}年{int(m[5:])}月" + ("" if complete or m != months[0] else "(未满月)")
            ),
        )
        name = f"招商引资工作通报_{chosen}"
        with st.spinner("正在生成月通报（含图表）……"):
            documents = load(monthly_documents, chosen, choices.as_of, settings_json)
except bulletin.BadMonth as exc:
    st.error(str(exc))
    st.stop()
except Exception:
    log.exception("document generation failed")
    st.error("文档生成失败，请检查数据后重试。")
    st.stop()

facts = documents["summary"]
st.subheader(f"内容预览（数据截至 {facts['as_of']}）")
left, middle, right = st.columns(3)
left.metric("骏马奖", md_join(facts["golden_horse"]) or "无")
middle.metric("蜗牛奖", md_join(facts["snail"]) or "无")
right.metric("滞后的全县指标", count(facts["behind_targets"], "项"))
left.metric(
    "未办结问题",
    count(facts["open_problems"], "项"),
    f"其中超期 {facts['overdue_problems']} 项",
    delta_color="red" if facts["overdue_problems"] else "off",
    delta_arrow="off",
)
middle.metric("签约未开工项目", count(facts["laggards"], "个"))
for column, (cohort, rate, _) in zip((right, right), facts["landing"], strict=False):
    column.metric(f"{cohort} 年签约项目开工率(9865)", percent(rate))
st.markdown("**任务进度滞后（时间过半任务未过半）单位：** " + (md_join(facts["behind_half"]) or "无"))

col_docx, col_xlsx, _ = st.columns([1, 1, 2])
col_docx.download_button(
    "下载 Word",
    documents["docx"],
    f"{name}.docx",
    DOCX,
    key="bulletin_docx",
    icon=":material/description:",
    type="primary",
)
col_xlsx.download_button(
    "下载 Excel", documents["xlsx"], f"{name}.xlsx", XLSX, key="bulletin_xlsx", icon=":material/table:"
)
st.caption("Word 为公文版式（红头、编号、表格与图表）；Excel 为文中各表的明细数据，金额单位万元。")
