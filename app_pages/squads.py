"""招商小分队: industry-chain squads (score, mean, rank, members, advanced, disqualified) and stationed posts."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core import format as fmt
from analytics.metrics import squads
from analytics.metrics.definitions import definitions
from analytics.screens import catalog, overview, registry
from ui.auth import require_user
from ui.charts import squad_member_stack
from ui.frame import current_choices, current_settings, load
from ui.page import (
    SCORE_FORMAT,
    chart,
    figure_tools,
    let_top_paint,
    number_columns,
    page_header,
    sidebar_filter,
    table,
)
from ui.safe_text import md
from ui.verdicts import red_names
from ui.widgets import empty_state, excel_download, kpi_card

YES_NO = {True: "是", False: "否"}
SQUAD_KEYS = (
    "squads",
    "squad.targets",
    "squad.mean_score",
    "squad.completed",
    "squad.advanced_members",
    "squad.disqualified",
    "squad.unassessed",
)


def of_target(actual: pd.Series, target: pd.Series) -> list[str]:
    """「实际 / 目标」; 「—」 for an indicator without a target."""
    return [f"{a} / {fmt.count(t, '') if pd.notna(t) else '—'}" for a, t in zip(actual, target, strict=True)]


def squad_of_target(board: pd.DataFrame, metric: str) -> list[str]:
    """A squad's own 「实际 / 目标」 for ``metric`` (「实际 / —」 when the squad has no such target)."""
    return [
        f"{actuals.get(metric, 0)} / {fmt.count(targets[metric], '') if targets.get(metric) else '—'}"
        for actuals, targets in zip(board["actuals"], board["targets"], strict=True)
    ]


