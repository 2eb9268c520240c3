"""Two METRICS.md reports lined up side by side (baseline vs scenario), section by section.

Pure: numbers are taken from the reports as they are, nothing is recomputed. Each section has its
own function returning its rows; the highlights (the changes a leader should read first) are
collected from every section into one list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from analytics.core.labels import AWARD_LABELS, HHI_LABEL, METRIC_LABELS

Highlights = list[str]


@dataclass
class ScenarioComparison:
    """Baseline and scenario reports (METRICS.md JSON) and their differences, ready to lay out."""

    baseline: dict[str, Any]
    scenario: dict[str, Any]
    landing: pd.DataFrame
    concentration: pd.DataFrame
    county: pd.DataFrame
    units: pd.DataFrame
    squads: pd.DataFrame
    rewards: pd.DataFrame
    award_changes: pd.DataFrame
    highlights: list[str]

    @property
    def reward_total_change(self) -> float:
        return float(self.scenario["rewards"]["total"]) - float(self.baseline["rewards"]["total"])


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else float(b) - float(a)


def _met_zh(value: bool | None) -> str:
    return {True: "达标", False: "未达标"}.get(value, "无数据")  # type: ignore[arg-type]


def landing_rows(baseline: dict[str, Any], scenario: dict[str, Any], highlights: Highlights) -> list[dict]:
    """§1: each cohort's commencement and production rate, target and whether met."""
    rows = []
    scen_landing = {r["cohort"]: r for r in scenario["landing"]}
    for b in baseline["landing"]:
        s = scen_landing.get(b["cohort"], {})
        for kind, zh in (("commencement", "开工率"), ("production", "投产率")):
            count_key = "commenced" if kind == "commencement" else "produced"
            row = {
                "cohort": b["cohort"],
                "indicator": f"{b['cohort']} 年签约项目{zh}",
                "baseline_rate": b[f"{kind}_rate"],
                "scenario_rate": s.get(f"{kind}_rate"),
                "baseline_target": b[f"{kind}_target"],
                "scenario_target": s.get(f"{kind}_target"),
                "baseline_met": b[f"{kind}_met"],
                "scenario_met": s.get(f"{kind}_met"),
                "baseline_count": b[count_key],
                "scenario_count": s.get(count_key),
                "baseline_base": b["base"],
                "scenario_base": s.get("base"),
            }
            row["change"] = _delta(row["baseline_rate"], row["scenario_rate"])
            row["changed"] = (
                row["baseline_rate"] != row["scenario_rate"]
                or row["baseline_met"] != row["scenario_met"]
                or row["baseline_target"] != row["scenario_target"]
            )
            if row["baseline_met"] != row["scenario_met"]:
                highlights.append(
                    f"{row['indicator']}由{_met_zh(row['baseline_met'])}变为{_met_zh(row['scenario_met'])}"
                )
            rows.append(row)
    return rows


CONCENTRATION_ITEMS = (
    ("by_investment", "按投资额"),
    ("by_count", "按项目数"),
    ("hhi", HHI_LABEL),
    ("headline", "考核口径"),
    ("target", "目标"),
)


def concentration_rows(
    baseline: dict[str, Any], scenario: dict[str, Any], highlights: Highlights
) -> list[dict]:
    """§2: both measures, the headline, the target and whether met."""
    bc, sc = baseline["concentration"], scenario["concentration"]
    rows = [
        {
            "item": zh,
            "key": key,
            "baseline": bc.get(key),
            "scenario": sc.get(key),
            "change": _delta(bc.get(key), sc.get(key)),
            "changed": bc.get(key) != sc.get(key),
        }
        for key, zh in CONCENTRATION_ITEMS
    ]
    rows.append(
        {
            "item": "是否达标",
            "key": "met",
            "baseline": bc.get("met"),
            "scenario": sc.get("met"),
            "change": None,
            "changed": bc.get("met") != sc.get("met"),
        }
    )
    if bc.get("met") != sc.get("met"):
        highlights.append(f"重点产业集聚度由{_met_zh(bc.get('met'))}变为{_met_zh(sc.get('met'))}")
    return rows


