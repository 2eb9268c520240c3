"""The demo county with hostile names: every project, company, unit, squad, leader, industry, problem
description, note, station member and lead company carries Markdown, directive or HTML payloads.

Built from the demo generator's CSV files (names renamed, ids untouched) and imported through the
normal importer, so the app sees exactly what a clerk's or the office's workbook would give it.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from analytics.data.importer import import_path
from analytics.data.store import open_database
from analytics.demo.generator import write_demo
from tests.demo_db import DEMO_SEED, DEMO_TODAY

EVIL_HOST = "evil.example"

# What a hostile clerk types into a name: a phishing link, an outside image (Markdown and HTML), a
# script, a Streamlit colour directive and icon, a bare URL (GFM autolink) and a plotly link.
HOSTILE: tuple[str, ...] = (
    "[请点此重新登录](http://evil.example/login)",
    "![x](http://evil.example/x.png)",
    "<img src=http://evil.example/y.png>",
    "<script>alert(1)</script>",
    ":red[红字]:material/home:",
    "http://evil.example/auto",
    '<a href="http://evil.example/a">链接</a>',
)

# table → text columns renamed in it
RENAMED: dict[str, tuple[str, ...]] = {
    "projects": ("name", "company", "leader_in_charge", "note"),
    "leads": ("company",),
    "units": ("name",),
    "squads": ("name", "leader"),
    "industries": ("name",),
    "problems": ("description",),
    "station_reports": ("member",),
}


def _renamer() -> Callable[[str], str]:
    """The same original text always gets the same hostile prefix (companies shared by leads and
    projects stay one company; names stay distinct)."""
    given: dict[str, str] = {}

    def rename(text: str) -> str:
        if not text:
            return text
        if text not in given:
            given[text] = HOSTILE[len(given) % len(HOSTILE)] + text
        return given[text]

    return rename


def hostile_dataset(directory: Path) -> Path:
    """The demo dataset under ``directory`` with every name in ``RENAMED`` made hostile."""
    dataset = write_demo(directory, seed=DEMO_SEED, scale=1, today=DEMO_TODAY)
    rename = _renamer()
    for table, columns in RENAMED.items():
        path = dataset / f"{table}.csv"
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        for row in rows:
            for column in columns:
                row[column] = rename(row[column])
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return dataset


def build_hostile_database(directory: Path) -> Path:
    """``hostile_dataset`` imported through the normal importer into ``directory/hostile.duckdb``."""
    dataset = hostile_dataset(directory / "dataset")
    db_path = directory / "hostile.duckdb"
    con = open_database(db_path)
    try:
        import_path(con, dataset, actor="test", source="测试")
    finally:
        con.close()
    return db_path
