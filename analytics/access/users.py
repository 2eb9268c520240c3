"""Accounts and roles: the users file, bcrypt password hashes, the demo accounts, the no-sign-in mode.

The users file is YAML in the layout streamlit-authenticator 0.4.2 reads (``cookie`` and
``credentials.usernames``), with two fields of ours per user: ``roles`` (one of ``ROLES``) and
``unit_id`` (a clerk's unit, or the unit a verifier verifies for). Passwords are stored only as
bcrypt hashes.

Where the accounts come from, decided on every call (never at import):

- ``DASHBOARD_AUTH=off``: no sign-in at all, everyone acts as the investment office. For a
  single-user local install and for the page tests; never the default.
- ``DASHBOARD_DEMO_USERS=1``: the documented demo accounts (``DEMO_ACCOUNTS``), honoured only on
  a database marked as the demo county's (``is_demo_database``: set by importing the dataset the
  demo generator writes); on any other database the switch is ignored.
- otherwise the file ``$DASHBOARD_USERS`` (default ``data/users.yaml``). When it does not exist, the
  first office account is created by the installer: ``python -m analytics users create-office``
  (``create_first_office``), or on the first-start screen with the one-time setup token the server
  prints in its log (``create_first_office_with_token``).

Sign-in throttling (``check_sign_in``): after repeated wrong passwords an account, or a client
address, is locked for a while (``sign_in_throttle`` table, so a restart does not lift it); each
lock is written to the audit log.
"""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import bcrypt
import duckdb
import yaml

from analytics.data.demo_mark import is_demo_database
from analytics.data.store import PROJECT_ROOT, record_audit, scalar
from analytics.data.write_lock import write_transaction

ROLES: dict[str, str] = {
    "leader": "县领导",
    "office": "招商办",
    "clerk": "单位填报员",
    "viewer": "只读(投屏)",
    "verifier": "核验员",
}
UNIT_ROLES = frozenset({"clerk", "verifier"})  # roles tied to a unit
COOKIE_NAME = "zsyz_dashboard_auth"
COOKIE_EXPIRY_DAYS = 7
MIN_PASSWORD_LENGTH = 8
_USERNAME_RE = re.compile(r"^[a-z0-9_.-]{2,32}$")
_FILE_LOCK = threading.Lock()
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class User:
    """A signed-in person: who, with which role, and for a clerk, which unit."""

    username: str
    display_name: str
    role: str  # leader | office | clerk | viewer | verifier
    unit_id: str | None = None  # a clerk's unit; a verifier's unit (e.g. the statistics bureau)
    leader_name: str | None = None  # a leader account: the county leader it is (挂包县领导, as in projects)

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
    leader_name: str | None = None


# Documented in docs/accounts.md. Only active with DASHBOARD_DEMO_USERS=1 (the demo database).
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("office", "demo-office-2026", "招商办(演示)", "office"),
    # The demo county's county head (analytics/demo/names.py) is in charge of demo projects.
    DemoAccount("leader", "demo-leader-2026", "县领导(演示)", "leader", leader_name="赵明远(县长)"),
    DemoAccount("viewer", "demo-viewer-2026", "投屏电脑(演示)", "viewer"),
    DemoAccount("clerk_t01", "demo-clerk-2026", "乡镇填报员(演示,t01)", "clerk", "t01"),
    DemoAccount("clerk_d01", "demo-clerk-2026", "部门填报员(演示,d01)", "clerk", "d01"),
)


class UsersError(ValueError):
    """A bad account change (the message is Chinese, for the screen)."""


def auth_disabled() -> bool:
    """``DASHBOARD_AUTH=off``: no sign-in; everyone is the investment office."""
    return os.environ.get("DASHBOARD_AUTH", "").strip().lower() == "off"


def demo_requested() -> bool:
    """``DASHBOARD_DEMO_USERS=1`` is set (honoured only on the demo database: ``demo_mode``)."""
    return os.environ.get("DASHBOARD_DEMO_USERS", "").strip() == "1"


def demo_mode(con: duckdb.DuckDBPyConnection) -> bool:
    """The demo accounts are in force: ``DASHBOARD_DEMO_USERS=1`` on a database marked as the demo's."""
    return demo_requested() and is_demo_database(con)


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


def _entry(
    display_name: str, password: str, role: str, unit_id: str | None, leader_name: str | None = None
) -> dict[str, Any]:
    entry = {"name": display_name, "password": hash_password(password), "roles": [role], "unit_id": unit_id}
    if leader_name:
        entry["leader_name"] = leader_name
    return entry


