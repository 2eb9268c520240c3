"""Loading a validated dataset: replace-all in one transaction, the shrink guard, one audit entry
per table naming the ids added, changed and removed."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from analytics.core.schema import DATE, DATETIME, TABLE_ORDER, TABLES, TABLES_BY_NAME, Table
from analytics.data.demo_mark import is_demo_dataset, mark_demo_database
from analytics.data.importer_issues import ImportFailed, sorted_issues
from analytics.data.importer_read import read_path
from analytics.data.importer_validate import validate_frames
from analytics.data.keys import fill_company_keys
from analytics.data.store import VERSIONED_TABLES, open_database, record_audit, rollback_after_error, scalar


@dataclass(frozen=True)
class TableChange:
    """One table's row count before and after an import."""

    table: str
    before: int
    after: int

    @property
    def shrinks(self) -> bool:
        """The import empties the table or takes more than half of its rows away (2·after < before):
        it needs an explicit confirmation (docs/data-format.md, "导入确认")."""
        return 2 * self.after < self.before

    def __str__(self) -> str:
        zh = TABLES_BY_NAME[self.table].zh
        return f"{zh} {self.table}: {self.before} → {self.after} 行 / rows"


class ShrinkRefused(Exception):
    """The import would empty a table or shrink it by more than half and was not confirmed
    (``allow_shrink``). ``changes``: every table's before → after. Nothing was written."""

    def __init__(self, changes: list[TableChange]) -> None:
        self.changes = changes
        shrinking = "\n".join(f"  {c}" for c in changes if c.shrinks)
        super().__init__(
            "导入会清空数据表或使其减少一半以上,需要确认后才能导入,数据库未改动:\n"
            f"{shrinking}\n"
            "The import would empty a table or remove more than half of its rows; it needs an explicit "
            "confirmation. The database is unchanged."
        )

    @property
    def shrinking(self) -> list[TableChange]:
        return [c for c in self.changes if c.shrinks]


@dataclass
class ImportSummary:
    """What an import wrote: rows per table, and the optional tables it left untouched."""

    path: Path
    row_counts: dict[str, int]
    previous_counts: dict[str, int]
    untouched: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def __str__(self) -> str:
        lines = [f"导入完成 / import complete: {self.path}"]
        for name, count in self.row_counts.items():
            zh = TABLES_BY_NAME[name].zh
            lines.append(f"  {zh} {name}: {count} 行 / rows (原有 / before: {self.previous_counts[name]})")
        if self.untouched:
            names = ", ".join(f"{TABLES_BY_NAME[n].zh} {n}" for n in self.untouched)
            lines.append(
                f"  文件中没有、保持原样的可选表 / optional tables not in the file, left as they were: {names}"
            )
        lines.append(f"  用时 / took {self.seconds:.2f} s")
        return "\n".join(lines)


def load_dataset(path: Path | str) -> dict[str, pd.DataFrame]:
    """The typed, validated tables of a dataset (schema column order, dtypes as DuckDB's
    ``.df()`` gives them, index 0..n-1), or ``ImportFailed`` listing every error.

    Optional tables absent from the source are absent from the result.
    """
    frames, issues = read_path(Path(path))
    unreadable = {i.table for i in issues if i.table in TABLES_BY_NAME and i.table not in frames}
    result = validate_frames(frames, complete=True, unreadable=unreadable)
    issues = sorted_issues(issues + result.issues)
    if issues:
        raise ImportFailed(issues)
    return {name: typed.reset_index(drop=True) for name, typed in result.tables.items()}


def write_dataset(
    con: duckdb.DuckDBPyConnection,
    dataset: dict[str, pd.DataFrame],
    *,
    actor: str,
    source: str,
    demo: bool | None = None,
    allow_shrink: bool = False,
) -> dict[str, int]:
    """Replace every table of ``dataset`` in one transaction, with one audit entry per table that
    names the ids added, changed and removed (``_row_changes``).

    ``demo`` (when given) sets or clears the database's demo mark in the same transaction.
    Without ``allow_shrink``, an import that would empty a table or shrink it by more than half
    raises ``ShrinkRefused`` (every table's before → after) and writes nothing.
    Returns the previous row counts. On any error the transaction is rolled back.
    """
    previous: dict[str, int] = {}
    names = [name for name in TABLE_ORDER if name in dataset]
    # Views are registered outside the transaction: after a failed statement DuckDB refuses
    # everything but ROLLBACK, and the original error must be the one that surfaces.
    views = {name: f"_import_{name}" for name in names}
    for name in names:
        con.register(views[name], dataset[name][TABLES_BY_NAME[name].column_names])
    try:
        con.execute("BEGIN TRANSACTION").fetchall()
        try:
            for name in names:
                previous[name] = int(scalar(con, f"SELECT count(*) FROM {name}"))
            changes = [TableChange(name, previous[name], len(dataset[name])) for name in names]
            if not allow_shrink and any(c.shrinks for c in changes):
                raise ShrinkRefused(changes)
            for name in names:
                table = TABLES_BY_NAME[name]
                ids = _row_changes(con, table, views[name])
                previous_version = _max_row_version(con, name)
                con.execute(f"DELETE FROM {name}").fetchall()
                casts = ", ".join(_cast(table, c) for c in table.column_names)
                cols = ", ".join(table.column_names)
                con.execute(f"INSERT INTO {name} ({cols}) SELECT {casts} FROM {views[name]}").fetchall()
                _after_replace(con, name, previous_version)
                record_audit(
                    con,
                    actor=actor,
                    source=source,
                    table_name=name,
                    action="import",
                    before_json=json.dumps({"rows": previous[name]}),
                    after_json=json.dumps({"rows": len(dataset[name]), **ids}, ensure_ascii=False),
                )
            if demo is not None:
                mark_demo_database(con, demo)
            con.execute("COMMIT").fetchall()
        except BaseException:
            rollback_after_error(con)
            raise
    finally:
        for view in views.values():
            con.unregister(view)
    return previous


