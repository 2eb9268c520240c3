"""The 口径 of every figure, in plain Chinese for a leader, rendered from the effective settings.

``definitions(settings)`` renders every text from the settings the numbers were computed with
(the office's stored settings, a what-if scenario or a ``--settings`` file), so a popover never
states a threshold, cap, weight, target, amount, order or date the figures no longer follow.
``settings=None`` renders the defaults (documentation and tests only).

A ``Definition`` *is* its 口径 text (a ``str``), so a page can pass it straight to a popover, and it
carries ``title``, ``section`` and ``key``. Keys are ``<section>.<figure>`` as in the report
(``county.signed_projects``, ``landing.commencement_rate``, ``unit.score``, ``rewards.project_5020``);
section keys (``landing``, ``county`` …) describe a whole section. ``tests/test_drilldown.py``
checks that every figure of the report has one. The texts speak a leader's words: 「本年1月1日至
截止日」, 「本年新签约项目」, 「时序进度」, never the spec's letters W, S, D or f.

The §6 reward texts and §8 are rendered by ``analytics.metrics.definitions_money``.
"""

from __future__ import annotations

from typing import Any

from analytics.core.labels import COMPANY_RANK_LABELS, HHI_LABEL
from analytics.core.schema import COUNTY_METRICS, UNIT_METRICS
from analytics.core.settings import DEFAULT_SETTINGS
from analytics.metrics import definitions_money, definitions_units
from analytics.metrics.definitions_words import (
    ACTIVE,
    ARRIVALS,
    IN_STATS,
    S,
    W,
    amount_wan,
    pct,
)


class Definition(str):
    """The Chinese 口径 of one figure (the string itself) with its title and METRICS.md section."""

    title: str
    section: str
    key: str

    def __new__(cls, key: str, title: str, caliber: str, section: str) -> Definition:
        obj = super().__new__(cls, caliber)
        obj.key, obj.title, obj.section = key, title, section
        return obj

    @property
    def caliber(self) -> str:
        return str(self)


def _status(s: dict[str, Any]) -> str:
    return (
        "完成率 = 实际 ÷ 年度目标;达到100%为已完成,不低于时序进度为符合时序,"
        f"低于时序进度但差距不超过{pct(s['red_gap'])}为滞后(黄),差距更大为严重滞后(红);无目标或目标为0不评"
    )


def _county_rules(s: dict[str, Any]) -> dict[str, str]:
    ranks = "、".join(COMPANY_RANK_LABELS.get(r, r) for r in s["top_company_ranks"]) or "(未设层级)"
    return {
        "signed_projects": f"{S}的个数",
        "foreign_firms": "本年新签约项目中资金来源为外资的个数",
        "export_producers": "本年新签约项目中生产型出口企业的个数",
        "projects_100m": "本年新签约项目中总投资1亿元(10000万元)以上的个数",
        "top_companies": f"本年新签约的亿元以上项目中,企业层级为{ranks}的个数",
        "projects_5020": "本年新签约项目中经省认定为“5020”项目的个数",
        "in_stats_investment_wan": f"{IN_STATS}的总投资之和(万元)",
        "in_stats_projects_100m": f"{IN_STATS}中总投资1亿元以上的个数",
        "in_stats_projects_2b": f"{IN_STATS}中总投资20亿元以上的个数",
        "fdi_usd_wan": f"{ARRIVALS}的实际利用外资之和(万美元)",
        "fx_usd_wan": f"{ARRIVALS}的现汇进资之和(万美元)",
        "out_of_province_funds_wan": f"{ARRIVALS}中,省外来源、总投资2000万元以上项目的到位资金之和(万元),含已核销项目",
        "trade_usd_wan": "本年1月至截止日所在月(该月按全月)的进出口总额之和(出口 + 进口,万美元);"
        "与上年同期月份比较得出增幅,高于全市平均增幅即达到“进出口增幅高于全市平均水平”",
    }


