"""Every Chinese label of a code, once: pages, documents, exports and the what-if diff read them here.

The contract's own enum labels (sources, tiers, lead statuses, lead stages, problem categories,
milestone kinds ...) are the ``choices`` of ``analytics.core.schema``; ``CODE_LABELS`` gathers them
with the labels of the report's own codes (groups, awards, statuses) for drill-downs and downloads.
"""

from __future__ import annotations

from analytics.core import schema

# METRICS.md §4: ranking groups and awards, in display order.
GROUP_LABELS: dict[str, str] = {
    "township_1": "一类乡镇",
    "township_2": "二类乡镇",
    "department": "县直部门",
    "township": "乡镇(未分类)",
}
AWARD_LABELS: dict[str, str] = {"golden_horse": "骏马奖", "advanced": "先进单位", "snail": "蜗牛奖"}
# In-year wording (METRICS v2): award names appear only from 12-31 on, in the year-end account.
PROVISIONAL_AWARD_LABELS: dict[str, str] = {
    "golden_horse": "暂列第一",
    "advanced": "暂列先进",
    "snail": "暂列末位",
}

# METRICS.md §3: schedule status of a county target → label and traffic-light colour. The label is
# always shown with the colour, so a status never depends on colour alone.
STATUS_LABELS: dict[str, str] = {
    "met": "已完成",
    "on_track": "符合时序",
    "behind": "滞后",
    "far_behind": "严重滞后",
    "no_target": "未设目标",
}
STATUS_COLOURS: dict[str, str] = {
    "met": "#1E7B34",
    "on_track": "#1E7B34",
    "behind": "#B7791F",
    "far_behind": "#B3261E",
    "no_target": "#5D6D7E",
}
STATUS_ICONS: dict[str, str] = {
    "met": "●",
    "on_track": "●",
    "behind": "▲",
    "far_behind": "■",
    "no_target": "○",
}

# Money metrics and their unit: "wan" = 万元, "usd" = 万美元; every other metric is a count.
METRIC_UNITS: dict[str, str] = {
    "in_stats_investment_wan": "wan",
    "out_of_province_funds_wan": "wan",
    "fdi_usd_wan": "usd",
    "fx_usd_wan": "usd",
    "trade_usd_wan": "usd",
}
MONEY_METRICS: frozenset[str] = frozenset(METRIC_UNITS)

METRIC_LABELS: dict[str, str] = {**schema.COUNTY_METRICS, **schema.UNIT_METRICS}

UNIT_KIND_LABELS = schema.UNIT_KIND_CHOICES
SOURCE_LABELS = schema.SOURCE_CHOICES
COMPANY_RANK_LABELS = schema.COMPANY_RANK_CHOICES
TIER_LABELS = schema.TIER_CHOICES
LEAD_STATUS_LABELS = schema.STATUS_CHOICES
LEAD_STAGE_LABELS = schema.LEAD_STAGE_CHOICES
PROBLEM_CATEGORY_LABELS = schema.PROBLEM_CATEGORY_CHOICES
MILESTONE_KIND_LABELS = schema.MILESTONE_KIND_CHOICES
SQUAD_KIND_LABELS = schema.SQUAD_KIND_CHOICES

# What makes a lead 一般, 重要 or 重大 (the scheme's 信息报送分), for the clerk choosing a tier.
TIER_CRITERIA: dict[str, str] = {
    "general": "有明确投资意向,投资500万元以上的工业、外资、农业产业化、金融保险、名商名店等项目信息",
    "important": "有明确投资意向,分管领导及招商部门参与考察洽谈,投资2000万元以上的工业、外资项目",
    "major": "投资5000万元以上、引进落户的电子、机械等高科技工业项目",
}
# Where a lead's investor comes from (leads.investor_origin is free text; these are offered first).
INVESTOR_ORIGIN_SUGGESTIONS: tuple[str, ...] = ("省内", "省外", "境外")

# METRICS.md §8: the chain from signing to full production, its lights, approvals and the four ones.
CHAIN_STEP_LABELS: dict[str, str] = {
    "signed": "签约",
    "registered": schema.MILESTONE_KIND_CHOICES["registered"],
    "land": schema.MILESTONE_KIND_CHOICES["land"],
    "commenced": "开工",
    "completed": schema.MILESTONE_KIND_CHOICES["completed"],
    "production": "投产",
    "full_production": schema.MILESTONE_KIND_CHOICES["full_production"],
}
APPROVAL_KINDS: tuple[str, ...] = (
    "planning_permit",
    "construction_permit",
    "env_assessment",
    "energy_assessment",
)
LIGHT_LABELS: dict[str, str] = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
LIGHT_COLOURS: dict[str, str] = {"red": "#B3261E", "yellow": "#9A6200", "green": "#1E7B34"}
LIGHT_ICONS: dict[str, str] = {"red": "■", "yellow": "▲", "green": "●"}
PACKAGING_LABELS: dict[str, str] = {
    "leader": "挂包县领导",
    "responsible_unit": "责任单位",
    "helper": "帮办专员",
    "schedule": "计划日期",
}

