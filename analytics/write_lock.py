"""The process's one write lock.

One writer at a time in this process (DuckDB's own concurrency control would refuse a conflicting
transaction instead; with the lock, writes queue and none is lost). The forms and uploads
(``analytics.entry``) and the backup snapshot (``analytics.backup``) hold it.
"""

from __future__ import annotations

import threading

WRITE_LOCK = threading.RLock()
