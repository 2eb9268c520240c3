"""Guessing passwords is throttled: 40 wrong passwords in 2.5 s, then the right one, used to work.

Rules (``analytics.users``): 5 wrong passwords for one user name within 15 minutes of each other
lock it for 15 minutes, the next lock 30, then 60 …; 20 from one client address lock that address.
During a lock even the right password is refused. The clock is injected: nothing sleeps.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.access import users
from analytics.data.store import open_database

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2026, 5, 11, 9, 0, 0)
RIGHT = "secret2026"


@pytest.fixture
def accounts() -> dict:
    config = users.empty_config()
    for name in ("zsb", "boss"):
        config["credentials"]["usernames"][name] = {
            "name": name,
            "password": users.hash_password(RIGHT, rounds=4),
            "roles": ["office"],
            "unit_id": None,
        }
    return config


def _try(
    con, config, username: str, password: str, at: datetime, client: str = "10.0.0.7"
) -> users.SignInResult:
    return users.check_sign_in(con, config, username, password, client=client, now=at)


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(
    db: duckdb.DuckDBPyConnection, accounts: dict
) -> None:
    for i in range(4):
        result = _try(db, accounts, "zsb", f"guess{i}", T0 + timedelta(seconds=i))
        assert result.user is None and result.lock is None  # failures 1..4: no lock yet
    fifth = _try(db, accounts, "zsb", "guess4", T0 + timedelta(seconds=4))
    # Locked 15 minutes from the fifth failure: 09:00:04 + 15 min = 09:15:04.
    assert fifth.lock == users.SignInLock(datetime(2026, 5, 11, 9, 15, 4))
    assert fifth.lock.message(T0) == "密码错误次数过多,请于 09:15 后再试。"

    during = _try(db, accounts, "ZSB ", RIGHT, T0 + timedelta(minutes=10))  # same name, any spelling
    assert during.user is None and during.lock == fifth.lock
    assert _try(db, accounts, "boss", RIGHT, T0 + timedelta(minutes=10)).user is not None  # others unaffected

    after = _try(db, accounts, "zsb", RIGHT, datetime(2026, 5, 11, 9, 15, 5))
    assert after.user is not None and after.user.username == "zsb"

    audited = db.execute(
        "SELECT actor, source, table_name, action, record_key, after_json FROM audit_log"
    ).fetchall()
    assert [row[:5] for row in audited] == [("zsb", "登录", "sign_in_throttle", "lock", "account:zsb")]
    assert json.loads(audited[0][5])["locked_until"] == "2026-05-11T09:15:04"


def test_the_next_lock_lasts_twice_as_long(db: duckdb.DuckDBPyConnection, accounts: dict) -> None:
    for i in range(5):
        _try(db, accounts, "zsb", "guess", T0 + timedelta(seconds=i))
    # The lock ends 09:15:04; five more failures from 09:20 lock it again, for 30 minutes:
    # the fifth at 09:20:04 + 30 min = 09:50:04.
    start = datetime(2026, 5, 11, 9, 20, 0)
    results = [_try(db, accounts, "zsb", "guess", start + timedelta(seconds=i)) for i in range(5)]
    assert results[-1].lock == users.SignInLock(datetime(2026, 5, 11, 9, 50, 4))


def test_a_right_password_before_the_limit_starts_the_count_again(
    db: duckdb.DuckDBPyConnection, accounts: dict
) -> None:
    for i in range(4):
        _try(db, accounts, "zsb", "guess", T0 + timedelta(seconds=i))
    assert _try(db, accounts, "zsb", RIGHT, T0 + timedelta(seconds=5)).user is not None
    for i in range(4):  # four more failures: 4 < 5, still no lock
        assert _try(db, accounts, "zsb", "guess", T0 + timedelta(seconds=10 + i)).lock is None


def test_failures_spread_over_time_do_not_add_up(db: duckdb.DuckDBPyConnection, accounts: dict) -> None:
    # One wrong password every 16 minutes: each is more than 15 minutes after the previous one.
    for i in range(10):
        assert _try(db, accounts, "zsb", "guess", T0 + timedelta(minutes=16 * i)).lock is None


def test_one_client_guessing_many_accounts_is_locked(db: duckdb.DuckDBPyConnection, accounts: dict) -> None:
    # 20 wrong passwords from 10.0.0.66 over 20 user names (one each: no account reaches 5).
    results = [
        _try(db, accounts, f"user{i}", "guess", T0 + timedelta(seconds=i), "10.0.0.66") for i in range(20)
    ]
    assert [r.lock is not None for r in results] == [False] * 19 + [True]
    assert results[-1].lock == users.SignInLock(datetime(2026, 5, 11, 9, 15, 19))  # 09:00:19 + 15 min
    assert _try(db, accounts, "zsb", RIGHT, T0 + timedelta(minutes=1), "10.0.0.66").user is None
    assert _try(db, accounts, "zsb", RIGHT, T0 + timedelta(minutes=1), "10.0.0.8").user is not None


def test_a_lock_survives_a_restart(tmp_path: Path, accounts: dict) -> None:
    path = tmp_path / "county.duckdb"
    con = open_database(path)
    for i in range(5):
        _try(con, accounts, "zsb", "guess", T0 + timedelta(seconds=i))
    con.close()
    con = open_database(path)
    try:
        assert _try(con, accounts, "zsb", RIGHT, T0 + timedelta(minutes=1)).lock is not None
    finally:
        con.close()


def test_sign_in_screen_refuses_the_right_password_after_repeated_wrong_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, accounts: dict
) -> None:
    """The sign-in form itself, as a guesser uses it: 5 wrong passwords, then the right one."""
    users_file = tmp_path / "users.yaml"
    users._write_config(users_file, accounts)
    open_database(tmp_path / "county.duckdb").close()
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "county.duckdb"))
    monkeypatch.setenv("DASHBOARD_USERS", str(users_file))
    monkeypatch.setenv("DASHBOARD_AUTH", "on")
    monkeypatch.delenv("DASHBOARD_DEMO_USERS", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()

    def submit(password: str) -> None:
        at.text_input[0].set_value("zsb")
        at.text_input[1].set_value(password)
        at.button[0].click().run()
        assert not at.exception

    for i in range(5):
        submit(f"guess{i}")
    submit(RIGHT)
    errors = [e.value for e in at.error]
    assert any(e.startswith("密码错误次数过多,请于 ") and e.endswith(" 后再试。") for e in errors), errors
    assert at.session_state["authentication_status"] is not True
    assert not [s for s in at.success if "登录成功" in s.value]
