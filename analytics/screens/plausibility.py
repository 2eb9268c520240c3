"""Plausibility warnings (数据合理性提醒): records that look wrong at D. They never change a count.

Each rule is one SQL query over the contract tables producing (record_type, record_id, unit_id,
detail); only what has happened by D is looked at. "Six months" and "two months" are calendar
months before D (DuckDB interval arithmetic; 08-31 − 6 months = 02-28/29).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.core.period import Period
from analytics.metrics import views


@dataclass(frozen=True)
class PlausibilityRule:
    rule_id: str
    rule: str  # Chinese, shown to the clerk
    record_type: str
    sql: str  # columns: record_id, unit_id, detail


RULES: tuple[PlausibilityRule, ...] = (
    PlausibilityRule(
        "production_without_funds",
        "已投产但投产日前无资金到位",
        "project",
        """
        SELECT p.project_id AS record_id, p.introducing_unit_id AS unit_id,
               '投产日期 ' || strftime(p.production_date, '%Y-%m-%d') || ',此前无到位资金' AS detail
        FROM projects AS p
        WHERE p.production_date <= $as_of
          AND NOT EXISTS (SELECT 1 FROM fund_arrivals AS a WHERE a.project_id = p.project_id
                          AND a.date <= p.production_date AND a.amount_wan > 0)
        """,
    ),
    PlausibilityRule(
        "commenced_no_recent_funds",
        "在建(已开工未投产)超过6个月,近6个月无资金到位",
        "project",
        f"""
        SELECT p.project_id AS record_id, p.introducing_unit_id AS unit_id,
               '开工日期 ' || strftime(p.commenced_date, '%Y-%m-%d') || ',近6个月(' ||
               strftime(CAST($as_of - INTERVAL 6 MONTH AS DATE), '%Y-%m-%d') || ' 之后)无资金到位' AS detail
        FROM projects AS p
        WHERE {views.ACTIVE}
          AND p.commenced_date < CAST($as_of - INTERVAL 6 MONTH AS DATE)
          AND (p.production_date IS NULL OR p.production_date > $as_of)
          AND NOT EXISTS (SELECT 1 FROM fund_arrivals AS a WHERE a.project_id = p.project_id
                          AND a.date > CAST($as_of - INTERVAL 6 MONTH AS DATE) AND a.date <= $as_of
                          AND a.amount_wan > 0)
        """,
    ),
    PlausibilityRule(
        "commenced_not_in_stats",
        "开工超过2个月仍未入统",
        "project",
        f"""
        SELECT p.project_id AS record_id, p.introducing_unit_id AS unit_id,
               '开工日期 ' || strftime(p.commenced_date, '%Y-%m-%d') || ',入统日期' ||
               coalesce(strftime(p.in_stats_date, '%Y-%m-%d'), '空白') AS detail
        FROM projects AS p
        WHERE {views.ACTIVE}
          AND p.commenced_date < CAST($as_of - INTERVAL 2 MONTH AS DATE)
          AND (p.in_stats_date IS NULL OR p.in_stats_date > $as_of)
        """,
    ),
    PlausibilityRule(
        "lead_pending_too_long",
        "信息待认定超过30天",
        "lead",
        """
        SELECT l.lead_id AS record_id, l.reporter_unit_id AS unit_id,
               l.company || ' 于 ' || strftime(l.reported_at, '%Y-%m-%d') || ' 报送,已待认定 ' ||
               CAST(date_diff('day', CAST(l.reported_at AS DATE), $as_of) AS VARCHAR) || ' 天' AS detail
        FROM leads AS l
        WHERE l.status = 'pending' AND date_diff('day', CAST(l.reported_at AS DATE), $as_of) > 30
        """,
    ),
    PlausibilityRule(
        "lead_after_signing",
        "有效信息转化的项目签约早于信息报送",
        "lead",
        """
        SELECT l.lead_id AS record_id, l.reporter_unit_id AS unit_id,
               '信息报送 ' || strftime(l.reported_at, '%Y-%m-%d') || ',项目 ' || p.project_id || ' 签约 ' ||
               strftime(p.signed_date, '%Y-%m-%d') AS detail
        FROM leads AS l JOIN projects AS p ON p.project_id = l.project_id
        WHERE l.status = 'valid' AND CAST(l.reported_at AS DATE) <= $as_of
          AND p.signed_date < CAST(l.reported_at AS DATE)
        """,
    ),
    PlausibilityRule(
        "arrival_after_write_off",
        "项目核销后仍有资金到位",
        "fund_arrival",
        """
        SELECT a.project_id || '@' || strftime(a.date, '%Y-%m-%d') AS record_id,
               p.introducing_unit_id AS unit_id,
               '核销日期 ' || strftime(p.written_off_date, '%Y-%m-%d') || ',到位日期 ' ||
               strftime(a.date, '%Y-%m-%d') || ',到位 ' || CAST(a.amount_wan AS VARCHAR) || ' 万元' AS detail
        FROM fund_arrivals AS a JOIN projects AS p ON p.project_id = a.project_id
        WHERE a.date > p.written_off_date AND a.date <= $as_of
        """,
    ),
)

COLUMNS = ["rule_id", "rule", "record_type", "record_id", "unit_id", "detail"]


def plausibility_warnings(con: duckdb.DuckDBPyConnection, period: Period) -> pd.DataFrame:
    """Every warning at D: rule_id, rule (Chinese), record_type, record_id, unit_id, detail."""
    frames = []
    for rule in RULES:
        df = views.fetch_df(con, f"SELECT * FROM ({rule.sql}) ORDER BY record_id", views.bind(period))
        if df.empty:
            continue
        df.insert(0, "record_type", rule.record_type)
        df.insert(0, "rule", rule.rule)
        df.insert(0, "rule_id", rule.rule_id)
        frames.append(df)
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)[COLUMNS]
