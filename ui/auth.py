"""Sign-in and roles on screen: streamlit-authenticator's form and re-authentication cookie over the
accounts of ``analytics.users`` (bcrypt hashes in the users file, or the demo accounts).

- ``DASHBOARD_AUTH=off`` (read on every call): no sign-in, everyone is the investment office.
- No users file yet: the first screen explains how the installer creates the investment office's
  account (the command, or this server's one-time setup token from its log).
- Otherwise a sign-in form, throttled per user name and per client address
  (``analytics.users.check_sign_in``); a signed cookie (key in the users file) keeps people
  signed in.
"""

from __future__ import annotations

import copy
import logging
from datetime import datetime

import pandas as pd
import streamlit as st
import streamlit_authenticator as stauth

from analytics.access import permissions
from analytics.access.users import (
    DEMO_ACCOUNTS,
    LOCAL_OFFICE_USER,
    ROLES,
    User,
    UsersError,
    active_config,
    auth_disabled,
    check_sign_in,
    create_first_office_with_token,
    demo_mode,
    demo_requested,
    setup_token,
    user_from_config,
    users_path,
)
from ui.frame import cursor

__all__ = ["User", "current_user", "page_visibility", "require_role", "require_user", "sign_in_screen"]

log = logging.getLogger(__name__)
_AUTH_KEY = "auth_authenticator"
_USER_KEY = "auth_current_user"


def _authenticator(config: dict) -> stauth.Authenticate:
    """The authenticator over a copy of the accounts (it mutates what it is given)."""
    cookie = config["cookie"]
    return stauth.Authenticate(
        copy.deepcopy(config["credentials"]),
        cookie["name"],
        cookie["key"],
        float(cookie.get("expiry_days", 7)),
        auto_hash=False,
        login_sleep_time=0,
    )


def current_user() -> User | None:
    """The signed-in user, ``None`` if nobody is (the re-authentication cookie is honoured).

    Called once per run, by ``app.py`` before the pages: the authenticator draws a cookie
    component, which may exist only once per run. Pages then use ``require_user``.
    """
    st.session_state.pop(_USER_KEY, None)
    if auth_disabled():
        return LOCAL_OFFICE_USER
    try:
        config = active_config(cursor())
    except UsersError as exc:
        st.error(str(exc))
        st.stop()
    if config is None:
        return None
    authenticator = _authenticator(config)
    st.session_state[_AUTH_KEY] = authenticator
    try:
        authenticator.login(location="unrendered")
    except Exception:  # a cookie for an account that no longer exists, or a damaged cookie
        log.exception("re-authentication failed")
        st.session_state["authentication_status"] = None
    if not st.session_state.get("authentication_status"):
        return None
    user = user_from_config(config, st.session_state.get("username") or "")
    if user is None:  # the account was removed or broken after signing in
        st.session_state["authentication_status"] = None
    st.session_state[_USER_KEY] = user
    return user


def require_user() -> User:
    """The user ``app.py`` signed in on this run; otherwise the sign-in screen, and the run stops.

    ``DASHBOARD_AUTH=off`` is read on every call (page tests set it without going through sign-in).
    """
    if auth_disabled():
        return LOCAL_OFFICE_USER
    user = st.session_state.get(_USER_KEY)
    if user is None:
        sign_in_screen()
        st.stop()
    return user


def require_role(action: str) -> User:
    """For a page only some roles may use: the user, or a clear refusal and the run stops."""
    user = require_user()
    if not permissions.can(user, action):
        st.error(
            f"您的账号({user.display_name} · {user.role_label})无权使用本页面"
            f"({permissions.ACTION_LABELS.get(action, action)})。请从左侧菜单选择其他页面。",
            icon=":material/block:",
        )
        st.stop()
    return user


def page_visibility(user: User | None, url_path: str) -> str:
    """``"visible"`` if the page is in this user's menu, else ``"hidden"`` (it still guards itself)."""
    return "visible" if user is not None and permissions.can_open_page(user, url_path) else "hidden"


