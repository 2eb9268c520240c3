"""Accounts: bcrypt hashes in the users file, first start, roles, demo accounts, the no-sign-in switch."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from streamlit_authenticator.utilities.hasher import Hasher

from analytics.access import users
from analytics.access.users import UsersError
from analytics.data import demo_mark


def test_first_office_account_is_stored_as_a_bcrypt_hash_only(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    users.create_first_office(path, "ZSB", "县招商办", "secret2026", "secret2026")
    text = path.read_text(encoding="utf-8")
    assert "secret2026" not in text
    entry = yaml.safe_load(text)["credentials"]["usernames"]["zsb"]  # user names are lower-cased
    assert entry["roles"] == ["office"] and entry["password"].startswith("$2b$")
    # The library's own checker accepts our hash: its sign-in form verifies exactly this.
    assert Hasher.check_pw("secret2026", entry["password"])
    assert users.authenticate(users.load_config(path), "zsb", "secret2026") == users.User(
        "zsb", "县招商办", "office"
    )
    assert users.authenticate(users.load_config(path), "zsb", "wrong-2026") is None


def test_first_start_cannot_overwrite_an_existing_users_file(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    users.create_first_office(path, "zsb", "招商办", "secret2026", "secret2026")
    with pytest.raises(UsersError, match="已由他人创建"):
        users.create_first_office(path, "intruder", "冒充者", "secret2026", "secret2026")
    assert list(users.load_config(path)["credentials"]["usernames"]) == ["zsb"]


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short1", "short1", "至少 8 位"),
        ("lettersonly", "lettersonly", "字母和数字"),
        ("abc12345", "abc12346", "不一致"),
    ],
)
def test_weak_or_mistyped_passwords_are_refused(
    tmp_path: Path, password: str, confirm: str, message: str
) -> None:
    with pytest.raises(UsersError, match=message):
        users.create_first_office(tmp_path / "u.yaml", "zsb", "招商办", password, confirm)
    assert not (tmp_path / "u.yaml").exists()


def test_clerk_needs_a_known_unit_and_roles_come_back_as_users(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    users.create_first_office(path, "zsb", "招商办", "secret2026", "secret2026")
    with pytest.raises(UsersError, match="必须指定所属单位"):
        users.add_user(path, "c1", "填报员", "secret2026", "clerk", None)
    with pytest.raises(UsersError, match="不存在"):
        users.add_user(path, "c1", "填报员", "secret2026", "clerk", "t99", known_units={"t01"})
    users.add_user(path, "c1", "填报员", "secret2026", "clerk", "t01", known_units={"t01"})
    users.add_user(path, "boss", "县长", "secret2026", "leader")
    listed = users.list_users(users.load_config(path))
    assert [(u.username, u.role, u.unit_id) for u in listed] == [
        ("boss", "leader", None),
        ("zsb", "office", None),
        ("c1", "clerk", "t01"),
    ]


def test_last_office_account_cannot_be_removed(tmp_path: Path) -> None:
    path = tmp_path / "users.yaml"
    users.create_first_office(path, "zsb", "招商办", "secret2026", "secret2026")
    with pytest.raises(UsersError, match="最后一个招商办账号"):
        users.remove_user(path, "zsb")


def test_a_clerk_entry_without_unit_never_signs_in(tmp_path: Path) -> None:
    config = users.empty_config()
    config["credentials"]["usernames"]["odd"] = {
        "name": "坏账号",
        "password": users.hash_password("secret2026", rounds=4),
        "roles": ["clerk"],
        "unit_id": None,
    }
    assert users.authenticate(config, "odd", "secret2026") is None


def test_switches_are_read_on_every_call(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, db: duckdb.DuckDBPyConnection
) -> None:
    monkeypatch.delenv("DASHBOARD_AUTH", raising=False)
    assert not users.auth_disabled()
    monkeypatch.setenv("DASHBOARD_AUTH", "off")
    assert users.auth_disabled()
    monkeypatch.setenv("DASHBOARD_USERS", str(tmp_path / "none.yaml"))
    monkeypatch.delenv("DASHBOARD_DEMO_USERS", raising=False)
    demo_mark.mark_demo_database(db, True)  # as importing the demo generator's dataset does
    assert users.active_config(db) is None  # first start: no users file
    monkeypatch.setenv("DASHBOARD_DEMO_USERS", "1")
    demo = users.active_config(db)
    for account in users.DEMO_ACCOUNTS:
        user = users.authenticate(demo, account.username, account.password)
        assert user is not None and (user.role, user.unit_id) == (account.role, account.unit_id)
