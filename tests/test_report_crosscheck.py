"""The report against an independent path: METRICS.md re-derived in plain pandas on a demo county.

The engine works in SQL over DuckDB with exact decimals; here the same definitions are written a
second time, straight from METRICS.md, over the generated DataFrames (no database, no shared code
beyond the demo generator). Agreement on a whole county, with its planted duplicates, write-offs
and missing targets, is strong evidence both read the contract the same way.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from crosscheck_spec import Spec, money

from analytics.core.period import Period
from analytics.core.settings import DEFAULT_SETTINGS, apply_overrides
from analytics.data.importer import load_into_memory
from analytics.demo.generator import generate_demo, write_demo
from analytics.metrics.landing import landing_rates
from analytics.metrics.report import build_report
from analytics.metrics.units import unit_results

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


# v2 §0–§4 against ``crosscheck_spec.Spec``: the rules written a second time from METRICS.md. Checked
# under the default settings and under the stricter v2 settings (verified milestones only, a 5-day
# first-report protection, per-class township statements, other tie-breakers and top-company ranks).
STRICT = {
    "count_verified_only": True,
    "first_report_protection_days": 5,
    "statement_townships": "per_class",
    "statement_departments": 2,
    "tie_breakers": ["valid_leads", "in_stats_projects"],
    "top_company_ranks": ["central_soe", "private_top100", "china500"],
    "lead_validation_cutoff": "01-05",
}


@pytest.fixture(scope="module", params=["default", "strict"])
def v2_county(request: pytest.FixtureRequest, county) -> tuple[Spec, dict, list[dict], list[dict]]:
    """(spec, the report of 2026-09-30, the landing of 2025 as of 2025-06-30, the units of 2025 in the
    year-end account of 2026-03-01, after the lead validation cutoff) under the settings."""
    tables, report = county
    settings = DEFAULT_SETTINGS if request.param == "default" else apply_overrides(DEFAULT_SETTINGS, STRICT)
    folder = write_demo(
        request.getfixturevalue("tmp_path_factory").mktemp("v2"), seed=11, scale=1, today=TODAY
    )
    con = load_into_memory(folder)
    if request.param != "default":
        report = build_report(con, Period(2026, TODAY), settings)
    earlier = landing_rates(con, Period(2025, EARLIER), settings)
    year_end = unit_results(con, Period(2025, YEAR_END_ACCOUNT), settings)
    con.close()
    return Spec(tables, settings), report, earlier, year_end


EARLIER = date(2025, 6, 30)  # the demo's 2024 cohort has a project written off on 2025-03-01
YEAR_END_ACCOUNT = date(2026, 3, 1)  # 2025's account: leads validated after the cutoff drop out


def test_v2_landing_with_write_offs(v2_county) -> None:
    spec, report, earlier, _ = v2_county
    for entry in report["landing"]:
        expected = spec.landing(entry["cohort"], TODAY)
        assert {k: entry[k] for k in expected} == expected, entry["cohort"]
    for entry in earlier:
        expected = spec.landing(entry["cohort"], EARLIER)
        assert {k: entry[k] for k in expected} == expected, entry["cohort"]
    assert sum(e["written_off"] for e in earlier) > 0


def test_v2_county_top_companies_in_stats_money_and_trade(v2_county) -> None:
    spec, report, _, _ = v2_county
    county = {row["metric"]: row for row in report["county"]}
    assert county["top_companies"]["actual"] == spec.top_companies(2026, TODAY)
    in_stats = spec.in_stats(2026, TODAY)
    assert county["in_stats_investment_wan"]["actual"] == float(
        sum(money(p["total_investment_wan"]) for p in in_stats)
    )
    start, end = spec.window(2026, TODAY)
    arrivals = [
        a for a in spec.arrivals
        if start <= a["date"] <= end
        and (not spec.settings["count_verified_only"] or (a["verified_on"] is not None and a["verified_on"] <= TODAY))
    ]  # fmt: skip
    assert county["fdi_usd_wan"]["actual"] == float(sum(money(a["fdi_usd_wan"]) for a in arrivals))
    trade, expected = county["trade_usd_wan"], spec.trade(2026, TODAY)
    assert (trade["actual"], trade["previous"]) == (float(expected["actual"]), float(expected["previous"]))
    assert (trade["city_growth"], trade["above_city"]) == (expected["city_growth"], expected["above_city"])
    assert trade["city_growth"] is not None  # the demo records the city's growth


def test_v2_year_end_account_of_units(v2_county) -> None:
    spec, _, _, year_end = v2_county
    units = spec.units_at(2025, YEAR_END_ACCOUNT)
    awards = spec.awards(units)
    for row in year_end:
        u = units[row["unit_id"]]
        assert (row["actuals"], row["rank"], row["tied"]) == (u["actuals"], u["rank"], u["tied"]), row[
            "unit_id"
        ]
        assert row["awards"] == awards[row["unit_id"]], row["unit_id"]


def test_v2_units_ranks_awards_and_mid_year_check(v2_county) -> None:
    spec, report, _, _ = v2_county
    units = spec.units_at(2026, TODAY)
    awards = spec.awards(units)
    flags = spec.mid_year(2026, TODAY, units)
    for row in report["units"]:
        u = units[row["unit_id"]]
        assert row["actuals"] == u["actuals"], row["unit_id"]
        assert row["score"] == (float(u["score"]) if u["score"] is not None else None), row["unit_id"]
        assert (row["completed"], row["rank"], row["tied"]) == (u["completed"], u["rank"], u["tied"]), row[
            "unit_id"
        ]
        assert row["signed_investment_wan"] == float(u["investment"]), row["unit_id"]
        assert row["awards"] == awards[row["unit_id"]], row["unit_id"]
        got = (row["behind_half"], row["public_statement"], row["behind_schedule"])
        assert got == flags[row["unit_id"]], row["unit_id"]
    # units by group, then rank (unranked last), then unit_id
    group_order = {"township_1": 0, "township_2": 1, "department": 2, "township": 3}
    order = [(group_order[u["group"]], u["rank"] is None, u["rank"] or 0, uid) for uid, u in units.items()]
    assert [row["unit_id"] for row in report["units"]] == [o[3] for o in sorted(order)]
    # the demo county exercises the v2 decisions
    assert any(row["public_statement"] for row in report["units"])
    assert any(row["behind_schedule"] for row in report["units"])


# ---------------------------------------------------------------------------------------------
# v2 §5 squads, §6 rewards and deposits, re-derived from METRICS.md in plain Python/pandas. Squads build
# on the report's unit scores (cross-checked above); the money is derived from the tables alone.
# ---------------------------------------------------------------------------------------------

YEAR_START = date(2026, 1, 1)
MONTHS_COUNTED = ("2026-01", TODAY.strftime("%Y-%m"))  # months of Y up to D's month, in full


def _dec(value: object) -> Decimal:
    return Decimal(repr(float(value)))


def _signed_investment(projects: pd.DataFrame, unit_id: str) -> float:
    """Σ total of the unit's projects in S (signed in W, active)."""
    mine = projects[
        (projects["introducing_unit_id"] == unit_id)
        & projects["signed_date"].map(lambda s: YEAR_START <= s <= TODAY)
        & projects.apply(lambda p: _active(p, TODAY), axis=1)
    ]
    return float(mine["total_investment_wan"].astype(float).sum())


