"""总览: the year at a glance — three headline indicators, the county targets, 9865, concentration, alerts."""

import pandas as pd
import streamlit as st

from analytics.core.format import percent, status_colour, status_label
from analytics.metrics import concentration, landing
from analytics.metrics.definitions import definitions
from analytics.screens import catalog, overview, reward_view
from ui import charts
from ui.frame import current_choices, current_settings, load
from ui.page import (
    chart,
    county_card,
    drilldown_loader,
    figure_picker_tools,
    figure_tools,
    let_top_paint,
    page_header,
    table,
    zh_frame,
)
from ui.rewards_panel import rewards_panel
from ui.verdicts import provisional_word, trade_card
from ui.widgets import badge, empty_state

period = current_choices().period
settings = current_settings()
calibers = definitions(settings)
page_header("招商引资总览", period)
if load(catalog.is_empty):
    empty_state("尚无数据:请在「招商办管理」导入台账,或运行 make run 生成演示数据。")
    st.stop()

sections = load(overview.county_sections, period, settings)
statuses = overview.status_counts(sections["headline"] + sections["projects"])
chips = " ".join(
    badge(f"{status_label(s)} {n} 项", status_colour(s)) for s, n in statuses.items() if n or s != "no_target"
)
n_targets = len(sections["headline"]) + len(sections["projects"])
st.html(f'<div style="font-size:1.05rem;line-height:2.2">全县 {n_targets} 项目标任务:{chips}</div>')

st.subheader("聚焦三大指标")
for column, entry in zip(st.columns(len(sections["headline"])), sections["headline"], strict=True):
    with column:
        if entry["metric"] == "trade_usd_wan":
            trade_card(entry)
        else:
            county_card(entry)
let_top_paint()
figure_picker_tools(
    "聚焦三大指标",
    {e["name_zh"]: f"county.{e['metric']}" for e in sections["headline"]},
    period,
    settings,
    key="cockpit_headline",
)
st.caption(overview.HEADLINE_NOTE)

st.subheader("项目提质增速")
projects = sections["projects"]
for start in range(0, len(projects), 5):
    for column, entry in zip(st.columns(5), projects[start : start + 5], strict=False):
        with column:
            county_card(entry)
figure_picker_tools(
    "项目提质增速",
    {e["name_zh"]: f"county.{e['metric']}" for e in projects},
    period,
    settings,
    key="cockpit_county",
)

left, right = st.columns([3, 2])
with left:
    st.subheader("9865 项目落地")
    rates = load(landing.landing_rates, period, settings)
    bullets = pd.DataFrame(
        [
            {"label": f"{e['cohort']} 年{stage}率", "rate": e[f"{key}_rate"], "target": e[f"{key}_target"]}
            for e in rates
            for stage, key in (("开工", "commencement"), ("投产", "production"))
        ]
    )
    chart(charts.rates_vs_targets(bullets), key="cockpit_landing")
    st.caption(
        " · ".join(f"{e['cohort']} 年签约基数 {e['base']} 个(已核销 {e['written_off']})" for e in rates)
        + " · 竖线为目标"
    )
    figure_tools(
        "9865 开工率、投产率",
        calibers["landing"],
        drilldown_loader(period, settings, "landing.base"),
        key="cockpit_landing_help",
    )
with right:
    st.subheader("重点产业集聚度")
    result = load(concentration.concentration, period, settings)
    basis = "投资额" if result["basis"] == "investment" else "项目个数"
    chart(
        charts.share_gauge(result["headline"], result["target"], f"按{basis}计(考核口径)"), key="cockpit_conc"
    )
    st.caption(
        f"按投资额 {percent(result['by_investment'])} · 按项目个数 {percent(result['by_count'])} · "
        f"目标 ≥ {percent(result['target'])}"
    )
    figure_tools(
        "重点产业集聚度",
        calibers["concentration"],
        drilldown_loader(period, settings, "concentration.by_investment"),
        key="cockpit_conc_help",
    )

st.subheader("重点提醒")
alerts = load(overview.alerts, period, settings)
for column, (kind, label) in zip(st.columns(4), overview.ALERT_KINDS.items(), strict=True):
    with column:
        st.metric(label, f"{int((alerts['kind'] == kind).sum()):,} 项")
if alerts.empty:
    empty_state("当前没有需要提醒的事项。")
else:
    columns = {"kind_zh": "类别", "subject": "对象", "detail": "情况"}
    top = alerts.groupby("kind", sort=False).head(5)
    table(
        zh_frame(top, columns),
        key="cockpit_alerts",
        filename="重点提醒.xlsx",
        download=zh_frame(alerts, columns),
        height=36 * (len(top) + 1) + 4,
        columns={
            "类别": st.column_config.TextColumn("类别", width="small"),
            "对象": st.column_config.TextColumn("对象", width="medium"),
            "情况": st.column_config.TextColumn("情况", width="large"),
        },
    )
    st.caption("每类列出最紧要的 5 项;完整清单见各专题页,或下载 Excel。")

st.subheader(f"奖励测算与责任金({provisional_word(period)})")
rewards_panel(load(reward_view.reward_view, period, settings), period, key="cockpit_rewards")
figure_tools("奖励测算", calibers["rewards"], key="cockpit_rewards_help")
