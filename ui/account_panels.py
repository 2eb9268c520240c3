"""The panels of the 年度总账 page: the account's tables and the office's actions (sign-off, a
snapshot on demand, recording a payment). Every action goes through ``analytics.entry.year_end``,
which checks the permission on the server; these functions only lay out. Widget keys start with
``account_``.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.access.permissions import PermissionDenied, can
from analytics.access.users import User
from analytics.core.format import score
from analytics.core.labels import SNAPSHOT_KIND_LABELS
from analytics.data import snapshots as stored
from analytics.entry import year_end
from analytics.screens.account import NoDataForYear, YearAccount
from analytics.screens.reward_view import contents_text, reward_parts
from ui.frame import cursor
from ui.page import SCORE_FORMAT, WAN_FORMAT, number_columns, table
from ui.safe_text import md
from ui.snapshots import snapshot_name

NOTICE_KEY = "account_notice"


def _done(message: str) -> None:
    st.session_state[NOTICE_KEY] = message
    st.rerun()


def notice() -> None:
    """The outcome of the last action, once."""
    message = st.session_state.pop(NOTICE_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def status(account: YearAccount) -> None:
    """Signed or not, and after a sign-off any difference the data edited since would make."""
    (st.success if account.signed else st.info)(md(account.status_line), icon=":material/verified:")
    if account.drift:
        st.warning(
            "年度总账已签署,签署后数据有变动。若按现数据重新计算,将变化:\n\n"
            + "\n".join(f"- {md(line)}" for line in account.drift)
            + "\n\n本年度结果仍以签署时的快照为准;如需采用新数据,请“重新签署”并填写理由。",
            icon=":material/warning:",
        )
    elif account.data_changed:
        st.caption("年度总账签署后数据有变动,但不改变排名、奖项和奖励。")


def rankings(account: YearAccount) -> None:
    st.subheader("年度排名与奖项")
    frame = pd.DataFrame(account.rankings)
    frame["completed_zh"] = frame["completed"].map({True: "完成", False: "未完成"}).fillna("未下达目标")
    columns = {"group_zh": "类别", "rank_text": "名次", "name": "单位", "score": "得分"}
    columns |= {"completed_zh": "完成情况", "awards_zh": "奖项"}
    table(
        frame[list(columns)].rename(columns=columns),
        key="account_rankings",
        filename=f"{account.year}年度排名与奖项.xlsx",
        columns=number_columns({"得分": SCORE_FORMAT}),
    )


def consequences(account: YearAccount) -> None:
    st.subheader("奖惩结果")
    frame = pd.DataFrame(account.consequences, columns=["name", "consequence_zh", "reason"])
    table(
        frame.rename(columns={"name": "单位", "consequence_zh": "结果", "reason": "依据"}),
        key="account_consequences",
        filename=f"{account.year}年度奖惩结果.xlsx",
    )


def squads(account: YearAccount) -> None:
    st.subheader("产业链招商小分队")
    frame = pd.DataFrame(account.squads)
    if frame.empty:
        st.caption("暂无产业链招商小分队数据。")
        return
    frame["score"] = frame["score"].map(score)
    columns = {"rank_text": "名次", "name": "小分队", "score": "总得分", "advanced": "先进单位"}
    columns |= {"disqualified": "取消评先评优资格", "unassessed": "未考核"}
    table(frame[list(columns)].rename(columns=columns), key="account_squads", filename="小分队考核结果.xlsx")


def rewards(account: YearAccount) -> None:
    st.subheader("奖励与奖金兑现" + ("" if account.year_over else "(预计)"))
    totals = account.reward_totals()
    st.caption("合计" + contents_text(reward_parts(account.report.get("rewards") or {})))
    a, b, c = st.columns(3)
    a.metric("合计(万元)", f"{totals['total']:,.2f}")
    b.metric("已发放(万元)", f"{totals['paid']:,.2f}")
    c.metric("待发放(万元)", f"{totals['due']:,.2f}")
    frame = pd.DataFrame(
        account.rewards,
        columns=["reward_zh", "what", "payee", "amount", "status_zh", "paid_on", "recorded_by"],
    )
    frame["paid_on"] = frame["paid_on"].map(lambda d: d.isoformat() if d else "—")
    frame["recorded_by"] = frame["recorded_by"].fillna("—")
    columns = {"reward_zh": "奖励类别", "what": "对象", "payee": "领取人", "amount": "金额(万元)"}
    columns |= {"status_zh": "发放情况", "paid_on": "发放日期", "recorded_by": "登记人"}
    table(
        frame.rename(columns=columns),
        key="account_rewards",
        filename=f"{account.year}年度奖励与奖金.xlsx",
        columns=number_columns({"金额(万元)": WAN_FORMAT}),
    )
    t = account.deposit_totals()
    st.markdown(
        f"**责任金{'' if account.year_over else '(预计)'}**:缴纳 {t['held_yuan']:,.0f} 元,退还 {t['refundable_yuan']:,.0f} 元,"
        f"不予退还(上缴县财政){t['forfeited_yuan']:,.0f} 元。"
    )
    if account.deposits:
        frame = pd.DataFrame(account.deposits)[["name", "held_yuan", "result_zh"]]
        table(
            frame.rename(columns={"name": "考核对象", "held_yuan": "缴纳(元)", "result_zh": "结果"}),
            key="account_deposits",
            filename=f"{account.year}年度责任金.xlsx",
        )


def history(frame: pd.DataFrame) -> None:
    st.subheader("季度排名变化")
    if frame.empty:
        st.caption("尚无季末快照:每个季度结束后首次打开系统时自动保存。")
        return
    quarters = [c for c in frame.columns if c.startswith("Q") and not c.endswith("_move")]
    columns = {"group_zh": "类别", "name": "单位"} | {q: f"{q} 名次" for q in quarters}
    columns |= {c: f"{c[:2]} 升降" for c in frame.columns if c.endswith("_move")}
    st.caption("升降 = 上季名次 − 本季名次:正数为上升,负数为下降。")
    table(frame[list(columns)].rename(columns=columns), key="account_history", filename="季度排名变化.xlsx")


def snapshot_list(rows: list[dict], year: int) -> None:
    """The year's stored snapshots (never changed once stored)."""
    st.subheader("已保存的快照")
    mine = [r for r in rows if r["year"] == year]
    if not mine:
        st.caption("本年度尚无快照。时间过半检查日和每个季末之后首次打开系统时自动保存,招商办也可随时保存。")
        return
    frame = pd.DataFrame(mine)
    frame["kind"] = frame["kind"].map(lambda k: SNAPSHOT_KIND_LABELS.get(k, k))
    frame["label"] = frame["label"].fillna("")
    columns = {"snapshot_id": "编号", "as_of": "截至日期", "kind": "类型", "label": "说明"}
    columns |= {"created_by": "保存人", "created_at": "保存时间"}
    st.caption("快照保存当时的完整报告、参数设置和数据指纹,保存后不再改变。")
    table(
        frame[list(columns)].rename(columns=columns), key="account_snapshots", filename=f"{year}年度快照.xlsx"
    )


