"""The report against an independent path: METRICS.md re-derived in plain pandas on a demo county.

The engine works in SQL over DuckDB with exact decimals; here the same definitions are written a
second time, straight from METRICS.md, over the generated DataFrames (no database, no shared code
beyond the demo generator). Agreement on a whole county, with its planted duplicates, write-offs
and missing targets, is strong evidence both read the contract the same way.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import date

import pandas as pd
import pytest

from analytics.core.period import Period
from analytics.core.settings import DEFAULT_SETTINGS
from analytics.data.importer import load_into_memory
from analytics.demo.generator import generate_demo, write_demo
from analytics.metrics.report import build_report

TODAY = date(2026, 9, 30)


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, pd.DataFrame], dict]:
    tables = generate_demo(seed=11, scale=1, today=TODAY)
    folder = write_demo(tmp_path_factory.mktemp("crosscheck"), seed=11, scale=1, today=TODAY)
    con = load_into_memory(folder)
    report = build_report(con, Period(2026, TODAY), DEFAULT_SETTINGS)
    con.close()
    return tables, report


def _dates(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    frame = frame.copy()
    for c in columns:
        frame[c] = pd.Series(
            [
                None if v is None or pd.isna(v) or v == "" else date.fromisoformat(str(v)[:10])
                for v in frame[c]
            ],
            index=frame.index,
            dtype=object,
        )
    return frame


def _projects(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return _dates(
        tables["projects"],
        "signed_date",
        "in_stats_date",
        "commenced_date",
        "production_date",
        "written_off_date",
    )


def _on_or_before(value: object, day: date) -> bool:
    return isinstance(value, date) and value <= day


def _active(p: pd.Series, d: date) -> bool:
    return not isinstance(p["written_off_date"], date) or p["written_off_date"] > d


def test_landing_matches_an_independent_count(county) -> None:
    tables, report = county
    projects = _projects(tables)
    for entry in report["landing"]:
        c = entry["cohort"]
        base = projects[
            projects.apply(
                lambda p, c=c: p["signed_date"].year == c and p["signed_date"] <= TODAY and _active(p, TODAY),
                axis=1,
            )
        ]
        commenced = base["commenced_date"].map(lambda v: _on_or_before(v, TODAY)).sum()
        produced = base["production_date"].map(lambda v: _on_or_before(v, TODAY)).sum()
        assert (entry["base"], entry["commenced"], entry["produced"]) == (len(base), commenced, produced)
        assert entry["commencement_rate"] == pytest.approx(commenced / len(base))


def test_county_counts_match_an_independent_count(county) -> None:
    tables, report = county
    projects = _projects(tables)
    start = date(2026, 1, 1)
    signed = projects[
        projects.apply(lambda p: start <= p["signed_date"] <= TODAY and _active(p, TODAY), axis=1)
    ]
    in_stats = projects[
        projects.apply(
            lambda p: (
                isinstance(p["in_stats_date"], date)
                and start <= p["in_stats_date"] <= TODAY
                and _active(p, TODAY)
            ),
            axis=1,
        )
    ]
    expected = {
        "signed_projects": len(signed),
        "foreign_firms": int((signed["source"] == "foreign").sum()),
        "projects_100m": int((signed["total_investment_wan"].astype(float) >= 10000).sum()),
        "in_stats_projects_100m": int((in_stats["total_investment_wan"].astype(float) >= 10000).sum()),
        "in_stats_investment_wan": in_stats["total_investment_wan"].astype(float).sum(),
    }
    actual = {row["metric"]: row["actual"] for row in report["county"]}
    for metric, value in expected.items():
        assert actual[metric] == pytest.approx(value), metric


def _key(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def test_unit_scores_ranks_and_awards_match_an_independent_derivation(county) -> None:
    tables, report = county
    projects = _projects(tables)
    start = date(2026, 1, 1)
    leads = tables["leads"].copy()
    leads["at"] = pd.to_datetime(leads["reported_at"])
    leads["key"] = leads["company"].map(_key)
    # First report: per company key, by (reported_at, lead_id), the first lead that is not invalid.
    firsts = (
        leads[leads["status"] != "invalid"].sort_values(["at", "lead_id"]).groupby("key", sort=False).head(1)
    )
    valid_in_w = firsts[
        (firsts["status"] == "valid") & firsts["at"].map(lambda t: start <= t.date() <= TODAY)
    ]

    weights = DEFAULT_SETTINGS["unit_weights"]
    targets = tables["targets"]
    targets = targets[targets["year"].astype(int) == 2026]
    expected: dict[str, tuple[dict, float | None]] = {}
    for unit_id in tables["units"]["unit_id"]:
        actuals = {
            "signed_projects": int(
                projects.apply(
                    lambda p, u=unit_id: (
                        p["introducing_unit_id"] == u
                        and start <= p["signed_date"] <= TODAY
                        and _active(p, TODAY)
                    ),
                    axis=1,
                ).sum()
            ),
            "in_stats_projects": int(
                projects.apply(
                    lambda p, u=unit_id: (
                        p["introducing_unit_id"] == u
                        and isinstance(p["in_stats_date"], date)
                        and start <= p["in_stats_date"] <= TODAY
                        and _active(p, TODAY)
                    ),
                    axis=1,
                ).sum()
            ),
            "valid_leads": int((valid_in_w["reporter_unit_id"] == unit_id).sum()),
        }
        mine = {r["metric"]: float(r["value"]) for _, r in targets[targets["scope"] == unit_id].iterrows()}
        included = {m: mine[m] for m in actuals if mine.get(m, 0) > 0}
        score = (
            100
            * sum(weights[m] * min(actuals[m] / t, 1.5) for m, t in included.items())
            / sum(weights[m] for m in included)
            if included
            else None
        )
        expected[unit_id] = (actuals, score)

    for row in report["units"]:
        actuals, score = expected[row["unit_id"]]
        assert row["actuals"] == actuals, row["unit_id"]
        if score is None:
            assert row["score"] is None
        else:
            assert math.isclose(row["score"], score, rel_tol=1e-12), row["unit_id"]

    # Ranks: per group, score descending then unit_id; awards of the township classes.
    report_units = pd.DataFrame(report["units"])
    for group, members in report_units[report_units["score"].notna()].groupby("group"):
        order = members.sort_values(["score", "unit_id"], ascending=[False, True])
        assert list(order["rank"]) == list(range(1, len(order) + 1)), group
        if group.startswith("township"):
            first, last = order.iloc[0], order.iloc[-1]
            assert ("golden_horse" in first["awards"]) == bool(first["completed"])
            assert ("snail" in last["awards"]) == (not last["completed"])
