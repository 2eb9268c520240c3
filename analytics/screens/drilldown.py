"""The rows behind a figure (明细): the same shared views and rules the figure is computed from.

``rows_behind(con, period, settings, "county.signed_projects")`` returns exactly the projects that
number counts; ``unit_id=`` / ``township_id=`` / ``cohort=`` / ``project_id=`` narrow it the way
the page does (``rows_behind(..., "unit.in_stats_projects", unit_id="t03")``). Figure keys are
those of ``analytics.definitions``. ``display_columns`` gives Chinese headers.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.core.schema import TABLES, UNIT_METRICS
from analytics.metrics import views
from analytics.metrics.county import RELATIONS, RULES_BY_METRIC
from analytics.metrics.landing import BASE_SQL, landing_params
from analytics.metrics.leads import register_company_keys
from analytics.metrics.rewards import reward_candidates
from analytics.metrics.supervision import PROBLEMS_SQL
from analytics.screens.readable import NAME_LABELS, readable

_PROJECT_COLUMNS = """
    r.project_id, r.name AS project_name, r.company, r.industry_id, r.total_investment_wan, r.source,
    r.introducing_unit_id, r.township_id, r.signed_date, r.in_stats_date, r.commenced_date,
    r.production_date, r.written_off_date
"""
_ARRIVAL_COLUMNS = """
    r.project_id, r.date, r.amount_wan, r.fixed_asset_wan, r.fdi_usd_wan, r.fx_usd_wan,
    r.source, r.total_investment_wan, r.introducing_unit_id