def _leader_name(role: str, leader_name: str | None) -> str | None:
    """A leader account's county leader (as ``projects.leader_in_charge`` names them); others none."""
    name = (leader_name or "").strip()
    return (name or None) if role == "leader" else None


def _check_role(role: str, unit_id: str | None) -> str | None:
    if role not in ROLES:
        raise UsersError(f"未知角色 {role!r};应为 " + "、".join(f"{k}({v})" for k, v in ROLES.items()))
    if role in UNIT_ROLES:
        if not (unit_id or "").strip():
            raise UsersError(f"{ROLES[role]}必须指定所属单位。")
        return unit_id.strip()
    return None


def create_first_office(path: Path, username: str, display_name: str, password: str, confirm: str) -> User:
    """The installer creates the users file with the investment office's account (only if absent).

    Trusted callers only (``python -m analytics users create-office``); the first-start screen goes
    through ``create_first_office_with_token``.
    """
    name = validate_username(username)
    validate_password(password, confirm)
    if not display_name.strip():
        raise UsersError("请填写显示名称。")
    config = empty_config()
    config["credentials"]["usernames"][name] = _entry(display_name.strip(), password, "office", None)
    with _FILE_LOCK:
        _write_config(path, config, exclusive=True)
    return User(name, display_name.strip(), "office")


@lru_cache(maxsize=1)
def setup_token() -> str:
    """This server process's one-time setup token for the first-start screen (printed in its log)."""
    raw = secrets.token_hex(8)
    token = "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))
    log.warning(
        "首次启动安装令牌 / first-start setup token: %s (创建招商办账号时填写,只在本次运行有效)", token
    )
    return token


def _normal_token(text: str) -> str:
    return re.sub(r"[\s-]", "", text or "").lower()


def create_first_office_with_token(
    path: Path, token: str, username: str, display_name: str, password: str, confirm: str
) -> User:
    """The first-start screen: creates the office account only with this process's setup token.

    Whoever merely reaches the server cannot own it: the token is printed in the server's log,
    which only the installer reads. Once used, the token is replaced.
    """
    if not token.strip():
        raise UsersError("请填写安装令牌(启动驾驶舱时打印在服务器日志中)。")
    if not secrets.compare_digest(_normal_token(token), _normal_token(setup_token())):
        raise UsersError("安装令牌不正确:请从服务器日志中复制本次启动打印的令牌。")
    user = create_first_office(path, username, display_name, password, confirm)
    setup_token.cache_clear()
    return user


def add_user(
    path: Path,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_id: str | None = None,
    *,
    known_units: set[str] | None = None,
    leader_name: str | None = None,
) -> User:
    """Add an account; a clerk's unit must be one of ``known_units`` when that is given (a verifier's
    unit need not be an assessed unit: the statistics bureau verifies 入统 without being ranked). A
    leader account may name the county leader it is (``leader_name``), for 「我挂包的项目」."""
    name = validate_username(username)
    validate_password(password)
    unit = _check_role(role, unit_id)
    if role == "clerk" and known_units is not None and unit not in known_units:
        raise UsersError(f"单位编码 {unit} 不存在。")
    if not display_name.strip():
        raise UsersError("请填写显示名称。")
    with _FILE_LOCK:
        config = load_config(path) or empty_config()
        users = config["credentials"]["usernames"]
        if name in users:
            raise UsersError(f"用户名 {name} 已存在。")
        leader = _leader_name(role, leader_name)
        users[name] = _entry(display_name.strip(), password, role, unit, leader)
        _write_config(path, config)
    return User(name, display_name.strip(), role, unit, leader)


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
    if role not in ROLES or (role in UNIT_ROLES and not entry.get("unit_id")):
        return None  # a broken entry never signs in with more rights than it should
    unit = entry.get("unit_id") if role in UNIT_ROLES else None
    leader = _leader_name(role, str(entry.get("leader_name") or ""))
    return User(username.lower(), str(entry.get("name") or username), role, unit, leader)


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
            "leader_name": account.leader_name,
        }
    return config


def active_config(con: duckdb.DuckDBPyConnection) -> dict[str, Any] | None:
    """The accounts in force now: the demo accounts in demo mode, else the users file (or ``None``)."""
    return demo_config() if demo_mode(con) else load_config()


# ---------------------------------------------------------------------------------------------
# sign-in throttling
# ---------------------------------------------------------------------------------------------

