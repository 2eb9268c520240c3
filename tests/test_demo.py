"""The demo county generator: deterministic, inside the data contract, and shaped as designed."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.core.period import Period
from analytics.core.schema import (
    BOOL,
    COUNTY_METRICS,
    DATE,
    DATETIME,
    ENUM,
    TABLES,
    UNIT_METRICS,
)
from analytics.core.settings import effective_settings
from analytics.data.importer import import_path, load_dataset
from analytics.data.store import open_database
from analytics.demo.generator import DEMO_MARKER_FILE, ROLES, company_key, generate_demo, write_demo
from analytics.metrics.report import build_report

TODAY = date(2026, 11, 20)
EARLY = date(2023, 3, 1)  # the first year of history is then 2022, the current year barely started


@pytest.fixture(scope="module")
def demo() -> dict[str, pd.DataFrame]:
    return generate_demo(seed=2026, scale=1, today=TODAY)


@pytest.fixture(scope="module")
def early() -> dict[str, pd.DataFrame]:
    return generate_demo(seed=5, scale=1, today=EARLY)


def test_same_seed_same_frames_and_different_seed_differs() -> None:
    a = generate_demo(seed=11, scale=1, today=date(2026, 7, 21))
    b = generate_demo(seed=11, scale=1, today=date(2026, 7, 21))
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    c = generate_demo(seed=12, scale=1, today=date(2026, 7, 21))
    assert not a["projects"].equals(c["projects"])
    assert not a["leads"].equals(c["leads"])


def _check_contract(frames: dict[str, pd.DataFrame], today: date) -> None:
    assert list(frames) == [t.name for t in TABLES]
    end = pd.Timestamp(today)
    for table in TABLES:
        df = frames[table.name]
        assert list(df.columns) == table.column_names, table.name
        if table.key:
            assert not df.duplicated(list(table.key)).any(), f"{table.name}: duplicate keys"
        for col in table.columns:
            s = df[col.name]
            if col.required and col.kind != BOOL:
                assert s.notna().all(), f"{table.name}.{col.name} has blanks"
            if col.kind == ENUM and col.choices:
                assert s.dropna().isin(list(col.choices)).all(), f"{table.name}.{col.name}"
            if col.kind == DATETIME:
                assert (s.dropna() < end + pd.Timedelta(days=1)).all(), f"{table.name}.{col.name} after today"
            if col.kind == DATE and col.name != "due_date":  # only a deadline may lie ahead
                assert (s.dropna() <= end).all(), f"{table.name}.{col.name} after today"
            if col.minimum is not None:
                assert (s.dropna() >= col.minimum).all(), f"{table.name}.{col.name} below minimum"
            if col.strictly_positive:
                assert (s > 0).all()
            if col.maximum is not None:
                assert (s.dropna() <= col.maximum).all()

    industries, squads, units = frames["industries"], frames["squads"], frames["units"]
    projects, arrivals, leads = frames["projects"], frames["fund_arrivals"], frames["leads"]
    industry_ids, unit_ids = set(industries["industry_id"]), set(units["unit_id"])
    townships = set(units.loc[units["kind"] == "township", "unit_id"])

    # squads and units
    assert industries["is_key"].sum() == 5
    chain = squads[squads["kind"] == "industry_chain"]
    assert len(chain) == 6 and chain["industry_id"].isna().sum() == 1
    assert set(chain["industry_id"].dropna()) <= industry_ids
    stationed = squads[squads["kind"] == "stationed"]
    assert (
        len(stationed) == 2
        and stationed["station_city"].notna().all()
        and stationed["industry_id"].isna().all()
    )
    deps = units[units["kind"] == "department"]
    assert deps["squad_id"].isin(set(chain["squad_id"])).all() and deps["township_class"].isna().all()
    towns = units[units["kind"] == "township"]
    assert towns["township_class"].isin(["1", "2"]).all() and towns["squad_id"].isna().all()

    # projects
    assert projects["industry_id"].isin(industry_ids).all()
    assert projects["introducing_unit_id"].isin(unit_ids).all()
    assert projects["township_id"].dropna().isin(townships).all()
    signed = projects["signed_date"]
    for col in ("commenced_date", "in_stats_date", "written_off_date"):
        assert (projects[col].isna() | (projects[col] >= signed)).all(), col
    assert (
        projects["production_date"].isna() | (projects["production_date"] >= projects["commenced_date"])
    ).all()
    assert (projects["production_date"].isna() | projects["commenced_date"].notna()).all()

    # fund arrivals
    joined = arrivals.merge(projects[["project_id", "signed_date", "source"]], on="project_id", how="left")
    assert joined["signed_date"].notna().all(), "arrival of an unknown project"
    assert (joined["date"] >= joined["signed_date"]).all() and (joined["date"] <= end).all()
    assert (arrivals["fixed_asset_wan"] <= arrivals["amount_wan"]).all()
    assert (arrivals["fx_usd_wan"] <= arrivals["fdi_usd_wan"]).all()
    assert (joined.loc[joined["source"] != "foreign", "fdi_usd_wan"] == 0).all()

    # leads, targets, problems, station reports
    assert leads["reporter_unit_id"].isin(unit_ids).all() and leads["industry_id"].isin(industry_ids).all()
    assert leads["project_id"].dropna().isin(set(projects["project_id"])).all()
    targets = frames["targets"]
    county = targets["scope"] == "county"
    assert targets.loc[county, "metric"].isin(list(COUNTY_METRICS)).all()
    assert targets.loc[~county, "scope"].isin(unit_ids).all()
    assert targets.loc[~county, "metric"].isin(list(UNIT_METRICS)).all()
    problems = frames["problems"]
    assert problems["project_id"].isin(set(projects["project_id"])).all()
    assert problems["responsible_unit_id"].isin(unit_ids).all()
    raised = problems.merge(projects[["project_id", "signed_date"]], on="project_id")
    assert (raised["raised_on"] >= raised["signed_date"]).all()
    assert (problems["resolved_on"].isna() | (problems["resolved_on"] >= problems["raised_on"])).all()
    reports = frames["station_reports"]
    assert reports["squad_id"].isin(set(stationed["squad_id"])).all()
    assert (reports["month"] <= today.strftime("%Y-%m")).all()
    assert reports.groupby(["squad_id", "month"]).size().between(2, 3).all()


def test_contract_rules_hold(demo: dict[str, pd.DataFrame]) -> None:
    _check_contract(demo, TODAY)


def test_contract_rules_hold_early_in_a_year(early: dict[str, pd.DataFrame]) -> None:
    _check_contract(early, EARLY)
    assert early["projects"]["signed_date"].min() >= pd.Timestamp(2022, 1, 1)


def test_volumes_and_shape(demo: dict[str, pd.DataFrame]) -> None:
    projects, leads, targets = demo["projects"], demo["leads"], demo["targets"]
    per_year = projects.groupby(projects["signed_date"].dt.year).size()
    assert per_year.loc[2022:2025].between(40, 60).all()
    assert leads.groupby(leads["reported_at"].dt.year).size().loc[2022:2025].between(120, 190).all()
    assert (projects["total_investment_wan"] >= 200000).sum() >= 4
    assert projects["is_5020"].sum() >= 3
    assert set(projects["source"]) == {"in_province", "out_of_province", "foreign"}
    assert projects["written_off_date"].notna().mean() == pytest.approx(0.05, abs=0.03)
    assert projects["note"].str.startswith("-", na=False).sum() == 1
    # uneven: the busiest unit brings several times what the median unit brings
    by_unit = projects["introducing_unit_id"].value_counts()
    assert by_unit.max() >= 4 * by_unit.median()
    # every year has a full set of targets, with the planted exceptions
    for year in range(2022, TODAY.year + 1):
        assert len(targets[(targets["year"] == year) & (targets["scope"] == "county")]) == len(COUNTY_METRICS)
    assert (targets[(targets["scope"] == "d05") & (targets["metric"] == "valid_leads")]["value"] == 0).all()
    assert targets[(targets["scope"] == "d12") & (targets["metric"] == "in_stats_projects")].empty
    # problems: some open and overdue, some raised in the last two weeks
    problems, end = demo["problems"], pd.Timestamp(TODAY)
    open_ = problems["resolved_on"].isna()
    assert (open_ & (problems["due_date"] < end)).sum() >= 3
    assert (problems["raised_on"] >= end - pd.Timedelta(days=13)).sum() >= 3
    # stationed squads: mostly on post, some months short
    reports = demo["station_reports"]
    assert 0.75 < (reports["days_on_post"] >= 20).mean() < 1


def test_scale_multiplies_volumes_with_unique_ids(demo: dict[str, pd.DataFrame]) -> None:
    big = generate_demo(seed=2026, scale=3, today=TODAY)
    ratio = len(big["projects"]) / len(demo["projects"])
    assert 2.5 < ratio < 3.5
    assert 2.5 < len(big["leads"]) / len(demo["leads"]) < 3.5
    for table in TABLES:
        if table.key:
            assert not big[table.name].duplicated(list(table.key)).any(), table.name
    _check_contract(big, TODAY)


def test_planted_duplicate_leads(demo: dict[str, pd.DataFrame]) -> None:
    leads = demo["leads"].assign(key=lambda d: d["company"].map(company_key))
    pairs = leads.merge(leads, on="key")
    pairs = pairs[(pairs["lead_id_x"] < pairs["lead_id_y"]) & (pairs["company_x"] != pairs["company_y"])]
    assert len(pairs) >= 10
    a, b = pairs["company_x"], pairs["company_y"]
    nfkc = lambda s: s.map(lambda x: unicodedata.normalize("NFKC", x))  # noqa: E731
    assert ((a.str.casefold() == b.str.casefold()) & (a != b)).any(), "a case variant"
    assert ((nfkc(a) == nfkc(b)) & (a != b)).any(), "a full-width variant"
    assert (a.str.replace(r"\s+", "", regex=True) == b.str.replace(r"\s+", "", regex=True)).any(), (
        "a spacing variant"
    )
    assert (pairs["reporter_unit_id_x"] != pairs["reporter_unit_id_y"]).all(), "reported by two units"
    # the first lead of a company turned down, a later one valid
    ordered = leads.sort_values(["reported_at", "lead_id"])
    firsts = ordered.groupby("key").head(1)
    later_valid = set(ordered[ordered.duplicated("key") & (ordered["status"] == "valid")]["key"])
    assert (firsts["status"].eq("invalid") & firsts["key"].isin(later_valid)).any()
    # names differing only by 有限公司 are different keys (only a suggestion, never merged)
    names = set(leads["company"])
    near = [n for n in names if n + "有限公司" in names]
    assert near and all(company_key(n) != company_key(n + "有限公司") for n in near)
    # statuses: pending backlog older than 30 days, and leads that became projects
    old = leads["reported_at"] < pd.Timestamp(TODAY) - pd.Timedelta(days=30)
    assert (old & (leads["status"] == "pending")).sum() >= 5
    assert set(leads["status"]) == {"pending", "valid", "invalid"}
    assert leads["project_id"].notna().sum() >= 50


def test_written_files_import_without_errors(tmp_path: Path) -> None:
    folder = write_demo(tmp_path / "demo", seed=2026, scale=1, today=TODAY)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [DEMO_MARKER_FILE] + [f"{t.name}.csv" for t in TABLES]
    )
    loaded = load_dataset(folder)  # raises ImportFailed listing every error
    assert len(loaded["projects"]) == len(generate_demo(2026, 1, TODAY)["projects"])
    raw = pd.read_csv(folder / "projects.csv", dtype=str, keep_default_na=False)
    assert raw["note"].str.startswith("-").sum() == 1
    con = open_database(":memory:")
    try:
        import_path(con, folder, actor="test", source="演示数据")
        assert con.execute("SELECT count(*) FROM leads").fetchone()[0] == len(loaded["leads"])
    finally:
        con.close()


def test_current_year_is_shaped_as_designed(tmp_path: Path) -> None:
    """Through the real importer and report: awards, half-year check, 9865, concentration, rewards."""
    folder = write_demo(tmp_path / "demo", seed=2026, scale=1, today=TODAY)
    con = open_database(":memory:")
    try:
        import_path(con, folder, actor="test", source="演示数据")
        report = build_report(con, Period(TODAY.year, TODAY), effective_settings(None, None))
    finally:
        con.close()
    units = {u["unit_id"]: u for u in report["units"]}
    for leader in ("t02", "t09"):
        assert ROLES[leader] == "leader"
        assert units[leader]["rank"] == 1 and units[leader]["completed"]
        assert "golden_horse" in units[leader]["awards"]
    for snail in ("t05", "t11"):
        assert ROLES[snail] == "snail"
        assert units[snail]["awards"] == ["snail"] and not units[snail]["completed"]
    assert units["t01"]["awards"] == ["advanced"]
    assert sum(u["behind_half"] for u in report["units"]) >= 5
    assert sum(u["public_statement"] for u in report["units"]) == 4
    statuses = {c["metric"]: c["status"] for c in report["county"]}
    assert {"met", "on_track", "behind", "far_behind"} <= set(statuses.values())
    prior, current = report["landing"]
    assert 0.9 <= prior["commencement_rate"] <= 0.94 and current["commencement_rate"] <= 0.8
    assert 0.5 <= report["concentration"]["by_investment"] <= 0.65
    assert report["rewards"]["fx_contribution"] == {"unit_id": "t01", "amount": 15.0}
    kinds = {p["reward"] for p in report["rewards"]["projects"]}
    assert kinds == {"project_5020", "foreign_fx"}
    assert any(s["advanced_member"] for s in report["squads"])
