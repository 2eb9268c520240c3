"""The 口径 of §4 units (乡镇赛马、县直部门考核) and §5 squads, rendered from the settings.

Read by ``analytics.metrics.definitions``: the weights, cap, tie-breakers, advanced places, check
day, statement limits, validation cutoff and first-report protection are those in force.
"""

from __future__ import annotations

from typing import Any

from analytics.core.labels import METRIC_LABELS
from analytics.core.schema import UNIT_METRICS
from analytics.metrics.definitions_words import IN_STATS, S, month_day, num, pct


def unit_rules(s: dict[str, Any]) -> dict[str, str]:
    return {
        "signed_projects": f"引进单位为本单位的{S}个数",
        "in_stats_projects": f"引进单位为本单位、{IN_STATS}的个数",
        "valid_leads": "本单位在本年1月1日至截止日报送、认定有效且为首报的信息条数(同一企业只认首报);"
        f"须在次年{month_day(s['lead_validation_cutoff'])}前(且不晚于截止日)认定,未填认定日期的按报送日期算",
    }


def _weights(s: dict[str, Any]) -> str:
    w = s["unit_weights"]
    return "、".join(f"{UNIT_METRICS[m]}{num(w[m])}" for m in UNIT_METRICS)


def _tie_order(s: dict[str, Any]) -> str:
    names = "、".join(f"{METRIC_LABELS.get(m, m)}完成率" for m in s["tie_breakers"])
    return f"{names + ',再比' if names else ''}本年新签约项目总投资"


def _statement(s: dict[str, Any]) -> str:
    townships = "两类乡镇合并后" if s["statement_townships"] == "county" else "一类、二类乡镇各自"
    return (
        f"以{month_day(s['mid_year_check'])}检查日当天的结果为准(此后数据变化不改变),只在任务未过半的单位中产生:"
        f"排名最低的{num(s['statement_departments'])}个县直部门,{townships}排名最低的1个乡镇,"
        "在县电视台作公开表态发言;按得分、再按并列比较的完成率和签约投资排序,仍并列的一并公开表态,不按编码取舍。"
    )


def _advanced(s: dict[str, Any]) -> str:
    per = s["advanced_per_class"]
    return f"一类乡镇{num(per.get('1', 0))}个、二类乡镇{num(per.get('2', 0))}个"


