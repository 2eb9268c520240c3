"""The rewards display (METRICS.md §6): the total with what it contains, each payee, and the
deposits (责任金), all marked 预计 before 12-31 of the plan year."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.core.period import Period
from analytics.screens.reward_view import RewardView
from ui.page import WAN_FORMAT, number_columns, table
from ui.verdicts import provisional_word
from ui.widgets import kpi_card


def rewards_panel(view: RewardView, period: Period, *, key: str) -> None:
    """Total and its parts, the payees and the deposits, as of ``period``."""
    word = provisional_word(period)
    kpi_card(f"奖励测算合计({word})", f"{view.total:,.2f} 万元", [view.contents()])
    if view.payees:
        frame = pd.DataFrame(view.payees).rename(
            columns={"reward_zh": "奖励类别", "what": "对象", "payee": "领取人", "amount": "金额(万元)"}
        )
        table(
            frame,
            key=f"{key}_payees",
            filename=f"{period.year}年奖励测算({word}).xlsx",
            columns=number_columns({"金额(万元)": WAN_FORMAT}),
        )
    else:
        st.caption("暂无应发的奖励、奖金或税收分成。")
    d = view.deposits
    st.markdown(
        f"**责任金({word})**:缴纳 {d['held_yuan']:,.0f} 元,可退还 {d['refundable_yuan']:,.0f} 元,"
        f"不予退还(上缴县财政){d['forfeited_yuan']:,.0f} 元。"
    )
