"""The §4 company key (METRICS.md v2), the one definition, and storing it with each lead.

The key is the name stripped of every invisible character (Unicode category Cf: zero-width space
and joiners, BOM, soft hyphen, word joiner, direction marks ...; and the variation selectors),
NFKC-normalised, stripped of every white-space character (as Python's ``str.isspace`` defines it)
and case-folded. Writers store it with each lead (``fill_company_keys``) inside their transaction;
``analytics.metrics.leads`` adjudicates first reports on it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import cache

import duckdb
import pyarrow as pa

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
