"""The 口径 of §6 rewards and deposits and of §8 stalled-project lights, rendered from the settings.

Read by ``analytics.metrics.definitions``. Reward amounts come from ``settings["reward_policy"]``;
a v2 figure the stored policy does not name yet is stated at its METRICS.md default.
"""

from __future__ import annotations

from typing import Any

from analytics.core.labels import MILESTONE_KIND_LABELS
from analytics.metrics.definitions_words import amount_wan, num, pct

# METRICS.md §6 v2 defaults, used when ``reward_policy`` does not carry the figure.
_V2_POLICY: dict[str, Any] = {
    "export_wan_per_usd_wan": 0.003,
    "prize_wan": 10.0,
    "tax_sharing": {"township_share": 0.7, "department_share": 0.1, "cap_wan": 100.0},
}
_STEP_LABELS = {**MILESTONE_KIND_LABELS, "commenced": "开工", "production": "投产"}


def _get(policy: dict[str, Any], *path: str) -> Any:
    node: Any = policy
    default: Any = _V2_POLICY
    for part in path:
        default = default.get(part) if isinstance(default, dict) else None
        node = node.get(part) if isinstance(node, dict) else None
    return node if node is not None else default


def _ratio(share: float) -> str:
    """A township's share as the seed says it: 0.7 → ``7:3``."""
    tenths = round(float(share) * 10, 4)
    return f"{num(tenths)}:{num(round(10 - tenths, 4))}"


def entries(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(key, title, 口径, section) of §6 and §8 under settings ``s``."""
    p = s["reward_policy"]
    fx, r5020, ffx = p["fx_contribution"], p["project_5020"], p["foreign_fx"]
    tax = {k: _get(p, "tax_sharing", k) for k in ("township_share", "department_share", "cap_wan")}
    prize = num(_get(p, "prize_wan"))
    provisional = "12月31日前为预计数,年底结算以12月31日为准。"
    return [
        (
            "rewards",
            "奖励测算",
            "按县奖励政策测算,单位万元;合计含实际利用外资奖励、出口奖励、现汇进资贡献奖、各项目奖励、"
            f"先进单位奖金和税收分成。已核销项目不得项目奖励和税收分成。{provisional}",
            "§6",
        ),
        (
            "rewards.fdi",
            "实际利用外资奖励",
            f"奖给商务部门:本年实际利用外资每美元奖励{num(p['fdi_wan_per_usd_wan'])}元。",
            "§6",
        ),
        (
            "rewards.export",
            "出口奖励",
            f"奖给商务部门:本年计入的外贸月份出口额每美元奖励{num(_get(p, 'export_wan_per_usd_wan'))}元。",
            "§6",
        ),
        (
            "rewards.fx_contribution",
            "现汇进资贡献奖",
            "本年所引进项目现汇进资之和最多的单位;该单位有一笔到位达到"
            f"{num(fx['single_arrival_min_usd_wan'])}万美元时奖{num(fx['amount_wan'])}万元,否则不奖;"
            "几个单位并列最多时暂不奖,由领导小组研究决定;本年无现汇时为空。",
            "§6",
        ),
        (
            "rewards.project_5020",
            "“5020”项目奖励",
            f"工业类“5020”项目,总投资{amount_wan(r5020['min_total_wan'])}以上、已入统,且固定资产投资到位达到总投资的"
            f"{pct(r5020['min_fixed_asset_share'])}:奖 {num(r5020['base_wan'])} + {num(r5020['step_wan'])} × "
            f"(总投资超出部分每{amount_wan(r5020['step_size_wan'])}一档)万元,最多{num(r5020['cap_wan'])}万元;"
            "只在条件满足的那一年奖一次,奖给项目中介机构(人),没有中介的奖给引进单位。",
            "§6",
        ),
        (
            "rewards.foreign_fx",
            "外资工业项目现汇奖励",
            f"外资、工业类项目本年现汇进资达到{num(ffx['min_fx_usd_wan'])}万美元:奖 {num(ffx['base_wan'])} + "
            f"{num(ffx['step_wan'])} × (超出部分每{num(ffx['step_size_usd_wan'])}万美元一档)万元,"
            f"最多{num(ffx['cap_wan'])}万元;奖给引进单位。",
            "§6",
        ),
        (
            "rewards.prizes",
            "先进单位奖金",
            f"获先进单位的乡镇、各小分队的先进成员,每个奖励{prize}万元。",
            "§6",
        ),
        (
            "rewards.tax_sharing",
            "税收分成",
            "入园项目缴纳的地方税收,按引进单位分成:乡镇"
            f"{_ratio(tax['township_share'])}(得{pct(tax['township_share'])})、县直部门"
            f"{_ratio(tax['department_share'])}(得{pct(tax['department_share'])}),"
            f"每个项目每年最多{num(tax['cap_wan'])}万元;计本年1月至截止日所在月的税收。",
            "§6",
        ),
        (
            "rewards.total",
            "奖励合计",
            "实际利用外资奖励 + 出口奖励 + 现汇进资贡献奖 + 各项目奖励 + 先进单位奖金 + 税收分成。"
            + provisional,
            "§6",
        ),
        (
            "deposits",
            "责任金",
            "各小分队、乡镇缴纳的责任金:项目引进、项目入统两项目标(有目标的)都完成的退还,"
            f"未完成的扣缴转入奖励资金,都没有目标的暂不判定。{provisional}",
            "§6",
        ),
        *_pipeline(s),
    ]


def _pipeline(s: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    limits = "、".join(
        f"{_STEP_LABELS.get(step, step)}{num(days)}天" for step, days in s["stall_default_days"].items()
    )
    return [
        (
            "pipeline.light",
            "红黄绿灯",
            f"项目正在等待的环节:有计划日期的,未超过计划为绿灯,超过1至{num(s['stall_yellow_days'])}天为黄灯,"
            f"再超过为红灯;没有计划日期的,按上一环节完成以来的天数,不超过默认时限为绿灯,"
            f"不超过1.5倍为黄灯,再超过为红灯(默认时限:{limits})。",
            "§8",
        ),
    ]