def sign_in_screen() -> None:
    """The first-start form (no users file yet) or the sign-in form; reruns once signed in."""
    _, middle, _ = st.columns([1, 1.3, 1])
    with middle:
        st.title("招商引资调度驾驶舱")
        con = cursor()
        if demo_requested() and not demo_mode(con):
            st.warning("已设置 DASHBOARD_DEMO_USERS=1,但当前数据库不是演示数据库:演示账号未启用。")
        config = active_config(con)
        if config is None:
            _first_start_form()
            return
        with st.form("auth_login"):
            st.subheader("登录")
            username = st.text_input("用户名", autocomplete="username")
            password = st.text_input("密码", type="password", autocomplete="current-password")
            submitted = st.form_submit_button("登录", type="primary")
        if submitted and _sign_in(con, config, username, password):
            # No st.rerun() here: the cookie component drawn by set_cookie must reach the browser;
            # once it has stored the cookie it reports back, which reruns the app signed in.
            st.success("登录成功,正在进入……")
            st.button("进入驾驶舱", key="auth_enter", type="primary")
            return
        if demo_mode(con):
            _demo_accounts_note()


def _client_address() -> str:
    """The address sign-in failures are counted against: the connection's peer; behind a reverse
    proxy on this machine, the address the proxy appended to X-Forwarded-For; else this machine."""
    address = st.context.ip_address
    if address:
        return address
    forwarded = (st.context.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
    return forwarded or "localhost"


def _sign_in(con, config: dict, username: str, password: str) -> bool:
    """Check one attempt (throttled); when right, sign in and store the re-authentication cookie."""
    client = _client_address()
    result = check_sign_in(con, config, username, password, client=client)
    if result.lock is not None:
        log.warning(
            "sign-in refused while locked: user %r from %s until %s", username, client, result.lock.until
        )
        st.error(result.lock.message(datetime.now()), icon=":material/lock_clock:")
        return False
    if result.user is None:
        st.error("用户名或密码不正确。", icon=":material/error:")
        return False
    user = result.user
    st.session_state.update(
        {
            "authentication_status": True,
            "username": user.username,
            "name": user.display_name,
            "roles": [user.role],
            "email": None,
        }
    )
    authenticator = st.session_state.get(_AUTH_KEY) or _authenticator(config)
    authenticator.cookie_controller.set_cookie()
    return True


def _first_start_form() -> None:
    setup_token()  # printed in the server's log the first time it is made
    st.subheader("首次启动:创建招商办账号")
    st.markdown(
        "系统中还没有任何账号。招商办管理员账号只能由**安装人员**创建,访问者不能直接创建。"
        "其他人员的账号由招商办在「招商办管理 → 账号管理」中添加。\n\n"
        "**方法一(推荐)**:在服务器上、驾驶舱目录中运行下面的命令,按提示两次输入密码,然后刷新本页登录:"
    )
    st.code(
        f"python -m analytics users create-office --username zsb --users {users_path()}",
        language="bash",
    )
    st.markdown(
        "**方法二**:在下方填写「安装令牌」——它在本次启动后打印在服务器日志中"
        "(运行驾驶舱的终端窗口,以「首次启动安装令牌」开头的一行),只在本次运行有效、只能使用一次。"
    )
    st.caption(f"账号保存在 {users_path()},密码只以 bcrypt 哈希保存。")
    with st.form("auth_first_office"):
        token = st.text_input("安装令牌(见服务器日志)", type="password")
        username = st.text_input("用户名", placeholder="例如 zsb")
        display_name = st.text_input("显示名称", value="县招商办")
        password = st.text_input("密码(至少 8 位,含字母和数字)", type="password")
        confirm = st.text_input("再次输入密码", type="password")
        submitted = st.form_submit_button("创建并进入登录", type="primary")
    if submitted:
        try:
            create_first_office_with_token(users_path(), token, username, display_name, password, confirm)
        except UsersError as exc:
            st.error(str(exc))
            return
        st.success("招商办账号已创建,请登录。")
        st.rerun()


def _demo_accounts_note() -> None:
    rows = [
        {"用户名": a.username, "密码": a.password, "角色": ROLES[a.role], "单位": a.unit_id or ""}
        for a in DEMO_ACCOUNTS
    ]
    with st.expander("演示账号(仅演示数据库启用)", expanded=True):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def sign_out_control(user: User) -> None:
    """Who is signed in, and the sign-out button, in the sidebar (stops the run after signing out)."""
    unit = f" · 单位 {user.unit_id}" if user.unit_id and user.unit_id not in user.display_name else ""
    st.sidebar.caption(f"当前用户:{user.display_name} · {user.role_label}{unit}")
    if auth_disabled():
        return
    if st.sidebar.button("退出登录", icon=":material/logout:", key="auth_sign_out"):
        authenticator = st.session_state.get(_AUTH_KEY)
        if authenticator is not None:
            authenticator.logout(location="unrendered")
        st.session_state["authentication_status"] = None
        st.success("您已退出登录。")
        if st.button("重新登录", key="auth_sign_in_again"):
            st.rerun()
        st.stop()
