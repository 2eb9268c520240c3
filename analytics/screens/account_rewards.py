"""The year-end account's money lines: every reward, prize and tax share of a report with its payee
and where it stands in the rewards ledger (``analytics.data.ledger``), and the deposits."""

from __future__ import annotations

from typing import Any

from analytics.core.labels import PAYMENT_STATUS_LABELS, REWARD_LABELS
from analytics.data import ledger

COMMERCE_PAYEE = "县商务主管部门"


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
