"""Baseline and scenario side by side, one tab per part of the report."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core.format import amount_in, metric_value, money_unit, percent, score
from analytics.core.labels import GROUP_LABELS, STATUS_LABELS
from analytics.whatif.scenario import ScenarioComparison
from ui.safe_text import html_text
from ui.whatif.marks import DOWN, UP, arrow, awards_text, met_word
from ui.widgets import excel_download


def show(frame: pd.DataFrame, changed: pd.Series, *, key: str, filename: str) -> None:
    """A side-by-side table; rows that changed are shaded amber (and carry a ▲/▼ text column)."""
    styled = frame.style.apply(
        lambda r: ["background-color:#FFF1C7" if changed.iloc[r.name] else "" for _ in r], axis=1
    )
    st.dataframe(styled, hide_index=True, width="stretch", key=key)
    excel_download(frame, filename, key=f"{key}_xlsx")


def comparison_tables(result: ScenarioComparison) -> None:
    """Baseline and scenario side by side, one tab per part of the report, each with its download."""
    tabs = st.tabs(["9865 与集聚度", "全县目标", "乡镇与部门排名", "招商小分队", "奖励测算"])
    with tabs[0]:
        land = result.landing.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "指标": land["indicator"],
                    "基数(推演)": land["scenario_base"],
                    "基线": land["baseline_rate"].map(percent),
                    "推演": land["scenario_rate"].map(percent),
                    "目标(推演)": land["scenario_target"].map(percent),
                    "基线是否达标": land["baseline_met"].map(met_word),
                    "推演是否达标": land["scenario_met"].map(met_word),
                    "变化": [
                        arrow(b, s) for b, s in zip(land["baseline_rate"], land["scenario_rate"], strict=True)
                    ],
                }
            ),
            land["changed"],
            key="whatif_landing",
            filename="推演_9865.xlsx",
        )
        c = result.concentration.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "项目": c["item"],
                    "基线": [
                        (met_word(v) if k == "met" else percent(v))
                        for k, v in zip(c["key"], c["baseline"], strict=True)
                    ],
                    "推演": [
                        (met_word(v) if k == "met" else percent(v))
                        for k, v in zip(c["key"], c["scenario"], strict=True)
                    ],
                }
            ),
            c["changed"],
            key="whatif_conc",
            filename="推演_集聚度.xlsx",
        )
    with tabs[1]:
        cty = result.county.reset_index(drop=True)
        show(
            pd.DataFrame(
                {
                    "指标": cty["name"],
                    "完成(基线)": [
                        metric_value(m, v) for m, v in zip(cty["metric"], cty["baseline_actual"], strict=True)
                    ],
                    "完成(推演)": [
                        metric_value(m, v) for m, v in zip(cty["metric"], cty["scenario_actual"], strict=True)
                    ],
                    "目标(推演)": [
                        metric_value(m, v) for m, v in zip(cty["metric"], cty["scenario_target"], strict=True)
                    ],
                    "完成率(推演)": cty["scenario_completion"].map(percent),
                    "状态": [
                        f"{STATUS_LABELS[b]} → {STATUS_LABELS[s]}" if b != s else STATUS_LABELS[s]
                        for b, s in zip(cty["baseline_status"], cty["scenario_status"], strict=True)
                    ],
                }
            ),
            cty["changed"],
            key="whatif_county",
            filename="推演_全县目标.xlsx",
        )
    with tabs[2]:
        units = result.units
        for group in ("township_1", "township_2", "department"):
            part = (
                units[units["group"] == group]
                .sort_values("scenario_rank", na_position="last")
                .reset_index(drop=True)
            )
            if part.empty:
                continue
            st.markdown(f"**{GROUP_LABELS[group]}**")
            show(
                pd.DataFrame(
                    {
                        "推演名次": part["scenario_rank"],
                        "单位": part["name"],
                        "名次变化": [
                            (
                                "—"
                                if pd.isna(c) or c == 0
                                else (f"▲ 上升 {int(c)} 位" if c > 0 else f"▼ 下降 {int(-c)} 位")
                            )
                            for c in part["rank_change"]
                        ],
                        "基线得分": part["baseline_score"].map(score),
                        "推演得分": part["scenario_score"].map(score),
                        "基线奖项": part["baseline_awards"].map(awards_text),
                        "推演奖项": part["scenario_awards"].map(awards_text),
                    }
                ),
                part["changed"],
                key=f"whatif_units_{group}",
                filename=f"推演_{GROUP_LABELS[group]}.xlsx",
            )
        if not result.award_changes.empty:
            st.markdown("**奖项得失**")
            for r in result.award_changes.itertuples():
                colour = UP if (r.change == "gained") != (r.award == "snail") else DOWN
                verb = "获得" if r.change == "gained" else "失去"
                st.html(
                    f'<span style="color:{colour};font-weight:600">{"▲" if colour == UP else "▼"} '
                    f"{html_text(r.name)}({GROUP_LABELS.get(r.group, '')}){verb}{html_text(r.award_zh)}</span>"
                )
    with tabs[3]:
        sq = result.squads.reset_index(drop=True)
        if sq.empty:
            st.caption("没有产业链招商小分队。")
        else:
            show(
                pd.DataFrame(
                    {
                        "小分队": sq["name"],
                        "基线名次": sq["baseline_rank"],
                        "推演名次": sq["scenario_rank"],
                        "基线得分": sq["baseline_score"].map(score),
                        "推演得分": sq["scenario_score"].map(score),
                        "变化": [
                            arrow(b, s, score)
                            for b, s in zip(sq["baseline_score"], sq["scenario_score"], strict=True)
                        ],
                        "推演取消评优": sq["scenario_disqualified"].map(lambda d: "、".join(d) or "—"),
                    }
                ),
                sq["changed"],
                key="whatif_squads",
                filename="推演_小分队.xlsx",
            )
    with tabs[4]:
        rw = result.rewards.reset_index(drop=True)
        unit = money_unit([*rw["baseline"], *rw["scenario"]])  # one unit for the whole table

        def amount(value: float | None) -> str:
            return amount_in(value, unit)

        show(
            pd.DataFrame(
                {
                    "奖励": rw["item"],
                    f"基线({unit})": rw["baseline"].map(amount),
                    f"推演({unit})": rw["scenario"].map(amount),
                    f"变化({unit})": [
                        arrow(b, s, amount) for b, s in zip(rw["baseline"], rw["scenario"], strict=True)
                    ],
                }
            ),
            rw["changed"],
            key="whatif_rewards",
            filename="推演_奖励.xlsx",
        )
