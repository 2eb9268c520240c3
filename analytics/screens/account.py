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
    PROVISIONAL_AWARD_LABELS,
)
from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data import ledger
from analytics.data import snapshots as stored
from analytics.metrics.report import build_report
from analytics.screens.account_drift import rank_text, report_changes
from analytics.screens.account_rewards import deposit_rows, reward_rows

GROUP_ORDER = ("township_1", "township_2", "department", "township")
AWARD_ORDER = ("golden_horse", "advanced", "snail")


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
                f"{reason}。本年度结果以签署时保存的快照为准。"
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
    in_year = not account.year_over  # award names only once the year is over (暂列 before)
    account.rankings = rankings(report, units, provisional=in_year)
    account.consequences = consequences(report, settings, units, squads, provisional=in_year)
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


def rankings(
    report: dict[str, Any], units: dict[str, str], *, provisional: bool = False
) -> list[dict[str, Any]]:
    """One row per unit in report order: rank (并列 when shared), score, completed, awards
    (``provisional``: the in-year wording 暂列第一 / 暂列先进 / 暂列末位)."""
    award_labels = PROVISIONAL_AWARD_LABELS if provisional else AWARD_LABELS
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
                "awards_zh": "、".join(award_labels[a] for a in AWARD_ORDER if a in u.get("awards", [])),
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
    report: dict[str, Any],
    settings: dict[str, Any],
    units: dict[str, str],
    squads: dict[str, str],
    *,
    provisional: bool = False,
) -> list[dict[str, Any]]:
    """What the plan attaches to the results: one row per unit and consequence, with the reason
    (``provisional``: the awards named in the in-year wording)."""
    award_labels = PROVISIONAL_AWARD_LABELS if provisional else AWARD_LABELS
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
            add(
                u["unit_id"],
                "excellent",
                f"{GROUP_LABELS.get(u['group'], u['group'])}{award_labels['golden_horse']}",
            )
    for s in report.get("squads", []):
        members = s.get("advanced_members") or []
        for unit_id in members:
            add(unit_id, "excellent", f"{squads.get(s['squad_id'], s['squad_id'])}先进单位")
    for u in report.get("units", []):
        if "snail" in u.get("awards", []):
            add(
                u["unit_id"],
                "interview",
                f"{GROUP_LABELS.get(u['group'], u['group'])}{award_labels['snail']}",
            )
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
        members = s.get("advanced_members") or []
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


def signed_year_drifts(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, list[str]]]:
    """Each signed year whose account the data edited since its sign-off would change:
    (year, who signed and when, what would change). Years the edits leave unchanged are not listed."""
    out = []
    years = [
        int(r[0]) for r in con.execute("SELECT DISTINCT year FROM account_signoffs ORDER BY 1").fetchall()
    ]
    for year in years:
        signoff = stored.latest_signoff(con, year)
        snapshot = stored.get_snapshot(con, signoff.snapshot_id)
        if stored.data_hash(con) == snapshot.data_hash:
            continue
        names = _names(con, "SELECT unit_id, name FROM units")
        squads = _names(con, "SELECT squad_id, name FROM squads")
        live = build_report(con, Period(year, snapshot.as_of), snapshot.settings)
        lines = report_changes(snapshot.report, live, names, squads)
        if lines:
            out.append((year, f"{signoff.signed_by} 于 {signoff.signed_at:%Y-%m-%d} 签署", lines))
    return out
