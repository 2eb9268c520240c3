"""The adjustable settings of METRICS.md, their defaults, validation and overrides.

Effective settings = defaults, then what the investment office stored in the database, then
the overrides of a what-if scenario or a ``--settings`` file. Overrides never write anything.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any

import duckdb

from analytics.core.milestones import check_verifier_units
from analytics.core.schema import COMPANY_RANK_CHOICES, UNIT_METRICS

DEFAULT_SETTINGS: dict[str, Any] = {
    "landing_targets": {"prior": [0.90, 0.60], "current": [0.80, 0.50]},
    "concentration_target": 0.50,
    "concentration_basis": "investment",
    "red_gap": 0.30,
    "unit_weights": {"signed_projects": 0.4, "in_stats_projects": 0.4, "valid_leads": 0.2},
    "score_cap": 1.5,
    "advanced_per_class": {"1": 2, "2": 1},
    "mid_year_check": "07-20",
    # METRICS.md §6. Amounts in 万元; FDI/FX in 万美元.
    "reward_policy": {
        "fdi_wan_per_usd_wan": 0.003,
        "fx_contribution": {"amount_wan": 15.0, "single_arrival_min_usd_wan": 600.0},
        "project_5020": {
            "min_total_wan": 200000.0,
            "min_fixed_asset_share": 0.20,
            "base_wan": 10.0,
            "step_wan": 5.0,
            "step_size_wan": 100000.0,
            "cap_wan": 50.0,
        },
        "foreign_fx": {
            "min_fx_usd_wan": 100.0,
            "base_wan": 5.0,
            "step_wan": 2.0,
            "step_size_usd_wan": 100.0,
            "cap_wan": 25.0,
        },
        # v2: the export reward, the 先进单位 prizes and tax sharing (7:3 / 1:9, capped per project).
        "export_wan_per_usd_wan": 0.003,
        "prize_wan": 10.0,
        "tax_sharing": {"township_share": 0.7, "department_share": 0.1, "cap_wan": 100.0},
    },
    # v2 (METRICS.md, Settings).
    "tie_breakers": ["signed_projects", "in_stats_projects", "valid_leads"],
    "statement_departments": 3,
    "statement_townships": "county",
    "top_company_ranks": ["central_soe", "private_top100"],
    "lead_validation_cutoff": "01-15",
    "first_report_protection_days": None,
    "major_project_min_wan": 100000,
    "count_verified_only": False,
    # Who verifies each milestone (analytics.core.milestones): a unit code, "office", or "" (not named).
    "verifier_units": {
        "in_stats": "",
        "commenced": "office",
        "production": "office",
        "fund_arrival": "office",
    },
    "stall_yellow_days": 30,
    "stall_default_days": {
        "registered": 60,
        "land": 120,
        "commenced": 180,
        "completed": 365,
        "production": 180,
        "full_production": 365,
    },
    # METRICS.md §8 leads in negotiation: a lead longer than this many days in a stage is stuck.
    "lead_stage_stuck_days": {"contact": 30, "visit": 60, "negotiating": 90},
}

SETTING_LABELS: dict[str, str] = {
    "landing_targets": "“9865”开工率/投产率目标",
    "concentration_target": "重点产业集聚度目标",
    "concentration_basis": "集聚度口径(按投资额/按项目数)",
    "red_gap": "红灯差距(低于时序进度)",
    "unit_weights": "单位三项指标权重",
    "score_cap": "单项完成率计分上限",
    "advanced_per_class": "每类乡镇先进单位名额",
    "mid_year_check": "时间过半检查日(月-日)",
    "reward_policy": "奖励政策",
    "tie_breakers": "并列时依次比较的指标完成率",
    "statement_departments": "公开表态的县直部门数",
    "statement_townships": "公开表态的乡镇范围(全县/每类)",
    "top_company_ranks": "计入“央(国)企、民营100强”的企业层级",
    "lead_validation_cutoff": "有效信息认定截止日(次年月-日)",
    "first_report_protection_days": "首报保护期(天,空为不限)",
    "major_project_min_wan": "重大项目投资额下限(万元)",
    "count_verified_only": "仅计已核验",
    "verifier_units": "核验单位(入统由统计局核验,其余默认招商办)",
    "stall_yellow_days": "超过计划日期转黄灯的天数",
    "stall_default_days": "无计划日期时各环节的默认时限(天)",
    "lead_stage_stuck_days": "在谈项目各阶段停留超过即标记的天数",
}


# The choices of ``statement_townships`` and the labels of the v2 reward-policy values (dotted paths).
STATEMENT_TOWNSHIP_CHOICES: dict[str, str] = {"county": "全县乡镇一并比较", "per_class": "每类乡镇分别比较"}
REWARD_POLICY_LABELS: dict[str, str] = {
    "export_wan_per_usd_wan": "出口奖励:每万美元出口额奖励(万元)",
    "prize_wan": "先进单位奖金(万元/个)",
    "tax_sharing.township_share": "税收分成:乡镇所得比例",
    "tax_sharing.department_share": "税收分成:县直部门所得比例",
    "tax_sharing.cap_wan": "税收分成:每个项目封顶(万元)",
}


class SettingsError(ValueError):
    """A settings override that does not fit the settings table."""


# Settings whose value may be null (blank) as well as a number; checked in ``_check_v2``.
_NULLABLE = {"settings.first_report_protection_days"}


def _merge(base: Any, override: Any, path: str) -> Any:
    if path in _NULLABLE and (base is None or override is None):
        return override
    if isinstance(base, dict):
        if not isinstance(override, dict):
            raise SettingsError(f"设置 {path} 应为对象 / setting {path} must be an object")
        merged = dict(base)
        for key, value in override.items():
            if key not in base:
                raise SettingsError(f"未知设置项 {path}.{key} / unknown setting {path}.{key}")
            merged[key] = _merge(base[key], value, f"{path}.{key}")
        return merged
    if isinstance(base, list) and all(isinstance(b, str) for b in base):
        # A list of names (tie_breakers, top_company_ranks) may be reordered, shortened or extended.
        if not isinstance(override, list) or not all(isinstance(o, str) for o in override):
            raise SettingsError(f"设置 {path} 应为名称列表 / setting {path} must be a list of names")
        return list(override)
    if isinstance(base, list):
        if not isinstance(override, list) or len(override) != len(base):
            raise SettingsError(
                f"设置 {path} 应为 {len(base)} 个数的列表 / setting {path} must be a list of {len(base)}"
            )
        return [_merge(b, o, path) for b, o in zip(base, override, strict=True)]
    if isinstance(base, bool) or isinstance(base, str):
        if type(override) is not type(base):
            raise SettingsError(f"设置 {path} 类型不对: {override!r} / setting {path} has the wrong type")
        return override
    if isinstance(base, int | float):
        if isinstance(override, bool) or not isinstance(override, int | float):
            raise SettingsError(f"设置 {path} 应为数值: {override!r} / setting {path} must be a number")
        if override < 0:
            raise SettingsError(f"设置 {path} 不能为负: {override!r} / setting {path} must not be negative")
        return type(base)(override) if isinstance(base, float) else override
    return override


def _check_month_day(settings: dict[str, Any], key: str) -> None:
    month_day = settings[key]
    try:
        month, day = (int(x) for x in month_day.split("-"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise ValueError
    except ValueError:
        raise SettingsError(f"{key} 应为 MM-DD: {month_day!r} / must be MM-DD") from None


def _whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_names(settings: dict[str, Any], key: str, allowed: Iterable[str]) -> None:
    names, allowed = settings[key], list(allowed)
    if len(set(names)) != len(names) or not set(names) <= set(allowed):
        raise SettingsError(
            f"{key}({SETTING_LABELS[key]})只能是不重复的 {'、'.join(allowed)}: {names!r}"
            f" / {key} must be distinct names among {allowed}"
        )


def _check_v2(settings: dict[str, Any]) -> None:
    """The v2 settings of METRICS.md (ties, statement, top companies, leads, verification, stalls)."""
    _check_names(settings, "tie_breakers", UNIT_METRICS)
    _check_names(settings, "top_company_ranks", COMPANY_RANK_CHOICES)
    _check_month_day(settings, "lead_validation_cutoff")
    if not _whole_number(settings["statement_departments"]):
        raise SettingsError(
            f"statement_departments(公开表态的县直部门数)应为不小于 0 的整数: {settings['statement_departments']!r}"
            " / must be a whole number ≥ 0"
        )
    if settings["statement_townships"] not in STATEMENT_TOWNSHIP_CHOICES:
        raise SettingsError(
            "statement_townships(公开表态的乡镇范围)只能是 county(全县)或 per_class(每类)"
            " / must be county or per_class"
        )
    days = settings["first_report_protection_days"]
    if days is not None and not _whole_number(days):
        raise SettingsError(
            f"first_report_protection_days(首报保护期)应为空或不小于 0 的整数天数: {days!r}"
            " / must be null or a whole number of days ≥ 0"
        )
    stall_days = [settings["stall_yellow_days"], *settings["stall_default_days"].values()]
    if not all(_whole_number(v) for v in stall_days):
        raise SettingsError(
            "stall_yellow_days / stall_default_days 应为整数天数 / must be whole numbers of days"
        )


def _check_rewards(policy: dict[str, Any]) -> None:
    """METRICS.md §6: a step size divides (must be > 0); a share is a fraction of 1 at most."""
    for path in (("project_5020", "step_size_wan"), ("foreign_fx", "step_size_usd_wan")):
        if policy[path[0]][path[1]] <= 0:
            raise SettingsError(
                f"奖励政策 reward_policy.{'.'.join(path)}(每档金额)必须大于 0 / must be more than 0"
            )
    shares = {
        "project_5020.min_fixed_asset_share": policy["project_5020"]["min_fixed_asset_share"],
        "tax_sharing.township_share": policy["tax_sharing"]["township_share"],
        "tax_sharing.department_share": policy["tax_sharing"]["department_share"],
    }
    for name, share in shares.items():
        if share > 1:
            raise SettingsError(
                f"奖励政策 reward_policy.{name} 是比例,应在 0 到 1 之间: {share!r} / must be a fraction from 0 to 1"
            )


def _check(settings: dict[str, Any]) -> None:
    if settings["concentration_basis"] not in ("investment", "count"):
        raise SettingsError("concentration_basis 只能是 investment 或 count / must be investment or count")
    _check_month_day(settings, "mid_year_check")
    _check_v2(settings)
    _check_rewards(settings["reward_policy"])
    try:
        check_verifier_units(settings["verifier_units"])
    except ValueError as exc:
        raise SettingsError(str(exc)) from None
    if sum(settings["unit_weights"].values()) <= 0:
        raise SettingsError("unit_weights 之和必须大于 0 / the weights must sum to more than 0")


def apply_overrides(base: dict[str, Any], overrides: dict[str, Any] | None) -> dict[str, Any]:
    """``base`` with ``overrides`` merged in (nested objects key by key); validated; a new dict."""
    merged = _merge(copy.deepcopy(base), overrides or {}, "settings")
    _check(merged)
    return merged


def stored_overrides(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """What the investment office saved in the database, as an overrides dict."""
    rows = con.execute("SELECT key, value_json FROM settings ORDER BY key").fetchall()
    return {key: json.loads(value) for key, value in rows}


def effective_settings(
    con: duckdb.DuckDBPyConnection | None = None, overrides: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Defaults, then stored settings (when ``con`` is given), then ``overrides``."""
    settings = apply_overrides(DEFAULT_SETTINGS, stored_overrides(con) if con is not None else None)
    return apply_overrides(settings, overrides)
