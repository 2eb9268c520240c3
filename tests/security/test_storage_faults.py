"""Storage faults get plain Chinese messages: never a traceback, never a masking error.

A database file that is empty, truncated, random bytes or in a read-only folder: the command line
exits non-zero with a Chinese message and no traceback; the app shows the message instead of
Streamlit's error page. A write whose COMMIT fails (a full disk) reports that failure, not the
"cannot rollback - no transaction is active" of the rollback after it.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.data import store
from analytics.data import write_lock as entry  # write_transaction lives with the lock
from analytics.data.store import PROJECT_ROOT, open_database

DISK_FULL = 'IO Error: Could not write file "county.duckdb": No space left on device'


def _good_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "good.duckdb"
    open_database(path).close()
    return path.read_bytes()


@pytest.fixture
def broken_files(tmp_path: Path) -> dict[str, Path]:
    """An empty file, a database cut to a third of its length, and 64 KiB of random bytes."""
    good = _good_bytes(tmp_path)
    files = {
        "empty": b"",
        "truncated": good[: len(good) // 3],
        "random": os.urandom(64 * 1024),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / f"{name}.duckdb"
        paths[name].write_bytes(data)
    return paths


def _cli(*args: str, user: int | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "analytics", *args]
    if user is not None:  # run as an unprivileged user (root ignores file permissions)
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DEBUG"}
    return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, timeout=120)


@pytest.mark.parametrize("kind", ["empty", "truncated", "random"])
def test_cli_report_on_a_broken_file_says_so_in_chinese(broken_files: dict[str, Path], kind: str) -> None:
    done = _cli("report", "--db", str(broken_files[kind]), "--year", "2026", "--as-of", "2026-06-30")
    assert done.returncode == 2
    assert "已损坏或不是本系统的数据库" in done.stderr and "备份恢复" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.fixture
def read_only_folder() -> Iterator[tuple[Path, int | None]]:
    """A folder nobody may write into, holding a database file of schema version 1 (which must be
    upgraded before it can be read); and the user id to run as (None: the current user)."""
    user: int | None = None
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: permissions cannot be tested")
        user = 65534  # nobody
    base = Path(tempfile.mkdtemp(prefix="dashboard-ro-"))
    base.chmod(0o755)
    folder = base / "ro"
    folder.mkdir()
    con = duckdb.connect(str(folder / "old.duckdb"))
    store.current_version(con)
    store.MIGRATIONS[0](con)
    con.execute("INSERT INTO schema_version (version) VALUES (1)").fetchall()
    con.close()
    (folder / "old.duckdb").chmod(0o444)
    folder.chmod(0o555)
    try:
        yield folder, user
    finally:
        folder.chmod(0o755)
        shutil.rmtree(base)


def test_cli_on_a_read_only_folder_says_so_in_chinese(read_only_folder: tuple[Path, int | None]) -> None:
    folder, user = read_only_folder
    done = _cli(
        "report", "--db", str(folder / "old.duckdb"), "--year", "2026", "--as-of", "2026-06-30", user=user
    )
    assert done.returncode == 2
    assert "没有读写权限" in done.stderr and "Traceback" not in done.stderr
    done = _cli("import", "--db", str(folder / "new.duckdb"), "--data", str(folder), user=user)
    assert done.returncode == 2
    assert "没有读写权限" in done.stderr and "Traceback" not in done.stderr
    assert not (folder / "new.duckdb").exists()


def test_an_unexpected_error_is_one_line_unless_debugging(tmp_path: Path) -> None:
    # A fault of the program itself (here a KeyError raised inside a command): exit 1 with one line;
    # the traceback only with DASHBOARD_DEBUG=1.
    script = (
        "import sys; from analytics import cli\n"
        "def boom(args): raise KeyError('x')\n"
        "cli._cmd_demo = boom\n"
        "sys.exit(cli.main(['demo', '--out', 'unused']))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DEBUG"}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env
    )
    assert done.returncode == 1
    assert "意外错误" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    env["DASHBOARD_DEBUG"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=PROJECT_ROOT, env=env
    )
    assert done.returncode == 1 and "Traceback" in done.stderr and "KeyError" in done.stderr


@pytest.mark.parametrize("kind", ["empty", "truncated", "random"])
def test_opening_a_broken_file_raises_a_chinese_error(broken_files: dict[str, Path], kind: str) -> None:
    before = broken_files[kind].read_bytes()
    for read_only in (False, True):
        with pytest.raises(store.DatabaseUnusableError, match="已损坏或不是本系统的数据库"):
            open_database(broken_files[kind], read_only=read_only)
    assert broken_files[kind].read_bytes() == before  # the damaged file is left as it was


def test_storage_messages_say_what_to_do() -> None:
    full = store.storage_error_message(OSError(errno.ENOSPC, "No space left on device"))
    assert full.startswith("磁盘空间不足") and "清理磁盘空间" in full
    assert store.storage_error_message(duckdb.IOException(DISK_FULL)).startswith("磁盘空间不足")
    denied = store.storage_error_message(PermissionError(errno.EACCES, "Permission denied"), "/srv/x.duckdb")
    assert "/srv/x.duckdb" in denied and "没有读写权限" in denied


class _FullDiskCursor:
    """A real cursor whose COMMIT fails as on a full disk: DuckDB has then already ended the
    transaction, so a ROLLBACK after it fails with "no transaction is active"."""

    def __init__(self, real: duckdb.DuckDBPyConnection) -> None:
        self._real = real

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.strip().upper() == "COMMIT":
            self._real.execute("ROLLBACK").fetchall()
            raise duckdb.IOException(DISK_FULL)
        return self._real.execute(sql, *args)

    def cursor(self) -> _FullDiskCursor:
        return _FullDiskCursor(self._real.cursor())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def test_a_failed_commit_is_reported_not_the_rollback_after_it() -> None:
    con = open_database(":memory:")
    with pytest.raises(duckdb.IOException, match="No space left on device"):
        with entry.write_transaction(_FullDiskCursor(con)) as cur:
            cur.execute("INSERT INTO settings (key, value_json) VALUES ('red_gap', '0.2')").fetchall()
    assert con.execute("SELECT count(*) FROM settings").fetchall() == [(0,)]
    con.close()


def test_a_failed_migration_commit_is_reported_not_the_rollback_after_it() -> None:
    con = duckdb.connect(":memory:")
    with pytest.raises(duckdb.IOException, match="No space left on device"):
        store.migrate(_FullDiskCursor(con))
    assert store.current_version(con) == 0
    con.close()


def test_the_app_shows_a_chinese_message_for_a_damaged_database(
    broken_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DB", str(broken_files["truncated"]))
    monkeypatch.setenv("DASHBOARD_AUTH", "off")
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    messages = [e.value for e in at.error]
    assert any("已损坏或不是本系统的数据库" in m and "备份恢复" in m for m in messages), messages
