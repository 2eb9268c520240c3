"""Invisible characters in a company name do not make a new first report (METRICS v2 §4).

The company key removes every invisible character (Unicode category Cf and the variation
selectors) before NFKC, white-space removal and case folding; keys stored before this rule are
recomputed by migration 4.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics.data import store
from analytics.data.keys import company_key, fill_company_keys
from analytics.data.store import SCHEMA_VERSION, open_database
from analytics.metrics.leads import adjudicate_leads
from tests.metrics_fixtures import add_lead, add_unit, fresh

PLAIN = "华为技术有限公司"

# Twelve spellings of PLAIN that a reader cannot tell apart.
VARIANTS = [
    "华为\u200b技术有限公司",  # zero-width space
    "华为\u200c技术有限公司",  # zero-width non-joiner
    "华为\u200d技术有限公司",  # zero-width joiner
    "\ufeff华为技术有限公司",  # byte-order mark (zero-width no-break space)
    "华为技\u00ad术有限公司",  # soft hyphen
    "华为\u2060技术有限公司",  # word joiner
    "华为技术\u200e有限公司",  # left-to-right mark
    "华为技术\u200f有限公司",  # right-to-left mark
    "\u202a华为技术有限公司\u202c",  # left-to-right embedding ... pop directional formatting
    "华\ufe0f为技术有限公司",  # variation selector 16
    "华为\u3000技术有限公司",  # ideographic space
    "\ufeff华\u200b为\u2060技\u00ad术\u200d有限公司\u200f",  # several at once
]


def test_every_invisible_variant_keys_as_the_plain_name() -> None:
    assert len(set(VARIANTS)) == 12 and PLAIN not in VARIANTS
    assert {name: company_key(name) for name in VARIANTS} == dict.fromkeys(VARIANTS, PLAIN)


def test_invisible_variants_are_duplicates_of_the_first_report() -> None:
    # L00 reports the plain name on 2026-01-01; L01..L12 report the twelve variants on the
    # following days. One company: L00 is its only first report, the twelve are its duplicates.
    con = fresh()
    add_unit(con, "t01")
    add_lead(con, "L00", "2026-01-01", PLAIN)
    for i, name in enumerate(VARIANTS, start=1):
        add_lead(con, f"L{i:02d}", f"2026-01-{i + 1:02d}", name)
    fill_company_keys(con)  # as every writer does
    verdict = adjudicate_leads(con).set_index("lead_id")
    assert list(verdict.index[verdict["is_first_report"]]) == ["L00"]
    assert verdict.loc[[f"L{i:02d}" for i in range(1, 13)], "duplicate_of"].tolist() == ["L00"] * 12


def test_migration_4_recomputes_the_stored_keys_of_a_version_3_file(tmp_path: Path) -> None:
    # A file at schema version 3 (migrations 1-3 only), whose leads carry the keys of the v1 rule:
    # invisible characters kept. Opening it applies migration 4, which recomputes every stored key.
    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    store.current_version(con)
    for number, step in enumerate(store.MIGRATIONS[:3], start=1):
        step(con)
        con.execute("INSERT INTO schema_version (version) VALUES (?)", [number]).fetchall()
    con.execute("INSERT INTO units VALUES ('t01', '镇一', 'township', '1', NULL)").fetchall()
    stale = {
        "L1": (PLAIN, PLAIN),
        "L2": (VARIANTS[0], "华为\u200b技术有限公司"),
        "L3": ("\ufeffAbc", "\ufeffabc"),
    }
    for lead_id, (company, key) in stale.items():
        con.execute(
            "INSERT INTO leads (lead_id, reported_at, reporter_unit_id, company, industry_id,"
            " intended_investment_wan, tier, status, company_key)"
            " VALUES (?, TIMESTAMP '2026-01-05 09:00', 't01', ?, 'i1', 10, 'general', 'valid', ?)",
            [lead_id, company, key],
        ).fetchall()
    con.close()

    upgraded = open_database(path)
    try:
        versions = [
            v for (v,) in upgraded.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        ]
        assert versions == list(range(1, SCHEMA_VERSION + 1))
        keys = dict(upgraded.execute("SELECT lead_id, company_key FROM leads").fetchall())
        assert keys == {"L1": PLAIN, "L2": PLAIN, "L3": "abc"}
    finally:
        upgraded.close()
