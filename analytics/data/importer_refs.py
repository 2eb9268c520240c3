"""Rules that look into other tables: ids that must exist, kinds they must have, dates against a
referenced project's signing. ``References`` says what is known; an unknown part is not checked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pandas as pd

from analytics.core.schema import SQUAD_METRICS, UNIT_METRICS, Table
from analytics.data.importer_issues import Checker
from analytics.data.importer_rules import COUNTY_SCOPE, not_before


@dataclass
class References:
    """What rows of one table may point at in others. ``None`` = not known: that check is skipped.

    Built from a dataset (``from_tables``), from the database (``from_database``), or both
    (``from_database(con).overlay(from_tables(...))``), so a form that adds one project checks
    its industry and units against the database.
    """

    industry_ids: set[str] | None = None
    unit_kinds: dict[str, str] | None = None  # unit_id -> township / department
    squad_kinds: dict[str, str] | None = None  # squad_id -> industry_chain / stationed
    project_signed: dict[str, pd.Timestamp] | None = None  # project_id -> signed_date
    project_source: dict[str, str] | None = None  # project_id -> source

    @classmethod
    def from_tables(cls, tables: dict[str, pd.DataFrame]) -> References:
        refs = cls()
        if "industries" in tables:
            refs.industry_ids = set(tables["industries"]["industry_id"].dropna())
        if "units" in tables:
            units = tables["units"].dropna(subset=["unit_id"])
            refs.unit_kinds = dict(zip(units["unit_id"], units["kind"], strict=True))
        if "squads" in tables:
            squads = tables["squads"].dropna(subset=["squad_id"])
            refs.squad_kinds = dict(zip(squads["squad_id"], squads["kind"], strict=True))
        if "projects" in tables:
            projects = tables["projects"].dropna(subset=["project_id"])
            refs.project_signed = dict(zip(projects["project_id"], projects["signed_date"], strict=True))
            refs.project_source = dict(zip(projects["project_id"], projects["source"], strict=True))
        return refs

    @classmethod
    def from_database(cls, con: duckdb.DuckDBPyConnection) -> References:
        cur = con.cursor()
        try:
            tables = {
                name: cur.execute(f"SELECT * FROM {name}").df()
                for name in ("industries", "units", "squads", "projects")
            }
        finally:
            cur.close()
        return cls.from_tables(tables)

    def overlay(self, other: References) -> References:
        """These references with every field ``other`` knows replaced by ``other``'s."""
        merged = References()
        for name in self.__dataclass_fields__:
            theirs = getattr(other, name)
            setattr(merged, name, theirs if theirs is not None else getattr(self, name))
        return merged


def _must_exist(
    checker: Checker, typed: pd.DataFrame, column: str, known: Iterable[str] | None, zh: str, en: str
) -> None:
    if known is None:
        return
    values = typed[column]
    checker.flag(values.notna() & ~values.isin(list(known)), column, zh, en)


def _not_of_kind(ids: pd.Series, kinds: dict[str, str], expected: str) -> pd.Series:
    """Ids that are unknown, or whose row has a known kind other than ``expected`` (a row whose
    kind itself is malformed was reported already, so it is not blamed again here)."""
    kind = ids.map(kinds)
    unknown = ~ids.isin(list(kinds))
    return ids.notna() & (unknown | (kind.notna() & (kind != expected)))