def _row_changes(con: duckdb.DuckDBPyConnection, table: Table, view: str) -> dict[str, list[str]]:
    """The ids the import adds, changes and removes in ``table`` (compared with the stored rows,
    inside the import's transaction), each sorted. An id is the key columns joined with "|" as the
    audit log writes record keys; fund arrivals, which have no key, are compared as whole rows and
    named by project_id|date (``changed`` stays empty for them)."""
    cols = table.column_names
    new = ", ".join(f"{_cast(table, c)} AS {c}" for c in cols)
    key = list(table.key) or ["project_id", "date"]
    label = " || '|' || ".join(f"CAST({{t}}.{c} AS VARCHAR)" for c in key)
    if table.key:
        using = ", ".join(key)
        differs = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in cols if c not in key) or "FALSE"
        sql = f"""
            WITH o AS (SELECT {", ".join(cols)} FROM {table.name}), n AS (SELECT {new} FROM {view})
            SELECT 'added', {label.format(t="n")} FROM n ANTI JOIN o USING ({using})
            UNION ALL SELECT 'removed', {label.format(t="o")} FROM o ANTI JOIN n USING ({using})
            UNION ALL SELECT 'changed', {label.format(t="n")} FROM n JOIN o USING ({using}) WHERE {differs}
        """
    else:
        sql = f"""
            WITH o AS (SELECT {", ".join(cols)} FROM {table.name}), n AS (SELECT {new} FROM {view}),
            a AS (SELECT * FROM n EXCEPT ALL SELECT * FROM o), r AS (SELECT * FROM o EXCEPT ALL SELECT * FROM n)
            SELECT 'added', {label.format(t="a")} FROM a
            UNION ALL SELECT 'removed', {label.format(t="r")} FROM r
        """
    found: dict[str, list[str]] = {"added": [], "changed": [], "removed": []}
    for kind, record in con.execute(sql).fetchall():
        found[kind].append(record)
    return {kind: sorted(records) for kind, records in found.items()}


def _max_row_version(con: duckdb.DuckDBPyConnection, name: str) -> int | None:
    """The highest ``row_version`` of a table forms edit (None for tables without one)."""
    if name not in VERSIONED_TABLES:
        return None
    return int(scalar(con, f"SELECT coalesce(max(row_version), 0) FROM {name}"))


def _after_replace(con: duckdb.DuckDBPyConnection, name: str, previous_version: int | None) -> None:
    """Derived columns of freshly imported rows.

    Imported rows get a ``row_version`` above every earlier one, so a form opened before the import
    is refused as stale instead of overwriting what was imported; leads get their company key.
    """
    if previous_version is not None:
        con.execute(f"UPDATE {name} SET row_version = ?", [previous_version + 1]).fetchall()
    if name == "leads":
        fill_company_keys(con)


def _cast(table: Table, column: str) -> str:
    kind = table.column(column).kind
    if kind == DATE:
        return f"CAST({column} AS DATE)"
    if kind == DATETIME:
        return f"CAST({column} AS TIMESTAMP)"
    return column


def import_path(
    con: duckdb.DuckDBPyConnection,
    path: Path | str,
    *,
    actor: str,
    source: str,
    allow_shrink: bool = False,
) -> ImportSummary:
    """Validate the dataset at ``path`` fully, then replace the database's tables with it.

    Replace-all: every contract table in the source is emptied and refilled, in one transaction
    (on any error nothing changes). An optional table (problems, station_reports) that the
    source does not contain is left as it is. Raises ``ImportFailed`` with every error, and
    ``ShrinkRefused`` when a table would be emptied or halved without ``allow_shrink``.
    """
    started = time.perf_counter()
    dataset = load_dataset(path)
    # Only the demo generator's folder marks the database as the demo's; any other import clears it.
    previous = write_dataset(
        con, dataset, actor=actor, source=source, demo=is_demo_dataset(path), allow_shrink=allow_shrink
    )
    return ImportSummary(
        path=Path(path),
        row_counts={name: len(frame) for name, frame in dataset.items()},
        previous_counts=previous,
        untouched=[t.name for t in TABLES if t.name not in dataset],
        seconds=time.perf_counter() - started,
    )


def load_into_memory(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A fresh in-memory database holding the dataset at ``path`` (for ``report --data``)."""
    con = open_database(":memory:")
    try:
        import_path(con, path, actor="cli", source=f"内存载入 / in-memory load: {path}")
    except BaseException:
        con.close()
        raise
    return con