"""


# What the reporting unit recorded with a lead (联系人, 投资方来源, 项目内容): shown, never counted.
_LEAD_DETAILS = "r.contact_person, r.investor_origin, r.project_content"


class UnknownFigure(KeyError):
    """A figure key ``rows_behind`` does not know."""


def _scope_filter(scope: dict[str, Any], allowed: dict[str, str]) -> tuple[str, dict[str, Any]]:
    """SQL conditions and parameters for the scope arguments (columns from ``allowed`` only)."""
    unknown = set(scope) - set(allowed)
    if unknown:
        raise TypeError(f"unsupported scope for this figure: {sorted(unknown)}")
    conditions, params = [], {}
    for name, value in scope.items():
        if value is not None:
            conditions.append(f"{allowed[name]} = $scope_{name}")
            params[f"scope_{name}"] = value
    return "".join(f" AND {c}" for c in conditions), params


_PROJECT_SCOPE = {
    "unit_id": "r.introducing_unit_id",
    "township_id": "r.township_id",
    "project_id": "r.project_id",
    "industry_id": "r.industry_id",
}


_TRADE_COLUMNS = "r.month, r.exports_usd_wan, r.imports_usd_wan, r.trade_usd_wan, r.city_growth"


def _county(con, period: Period, metric: str, scope: dict[str, Any]) -> pd.DataFrame:
    rule = RULES_BY_METRIC[metric]
    if rule.relation == "trade":  # the county's customs months: no project, unit or township scope
        _scope_filter(scope, {})
        return views.fetch_df(
            con,
            f"SELECT {_TRADE_COLUMNS} FROM ({RELATIONS['trade']}) AS r ORDER BY r.month",
            views.bind(period),
        )
    columns = _ARRIVAL_COLUMNS if rule.relation == "arrivals" else _PROJECT_COLUMNS
    allowed = {k: v for k, v in _PROJECT_SCOPE.items() if rule.relation != "arrivals" or k != "township_id"}
    extra, params = _scope_filter(scope, allowed)
    where = f"({rule.where})" if rule.where else "true"
    order = "r.date, r.project_id" if rule.relation == "arrivals" else "r.signed_date, r.project_id"
    return views.fetch_df(
        con,
        f"SELECT {columns} FROM ({RELATIONS[rule.relation]}) AS r WHERE {where}{extra} ORDER BY {order}",
        views.bind(period) | params,
    )


def _unit(con, period: Period, metric: str, scope: dict[str, Any]) -> pd.DataFrame:
    if metric == "valid_leads":
        register_company_keys(con)
        extra, params = _scope_filter(scope, {"unit_id": "r.reporter_unit_id"})
        return views.fetch_df(
            con,
            f"""
            SELECT r.lead_id, r.reported_at, r.reporter_unit_id, r.company, r.company_key, r.tier, r.status,
                   r.is_first_report, r.duplicate_of, r.project_id,
                   (r.is_first_report AND r.status = 'valid') AS counted, {_LEAD_DETAILS}
            FROM ({views.LEAD_ADJUDICATION}) AS r
            WHERE {views.in_window("r.reported_at")}{extra}
            ORDER BY counted DESC, r.reported_at, r.lead_id
            """,
            views.bind(period) | params,
        )
    relation = {"signed_projects": views.SIGNED_S, "in_stats_projects": views.IN_STATS_W}[metric]
    extra, params = _scope_filter(scope, _PROJECT_SCOPE)
    return views.fetch_df(
        con,
        f"SELECT {_PROJECT_COLUMNS} FROM ({relation}) AS r WHERE true{extra} ORDER BY r.signed_date, r.project_id",
        views.bind(period) | params,
    )


def _landing(con, period: Period, figure: str, scope: dict[str, Any]) -> pd.DataFrame:
    condition = {
        "base": "true",
        "commenced": "r.is_commenced",
        "produced": "r.is_produced",
        "laggards": "NOT r.is_commenced",
        "commencement_rate": "true",
        "production_rate": "true",
        "gap": "true",
    }[figure]
    extra, params = _scope_filter(scope, _PROJECT_SCOPE | {"cohort": "r.cohort"})
    return views.fetch_df(
        con,
        f"""
        SELECT r.cohort, {_PROJECT_COLUMNS}, r.is_commenced, r.is_produced,
               date_diff('day', r.signed_date, $as_of) AS days_since_signed
        FROM ({BASE_SQL}) AS r WHERE {condition}{extra}
        ORDER BY r.cohort, r.signed_date, r.project_id
        """,
        landing_params(period) | params,
    )


def _concentration(con, period: Period, scope: dict[str, Any]) -> pd.DataFrame:
    extra, params = _scope_filter(scope, _PROJECT_SCOPE)
    return views.fetch_df(
        con,
        f"""
        SELECT {_PROJECT_COLUMNS}, i.name AS industry_name, coalesce(i.is_key, false) AS is_key
        FROM ({views.SIGNED_S}) AS r LEFT JOIN industries AS i ON i.industry_id = r.industry_id
        WHERE true{extra}
        ORDER BY is_key DESC, r.industry_id, r.project_id
        """,
        views.bind(period) | params,
    )


def _rewards(
    con, period: Period, settings: dict[str, Any], figure: str, scope: dict[str, Any]
) -> pd.DataFrame:
    if figure in ("fdi", "fx_contribution"):
        column = "fdi_usd_wan" if figure == "fdi" else "fx_usd_wan"
        extra, params = _scope_filter(
            scope, {"unit_id": "r.introducing_unit_id", "project_id": "r.project_id"}
        )
        return views.fetch_df(
            con,
            f"SELECT {_ARRIVAL_COLUMNS} FROM ({RELATIONS['arrivals']}) AS r WHERE r.{column} > 0{extra} "
            "ORDER BY r.introducing_unit_id, r.date, r.project_id",
            views.bind(period) | params,
        )
    df = reward_candidates(con, period, settings)
    if df.empty:
        return df
    if figure in ("project_5020", "foreign_fx"):
        df = df[df[f"{figure}_wan"] > 0]
    elif figure != "total":
        raise UnknownFigure(f"rewards.{figure}")
    for name, column in (("unit_id", "unit_id"), ("project_id", "project_id")):
        if scope.get(name) is not None:
            df = df[df[column] == scope[name]]
    unknown = set(scope) - {"unit_id", "project_id"}
    if unknown:
        raise TypeError(f"unsupported scope for this figure: {sorted(unknown)}")
    return df.reset_index(drop=True)


def _supervision(con, period: Period, figure: str, scope: dict[str, Any]) -> pd.DataFrame:
    if figure in ("lead_funnel", "lead_conversion"):
        register_company_keys(con)
        extra, params = _scope_filter(scope, {"unit_id": "r.reporter_unit_id"})
        condition = "true" if figure == "lead_funnel" else "r.is_first_report AND r.status = 'valid'"
        return views.fetch_df(
            con,
            f"""
            SELECT r.lead_id, r.reported_at, r.reporter_unit_id, r.company, r.tier, r.status,
                   r.is_first_report, r.duplicate_of, r.project_id, {_LEAD_DETAILS}
            FROM ({views.LEAD_ADJUDICATION}) AS r
            WHERE {views.in_window("r.reported_at")} AND {condition}{extra}
            ORDER BY r.reported_at, r.lead_id
            """,
            views.bind(period) | params,
        )
    condition = {"problem_open": "r.is_open", "problem_overdue": "r.is_overdue", "problems": "true"}[figure]
    extra, params = _scope_filter(scope, {"unit_id": "r.responsible_unit_id", "project_id": "r.project_id"})
    return views.fetch_df(
        con,
        f"SELECT * FROM ({PROBLEMS_SQL}) AS r WHERE {condition}{extra} ORDER BY r.due_date, r.problem_id",
        views.bind(period) | params,
    )


def rows_behind(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], figure_key: str, **scope: Any
) -> pd.DataFrame:
    """The rows a figure counts or sums, narrowed by ``scope`` (unit_id, township_id, cohort, project_id …)."""
    section, _, figure = figure_key.partition(".")
    try:
        if section == "county":
            return _county(con, period, figure, scope)
        if section == "unit":
            return _unit(con, period, figure, scope)
        if section == "landing":
            return _landing(con, period, figure, scope)
        if section == "concentration":
            return _concentration(con, period, scope)
        if section == "rewards":
            return _rewards(con, period, settings, figure, scope)
        if section == "supervision":
            return _supervision(con, period, figure, scope)
    except KeyError as exc:
        if isinstance(exc, UnknownFigure):
            raise
        raise UnknownFigure(figure_key) from exc
    raise UnknownFigure(figure_key)


# Chinese headers: the contract's aliases, then the derived columns of the metrics modules.
COLUMN_LABELS: dict[str, str] = {c.name: c.zh for t in TABLES for c in t.columns}
COLUMN_LABELS.update({
    "project_name": "项目名称", "unit_id": "单位编码", "unit_name": "单位名称", "township_name": "落户乡镇名称",
    "industry_name": "产业名称", "cohort": "签约年度", "is_commenced": "已开工", "is_produced": "已投产",
    "days_since_signed": "签约至今(天)", "is_key": "重点产业", "company_key": "企业识别名",
    "is_first_report": "首报", "duplicate_of": "重复于(首报信息)", "counted": "计分", "reason": "认定说明",
    "responsible_unit_name": "责任单位名称", "is_open": "未办结", "is_overdue": "逾期", "days_overdue": "逾期天数",
    "fixed_to_date_wan": "截至D固定资产到位(万元)", "fixed_share": "固定资产到位比例", "fx_y_usd_wan": "年内现汇(万美元)",
    "max_fx_arrival_usd_wan": "单笔最大现汇(万美元)", "project_5020_wan": "5020奖励(万元)",
    "foreign_fx_wan": "外资现汇奖励(万元)", "score": "得分", "rank": "排名", "date": "到位日期",
    "name": "名称", "company": "企业",
})  # fmt: skip


for _name, _label in NAME_LABELS.items():
    COLUMN_LABELS.setdefault(_name, _label)
# The race table's columns (``analytics.metrics.units.unit_table``).
COLUMN_LABELS.update({
    "group_zh": "分组", "completed": "全部指标完成", "tied": "并列", "signed_investment_wan": "签约投资额(万元)",
    "awards_zh": "奖项", "behind_half": "时间过半未过半", "public_statement": "表态发言",
    "behind_schedule": "滞后时序进度",
})  # fmt: skip
for _metric, _zh in UNIT_METRICS.items():
    COLUMN_LABELS.update({
        f"{_metric}_actual": _zh, f"{_metric}_target": f"{_zh}目标", f"{_metric}_completion": f"{_zh}完成率"
    })  # fmt: skip


def display_columns(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with Chinese column headers where known (unknown columns keep their names)."""
    return df.rename(columns={c: COLUMN_LABELS[c] for c in df.columns if c in COLUMN_LABELS})


def shown(con: duckdb.DuckDBPyConnection, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` as people read it: names for ids, labels for codes, dates, blanks, Chinese headers."""
    return display_columns(readable(con, df))


def rows_for_display(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], figure_key: str, **scope: Any
) -> pd.DataFrame:
    """``rows_behind`` as a drill-down or its download shows it (``shown``)."""
    return shown(con, rows_behind(con, period, settings, figure_key, **scope))
