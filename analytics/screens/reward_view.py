"""What a page shows of the report's rewards (METRICS.md §6): the parts the total is made of, each
payee with its amount, and the deposits. Figures before 12-31 are provisional (预计); the pages
say so with ``ui.verdicts.provisional_word``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from analytics.core.labels import REWARD_LABELS
from analytics.core.period import Period
from analytics.metrics.report import build_report
from analytics.screens.account_rewards import deposit_rows, reward_rows

# The parts of ``total`` in the order of §6; prizes split into township and squad prizes.
PART_CODES = (
    "fdi",
    "export",
    "fx_contribution",
    "project_5020",
    "foreign_fx",
    "advanced",
    "squad_advanced",
    "tax_sharing",
)


@dataclass
class RewardView:
    total: float
    parts: list[tuple[str, str, float]]  # (code, label, 万元), every part, zeros included
    payees: list[dict[str, Any]] = field(default_factory=list)  # reward_zh, what, payee, amount
    deposits: dict[str, float] = field(default_factory=dict)  # held / refundable / forfeited 元
    deposit_rows: list[dict[str, Any]] = field(default_factory=list)

    def contents(self) -> str:
        return contents_text(self.parts)


def contents_text(parts: list[tuple[str, str, float]]) -> str:
    """「含 实际利用外资奖励 1.00、出口奖励 0.00 …(万元)」: what the total is made of."""
    return "含 " + "、".join(f"{label} {amount:,.2f}" for _code, label, amount in parts) + "(万元)"


def reward_parts(rewards: dict[str, Any]) -> list[tuple[str, str, float]]:
    """Each part of §6's ``total``: fdi, export, fx_contribution, the project rewards by kind, the
    prizes by kind and tax sharing; they add up to ``total``."""
    amounts = dict.fromkeys(PART_CODES, 0.0)
    amounts["fdi"] = float(rewards.get("fdi") or 0)
    amounts["export"] = float(rewards.get("export") or 0)
    amounts["fx_contribution"] = float((rewards.get("fx_contribution") or {}).get("amount") or 0)
    for p in rewards.get("projects") or []:
        amounts[p["reward"]] = amounts.get(p["reward"], 0.0) + float(p["amount"])
    for p in rewards.get("prizes") or []:
        amounts[p["prize"]] = amounts.get(p["prize"], 0.0) + float(p["amount"])
    amounts["tax_sharing"] = float(sum(t["amount"] for t in rewards.get("tax_sharing") or []))
    return [(code, REWARD_LABELS.get(code, code), amount) for code, amount in amounts.items()]


def _names(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in con.execute(sql).fetchall()}


def view_of(con: duckdb.DuckDBPyConnection, report: dict[str, Any]) -> RewardView:
    """The rewards and deposits of ``report`` with the names of units, squads and projects."""
    units = _names(con, "SELECT unit_id, name FROM units")
    squads = _names(con, "SELECT squad_id, name FROM squads")
    projects = _names(con, "SELECT project_id, name FROM projects")
    rewards = report.get("rewards") or {}
    payees = [
        {k: row[k] for k in ("reward_zh", "what", "payee", "amount")}
        for row in reward_rows(report, [], units, squads, projects)
    ]
    dep = report.get("deposits") or {}
    return RewardView(
        total=float(rewards.get("total") or 0),
        parts=reward_parts(rewards),
        payees=payees,
        deposits={k: float(dep.get(k) or 0) for k in ("held_yuan", "refundable_yuan", "forfeited_yuan")},
        deposit_rows=deposit_rows(report, units, squads),
    )


def reward_view(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> RewardView:
    """The rewards of the report as of ``period`` under ``settings``."""
    return view_of(con, build_report(con, period, settings))
