"""The year-end account (年度总账) as Word (government layout) and Excel.

Every figure is the account's (``analytics.screens.account.year_account``): the signed snapshot of
the year once signed off, else the live report as of 12-31. Amounts are printed in 万元 with two
decimals, deposits in 元; the Excel sheets hold the same rows with numbers as numbers.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analytics.core import format as fmt
from analytics.core.labels import CONSEQUENCE_LABELS, GROUP_LABELS
from analytics.documents import docx_style as style
from analytics.documents.common import ISSUER, basis_line
from analytics.documents.workbook import Sheet, workbook_bytes
from analytics.screens.account import GROUP_ORDER, YearAccount
from analytics.screens.reward_view import contents_text, reward_parts

RANKING_HEADER = ("名次", "单位", "项目引进", "项目入统", "有效信息", "得分", "完成情况", "奖项")
CONSEQUENCE_HEADER = ("单位", "结果", "依据")
SQUAD_HEADER = ("名次", "小分队", "总得分", "平均分", "完成情况", "先进单位", "取消评先评优资格", "未考核")
REWARD_HEADER = ("奖励类别", "对象", "领取人", "金额(万元)", "发放情况", "发放日期")
DEPOSIT_HEADER = ("考核对象", "缴纳(元)", "结果")
METRICS = ("signed_projects", "in_stats_projects", "valid_leads")


def _completed(value: bool | None) -> str:
    return {True: "完成", False: "未完成", None: "—"}[value]


def _of_target(row: dict[str, Any], metric: str) -> str:
    target = row["targets"].get(metric)
    actual = row["actuals"].get(metric, 0)
    return f"{actual}/{target:g}" if target is not None else f"{actual}/—"


def _amount(value: float) -> str:
    return f"{value:,.2f}"


def title(account: YearAccount) -> tuple[str, str]:
    return (
        f"{account.year}年度招商引资工作总账",
        f"（数据截至{style.chinese_date(account.as_of)}）",
    )


def ranking_rows(account: YearAccount, group: str) -> tuple[list[list[str]], list[int]]:
    """One group's rows (ranked first) and the indexes of the unranked ones (printed red)."""
    rows, red = [], []
    for r in (r for r in account.rankings if r["group"] == group):
        if r["rank"] is None:
            red.append(len(rows))
        rows.append(
            [
                r["rank_text"] if r["rank"] is not None else "未下达目标、未参与排名",
                r["name"],
                *(_of_target(r, m) for m in METRICS),
                fmt.score(r["score"]),
                _completed(r["completed"]),
                r["awards_zh"] or "—",
            ]
        )
    return rows, red


def reward_rows(account: YearAccount) -> list[list[str]]:
    rows = [
        [
            r["reward_zh"],
            r["what"],
            r["payee"],
            _amount(r["amount"]),
            r["status_zh"],
            r["paid_on"].isoformat() if r["paid_on"] else "—",
        ]
        for r in account.rewards
    ]
    totals = account.reward_totals()
    rows.append(["合计", "", "", _amount(totals["total"]), "", ""])
    rows.append(["其中:已发放", "", "", _amount(totals["paid"]), "", ""])
    rows.append(["其中:待发放", "", "", _amount(totals["due"]), "", ""])
    return rows


def deposit_rows(account: YearAccount) -> list[list[str]]:
    rows = [[d["name"], f"{d['held_yuan']:,.0f}", d["result_zh"]] for d in account.deposits]
    t = account.deposit_totals()
    rows.append(["合计缴纳", f"{t['held_yuan']:,.0f}", ""])
    rows.append(["其中:退还", f"{t['refundable_yuan']:,.0f}", ""])
    rows.append(["其中:不予退还(上缴县财政)", f"{t['forfeited_yuan']:,.0f}", ""])
    return rows


def account_docx(account: YearAccount, issued_on: date | None = None) -> bytes:
    """The account as a .docx: masthead, status, five numbered sections (six with drift), signature."""
    issued = issued_on or (account.signoff.signed_at.date() if account.signoff else date.today())
    document = style.new_document()
    style.masthead(document, "招商引资工作总账", f"{account.year}年度", ISSUER, issued)
    heading, subtitle = title(account)
    style.title(document, heading, subtitle)
    basis_line(document, account.settings)
    style.body(document, account.status_line, bold_prefix="【签署状态】")
    if account.drift or account.data_changed:
        style.body(document, _drift_text(account), bold_prefix="【注意】")

    style.heading(document, 1, "年度排名与奖项")
    number = 0
    for group in GROUP_ORDER:
        rows, red = ranking_rows(account, group)
        if not rows:
            continue
        number += 1
        style.subheading(document, number, GROUP_LABELS[group])
        style.table(document, RANKING_HEADER, rows, left_columns=(1,), red_rows=red)

    style.heading(document, 2, "奖惩结果")
    for consequence, label in CONSEQUENCE_LABELS.items():
        names = [c["name"] for c in account.consequences if c["consequence"] == consequence]
        style.body(document, ("、".join(names) or "无") + "。", bold_prefix=f"{label}:")
    if account.consequences:
        style.caption(document, "表 奖惩结果及依据")
        style.table(
            document,
            CONSEQUENCE_HEADER,
            [[c["name"], c["consequence_zh"], c["reason"]] for c in account.consequences],
            left_columns=(0, 2),
        )

    style.heading(document, 3, "产业链招商小分队考核结果")
    if account.squads:
        style.table(
            document,
            SQUAD_HEADER,
            [
                [
                    s["rank_text"],
                    s["name"],
                    fmt.score(s["score"]),
                    fmt.score(s["mean_score"]),
                    _completed(s["completed"]),
                    s["advanced"],
                    s["disqualified"],
                    s["unassessed"],
                ]
                for s in account.squads
            ],
            left_columns=(1, 5, 6, 7),
        )
    else:
        style.body(document, "暂无产业链招商小分队数据。")

    style.heading(document, 4, "奖励与奖金兑现" + ("" if account.year_over else "(预计)"))
    totals = account.reward_totals()
    style.body(
        document,
        f"按县奖励政策,{account.year}年度奖励、奖金及税收分成{'' if account.year_over else '预计'}"
        f"合计{_amount(totals['total'])}万元"
        f"({contents_text(reward_parts(account.report.get('rewards') or {}))}),"
        f"其中已发放{_amount(totals['paid'])}万元,待发放{_amount(totals['due'])}万元。"
        "已在以前年度发放的一次性奖励不再拟发。",
    )
    style.table(document, REWARD_HEADER, reward_rows(account), left_columns=(0, 1, 2))

    style.heading(document, 5, "责任金缴退" + ("" if account.year_over else "(预计)"))
    style.table(document, DEPOSIT_HEADER, deposit_rows(account), left_columns=(0, 2))
    style.signature(document, ISSUER, issued)
    return style.to_bytes(document)


