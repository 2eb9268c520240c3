"""What-if scenarios (模拟推演): settings overrides, target overrides and assumed events.

A scenario never writes to the real tables. ``apply_scenario`` copies every contract table into a
separate in-memory DuckDB (via Arrow, read through a cursor of the real connection) and applies the
assumptions there; ``compare`` runs the metrics engine (``analytics.report.build_report``) on the real
database and on that scratch copy and lines the two reports up. Every number comes from the engine:
this module only diffs what it returns.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import AWARD_LABELS
from analytics.core.period import Period
from analytics.core.schema import COUNTY_METRICS, TABLES, UNIT_METRICS
from analytics.core.settings import DEFAULT_SETTINGS, SettingsError, apply_overrides, effective_settings
from analytics.data.store import open_database
from analytics.metrics.report import build_report

# Assumed event kinds → Chinese label.
EVENT_KINDS: dict[str, str] = {
    "commenced": "开工",
    "produced": "投产",
    "in_stats": "入统",
    "lead_valid": "信息认定有效",
    "funds": "资金到位",
}
PROJECT_EVENT_COLUMNS = {
    "commenced": "commenced_date",
    "produced": "production_date",
    "in_stats": "in_stats_date",
}


class ScenarioError(ValueError):
    """A scenario that cannot be applied; ``errors`` lists every problem in Chinese."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(";".join(errors))


@dataclass(frozen=True)
class AssumedEvent:
    """An assumption: project ``record_id`` commences / produces / enters the statistics on ``on``;
    lead ``record_id`` becomes valid; or a fund arrival for project ``record_id`` on ``on``."""

    kind: str
    record_id: str
    on: date | None = None
    amount_wan: float = 0.0
    fixed_asset_wan: float = 0.0
    fdi_usd_wan: float = 0.0
    fx_usd_wan: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["on"] = self.on.isoformat() if self.on else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AssumedEvent:
        on = data.get("on")
        return cls(
            kind=str(data["kind"]),
            record_id=str(data["record_id"]),
            on=date.fromisoformat(on) if isinstance(on, str) and on else on if isinstance(on, date) else None,
            amount_wan=float(data.get("amount_wan") or 0.0),
            fixed_asset_wan=float(data.get("fixed_asset_wan") or 0.0),
            fdi_usd_wan=float(data.get("fdi_usd_wan") or 0.0),
            fx_usd_wan=float(data.get("fx_usd_wan") or 0.0),
        )

    def describe(self) -> str:
        when = self.on.isoformat() if self.on else ""
        if self.kind == "lead_valid":
            return f"信息 {self.record_id} 认定有效"
        if self.kind == "funds":
            return f"项目 {self.record_id} 于 {when} 到位资金 {self.amount_wan:,.2f} 万元"
        return f"项目 {self.record_id} 于 {when} {EVENT_KINDS.get(self.kind, self.kind)}"


@dataclass(frozen=True)
class TargetOverride:
    """The target of ``metric`` for ``scope`` (``county`` or a unit_id) in ``year`` becomes ``value``."""

    year: int
    scope: str
    metric: str
    value: float


@dataclass
class Scenario:
    """Settings overrides (any METRICS.md setting), target overrides and assumed events."""

    name: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    targets: list[TargetOverride] = field(default_factory=list)
    events: list[AssumedEvent] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.settings or self.targets or self.events)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "settings": self.settings,
            "targets": [asdict(t) for t in self.targets],
            "events": [e.to_dict() for e in self.events],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        return cls(
            name=str(data.get("name") or ""),
            settings=dict(data.get("settings") or {}),
            targets=[
                TargetOverride(int(t["year"]), str(t["scope"]), str(t["metric"]), float(t["value"]))
                for t in data.get("targets") or []
            ],
            events=[AssumedEvent.from_dict(e) for e in data.get("events") or []],
        )

    @classmethod
    def from_json(cls, text: str) -> Scenario:
        return cls.from_dict(json.loads(text))


