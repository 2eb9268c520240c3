"""METRICS.md v2 §0–§4 written a second time, straight from the spec, in plain Python over the demo
generator's DataFrames (no database, no engine code): the cross-check's independent path.

Exact fractions throughout (money read as the decimals written), so ties are real ties.
"""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pandas as pd

UNIT_METRICS = ("signed_projects", "in_stats_projects", "valid_leads")
_VARIATION_SELECTORS = [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]


def day(value: object) -> date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "":
        return None
    return date.fromisoformat(str(value)[:10])


def money(value: object) -> Fraction:
    return Fraction(Decimal(repr(float(value))))


def month_day(year: int, text: str) -> date:
    month, d = (int(x) for x in text.split("-"))
    return date(year, month, min(d, calendar.monthrange(year, month)[1]))


def company_key(name: str) -> str:
    """§4: invisible characters (Cf, variation selectors) removed, NFKC, white space removed, case-folded."""
    visible = "".join(
        ch for ch in name if unicodedata.category(ch) != "Cf" and ord(ch) not in _VARIATION_SELECTORS
    )
    return "".join(unicodedata.normalize("NFKC", visible).split()).casefold()


class Spec:
    """The demo county's tables read once; each method is one METRICS.md rule for (year, as_of)."""

    def __init__(self, tables: dict[str, pd.DataFrame], settings: dict[str, Any]) -> None:
        self.settings = settings
        self.projects = tables["projects"].to_dict("records")
        for p in self.projects:
            for column in ("signed_date", "in_stats_date", "commenced_date", "production_date",
                           "written_off_date", "in_stats_verified_on", "commenced_verified_on",
                           "production_verified_on"):  # fmt: skip
                p[column] = day(p[column])
        self.arrivals = tables["fund_arrivals"].to_dict("records")
        for a in self.arrivals:
            a["date"], a["verified_on"] = day(a["date"]), day(a["verified_on"])
        self.leads = tables["leads"].to_dict("records")
        for lead in self.leads:
            lead["at"] = pd.Timestamp(lead["reported_at"]).to_pydatetime()
            lead["validated_on"] = day(lead["validated_on"])
            lead["key"] = company_key(lead["company"])
            lead["project_id"] = None if pd.isna(lead["project_id"]) else lead["project_id"]
        self.units = tables["units"].to_dict("records")
        self.targets = tables["targets"]
        self.trade_table = tables["trade"].to_dict("records")

    # §0 ------------------------------------------------------------------------------------------
    def counts(self, p: dict, column: str, verified: str, d: date) -> bool:
        """A milestone counts at d: on or before d, and verified by d under count_verified_only."""
        if p[column] is None or p[column] > d:
            return False
        return not self.settings["count_verified_only"] or (p[verified] is not None and p[verified] <= d)

    @staticmethod
    def active(p: dict, d: date) -> bool:
        return p["written_off_date"] is None or p["written_off_date"] > d

    @staticmethod
    def window(year: int, d: date) -> tuple[date, date]:
        return date(year, 1, 1), min(d, date(year, 12, 31))

    def signed(self, year: int, d: date) -> list[dict]:
        start, end = self.window(year, d)
        return [p for p in self.projects if start <= p["signed_date"] <= end and self.active(p, d)]

    def in_stats(self, year: int, d: date) -> list[dict]:
        start, end = self.window(year, d)
        return [
            p
            for p in self.projects
            if self.counts(p, "in_stats_date", "in_stats_verified_on", d)
            and start <= p["in_stats_date"] <= end
            and self.active(p, d)
        ]

    # §1 ------------------------------------------------------------------------------------------
    def landing(self, cohort: int, d: date) -> dict[str, int]:
        signed = [p for p in self.projects if p["signed_date"].year == cohort and p["signed_date"] <= d]
        base = [p for p in signed if self.active(p, d)]
        return {
            "base": len(base),
            "written_off": len(signed) - len(base),
            "commenced": sum(self.counts(p, "commenced_date", "commenced_verified_on", d) for p in base),
            "produced": sum(self.counts(p, "production_date", "production_verified_on", d) for p in base),
        }

    # §3 ------------------------------------------------------------------------------------------
    def top_companies(self, year: int, d: date) -> int:
        ranks = self.settings["top_company_ranks"]
        return sum(
            money(p["total_investment_wan"]) >= 10000 and p["company_rank"] in ranks
            for p in self.signed(year, d)
        )

    def trade_rows(self, year: int, d: date) -> list[dict]:
        last = min(d, date(year, 12, 31))
        return sorted(
            (
                r
                for r in self.trade_table
                if r["month"].startswith(f"{year}-") and r["month"] <= last.strftime("%Y-%m")
            ),
            key=lambda r: r["month"],
        )

    def trade(self, year: int, d: date) -> dict[str, Any]:
        rows = self.trade_rows(year, d)
        previous_rows = self.trade_rows(year - 1, date(year - 1, min(d, date(year, 12, 31)).month, 1))
        actual = sum((money(r["exports_usd_wan"]) + money(r["imports_usd_wan"]) for r in rows), Fraction(0))
        previous = sum(
            (money(r["exports_usd_wan"]) + money(r["imports_usd_wan"]) for r in previous_rows), Fraction(0)
        )
        growth = rows[-1]["city_growth"] if rows else None
        growth = None if growth is None or pd.isna(growth) else float(growth)
        yoy = actual / previous - 1 if previous else None
        above = None if yoy is None or growth is None else yoy > money(growth)
        return {"actual": actual, "previous": previous, "city_growth": growth, "above_city": above}

    # §4 ------------------------------------------------------------------------------------------
    def first_reports(self) -> set[str]:
        """Per company key, by (reported_at, lead_id): the first non-invalid lead, and each later one
        that makes a stale current first report (no project, more than N days by date) lapse."""
        n = self.settings["first_report_protection_days"]
        groups: dict[str, list[dict]] = {}
        for lead in sorted(self.leads, key=lambda x: (x["at"], x["lead_id"])):
            if lead["status"] != "invalid":
                groups.setdefault(lead["key"], []).append(lead)
        firsts = set()
        for group in groups.values():
            current = group[0]
            firsts.add(current["lead_id"])
            for lead in group[1:]:
                stale = current["project_id"] is None and n is not None
                if stale and (lead["at"].date() - current["at"].date()).days > n:
                    current = lead
                    firsts.add(lead["lead_id"])
        return firsts

    def valid_leads(self, year: int, d: date) -> list[dict]:
        start, end = self.window(year, d)
        valid_by = min(d, month_day(year + 1, self.settings["lead_validation_cutoff"]))
        firsts = self.first_reports()
        return [
            lead
            for lead in self.leads
            if lead["lead_id"] in firsts
            and lead["status"] == "valid"
            and start <= lead["at"].date() <= end
            and (lead["validated_on"] or lead["at"].date()) <= valid_by
        ]

    def units_at(self, year: int, d: date) -> dict[str, dict]:
        """Every unit's actuals, completions, score, completed, signed investment, group and key."""
        signed, in_stats, leads = self.signed(year, d), self.in_stats(year, d), self.valid_leads(year, d)
        targets = self.targets[self.targets["year"].astype(int) == year]
        weights = {m: money(w) for m, w in self.settings["unit_weights"].items()}
        cap = money(self.settings["score_cap"])
        out = {}
        for u in self.units:
            uid = u["unit_id"]
            actuals = {
                "signed_projects": sum(p["introducing_unit_id"] == uid for p in signed),
                "in_stats_projects": sum(p["introducing_unit_id"] == uid for p in in_stats),
                "valid_leads": sum(lead["reporter_unit_id"] == uid for lead in leads),
            }
            mine = {
                r["metric"]: money(r["value"]) for r in targets[targets["scope"] == uid].to_dict("records")
            }
            c = {m: Fraction(actuals[m]) / mine[m] for m in UNIT_METRICS if mine.get(m, 0) > 0}
            total_weight = sum(weights[m] for m in c)
            score = 100 * sum(weights[m] * min(v, cap) for m, v in c.items()) / total_weight if c else None
            investment = sum((money(p["total_investment_wan"]) for p in signed if p["introducing_unit_id"] == uid),
                             Fraction(0))  # fmt: skip
            kind = u["kind"]
            cls = None if pd.isna(u["township_class"]) else str(u["township_class"])
            group = (
                "department"
                if kind == "department"
                else f"township_{cls}"
                if cls in ("1", "2")
                else "township"
            )
            key = None
            if score is not None:
                key = (score, *(c.get(m, Fraction(-1)) for m in self.settings["tie_breakers"]), investment)
            out[uid] = {"actuals": actuals, "c": c, "score": score, "completed": all(v >= 1 for v in c.values())
                        if c else None, "investment": investment, "kind": kind, "group": group, "key": key}  # fmt: skip
        for u in out.values():
            peers = [o for o in out.values() if o["group"] == u["group"] and o["key"] is not None]
            u["rank"] = None if u["key"] is None else 1 + sum(o["key"] > u["key"] for o in peers)
        for u in out.values():  # tied needs every rank first
            peers = [o for o in out.values() if o["group"] == u["group"] and o["key"] is not None]
            u["tied"] = u["rank"] is not None and sum(o["rank"] == u["rank"] for o in peers) > 1
        return out

    def awards(self, units: dict[str, dict]) -> dict[str, list[str]]:
        out = {uid: [] for uid in units}
        for group, places in (("township_1", "1"), ("township_2", "2")):
            ranked = {uid: u for uid, u in units.items() if u["group"] == group and u["rank"] is not None}
            if not ranked:
                continue
            last = max(u["rank"] for u in ranked.values())
            done = [u for u in ranked.values() if u["completed"]]
            for uid, u in ranked.items():
                if u["rank"] == 1 and u["completed"]:
                    out[uid].append("golden_horse")
                better = sum(o["key"] > u["key"] for o in done)
                if u["completed"] and better < self.settings["advanced_per_class"].get(places, 0):
                    out[uid].append("advanced")
                if u["rank"] == last and not u["completed"]:
                    out[uid].append("snail")
        return out

    def mid_year(self, year: int, d: date, units: dict[str, dict]) -> dict[str, tuple[bool, bool, bool]]:
        """unit → (behind_half, public_statement, behind_schedule)."""
        check = month_day(year, self.settings["mid_year_check"])
        if d < check:
            return dict.fromkeys(units, (False, False, False))
        at_check = self.units_at(year, check)
        behind = {uid for uid, u in at_check.items() if u["key"] is not None and any(v < Fraction(1, 2)
                  for v in u["c"].values())}  # fmt: skip
        stating = set()
        for uid in behind:
            u = at_check[uid]
            same_kind = [at_check[o] for o in behind if at_check[o]["kind"] == u["kind"]]
            if u["kind"] == "department":
                if sum(o["key"] < u["key"] for o in same_kind) < self.settings["statement_departments"]:
                    stating.add(uid)
            else:
                if self.settings["statement_townships"] == "per_class":
                    same_kind = [o for o in same_kind if o["group"] == u["group"]]
                if not any(o["key"] < u["key"] for o in same_kind):
                    stating.add(uid)
        start, end = self.window(year, d)
        f = Fraction((end - start).days + 1, 366 if calendar.isleap(year) else 365)
        return {
            uid: (uid in behind, uid in stating, d > check and any(v < f for v in u["c"].values()))
            for uid, u in units.items()
        }
