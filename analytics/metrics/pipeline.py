"""METRICS.md §8, the road from lead to production (六未 / 四个一): stages, lights, approvals, gaps, leads.

- **Stage at D.** The chain 签约 → 注册 → 供地 → 开工 → 竣工 → 投产 → 达产. A step is done when its
  date is on or before D (开工 / 投产 as §0 counts them: with ``count_verified_only`` also verified
  by D), or when any later step is done. Tracked: 开工 and 投产 always, and each milestone kind that
  appears at least once in ``milestones``. A project waits on its first tracked step not done;
  its stage is 「X未Y」 (X the tracked step before Y, 签约 for the first), or 已达产 / 已投产.
- **Light.** With a planned date ``p``: green when D ≤ p, yellow 1..``stall_yellow_days`` after,
  red beyond. Without: days waited since the previous step was done against
  ``stall_default_days[step]`` (green up to it, yellow up to 1.5×, red beyond).
- **Approvals** (规划许可、施工许可、环评、能评): each recorded one not done has its own light by its
  ``planned_on`` (green without a plan).
- **Leads in negotiation.** Stage ``contact`` … ``dropped`` (blank: ``signed`` when the lead has a
  project, else ``contact``); ``stage_age_days`` = D − ``stage_changed_on``; a lead in an open stage
  longer than ``lead_stage_stuck_days[stage]`` is stuck.
- **Four ones.** ``packaging_gaps``: the major projects (§7, ``supervision.major_project``) missing a leader, a responsible unit,
  a helper or a schedule (a planned date for the step they wait on).

The projects are the ``active`` ones (METRICS.md "The report") signed on or before D: a project
signed after D does not exist yet at D.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from analytics.core.labels import APPROVAL_KINDS, CHAIN_STEP_LABELS
from analytics.core.period import Period
from analytics.metrics import supervision, views

# The chain in order; the milestone kinds among its steps are optional (tracked when recorded).
CHAIN: tuple[str, ...] = tuple(CHAIN_STEP_LABELS)
ALWAYS_TRACKED = frozenset({"signed", "commenced", "production"})
OPEN_LEAD_STAGES: tuple[str, ...] = ("contact", "visit", "negotiating")
LEAD_STAGES: tuple[str, ...] = (*OPEN_LEAD_STAGES, "signed", "dropped")
PACKAGING_ORDER: tuple[str, ...] = ("leader", "responsible_unit", "helper", "schedule")

# §0: a commencement / production date counts only when on or before D (and verified by D when
# ``count_verified_only``); otherwise it is blank.
_COUNTED = "CASE WHEN p.{c}_date <= $as_of AND (NOT $verified_only OR p.{c}_verified_on <= $as_of) THEN p.{c}_date END"

PROJECTS_SQL = f"""
SELECT p.project_id, p.name AS project_name, p.company, p.industry_id, i.name AS industry_name,
       p.introducing_unit_id AS unit_id, u.name AS unit_name,
       p.township_id, t.name AS township_name,
       nullif(trim(p.leader_in_charge), '') AS leader_in_charge,
       p.responsible_unit_id, r.name AS responsible_unit_name, nullif(trim(p.helper), '') AS helper,
       p.total_investment_wan, p.signed_date,
       {_COUNTED.format(c="commenced")} AS commenced_on,
       {_COUNTED.format(c="production")} AS production_on,
       p.planned_commence_on, p.planned_production_on,
       {supervision.major_project("p")} AS is_major
FROM projects AS p
LEFT JOIN industries AS i ON i.industry_id = p.industry_id
LEFT JOIN units AS u ON u.unit_id = p.introducing_unit_id
LEFT JOIN units AS t ON t.unit_id = p.township_id
LEFT JOIN units AS r ON r.unit_id = p.responsible_unit_id
WHERE {views.ACTIVE} AND p.signed_date <= $as_of
ORDER BY p.project_id
"""

PROJECT_COLUMNS = [
    "project_id",
    "project_name",
    "company",
    "industry_id",
    "industry_name",
    "unit_id",
    "unit_name",
    "township_id",
    "township_name",
    "leader_in_charge",
    "responsible_unit_id",
    "responsible_unit_name",
    "helper",
    "total_investment_wan",
    "is_major",
    "signed_date",
    "stage",
    "waiting_on",
    "planned_on",
    "days_overdue",
    "days_waited",
    "light",
]


def tracked_steps(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The chain's steps this county tracks, in chain order (METRICS.md §8)."""
    recorded = {r[0] for r in con.execute("SELECT DISTINCT kind FROM milestones").fetchall()}
    return [step for step in CHAIN if step in ALWAYS_TRACKED or step in recorded]