# Every enum column of the contract: (table, column) → {code: label}.
ENUM_LABELS: dict[tuple[str, str], dict[str, str]] = {
    (table.name, column.name): column.choices
    for table in schema.TABLES
    for column in table.columns
    if column.choices
}


# METRICS.md §2's Herfindahl index, one name on every page, table and document.
HHI_LABEL = "产业集中度 HHI"


def metric_title(name_zh: str) -> str:
    """A §3 metric's name where its value is shown with its unit (a card, a document's table): the
    name without the unit it carries (实际利用外资(万美元) → 实际利用外资), so the unit is said once."""
    for unit in ("(万美元)", "（万美元）", "(万元)", "（万元）"):
        if name_zh.endswith(unit):
            return name_zh[: -len(unit)]
    return name_zh


def label(mapping: dict[str, str], code: str | None) -> str:
    """The label of ``code`` in ``mapping``; blank for nothing, the code itself if unknown."""
    if code is None:
        return ""
    return mapping.get(code, code)


# The milestones a verifying body confirms (核验), and where each one stands.
VERIFICATION_KIND_LABELS: dict[str, str] = {
    "in_stats": "入统",
    "commenced": "开工",
    "production": "投产",
    "fund_arrival": "资金到位",
}
VERIFICATION_STATUS_LABELS: dict[str, str] = {
    "pending": "待核验",
    "verified": "已核验",
    "returned": "已退回",
}

# The year-end account (年度总账): rewards and prizes, the consequences the plan attaches to results,
# why a snapshot was taken, and where a reward stands in the ledger.
REWARD_LABELS: dict[str, str] = {
    "fdi": "实际利用外资奖励",
    "export": "出口奖励",
    "fx_contribution": "现汇进资贡献奖",
    "project_5020": "“5020”项目奖励",
    "foreign_fx": "外资工业项目现汇奖励",
    "advanced": "先进单位奖励",
    "squad_advanced": "小分队先进单位奖励",
    "tax_sharing": "税收分成",
    "deposit_refund": "退还责任金",
}
CONSEQUENCE_LABELS: dict[str, str] = {
    "excellent": "建议评为优秀",
    "interview": "县委县政府主要领导约谈",
    "no_honours": "取消评先评优",
    "organisational": "组织处理",
}
SNAPSHOT_KIND_LABELS: dict[str, str] = {
    "mid_year": "时间过半检查日",
    "quarter": "季末",
    "on_demand": "招商办手动",
    "sign_off": "年度总账签署",
}
PAYMENT_STATUS_LABELS: dict[str, str] = {
    "paid": "已发放",
    "due": "待发放",
    "paid_before": "以前年度已发放,不再拟发",
}


# The labels of every code a drill-down or a download may meet, for ``analytics.screens.readable``:
# by column name (the contract's enum columns, merged over tables), and every code of the contract
# and of the report's own vocabularies (statuses, groups, awards, lights ...) together.
CODE_LABELS: dict[str, dict[str, str]] = {}
for (_table, _column), _choices in ENUM_LABELS.items():
    CODE_LABELS.setdefault(_column, {}).update(_choices)
CODE_LABELS.setdefault("group", {}).update(GROUP_LABELS)
CODE_LABELS.setdefault("award", {}).update(AWARD_LABELS)
CODE_LABELS.setdefault("light", {}).update(LIGHT_LABELS)
CODE_LABELS.setdefault("metric", {}).update(METRIC_LABELS)
ALL_CODE_LABELS: dict[str, str] = {
    code: text
    for mapping in (
        *ENUM_LABELS.values(),
        GROUP_LABELS,
        AWARD_LABELS,
        STATUS_LABELS,
        LIGHT_LABELS,
        VERIFICATION_KIND_LABELS,
        VERIFICATION_STATUS_LABELS,
        REWARD_LABELS,
        CONSEQUENCE_LABELS,
        SNAPSHOT_KIND_LABELS,
        PAYMENT_STATUS_LABELS,
        METRIC_LABELS,
    )
    for code, text in mapping.items()
}
