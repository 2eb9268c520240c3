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
import sys
import unicodedata
from functools import cache

import duckdb
import pandas as pd
import pyarrow as pa

from analytics import views

_WHITE_SPACE = re.compile(r"\s+")  # for str patterns \s is exactly str.isspace()
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))


@cache
def _invisible_removed() -> dict[int, None]:
    """A ``str.translate`` table deleting every Cf character and variation selector (built once)."""
    format_chars = (c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf")
    return dict.fromkeys([*format_chars, *(c for r in _VARIATION_SELECTORS for c in r)])


def company_key(name: str | None) -> str:
    """The §4 company key: invisible characters removed, NFKC, all white space removed, case-folded.

    Invisible characters go first, so that the characters they separated compose under NFKC
    exactly as in the plain name (NFKC and case folding never produce an invisible character).
    """
    visible = (name or "").translate(_invisible_removed())
    return _WHITE_SPACE.sub("", unicodedata.normalize("NFKC", visible)).casefold()


# A name made only of these characters keeps its NFKC form (ASCII and the CJK unified ideographs
# have no decomposition, never compose and hold no invisible character), so
# ``views.LEADS_WITH_KEY`` keys it exactly in SQL: ASCII spaces removed, ASCII letters lower-cased.
# Only the other names go through Python.
_NOT_SQL_SAFE = r"[^\x{20}-\x{7e}\x{4e00}-\x{9fff}]"  # one character outside the safe ranges


def fill_company_keys(con: duckdb.DuckDBPyConnection) -> int:
    """Store the company key of every lead that has none yet; returns how many names were keyed.

    Called by every writer of ``leads`` (import, forms) inside its transaction. A form that changes
    a lead's company blanks its key first, so a stored key always belongs to the stored name.
    """
    companies = [
        r[0] for r in con.execute("SELECT DISTINCT company FROM leads WHERE company_key IS NULL").fetchall()
    ]
    if not companies:
        return 0
    keys = pa.table(
        {
            "company": pa.array(companies, pa.string()),
            "company_key": pa.array([company_key(c) for c in companies], pa.string()),
        }
    )
    con.register("_new_company_keys", keys)
    try:
        con.execute(
            "UPDATE leads SET company_key = k.company_key FROM _new_company_keys AS k"
            " WHERE leads.company_key IS NULL AND leads.company = k.company"
        ).fetchall()
    finally:
        con.unregister("_new_company_keys")
    return len(companies)


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
