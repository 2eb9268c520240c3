"""招商信息: the lead registry with the first-report decision (首报认定), tiers, status, pending days, funnel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core import format as fmt
from analytics.core.schema import STATUS_CHOICES, TIER_CHOICES
from analytics.metrics import supervision
from analytics.metrics.definitions import definitions
from analytics.screens import catalog, overview, registry
from analytics.screens.drilldown import rows_for_display
from ui.auth import require_user
from ui.charts import calm_funnel
from ui.frame import current_choices, current_settings, load
from ui.page import (
    WAN_FORMAT,
    chart,
    figure_tools,
    let_top_paint,
    number_columns,
    page_header,
    sidebar_filter,
    table,
    zh_frame,
)
from ui.widgets import empty_state, kpi_card

FIRST_CHOICES = {None: "全部", True: "只看首报", False: "只看重复与无效"}
KEYS = (
    "leads.first_report",
    "supervision.lead_funnel",
    "supervision.lead_conversion",
    "leads.near_duplicates",
)


def all_or(names: dict) -> object:
    return lambda value: "全部" if value is None else names[value]


require_user()  # also when a deep link reaches this script without the router
period = current_choices().period
settings = current_settings()
calibers = definitions(settings)
page_header("招商信息", period)
if load(catalog.is_empty):
    empty_state("尚无数据:请在「招商办管理」导入台账,或运行 make run 生成演示数据。")
    st.stop()

units = load(catalog.units)
unit = sidebar_filter("报送单位", list(zip(units["unit_id"], units["name"], strict=True)), key="leads_unit")
industry = sidebar_filter("产业", load(overview.filter_options)["industry"], key="leads_industry")
funnel = load(supervision.lead_funnel, period)
if funnel["reported"] == 0:
    empty_state(
        f"{period.year} 年截至 {fmt.day(period.as_of)} 尚无报送的招商信息:各单位可在「数据填报」报送信息。"
    )
    st.stop()

every_lead = load(registry.lead_registry, period)
pending = registry.filter_leads(every_lead, {"status": "pending"})
cards = st.columns(4)
with cards[0]:
    uncounted = funnel["reported"] - funnel["first_reports"] - funnel["duplicates"]
    lines = [
        f"首报 {funnel['first_reports']} · 重复 {funnel['duplicates']}",
        f"无效信息 {uncounted}(不参与首报认定)",
    ]
    kpi_card("全县报送信息", fmt.count(funnel["reported"], "条"), lines)
with cards[1]:
    kpi_card("认定有效的首报", fmt.count(funnel["valid_first_reports"], "条"), ["计入各单位「有效信息」指标"])
with cards[2]:
    oldest = f"最久已等 {int(pending['days_pending'].max())} 天" if len(pending) else "没有积压"
    kpi_card("待认定", fmt.count(len(pending), "条"), [oldest, "认定有效后方计入单位得分"])
with cards[3]:
    lines = [f"有效首报 {funnel['valid_first_reports']} 条中 {funnel['converted']} 条已转化为项目"]
    kpi_card("信息转化率", fmt.percent(funnel["conversion"]), lines)
definition = "\n\n".join(f"**{calibers[k].title}**:{calibers[k]}" for k in KEYS)
behind = lambda: load(rows_for_display, period, settings, "supervision.lead_funnel")  # noqa: E731
let_top_paint()
figure_tools("招商信息与首报认定", definition, behind, key="leads_def")

left, right = st.columns([3, 2])
with left:
    st.markdown("**信息转化漏斗**")
    stages = [("报送信息", funnel["reported"]), ("首报", funnel["first_reports"])]
    stages += [("认定有效", funnel["valid_first_reports"]), ("转化为项目", funnel["converted"])]
    chart(calm_funnel(stages), key="leads_funnel")
with right:
    st.markdown("**按等级与认定状态**")
    by_tier = (
        pd.DataFrame(funnel["by_tier_status"]).T.reindex(columns=list(STATUS_CHOICES)).fillna(0).astype(int)
    )
    by_tier = by_tier.rename(index=TIER_CHOICES, columns=STATUS_CHOICES).assign(合计=lambda f: f.sum(axis=1))
    table(
        by_tier.rename_axis("信息等级").reset_index(),
        key="leads_by_tier",
        filename="招商信息按等级与状态.xlsx",
    )

st.subheader("信息台账")
bar = st.columns(3)
tier = bar[0].selectbox("信息等级", [None, *TIER_CHOICES], format_func=all_or(TIER_CHOICES), key="leads_tier")
status = bar[1].selectbox(
    "认定状态", [None, *STATUS_CHOICES], format_func=all_or(STATUS_CHOICES), key="leads_status"
)
first = bar[2].selectbox("首报/重复", list(FIRST_CHOICES), format_func=FIRST_CHOICES.get, key="leads_first")
filters = {"unit_id": unit, "industry_id": industry, "tier": tier, "status": status, "first_report": first}
leads = registry.filter_leads(every_lead, filters)
if leads.empty:
    empty_state("没有符合条件的信息:请放宽左侧或上方的筛选条件。")
else:
    columns = number_columns({"意向投资(万元)": WAN_FORMAT})
    columns["报送时间"] = st.column_config.DatetimeColumn("报送时间", format="YYYY-MM-DD HH:mm")
    frame = zh_frame(leads.assign(project_name=leads["project_name"].fillna("—")), registry.LEAD_LABELS)
    table(frame, key="leads_table", filename="招商信息台账.xlsx", columns=columns, height=460)
    st.caption(f"共 {len(leads)} 条。上方卡片与漏斗为全县合计;左侧与上方的筛选只作用于本台账。")

with st.expander("疑似同一企业的信息(仅供核对,不改变认定)", icon=":material/difference:"):
    if st.toggle("查找名称相近的不同企业", key="leads_near_show"):
        suggestions = load(registry.near_duplicate_suggestions, period)
        if suggestions.empty:
            st.caption("本年度没有名称相近(仅差「有限公司」「集团」或括号)的不同企业。")
        else:
            labels = {"companies": "企业名称", "lead_ids": "信息编码", "n_leads": "信息条数"}
            table(suggestions.rename(columns=labels), key="leads_near", filename="疑似重复企业.xlsx")