def _drift_text(account: YearAccount) -> str:
    if not account.drift:
        return "签署后数据有变动,但不改变本总账的排名、奖项和奖励。"
    return "签署后数据有变动,若按现数据重新计算将变化:" + ";".join(account.drift) + "。"


def account_sheets(account: YearAccount) -> list[Sheet]:
    """The account's tables for Excel: the same rows as the Word document, numbers as numbers."""
    ranking = pd.DataFrame(
        [
            {
                "group": r["group_zh"],
                "rank": r["rank_text"],
                "name": r["name"],
                **{m: r["actuals"].get(m, 0) for m in METRICS},
                **{f"{m}_target": r["targets"].get(m) for m in METRICS},
                "score": r["score"],
                "completed": _completed(r["completed"]),
                "awards": r["awards_zh"],
            }
            for r in account.rankings
        ]
    )
    ranking_columns = {
        "group": "类别",
        "rank": "名次",
        "name": "单位",
        "signed_projects": "项目引进",
        "signed_projects_target": "项目引进目标",
        "in_stats_projects": "项目入统",
        "in_stats_projects_target": "项目入统目标",
        "valid_leads": "有效信息",
        "valid_leads_target": "有效信息目标",
        "score": "得分",
        "completed": "完成情况",
        "awards": "奖项",
    }
    ranking = ranking.reindex(columns=list(ranking_columns))
    totals = account.reward_totals()
    rewards = pd.DataFrame(
        [
            {
                "reward": r["reward_zh"],
                "what": r["what"],
                "payee": r["payee"],
                "amount": r["amount"],
                "status": r["status_zh"],
                "paid_on": r["paid_on"],
                "recorded_by": r["recorded_by"],
            }
            for r in account.rewards
        ]
        + [
            {"reward": label, "amount": totals[key]}
            for key, label in (("total", "合计"), ("paid", "其中:已发放"), ("due", "其中:待发放"))
        ],
        columns=["reward", "what", "payee", "amount", "status", "paid_on", "recorded_by"],
    )
    dep_totals = account.deposit_totals()
    deposits = pd.DataFrame(
        [{"name": d["name"], "held": d["held_yuan"], "result": d["result_zh"]} for d in account.deposits]
        + [
            {"name": "合计缴纳", "held": dep_totals["held_yuan"]},
            {"name": "其中:退还", "held": dep_totals["refundable_yuan"]},
            {"name": "其中:不予退还(上缴县财政)", "held": dep_totals["forfeited_yuan"]},
        ],
        columns=["name", "held", "result"],
    )
    squads = pd.DataFrame(account.squads)
    consequences = pd.DataFrame(account.consequences, columns=["name", "consequence_zh", "reason"])
    heading, _ = title(account)
    return [
        Sheet("排名与奖项", f"{heading}:排名与奖项", ranking, ranking_columns, scores=("score",)),
        Sheet(
            "奖惩结果",
            f"{heading}:奖惩结果",
            consequences,
            {"name": "单位", "consequence_zh": "结果", "reason": "依据"},
        ),
        Sheet(
            "小分队",
            f"{heading}:产业链招商小分队",
            squads if not squads.empty else pd.DataFrame(columns=list(_SQUAD_COLUMNS)),
            _SQUAD_COLUMNS,
            scores=("score", "mean_score"),
        ),
        Sheet(
            "奖励与奖金",
            f"{heading}:奖励与奖金(万元)",
            rewards,
            {
                "reward": "奖励类别",
                "what": "对象",
                "payee": "领取人",
                "amount": "金额(万元)",
                "status": "发放情况",
                "paid_on": "发放日期",
                "recorded_by": "登记人",
            },
            money=("amount",),
        ),
        Sheet(
            "责任金",
            f"{heading}:责任金(元)",
            deposits,
            {"name": "考核对象", "held": "缴纳(元)", "result": "结果"},
            money=("held",),
        ),
    ]


_SQUAD_COLUMNS = {
    "rank_text": "名次",
    "name": "小分队",
    "score": "总得分",
    "mean_score": "平均分",
    "completed": "完成情况",
    "targets_text": "小分队目标",
    "advanced": "先进单位",
    "disqualified": "取消评先评优资格",
    "unassessed": "未考核",
}


def account_xlsx(account: YearAccount) -> bytes:
    heading, subtitle = title(account)
    return workbook_bytes(account_sheets(account), f"{heading}{subtitle} · {account.status_line}")
