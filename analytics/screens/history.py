"""What the pages show from snapshots: the mid-year verdict of its day and the quarterly rankings.

- ``mid_year_verdict``: METRICS §4 says the mid-year check is the verdict of the day ``C``, which
  later data does not move. Once the ``mid_year`` snapshot of ``Y`` exists, the flags
  ``behind_half`` and ``public_statement`` are read from it; when today's data recomputed as of ``C``
  (under the snapshot's settings) disagrees, ``changes`` says which unit's verdict would differ
  (「快照后数据有变动」). Before the snapshot exists the page keeps its live figures.
- ``ranking_history``: each unit's rank in the quarter-end snapshots of ``Y`` (季排名) and its
  movement from one quarter to the next (positive: moved up).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import GROUP_LABELS
from analytics.data import snapshots as stored
from analytics.metrics.snapshots import data_changed_since, live_report_like, mid_year_snapshot


@dataclass
class MidYearVerdict:
    snapshot_id: int
    check_day: date
    taken_at: Any
    flags: dict[str, dict[str, bool]]  # unit_id → {"behind_half", "public_statement"}
    data_changed: bool = False
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def behind_half(self) -> set[str]:
        return {u for u, f in self.flags.items() if f["behind_half"]}

    @property
    def public_statement(self) -> set[str]:
        return {u for u, f in self.flags.items() if f["public_statement"]}


def _flags(report: dict[str, Any]) -> dict[str, dict[str, bool]]:
    return {
        u["unit_id"]: {
            "behind_half": bool(u.get("behind_half")),
            "public_statement": bool(u.get("public_statement")),
        }
        for u in report.get("units", [])
    }


FLAG_LABELS = {"behind_half": "任务未过半", "public_statement": "公开表态"}


def mid_year_verdict(con: duckdb.DuckDBPyConnection, year: int) -> MidYearVerdict | None:
    """The mid-year verdict of ``year`` from its snapshot (None before the snapshot exists)."""
    snapshot = mid_year_snapshot(con, year)
    if snapshot is None:
        return None
    verdict = MidYearVerdict(
        snapshot_id=snapshot.snapshot_id,
        check_day=snapshot.as_of,
        taken_at=snapshot.created_at,
        flags=_flags(snapshot.report),
    )
    if not data_changed_since(con, snapshot):
        return verdict
    verdict.data_changed = True
    names = dict(con.execute("SELECT unit_id, name FROM units").fetchall())
    live = _flags(live_report_like(con, snapshot))
    for unit_id in sorted(set(verdict.flags) | set(live)):
        before = verdict.flags.get(unit_id, {"behind_half": False, "public_statement": False})
        now = live.get(unit_id, {"behind_half": False, "public_statement": False})
        for flag, label in FLAG_LABELS.items():
            if before[flag] != now[flag]:
                verdict.changes.append(
                    {
                        "unit_id": unit_id,
                        "name": names.get(unit_id, unit_id),
                        "flag": flag,
                        "text": f"{names.get(unit_id, unit_id)}:快照中{'是' if before[flag] else '否'}"
                        f"「{label}」,按现数据为{'是' if now[flag] else '否'}",
                    }
                )
    return verdict


def ranking_history(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """Per unit: its rank at each quarter end of ``year`` that has a snapshot, and the movement.

    Columns: ``unit_id``, ``name``, ``group``, ``group_zh``, then for each quarter ``Qn`` the rank
    (``Qn``, nullable) and, from the second quarter on, ``Qn_move`` = previous rank − rank.
    """
    quarters: dict[str, dict[str, Any]] = {}
    for snap in stored.find_snapshots(con, year=year, kind="quarter"):
        quarters[f"Q{(snap.as_of.month - 1) // 3 + 1}"] = snap.report  # the latest per quarter end
    names = dict(con.execute("SELECT unit_id, name FROM units").fetchall())
    rows: dict[str, dict[str, Any]] = {}
    for quarter in sorted(quarters):
        for u in quarters[quarter].get("units", []):
            row = rows.setdefault(
                u["unit_id"],
                {
                    "unit_id": u["unit_id"],
                    "name": names.get(u["unit_id"], u["unit_id"]),
                    "group": u["group"],
                    "group_zh": GROUP_LABELS.get(u["group"], u["group"]),
                },
            )
            row[quarter] = u.get("rank")
    frame = pd.DataFrame(list(rows.values()))
    if frame.empty:
        return frame
    ordered = sorted(quarters)
    for previous, quarter in zip(ordered, ordered[1:], strict=False):
        frame[f"{quarter}_move"] = frame[previous].astype("Float64") - frame[quarter].astype("Float64")
    for quarter in ordered:
        frame[quarter] = frame[quarter].astype("Int64")
    return frame