def stage_name(previous: str, waiting_on: str | None, tracked: list[str]) -> str:
    """「X未Y」 for a project waiting on ``waiting_on`` after ``previous``; 已达产 / 已投产 when done."""
    if waiting_on is None:
        return "已" + CHAIN_STEP_LABELS[tracked[-1]]
    return f"{CHAIN_STEP_LABELS[previous]}未{CHAIN_STEP_LABELS[waiting_on]}"


def stage_names(tracked: list[str]) -> list[str]:
    """Every stage a project can wait in with these tracked steps, in chain order."""
    return [stage_name(tracked[i - 1], tracked[i], tracked) for i in range(1, len(tracked))]


def light_for(
    as_of: date,
    planned_on: date | None,
    since: date | None,
    default_days: int | float | None,
    yellow_days: int | float,
) -> str:
    """The red/yellow/green light of a step (§8): by its plan ``planned_on``, else by the days waited
    ``since`` the previous step against ``default_days`` (green without either)."""
    if planned_on is not None:
        late = (as_of - planned_on).days
        if late <= 0:
            return "green"
        return "yellow" if late <= yellow_days else "red"
    if since is None or default_days is None:
        return "green"
    waited = (as_of - since).days
    if waited <= default_days:
        return "green"
    return "yellow" if 2 * waited <= 3 * default_days else "red"  # 1.5× compared exactly


def _date(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _milestones(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], tuple[date | None, date | None]]:
    rows = con.execute("SELECT project_id, kind, planned_on, done_on FROM milestones").fetchall()
    return {(pid, kind): (planned, done) for pid, kind, planned, done in rows}


