"""Row rules inside one table (DATA_CONTRACT.md, each table's "rule" column): date order, amounts
within amounts, kinds that go together. Rules that look into other tables are in ``importer_refs``."""

from __future__ import annotations

import pandas as pd

from analytics.core.schema import COUNTY_METRICS, SQUAD_METRICS, TABLES_BY_NAME, UNIT_METRICS, Table
from analytics.data.importer_issues import Checker

COUNTY_SCOPE = "county"

# v2 (DATA_CONTRACT.md, projects): each verification date and the milestone date it confirms.
VERIFIED_MILESTONES = {
    "in_stats_verified_on": "in_stats_date",
    "commenced_verified_on": "commenced_date",
    "production_verified_on": "production_date",
}
PLANNED_DATES = ("planned_commence_on", "planned_production_on")


def _date_text(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def not_before(
    checker: Checker, typed: pd.DataFrame, later: str, earlier: pd.Series, earlier_name: str
) -> None:
    """Flag rows where ``typed[later]`` is before ``earlier`` (both known)."""
    mask = typed[later].notna() & earlier.notna() & (typed[later] < earlier)
    if not mask.any():
        return
    if earlier_name in checker.table.column_names:
        zh_name = checker.table.column(earlier_name).zh
    else:  # a referenced project's date, e.g. its signed_date
        zh_name = "项目" + TABLES_BY_NAME["projects"].column(earlier_name).zh
    texts = pd.Series(index=typed.index, dtype=object)
    for row in typed.index[mask]:
        when = _date_text(earlier.at[row])
        texts.at[row] = (f"不早于{zh_name} {when} 的日期", f"a date on or after {earlier_name} {when}")
    checker.flag_each(mask, later, texts)


def row_rules(table: Table, typed: pd.DataFrame, checker: Checker) -> None:
    """Rules inside one row (DATA_CONTRACT.md, per table)."""
    name = table.name
    if name == "projects":
        signed = typed["signed_date"]
        not_before(checker, typed, "commenced_date", signed, "signed_date")
        not_before(checker, typed, "production_date", typed["commenced_date"], "commenced_date")
        checker.flag(
            typed["production_date"].notna()
            & typed["commenced_date"].isna()
            & ~bad_cell(checker, "commenced_date"),
            "commenced_date",
            "开工日期(已填投产日期的项目必须先有开工日期)",
            "a commenced_date (production_date requires commenced_date)",
        )
        not_before(checker, typed, "in_stats_date", signed, "signed_date")
        not_before(checker, typed, "written_off_date", signed, "signed_date")
        _project_rules_v2(typed, checker)
    elif name == "fund_arrivals":
        not_before(checker, typed, "verified_on", typed["date"], "date")
        checker.flag(
            typed["fixed_asset_wan"] > typed["amount_wan"],
            "fixed_asset_wan",
            "不大于到位资金(amount_wan)的金额",
            "an amount ≤ amount_wan",
        )
        checker.flag(
            typed["fx_usd_wan"] > typed["fdi_usd_wan"],
            "fx_usd_wan",
            "不大于实际利用外资(fdi_usd_wan)的金额",
            "an amount ≤ fdi_usd_wan",
        )
    elif name == "squads":
        checker.flag(
            (typed["kind"] == "industry_chain") & typed["station_city"].notna(),
            "station_city",
            "空白(只有驻点小分队填写驻点城市)",
            "blank (only stationed squads have a station_city)",
        )
    elif name == "units":
        township = typed["kind"] == "township"
        department = typed["kind"] == "department"
        checker.flag(
            township & typed["township_class"].isna() & ~bad_cell(checker, "township_class"),
            "township_class",
            "乡镇类别 1 或 2(乡镇必填)",
            "1 or 2 (required for a township)",
        )
        checker.flag(
            department & typed["township_class"].notna(),
            "township_class",
            "空白(县直部门不填乡镇类别)",
            "blank (departments have no township_class)",
        )
        checker.flag(
            township & typed["squad_id"].notna(),
            "squad_id",
            "空白(乡镇不属于小分队)",
            "blank (townships belong to no squad)",
        )
    elif name == "leads":
        _lead_rules(typed, checker)
    elif name == "targets":
        county = typed["scope"].str.lower() == COUNTY_SCOPE
        typed.loc[county.fillna(False), "scope"] = COUNTY_SCOPE
        metric = typed["metric"]
        county = county.fillna(False)
        checker.flag(
            county & metric.notna() & ~metric.isin(list(COUNTY_METRICS)),
            "metric",
            "县级指标之一:" + "、".join(f"{v}({k})" for k, v in COUNTY_METRICS.items()),
            "a county metric: " + ", ".join(COUNTY_METRICS),
        )
        checker.flag(
            ~county & typed["scope"].notna() & metric.notna() & ~metric.isin(list(UNIT_METRICS)),
            "metric",
            "单位指标之一:"
            + "、".join(f"{v}({k})" for k, v in UNIT_METRICS.items())
            + "(小分队只用"
            + "、".join(UNIT_METRICS[m] for m in SQUAD_METRICS)
            + ")",
            "a unit metric: " + ", ".join(UNIT_METRICS) + " (a squad: " + ", ".join(SQUAD_METRICS) + ")",
        )


def _project_rules_v2(typed: pd.DataFrame, checker: Checker) -> None:
    """Verification dates confirm a milestone that happened, on or after it; the contract's
    schedule starts no earlier than the signing."""
    table = checker.table
    for verified, milestone in VERIFIED_MILESTONES.items():
        not_before(checker, typed, verified, typed[milestone], milestone)
        zh_milestone, zh_verified = table.column(milestone).zh, table.column(verified).zh
        checker.flag(
            typed[verified].notna() & typed[milestone].isna() & ~bad_cell(checker, milestone),
            verified,
            f"空白({zh_milestone}为空时不能填写{zh_verified})",
            f"blank ({verified} confirms {milestone}, which is blank)",
        )
    for planned in PLANNED_DATES:
        not_before(checker, typed, planned, typed["signed_date"], "signed_date")


def _lead_rules(typed: pd.DataFrame, checker: Checker) -> None:
    """v2: a validation date only for a decided lead, not before the lead was reported; a signed
    lead names its project. A blank stage is stored blank and read as ``contact``."""
    checker.flag(
        (typed["status"] == "pending") & typed["validated_on"].notna(),
        "validated_on",
        "空白(待认定的信息还没有认定日期)",
        "blank (a pending lead has no validated_on)",
    )
    reported_day = typed["reported_at"].dt.normalize()
    not_before(checker, typed, "validated_on", reported_day, "reported_at")
    checker.flag(
        (typed["stage"] == "signed") & typed["project_id"].isna() & ~bad_cell(checker, "project_id"),
        "project_id",
        "转化项目的项目编码(洽谈阶段为已签约的信息必须填写)",
        "a project_id (stage signed requires the project it turned into)",
    )


def bad_cell(checker: Checker, column: str) -> pd.Series:
    """Rows already reported for ``column`` (so a rule does not report the same cell twice)."""
    rows = {i.row for i in checker.issues if i.column == column}
    return pd.Series(checker.raw.index.isin(list(rows)), index=checker.raw.index)