def roster_frame(members: pd.DataFrame) -> pd.DataFrame:
    """The member table in Chinese: score, indicators as 实际 / 目标, completion and the §5 verdict."""
    verdict = [
        "先进队员" if adv else ("取消评先评优资格" if out else ("未下达目标、未考核" if unassessed else ""))
        for adv, out, unassessed in zip(
            members["is_advanced_member"], members["is_disqualified"], members["is_unassessed"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            "小分队": members["squad_name"],
            "成员单位": members["unit_name"],
            "得分": members["score"],
            "计入小分队": members["score_counted"],
            "部门排名": members["department_rank"].astype("Int64"),
            "项目引进": of_target(members["signed_projects_actual"], members["signed_projects_target"]),
            "项目入统": of_target(members["in_stats_projects_actual"], members["in_stats_projects_target"]),
            "有效信息": of_target(members["valid_leads_actual"], members["valid_leads_target"]),
            "完成任务": [
                YES_NO[c] if pd.notna(s) else "未下达目标"
                for c, s in zip(members["completed"], members["score"], strict=True)
            ],
            "评定": verdict,
        }
    )


require_user()  # also when a deep link reaches this script without the router
period = current_choices().period
page_header("招商小分队", period)
if load(catalog.is_empty):
    empty_state("尚无数据:请在「招商办管理」导入台账,或运行 make run 生成演示数据。")
    st.stop()

settings = current_settings()
calibers = definitions(settings)
board = load(registry.squad_board, period, settings)
members = load(registry.squad_member_table, period, settings)
names = dict(load(overview.filter_options)["squad"])
squad = sidebar_filter("小分队", list(names.items()), key="squads_squad")

st.subheader("产业链招商小分队")
if board.empty:
    empty_state(
        "尚未设立产业链招商小分队:请在台账「招商小分队」表中添加,并在「考核单位」表中填写县直部门所属小分队。"
    )
else:
    top = board.iloc[0]
    cards = st.columns(4)
    with cards[0]:
        kpi_card("排名第一", str(top["name"]), [f"得分 {fmt.score(top['score'])} · 牵头领导 {top['leader']}"])
    with cards[1]:
        done = int(board["completed"].eq(True).sum())
        kpi_card("完成任务的小分队", f"{done} / {len(board)} 支", ["有小分队目标的按目标判定,否则看成员"])
    with cards[2]:
        n_advanced = int(board["advanced_members"].map(lambda ids: len(ids.split("、")) if ids else 0).sum())
        kpi_card("先进队员", f"{n_advanced} 个单位", ["只在小分队完成任务时评出"])
    with cards[3]:
        kpi_card(
            "取消评先评优资格",
            f"{int(members['is_disqualified'].sum())} 个单位",
            ["未完成任务且排序居本队后两位"],
        )
    red_names(
        "未下达目标、未参与考核的成员",
        [n for names in board["unassessed_names"] for n in names.split("、") if n],
    )
    definition = "\n\n".join(f"**{calibers[k].title}**:{calibers[k]}" for k in SQUAD_KEYS)
    let_top_paint()
    figure_tools("小分队得分与排名", definition, lambda: roster_frame(members), key="squads_score")

    labels = dict(zip(board["squad_id"], board["rank"].astype(str) + ". " + board["name"], strict=True))
    chart(squad_member_stack(members.assign(squad_label=members["squad_id"].map(labels))), key="squads_chart")
    ranking = pd.DataFrame(
        {
            "排名": board["rank"],
            "小分队": board["name"],
            "牵头领导": board["leader"],
            "成员单位": board["n_members"],
            "项目引进": squad_of_target(board, "signed_projects"),
            "项目入统": squad_of_target(board, "in_stats_projects"),
            "得分合计": board["score"],
            "平均分": board["mean_score"],
            "完成任务": board["completed"].map(YES_NO).fillna("—"),
            "先进队员": board["advanced_member_names"].replace("", "—"),
            "取消评先评优资格": board["disqualified_names"].replace("", "—"),
            "未下达目标成员": board["unassessed_names"].replace("", "—"),
        }
    )
    scores = number_columns({"得分合计": SCORE_FORMAT, "平均分": SCORE_FORMAT})
    table(ranking, key="squads_ranking", filename="产业链小分队排名.xlsx", columns=scores)

    st.markdown("**成员单位得分**" + (f" · {md(names[squad])}" if squad else ""))
    shown = members if squad is None else members[members["squad_id"] == squad]
    scores = number_columns({"得分": SCORE_FORMAT, "计入小分队": SCORE_FORMAT})
    table(roster_frame(shown), key="squads_members", filename="小分队成员得分.xlsx", columns=scores)
    st.caption(
        "小分队的项目引进 / 项目入统为成员之和对小分队目标;成员的三项为「实际 / 目标」;"
        "未下达目标的成员不计分,计入小分队按 0 分,以红色列出。"
    )

st.subheader("驻点招商小分队")
compliance = load(squads.station_compliance, period)
days = load(registry.station_days, period)
if squad is not None:
    compliance, days = compliance[compliance["squad_id"] == squad], days[days["squad_id"] == squad]
if compliance.empty:
    empty_state(
        "暂无驻点小分队的驻点月报:请在台账「驻点月报」表中按月填报每名队员的驻点天数。"
        if days.empty
        else "驻点达标只评已结束的月份:截止日所在月结束后开始评定。"
    )
    st.stop()

min_days, min_members = squads.MIN_DAYS_ON_POST, squads.MIN_MEMBERS_ON_POST
missed = compliance[~compliance["compliant"]]
missed_text = "、".join(f"{n} {m}" for n, m in zip(missed["squad_name"], missed["month"], strict=True))
kpi_card(
    "驻点达标月份",
    f"{int(compliance['compliant'].sum())} / {len(compliance)} 个",
    [
        f"每名队员每月驻点满 {min_days} 天、在岗不少于 {min_members} 名为达标;只评已结束的月份",
        f"未达标:{missed_text or '无'}",
    ],
)
station_rows = days.rename(columns={"squad_name": "驻点小分队", "member": "队员", "month": "月份"})
figure_tools(
    "驻点达标",
    calibers["squad.station_compliance"],
    lambda: station_rows.drop(columns="squad_id"),
    key="squads_station",
)
cells = [
    ("● 达标" if ok else "■ 未达标")
    + f" {n} 人在岗"
    + (f",不足{min_days}天:{'、'.join(short)}" if short else "")
    for ok, n, short in zip(
        compliance["compliant"], compliance["members_on_post"], compliance["short_members"], strict=True
    )
]
matrix = compliance.assign(cell=cells).pivot(index="squad_name", columns="month", values="cell")
table(
    matrix.reset_index().rename(columns={"squad_name": "驻点小分队"}),
    key="squads_compliance",
    filename="驻点达标.xlsx",
)

st.markdown(f"**队员每月驻点天数**(不足 {min_days} 天标红)")
per_member = days.pivot_table(
    index=["squad_name", "member"], columns="month", values="days_on_post"
).reset_index()
per_member = per_member.rename(columns={"squad_name": "驻点小分队", "member": "队员"})
months = [c for c in per_member.columns if c not in ("驻点小分队", "队员")]
short = per_member.style.map(
    lambda v: "color:#B3261E;font-weight:600" if pd.notna(v) and v < min_days else "", subset=months
)
st.dataframe(
    short.format("{:.0f}", subset=months, na_rep="—"), hide_index=True, width="stretch", key="squads_days"
)
excel_download(per_member, "队员驻点天数.xlsx", key="squads_days_xlsx")
