"""年末预测: the year-end 9865 projection as cards against target."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core.format import percent
from ui.page import target_card
from ui.widgets import kpi_card


def projection_panel(proj: pd.DataFrame) -> None:
    """The year-end 9865 projection (``projection.projection_json``) as cards against target."""
    if proj.empty or proj["base"].sum() == 0:
        st.info("两个年度都还没有签约项目,无法预测。")
        return
    cols = st.columns(4)
    for col, row in zip(cols, proj.itertuples(), strict=False):
        with col:
            if not row.base:
                kpi_card(f"{row.indicator} 年末预计", "—", ["暂无基数"])
                continue
            target_card(
                f"{row.indicator} 年末预计",
                percent(row.expected_rate),
                [
                    f"区间 {percent(row.low_rate)}–{percent(row.high_rate)}(10%–90%)",
                    f"目标 {percent(row.target)} · 当前 {percent(row.rate_now)}",
                    f"达标概率 {percent(row.probability_met)}",
                ],
                row.expected_rate >= row.target,
            )
    st.caption(
        f"样本:签约→开工 {int(proj['history_projects'].iloc[0])} 个项目;"
        f"开工→投产 {int(proj['history_projects'].iloc[1])} 个项目。卡片标注的是预计值对目标:达到目标 / 未达目标。"
    )
