"""What the dashboard pages need around the metrics: headline grouping, filters, key-vs-other, alerts.

No metric is computed here. Every figure comes from the module that owns its METRICS.md section
(``county`` §3, ``landing`` §1, ``concentration`` §2, ``units`` §4, ``supervision`` §7,
``plausibility``); this module only groups, filters and orders their results for a screen.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.metrics import concentration, county, landing, supervision, units
from analytics.screens import catalog, plausibility

# The plan's 「聚焦三大指标」 (seed 001, 篇2 二(一)): 实际利用外资 (其中现汇进资), 利用省外项目资金,
# 对外贸易 (进出口增幅高于全市平均水平; METRICS v2 §3 ``trade_usd_wan``).
HEADLINE_METRICS: tuple[str, ...] = (
    "fdi_usd_wan",
    "fx_usd_wan",
    "out_of_province_funds_wan",
    "trade_usd_wan",
)
HEADLINE_NOTE = (
    "「聚焦三大指标」按县产业招商工作方案:实际利用外资(其中现汇进资)、利用省外项目资金、对外贸易;"
    "对外贸易看进出口增幅是否高于全市平均水平。"
)
STATUS_ORDER: tuple[str, ...] = ("far_behind", "behind", "on_track", "met", "no_target")


def county_sections(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> dict[str, list]:
    """The §3 county entries split as the plan writes them: ``headline`` (聚焦三大指标, in
    ``HEADLINE_METRICS`` order) and ``projects`` (项目提质增速, the others in §3 order)."""
    entries = county.county_metrics_labelled(con, period, settings)
    by_metric = {e["metric"]: e for e in entries}
    return {
        "headline": [by_metric[m] for m in HEADLINE_METRICS],
        "projects": [e for e in entries if e["metric"] not in HEADLINE_METRICS],
    }


def status_counts(entries: list[dict]) -> dict[str, int]:
    """How many county entries are in each §3 status, worst first (statuses with none included)."""
    return {status: sum(1 for e in entries if e["status"] == status) for status in STATUS_ORDER}


def filter_options(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """(id, name) choices of the sidebar filters: townships, squads and industries, by id."""
    units = catalog.units(con)
    townships = units[units["kind"] == "township"]
    return {
        "township": list(zip(townships["unit_id"], townships["name"], strict=True)),
        "squad": [tuple(r) for r in catalog.squads(con)[["squad_id", "name"]].itertuples(index=False)],
        "industry": [
            tuple(r) for r in catalog.industries(con)[["industry_id", "name"]].itertuples(index=False)
        ],
    }


def laggard_list(
    con: duckdb.DuckDBPyConnection,
    period: Period,
    cohort: int | None = None,
    township_id: str | None = None,
    squad_id: str | None = None,
    industry_id: str | None = None,
) -> pd.DataFrame:
    """§1 laggards (``landing.laggards``) narrowed by the located township, the introducing unit's
    squad and the industry; a filter left ``None`` keeps every row. Order stays oldest signing first."""
    rows = landing.laggards(con, period, cohort)
    units = catalog.units(con)[["unit_id", "squad_id"]]
    rows = rows.merge(units, on="unit_id", how="left")
    keep = pd.Series(True, index=rows.index)
    if township_id:
        keep &= rows["township_id"] == township_id
    if squad_id:
        keep &= rows["squad_id"] == squad_id
    if industry_id:
        keep &= rows["industry_id"] == industry_id
    return rows[keep].reset_index(drop=True)


def key_vs_other(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> pd.DataFrame:
    """Key industries vs the others within S: projects, investment (万元) and shares.

    The 重点产业 shares are §2's ``by_count`` / ``by_investment`` themselves; 其他产业 is the rest.
    """
    shares = concentration.industry_shares(con, period)
    headline = concentration.concentration(con, period, settings)
    rows = []
    for is_key, label in ((True, "重点产业"), (False, "其他产业")):
        part = shares[shares["is_key"] == is_key]
        count_share, investment_share = headline["by_count"], headline["by_investment"]
        if count_share is not None and not is_key:
            count_share, investment_share = 1 - count_share, 1 - investment_share
        rows.append(
            {
                "group": label,
                "projects": int(part["projects"].sum()),
                "investment_wan": float(part["investment_wan"].sum()),
                "count_share": count_share,
                "investment_share": investment_share,
            }
        )
    return pd.DataFrame(
        rows, columns=["group", "projects", "investment_wan", "count_share", "investment_share"]
    )


def concentration_by_year(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], years_back: int = 4
) -> pd.DataFrame:
    """§2 for Y and up to ``years_back`` earlier years that have signings, each to the same
    month-day as D (comparable spans; the current year is the period itself), oldest first."""
    years = [
        y for y in catalog.available_years(con, period.as_of) if period.year - years_back <= y <= period.year
    ]
    month_day = f"{period.window_end:%m-%d}"
    trend = concentration.concentration_trend(con, sorted(years), settings, month_day)
    return trend[trend["by_count"].notna()].reset_index(drop=True) if not trend.empty else trend


ALERT_KINDS: dict[str, str] = {
    "overdue_problem": "逾期未办结问题",
    "laggard": "签约未开工项目",
    "behind_half": "任务未过半单位",
    "plausibility": "数据合理性提醒",
}


def alerts(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> pd.DataFrame:
    """The cockpit's top alerts, most pressing first within each kind: overdue problems (§7, longest
    overdue first), laggard projects (§1, oldest signing first), units behind half after the mid-year
    date (§4, lowest score first) and plausibility warnings. Columns: kind, kind_zh, subject, detail."""
    rows: list[dict[str, Any]] = []
    rows += _overdue_problem_alerts(con, period, settings)
    for lag in landing.laggards(con, period).itertuples(index=False):
        rows.append(
            {
                "kind": "laggard",
                "subject": lag.project_name,
                "detail": f"{lag.signed_date:%Y-%m-%d} 签约,已 {lag.days_since_signed} 天未开工;"
                f"引进单位 {_text(lag.unit_name)};挂包县领导 {_text(lag.leader_in_charge)}",
            }
        )
    evaluated = units.unit_table(con, period, settings)
    if not evaluated.empty:
        behind = evaluated[evaluated["behind_half"]].sort_values(["score", "unit_id"])
        for unit in behind.itertuples(index=False):
            rows.append(
                {
                    "kind": "behind_half",
                    "subject": unit.name,
                    "detail": f"{unit.group_zh},得分 {unit.score:.2f},有指标完成率低于 50%"
                    + (",须公开表态" if unit.public_statement else ""),
                }
            )
    rows += _plausibility_alerts(con, period, settings)
    frame = pd.DataFrame(rows, columns=["kind", "subject", "detail"])
    frame.insert(1, "kind_zh", frame["kind"].map(ALERT_KINDS))
    return frame


def _text(value: Any, fallback: Any = "—") -> str:
    """A text cell for a sentence: blank/NULL/NaN becomes ``fallback``."""
    return fallback if value is None or pd.isna(value) or str(value).strip() == "" else str(value)


def _overdue_problem_alerts(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> list[dict]:
    """§7 overdue problems, most days overdue first (``supervision.problems`` order)."""
    overdue = supervision.problems(con, period, only_open=True)
    overdue = overdue[overdue["is_overdue"]]
    return [
        {
            "kind": "overdue_problem",
            "subject": _text(row.project_name, row.project_id),
            "detail": f"{row.description};责任单位 {_text(row.responsible_unit_name, row.responsible_unit_id)};"
            f"办结时限 {row.due_date:%Y-%m-%d},已逾期 {row.days_overdue} 天",
        }
        for row in overdue.itertuples(index=False)
    ]


def _plausibility_alerts(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> list[dict]:
    """Plausibility warnings in ``plausibility_warnings`` order."""
    warnings = plausibility.plausibility_warnings(con, period)
    return [
        {"kind": "plausibility", "subject": f"{row.rule}({row.record_id})", "detail": row.detail}
        for row in warnings.itertuples(index=False)
    ]
