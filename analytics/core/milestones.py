"""The verified milestones (核验): which column holds each one's date and its verification date,
who verifies it, and how a write carries a verification over (pure, no I/O).

A project's 入统, 开工 and 投产 and every fund arrival start unverified; the verifying body confirms
them (``analytics.entry.verification``). A write from the data-entry forms or a unit's upload keeps
the stored verification only while the milestone itself is unchanged: a milestone recorded or changed
there starts as 待核验 again, and such a write never sets a verification date itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

VERIFIER_OFFICE = "office"  # a value of the ``verifier_units`` setting: the investment office


@dataclass(frozen=True)
class Milestone:
    kind: str
    table: str
    date_column: str
    verified_column: str


MILESTONES: dict[str, Milestone] = {
    "in_stats": Milestone("in_stats", "projects", "in_stats_date", "in_stats_verified_on"),
    "commenced": Milestone("commenced", "projects", "commenced_date", "commenced_verified_on"),
    "production": Milestone("production", "projects", "production_date", "production_verified_on"),
    "fund_arrival": Milestone("fund_arrival", "fund_arrivals", "date", "verified_on"),
}
KINDS: tuple[str, ...] = tuple(MILESTONES)

# The content that identifies a fund arrival (the table has no key of its own).
ARRIVAL_COLUMNS: tuple[str, ...] = (
    "project_id",
    "date",
    "amount_wan",
    "fixed_asset_wan",
    "fdi_usd_wan",
    "fx_usd_wan",
)

_UNIT_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")


class VerificationColumnRefused(ValueError):
    """A write from data entry tried to set a verification date; ``column`` names it."""

    def __init__(self, column: str) -> None:
        super().__init__("核验日期由核验单位在“核验”页面确认,填报和上传不能填写或修改。")
        self.column = column


def milestones_of(table: str) -> list[Milestone]:
    return [m for m in MILESTONES.values() if m.table == table]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value) in ("NaT", "")


def _same(a: Any, b: Any) -> bool:
    if _blank(a) and _blank(b):
        return True
    return not _blank(a) and not _blank(b) and a == b


def carry_verification(
    table: str, row: Mapping[str, Any], before: Mapping[str, Any] | None
) -> dict[str, Any]:
    """``row`` as a data-entry write stores it: each verification date is the stored one while its
    milestone is unchanged, and blank for a new or changed milestone (待核验 again).

    Raises ``VerificationColumnRefused`` when ``row`` names a verification date that is neither blank
    nor the stored one (an upload of an exported sheet carries the stored dates unchanged).
    """
    out = dict(row)
    for milestone in milestones_of(table):
        column = milestone.verified_column
        stored = before.get(column) if before is not None else None
        given = row.get(column)
        if not _blank(given) and not _same(given, stored):
            raise VerificationColumnRefused(column)
        unchanged = before is not None and _same(
            before.get(milestone.date_column), row.get(milestone.date_column)
        )
        out[column] = stored if unchanged and not _blank(row.get(milestone.date_column)) else None
    return out


def verifier_of(kind: str, settings: Mapping[str, Any]) -> str:
    """The unit code that verifies ``kind`` (``VERIFIER_OFFICE`` for the investment office), or ``""``
    when the office has not named one yet."""
    return str((settings.get("verifier_units") or {}).get(kind) or "")


def check_verifier_units(value: Mapping[str, Any]) -> None:
    """Each kind's verifier is ``office``, blank (not named yet) or a unit code."""
    for kind, unit in value.items():
        if unit in ("", VERIFIER_OFFICE):
            continue
        if not isinstance(unit, str) or not _UNIT_CODE.match(unit):
            raise ValueError(f"核验单位 {kind} 应为单位编码或 office: {unit!r}")


def arrival_content(row: Mapping[str, Any]) -> tuple:
    """What identifies a fund arrival (amounts rounded to the contract's precision)."""
    out = []
    for column in ARRIVAL_COLUMNS:
        value = row.get(column)
        out.append(round(float(value), 4) if column.endswith("_wan") and not _blank(value) else value)
    return tuple(out)


def carry_arrivals(
    stored: list[Mapping[str, Any]], uploaded: list[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """A project's uploaded arrivals replacing ``stored``: an arrival identical to a stored one keeps
    that one's verification, any other starts unverified. ``VerificationColumnRefused`` when an
    uploaded verification date is neither blank nor that of an identical stored arrival."""
    pool: dict[tuple, list[Any]] = {}
    for row in stored:
        pool.setdefault(arrival_content(row), []).append(row.get("verified_on"))
    out = []
    for row in uploaded:
        candidates = pool.get(arrival_content(row), [])
        given = row.get("verified_on")
        if not _blank(given):
            match = next((i for i, v in enumerate(candidates) if _same(v, given)), None)
            if match is None:
                raise VerificationColumnRefused("verified_on")
        else:
            match = next((i for i, v in enumerate(candidates) if _blank(v)), 0 if candidates else None)
        kept = candidates.pop(match) if match is not None else None
        out.append({**row, "verified_on": None if _blank(kept) else kept})
    return out
