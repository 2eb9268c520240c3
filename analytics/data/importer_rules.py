"""Row rules inside one table (DATA_CONTRACT.md, each table's "rule" column): date order, amounts
within amounts, kinds that go together. Rules that look into other tables are in ``importer_refs``."""

from __future__ import annotations

import pandas as pd

from analytics.core.schema import COUNTY_METRICS, UNIT_METRICS, Table
from analytics.data.importer_issues import Checker

COUNTY_SCOPE = "county"


def _date_text(value: pd.Timestamp) -> str:
    return value.strftime("%Y-%m-%d")


def not_before(
    checker: Checker, typed: pd.DataFrame, later: str, earlier: pd.Series, earlier_name: str
) -> None:
    """Flag rows where ``typed[later]`` is before ``earlier`` (both known)."""
    mask = typed[later].notna() & earlier.notna() & (typed[later] < earlier)
    if not mask.any():
        return
    zh_name = (
        checker.table.column(earlier_name).zh if earlier_name in checker.table.column_names else earlier_name
    )
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
    elif name == "fund_arrivals":
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
            "单位指标之一:" + "、".join(f"{v}({k})" for k, v in UNIT_METRICS.items()),
            "a unit metric: " + ", ".join(UNIT_METRICS),
        )


def bad_cell(checker: Checker, column: str) -> pd.Series:
    """Rows already reported for ``column`` (so a rule does not report the same cell twice)."""
    rows = {i.row for i in checker.issues if i.column == column}
    return pd.Series(checker.raw.index.isin(list(rows)), index=checker.raw.index)
