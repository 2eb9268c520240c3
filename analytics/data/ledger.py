"""The rewards ledger (奖励发放台账): what was actually paid, when, to whom, and who recorded it.

METRICS.md §6 computes what a year's rules award; this ledger records what the county paid. A reward
recorded as paid is never proposed again (``is_paid`` / ``drop_paid``):

- a once-only reward (``ONCE_REWARDS``: the "5020" reward is 一次性奖励) is paid at most once for its
  subject, whatever the year: once paid, no later year proposes it;
- every other reward is yearly: a payment for year ``Y`` settles that reward of that subject for ``Y``.

A subject names what a reward is for (``reward_subject``): the project for a project reward or a tax
share, the unit for a prize or the FX contribution award, ``commerce`` for the FDI and export rewards
(the commerce department), the scope for a deposit refund.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb

from analytics.data.store import record_audit, scalar

ONCE_REWARDS: frozenset[str] = frozenset({"project_5020"})
COMMERCE = "commerce"


@dataclass(frozen=True)
class Payment:
    payment_id: int
    year: int
    reward: str
    subject: str
    payee: str
    amount_wan: float
    paid_on: date
    recorded_by: str
    recorded_at: datetime
    note: str | None


def reward_subject(item: Mapping[str, Any]) -> str:
    """The subject of a reward entry of the report (a project reward, prize, tax share ...)."""
    if item.get("prize") == "squad_advanced":
        return f"{item.get('squad_id')}:{item.get('unit_id')}"
    if item.get("project_id"):
        return str(item["project_id"])
    if item.get("unit_id"):
        return str(item["unit_id"])
    if item.get("scope"):
        return str(item["scope"])
    return COMMERCE


def insert_payment(
    con: duckdb.DuckDBPyConnection,
    *,
    year: int,
    reward: str,
    subject: str,
    payee: str,
    amount_wan: Decimal,
    paid_on: date,
    actor: str,
    note: str | None,
) -> int:
    """Record a payment (inside the caller's transaction), audited; its id."""
    payment_id = int(
        scalar(
            con,
            "INSERT INTO reward_payments (year, reward, subject, payee, amount_wan, paid_on, recorded_by, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING payment_id",
            [year, reward, subject, payee, amount_wan, paid_on, actor, note],
        )
    )
    record_audit(
        con,
        actor=actor,
        source="奖励发放台账",
        table_name="reward_payments",
        action="insert",
        record_key=f"{year}|{reward}|{subject}",
        after_json=json.dumps(
            {"payee": payee, "amount_wan": str(amount_wan), "paid_on": paid_on.isoformat(), "note": note},
            ensure_ascii=False,
        ),
    )
    return payment_id


def payments(con: duckdb.DuckDBPyConnection, *, year: int | None = None) -> list[Payment]:
    """Recorded payments (of ``year``, or all), by id."""
    where, params = ("WHERE year = ?", [year]) if year is not None else ("", [])
    rows = con.execute(
        "SELECT payment_id, year, reward, subject, payee, CAST(amount_wan AS DOUBLE), paid_on, recorded_by,"
        f" recorded_at, note FROM reward_payments {where} ORDER BY payment_id",
        params,
    ).fetchall()
    return [Payment(*r) for r in rows]


def settled(payment: Payment, reward: str, subject: str, year: int) -> bool:
    """Does ``payment`` settle ``reward`` of ``subject`` in ``year``? (see the module docstring)"""
    if payment.reward != reward or payment.subject != subject:
        return False
    return reward in ONCE_REWARDS or payment.year == year


def is_paid(paid: Iterable[Payment], reward: str, subject: str, year: int) -> Payment | None:
    """The payment that settles ``reward`` of ``subject`` for ``year``, if any (the first recorded)."""
    return next((p for p in paid if settled(p, reward, subject, year)), None)


def drop_paid(
    con: duckdb.DuckDBPyConnection, year: int, items: list[dict[str, Any]], reward_key: str = "reward"
) -> list[dict[str, Any]]:
    """``items`` (report reward entries) without those already paid: what may still be proposed.

    ``item[reward_key]`` names the reward (``project_5020``, ``foreign_fx`` ...); the subject is
    ``reward_subject(item)``. For the rewards engine: a paid "5020" reward is never proposed again.
    """
    paid = payments(con)
    return [i for i in items if is_paid(paid, str(i[reward_key]), reward_subject(i), year) is None]