def _squads_by_spec(tables: dict[str, pd.DataFrame], report: dict) -> list[dict]:
    """§5 for each industry-chain squad, from the report's §4 unit entries and the tables."""
    projects = _projects(tables)
    units = {u["unit_id"]: u for u in report["units"]}
    breakers = DEFAULT_SETTINGS["tie_breakers"]

    def key(u: dict) -> tuple:
        completions = [
            u["actuals"][m] / u["targets"][m] if (u["targets"].get(m) or 0) > 0 else -1.0 for m in breakers
        ]
        return (u["score"], *completions, _signed_investment(projects, u["unit_id"]))

    targets = tables["targets"]
    targets = targets[targets["year"].astype(int) == 2026]
    squads = tables["squads"]
    out = []
    for squad_id in sorted(squads[squads["kind"] == "industry_chain"]["squad_id"]):
        rows = tables["units"]
        ids = sorted(rows[(rows["kind"] == "department") & (rows["squad_id"] == squad_id)]["unit_id"])
        members = [units[i] for i in ids]
        scored = [u for u in members if u["score"] is not None]
        keys = {u["unit_id"]: key(u) for u in scored}
        actuals = {m: sum(u["actuals"][m] for u in members) for m in ("signed_projects", "in_stats_projects")}
        mine = targets[(targets["scope"] == squad_id) & targets["metric"].isin(list(actuals))]
        squad_targets = {r["metric"]: float(r["value"]) for _, r in mine.iterrows()}
        positive = {m: v for m, v in squad_targets.items() if v > 0}
        if positive:
            completed = all(actuals[m] >= v for m, v in positive.items())
        else:
            completed = all(u["completed"] for u in scored) if scored else None
        done = [u for u in scored if u["completed"]]
        advanced = (
            sorted(
                u["unit_id"] for u in done if not any(keys[o["unit_id"]] > keys[u["unit_id"]] for o in done)
            )
            if completed
            else []
        )
        disqualified = sorted(
            u["unit_id"]
            for u in scored
            if not u["completed"] and sum(1 for o in scored if keys[o["unit_id"]] < keys[u["unit_id"]]) < 2
        )
        out.append(
            {
                "squad_id": squad_id,
                "actuals": actuals,
                "targets": squad_targets,
                "score": sum(u["score"] for u in scored),
                "mean_score": sum(u["score"] for u in scored) / len(scored) if scored else None,
                "completed": completed,
                "advanced_members": advanced,
                "disqualified": disqualified,
                "unassessed": sorted(u["unit_id"] for u in members if u["score"] is None),
            }
        )
    for squad in out:
        squad["rank"] = 1 + sum(1 for o in out if o["score"] > squad["score"])
    return sorted(out, key=lambda s: (s["rank"], s["squad_id"]))


