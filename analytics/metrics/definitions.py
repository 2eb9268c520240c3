"""The 口径 of every figure, in Chinese, for tooltips and the bulletin; each names its METRICS.md section.

A ``Definition`` *is* its 口径 text (a ``str``), so a page can pass it straight to a popover, and it
carries ``title``, ``section`` and ``key``. Keys are ``<section>.<figure>`` as in the report
(``county.signed_projects``, ``landing.commencement_rate``, ``unit.score``, ``rewards.project_5020``);
section keys (``landing``, ``county`` …) describe a whole section. ``tests/test_drilldown.py``
checks that every figure of the report has one.
"""

from __future__ import annotations

from analytics.core.schema import COUNTY_METRICS, UNIT_METRICS


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


_W = "统计期 W = 计划年度1月1日至截止日 D(不晚于12月31日),按日期比较"
_ACTIVE = "未核销(或核销日期晚于 D)"
_S = f"当年新签约项目 S:签约日期在 W 内且{_ACTIVE}"
_IN_STATS = f"入统日期在 W 内且{_ACTIVE}的项目"
_ARRIVALS = "到位日期在 W 内的资金到位记录"
_STATUS = "完成率 = 实际 ÷ 目标;≥1 为已完成,≥ 时序进度 f 为进度正常,≥ f − 红灯差距为滞后(黄),否则严重滞后(红);无目标或目标为0不评"

_COUNTY_RULES = {
    "signed_projects": f"{_S} 的个数",
    "foreign_firms": f"S 中资金来源为外资的项目个数({_S})",
    "export_producers": "S 中生产型出口企业的项目个数",
    "projects_100m": "S 中总投资 ≥ 10000 万元(1亿元)的项目个数",
    "top_companies": "S 中企业层级不为空(世界500强、中国500强、央企/国企、民营100强)的项目个数",
    "projects_5020": "S 中经省认定为“5020”项目的个数",
    "in_stats_investment_wan": f"{_IN_STATS}的总投资之和(万元)",
    "in_stats_projects_100m": f"{_IN_STATS}中总投资 ≥ 10000 万元的个数",
    "in_stats_projects_2b": f"{_IN_STATS}中总投资 ≥ 200000 万元(20亿元)的个数",
    "fdi_usd_wan": f"{_ARRIVALS}的实际利用外资之和(万美元)",
    "fx_usd_wan": f"{_ARRIVALS}的现汇进资之和(万美元)",
    "out_of_province_funds_wan": f"{_ARRIVALS}中,资金来源为省外且总投资 ≥ 2000 万元的项目的到位资金之和(万元);不看是否核销",
    "trade_usd_wan": "本年1月至截止日所在月(该月全月计入)海关进出口额之和(万美元);同比与全市累计增幅比较",
}

_UNIT_RULES = {
    "signed_projects": f"引进单位为本单位的当年新签约项目个数({_S})",
    "in_stats_projects": f"引进单位为本单位、{_IN_STATS}的个数",
    "valid_leads": "本单位报送、报送日期在 W 内、认定有效且为首报的信息条数(同一企业只认首报)",
}