def reference_rules(table: Table, typed: pd.DataFrame, refs: References, checker: Checker) -> None:
    """Rules that look into other tables."""
    name = table.name
    industry = ("已在产业表(industries)中登记的产业编码", "an industry_id listed in industries")
    unit = ("已在考核单位表(units)中登记的单位编码", "a unit_id listed in units")
    project = ("已在项目表(projects)中登记的项目编码", "a project_id listed in projects")
    units = refs.unit_kinds
    squads = refs.squad_kinds
    if name == "squads":
        _must_exist(checker, typed, "industry_id", refs.industry_ids, *industry)
    elif name == "units" and squads is not None:
        sid = typed["squad_id"]
        dept = (typed["kind"] == "department") & sid.notna()
        checker.flag(
            dept & _not_of_kind(sid, squads, "industry_chain"),
            "squad_id",
            "产业链小分队的编码(squads 表中类型为产业链)",
            "the squad_id of an industry_chain squad in squads",
        )
    elif name == "projects":
        _must_exist(checker, typed, "industry_id", refs.industry_ids, *industry)
        _must_exist(checker, typed, "introducing_unit_id", units, *unit)
        _must_exist(checker, typed, "responsible_unit_id", units, *unit)
        if units is not None:
            tid = typed["township_id"]
            checker.flag(
                _not_of_kind(tid, units, "township"),
                "township_id",
                "乡镇的单位编码(units 表中类型为乡镇)",
                "the unit_id of a township in units",
            )
    elif name == "fund_arrivals" and refs.project_signed is not None:
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
        not_before(checker, typed, "date", _signed_dates(typed, refs.project_signed), "signed_date")
        source = typed["project_id"].map(refs.project_source or {})
        checker.flag(
            (typed["fdi_usd_wan"] > 0) & source.notna() & (source != "foreign"),
            "fdi_usd_wan",
            "0(只有外资项目才有实际利用外资)",
            "0 (only foreign-source projects have foreign investment)",
        )
    elif name == "leads":
        _must_exist(checker, typed, "reporter_unit_id", units, *unit)
        _must_exist(checker, typed, "industry_id", refs.industry_ids, *industry)
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
    elif name == "targets" and units is not None:
        _target_scopes(typed, units, squads, checker)
    elif name == "problems":
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
        _must_exist(checker, typed, "responsible_unit_id", units, *unit)
    elif name in ("milestones", "tax_receipts") and refs.project_signed is not None:
        _must_exist(checker, typed, "project_id", refs.project_signed, *project)
        if name == "milestones":
            not_before(checker, typed, "done_on", _signed_dates(typed, refs.project_signed), "signed_date")
    elif name == "deposits" and units is not None and squads is not None:
        scope = typed["scope"]
        township = scope.map(units) == "township"
        checker.flag(
            scope.notna() & ~township & ~scope.isin(list(squads)),
            "scope",
            "小分队编码(squads 表)或乡镇的单位编码(units 表中类型为乡镇)",
            "a squad_id listed in squads or the unit_id of a township in units",
        )
    elif name == "station_reports" and squads is not None:
        sid = typed["squad_id"]
        checker.flag(
            _not_of_kind(sid, squads, "stationed"),
            "squad_id",
            "驻点小分队的编码(squads 表中类型为驻点)",
            "the squad_id of a stationed squad in squads",
        )


def _signed_dates(typed: pd.DataFrame, project_signed: dict[str, pd.Timestamp]) -> pd.Series:
    """Each row's project's signed_date (NaT for an unknown project)."""
    signed = typed["project_id"].map(project_signed)
    return pd.to_datetime(signed, errors="coerce").astype("datetime64[us]")


def _target_scopes(
    typed: pd.DataFrame, units: dict[str, str], squads: dict[str, str] | None, checker: Checker
) -> None:
    """v2: a target's scope is the county, a unit or an industry-chain squad (never an id that is
    both a unit and a squad), and a squad has targets only for ``SQUAD_METRICS``."""
    scope = typed["scope"]
    known_squads = squads or {}
    chain = scope.map(known_squads) == "industry_chain"
    is_unit = scope.isin(list(units))
    checker.flag(
        scope.notna() & (scope != COUNTY_SCOPE) & ~is_unit & ~chain,
        "scope",
        "county(全县)、考核单位表(units)中的单位编码或产业链小分队的编码(squads 表中类型为产业链)",
        "county, a unit_id listed in units or the squad_id of an industry_chain squad",
    )
    checker.flag(
        is_unit & scope.isin(list(known_squads)),
        "scope",
        "只指一个对象的编码(此编码既是单位编码又是小分队编码,请改用不同的编码)",
        "an id naming one scope (this id is both a unit_id and a squad_id)",
    )
    metric = typed["metric"]
    # A squad's metric outside the unit metrics was reported by the row rules already.
    checker.flag(
        chain & ~is_unit & metric.isin(list(UNIT_METRICS)) & ~metric.isin(list(SQUAD_METRICS)),
        "metric",
        "小分队指标之一:" + "、".join(f"{UNIT_METRICS[m]}({m})" for m in SQUAD_METRICS),
        "a squad metric: " + ", ".join(SQUAD_METRICS),
    )