def test_v2_squads_match_an_independent_derivation(county) -> None:
    """§5 v2: actuals, squad targets, completed, advanced members, disqualified, unassessed, ranks."""
    tables, report = county
    expected = _squads_by_spec(tables, report)
    assert [s["squad_id"] for s in report["squads"]] == [s["squad_id"] for s in expected]
    for got, want in zip(report["squads"], expected, strict=True):
        for field in ("actuals", "completed", "rank", "advanced_members", "disqualified", "unassessed"):
            assert got[field] == want[field], (got["squad_id"], field)
        assert got["targets"] == pytest.approx(want["targets"]), got["squad_id"]
        assert got["score"] == pytest.approx(want["score"], rel=1e-12), got["squad_id"]
        assert got["mean_score"] == pytest.approx(want["mean_score"], rel=1e-12), got["squad_id"]


def _money_tables(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, bool]]:
    projects = _projects(tables)
    projects["is_active"] = projects.apply(lambda p: _active(p, TODAY), axis=1)
    arrivals = _dates(tables["fund_arrivals"], "date")
    arrivals = arrivals[arrivals["date"].map(lambda d: d <= TODAY)]
    industrial = dict(
        zip(tables["industries"]["industry_id"], tables["industries"]["is_industrial"], strict=True)
    )
    return projects, arrivals, {k: bool(v) for k, v in industrial.items()}


