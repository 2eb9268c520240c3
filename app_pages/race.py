"""乡镇赛马: class-1 and class-2 township rankings with awards, departments ranked, mid-year flags."""

import streamlit as st

from analytics.core.format import day, score
from analytics.core.labels import AWARD_LABELS, PROVISIONAL_AWARD_LABELS
from analytics.metrics import units
from analytics.metrics.definitions import definitions
from analytics.screens import drilldown, history
from ui import charts, race_table
from ui.frame import current_choices, current_settings, cursor, load
from ui.page import chart, figure_tools, let_top_paint, page_header
from ui.safe_text import html_text, md, md_join
from ui.snapshots import snapshot_name
from ui.verdicts import TIE_NOTE, is_final, red_names
from ui.widgets import badge, empty_state, kpi_card

AWARD_COLOURS = {"golden_horse": "#B8860B", "advanced": "#1E7B34", "snail": "#7B5E57"}

period = current_choices().period
settings = current_settings()
calibers = definitions(settings)
page_header("乡镇赛马", period)
behind_only = st.sidebar.toggle("只看任务未过半的单位", key="race_behind_only")

ranking = load(units.unit_table, period, settings)
if ranking.empty or ranking["score"].isna().all():
    empty_state(
        f"{period.year} 年尚无考核单位的目标任务:请在「招商办管理」导入单位与目标任务,"
        "或运行 make run 生成演示数据;也可在左侧换一个计划年度。"
    )
    st.stop()

mid_year = units.mid_year_date(period, settings)
# The verdict of the check day comes from its snapshot once stored (later data does not move it).
verdict = load(history.mid_year_verdict, period.year) if period.as_of >= mid_year else None
if verdict is not None:
    ranking["behind_half"] = ranking["unit_id"].isin(verdict.behind_half)
    ranking["public_statement"] = ranking["unit_id"].isin(verdict.public_statement)
if period.as_of >= mid_year:
    flagged = ranking[ranking["behind_half"]]
    source = f"(以 {snapshot_name('mid_year', verdict.check_day)}为准)" if verdict else ""
    st.warning(
        f"已过 {day(mid_year)}「时间过半」节点{source}:{len(flagged)} 个单位有指标完成率低于 50%;"
        f"在县电视台作公开表态发言(只在任务未过半的单位中产生,以 {day(mid_year)} 当天为准):"
        f"{md_join(ranking.loc[ranking['public_statement'], 'name']) or '无'}",
        icon=":material/flag:",
    )
    if verdict is not None and verdict.changes:
        st.warning(
            "快照后数据有变动:" + ";".join(md(c["text"]) for c in verdict.changes) + "。判定仍以快照为准。",
            icon=":material/history:",
        )
    elif verdict is not None and verdict.data_changed:
        st.caption("快照后数据有变动,但不改变时间过半的判定。")
else:
    st.info(
        f"「时间过半、任务过半」在 {day(mid_year)} 判定,届时标出未过半单位和公开表态单位。",
        icon=":material/schedule:",
    )

# In-year the award names are not yet given: 暂列第一 / 暂列先进 / 暂列末位 until 12-31 (METRICS v2).
award_labels = AWARD_LABELS if is_final(period) else PROVISIONAL_AWARD_LABELS
ranking["awards_zh"] = ranking["awards"].map(lambda a: "、".join(award_labels[x] for x in a))
ranking["tie"] = ranking["tied"].map({True: "并列"}).fillna("")

groups = [g for g in units.GROUP_ORDER if (ranking["group"] == g).any()]
# The leader of each group at a glance, above the tabs (暂列第一 in-year: only 12-31 makes it final).
first_word = "第一名" if is_final(period) else "暂列第一"
for column, group in zip(st.columns(len(groups)), groups, strict=True):
    leaders = ranking[(ranking["group"] == group) & (ranking["rank"] == 1)]
    title = f"{units.GROUP_ZH[group]} {first_word}"
    with column:
        if leaders.empty:
            kpi_card(title, "—", ["尚无得分"])
        else:
            tie = f" · {len(leaders)} 个单位并列" if len(leaders) > 1 else ""
            kpi_card(title, "、".join(leaders["name"]), [f"得分 {score(leaders['score'].iloc[0])}{tie}"])
let_top_paint()
figure_tools(
    "赛马得分与排名",
    calibers["units"],
    lambda: drilldown.shown(
        cursor(),
        load(units.unit_table, period, settings).drop(
            columns=["awards", "unit_id", "kind", "group", "score_display"], errors="ignore"
        ),
    ),
    key="race_rows",
)
for tab, group in zip(st.tabs([units.GROUP_ZH[g] for g in groups]), groups, strict=True):
    with tab:
        members = ranking[ranking["group"] == group].copy()
        winners = [
            f"{badge(award_labels[award], AWARD_COLOURS[award])} {html_text(name)}"
            for award in ("golden_horse", "advanced", "snail")
            for name in members.loc[members["awards"].map(lambda a, award=award: award in a), "name"]
        ]
        if winners:
            st.html('<div style="font-size:1.05rem;line-height:2">' + " &nbsp; ".join(winners) + "</div>")
        elif group.startswith("township"):
            st.caption("本类别暂无单位获奖(骏马奖、先进单位须完成全部目标任务)。")
        tied = members[members["tied"]]
        if not tied.empty:
            pairs = tied.groupby("rank")["name"].apply(list)
            st.warning(
                "并列:"
                + ";".join(f"第 {rank} 名 {md_join(names)}" for rank, names in pairs.items())
                + "。"
                + TIE_NOTE,
                icon=":material/balance:",
            )
        red_names(race_table.UNRANKED, members.loc[members["score"].isna(), "name"])
        scored = members[members["score"].notna()].assign(
            status=lambda f: f["completed"].map({True: "完成目标任务", False: "未完成"})
        )
        colour_map = {"完成目标任务": charts.GREEN, "未完成": charts.RED}
        chart(
            charts.hbar(
                scored,
                label="name",
                value="score",
                unit="分",
                colour="status",
                colour_map=colour_map,
                decimals=2,
            ),
            key=f"race_chart_{group}",
        )
        members = race_table.with_flags(members)
        if behind_only:
            members = members[members["behind_half"]]
        race_table.ranking_table(
            members, key=f"race_table_{group}", filename=f"{units.GROUP_ZH[group]}赛马排名.xlsx"
        )
st.caption(
    "绿色:三项指标均完成目标任务;红色:未完成。得分相同时依次比各项完成率和签约投资,仍相同的并列。"
    + ("" if is_final(period) else "年内只说“暂列”,奖项名称12月31日起使用。")
)
