"""项目库: every project as of the as-of date, searchable and filterable; one project's record below."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core import format as fmt
from analytics.core.schema import COMPANY_RANK_CHOICES, SOURCE_CHOICES
from analytics.metrics.definitions import definitions
from analytics.screens import catalog, overview, registry
from analytics.screens.readable import tidy_cells
from ui.auth import require_user
from ui.charts import funds_over_time, stage_steps_html
from ui.frame import current_choices, current_settings, load
from ui.page import (
    LEADER_HEADER,
    LEADER_WIDTH,
    WAN_FORMAT,
    chart,
    figure_tools,
    let_top_paint,
    page_header,
    sidebar_filter,
    zh_frame,
)
from ui.safe_text import md
from ui.widgets import empty_state, excel_download, explain, kpi_card

PROBLEM_KEYS = ("supervision.problem_open", "supervision.problem_overdue")
PICK = "projects_pick"
# On screen, what a leader scans, with the 挂包县领导 beside the project's name, in pixel widths that
# fit the 1,138 px a table has in a 1600 px window beside the sidebar (no horizontal scroll); the
# Excel download keeps every column of the library (dates of each stage, overdue problems, industry,
# company, project code).
SCREEN_COLUMNS: dict[str, int] = {
    "项目名称": 206,
    LEADER_HEADER: LEADER_WIDTH,
    "阶段": 100,
    "总投资(万元)": 98,
    "到位资金(万元)": 110,
    "未办结问题": 86,
    "签约日期": 92,
    "引进单位": 120,
    "落户乡镇": 76,
}


def dates_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as YYYY-MM-DD text, blank where the date has not happened (not 「None」)."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").fillna("")
    return out


def all_or(names: dict) -> object:
    return lambda value: "全部" if value is None else names[value]


def pick_selected_row() -> None:
    """A click on a table row chooses that project for the record below."""
    rows = st.session_state["projects_table"].selection.rows
    if rows:
        st.session_state[PICK] = st.session_state["projects_ids"][rows[0]]


require_user()  # also when a deep link reaches this script without the router
period = current_choices().period
page_header("项目库", period)
if load(catalog.is_empty):
    empty_state("尚无数据:请在「招商办管理」导入台账,或运行 make run 生成演示数据。")
    st.stop()

options = load(overview.filter_options)
township = sidebar_filter("落户乡镇", options["township"], key="projects_township")
industry = sidebar_filter("产业", options["industry"], key="projects_industry")
units = load(catalog.units)
unit_names = dict(zip(units["unit_id"], units["name"], strict=True))
years = {y: f"{y} 年" for y in load(registry.signed_years, period)}
bar = st.columns([3, 2, 2, 2])
search = bar[0].text_input("搜索", key="projects_search", placeholder="项目名称、投资企业或项目编码")
unit = bar[1].selectbox("引进单位", [None, *unit_names], format_func=all_or(unit_names), key="projects_unit")
stage = bar[2].selectbox(
    "阶段", [None, *registry.STAGES], format_func=all_or(registry.STAGES), key="projects_stage"
)
year = bar[3].selectbox("签约年度", [None, *years], format_func=all_or(years), key="projects_year")
filters = {"search": search, "township_id": township, "unit_id": unit, "industry_id": industry}
library = load(registry.project_list, period, filters | {"stage": stage, "signed_year": year})
if library.empty:
    empty_state("没有符合条件的项目:请放宽搜索词或筛选条件;新项目请在「数据填报」录入。")
    st.stop()

total = registry.library_summary(library)
n = total["stages"]
cards = st.columns(4)
with cards[0]:
    kpi_card(
        "项目",
        fmt.count(total["projects"]),
        [
            f"未开工 {n['signed']} · 已开工 {n['commenced']}",
            f"已投产 {n['produced']} · 已核销 {n['written_off']}",
        ],
    )
with cards[1]:
    kpi_card("总投资", fmt.money(total["total_investment_wan"]), ["各项目签约总投资之和"])
with cards[2]:
    share = (
        total["funds_arrived_wan"] / total["total_investment_wan"] if total["total_investment_wan"] else None
    )
    kpi_card(
        "到位资金",
        fmt.money(total["funds_arrived_wan"]),
        [f"占总投资 {fmt.percent(share)}", f"截至 {fmt.day(period.as_of)}"],
    )
with cards[3]:
    lines = [f"其中逾期 {total['overdue_problems']} 个", "按截止日判断是否办结、逾期"]
    kpi_card("未办结问题", fmt.count(total["open_problems"], "个"), lines)
let_top_paint()
figure_tools("项目库", registry.LIBRARY_DEFINITION, key="projects_def")

shown = dates_as_text(
    zh_frame(library.assign(stage_zh=library["stage"].map(registry.STAGES)), registry.LIBRARY_COLUMNS)
)
st.session_state["projects_ids"] = library["project_id"].tolist()
columns = {  # none pinned: a pinned column's text is grey, and nothing needs a horizontal scroll
    name: st.column_config.Column(name, width=width, pinned=False) for name, width in SCREEN_COLUMNS.items()
}
columns |= {
    name: st.column_config.NumberColumn(name, format=WAN_FORMAT, width=SCREEN_COLUMNS[name])
    for name in ("总投资(万元)", "到位资金(万元)")
}
st.caption(
    "点选表格左侧的方框选中一个项目,在下方查看它的进度、资金到位和问题清单。"
    "各阶段日期、逾期问题、产业、投资企业和项目编码见下载的 Excel。"
)
st.dataframe(
    tidy_cells(shown[list(SCREEN_COLUMNS)], booleans=False),
    hide_index=True,
    width="stretch",
    height=min(420, 35 * (len(shown) + 1) + 3),
    column_config=columns,
    key="projects_table",
    on_select=pick_selected_row,
    selection_mode="single-row",
)
excel_download(shown, "项目库.xlsx", key="projects_xlsx")

st.divider()
labels = dict(zip(library["project_id"], library["name"], strict=True))
if st.session_state.get(PICK) not in labels:
    st.session_state[PICK] = None
chosen = st.selectbox(
    "查看项目",
    [None, *labels],
    key=PICK,
    format_func=lambda p: "请在上表点选,或在此选择项目" if p is None else f"{labels[p]}({p})",
    placeholder="请在上表点选,或在此选择项目",
)
detail = load(registry.project_detail, period, chosen) if chosen else None
if detail is None:
    st.stop()

project = detail["project"]
st.subheader(md(project["name"]))
rank = COMPANY_RANK_CHOICES.get(project["company_rank"] or "")
st.caption(
    f"投资企业 {md(project['company'])}{f'({rank})' if rank else ''} · 项目编码 {md(project['project_id'])}"
    f" · {SOURCE_CHOICES[project['source']]}资金 · {'入园项目' if project['in_park'] else '园外项目'}"
)
st.html(stage_steps_html(detail["timeline"]))
cards = st.columns(4)
with cards[0]:
    days = (period.as_of - project["signed_date"]).days
    kpi_card(
        "当前阶段",
        registry.STAGES[project["stage"]],
        [f"签约至今 {days} 天", f"引进单位 {project['unit_name']}"],
    )
with cards[1]:
    share = project["funds_arrived_wan"] / project["total_investment_wan"]
    kpi_card(
        "总投资",
        fmt.money(project["total_investment_wan"]),
        [f"已到位 {fmt.money(project['funds_arrived_wan'])}", f"到位比例 {fmt.percent(share)}"],
    )
with cards[2]:
    key_note = "重点产业" if project["is_key_industry"] else "非重点产业"
    kpi_card(
        "产业 / 落户乡镇", project["industry_name"], [key_note, project["township_name"] or "落户乡镇未定"]
    )
with cards[3]:
    kpi_card("挂包县领导", project["leader_in_charge"] or "未明确", ["负责协调解决项目问题"])

left, right = st.columns(2)
with left:
    st.markdown("**资金到位情况**")
    series = load(registry.fund_series, period, chosen)
    if series.empty:
        empty_state(f"截至 {fmt.day(period.as_of)} 尚无资金到位记录。")
    else:
        chart(funds_over_time(series), key="projects_funds_chart")
with right:
    st.markdown("**问题清单 · 责任清单 · 进度清单**")
    calibers = definitions(current_settings())
    explain("问题办理", "\n\n".join(f"**{calibers[k].title}**:{calibers[k]}" for k in PROBLEM_KEYS))
    problems = load(registry.project_problems, period, chosen)
    if problems.empty:
        st.success("该项目暂无登记的问题。", icon=":material/check_circle:")
    else:
        lists = registry.PROBLEM_LISTS
        for tab, (name, headers) in zip(st.tabs(list(lists)), lists.items(), strict=True):
            with tab:
                frame = dates_as_text(zh_frame(problems, headers))
                st.dataframe(frame, hide_index=True, width="stretch", key=f"projects_{name}")
                excel_download(frame, f"{project['name']}_{name}.xlsx", key=f"projects_{name}_xlsx")
if project["note"]:
    st.caption(f"备注:{md(project['note'])}")