def county_rows(baseline: dict[str, Any], scenario: dict[str, Any]) -> list[dict]:
    """§3: each county metric's actual, target, completion and status."""
    rows = []
    scen_county = {r["metric"]: r for r in scenario["county"]}
    for b in baseline["county"]:
        s = scen_county.get(b["metric"], {})
        row = {
            "metric": b["metric"],
            "name": METRIC_LABELS.get(b["metric"], b["metric"]),
            "baseline_actual": b["actual"],
            "scenario_actual": s.get("actual"),
            "baseline_target": b["target"],
            "scenario_target": s.get("target"),
            "baseline_completion": b["completion"],
            "scenario_completion": s.get("completion"),
            "baseline_status": b["status"],
            "scenario_status": s.get("status"),
        }
        row["changed"] = any(
            row[f"baseline_{k}"] != row[f"scenario_{k}"] for k in ("actual", "target", "completion", "status")
        )
        rows.append(row)
    return rows


def unit_rows(
    baseline: dict[str, Any], scenario: dict[str, Any], unit_names: dict[str, str], highlights: Highlights
) -> tuple[list[dict], list[dict]]:
    """§4: each unit's score, rank, completion, awards and public statement; and the award changes."""
    rows, award_rows = [], []
    scen_units = {r["unit_id"]: r for r in scenario["units"]}
    base_units = {r["unit_id"]: r for r in baseline["units"]}
    for unit_id in list(base_units) + [u for u in scen_units if u not in base_units]:
        b = base_units.get(unit_id, {})
        s = scen_units.get(unit_id, {})
        name = unit_names.get(unit_id, unit_id)
        b_awards, s_awards = list(b.get("awards") or []), list(s.get("awards") or [])
        row = {
            "unit_id": unit_id,
            "name": name,
            "group": b.get("group") or s.get("group"),
            "baseline_score": b.get("score"),
            "scenario_score": s.get("score"),
            "score_change": _delta(b.get("score"), s.get("score")),
            "baseline_rank": b.get("rank"),
            "scenario_rank": s.get("rank"),
            "rank_change": (b["rank"] - s["rank"]) if b.get("rank") and s.get("rank") else None,
            "baseline_completed": b.get("completed"),
            "scenario_completed": s.get("completed"),
            "baseline_awards": b_awards,
            "scenario_awards": s_awards,
            "baseline_public_statement": b.get("public_statement"),
            "scenario_public_statement": s.get("public_statement"),
        }
        row["changed"] = (
            row["baseline_score"] != row["scenario_score"]
            or row["baseline_rank"] != row["scenario_rank"]
            or b_awards != s_awards
            or row["baseline_completed"] != row["scenario_completed"]
        )
        rows.append(row)
        for award, award_zh in AWARD_LABELS.items():
            if (award in b_awards) != (award in s_awards):
                gained = award in s_awards
                award_rows.append(
                    {
                        "unit_id": unit_id,
                        "name": name,
                        "group": row["group"],
                        "award": award,
                        "award_zh": award_zh,
                        "change": "gained" if gained else "lost",
                    }
                )
                highlights.append(f"{name}{'获得' if gained else '不再是'}{award_zh}")
    return rows, award_rows


def squad_rows(baseline: dict[str, Any], scenario: dict[str, Any], squad_names: dict[str, str]) -> list[dict]:
    """§5: each squad's score, rank, completion, advanced members and disqualified members."""
    rows = []
    scen_squads = {r["squad_id"]: r for r in scenario["squads"]}
    for b in baseline["squads"]:
        s = scen_squads.get(b["squad_id"], {})
        row = {
            "squad_id": b["squad_id"],
            "name": squad_names.get(b["squad_id"], b["squad_id"]),
            "baseline_score": b["score"],
            "scenario_score": s.get("score"),
            "score_change": _delta(b["score"], s.get("score")),
            "baseline_rank": b["rank"],
            "scenario_rank": s.get("rank"),
            "baseline_completed": b["completed"],
            "scenario_completed": s.get("completed"),
            "baseline_advanced_members": list(b.get("advanced_members") or []),
            "scenario_advanced_members": list(s.get("advanced_members") or []),
            "baseline_disqualified": list(b["disqualified"]),
            "scenario_disqualified": list(s.get("disqualified") or []),
        }
        row["changed"] = any(
            row[f"baseline_{k}"] != row[f"scenario_{k}"]
            for k in ("score", "rank", "completed", "advanced_members", "disqualified")
        )
        rows.append(row)
    return rows


