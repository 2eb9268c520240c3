"""The process's one write lock.

One writer at a time in this process (DuckDB's own concurrency control would refuse a conflicting
transaction instead; with the lock, writes queue and none is lost). The forms and uploads
(``analytics.entry``), account changes (``analytics.access.users``) and the backup snapshot
(``analytics.data.backup``) hold it, through ``write_transaction``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from analytics.data.store import rollback_after_error

WRITE_LOCK = threading.RLock()


@contextmanager
def write_transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor in one transaction under ``WRITE_LOCK``: committed on success, else rolled back."""
    with WRITE_LOCK:
        cur = con.cursor()
        try:
            cur.execute("BEGIN TRANSACTION").fetchall()
            try:
                yield cur
                cur.execute("COMMIT").fetchall()
            except BaseException:
                rollback_after_error(cur)
                raise
        finally:
            cur.close()