# ---------------------------------------------------------------------------------------------
# validation and the scratch copy
# ---------------------------------------------------------------------------------------------


def scenario_settings(base_settings: dict[str, Any], scenario: Scenario) -> dict[str, Any]:
    """The scenario's effective settings: ``base_settings`` with its overrides (validated)."""
    try:
        return apply_overrides(base_settings, scenario.settings)
    except SettingsError as exc:
        raise ScenarioError([f"设置有误:{exc}"]) from exc


def check_scenario(con: duckdb.DuckDBPyConnection, scenario: Scenario) -> list[str]:
    """Every reason the scenario cannot be applied to the data of ``con`` (empty when it can)."""
    errors: list[str] = []
    try:
        apply_overrides(DEFAULT_SETTINGS, scenario.settings)
    except SettingsError as exc:
        errors.append(f"设置有误:{exc}")
    units = {r[0] for r in con.execute("SELECT unit_id FROM units").fetchall()}
    for t in scenario.targets:
        if t.scope == "county":
            if t.metric not in COUNTY_METRICS:
                errors.append(f"全县目标没有指标 {t.metric}")
        elif t.scope not in units:
            errors.append(f"目标对象 {t.scope} 不是已登记的单位")
        elif t.metric not in UNIT_METRICS:
            errors.append(f"单位目标没有指标 {t.metric}")
        if not isinstance(t.value, int | float) or t.value != t.value or t.value < 0:
            errors.append(f"{t.scope} 的 {t.metric} 目标值应为不小于 0 的数,实际为 {t.value!r}")
    projects = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT project_id, signed_date, commenced_date, production_date, source FROM projects"
        ).fetchall()
    }
    leads = {r[0] for r in con.execute("SELECT lead_id FROM leads").fetchall()}
    for e in scenario.events:
        if e.kind not in EVENT_KINDS:
            errors.append(f"未知的假设类型 {e.kind}")
            continue
        if e.kind == "lead_valid":
            if e.record_id not in leads:
                errors.append(f"假设中的信息 {e.record_id} 不存在")
            continue
        if e.record_id not in projects:
            errors.append(f"假设中的项目 {e.record_id} 不存在")
            continue
        if e.on is None:
            errors.append(f"项目 {e.record_id} 的假设{EVENT_KINDS[e.kind]}缺少日期")
            continue
        signed, commenced, produced, source = projects[e.record_id]
        if e.on < signed:
            errors.append(
                f"项目 {e.record_id} 的假设{EVENT_KINDS[e.kind]}日期 {e.on:%Y-%m-%d} 早于签约日期 {signed:%Y-%m-%d}"
            )
        if e.kind == "commenced" and produced is not None and e.on > produced:
            errors.append(f"项目 {e.record_id} 已于 {produced:%Y-%m-%d} 投产,开工日期不能晚于投产日期")
        if e.kind == "funds":
            amounts = (e.amount_wan, e.fixed_asset_wan, e.fdi_usd_wan, e.fx_usd_wan)
            if any(a < 0 for a in amounts):
                errors.append(f"项目 {e.record_id} 的假设到位资金不能为负")
            if e.fixed_asset_wan > e.amount_wan:
                errors.append(f"项目 {e.record_id} 的固定资产投资不能大于到位资金")
            if e.fx_usd_wan > e.fdi_usd_wan:
                errors.append(f"项目 {e.record_id} 的现汇进资不能大于实际利用外资")
            if e.fdi_usd_wan > 0 and source != "foreign":
                errors.append(f"项目 {e.record_id} 不是外资项目,实际利用外资应为 0")
    return errors