def entries(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key, title, 口径, section) of §4 and §5 under settings ``s``."""
    cap, mid = pct(s["score_cap"]), month_day(s["mid_year_check"])
    protection = s["first_report_protection_days"]
    protection_text = (
        f"首报保护期{num(protection)}天:首报信息未转化为项目的,超过{num(protection)}天后他人再报同一企业,"
        "后报者也认定为首报(两条都计分)。"
        if protection is not None
        else "首报不设保护期:同一企业始终只认第一条。"
    )
    return [
        (
            "units",
            "乡镇赛马、县直部门考核",
            "各单位三项指标:项目引进、项目入统、有效信息;下达了目标(大于0)的指标参与计分,"
            f"得分 = 100 × Σ 权重 × min(完成率, {cap}) ÷ 参与指标的权重之和(权重 {_weights(s)});"
            f"一类乡镇、二类乡镇、县直部门分组排名,得分相同时依次比{_tie_order(s)},仍相同的并列。",
            "§4",
        ),
        (
            "unit.score",
            "综合得分",
            f"100 × Σ 权重 × min(完成率, {cap}) ÷ 参与计分指标的权重之和(权重 {_weights(s)});"
            f"单项完成率超过{cap}的按{cap}计;没有下达目标的单位不计分、不排名;显示保留两位小数。",
            "§4",
        ),
        ("unit.completed", "完成任务", "参与计分的每项指标完成率都达到100%。", "§4"),
        (
            "unit.rank",
            "排名",
            f"分一类乡镇、二类乡镇、县直部门三组,按得分从高到低;得分相同时依次比{_tie_order(s)};"
            "全部相同的并列同一名次(如1、2、2、4),不按单位编码区分。",
            "§4",
        ),
        (
            "unit.tied",
            "并列",
            f"与同组另一单位得分、{_tie_order(s)}全部相同,名次相同;奖项和公开表态名额到并列处时,并列者一并计入,由领导小组研究决定。",
            "§4",
        ),
        (
            "unit.signed_investment_wan",
            "签约投资",
            "本单位引进的本年新签约项目总投资之和(万元),得分和完成率都相同时用于排序。",
            "§4",
        ),
        (
            "unit.unranked",
            "未下达目标、未参与排名",
            "三项指标都没有下达目标(或目标为0)的单位不计分、不排名、不评奖,以红色列出,提醒补下目标。",
            "§4",
        ),
        (
            "unit.awards",
            "评先评优",
            "每类乡镇:第1名且完成任务的得骏马奖;完成任务、且排在其前面的完成任务单位少于名额的评为先进单位"
            f"({_advanced(s)},含骏马奖,并列者一并计入);末名且未完成任务的得蜗牛奖;县直部门不评。"
            "年内只说“暂列第一”“暂列末位”,奖项名称从12月31日起才使用。",
            "§4",
        ),
        (
            "unit.behind_half",
            "时间过半任务未过半",
            f"从{mid}(时间过半检查日)起,按当天的数据,任一参与计分指标完成率低于50%;此后数据变化不改变这一结论。",
            "§4",
        ),
        ("unit.public_statement", "公开表态", _statement(s), "§4"),
        (
            "unit.behind_schedule",
            "低于时序进度",
            f"{mid}之后,任一参与计分指标今天的完成率仍低于今天的时序进度;完成率追上时序进度即解除。",
            "§4",
        ),
        (
            "leads.first_report",
            "首报认定",
            "同一企业(名称统一全半角、去掉空格和不可见字符、忽略大小写)的信息按报送时间排序,"
            f"第一条非无效的信息为首报,其后各条为重复,不计分。{protection_text}",
            "§4",
        ),
        (
            "leads.validation_cutoff",
            "认定截止",
            f"本年报送的信息须在次年{month_day(s['lead_validation_cutoff'])}前认定有效,才计入本年有效信息;截止日之前的报告只计截止日前已认定的。",
            "§4",
        ),
        (
            "leads.near_duplicates",
            "疑似重复企业",
            "名称只差“有限公司/有限责任公司/股份/集团”或括号的企业,仅作提示,不改变任何统计。",
            "§4",
        ),
        *_squad_entries(s),
    ]


def _squad_entries(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (
            "squads",
            "产业链招商小分队",
            "小分队得分 = 成员部门得分之和(无得分按0计);按得分从高到低排名,同分并列。"
            "小分队有自己的项目引进、项目入统目标时,以目标是否完成判定小分队完成任务。",
            "§5",
        ),
        (
            "squad.score",
            "小分队得分",
            "成员部门(所属小分队为本队的县直部门)得分之和,无得分的成员按0计。",
            "§5",
        ),
        ("squad.mean_score", "成员平均分", "有得分成员的平均得分;都无得分时为空。", "§5"),
        ("squad.actuals", "小分队完成", "成员部门项目引进、项目入统实际之和。", "§5"),
        ("squad.targets", "小分队目标", "下达给小分队本身的项目引进、项目入统年度目标。", "§5"),
        (
            "squad.completed",
            "小分队完成任务",
            "有小分队目标时:每项目标都完成;没有时:每个有得分的成员都完成任务(都无得分时为空)。",
            "§5",
        ),
        (
            "squad.advanced_members",
            "先进成员",
            "只在小分队完成任务时评出:完成任务的成员中排序最靠前者(得分、再比并列完成率和签约投资;仍并列的都评)。",
            "§5",
        ),
        (
            "squad.disqualified",
            "取消评先评优资格",
            "有得分的成员中排序最低的两名里未完成任务者(并列在第二名处的一并计入)。",
            "§5",
        ),
        (
            "squad.unassessed",
            "未下达目标的成员",
            "没有下达任何目标的成员不计分,以红色列出:漏下目标不能让单位逃避考核。",
            "§5",
        ),
        (
            "squad.station_compliance",
            "驻点在岗达标",
            "驻点小分队只评已结束的月份(截止日所在月不评):每名队员每月驻点20天以上,且在岗队员不少于2名为达标;"
            "有队员不足20天即不达标。",
            "§5",
        ),
    ]