ACCOUNT_MAX_FAILURES = 5  # wrong passwords for one user name before it is locked
CLIENT_MAX_FAILURES = 20  # wrong passwords from one address (an office behind one proxy: higher)
FAILURE_WINDOW = timedelta(minutes=15)  # a failure this long after the previous one counts from 1
FIRST_LOCK = timedelta(minutes=15)  # then 30, 60, … minutes, up to MAX_LOCK
MAX_LOCK = timedelta(hours=24)
FORGET_AFTER = timedelta(hours=24)  # a day without failures forgets earlier locks


@dataclass(frozen=True)
class SignInLock:
    """A refused sign-in: locked until ``until`` (local time)."""

    until: datetime

    def message(self, now: datetime) -> str:
        when = (
            self.until.strftime("%H:%M")
            if self.until.date() == now.date()
            else self.until.strftime("%m-%d %H:%M")
        )
        return f"密码错误次数过多,请于 {when} 后再试。"


@dataclass(frozen=True)
class SignInResult:
    """The outcome of one attempt: the user, or a lock, or neither (wrong user name or password)."""

    user: User | None = None
    lock: SignInLock | None = None


def _subjects(username: str, client: str | None) -> list[tuple[str, int]]:
    """What one attempt counts against: the user name (known or not) and the client address."""
    subjects = [(f"account:{(username or '').strip().lower()}", ACCOUNT_MAX_FAILURES)]
    if client:
        subjects.append((f"client:{client}", CLIENT_MAX_FAILURES))
    return subjects


def sign_in_lock(
    con: duckdb.DuckDBPyConnection, username: str, client: str | None, now: datetime
) -> SignInLock | None:
    """The lock in force for this user name or this client at ``now`` (the later one), if any."""
    keys = [subject for subject, _ in _subjects(username, client)]
    until = scalar(
        con,
        "SELECT max(locked_until) FROM sign_in_throttle WHERE subject IN (SELECT unnest(?)) AND locked_until > ?",
        [keys, now],
    )
    return SignInLock(until) if until is not None else None


def _record_failure(
    con: duckdb.DuckDBPyConnection, username: str, client: str | None, now: datetime
) -> SignInLock | None:
    """Count a wrong password against the user name and the client; lock those over their limit."""

    locks: list[datetime] = []
    with write_transaction(con) as cur:
        for subject, limit in _subjects(username, client):
            row = cur.execute(
                "SELECT failures, last_failure_at, locks FROM sign_in_throttle WHERE subject = ?", [subject]
            ).fetchall()
            failures, last, lock_count = row[0] if row else (0, None, 0)
            if last is None or now - last > FORGET_AFTER:
                failures, lock_count = 0, 0
            elif now - last > FAILURE_WINDOW:
                failures = 0
            failures += 1
            locked_until = None
            if failures >= limit:
                locked_until = now + min(FIRST_LOCK * 2**lock_count, MAX_LOCK)
                lock_count += 1
                failures = 0
                locks.append(locked_until)
                record_audit(
                    cur,
                    actor=(username or "").strip().lower() or "(空用户名)",
                    source="登录",
                    table_name="sign_in_throttle",
                    action="lock",
                    record_key=subject,
                    after_json=json.dumps(
                        {
                            "locked_until": locked_until.isoformat(timespec="seconds"),
                            "failures": limit,
                            "lock_number": lock_count,
                        }
                    ),
                )
            cur.execute(
                "INSERT INTO sign_in_throttle (subject, failures, last_failure_at, locks, locked_until)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET failures = excluded.failures,"
                " last_failure_at = excluded.last_failure_at, locks = excluded.locks,"
                " locked_until = coalesce(excluded.locked_until, sign_in_throttle.locked_until)",
                [subject, failures, now, lock_count, locked_until],
            ).fetchall()
    return SignInLock(max(locks)) if locks else None


def _record_success(con: duckdb.DuckDBPyConnection, username: str) -> None:
    """A right password (outside any lock) forgets the account's failures; the client's stay."""

    subject = _subjects(username, None)[0][0]
    with write_transaction(con) as cur:
        cur.execute("DELETE FROM sign_in_throttle WHERE subject = ?", [subject]).fetchall()


def check_sign_in(
    con: duckdb.DuckDBPyConnection,
    config: dict[str, Any],
    username: str,
    password: str,
    *,
    client: str | None,
    now: datetime | None = None,
) -> SignInResult:
    """One sign-in attempt, throttled: while the user name or the client is locked, even the right
    password is refused (and not checked); a wrong one counts towards a lock."""
    now = now or datetime.now()
    lock = sign_in_lock(con, username, client, now)
    if lock is not None:
        return SignInResult(lock=lock)
    user = authenticate(config, username, password)
    if user is None:
        return SignInResult(lock=_record_failure(con, username, client, now))
    _record_success(con, username)
    return SignInResult(user=user)