def copy_tables(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A new in-memory database holding copies of every contract table and the stored settings."""
    source = con.cursor()
    scratch = open_database(":memory:")
    for table in [t.name for t in TABLES] + ["settings"]:
        data = source.sql(f"SELECT * FROM {table}").to_arrow_table()  # identifiers from schema only
        scratch.register("scenario_source", data)
        scratch.execute(f"INSERT INTO {table} BY NAME SELECT * FROM scenario_source")
        scratch.unregister("scenario_source")
    source.close()
    return scratch


def apply_scenario(con: duckdb.DuckDBPyConnection, scenario: Scenario) -> duckdb.DuckDBPyConnection:
    """A scratch connection: copies of the contract tables with the scenario's targets and events.

    ``con`` is only read. Raises ``ScenarioError`` (nothing built) when an assumption does not fit.
    Event rules: an assumed date only ever moves a date earlier (an earlier real date stays); an assumed
    production also makes the project commenced on that date if it had not commenced by then.
    """
    errors = check_scenario(con, scenario)
    if errors:
        raise ScenarioError(errors)
    scratch = copy_tables(con)
    try:
        for t in scenario.targets:
            scratch.execute(
                "DELETE FROM targets WHERE year = ? AND scope = ? AND metric = ?", [t.year, t.scope, t.metric]
            )
            scratch.execute(
                "INSERT INTO targets (year, scope, metric, value) VALUES (?, ?, ?, ?)",
                [t.year, t.scope, t.metric, float(t.value)],
            )
        for e in scenario.events:
            _apply_event(scratch, e)
    except Exception:
        scratch.close()
        raise
    return scratch


def _apply_event(scratch: duckdb.DuckDBPyConnection, e: AssumedEvent) -> None:
    if e.kind == "lead_valid":
        scratch.execute("UPDATE leads SET status = 'valid' WHERE lead_id = ?", [e.record_id])
        return
    if e.kind == "funds":
        scratch.execute(
            "INSERT INTO fund_arrivals (project_id, date, amount_wan, fixed_asset_wan, fdi_usd_wan, fx_usd_wan)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [e.record_id, e.on, e.amount_wan, e.fixed_asset_wan, e.fdi_usd_wan, e.fx_usd_wan],
        )
        return
    column = PROJECT_EVENT_COLUMNS[e.kind]  # from a fixed mapping, never user input
    scratch.execute(
        f"UPDATE projects SET {column} = ? WHERE project_id = ? AND ({column} IS NULL OR {column} > ?)",
        [e.on, e.record_id, e.on],
    )
    if e.kind == "produced":
        scratch.execute(
            "UPDATE projects SET commenced_date = ? WHERE project_id = ?"
            " AND (commenced_date IS NULL OR commenced_date > ?)",
            [e.on, e.record_id, e.on],
        )


# ---------------------------------------------------------------------------------------------
# baseline vs scenario
# ---------------------------------------------------------------------------------------------


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


def build_reports(
    con: duckdb.DuckDBPyConnection, period: Period, base_settings: dict[str, Any], scenario: Scenario
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(baseline report, scenario report), both from ``analytics.report.build_report``."""

    settings = scenario_settings(base_settings, scenario)
    baseline = build_report(con.cursor(), period, base_settings)
    scratch = apply_scenario(con, scenario)
    try:
        result = build_report(scratch, period, settings)
    finally:
        scratch.close()
    return baseline, result


def compare(
    con: duckdb.DuckDBPyConnection, period: Period, base_settings: dict[str, Any], scenario: Scenario
) -> ScenarioComparison:
    """Baseline (real data, ``base_settings``) vs the scenario, with every difference listed."""
    baseline, result = build_reports(con, period, base_settings, scenario)
    return diff_reports(baseline, result, _unit_names(con), _squad_names(con))


def compare_json(
    con: duckdb.DuckDBPyConnection, period: Period, base_overrides_json: str, scenario_json: str
) -> ScenarioComparison:
    """``compare`` with JSON arguments (for the page's cache): base = stored settings + overrides."""

    base = effective_settings(con, json.loads(base_overrides_json or "{}"))
    return compare(con, period, base, Scenario.from_json(scenario_json))


def _unit_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute("SELECT unit_id, name FROM units").fetchall()}