def _entries(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    prior, current = s["landing_targets"]["prior"], s["landing_targets"]["current"]
    basis = "按投资额" if s["concentration_basis"] == "investment" else "按项目数"
    verified = (
        "只计已核验的入统、开工、投产和资金到位:核验日期为空或晚于截止日的视同未发生。"
        if s["count_verified_only"]
        else "登记的入统、开工、投产和资金到位均计入(不要求核验)。"
    )
    return [
        # key, title, 口径, section
        ("report.window", "统计期", f"{W},按日期比较。", "The report"),
        (
            "report.active",
            "有效项目",
            f"{ACTIVE}的项目;核销日期在截止日当天或之前的项目不再计入。",
            "The report",
        ),
        (
            "report.schedule",
            "时序进度",
            "时序进度 = 本年1月1日至截止日的天数(含两端)÷ 全年天数(闰年366天)。",
            "The report",
        ),
        (
            "report.verified_only",
            "是否只计已核验",
            f"{verified}日期晚于截止日的入统、开工、投产和到位一律不计。",
            "§0",
        ),
        (
            "landing",
            "9865 项目落地",
            "对上年和本年签约的项目分别计算:基数 = 该年签约、签约日期不晚于截止日且未核销的项目;"
            "开工率 = 已开工个数 ÷ 基数,投产率 = 已投产个数 ÷ 基数;"
            f"上年签约项目目标开工{pct(prior[0])}、投产{pct(prior[1])},"
            f"本年签约项目目标开工{pct(current[0])}、投产{pct(current[1])};基数为0时不计算;"
            "已核销项目不在基数内,另列“已核销”个数。",
            "§1",
        ),
        ("landing.base", "落地基数", f"该年签约、签约日期不晚于截止日且{ACTIVE}的项目个数。", "§1"),
        (
            "landing.written_off",
            "已核销",
            "该年签约、签约日期不晚于截止日、核销日期不晚于截止日的项目个数;它们不在基数内,"
            "显示为“基数 N(已核销 M)”,核销抬高的比率一望可知。",
            "§1",
        ),
        ("landing.commenced", "已开工", "基数中开工日期不晚于截止日的项目个数。", "§1"),
        ("landing.produced", "已投产", "基数中投产日期不晚于截止日的项目个数。", "§1"),
        (
            "landing.commencement_rate",
            "开工率",
            f"已开工 ÷ 基数;达到目标即达标(上年项目{pct(prior[0])},本年项目{pct(current[0])});基数为0时为空。",
            "§1",
        ),
        (
            "landing.production_rate",
            "投产率",
            f"已投产 ÷ 基数;达到目标即达标(上年项目{pct(prior[1])},本年项目{pct(current[1])});基数为0时为空。",
            "§1",
        ),
        (
            "landing.laggards",
            "签约未开工项目",
            "基数中截至截止日尚未开工的项目,按签约日期从早到晚排列,并给出签约至截止日的天数。",
            "§1",
        ),
        (
            "landing.gap",
            "距目标还差",
            "还需开工(投产)个数 = 目标 × 基数(向上取整)− 已开工(已投产),最少为0。",
            "§1",
        ),
        (
            "concentration",
            "重点产业集聚度",
            f"范围为{S}。按投资额 = 重点产业项目总投资 ÷ 全部总投资;按项目数 = 重点产业项目个数 ÷ 全部个数;"
            f"以{basis}为主口径,达到{pct(s['concentration_target'])}即达标;本年尚无新签约项目时不计算。",
            "§2",
        ),
        (
            "concentration.by_investment",
            "集聚度(按投资额)",
            "本年新签约项目中重点产业项目总投资之和 ÷ 全部总投资之和。",
            "§2",
        ),
        ("concentration.by_count", "集聚度(按项目数)", "本年新签约项目中重点产业项目个数 ÷ 全部个数。", "§2"),
        (
            "concentration.hhi",
            HHI_LABEL,
            "各产业占本年新签约项目总投资份额的平方和,介于0与100%之间,越大越集中。",
            "§2",
        ),
        (
            "concentration.headline",
            "集聚度(主口径)",
            f"当前以{basis}为主口径,目标{pct(s['concentration_target'])}。",
            "§2",
        ),
        (
            "county",
            "全县目标任务",
            f"各项指标的实际值与县级年度目标比较。{_status(s)};同比与上年同期(1月1日至同一月日,2月29日按2月28日)比较。",
            "§3",
        ),
        ("county.completion", "完成率", "实际 ÷ 县级年度目标;无目标或目标为0时为空。", "§3"),
        ("county.status", "进度状态", _status(s) + "。", "§3"),
        (
            "county.previous",
            "上年同期",
            "同一指标在上年1月1日至同一月日(2月29日按2月28日)的值,核销按当日判断。",
            "§3",
        ),
        ("county.yoy", "同比", "实际 ÷ 上年同期 − 1;上年同期为0时为空。", "§3"),
        (
            "county.city_growth",
            "全市平均增幅",
            "计入的最后一个月外贸记录中填报的全市进出口平均增幅;未填时为空。",
            "§3",
        ),
        (
            "county.above_city",
            "高于全市平均",
            "本县进出口同比增幅高于全市平均增幅即为“高于全市”;任一为空时不判定。这是外贸指标的评判结论。",
            "§3",
        ),
        *definitions_units.entries(s),
        *definitions_money.entries(s),
        *_supervision_entries(s),
    ]


def _supervision_entries(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    major = f"标记为重大项目、总投资{amount_wan(s['major_project_min_wan'])}以上、或有挂包县领导的项目"
    return [
        (
            "supervision",
            "督导",
            "问题清单按截止日判断是否办结、是否超期;信息漏斗统计本年1月1日至截止日报送的信息。",
            "§7",
        ),
        ("supervision.major_project", "重大项目", f"{major}。问题个数都注明范围(全部 / 重大项目)。", "§7"),
        (
            "supervision.problem_open",
            "未办结问题",
            "办结日期为空或晚于截止日的问题(只列提出日期不晚于截止日的问题)。",
            "§7",
        ),
        (
            "supervision.problem_overdue",
            "超期问题",
            "未办结且办结时限早于截止日的问题;超期天数 = 截止日 − 办结时限。",
            "§7",
        ),
        (
            "supervision.lead_funnel",
            "信息漏斗",
            "本年1月1日至截止日报送的信息按等级、认定状态计数,并区分首报与重复。",
            "§7",
        ),
        (
            "supervision.lead_conversion",
            "信息转化率",
            "本年报送、认定有效的首报信息中已转化为项目的比例;无有效首报时为空。",
            "§7",
        ),
        (
            "plausibility",
            "数据合理性提醒",
            "投产前无资金到位、开工超6个月近6个月无到位、开工超2个月未入统、信息待认定超30天、项目签约早于信息报送、核销后仍有到位等疑点;只作提醒,不改变任何统计。",
            "—",
        ),
    ]


def definitions(settings: dict[str, Any] | None = None) -> dict[str, Definition]:
    """Every 口径 rendered from ``settings`` (the effective settings; the defaults when None)."""
    s = settings if settings is not None else DEFAULT_SETTINGS
    county, unit = _county_rules(s), definitions_units.unit_rules(s)
    entries = _entries(s)
    entries += [
        (f"county.{m}", zh, f"{county[m]}。目标取县级年度目标任务。", "§3")
        for m, zh in COUNTY_METRICS.items()
    ]
    entries += [(f"unit.{m}", zh, f"{unit[m]}。", "§4") for m, zh in UNIT_METRICS.items()]
    return {key: Definition(key, title, text, section) for key, title, text, section in entries}


def definition(key: str, settings: dict[str, Any] | None = None) -> Definition:
    """The definition of ``key`` under ``settings`` (KeyError names the missing key)."""
    return definitions(settings)[key]
