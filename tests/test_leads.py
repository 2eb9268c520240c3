"""METRICS.md §4 first report: company keys, adjudication, near-duplicate suggestions."""

from __future__ import annotations

import pytest
from metrics_fixtures import add_lead, add_unit, fresh, period, settings

from analytics.data.keys import company_key, fill_company_keys
from analytics.metrics import views
from analytics.metrics.leads import (
    adjudicate_leads,
    register_company_keys,
    suggest_near_duplicates,
)
from analytics.metrics.units import valid_leads_by_unit


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("华为 技术有限公司", "华为技术有限公司"),  # ASCII space removed
        ("华为\u3000技术有限公司", "华为技术有限公司"),  # ideographic (full-width) space removed
        ("华为\t技术\n有限公司\u00a0", "华为技术有限公司"),  # tab, newline, no-break space
        ("ＡＢＣ科技（中国）有限公司", "abc科技(中国)有限公司"),  # NFKC: full-width letters and brackets
        ("Abc Tech", "abctech"),  # case-folded
        ("STRAßE GmbH", "strassegmbh"),  # casefold, not lower: ß → ss
        ("ﬁne株式会社", "fine株式会社"),  # NFKC ligature
        ("\ufeff华为\u200b技术\u00ad有限公司\u200f", "华为技术有限公司"),  # v2: BOM, ZWSP, soft hyphen, RLM
        ("Cafe\u200d\u0301", "café"),  # v2: the joiner goes first, so e + U+0301 composes to é under NFKC
        ("", ""),
    ],
)
def test_company_key_normalises_nfkc_white_space_and_case(name: str, key: str) -> None:
    assert company_key(name) == key


def test_sql_fast_path_gives_the_same_keys_as_python() -> None:
    names = [
        "Abc Tech",
        "华为 技术",
        "ＡＢＣ",
        "a\u3000b",
        "x\ty",
        "ﬁ",
        "STRAßE",
        "（中国）",
        "Mixed 大小写 ABC",
    ]
    con = fresh()
    add_unit(con, "t01")
    for i, name in enumerate(names):
        add_lead(con, f"l{i}", "2021-01-01", name)
    register_company_keys(con)
    got = dict(con.execute(f"SELECT company, company_key FROM ({views.LEADS_WITH_KEY})").fetchall())
    assert got == {n: company_key(n) for n in names}


def _adjudicated(con) -> dict[str, tuple[bool, str | None]]:
    df = adjudicate_leads(con)
    return {
        r.lead_id: (bool(r.is_first_report), r.duplicate_of if isinstance(r.duplicate_of, str) else None)
        for r in df.itertuples()
    }


def test_first_non_invalid_lead_is_first_report_and_later_leads_are_duplicates() -> None:
    con = fresh()
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_lead(con, "a1", "2021-03-01 08:00", "甲公司", status="invalid")  # invalid: before the first report
    add_lead(con, "a2", "2021-03-02 08:00", "甲 公司", status="pending", unit="t02")  # first report (pending)
    add_lead(con, "a3", "2021-03-03 08:00", "甲公司", status="valid")  # duplicate of a2, earns nothing
    add_lead(con, "a4", "2021-03-04 08:00", "甲公司", status="invalid")  # later invalid: also a duplicate
    assert _adjudicated(con) == {
        "a1": (False, None),
        "a2": (True, None),
        "a3": (False, "a2"),
        "a4": (False, "a2"),
    }


def test_same_time_is_ordered_by_lead_id_and_all_invalid_group_has_no_first_report() -> None:
    con = fresh()
    add_unit(con, "t01")
    add_lead(con, "b2", "2021-05-01 10:00", "乙公司")
    add_lead(con, "b1", "2021-05-01 10:00", "乙公司")  # same instant: b1 < b2 → b1 first
    add_lead(con, "c1", "2021-05-01 10:00", "丙公司", status="invalid")
    add_lead(con, "c2", "2021-06-01 10:00", "丙公司", status="invalid")
    assert _adjudicated(con) == {
        "b1": (True, None),
        "b2": (False, "b1"),
        "c1": (False, None),
        "c2": (False, None),
    }


def test_reasons_are_in_chinese() -> None:
    con = fresh()
    add_unit(con, "t01")
    add_lead(con, "a1", "2021-03-01", "甲公司", status="invalid")
    add_lead(con, "a2", "2021-03-02", "ＡＢＣ公司")
    add_lead(con, "a3", "2021-03-03", "abc公司")
    reasons = dict(adjudicate_leads(con)[["lead_id", "reason"]].itertuples(index=False))
    assert reasons["a2"].startswith("首报")
    assert "a2" in reasons["a3"] and reasons["a3"].startswith("重复")
    assert reasons["a1"].startswith("无效")


