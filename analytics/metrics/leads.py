"""METRICS.md §4, first report (首报认定制): company keys, adjudication, near-duplicate suggestions.

The company key (``company_key``, the one definition) is the name stripped of every invisible
character (Unicode category Cf: zero-width space and joiners, BOM, soft hyphen, word joiner,
direction marks ...; and the variation selectors), NFKC-normalised, stripped of every white-space
character (as Python's ``str.isspace`` defines it: ASCII blanks, the ideographic space U+3000,
no-break spaces ...) and case-folded. Writers store it with each lead (``fill_company_keys``); the
keys of names stored without one are registered back into DuckDB as ``lead_company_keys`` so that
the adjudication itself (``views.LEAD_ADJUDICATION``) runs as SQL.
"""

from __future__ import annotations

import re

import duckdb
import pandas as pd
import pyarrow as pa

from analytics.data.keys import _NOT_SQL_SAFE, company_key
from analytics.metrics import views


def register_company_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Register ``lead_company_keys(company, company_key)`` on ``con`` for the leads with no stored
    key whose key needs Python (``views.LEADS_WITH_KEY`` keys the other blank ones in SQL)."""
    rows = views.fetch_rows(
        con,
        "SELECT DISTINCT company FROM leads WHERE company_key IS NULL AND regexp_matches(company, $not_safe)",
        {"not_safe": _NOT_SQL_SAFE},
    )
    companies = [r[0] for r in rows]
    keys = [company_key(c) for c in companies]
    table = pa.table(
        {"company": pa.array(companies, pa.string()), "company_key": pa.array(keys, pa.string())}
    )
    con.register("lead_company_keys", table)


FIRST_VALID = "首报:该企业最早的非无效信息,认定有效"
FIRST_PENDING = "首报:该企业最早的非无效信息,尚待认定(认定有效后方计分)"
NOT_COUNTED = "无效信息:早于首报或同企业均无效,不参与首报认定"


def _reasons(df: pd.DataFrame) -> pd.Series:
    """The Chinese reason of each lead's decision (vectorised: a county has tens of thousands)."""
    duplicate = "重复报送:该企业已由信息 " + df["duplicate_of"].astype("string") + " 首报,不计分"
    reason = pd.Series(NOT_COUNTED, index=df.index, dtype="string")
    reason = reason.mask(df["duplicate_of"].notna(), duplicate)
    reason = reason.mask(df["is_first_report"] & (df["status"] != "valid"), FIRST_PENDING)
    reason = reason.mask(df["is_first_report"] & (df["status"] == "valid"), FIRST_VALID)
    return reason.astype(object)


def adjudicate_leads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every lead with ``company_key``, ``is_first_report``, ``duplicate_of`` and a Chinese ``reason``.

    Ordered by company key, then the group order (reported_at, lead_id). Independent of the
    period: a lead of last year can be the first report that makes this year's lead a duplicate.
    """
    register_company_keys(con)
    df = views.fetch_df(
        con,
        f"""
        SELECT lead_id, reported_at, reporter_unit_id, company, company_key, industry_id,
               intended_investment_wan, tier, status, project_id, is_first_report, duplicate_of
        FROM ({views.LEAD_ADJUDICATION})
        ORDER BY company_key, reported_at, lead_id
        """,
        {},
    )
    df["reason"] = _reasons(df) if len(df) else pd.Series(dtype="str")
    return df


# Suffixes a near-duplicate suggestion ignores, longest first (company keys are NFKC + case-folded).
_NEAR_SUFFIXES = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "股份公司",
    "集团公司",
    "公司",
    "集团",
    "股份",
)
_BRACKETS = re.compile(r"[()\[\]{}【】〔〕〖〗「」『』<>《》]")


def near_key(key: str) -> str:
    """A looser key: brackets dropped (their content kept), legal-form suffixes stripped repeatedly."""
    loose = _BRACKETS.sub("", key)
    changed = True
    while changed:
        changed = False
        for suffix in _NEAR_SUFFIXES:
            if loose.endswith(suffix) and len(loose) > len(suffix):
                loose = loose[: -len(suffix)]
                changed = True
                break
    return loose


def suggest_near_duplicates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Groups of different company keys that look alike (有限公司/集团/brackets); suggestions only.

    Columns: near_key, company_keys (list), companies (list), lead_ids (list), n_leads. Nothing
    here changes a count: the first-report rule uses the exact company key only.
    """
    register_company_keys(con)
    leads = views.fetch_df(
        con,
        f"SELECT lead_id, company, company_key FROM ({views.LEADS_WITH_KEY}) ORDER BY reported_at, lead_id",
        {},
    )
    columns = ["near_key", "company_keys", "companies", "lead_ids", "n_leads"]
    if leads.empty:
        return pd.DataFrame(columns=columns)
    # The looser key of each distinct company key once; only near keys shared by two or more
    # company keys make a suggestion, so only those groups are built.
    distinct = pd.Series(leads["company_key"].unique())
    loose_of = dict(zip(distinct, distinct.map(near_key), strict=True))
    leads["near_key"] = leads["company_key"].map(loose_of)
    spread = leads.groupby("near_key")["company_key"].nunique()
    shared = leads[leads["near_key"].isin(spread[spread > 1].index)]
    groups = []
    for loose, part in shared.groupby("near_key", sort=True):
        keys = sorted(set(part["company_key"]))
        groups.append(
            {
                "near_key": loose,
                "company_keys": keys,
                "companies": sorted(set(part["company"])),
                "lead_ids": list(part["lead_id"]),
                "n_leads": len(part),
            }
        )
    return pd.DataFrame(groups, columns=columns)