def _squad_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute("SELECT squad_id, name FROM squads").fetchall()}


def _delta(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else float(b) - float(a)


AWARD_ZH = AWARD_LABELS


def diff_reports(
    baseline: dict[str, Any],
    scenario: dict[str, Any],
    unit_names: dict[str, str] | None = None,
    squad_names: dict[str, str] | None = None,
) -> ScenarioComparison:
    """Line up two METRICS.md reports. Pure: numbers are taken as they are, nothing recomputed."""
    unit_names = unit_names or {}
    squad_names = squad_names or {}
    highlights: list[str] = []

    landing_rows = []
    scen_landing = {r["cohort"]: r for r in scenario["landing"]}
    for b in baseline["landing"]:
        s = scen_landing.get(b["cohort"], {})
        for kind, zh in (("commencement", "开工率"), ("production", "投产率")):
            row = {
                "cohort": b["cohort"],
                "indicator": f"{b['cohort']} 年签约项目{zh}",
                "baseline_rate": b[f"{kind}_rate"],
                "scenario_rate": s.get(f"{kind}_rate"),
                "baseline_target": b[f"{kind}_target"],
                "scenario_target": s.get(f"{kind}_target"),
                "baseline_met": b[f"{kind}_met"],
                "scenario_met": s.get(f"{kind}_met"),
                "baseline_count": b["commenced" if kind == "commencement" else "produced"],
                "scenario_count": s.get("commenced" if kind == "commencement" else "produced"),
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
            landing_rows.append(row)

    bc, sc = baseline["concentration"], scenario["concentration"]
    conc_rows = []
    for key, zh in (
        ("by_investment", "按投资额"),
        ("by_count", "按项目数"),
        ("hhi", "赫芬达尔指数"),
        ("headline", "考核口径"),
        ("target", "目标"),
    ):
        conc_rows.append(
            {
                "item": zh,
                "key": key,
                "baseline": bc.get(key),
                "scenario": sc.get(key),
                "change": _delta(bc.get(key), sc.get(key)),
                "changed": bc.get(key) != sc.get(key),
            }
        )
    conc_rows.append(
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

    county_rows = []
    scen_county = {r["metric"]: r for r in scenario["county"]}
    for b in baseline["county"]:
        s = scen_county.get(b["metric"], {})
        row = {
            "metric": b["metric"],
            "name": COUNTY_METRICS.get(b["metric"], b["metric"]),
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
        county_rows.append(row)

    unit_rows = []
    award_rows = []
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
        unit_rows.append(row)
        for award in AWARD_ZH:
            if (award in b_awards) != (award in s_awards):
                gained = award in s_awards
                award_rows.append(
                    {
                        "unit_id": unit_id,
                        "name": name,
                        "group": row["group"],
                        "award": award,
                        "award_zh": AWARD_ZH[award],
                        "change": "gained" if gained else "lost",
                    }
                )
                highlights.append(f"{name}{'获得' if gained else '不再是'}{AWARD_ZH[award]}")

    squad_rows = []
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
            "baseline_advanced_member": b["advanced_member"],
            "scenario_advanced_member": s.get("advanced_member"),
            "baseline_disqualified": list(b["disqualified"]),
            "scenario_disqualified": list(s.get("disqualified") or []),
        }
        row["changed"] = any(
            row[f"baseline_{k}"] != row[f"scenario_{k}"]
            for k in ("score", "rank", "completed", "advanced_member", "disqualified")
        )
        squad_rows.append(row)

    br, sr = baseline["rewards"], scenario["rewards"]
    reward_rows = [
        {"item": "实际利用外资奖励", "baseline": br["fdi"], "scenario": sr["fdi"]},
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
        {"item": "奖励合计", "baseline": br["total"], "scenario": sr["total"]},
    ]
    for row in reward_rows:
        row["change"] = float(row["scenario"]) - float(row["baseline"])
        row["changed"] = row["baseline"] != row["scenario"]
    if br["total"] != sr["total"]:
        highlights.append(f"奖励测算合计由 {br['total']:,.2f} 万元变为 {sr['total']:,.2f} 万元")

    return ScenarioComparison(
        baseline=baseline,
        scenario=scenario,
        landing=pd.DataFrame(landing_rows),
        concentration=pd.DataFrame(conc_rows),
        county=pd.DataFrame(county_rows),
        units=pd.DataFrame(unit_rows),
        squads=pd.DataFrame(squad_rows),
        rewards=pd.DataFrame(reward_rows),
        award_changes=pd.DataFrame(
            award_rows, columns=["unit_id", "name", "group", "award", "award_zh", "change"]
        ),
        highlights=highlights,
    )


def _sum_projects(rewards: dict[str, Any], kind: str) -> float:
    """The engine's per-project amounts of one reward kind, added up for the side-by-side table."""
    return float(sum(p["amount"] for p in rewards["projects"] if p["reward"] == kind))


def _met_zh(value: bool | None) -> str:
    return {True: "达标", False: "未达标"}.get(value, "无数据")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# what the what-if page offers to edit
# ---------------------------------------------------------------------------------------------


def targets_frame(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The targets of ``year`` to edit: every county metric (target or not) and every unit target."""
    rows = con.execute(
        "SELECT t.scope, coalesce(u.name, t.scope), t.metric, t.value FROM targets AS t"
        " LEFT JOIN units AS u ON u.unit_id = t.scope WHERE t.year = ? ORDER BY t.scope, t.metric",
        [year],
    ).fetchall()
    county = {r[2]: r[3] for r in rows if r[0] == "county"}
    out = [
        {"scope": "county", "scope_name": "全县", "metric": m, "metric_zh": zh, "value": county.get(m)}
        for m, zh in COUNTY_METRICS.items()
    ]
    order = list(UNIT_METRICS)
    unit_rows = sorted(
        (r for r in rows if r[0] != "county" and r[2] in UNIT_METRICS),
        key=lambda r: (r[0], order.index(r[2])),
    )
    out += [
        {"scope": r[0], "scope_name": r[1], "metric": r[2], "metric_zh": UNIT_METRICS[r[2]], "value": r[3]}
        for r in unit_rows
    ]
    return pd.DataFrame(out, columns=["scope", "scope_name", "metric", "metric_zh", "value"])


def assumable_projects(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Active projects signed by D, with the dates an assumption could set and their unit."""
    return con.execute(
        """
        SELECT p.project_id, p.name, p.introducing_unit_id AS unit_id, u.name AS unit_name, p.signed_date,
               p.commenced_date, p.production_date, p.in_stats_date, p.total_investment_wan, p.source
        FROM projects AS p LEFT JOIN units AS u ON u.unit_id = p.introducing_unit_id
        WHERE p.signed_date <= ? AND (p.written_off_date IS NULL OR p.written_off_date > ?)
        ORDER BY p.signed_date DESC, p.project_id
        """,
        [period.as_of, period.as_of],
    ).df()


def pending_leads(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Leads reported in the plan year up to D that are not (yet) valid: candidates for 认定有效."""
    return con.execute(
        """
        SELECT l.lead_id, l.company, l.reporter_unit_id AS unit_id, u.name AS unit_name, l.reported_at, l.status
        FROM leads AS l LEFT JOIN units AS u ON u.unit_id = l.reporter_unit_id
        WHERE l.status <> 'valid' AND CAST(l.reported_at AS DATE) BETWEEN ? AND ?
        ORDER BY l.reported_at DESC, l.lead_id
        """,
        [period.window_start, period.window_end],
    ).df()
