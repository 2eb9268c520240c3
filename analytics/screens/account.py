"""The year-end account (年度总账) of year ``Y``: what the page and the Word/Excel document show.

Every figure comes from one report as of ``Y-12-31`` (``report.build_report``): the signed snapshot
once the office has signed the year off, else the live report (unsigned; provisional before the
year is over). This module only arranges that report and adds what the plan attaches to it:

- rankings and awards per group, units sharing a rank shown as 并列 (METRICS §4);
- consequences (seed 001, 篇2 (四)(五)): 骏马奖 and each squad's advanced members → 建议评为优秀;
  蜗牛奖 → 县委县政府主要领导约谈; a unit that did not complete → 取消评先评优; among the units that
  did not complete, the departments with fewer than three ranked departments strictly lower and the
  townships with no ranked township strictly lower (both classes together, or per class, as
  ``statement_townships`` says) → 组织处理 (the seed: 未完成目标任务的单位且排名后三位的县直部门和末位的乡镇);
- every reward, prize and tax share with its payee and where it stands in the ledger
  (``analytics.data.ledger``): paid, due, or paid in an earlier year and not proposed again;
- deposits refunded or forfeited, with totals;
- after a sign-off, when the data changed: what the live data would change (``drift``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

import duckdb

from analytics.core.labels import (
    AWARD_LABELS,
    CONSEQUENCE_LABELS,
    GROUP_LABELS,
    METRIC_LABELS,
    PAYMENT_STATUS_LABELS,
    REWARD_LABELS,
)
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data import ledger
from analytics.data import snapshots as stored
from analytics.metrics.report import build_report

GROUP_ORDER = ("township_1", "township_2", "department", "township")
AWARD_ORDER = ("golden_horse", "advanced", "snail")
COMMERCE_PAYEE = "县商务主管部门"


class NoDataForYear(LookupError):
    """The database has no targets and no signings for the year; the message is Chinese."""


@dataclass
class YearAccount:
    year: int
    as_of: date
    report: dict[str, Any]
    settings: dict[str, Any]
    signoff: stored.SignOff | None
    snapshot: stored.Snapshot | None
    year_over: bool
    rankings: list[dict[str, Any]] = field(default_factory=list)
    consequences: list[dict[str, Any]] = field(default_factory=list)
    squads: list[dict[str, Any]] = field(default_factory=list)
    rewards: list[dict[str, Any]] = field(default_factory=list)
    deposits: list[dict[str, Any]] = field(default_factory=list)
    drift: list[str] = field(default_factory=list)
    data_changed: bool = False

    @property
    def signed(self) -> bool:
        return self.signoff is not None

    @property
    def status_line(self) -> str:
        if self.signoff is not None:
            reason = f";重新签署理由:{self.signoff.reason}" if self.signoff.reason else ""
            return (
                f"已签署:{self.signoff.signed_by} 于 {self.signoff.signed_at:%Y-%m-%d %H:%M} 签署"
                f"(快照 {self.signoff.snapshot_id}){reason}。本年度结果以签署时的快照为准。"
            )
        if not self.year_over:
            return f"{self.year} 年尚未结束:以下为按当前数据测算的预计结果,未签署。"
        return "未签署:以下为按当前数据计算的结果,招商办签署后即以签署时的快照为准。"

    def reward_totals(self) -> dict[str, float]:
        """Σ of every reward line; of those paid; of those still due (paid earlier: in neither)."""
        total = sum(r["amount"] for r in self.rewards)
        paid = sum(r["amount"] for r in self.rewards if r["status"] == "paid")
        due = sum(r["amount"] for r in self.rewards if r["status"] == "due")
        return {"total": total, "paid": paid, "due": due}

    def deposit_totals(self) -> dict[str, float]:
        d = self.report.get("deposits") or {}
        return {
            "held_yuan": float(d.get("held_yuan") or 0),
            "refundable_yuan": float(d.get("refundable_yuan") or 0),
            "forfeited_yuan": float(d.get("forfeited_yuan") or 0),
        }


def year_end(year: int) -> date:
    return date(year, 12, 31)


def has_data(con: duckdb.DuckDBPyConnection, year: int) -> bool:
    rows = con.execute(
        "SELECT (SELECT count(*) FROM targets WHERE year = $y)"
        " + (SELECT count(*) FROM projects WHERE year(signed_date) = $y)",
        {"y": year},
    ).fetchall()
    return rows[0][0] > 0


def require_data(con: duckdb.DuckDBPyConnection, year: int) -> None:
    if not has_data(con, year):
        raise NoDataForYear(
            f"{year} 年没有目标任务也没有签约项目,无法生成年度总账。 / No targets or projects for {year}."
        )


def _names(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, str]:
    return {str(k): str(v) for k, v in con.execute(sql).fetchall()}


def year_account(con: duckdb.DuckDBPyConnection, year: int, today: date | None = None) -> YearAccount:
    """The account of ``year``: from its signed snapshot when signed off, else live as of 12-31."""
    require_data(con, year)
    today = today or date.today()
    signoff = stored.latest_signoff(con, year)
    snapshot = stored.get_snapshot(con, signoff.snapshot_id) if signoff is not None else None
    if snapshot is not None:
        report, settings = snapshot.report, snapshot.settings
    else:
        settings = effective_settings(con)
        report = build_report(con, Period(year, year_end(year)), settings)
    account = YearAccount(
        year=year,
        as_of=year_end(year),
        report=report,
        settings=settings,
        signoff=signoff,
        snapshot=snapshot,
        year_over=today > year_end(year),
    )
    units = _names(con, "SELECT unit_id, name FROM units")
    squads = _names(con, "SELECT squad_id, name FROM squads")
    projects = _names(con, "SELECT project_id, name FROM projects")
    account.rankings = rankings(report, units)
    account.consequences = consequences(report, settings, units, squads)
    account.squads = squad_rows(report, units, squads)
    account.rewards = reward_rows(report, ledger.payments(con), units, squads, projects)
    account.deposits = deposit_rows(report, units, squads)
    if snapshot is not None and stored.data_hash(con) != snapshot.data_hash:
        account.data_changed = True
        live = build_report(con, Period(year, snapshot.as_of), settings)
        account.drift = report_changes(report, live, units, squads)
    return account


# --- rankings and consequences ------------------------------------------------------------------


def _shared_ranks(entries: list[dict[str, Any]]) -> set[tuple[str, int]]:
    seen: dict[tuple[str, int], int] = {}
    for u in entries:
        if u.get("rank") is not None:
            key = (u["group"], u["rank"])
            seen[key] = seen.get(key, 0) + 1
    return {k for k, n in seen.items() if n > 1}


def rank_text(rank: int | None, tied: bool) -> str:
    if rank is None:
        return "未排名"
    return f"并列{rank}" if tied else str(rank)


def rankings(report: dict[str, Any], units: dict[str, str]) -> list[dict[str, Any]]:
    """One row per unit in report order: rank (并列 when shared), score, completed, awards."""
    entries = report.get("units", [])
    shared = _shared_ranks(entries)
    rows = []
    for u in entries:
        tied = bool(u.get("tied")) or (u["group"], u.get("rank")) in shared
        rows.append(
            {
                "unit_id": u["unit_id"],
                "name": units.get(u["unit_id"], u["unit_id"]),
                "group": u["group"],
                "group_zh": GROUP_LABELS.get(u["group"], u["group"]),
                "rank": u.get("rank"),
                "tied": tied and u.get("rank") is not None,
                "rank_text": rank_text(u.get("rank"), tied),
                "score": u.get("score"),
                "completed": u.get("completed"),
                "actuals": u.get("actuals", {}),
                "targets": u.get("targets", {}),
                "awards": list(u.get("awards", [])),
                "awards_zh": "、".join(AWARD_LABELS[a] for a in AWARD_ORDER if a in u.get("awards", [])),
            }
        )
    return rows


def order_key(unit: dict[str, Any], settings: dict[str, Any]) -> tuple:
    """METRICS §4 order key from a report entry: score, tie-breaker completions, signed investment."""
    key: list[Any] = [Fraction(str(unit["score"]))]
    for metric in settings.get("tie_breakers", []):
        target = (unit.get("targets") or {}).get(metric)
        if target:
            key.append(Fraction(int(unit["actuals"][metric])) / Fraction(str(target)))
        else:
            key.append(Fraction(-1))  # not included: lowest
    key.append(Fraction(str(unit.get("signed_investment_wan") or 0)))
    return tuple(key)


def _organisational(report: dict[str, Any], settings: dict[str, Any]) -> set[str]:
    """Units that did not complete and are among the bottom three departments or the last township."""
    ranked = [u for u in report.get("units", []) if u.get("score") is not None]
    out = set()
    for u in ranked:
        if u.get("completed") is not False:
            continue
        mine = order_key(u, settings)
        if u["kind"] == "department":
            peers = [v for v in ranked if v["kind"] == "department"]
            limit = int(settings.get("statement_departments", 3))
        else:
            per_class = settings.get("statement_townships") == "per_class"
            peers = [
                v for v in ranked if v["kind"] == "township" and (not per_class or v["group"] == u["group"])
            ]
            limit = 1
        if sum(1 for v in peers if order_key(v, settings) < mine) < limit:
            out.add(u["unit_id"])
    return out


def consequences(
    report: dict[str, Any], settings: dict[str, Any], units: dict[str, str], squads: dict[str, str]
) -> list[dict[str, Any]]:
    """What the plan attaches to the results: one row per unit and consequence, with the reason."""
    rows: list[dict[str, Any]] = []

    def add(unit_id: str, consequence: str, reason: str) -> None:
        rows.append(
            {
                "unit_id": unit_id,
                "name": units.get(unit_id, unit_id),
                "consequence": consequence,
                "consequence_zh": CONSEQUENCE_LABELS[consequence],
                "reason": reason,
            }
        )

    for u in report.get("units", []):
        if "golden_horse" in u.get("awards", []):
            add(u["unit_id"], "excellent", f"{GROUP_LABELS.get(u['group'], u['group'])}骏马奖")
    for s in report.get("squads", []):
        members = s.get("advanced_members")
        if members is None:
            members = [s["advanced_member"]] if s.get("advanced_member") else []
        for unit_id in members:
            add(unit_id, "excellent", f"{squads.get(s['squad_id'], s['squad_id'])}先进单位")
    for u in report.get("units", []):
        if "snail" in u.get("awards", []):
            add(u["unit_id"], "interview", f"{GROUP_LABELS.get(u['group'], u['group'])}蜗牛奖")
    for u in report.get("units", []):
        if u.get("score") is not None and u.get("completed") is False:
            add(u["unit_id"], "no_honours", "未完成目标任务")
    sanctioned = _organisational(report, settings)
    for u in report.get("units", []):
        if u["unit_id"] in sanctioned:
            where = "县直部门排名后三位" if u["kind"] == "department" else "乡镇排名末位"
            add(u["unit_id"], "organisational", f"未完成目标任务且{where}")
    return rows


def squad_rows(report: dict[str, Any], units: dict[str, str], squads: dict[str, str]) -> list[dict[str, Any]]:
    ranks = [s.get("rank") for s in report.get("squads", [])]
    rows = []
    for s in report.get("squads", []):
        members = s.get("advanced_members")
        if members is None:
            members = [s["advanced_member"]] if s.get("advanced_member") else []
        tied = ranks.count(s.get("rank")) > 1

        def names(ids: list[str]) -> str:
            return "、".join(units.get(i, i) for i in ids) or "无"

        targets = s.get("targets") or {}
        actuals = s.get("actuals") or {}
        rows.append(
            {
                "squad_id": s["squad_id"],
                "name": squads.get(s["squad_id"], s["squad_id"]),
                "rank_text": rank_text(s.get("rank"), tied),
                "score": s.get("score"),
                "mean_score": s.get("mean_score"),
                "completed": s.get("completed"),
                "targets_text": "、".join(
                    f"{METRIC_LABELS.get(m, m)} {actuals.get(m, 0)}/{v}" for m, v in targets.items()
                )
                or "—",
                "advanced": names(members),
                "disqualified": names(s.get("disqualified", [])),
                "unassessed": names(s.get("unassessed", [])),
            }
        )
    return rows


# --- rewards and deposits -----------------------------------------------------------------------


def reward_rows(
    report: dict[str, Any],
    paid: list[ledger.Payment],
    units: dict[str, str],
    squads: dict[str, str],
    projects: dict[str, str],
) -> list[dict[str, Any]]:
    """Every reward, prize and tax share of the report with its payee and ledger status."""
    year = int(report["year"])
    r = report.get("rewards", {})
    items: list[dict[str, Any]] = []
    for code in ("fdi", "export"):
        if r.get(code):
            items.append(
                {
                    "reward": code,
                    "subject": ledger.COMMERCE,
                    "what": "全县",
                    "payee": COMMERCE_PAYEE,
                    "amount": float(r[code]),
                }
            )
    fx = r.get("fx_contribution") or {}
    if fx.get("unit_id") and fx.get("amount"):
        items.append(
            {
                "reward": "fx_contribution",
                "subject": fx["unit_id"],
                "what": units.get(fx["unit_id"], fx["unit_id"]),
                "payee": units.get(fx["unit_id"], fx["unit_id"]),
                "amount": float(fx["amount"]),
            }
        )
    for p in r.get("projects", []):
        payee = p.get("payee") or p.get("unit_id")
        items.append(
            {
                "reward": p["reward"],
                "subject": ledger.reward_subject(p),
                "what": projects.get(p["project_id"], p["project_id"]),
                "payee": units.get(payee, payee),
                "amount": float(p["amount"]),
            }
        )
    for p in r.get("prizes", []):
        what = units.get(p["unit_id"], p["unit_id"])
        if p.get("squad_id"):
            what = f"{squads.get(p['squad_id'], p['squad_id'])}:{what}"
        items.append(
            {
                "reward": p["prize"],
                "subject": ledger.reward_subject(p),
                "what": what,
                "payee": units.get(p["unit_id"], p["unit_id"]),
                "amount": float(p["amount"]),
            }
        )
    for t in r.get("tax_sharing", []):
        items.append(
            {
                "reward": "tax_sharing",
                "subject": ledger.reward_subject(t),
                "what": f"{projects.get(t['project_id'], t['project_id'])}(税收 {t['tax_wan']:,.2f} 万元 × {t['share']:.0%})",
                "payee": units.get(t["unit_id"], t["unit_id"]),
                "amount": float(t["amount"]),
            }
        )
    for item in items:
        item["reward_zh"] = REWARD_LABELS.get(item["reward"], item["reward"])
        payment = ledger.is_paid(paid, item["reward"], item["subject"], year)
        if payment is None:
            status = "due"
        elif payment.year == year:
            status = "paid"
        else:
            status = "paid_before"
        item |= {
            "status": status,
            "status_zh": PAYMENT_STATUS_LABELS[status]
            + (f"({payment.year} 年)" if status == "paid_before" and payment else ""),
            "paid_on": payment.paid_on if payment else None,
            "recorded_by": payment.recorded_by if payment else None,
        }
    return items


def deposit_rows(
    report: dict[str, Any], units: dict[str, str], squads: dict[str, str]
) -> list[dict[str, Any]]:
    out = []
    for s in (report.get("deposits") or {}).get("scopes", []):
        refundable = s.get("refundable")
        out.append(
            {
                "scope": s["scope"],
                "name": units.get(s["scope"]) or squads.get(s["scope"]) or s["scope"],
                "held_yuan": float(s.get("held_yuan") or 0),
                "refundable": refundable,
                "result_zh": {True: "退还", False: "不予退还,上缴县财政", None: "未设目标"}[refundable],
            }
        )
    return out


# --- drift after a sign-off ---------------------------------------------------------------------


def report_changes(
    signed: dict[str, Any], live: dict[str, Any], units: dict[str, str], squads: dict[str, str]
) -> list[str]:
    """What the live report would change in the signed one: ranks, completion, awards, squads,
    reward and deposit totals. Empty when the results are the same."""
    lines: list[str] = []
    old_units = {u["unit_id"]: u for u in signed.get("units", [])}
    for u in live.get("units", []):
        before = old_units.get(u["unit_id"])
        name = units.get(u["unit_id"], u["unit_id"])
        if before is None:
            lines.append(f"{name}:签署时未列入,现名次 {rank_text(u.get('rank'), False)}")
            continue
        parts = []
        if before.get("rank") != u.get("rank"):
            parts.append(f"名次 {rank_text(before.get('rank'), False)} → {rank_text(u.get('rank'), False)}")
        if before.get("completed") != u.get("completed"):
            parts.append(
                f"{'完成' if before.get('completed') else '未完成'} → {'完成' if u.get('completed') else '未完成'}"
            )
        if before.get("awards", []) != u.get("awards", []):
            old = "、".join(AWARD_LABELS[a] for a in before.get("awards", [])) or "无"
            new = "、".join(AWARD_LABELS[a] for a in u.get("awards", [])) or "无"
            parts.append(f"奖项 {old} → {new}")
        if parts:
            lines.append(f"{name}:" + ";".join(parts))
    old_squads = {s["squad_id"]: s for s in signed.get("squads", [])}
    for s in live.get("squads", []):
        before = old_squads.get(s["squad_id"], {})
        if before.get("rank") != s.get("rank") or before.get("completed") != s.get("completed"):
            lines.append(
                f"{squads.get(s['squad_id'], s['squad_id'])}:名次 {before.get('rank')} → {s.get('rank')},"
                f"{'完成' if s.get('completed') else '未完成'}"
            )
    old_total = float(signed.get("rewards", {}).get("total", 0))
    new_total = float(live.get("rewards", {}).get("total", 0))
    if abs(old_total - new_total) > 1e-9:
        lines.append(f"奖励合计 {old_total:,.2f} 万元 → {new_total:,.2f} 万元")
    old_dep = (signed.get("deposits") or {}).get("forfeited_yuan")
    new_dep = (live.get("deposits") or {}).get("forfeited_yuan")
    if old_dep != new_dep:
        lines.append(f"不予退还的责任金 {old_dep or 0:,.0f} 元 → {new_dep or 0:,.0f} 元")
    return lines