_ENTRIES: list[tuple[str, str, str, str]] = [
    # key, title, 口径, section
    ("report.window", "统计期", f"{_W}。", "The report"),
    ("report.active", "有效项目", f"{_ACTIVE}的项目;核销日期在 D 当天或之前的项目不再计入。", "The report"),
    (
        "report.schedule",
        "时序进度",
        "时序进度 f = 1月1日至 min(D, 12月31日) 的天数(含两端)÷ 全年天数(闰年366天)。",
        "The report",
    ),
    (
        "landing",
        "9865 项目落地",
        "对上年(Y-1)和本年(Y)签约的项目分别计算:基数 = 该年签约、签约日期 ≤ D 且未核销的项目;"
        "开工率 = 开工日期 ≤ D 的个数 ÷ 基数,投产率 = 投产日期 ≤ D 的个数 ÷ 基数;"
        "上年目标开工90%、投产60%,本年目标开工80%、投产50%;基数为0时不计算。",
        "§1",
    ),
    ("landing.base", "落地基数", f"签约年度为该批次、签约日期 ≤ D 且{_ACTIVE}的项目个数。", "§1"),
    ("landing.commenced", "已开工", "基数中开工日期 ≤ D 的项目个数。", "§1"),
    ("landing.produced", "已投产", "基数中投产日期 ≤ D 的项目个数。", "§1"),
    (
        "landing.commencement_rate",
        "开工率",
        "已开工 ÷ 基数;≥ 目标即达标(上年项目90%,本年项目80%);基数为0时为空。",
        "§1",
    ),
    (
        "landing.production_rate",
        "投产率",
        "已投产 ÷ 基数;≥ 目标即达标(上年项目60%,本年项目50%);基数为0时为空。",
        "§1",
    ),
    (
        "landing.laggards",
        "签约未开工项目",
        "基数中截至 D 尚未开工的项目,按签约日期从早到晚排列,并给出签约至 D 的天数。",
        "§1",
    ),
    ("landing.gap", "距目标还差", "还需开工(投产)个数 = ⌈目标 × 基数⌉ − 已开工(已投产),最少为0。", "§1"),
    (
        "concentration",
        "重点产业集聚度",
        f"范围为 {_S}。按投资额 = 重点产业项目总投资 ÷ S 总投资;按项目数 = 重点产业项目个数 ÷ S 项目个数;"
        "以设置中的口径为主指标,≥ 目标即达标;S 为空时不计算。",
        "§2",
    ),
    (
        "concentration.by_investment",
        "集聚度(按投资额)",
        "S 中重点产业项目总投资之和 ÷ S 全部项目总投资之和。",
        "§2",
    ),
    ("concentration.by_count", "集聚度(按项目数)", "S 中重点产业项目个数 ÷ S 项目个数。", "§2"),
    (
        "concentration.hhi",
        "产业集中指数 HHI",
        "各产业占 S 总投资份额的平方和,介于0与1之间,越大越集中。",
        "§2",
    ),
    (
        "concentration.headline",
        "集聚度(主口径)",
        "按设置“集聚度口径”取按投资额或按项目数之一,与目标比较。",
        "§2",
    ),
    (
        "county",
        "全县目标任务",
        f"各项指标的实际值与县级年度目标比较。{_STATUS};同比与上年同期(1月1日至同一月日,2月29日按2月28日)比较。",
        "§3",
    ),
    ("county.completion", "完成率", "实际 ÷ 县级年度目标;无目标或目标为0时为空。", "§3"),
    ("county.status", "进度状态", _STATUS + "。", "§3"),
    (
        "county.previous",
        "上年同期",
        "同一指标在上年1月1日至同一月日(2月29日按2月28日)的值,核销按当日判断。",
        "§3",
    ),
    ("county.yoy", "同比", "实际 ÷ 上年同期 − 1;上年同期为0时为空。", "§3"),
    (
        "units",
        "乡镇赛马、县直部门考核",
        "各单位三项指标:项目引进、项目入统、有效信息;有目标(>0)的指标计分,"
        "得分 = 100 × Σ 权重 × min(完成率, 计分上限) ÷ Σ 权重;一类乡镇、二类乡镇、县直部门分组排名。",
        "§4",
    ),
    (
        "unit.score",
        "综合得分",
        "100 × Σ 权重 × min(完成率, 上限1.5) ÷ 参与计分指标的权重之和(默认 0.4/0.4/0.2);没有目标的单位不计分、不排名;显示保留两位小数。",
        "§4",
    ),
    ("unit.completed", "完成任务", "参与计分的每项指标完成率都 ≥ 1。", "§4"),
    ("unit.rank", "排名", "分一类乡镇、二类乡镇、县直部门三组,按得分从高到低排名,同分按单位编码升序。", "§4"),
    (
        "unit.awards",
        "评先评优",
        "每类乡镇:第1名且完成任务的得骏马奖;完成任务的排名靠前者评为先进单位(一类2个、二类1个,含骏马奖);末名未完成任务的得蜗牛奖。县直部门不评。",
        "§4",
    ),
    (
        "unit.behind_half",
        "时间过半任务未过半",
        "截止日在时间过半检查日(默认7月20日)或之后时,任一参与计分指标完成率 < 50%。",
        "§4",
    ),
    (
        "unit.public_statement",
        "公开表态",
        "时间过半检查日起,得分最低的3个县直部门和得分最低的1个乡镇(两类合并)须公开表态;同分时单位编码靠后者视为更低;只看有得分的单位。",
        "§4",
    ),
    (
        "leads.first_report",
        "首报认定",
        "同一企业(名称经 NFKC 规范化、去掉全部空白、忽略大小写)的信息按报送时间、信息编码排序,第一条非无效的信息为首报,其后各条均为重复,不计分。",
        "§4",
    ),
    (
        "leads.near_duplicates",
        "疑似重复企业",
        "名称只差“有限公司/有限责任公司/股份/集团”或括号的企业,仅作提示,不改变任何统计。",
        "§4",
    ),
    (
        "squads",
        "产业链招商小分队",
        "小分队得分 = 成员部门得分之和(无得分按0计);按得分从高到低排名,同分按小分队编码。",
        "§5",
    ),
    ("squad.score", "小分队得分", "成员部门(所属小分队为本队的县直部门)得分之和,无得分的成员按0计。", "§5"),
    ("squad.mean_score", "成员平均分", "有得分成员的平均得分;都无得分时为空。", "§5"),
    ("squad.completed", "小分队完成任务", "每个有得分的成员都完成任务;都无得分时为空。", "§5"),
    ("squad.advanced_member", "先进成员", "完成任务的成员中得分最高者(同分按单位编码升序)。", "§5"),
    (
        "squad.disqualified",
        "取消评先评优资格",
        "有得分的成员中得分最低的两名里未完成任务者(同分时单位编码靠后者视为更低)。",
        "§5",
    ),
    (
        "squad.station_compliance",
        "驻点在岗达标",
        "驻点小分队每月驻点天数 ≥ 20 天的队员不少于2人为达标;统计 W 覆盖的各月。",
        "§5",
    ),
    ("rewards", "奖励测算", "按县奖励政策测算,单位万元;总额为各项之和。", "§6"),
    (
        "rewards.fdi",
        "实际利用外资奖励",
        "奖给商务部门:每美元0.003元,即 0.003 × W 内实际利用外资(万美元)万元。",
        "§6",
    ),
    (
        "rewards.fx_contribution",
        "现汇进资贡献奖",
        "W 内所引进项目现汇进资之和最多的单位(同额按单位编码);该单位有一笔到位 ≥ 600 万美元时奖15万元,否则0;W 内无现汇时为空。",
        "§6",
    ),
    (
        "rewards.project_5020",
        "“5020”项目奖励",
        "“5020”项目入统日期 ≤ D、总投资 ≥ 20亿元,且截至 D 固定资产投资到位 ≥ 总投资20%:奖 10 + 5 × ⌊(总投资 − 200000) ÷ 100000⌋ 万元,最多50万元;奖给引进单位;不看是否核销。",
        "§6",
    ),
    (
        "rewards.foreign_fx",
        "外资工业项目现汇奖励",
        "外资、工业类项目 W 内现汇进资 ≥ 100 万美元:奖 5 + 2 × ⌊(现汇 − 100) ÷ 100⌋ 万元,最多25万元;奖给引进单位;不看是否核销。",
        "§6",
    ),
    ("rewards.total", "奖励合计", "实际利用外资奖励 + 现汇进资贡献奖 + 各项目奖励之和。", "§6"),
    ("supervision", "督导", "问题清单按截止日 D 判断是否办结、是否逾期;信息漏斗统计 W 内报送的信息。", "§7"),
    (
        "supervision.problem_open",
        "未办结问题",
        "办结日期为空或晚于 D 的问题(只列提出日期 ≤ D 的问题)。",
        "§7",
    ),
    (
        "supervision.problem_overdue",
        "逾期问题",
        "未办结且办结时限早于 D 的问题;逾期天数 = D − 办结时限。",
        "§7",
    ),
    ("supervision.lead_funnel", "信息漏斗", "W 内报送的信息按等级、认定状态计数,并区分首报与重复。", "§7"),
    (
        "supervision.lead_conversion",
        "信息转化率",
        "W 内认定有效的首报信息中已转化为项目(填有转化项目)的比例;无有效首报时为空。",
        "§7",
    ),
    (
        "plausibility",
        "数据合理性提醒",
        "投产前无资金到位、开工超6个月近6个月无到位、开工超2个月未入统、信息待认定超30天、项目签约早于信息报送、核销后仍有到位等疑点;只作提醒,不改变任何统计。",
        "—",
    ),
]
_ENTRIES += [
    (f"county.{m}", zh, f"{_COUNTY_RULES[m]}。目标取县级年度目标任务。", "§3")
    for m, zh in COUNTY_METRICS.items()
]
_ENTRIES += [(f"unit.{m}", zh, f"{_UNIT_RULES[m]}。", "§4") for m, zh in UNIT_METRICS.items()]

DEFINITIONS: dict[str, Definition] = {
    key: Definition(key, title, text, section) for key, title, text, section in _ENTRIES
}


def definition(key: str) -> Definition:
    """The definition of ``key`` (KeyError names the missing key)."""
    return DEFINITIONS[key]
