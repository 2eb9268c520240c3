"""9865 项目落地: both cohorts against their targets, the gap, breakdowns, laggards, the timeline."""

import pandas as pd
import streamlit as st

from analytics.core.format import count, landing_base, percent
from analytics.metrics import landing
from analytics.metrics.definitions import definitions
from analytics.screens import overview
from ui import charts
from ui.frame import current_choices, current_settings, load
from ui.page import (
    COUNT_FORMAT,
    PERCENT_FORMAT,
    WAN_FORMAT,
    chart,
    drilldown_loader,
    figure_tools,
    leader_column,
    let_top_paint,
    number_columns,
    page_header,
    sidebar_filter,
    table,
    target_card,
    zh_frame,
)
from ui.widgets import empty_state

period = current_choices().period
settings = current_settings()
calibers = definitions(settings)
page_header("9865 项目落地", period)
options = load(overview.filter_options)
township = sidebar_filter("落户乡镇", options["township"], key="landing_township")
squad = sidebar_filter("招商小分队", options["squad"], key="landing_squad")
industry = sidebar_filter("产业", options["industry"], key="landing_industry")

rates = load(landing.landing_rates, period, settings)
gaps = {g["cohort"]: g for g in load(landing.landing_gap, period, settings)}
if not any(entry["base"] for entry in rates):
    empty_state(
        f"{period.year - 1}、{period.year} 年尚无签约项目:请在「招商办管理」导入台账,"
        "或运行 make run 生成演示数据;也可在左侧换一个计划年度。"
    )
    st.stop()

st.subheader("开工率与投产率")
st.caption(
    " · ".join(f"{e['cohort']} 年签约:{landing_base(e['base'], e['written_off'])}" for e in rates)
    + " · 已核销项目不在基数内"
)
cards = st.columns(4)
for index, entry in enumerate(rates):
    cohort, gap = entry["cohort"], gaps[entry["cohort"]]
    for offset, (stage, done, needed_key) in enumerate(
        (("开工", "commenced", "commencements_needed"), ("投产", "produced", "productions_needed"))
    ):
        rate_key = "commencement" if stage == "开工" else "production"
        with cards[index * 2 + offset]:
            target_card(
                f"{cohort} 年签约项目{stage}率",
                percent(entry[f"{rate_key}_rate"]),
                [
                    f"目标 {percent(entry[f'{rate_key}_target'])} · 已{stage} {entry[done]} / {entry['base']} 个",
                    f"还需{stage} {count(gap[needed_key])}" if gap[needed_key] else f"{stage}目标已达到",
                ],
                entry[f"{rate_key}_met"],
            )
let_top_paint()
bullets = [
    {"label": f"{e['cohort']} 年{stage}率", "rate": e[f"{key}_rate"], "target": e[f"{key}_target"]}
    for e in rates
    for stage, key in (("开工", "commencement"), ("投产", "production"))
]
chart(charts.rates_vs_targets(pd.DataFrame(bullets)), key="landing_bullets")
figure_tools(
    "9865 开工率、投产率",
    calibers["landing"],
    drilldown_loader(period, settings, "landing.base"),
    key="landing_rows",
)

st.subheader("分乡镇、小分队、产业落地情况")
BREAKDOWN_COLUMNS = {
    "group_name": "名称",
    "cohort": "签约年度",
    "base": "基数(个)",
    "commenced": "已开工(个)",
    "produced": "已投产(个)",
    "commencement_rate": "开工率",
    "production_rate": "投产率",
}
for tab, (by, label) in zip(
    st.tabs(["按落户乡镇", "按招商小分队", "按产业"]),
    (("township", "落户乡镇"), ("squad", "招商小分队"), ("industry", "产业")),
    strict=True,
):
    with tab:
        frame = load(landing.landing_breakdown, period, settings, by)
        frame["group_name"] = frame["group_name"].fillna(f"未填{label}")
        shown = zh_frame(frame, BREAKDOWN_COLUMNS, percent=("commencement_rate", "production_rate"))
        formats = {"开工率": PERCENT_FORMAT, "投产率": PERCENT_FORMAT}
        table(
            shown, key=f"landing_by_{by}", filename=f"9865落地_{label}.xlsx", columns=number_columns(formats)
        )

st.subheader("未开工项目清单")
cohort_choice = st.segmented_control(
    "签约年度",
    [None, period.year - 1, period.year],
    format_func=lambda c: "两个年度" if c is None else f"{c} 年签约",
    default=None,
    key="landing_cohort",
)
lag = load(overview.laggard_list, period, cohort_choice, township, squad, industry)
lag = lag.fillna({"township_name": "—", "leader_in_charge": "—", "unit_name": "—"})
st.markdown(f"**共 {len(lag):,} 个项目已签约未开工**(按签约日期由早到晚)")
LAGGARD_COLUMNS = {  # the 挂包县领导 beside the name: in view at 1600 px without scrolling
    "project_name": "项目名称",
    "leader_in_charge": "挂包县领导",
    "company": "投资企业",
    "signed_date": "签约日期",
    "days_since_signed": "签约至今(天)",
    "unit_name": "引进单位",
    "township_name": "落户乡镇",
    "industry_name": "产业",
    "total_investment_wan": "总投资(万元)",
}
if lag.empty:
    empty_state("所选范围内没有已签约未开工的项目。")
else:
    formats = {"签约至今(天)": COUNT_FORMAT, "总投资(万元)": WAN_FORMAT}
    date_column = {"签约日期": st.column_config.DateColumn("签约日期", format="YYYY-MM-DD")}
    table(
        zh_frame(lag, LAGGARD_COLUMNS),
        key="landing_laggards",
        filename="未开工项目清单.xlsx",
        columns=number_columns(formats) | date_column | leader_column(),
        height=420,
    )

st.subheader("签约 → 开工 → 投产 逐月进程")
st.caption("今日基数中的项目,截至每月末累计已签约、已开工、已投产的个数")
timeline = load(landing.landing_timeline, period)
for column, cohort in zip(st.columns(2), (period.year - 1, period.year), strict=True):
    with column:
        part = timeline[timeline["cohort"] == cohort]
        st.markdown(f"**{cohort} 年签约项目**")
        if part.empty:
            empty_state(f"{cohort} 年没有签约项目。")
        else:
            series = {"signed": "已签约", "commenced": "已开工", "produced": "已投产"}
            chart(charts.lines_over_time(part, x="month", series=series), key=f"landing_timeline_{cohort}")