def _settings_params(period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    return views.bind(
        period, **supervision.major_params(settings), verified_only=bool(settings["count_verified_only"])
    )


def project_pipeline(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """Every active project signed by D with its §8 stage, ``waiting_on``, ``planned_on``,
    ``days_overdue`` (D − p, null without p), ``days_waited`` (since the previous step was done)
    and ``light``; plus who and where (unit, township, leader, responsible unit, helper, major).
    By ``project_id``."""
    as_of = period.as_of
    tracked = tracked_steps(con)
    marks = _milestones(con)
    projects = views.fetch_df(con, PROJECTS_SQL, _settings_params(period, settings))
    yellow_days = settings["stall_yellow_days"]
    defaults = settings["stall_default_days"]
    out: list[dict[str, Any]] = []
    for row in projects.to_dict("records"):
        pid = row["project_id"]
        done_on: dict[str, date | None] = {"signed": _date(row["signed_date"])}
        planned: dict[str, date | None] = {
            "commenced": _date(row["planned_commence_on"]),
            "production": _date(row["planned_production_on"]),
        }
        done_on["commenced"] = _date(row["commenced_on"])
        done_on["production"] = _date(row["production_on"])
        for step in ("registered", "land", "completed", "full_production"):
            plan, done = marks.get((pid, step), (None, None))
            planned[step] = plan
            done_on[step] = done if done is not None and done <= as_of else None
        # A step is done when its own date is by D or any later step is done.
        done = {step: done_on[step] is not None for step in CHAIN}
        later_done = False
        for step in reversed(CHAIN):
            later_done = later_done or done[step]
            done[step] = later_done
        waiting = next((s for s in tracked if not done[s]), None)
        record = {c: row.get(c) for c in PROJECT_COLUMNS if c in row}
        record["is_major"] = bool(row["is_major"])
        if waiting is None:
            record.update(
                stage=stage_name(tracked[-1], None, tracked),
                waiting_on=None,
                planned_on=None,
                days_overdue=None,
                days_waited=None,
                light=None,
            )
        else:
            previous = tracked[tracked.index(waiting) - 1]
            plan = planned.get(waiting)
            since = done_on[previous]
            record.update(
                stage=stage_name(previous, waiting, tracked),
                waiting_on=waiting,
                planned_on=plan,
                days_overdue=(as_of - plan).days if plan is not None else None,
                days_waited=(as_of - since).days if since is not None else None,
                light=light_for(as_of, plan, since, defaults.get(waiting), yellow_days),
            )
        out.append(record)
    frame = pd.DataFrame(out, columns=PROJECT_COLUMNS)
    for column in ("days_overdue", "days_waited"):
        frame[column] = frame[column].astype("Int64")
    return frame


def stage_light_counts(pipeline: pd.DataFrame) -> dict[str, dict[str, int]]:
    """§8 ``counts``: for each stage some project waits in (not 已投产 / 已达产), the projects of each
    light; stages in chain order."""
    waiting = pipeline[pipeline["waiting_on"].notna()]
    order = {step: i for i, step in enumerate(CHAIN)}
    counts: dict[str, dict[str, int]] = {}
    keyed = sorted(
        waiting[["stage", "waiting_on"]].drop_duplicates().itertuples(index=False),
        key=lambda r: order[r.waiting_on],
    )
    for stage, _ in keyed:
        part = waiting[waiting["stage"] == stage]
        counts[stage] = {light: int((part["light"] == light).sum()) for light in ("green", "yellow", "red")}
    return counts


def packaging_gaps(pipeline: pd.DataFrame) -> list[dict[str, Any]]:
    """§8 四个一: each major project missing any of leader, responsible unit, helper, schedule (in
    that order; a project with nothing left to wait on needs no schedule). By ``project_id``."""
    gaps = []
    for row in pipeline[pipeline["is_major"]].sort_values("project_id").to_dict("records"):
        missing = [
            name
            for name, absent in (
                ("leader", _blank(row["leader_in_charge"])),
                ("responsible_unit", _blank(row["responsible_unit_id"])),
                ("helper", _blank(row["helper"])),
                ("schedule", not _blank(row["waiting_on"]) and _blank(row["planned_on"])),
            )
            if absent
        ]
        if missing:
            gaps.append({"project_id": row["project_id"], "missing": missing})
    return gaps


def _blank(value: Any) -> bool:
    """Nothing there: None, NaN, NaT, pandas' NA or an empty text."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return True
    return not isinstance(value, str | date) and bool(pd.isna(value))


def stalled(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> dict[str, Any]:
    """``python -m analytics stalled``: METRICS.md §8's JSON object."""
    pipeline = project_pipeline(con, period, settings)
    projects = [
        {
            "project_id": r["project_id"],
            "stage": r["stage"],
            "waiting_on": None if _blank(r["waiting_on"]) else r["waiting_on"],
            "planned_on": None if _blank(r["planned_on"]) else _date(r["planned_on"]).isoformat(),
            "days_overdue": None if _blank(r["days_overdue"]) else int(r["days_overdue"]),
            "light": None if _blank(r["light"]) else r["light"],
        }
        for r in pipeline.to_dict("records")
    ]
    return {
        "as_of": period.as_of.isoformat(),
        "projects": projects,
        "counts": stage_light_counts(pipeline),
        "packaging_gaps": packaging_gaps(pipeline),
    }


# ---------------------------------------------------------------------------------------------
# approvals (要素保障)
# ---------------------------------------------------------------------------------------------


def approvals(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> pd.DataFrame:
    """Every recorded approval of an active project that is not done at D, with its light by its
    ``planned_on`` (green without a plan) and ``days_overdue`` (D − planned_on). By project, kind."""
    rows = views.fetch_df(
        con,
        f"""
        SELECT m.project_id, m.kind, m.planned_on, m.done_on
        FROM milestones AS m JOIN projects AS p ON p.project_id = m.project_id
        WHERE m.kind IN (SELECT unnest($kinds)) AND {views.ACTIVE} AND p.signed_date <= $as_of
          AND (m.done_on IS NULL OR m.done_on > $as_of)
        """,
        views.bind(period, kinds=list(APPROVAL_KINDS)),
    )
    order = {kind: i for i, kind in enumerate(APPROVAL_KINDS)}
    records = []
    for r in rows.to_dict("records"):
        plan = _date(r["planned_on"])
        records.append(
            {
                "project_id": r["project_id"],
                "kind": r["kind"],
                "planned_on": plan,
                "days_overdue": (period.as_of - plan).days if plan is not None else None,
                "light": light_for(period.as_of, plan, None, None, settings["stall_yellow_days"]),
            }
        )
    records.sort(key=lambda r: (r["project_id"], order[r["kind"]]))
    frame = pd.DataFrame(records, columns=["project_id", "kind", "planned_on", "days_overdue", "light"])
    frame["days_overdue"] = frame["days_overdue"].astype("Int64")
    return frame


def project_timeline(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any], project_id: str
) -> pd.DataFrame:
    """One project's tracked steps with planned and actual dates known at D (签约 has no plan)."""
    tracked = tracked_steps(con)
    params = {**_settings_params(period, settings), "pid": project_id}
    rows = views.fetch_dicts(con, f"SELECT * FROM ({PROJECTS_SQL}) WHERE project_id = $pid", params)
    if not rows:
        return pd.DataFrame(columns=["step", "planned_on", "done_on"])
    row = rows[0]
    marks = {
        kind: (plan, done if done is not None and done <= period.as_of else None)
        for kind, plan, done in con.execute(
            "SELECT kind, planned_on, done_on FROM milestones WHERE project_id = ?", [project_id]
        ).fetchall()
    }
    known = {
        "signed": (None, row["signed_date"]),
        "commenced": (row["planned_commence_on"], row["commenced_on"]),
        "production": (row["planned_production_on"], row["production_on"]),
    }
    steps = [(step, *(known.get(step) or marks.get(step, (None, None)))) for step in tracked]
    return pd.DataFrame(steps, columns=["step", "planned_on", "done_on"])


# ---------------------------------------------------------------------------------------------
# leads in negotiation (在谈项目库)
# ---------------------------------------------------------------------------------------------

LEAD_STAGE_SQL = """
SELECT l.lead_id, l.company, l.reporter_unit_id, u.name AS reporter_unit_name, l.industry_id,
       l.intended_investment_wan, l.project_id, CAST(l.reported_at AS DATE) AS reported_on,
       coalesce(l.stage, CASE WHEN l.project_id IS NOT NULL THEN 'signed' ELSE 'contact' END) AS stage,
       l.stage_changed_on,
       CASE WHEN l.stage_changed_on <= $as_of THEN date_diff('day', l.stage_changed_on, $as_of) END
         AS stage_age_days
FROM leads AS l LEFT JOIN units AS u ON u.unit_id = l.reporter_unit_id
WHERE CAST(l.reported_at AS DATE) BETWEEN $start AND $end
ORDER BY l.lead_id
"""


def negotiation_leads(
    con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]
) -> pd.DataFrame:
    """Leads reported in W with their negotiation ``stage``, ``stage_age_days`` and ``is_stuck``
    (an open stage held longer than ``lead_stage_stuck_days[stage]``)."""
    frame = views.fetch_df(con, LEAD_STAGE_SQL, views.bind(period))
    limits = settings["lead_stage_stuck_days"]
    limit = frame["stage"].map(lambda s: limits.get(s)).astype("Float64")
    age = frame["stage_age_days"].astype("Float64")
    frame["stage_age_days"] = frame["stage_age_days"].astype("Int64")
    frame["is_stuck"] = (age > limit).fillna(False).astype(bool)
    return frame


def lead_funnel(con: duckdb.DuckDBPyConnection, period: Period, settings: dict[str, Any]) -> pd.DataFrame:
    """The §8 funnel: leads reported in W by stage (every stage, in order), with the mean and the
    longest stage age (days) and the stuck leads of each stage."""
    leads = negotiation_leads(con, period, settings)
    rows = []
    for stage in LEAD_STAGES:
        part = leads[leads["stage"] == stage]
        ages = part["stage_age_days"].dropna()
        rows.append(
            {
                "stage": stage,
                "leads": len(part),
                "mean_age_days": float(ages.mean()) if len(ages) else None,
                "max_age_days": int(ages.max()) if len(ages) else None,
                "stuck": int(part["is_stuck"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=["stage", "leads", "mean_age_days", "max_age_days", "stuck"])