def _sum_projects(rewards: dict[str, Any], kind: str) -> float:
    """The engine's per-project amounts of one reward kind, added up for the side-by-side table."""
    return float(sum(p["amount"] for p in rewards["projects"] if p["reward"] == kind))


def _sum_list(rewards: dict[str, Any], key: str) -> float:
    return float(sum(entry["amount"] for entry in rewards.get(key) or []))


def reward_rows(baseline: dict[str, Any], scenario: dict[str, Any], highlights: Highlights) -> list[dict]:
    """§6: each kind of reward and the total (万元)."""
    br, sr = baseline["rewards"], scenario["rewards"]
    rows = [
        {"item": "实际利用外资奖励", "baseline": br["fdi"], "scenario": sr["fdi"]},
        {"item": "出口奖励", "baseline": br.get("export", 0.0), "scenario": sr.get("export", 0.0)},
        {
            "item": "现汇进资贡献奖",
            "baseline": br["fx_contribution"]["amount"],
            "scenario": sr["fx_contribution"]["amount"],
        },
        {
            "item": "“5020”项目奖励",
            "baseline": _sum_projects(br, "project_5020"),
            "scenario": _sum_projects(sr, "project_5020"),
        },
        {
            "item": "外资工业项目现汇奖励",
            "baseline": _sum_projects(br, "foreign_fx"),
            "scenario": _sum_projects(sr, "foreign_fx"),
        },
        {"item": "先进单位奖励", "baseline": _sum_list(br, "prizes"), "scenario": _sum_list(sr, "prizes")},
        {
            "item": "税收分成",
            "baseline": _sum_list(br, "tax_sharing"),
            "scenario": _sum_list(sr, "tax_sharing"),
        },
        {"item": "奖励合计", "baseline": br["total"], "scenario": sr["total"]},
    ]
    for row in rows:
        row["change"] = float(row["scenario"]) - float(row["baseline"])
        row["changed"] = row["baseline"] != row["scenario"]
    if br["total"] != sr["total"]:
        highlights.append(f"奖励测算合计由 {br['total']:,.2f} 万元变为 {sr['total']:,.2f} 万元")
    return rows


AWARD_CHANGE_COLUMNS = ["unit_id", "name", "group", "award", "award_zh", "change"]


def diff_reports(
    baseline: dict[str, Any],
    scenario: dict[str, Any],
    unit_names: dict[str, str] | None = None,
    squad_names: dict[str, str] | None = None,
) -> ScenarioComparison:
    """Line up two METRICS.md reports, section by section."""
    highlights: Highlights = []  # in the order a leader reads them: 9865, concentration, awards, money
    landing = landing_rows(baseline, scenario, highlights)
    concentration = concentration_rows(baseline, scenario, highlights)
    units, awards = unit_rows(baseline, scenario, unit_names or {}, highlights)
    rewards = reward_rows(baseline, scenario, highlights)
    return ScenarioComparison(
        baseline=baseline,
        scenario=scenario,
        landing=pd.DataFrame(landing),
        concentration=pd.DataFrame(concentration),
        county=pd.DataFrame(county_rows(baseline, scenario)),
        units=pd.DataFrame(units),
        squads=pd.DataFrame(squad_rows(baseline, scenario, squad_names or {})),
        rewards=pd.DataFrame(rewards),
        award_changes=pd.DataFrame(awards, columns=AWARD_CHANGE_COLUMNS),
        highlights=highlights,
    )