def _stepped(excess: Decimal, base: int, step: int, size: int, cap: int) -> Decimal:
    return min(Decimal(base) + Decimal(step) * (excess // Decimal(size)), Decimal(cap))


def _rewards_by_spec(tables: dict[str, pd.DataFrame], report: dict) -> dict:
    """§6 v2 from the tables (prizes from the report's awards and the squads re-derived above)."""
    projects, arrivals, industrial = _money_tables(tables)
    in_w = arrivals[arrivals["date"].map(lambda d: YEAR_START <= d <= TODAY)]
    by_project = projects.set_index("project_id")
    fdi = Decimal("0.003") * sum((_dec(v) for v in in_w["fdi_usd_wan"]), Decimal(0))
    trade = tables["trade"]
    counted = trade[(trade["month"] >= MONTHS_COUNTED[0]) & (trade["month"] <= MONTHS_COUNTED[1])]
    export = Decimal("0.003") * sum((_dec(v) for v in counted["exports_usd_wan"]), Decimal(0))

    # fx_contribution: over active projects, per introducing unit.
    fx_rows = in_w[
        in_w["project_id"].map(lambda p: bool(by_project.loc[p, "is_active"])) & (in_w["fx_usd_wan"] > 0)
    ]
    per_unit: dict[str, list[Decimal]] = {}
    for _, a in fx_rows.iterrows():
        per_unit.setdefault(by_project.loc[a["project_id"], "introducing_unit_id"], []).append(
            _dec(a["fx_usd_wan"])
        )
    fx = {"unit_id": None, "amount": 0.0, "tied": []}
    if per_unit:
        best = max(sum(v) for v in per_unit.values())
        leaders = sorted(u for u, v in per_unit.items() if sum(v) == best)
        if len(leaders) > 1:
            fx["tied"] = leaders
        else:
            fx = {
                "unit_id": leaders[0],
                "amount": 15.0 if max(per_unit[leaders[0]]) >= 600 else 0.0,
                "tied": [],
            }

    rewards = []
    for _, p in projects.sort_values("project_id").iterrows():
        if not (p["is_active"] and industrial.get(p["industry_id"], False)):
            continue
        total = _dec(p["total_investment_wan"])
        mine = arrivals[arrivals["project_id"] == p["project_id"]]
        if (
            p["is_5020"]
            and total >= 200000
            and isinstance(p["in_stats_date"], date)
            and p["in_stats_date"] <= TODAY
        ):
            running, reached = Decimal(0), None
            for day, group in sorted(mine.groupby("date"), key=lambda g: g[0]):
                running += sum((_dec(v) for v in group["fixed_asset_wan"]), Decimal(0))
                if running >= Decimal("0.2") * total:
                    reached = day
                    break
            if reached is not None and YEAR_START <= max(p["in_stats_date"], reached) <= TODAY:
                middleman = (
                    p["intermediary"]
                    if isinstance(p["intermediary"], str) and p["intermediary"].strip()
                    else None
                )
                amount = _stepped(total - 200000, 10, 5, 100000, 50)
                rewards.append((p["project_id"], "project_5020", p["introducing_unit_id"],
                                middleman or p["introducing_unit_id"], float(amount)))  # fmt: skip
        if p["source"] == "foreign":
            fx_y = sum(
                (_dec(v) for v in in_w[in_w["project_id"] == p["project_id"]]["fx_usd_wan"]), Decimal(0)
            )
            if fx_y >= 100:
                amount = _stepped(fx_y - 100, 5, 2, 100, 25)
                rewards.append((p["project_id"], "foreign_fx", p["introducing_unit_id"], p["introducing_unit_id"],
                                float(amount)))  # fmt: skip

    prizes = [(u["unit_id"], "advanced", None) for u in report["units"]
              if u["kind"] == "township" and "advanced" in u["awards"]]  # fmt: skip
    prizes += [
        (m, "squad_advanced", s["squad_id"])
        for s in _squads_by_spec(tables, report)
        for m in s["advanced_members"]
    ]
    prizes.sort(key=lambda x: (x[0], x[1]))

    kinds = dict(zip(tables["units"]["unit_id"], tables["units"]["kind"], strict=True))
    receipts = tables["tax_receipts"]
    receipts = receipts[(receipts["month"] >= MONTHS_COUNTED[0]) & (receipts["month"] <= MONTHS_COUNTED[1])]
    taxes = []
    for project_id, group in sorted(receipts.groupby("project_id"), key=lambda g: g[0]):
        p = by_project.loc[project_id]
        if not (bool(p["in_park"]) and p["is_active"]):
            continue
        tax = sum((_dec(v) for v in group["local_tax_wan"]), Decimal(0))
        share = Decimal("0.7") if kinds[p["introducing_unit_id"]] == "township" else Decimal("0.1")
        taxes.append(
            (project_id, p["introducing_unit_id"], float(tax), float(share), float(min(share * tax, 100)))
        )

    total = (fdi + export + _dec(fx["amount"]) + sum((_dec(r[4]) for r in rewards), Decimal(0))
             + 10 * len(prizes) + sum((_dec(t[4]) for t in taxes), Decimal(0)))  # fmt: skip
    return {"fdi": float(fdi), "export": float(export), "fx_contribution": fx, "projects": rewards,
            "prizes": prizes, "tax_sharing": taxes, "total": float(total)}  # fmt: skip


def test_v2_rewards_match_an_independent_derivation(county) -> None:
    """§6 v2: active projects only; 5020 once, industrial, to its intermediary; export; fx ties; prizes;
    tax sharing with its cap; the total."""
    tables, report = county
    want = _rewards_by_spec(tables, report)
    got = report["rewards"]
    assert got["fdi"] == pytest.approx(want["fdi"]) and got["export"] == pytest.approx(want["export"])
    assert got["fx_contribution"] == want["fx_contribution"]
    assert [(r["project_id"], r["reward"], r["unit_id"], r["payee"]) for r in got["projects"]] == [
        r[:4] for r in want["projects"]
    ]
    assert [r["amount"] for r in got["projects"]] == pytest.approx([r[4] for r in want["projects"]])
    assert [(p["unit_id"], p["prize"], p["squad_id"]) for p in got["prizes"]] == want["prizes"]
    assert all(p["amount"] == 10.0 for p in got["prizes"])
    assert [(t["project_id"], t["unit_id"]) for t in got["tax_sharing"]] == [
        t[:2] for t in want["tax_sharing"]
    ]
    got_tax = [v for t in got["tax_sharing"] for v in (t["tax_wan"], t["share"], t["amount"])]
    assert got_tax == pytest.approx([v for t in want["tax_sharing"] for v in t[2:]])
    assert got["total"] == pytest.approx(want["total"])


def test_v2_deposits_match_an_independent_derivation(county) -> None:
    """§6 v2 deposits: refundable / forfeited / null per scope by its two targets; rows merged; yuan."""
    tables, report = county
    actuals = {u["unit_id"]: u["actuals"] for u in report["units"]}
    actuals |= {s["squad_id"]: s["actuals"] for s in _squads_by_spec(tables, report)}
    targets = tables["targets"]
    targets = targets[targets["year"].astype(int) == 2026]
    rows = tables["deposits"][tables["deposits"]["year"].astype(int) == 2026]
    scopes = []
    for scope, group in sorted(rows.groupby("scope"), key=lambda g: g[0]):
        mine = targets[(targets["scope"] == scope) & (targets["value"].astype(float) > 0)]
        set_targets = {r["metric"]: float(r["value"]) for _, r in mine.iterrows()
                       if r["metric"] in ("signed_projects", "in_stats_projects")}  # fmt: skip
        verdict = (
            all(actuals.get(scope, {}).get(m, 0) >= v for m, v in set_targets.items())
            if set_targets
            else None
        )
        scopes.append({"scope": scope, "held_yuan": float(group["amount_yuan"].astype(float).sum()),
                       "refundable": verdict})  # fmt: skip
    got = report["deposits"]
    assert [(s["scope"], s["refundable"]) for s in got["scopes"]] == [
        (s["scope"], s["refundable"]) for s in scopes
    ]
    assert [s["held_yuan"] for s in got["scopes"]] == pytest.approx([s["held_yuan"] for s in scopes])
    assert got["held_yuan"] == pytest.approx(sum(s["held_yuan"] for s in scopes))
    assert got["refundable_yuan"] == pytest.approx(
        sum(s["held_yuan"] for s in scopes if s["refundable"] is True)
    )
    assert got["forfeited_yuan"] == pytest.approx(
        sum(s["held_yuan"] for s in scopes if s["refundable"] is False)
    )
    assert scopes, "the demo county holds deposits for 2026"
