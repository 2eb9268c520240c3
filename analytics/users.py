"""Accounts and roles: the users file, bcrypt password hashes, the demo accounts, the no-sign-in mode.

The users file is YAML in the layout streamlit-authenticator 0.4.2 reads (``cookie`` and
``credentials.usernames``), with two fields of ours per user: ``roles`` (one of ``ROLES``) and
``unit_id`` (a clerk's unit). Passwords are stored only as bcrypt hashes.

Where the accounts come from, decided on every call (never at import):

- ``DASHBOARD_AUTH=off``: no sign-in at all, everyone acts as the investment office. For a
  single-user local install and for the page tests; never the default.
- ``DASHBOARD_DEMO_USERS=1``: the documented demo accounts (``DEMO_ACCOUNTS``), for the demo
  database only (``make run`` sets it).
- otherwise the file ``$DASHBOARD_USERS`` (default ``data/users.yaml``); when it does not exist the
  app asks for the investment office's account first (``create_first_office``).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import bcrypt
import yaml

from analytics.store import PROJECT_ROOT

ROLES: dict[str, str] = {
    "leader": "县领导",
    "office": "招商办",
    "clerk": "单位填报员",
    "viewer": "只读(投屏)",
}
COOKIE_NAME = "zsyz_dashboard_auth"
COOKIE_EXPIRY_DAYS = 7
MIN_PASSWORD_LENGTH = 8
_USERNAME_RE = re.compile(r"^[a-z0-9_.-]{2,32}$")
_FILE_LOCK = threading.Lock()


@dataclass(frozen=True)
class User:
    """A signed-in person: who, with which role, and for a clerk, which unit."""

    username: str
    display_name: str
    role: str  # leader | office | clerk | viewer
    unit_id: str | None = None

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)


# Everyone, when sign-in is switched off (DASHBOARD_AUTH=off).
LOCAL_OFFICE_USER = User(username="local", display_name="本机用户(免登录)", role="office")


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    display_name: str
    role: str
    unit_id: str | None = None


# Documented in docs/accounts.md. Only active with DASHBOARD_DEMO_USERS=1 (the demo database).
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("office", "demo-office-2026", "招商办(演示)", "office"),
    DemoAccount("leader", "demo-leader-2026", "县领导(演示)", "leader"),
    DemoAccount("viewer", "demo-viewer-2026", "投屏电脑(演示)", "viewer"),
    DemoAccount("clerk_t01", "demo-clerk-2026", "乡镇填报员(演示,t01)", "clerk", "t01"),
    DemoAccount("clerk_d01", "demo-clerk-2026", "部门填报员(演示,d01)", "clerk", "d01"),
)


class UsersError(ValueError):
    """A bad account change (the message is Chinese, for the screen)."""


def auth_disabled() -> bool:
    """``DASHBOARD_AUTH=off``: no sign-in; everyone is the investment office."""
    return os.environ.get("DASHBOARD_AUTH", "").strip().lower() == "off"


def demo_mode() -> bool:
    """``DASHBOARD_DEMO_USERS=1``: the documented demo accounts instead of the users file."""
    return os.environ.get("DASHBOARD_DEMO_USERS", "").strip() == "1"


def users_path() -> Path:
    """The users file: ``$DASHBOARD_USERS`` or ``data/users.yaml`` (git-ignored)."""
    return Path(os.environ.get("DASHBOARD_USERS") or PROJECT_ROOT / "data" / "users.yaml")


# ---------------------------------------------------------------------------------------------
# passwords
# ---------------------------------------------------------------------------------------------


def hash_password(password: str, *, rounds: int = 12) -> str:
    """A bcrypt hash (the format streamlit-authenticator's ``Hasher.check_pw`` verifies)."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=rounds)).decode("ascii")


def check_password(password: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


def validate_password(password: str, confirm: str | None = None) -> None:
    """At least 8 characters with both letters and digits; ``confirm`` must repeat it."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UsersError(f"密码至少 {MIN_PASSWORD_LENGTH} 位。")
    if not (re.search(r"[A-Za-z]", password) and re.search(r"\d", password)):
        raise UsersError("密码须同时包含字母和数字。")
    if confirm is not None and confirm != password:
        raise UsersError("两次输入的密码不一致。")


def validate_username(username: str) -> str:
    name = username.strip().lower()
    if not _USERNAME_RE.match(name):
        raise UsersError("用户名须为 2–32 位小写字母、数字或 _ . -(登录时不区分大小写)。")
    return name


# ---------------------------------------------------------------------------------------------
# the users file
# ---------------------------------------------------------------------------------------------


def empty_config() -> dict[str, Any]:
    return {
        "cookie": {"name": COOKIE_NAME, "key": secrets.token_hex(32), "expiry_days": COOKIE_EXPIRY_DAYS},
        "credentials": {"usernames": {}},
    }


def load_config(path: Path | None = None) -> dict[str, Any] | None:
    """The users file as a dict, or ``None`` when it does not exist yet (first start)."""
    target = path or users_path()
    if not target.exists():
        return None
    data = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict) or not isinstance(data.get("credentials", {}).get("usernames"), dict):
        raise UsersError(f"账号文件 {target} 格式不对:缺少 credentials.usernames。")
    data.setdefault("cookie", empty_config()["cookie"])
    return data


def _write_config(path: Path, config: dict[str, Any], *, exclusive: bool = False) -> None:
    """Write atomically (temporary file, then rename); ``exclusive``: fail if the file exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if exclusive:
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            raise UsersError("招商办账号已由他人创建,请直接登录。") from None
        os.chmod(path, 0o600)
        return
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def _entry(display_name: str, password: str, role: str, unit_id: str | None) -> dict[str, Any]:
    return {"name": display_name, "password": hash_password(password), "roles": [role], "unit_id": unit_id}


def _check_role(role: str, unit_id: str | None) -> str | None:
    if role not in ROLES:
        raise UsersError(f"未知角色 {role!r};应为 " + "、".join(f"{k}({v})" for k, v in ROLES.items()))
    if role == "clerk":
        if not (unit_id or "").strip():
            raise UsersError("单位填报员必须指定所属单位。")
        return unit_id.strip()
    return None


def create_first_office(path: Path, username: str, display_name: str, password: str, confirm: str) -> User:
    """First start: create the users file with the investment office's account (only if absent)."""
    name = validate_username(username)
    validate_password(password, confirm)
    if not display_name.strip():
        raise UsersError("请填写显示名称。")
    config = empty_config()
    config["credentials"]["usernames"][name] = _entry(display_name.strip(), password, "office", None)
    with _FILE_LOCK:
        _write_config(path, config, exclusive=True)
    return User(name, display_name.strip(), "office")


def add_user(
    path: Path,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_id: str | None = None,
    *,
    known_units: set[str] | None = None,
) -> User:
    """Add an account; a clerk's unit must be one of ``known_units`` when that is given."""
    name = validate_username(username)
    validate_password(password)
    unit = _check_role(role, unit_id)
    if unit is not None and known_units is not None and unit not in known_units:
        raise UsersError(f"单位编码 {unit} 不存在。")
    if not display_name.strip():
        raise UsersError("请填写显示名称。")
    with _FILE_LOCK:
        config = load_config(path) or empty_config()
        users = config["credentials"]["usernames"]
        if name in users:
            raise UsersError(f"用户名 {name} 已存在。")
        users[name] = _entry(display_name.strip(), password, role, unit)
        _write_config(path, config)
    return User(name, display_name.strip(), role, unit)


def set_password(path: Path, username: str, password: str) -> None:
    validate_password(password)
    with _FILE_LOCK:
        config = load_config(path)
        users = (config or {}).get("credentials", {}).get("usernames", {})
        if username not in users:
            raise UsersError(f"用户名 {username} 不存在。")
        users[username]["password"] = hash_password(password)
        _write_config(path, config)


def remove_user(path: Path, username: str) -> None:
    """Remove an account; the last investment-office account cannot be removed."""
    with _FILE_LOCK:
        config = load_config(path)
        users = (config or {}).get("credentials", {}).get("usernames", {})
        if username not in users:
            raise UsersError(f"用户名 {username} 不存在。")
        offices = [u for u, e in users.items() if role_of(e) == "office"]
        if offices == [username]:
            raise UsersError("不能删除最后一个招商办账号。")
        del users[username]
        _write_config(path, config)


def role_of(entry: dict[str, Any]) -> str:
    roles = entry.get("roles") or []
    return roles[0] if roles else "viewer"


def user_from_config(config: dict[str, Any], username: str) -> User | None:
    """The ``User`` of ``username`` in ``config`` (``None`` if unknown or with a bad role)."""
    entry = config["credentials"]["usernames"].get((username or "").lower())
    if entry is None:
        return None
    role = role_of(entry)
    if role not in ROLES or (role == "clerk" and not entry.get("unit_id")):
        return None  # a broken entry never signs in with more rights than it should
    unit = entry.get("unit_id") if role == "clerk" else None
    return User(username.lower(), str(entry.get("name") or username), role, unit)


def list_users(config: dict[str, Any]) -> list[User]:
    users = (user_from_config(config, name) for name in config["credentials"]["usernames"])
    return sorted((u for u in users if u is not None), key=lambda u: (list(ROLES).index(u.role), u.username))


def authenticate(config: dict[str, Any], username: str, password: str) -> User | None:
    """The user when ``password`` is right, else ``None`` (the check the sign-in form makes)."""
    entry = config["credentials"]["usernames"].get((username or "").strip().lower())
    if entry is None or not check_password(password, str(entry.get("password", ""))):
        return None
    return user_from_config(config, username.strip())


@lru_cache(maxsize=1)
def demo_config() -> dict[str, Any]:
    """The demo accounts as a users config (hashed once per process; cookie key per process)."""
    config = empty_config()
    for account in DEMO_ACCOUNTS:
        config["credentials"]["usernames"][account.username] = {
            "name": account.display_name,
            "password": hash_password(account.password, rounds=10),
            "roles": [account.role],
            "unit_id": account.unit_id,
        }
    return config


def active_config() -> dict[str, Any] | None:
    """The accounts in force now: the demo accounts in demo mode, else the users file (or ``None``)."""
    return demo_config() if demo_mode() else load_config()
