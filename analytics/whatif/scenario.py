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

from analytics.core.period import Period
from analytics.core.schema import COUNTY_METRICS, TABLES, UNIT_METRICS
from analytics.core.settings import DEFAULT_SETTINGS, SettingsError, apply_overrides, effective_settings
from analytics.data.store import open_database
from analytics.metrics.report import build_report
from analytics.whatif.diff import ScenarioComparison, diff_reports

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
