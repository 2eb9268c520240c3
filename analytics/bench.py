"""``python -m analytics bench``: import time, full-report time and its floor, per demo scale.

For each scale: write the demo county (seed 2026, today 2026-11-24), import it into a fresh DuckDB
file, then time ``build_report`` (median of ``runs``) for Y = 2026, D = 2026-11-24. The floor is the
median time of one DuckDB scan aggregating every column the report reads from projects,
fund_arrivals, leads and the v2 tables tax_receipts, trade and deposits — what no implementation of
the report can beat (the small reference tables, units, targets and squads, are left out). Targets: scale 1 report
≤ 0.2 s; every other scale within 5× its floor.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from analytics.core.period import Period
from analytics.core.settings import effective_settings
from analytics.data.store import open_database

TODAY = date(2026, 11, 24)

# One pass over the columns the report reads (the floor): every column is aggregated once.
FLOOR_SQL = """
SELECT * FROM
 (SELECT count(*), max(project_id), max(company), max(industry_id), sum(total_investment_wan), max(source),
         bool_or(is_export_producer), max(company_rank), bool_or(is_5020), max(introducing_unit_id),
         max(signed_date), max(in_stats_date), max(commenced_date), max(production_date), max(written_off_date),
         bool_or(in_park), max(intermediary), max(in_stats_verified_on), max(commenced_verified_on),
         max(production_verified_on)
  FROM projects) AS p,
 (SELECT count(*), max(project_id), max(date), sum(amount_wan), sum(fixed_asset_wan), sum(fdi_usd_wan),
         sum(fx_usd_wan), max(verified_on)
  FROM fund_arrivals) AS a,
 (SELECT count(*), max(lead_id), max(reported_at), max(reporter_unit_id), max(company), max(company_key),
         max(status), max(validated_on)
  FROM leads) AS l,
 (SELECT count(*), max(project_id), max(month), sum(local_tax_wan) FROM tax_receipts) AS r,
 (SELECT count(*), max(month), sum(exports_usd_wan), sum(imports_usd_wan), max(city_growth) FROM trade) AS t,
 (SELECT count(*), max(deposit_id), max(year), max(scope), sum(amount_yuan) FROM deposits) AS d
"""


def _median_seconds(action, runs: int) -> tuple[float, float]:
    """(median wall-clock seconds, median process CPU seconds) of ``runs`` calls. CPU time is printed
    too because a shared machine's load inflates wall-clock time."""
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        action()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def bench_scale(scale: int, runs: int, workdir: Path) -> dict[str, Any]:
    """Measurements of one scale (seconds)."""
    from analytics.data.importer import import_path
    from analytics.demo.generator import write_demo
    from analytics.metrics.report import build_report

    folder = write_demo(workdir / f"demo_{scale}", seed=2026, scale=scale, today=TODAY)
    con = open_database(workdir / f"bench_{scale}.duckdb")
    started = time.perf_counter()
    import_path(con, folder, actor="bench", source="benchmark")
    import_seconds = time.perf_counter() - started
    rows = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
        for t in ("projects", "fund_arrivals", "leads", "tax_receipts")
    }
    period, settings = Period(TODAY.year, TODAY), effective_settings(con)
    build_report(con, period, settings)  # warm-up: caches, first-touch of the file
    con.execute(FLOOR_SQL).fetchall()
    report_seconds, report_cpu = _median_seconds(lambda: build_report(con, period, settings), runs)
    floor_seconds, floor_cpu = _median_seconds(lambda: con.execute(FLOOR_SQL).fetchall(), runs)
    con.close()
    return {"scale": scale, "rows": rows, "import_s": import_seconds, "report_s": report_seconds,
            "floor_s": floor_seconds, "ratio": report_seconds / floor_seconds, "report_cpu_s": report_cpu,
            "floor_cpu_s": floor_cpu}  # fmt: skip


def run_benchmarks(scales: list[int], runs: int) -> list[dict[str, Any]]:
    """Bench every scale and print one line each; returns the measurements."""
    results = []
    with tempfile.TemporaryDirectory(prefix="dashboard_bench_") as tmp:
        for scale in scales:
            r = bench_scale(scale, runs, Path(tmp))
            target = "≤ 0.2 s" if scale == 1 else f"≤ 5 × floor = {5 * r['floor_s']:.4f} s"
            ok = r["report_s"] <= 0.2 if scale == 1 else r["ratio"] <= 5
            print(
                f"scale {scale:>4}: rows {r['rows']} | import {r['import_s']:.2f} s | report {r['report_s']:.4f} s "
                f"(median of {runs}) | floor {r['floor_s']:.4f} s | ratio {r['ratio']:.1f}× | target {target}: "
                f"{'OK' if ok else 'MISSED'} | cpu: report {r['report_cpu_s']:.4f} s, floor {r['floor_cpu_s']:.4f} s",
                flush=True,
            )
            results.append(r)
    return results
