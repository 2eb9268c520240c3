"""The office's year-end actions: a snapshot on demand, signing the year's account off, recording a
payment in the rewards ledger. Each checks the user's permission here, on the server (never only a
hidden button), and is audited in the same transaction as its write.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import duckdb

from analytics.access.permissions import require
from analytics.access.users import User
from analytics.core.labels import REWARD_LABELS
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data import ledger
from analytics.data import snapshots as stored
from analytics.data.write_lock import WRITE_LOCK, write_transaction
from analytics.metrics.snapshots import take_snapshot
from analytics.screens.account import require_data, year_end

MAX_LABEL = 100
MAX_REASON = 500


class YearEndError(ValueError):
    """A refused year-end action; the message is Chinese, for the screen. Nothing was written."""


def _clean_text(value: str | None, limit: int, what: str) -> str | None:
    text = (value or "").strip()
    if len(text) > limit:
        raise YearEndError(f"{what}不能超过 {limit} 个字。")
    if any(ord(ch) < 32 for ch in text):
        raise YearEndError(f"{what}不能含控制字符。")
    return text or None


def snapshot_on_demand(
    con: duckdb.DuckDBPyConnection, user: User, year: int, as_of: date, label: str | None = None
) -> int:
    """The office stores the report of ``(year, as_of)`` under the stored settings; its id."""
    require(user, "take_snapshot")
    label = _clean_text(label, MAX_LABEL, "快照说明")
    require_data(con, year)
    if as_of.year < year:
        raise YearEndError(f"截至日期 {as_of} 早于 {year} 年,无法保存该年度快照。")
    return take_snapshot(
        con, Period(year, as_of), effective_settings(con), kind="on_demand", actor=user.username, label=label
    )


def sign_account(
    con: duckdb.DuckDBPyConnection,
    user: User,
    year: int,
    *,
    reason: str | None = None,
    resign: bool = False,
    today: date | None = None,
) -> int:
    """Sign ``year``'s account off: store the report as of ``year``-12-31 and record the sign-off.

    Only after the year is over. A year already signed is signed again only with ``resign`` and a
    reason; from then on the year's results are the new snapshot. Returns the snapshot's id.
    """
    require(user, "sign_account")
    today = today or date.today()
    reason = _clean_text(reason, MAX_REASON, "重新签署理由")
    if today <= year_end(year):
        raise YearEndError(f"{year} 年尚未结束,年度总账须在 {year + 1} 年 1 月 1 日以后签署。")
    require_data(con, year)
    with WRITE_LOCK:
        previous = stored.latest_signoff(con, year)
        if previous is not None and not resign:
            raise YearEndError(
                f"{year} 年度总账已于 {previous.signed_at:%Y-%m-%d} 由 {previous.signed_by} 签署;"
                "如需重新签署,请选择“重新签署”并填写理由。"
            )
        if previous is not None and not reason:
            raise YearEndError("重新签署须填写理由。")
        snapshot_id = take_snapshot(
            con,
            Period(year, year_end(year)),
            effective_settings(con),
            kind="sign_off",
            actor=user.username,
            label=f"{year} 年度总账",
        )
        with write_transaction(con) as tx:
            stored.insert_signoff(
                tx,
                year=year,
                snapshot_id=snapshot_id,
                actor=user.username,
                reason=reason if previous else None,
            )
    return snapshot_id


def record_payment(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    year: int,
    reward: str,
    subject: str,
    payee: str,
    amount_wan: Any,
    paid_on: date,
    note: str | None = None,
    today: date | None = None,
) -> int:
    """Record that a reward was paid. A reward already settled (``ledger.is_paid``) is refused."""
    require(user, "record_payment")
    if reward not in REWARD_LABELS:
        raise YearEndError(f"未知的奖励类别:{reward}")
    subject = _clean_text(subject, MAX_LABEL, "奖励对象") or ""
    payee = _clean_text(payee, MAX_LABEL, "领取人") or ""
    note = _clean_text(note, MAX_REASON, "备注")
    if not subject or not payee:
        raise YearEndError("请填写奖励对象和领取人。")
    try:
        amount = Decimal(str(amount_wan))
    except InvalidOperation:
        raise YearEndError(f"金额应为数字(万元):{amount_wan!r}") from None
    if not amount.is_finite() or amount <= 0 or amount > Decimal(100000):
        raise YearEndError("金额应大于 0 且不超过 100000 万元。")
    if paid_on > (today or date.today()):
        raise YearEndError(f"发放日期 {paid_on} 晚于今天,不能登记。")
    with WRITE_LOCK:
        settled = ledger.is_paid(ledger.payments(con), reward, subject, year)
        if settled is not None:
            raise YearEndError(
                f"{REWARD_LABELS[reward]}({subject})已于 {settled.paid_on} 登记发放"
                f"({settled.year} 年度,{settled.recorded_by} 登记),不能重复登记。"
            )
        with write_transaction(con) as tx:
            return ledger.insert_payment(
                tx,
                year=year,
                reward=reward,
                subject=subject,
                payee=payee,
                amount_wan=amount,
                paid_on=paid_on,
                actor=user.username,
                note=note,
            )
