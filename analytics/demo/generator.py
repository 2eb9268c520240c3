"""The demo county (澄岭县, fictional): a deterministic dataset in the DATA_CONTRACT format (v2).

``generate_demo(seed, scale, today)`` builds every contract table as a DataFrame; it is pure: the
same arguments give the same frames, and the wall clock only enters through ``today``.
``write_demo(out_dir, ...)`` writes them as a CSV folder (``<table>.csv``, English headers, UTF-8).

History runs from 2022-01-01 (or the year before ``today`` if earlier) to ``today``; nothing that
happened is dated after ``today`` (plans and deadlines may lie ahead). ``scale`` multiplies the
volumes (projects, arrivals, leads, problems, trade); the county's units, squads and industries stay
the same. The steps, each in its own module:

- ``projects`` (signings and their life), ``shaping`` (9865, concentration, a decidable ranking),
  ``midyear`` (the check day: the tie at the public-statement limit);
- ``arrivals``, ``leads`` (first reports, duplicates, decisions, negotiation stages),
  ``supervision`` (problems with categories, station reports);
- ``progress`` (major projects, the four ones, verification and planned dates, milestones with
  every light), ``money`` (trade, tax receipts, deposits);
- ``fitting``: the targets, fitted by running the metrics engine on the generated tables.

What the current year shows (as of ``today``; early in January, with almost no data for the year
yet, the awards may not be decidable): see ``design`` and ``fitting``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from analytics.core.schema import TABLES
from analytics.data.demo_mark import DEMO_MARKER_FILE
from analytics.demo import arrivals, fitting, leads, midyear, money, progress, projects, shaping, supervision
from analytics.demo import names as N
from analytics.demo.design import ROLES
from analytics.demo.frames import frame, to_csv_frame
from analytics.demo.state import DemoState

__all__ = ["DEMO_MARKER_FILE", "ROLES", "generate_demo", "to_csv_frame", "write_demo"]


def _reference_frames() -> dict[str, pd.DataFrame]:
    return {
        "industries": frame(
            "industries",
            [
                {"industry_id": i, "name": n, "is_key": k, "is_industrial": ind}
                for i, n, k, ind in N.INDUSTRIES
            ],
        ),
        "squads": frame(
            "squads",
            [
                {
                    "squad_id": s,
                    "name": n,
                    "kind": k,
                    "industry_id": i,
                    "leader": N.LEADERS[ld],
                    "station_city": c,
                }
                for s, n, k, i, ld, c in N.SQUADS
            ],
        ),
        "units": frame(
            "units",
            [{"unit_id": u, "name": n, "kind": "township", "township_class": c} for u, n, c in N.TOWNSHIPS]
            + [{"unit_id": u, "name": n, "kind": "department", "squad_id": s} for u, n, s in N.DEPARTMENTS],
        ),
    }


def generate_demo(seed: int = 2026, scale: int = 1, today: date | None = None) -> dict[str, pd.DataFrame]:
    """The demo county's contract tables, deterministic in (seed, scale, today)."""
    g = DemoState(seed, scale, today or date.today())
    projects.generate_projects(g)
    shaping.tune_landing(g)
    shaping.tune_concentration(g)
    shaping.ensure_designed_activity(g)
    midyear.shape_projects(g)
    projects.assign_project_ids(g)
    progress.four_ones(g)
    arrivals.generate_arrivals(g)
    leads.generate_leads(g)
    midyear.shape_leads(g)
    leads.assign_lead_ids(g)
    milestones = progress.milestones(g)  # plants stalled projects' dates: before the projects frame
    frames = _reference_frames()
    frames |= {
        "projects": frame("projects", g.projects),
        "fund_arrivals": frame(
            "fund_arrivals", sorted(g.arrivals, key=lambda a: (a["project_id"], a["date"]))
        ),
        "leads": frame("leads", g.leads),
        "problems": frame("problems", supervision.generate_problems(g)),
        "station_reports": frame("station_reports", supervision.generate_station_reports(g)),
        "milestones": frame("milestones", milestones),
        "trade": frame("trade", money.trade(g)),
        "tax_receipts": frame("tax_receipts", money.tax_receipts(g)),
        "deposits": frame("deposits", money.deposits(g)),
        "targets": frame("targets", []),
    }
    frames["targets"] = frame("targets", fitting.fit_targets(g, frames))
    return {t.name: frames[t.name] for t in TABLES}


# Written beside the CSV files: importing a folder that carries it marks the database as the demo
# county's, the only kind of database on which DASHBOARD_DEMO_USERS=1 is honoured.
def write_demo(out_dir: Path, seed: int = 2026, scale: int = 1, today: date | None = None) -> Path:
    """Write the demo county as a CSV folder (one ``<table>.csv`` per table, and the demo marker
    file) and return the folder."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for table, df in generate_demo(seed, scale, today).items():
        to_csv_frame(table, df).to_csv(out_dir / f"{table}.csv", index=False, encoding="utf-8", na_rep="")
    (out_dir / DEMO_MARKER_FILE).write_text(
        f"澄岭县演示数据(虚构),由 python -m analytics demo 生成(seed={seed}, scale={scale})。\n",
        encoding="utf-8",
    )
    return out_dir