def test_near_duplicates_are_suggested_but_keys_stay_apart() -> None:
    con = fresh()
    add_unit(con, "t01")
    add_lead(con, "n1", "2021-03-01", "宏达科技有限公司")
    add_lead(con, "n2", "2021-03-02", "宏达科技有限责任公司")
    add_lead(con, "n3", "2021-03-03", "宏达科技(集团)")
    add_lead(con, "n4", "2021-03-04", "别的公司")
    suggestions = suggest_near_duplicates(con)
    assert len(suggestions) == 1
    assert suggestions.iloc[0]["lead_ids"] == ["n1", "n2", "n3"]
    # the suggestion changes nothing: all three remain first reports of their own keys
    assert [v[0] for v in _adjudicated(con).values()] == [True, True, True, True]


def test_stored_keys_and_unkeyed_leads_group_together() -> None:
    # L1 is written by hand without a key (keyed on the fly: NFKC "ＡＢＣ 科技" → "abc科技");
    # L2's key is stored by fill_company_keys. Both are "abc科技": L1 first report, L2 its duplicate.
    con = fresh()
    add_unit(con, "t01")
    add_lead(con, "L1", "2026-01-05 09:00", "ＡＢＣ 科技")
    add_lead(con, "L2", "2026-01-06 09:00", "abc科技")
    con.execute("UPDATE leads SET company_key = NULL").fetchall()
    assert fill_company_keys(con) == 2  # two distinct names keyed
    con.execute("UPDATE leads SET company_key = NULL WHERE lead_id = 'L1'").fetchall()
    stored = dict(con.execute("SELECT lead_id, company_key FROM leads ORDER BY lead_id").fetchall())
    assert stored == {"L1": None, "L2": "abc科技"}
    verdict = adjudicate_leads(con).set_index("lead_id")
    assert verdict.loc["L1", "is_first_report"]
    assert verdict.loc["L2", "duplicate_of"] == "L1"
    assert set(verdict["company_key"]) == {"abc科技"}


def test_valid_first_reports_in_w_equal_the_full_adjudication_filtered(tmp_path) -> None:
    # valid_first_reports_w runs the rule only on companies with a valid lead in W; on the demo
    # county (with its planted duplicates and invalid first leads) it must pick exactly the leads
    # that the whole-history adjudication marks first report, valid and reported in W.
    import itertools
    from datetime import date

    from analytics.core.period import Period
    from analytics.core.settings import effective_settings
    from analytics.data.importer import load_into_memory
    from analytics.demo.generator import write_demo

    con = load_into_memory(write_demo(tmp_path / "demo", seed=7, scale=1, today=date(2026, 11, 20)))
    register_company_keys(con)
    protections = (None, 30)  # v2: also with first reports lapsing after 30 days
    for as_of_period, days in itertools.product(
        (Period(2025, date(2025, 12, 31)), Period(2026, date(2026, 7, 20))), protections
    ):
        params = views.bind(as_of_period, effective_settings(None, {"first_report_protection_days": days}))
        fast = views.fetch_rows(
            con, f"SELECT lead_id FROM ({views.valid_first_reports_w(lapsing=True)}) ORDER BY 1", params
        )
        full = views.fetch_rows(
            con,
            f"SELECT lead_id FROM ({views.LEAD_ADJUDICATION}) WHERE is_first_report AND status = 'valid'"
            f" AND {views.in_window('reported_at')}"
            " AND coalesce(validated_on, CAST(reported_at AS DATE)) <= $valid_by ORDER BY 1",
            params,
        )
        assert fast == full and len(full) > 20
        if days is None:  # without a protection period, the rule without the walk picks the same leads
            no_walk = views.valid_first_reports_w(lapsing=False)
            assert views.fetch_rows(con, f"SELECT lead_id FROM ({no_walk}) ORDER BY 1", params) == full


@pytest.mark.parametrize("protection_days", [None, 30])
def test_valid_leads_of_a_company_reported_by_two_units_in_the_same_second_go_to_the_smaller_lead_id(
    protection_days,
) -> None:
    """METRICS.md §4: ordered by reported_at then lead_id. The two leads are stored in the opposite
    order of their ids, so neither storage order nor the read without a protection period's walk
    (``first_reports(lapsing=False)``) can pass for the rule."""
    con = fresh()
    add_unit(con, "t01")
    add_unit(con, "t02")
    add_lead(con, "L20210501-t02-001", "2021-05-01 10:00:00", "乙公司", unit="t02")
    add_lead(con, "L20210501-t01-001", "2021-05-01 10:00:00", "乙公司", unit="t01")
    register_company_keys(con)
    p = period(2021, "2021-07-20")
    at_d, at_check = valid_leads_by_unit(con, p, p, settings(first_report_protection_days=protection_days))
    assert at_d == at_check == {"t01": 1}
