"""Whoever reaches the server first must not own it: the first office account needs the installer.

On a database with no users file, the first-start screen used to create the office account for any
anonymous visitor. Now it takes either the installer's command (``python -m analytics users
create-office``) or the one-time setup token the server prints in its log.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from analytics.access import users
from analytics.access.users import UsersError
from analytics.data.store import open_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def first_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh real database, sign-in on, no users file yet; yields where the users file would go."""
    users_file = tmp_path / "users.yaml"
    open_database(tmp_path / "county.duckdb").close()
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "county.duckdb"))
    monkeypatch.setenv("DASHBOARD_USERS", str(users_file))
    monkeypatch.setenv("DASHBOARD_AUTH", "on")
    monkeypatch.delenv("DASHBOARD_DEMO_USERS", raising=False)
    yield users_file


def _text_input(at: AppTest, label: str):
    return next(t for t in at.text_input if t.label == label)


def test_anonymous_visitor_cannot_create_the_office_account_on_the_first_start_screen(
    first_start: Path,
) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "首次启动:创建招商办账号" in [s.value for s in at.subheader]
    # The visitor fills in everything the form asks for, except a setup token they cannot know.
    _text_input(at, "用户名").set_value("intruder")
    _text_input(at, "显示名称").set_value("冒充者")
    _text_input(at, "密码(至少 8 位,含字母和数字)").set_value("takeover2026")
    _text_input(at, "再次输入密码").set_value("takeover2026")
    at.button[0].click().run()
    assert not at.exception
    assert not first_start.exists()  # no account, no users file
    assert any("安装令牌" in e.value for e in at.error)
    # The screen tells the installer how to create the account instead.
    assert any("users create-office" in c.value for c in at.code)


def test_first_start_form_needs_this_servers_setup_token(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    for wrong in ("", "0000-0000-0000-0000"):
        with pytest.raises(UsersError, match="安装令牌"):
            users.create_first_office_with_token(path, wrong, "zsb", "招商办", "secret2026", "secret2026")
        assert not path.exists()
    token = users.setup_token()
    # Pasted from the log with spaces or in capitals, the token is the same one.
    users.create_first_office_with_token(
        path, f" {token.upper()} ", "zsb", "招商办", "secret2026", "secret2026"
    )
    assert users.authenticate(users.load_config(path), "zsb", "secret2026") == users.User(
        "zsb", "招商办", "office"
    )
    assert users.setup_token() != token  # used once, then replaced


def _create_office(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "analytics", "users", "create-office", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
        check=False,
    )


def test_installer_command_creates_the_office_account(tmp_path: Path) -> None:
    path, db_path = tmp_path / "users.yaml", tmp_path / "county.duckdb"
    weak = _create_office("--users", str(path), "--username", "zsb", "--password-stdin", stdin="short\n")
    assert weak.returncode == 2 and "至少 8 位" in weak.stderr and not path.exists()

    done = _create_office(
        "--users",
        str(path),
        "--db",
        str(db_path),
        "--username",
        "ZSB",
        "--password-stdin",
        stdin="secret2026\n",
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    entry = yaml.safe_load(path.read_text(encoding="utf-8"))["credentials"]["usernames"]["zsb"]
    assert entry["roles"] == ["office"] and entry["password"].startswith("$2b$")
    assert "secret2026" not in path.read_text(encoding="utf-8")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert users.authenticate(users.load_config(path), "zsb", "secret2026") is not None
    con = open_database(db_path)
    try:
        audited = con.execute("SELECT actor, table_name, action, record_key FROM audit_log").fetchall()
    finally:
        con.close()
    assert audited == [("cli", "users", "insert", "zsb")]

    # A second office account is added to the existing file; an existing name is refused.
    again = _create_office(
        "--users", str(path), "--username", "zsb", "--password-stdin", stdin="other2026x\n"
    )
    assert again.returncode == 2 and "已存在" in again.stderr
