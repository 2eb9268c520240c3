"""产业集聚: key vs other industries by investment and by count, HHI, per industry, trend by year."""

import streamlit as st

from analytics.core.format import count, money, percent
from analytics.core.labels import HHI_LABEL
from analytics.metrics import concentration
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
    let_top_paint,
    number_columns,
    page_header,
    table,
    target_card,
    zh_frame,
)
from ui.widgets import empty_state, kpi_card

period = current_choices().period
settings = current_settings()
calibers = definitions(settings)
page_header("产业集聚", period)
st.caption("全县口径:本年度新签约项目(截至所选日期、未核销)")

result = load(concentration.concentration, period, settings)
if result["headline"] is None:
    empty_state(
        f"{period.year} 年截至 {period.as_of:%Y-%m-%d} 尚无新签约项目:请在「招商办管理」导入台账,"
        "或运行 make run 生成演示数据;也可在左侧换一个计划年度。"
    )
    st.stop()

basis_zh = "投资额" if result["basis"] == "investment" else "项目个数"
groups = load(overview.key_vs_other, period, settings)
key_row = groups.iloc[0]
cards = st.columns(4)
with cards[0]:
    target_card(
        "重点产业集聚度",
        percent(result["headline"]),
        [f"按{basis_zh}计(考核口径)", f"目标 ≥ {percent(result['target'])}"],
        result["met"],
    )
with cards[1]:
    kpi_card(
        "按投资额计", percent(result["by_investment"]), [f"重点产业投资 {money(key_row['investment_wan'])}"]
    )
with cards[2]:
    kpi_card("按项目个数计", percent(result["by_count"]), [f"重点产业项目 {count(key_row['projects'])}"])
with cards[3]:
    kpi_card(HHI_LABEL, percent(result["hhi"]), ["各产业投资占比的平方和", "0–100%,越大越集中"])
let_top_paint()
figure_tools(
    "重点产业集聚度",
    calibers["concentration"],
    drilldown_loader(period, settings, "concentration.by_investment"),
    key="industry_rows",
)

st.subheader("重点产业与其他产业")
left, right = st.columns(2)
colour_map = {"重点产业": charts.NAVY, "其他产业": "#7F8C9A"}
with left:
    st.markdown("**投资额**")
    chart(
        charts.hbar(
            groups, label="group", value="investment_wan", money=True, colour="group", colour_map=colour_map
        ),
        key="industry_groups_investment",
    )
with right:
    st.markdown("**项目个数**")
    chart(
        charts.hbar(
            groups, label="group", value="projects", unit="个", colour="group", colour_map=colour_map
        ),
        key="industry_groups_count",
    )

st.subheader("分产业")
shares = load(concentration.industry_shares, period)
shares["group"] = shares["is_key"].map({True: "重点产业", False: "其他产业"})
left, right = st.columns([3, 2])
with left:
    st.markdown("**投资额构成**")
    chart(
        charts.treemap(
            shares, label="industry_name", parent="group", value="investment_wan", colour_map=colour_map
        ),
        key="industry_treemap",
    )
with right:
    st.markdown("**项目个数**")
    chart(
        charts.hbar(
            shares, label="industry_name", value="projects", unit="个", colour="group", colour_map=colour_map
        ),
        key="industry_counts",
    )
SHARE_COLUMNS = {
    "industry_name": "产业",
    "group": "类别",
    "projects": "项目个数",
    "investment_wan": "投资额(万元)",
    "count_share": "个数占比",
    "investment_share": "投资额占比",
}
formats = {
    "项目个数": COUNT_FORMAT,
    "投资额(万元)": WAN_FORMAT,
    "个数占比": PERCENT_FORMAT,
    "投资额占比": PERCENT_FORMAT,
}
shown = zh_frame(
    shares.sort_values("investment_wan", ascending=False),
    SHARE_COLUMNS,
    percent=("count_share", "investment_share"),
)
table(shown, key="industry_table", filename="分产业签约项目.xlsx", columns=number_columns(formats))

st.subheader("历年集聚度(各年同期)")
trend = load(overview.concentration_by_year, period, settings)
trend["year_label"] = trend["year"].astype(str) + " 年"
chart(
    charts.lines_over_time(
        trend,
        x="year_label",
        series={"by_investment": "按投资额", "by_count": "按项目个数"},
        percent=True,
        target=result["target"],
        target_label=f"目标 {percent(result['target'])}",
    ),
    key="industry_trend",
)
TREND_COLUMNS = {
    "year": "年度",
    "as_of": "截至",
    "by_investment": "按投资额",
    "by_count": "按项目个数",
    "hhi": "HHI",
}
table(
    zh_frame(trend, TREND_COLUMNS, percent=("by_investment", "by_count", "hhi")),
    key="industry_trend_table",
    filename="历年重点产业集聚度.xlsx",
    columns=number_columns({"按投资额": PERCENT_FORMAT, "按项目个数": PERCENT_FORMAT, "HHI": PERCENT_FORMAT}),
)