def office_actions(user: User, account: YearAccount | None, year: int) -> None:
    """Sign-off, a snapshot on demand, a payment: shown to the roles that may, checked again on save."""
    if not any(can(user, a) for a in ("sign_account", "take_snapshot", "record_payment")):
        return
    st.subheader("招商办操作")
    sign, snap, pay = st.tabs(["签署总账", "保存快照", "登记奖励发放"])
    with sign:
        resign = account is not None and account.signed
        reason = st.text_area("重新签署理由(必填)", key="account_reason") if resign else None
        if st.button("重新签署" if resign else "签署年度总账", key="account_sign", type="primary"):
            _act(
                lambda: year_end.sign_account(cursor(), user, year, reason=reason, resign=resign),
                f"已签署,本年度结果以 {snapshot_name('sign_off', date(year, 12, 31))}为准。",
            )
    with snap:
        as_of = st.date_input(
            "截至日期", value=min(date.today(), date(year, 12, 31)), key="account_snap_as_of"
        )
        label = st.text_input("说明", key="account_snap_label")
        if st.button("保存快照", key="account_snap"):
            _act(
                lambda: year_end.snapshot_on_demand(cursor(), user, year, as_of, label),
                f"已保存 {snapshot_name('on_demand', as_of)}。",
            )
    with pay:
        due = [r for r in (account.rewards if account else []) if r["status"] == "due"]
        if not due:
            st.caption("没有待发放的奖励。")
            return
        choice = st.selectbox(
            "待发放的奖励",
            range(len(due)),
            format_func=lambda i: f"{due[i]['reward_zh']} · {due[i]['what']} · {due[i]['amount']:,.2f} 万元",
            key="account_pay_item",
        )
        item = due[choice]
        paid_on = st.date_input("发放日期", value=date.today(), key="account_pay_date")
        amount = st.number_input(
            "金额(万元)", value=float(item["amount"]), min_value=0.0, key="account_pay_amount"
        )
        note = st.text_input("备注", key="account_pay_note")
        if st.button("登记发放", key="account_pay"):
            _act(
                lambda: year_end.record_payment(
                    cursor(),
                    user,
                    year=year,
                    reward=item["reward"],
                    subject=item["subject"],
                    payee=item["payee"],
                    amount_wan=amount,
                    paid_on=paid_on,
                    note=note,
                ),
                "已登记发放(记录 {})。",
            )


def _act(action, success: str) -> None:
    try:
        result = action()
    except (PermissionDenied, year_end.YearEndError, NoDataForYear, stored.SnapshotNotFound) as exc:
        st.error(str(exc), icon=":material/block:")
        return
    _done(success.format(result))
