"""Page benchmark: each dashboard page's script run time with AppTest, demo county and scale 100.

    .venv/bin/python benchmarks/page_bench.py [--scales 1 100] [--repeat 3]

For each scale, the demo dataset (``analytics.demo.write_demo``) is imported into a fresh DuckDB
file; then every page runs through ``AppTest`` at the demo's as-of date: **cold** = the first run
after clearing Streamlit's data cache (every analytics call computed), **warm** = the median of
the following runs (the cache keyed by data version, year and as-of answers). Every run shares the component
registry of the first, as the server scans the installed components once at start-up (an AppTest
would scan them again on each run: hundreds of ms no user waits for). Target: ≤ 300 ms a
page, warm, on the demo county.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from analytics.data.importer import import_path  # noqa: E402
from analytics.data.store import open_database  # noqa: E402
from analytics.demo.generator import write_demo  # noqa: E402
from tests.demo_db import DEMO_SEED, DEMO_TODAY  # noqa: E402
from tests.shared_app_test import new_app_test, remember_registry  # noqa: E402

PAGES = {
    "总览": "app_pages/cockpit.py",
    "9865 项目落地": "app_pages/landing.py",
    "产业集聚": "app_pages/industry.py",
    "乡镇赛马": "app_pages/race.py",
    "招商小分队": "app_pages/squads.py",
    "项目库": "app_pages/projects.py",
    "招商信息": "app_pages/leads.py",
    "项目推进": "app_pages/progress.py",
}
TARGET_MS = 300.0


def build(directory: Path, scale: int) -> tuple[Path, int]:
    """The demo dataset at ``scale`` imported into ``directory/bench.duckdb``; returns (path, projects)."""
    dataset = write_demo(directory / f"dataset_{scale}", seed=DEMO_SEED, scale=scale, today=DEMO_TODAY)
    path = directory / f"bench_{scale}.duckdb"
    con = open_database(path)
    try:
        import_path(con, dataset, actor="bench", source="基准测试")
        projects = con.execute("SELECT count(*) FROM projects").fetchall()[0][0]
    finally:
        con.close()
    return path, int(projects)


def run_page(page: str) -> tuple[float, bool]:
    """One AppTest run of ``page`` at the demo date: (milliseconds, raised an exception)."""
    at = new_app_test(ROOT / "app.py", default_timeout=300)
    at.session_state["global_year"] = DEMO_TODAY.year
    at.session_state["global_as_of"] = DEMO_TODAY
    at.switch_page(page)
    start = time.perf_counter()
    at.run()
    elapsed = (time.perf_counter() - start) * 1000
    remember_registry(at)
    return elapsed, bool(at.exception)


def bench(db_path: Path, repeat: int) -> dict[str, tuple[float, float, bool]]:
    os.environ["DASHBOARD_DB"] = str(db_path)
    os.environ["DASHBOARD_AUTH"] = "off"
    results = {}
    for name, page in PAGES.items():
        st.cache_data.clear()
        cold, failed = run_page(page)
        warm_runs = []
        for _ in range(repeat):
            ms, error = run_page(page)
            warm_runs.append(ms)
            failed |= error
        results[name] = (cold, statistics.median(warm_runs), failed)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        table: dict[int, dict[str, tuple[float, float, bool]]] = {}
        sizes = {}
        for scale in args.scales:
            started = time.perf_counter()
            path, sizes[scale] = build(Path(tmp), scale)
            print(f"scale {scale}: {sizes[scale]:,} projects, built in {time.perf_counter() - started:.1f} s")
            os.environ["DASHBOARD_DB"] = str(path)
            for page in PAGES.values():  # import every page's modules once, outside the timings
                run_page(page)
            table[scale] = bench(path, args.repeat)
        header = f"{'page':<14}" + "".join(f"{f'x{s} cold':>12}{f'x{s} warm':>12}" for s in args.scales)
        print()
        print(header)
        print("-" * len(header))
        for name in PAGES:
            row = f"{name:<14}"
            for scale in args.scales:
                cold, warm, failed = table[scale][name]
                flag = "!" if failed else ""
                row += f"{cold:>10.0f}ms{flag:1}{warm:>10.0f}ms "
            print(row)
        print()
        first = args.scales[0]
        slow = [n for n in PAGES if table[first][n][1] > TARGET_MS]
        print(
            f"target ≤ {TARGET_MS:.0f} ms warm at scale {first}: "
            + ("met by every page" if not slow else "missed by " + "、".join(slow))
        )
        if any(failed for scale in table.values() for *_, failed in scale.values()):
            print("! = the page raised an exception in that run")


if __name__ == "__main__":
    main()
