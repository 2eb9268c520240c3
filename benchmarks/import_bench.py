"""Import benchmark: a 100,000-row workbook (50k projects + 50k leads + small reference tables).

    .venv/bin/python benchmarks/import_bench.py [--projects 50000] [--leads 50000] [--keep DIR]

Writes the workbook with openpyxl write_only (dates as real date cells, as a county office's
file would have them), then times reading, validating and writing into a fresh DuckDB file.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analytics.core.schema import TABLES  # noqa: E402
from analytics.data.importer import _read, validate_frames, write_dataset  # noqa: E402
from analytics.data.store import open_database  # noqa: E402


def _date_cell(sheet, value):
    if value is None:
        return None
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "yyyy-mm-dd hh:mm:ss" if isinstance(value, datetime) else "yyyy-mm-dd"
    return cell


def write_workbook(path: Path, n_projects: int, n_leads: int, seed: int = 42) -> Path:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    sheets = {t.name: wb.create_sheet(t.name) for t in TABLES if not t.optional}
    for t in TABLES:
        if t.name in sheets:
            sheets[t.name].append(t.column_names)
    industries = [f"IND{i:02d}" for i in range(1, 9)]
    for i, ind in enumerate(industries):
        sheets["industries"].append([ind, f"产业{i}", i < 5, i % 2 == 0])
    sheets["squads"].append(["SQ01", "产业链小分队", "industry_chain", "IND01", "张三", None])
    sheets["squads"].append(["SQ02", "深圳驻点", "stationed", None, "李四", "深圳"])
    towns = [f"T{i:02d}" for i in range(1, 21)]
    depts = [f"D{i:02d}" for i in range(1, 41)]
    for i, t in enumerate(towns):
        sheets["units"].append([t, f"乡镇{i}", "township", "1" if i % 2 else "2", None])
    for i, d in enumerate(depts):
        sheets["units"].append([d, f"部门{i}", "department", None, "SQ01" if i % 3 == 0 else None])
    units = towns + depts
    ps = sheets["projects"]
    start = date(2020, 1, 1)
    signed_dates = []
    for i in range(n_projects):
        signed = start + timedelta(days=rng.randrange(2000))
        signed_dates.append(signed)
        commenced = signed + timedelta(days=rng.randrange(200)) if rng.random() < 0.6 else None
        production = (
            commenced + timedelta(days=rng.randrange(300)) if commenced and rng.random() < 0.5 else None
        )
        in_stats = signed + timedelta(days=rng.randrange(365)) if rng.random() < 0.5 else None
        ps.append(
            [
                f"P{i:06d}",
                f"项目{i}",
                f"企业{i}有限公司",
                rng.choice(industries),
                round(rng.uniform(500, 300000), 2),
                rng.choice(["in_province", "out_of_province", "foreign"]),
                rng.random() < 0.1,
                rng.choice([None, None, "world500", "private_top100"]),
                rng.random() < 0.05,
                rng.choice(units),
                rng.choice(towns),
                rng.random() < 0.5,
                None,
                _date_cell(ps, signed),
                _date_cell(ps, in_stats),
                _date_cell(ps, commenced),
                _date_cell(ps, production),
                None,
                "备注" if i % 7 == 0 else None,
            ]
        )
    ls = sheets["leads"]
    for i in range(n_leads):
        reported = datetime(2020, 1, 1) + timedelta(minutes=rng.randrange(2_800_000))
        ls.append(
            [
                f"L{i:06d}",
                _date_cell(ls, reported),
                rng.choice(units),
                f"意向企业{i}",
                rng.choice(industries),
                round(rng.uniform(0, 100000), 1),
                rng.choice(["general", "important", "major"]),
                rng.choice(["pending", "valid", "invalid"]),
                f"P{rng.randrange(n_projects):06d}" if rng.random() < 0.2 else None,
            ]
        )
    sheets["targets"].append([2024, "county", "signed_projects", 30])
    wb.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=50_000)
    parser.add_argument("--leads", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the files in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        book = folder / "bench.xlsx"
        t0 = time.perf_counter()
        write_workbook(book, args.projects, args.leads)
        t1 = time.perf_counter()
        c1 = time.process_time()
        frames, issues = _read(book)
        t2, c2 = time.perf_counter(), time.process_time()
        result = validate_frames(frames, complete=True)
        t3, c3 = time.perf_counter(), time.process_time()
        if issues or result.issues:
            raise SystemExit(f"benchmark data invalid: {(issues + result.issues)[:5]}")
        dataset = {name: typed.reset_index(drop=True) for name, typed in result.tables.items()}
        db_path = folder / "bench.duckdb"
        db_path.unlink(missing_ok=True)
        con = open_database(db_path)
        t4, c4 = time.perf_counter(), time.process_time()
        write_dataset(con, dataset, actor="bench", source="benchmark")
        t5, c5 = time.perf_counter(), time.process_time()
        con.close()
        rows = args.projects + args.leads
        print(
            f"workbook: {rows:,} data rows ({args.projects:,} projects + {args.leads:,} leads), "
            f"{book.stat().st_size / 1e6:.1f} MB, written in {t1 - t0:.1f} s"
        )
        # Wall-clock seconds, and this process's CPU seconds (less sensitive to a busy machine).
        print(f"read     {t2 - t1:6.2f} s wall {c2 - c1:6.2f} s cpu   (python-calamine)")
        print(f"validate {t3 - t2:6.2f} s wall {c3 - c2:6.2f} s cpu")
        print(f"write    {t5 - t4:6.2f} s wall {c5 - c4:6.2f} s cpu   (one transaction, fresh DuckDB file)")
        wall = (t2 - t1) + (t3 - t2) + (t5 - t4)
        cpu = (c2 - c1) + (c3 - c2) + (c5 - c4)
        print(f"total    {wall:6.2f} s wall {cpu:6.2f} s cpu")


if __name__ == "__main__":
    main()
