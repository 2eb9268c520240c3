"""The shared frame of every page: the database connection, the global choices, cached loading.

Pages call ``load(analytics_function, ...)``: the result is cached per (database file, data
version, function, arguments), so moving between pages recomputes nothing that did not change,
while any write (which always lands in the audit log) bumps the data version and shows at once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import duckdb
import streamlit as st

from analytics.core.period import Period
from analytics.core.settings import SETTING_LABELS, effective_settings
from analytics.data.store import DatabaseLockedError, data_version, database_path, open_database
from analytics.screens import catalog

log = logging.getLogger(__name__)
T = TypeVar("T")

YEAR_KEY = "global_year"
AS_OF_KEY = "global_as_of"
SCENARIO_KEY = "global_settings_overrides"


@st.cache_resource(show_spinner=False)
def _shared_connection(path: str) -> duckdb.DuckDBPyConnection:
    """One connection per database file and process; threads take cursors from it."""
    return open_database(path)


def cursor() -> duckdb.DuckDBPyConnection:
    """A fresh cursor for this thread on the process's shared connection.

    A database file held by another process (a second app, a command-line import) stops the page
    with a plain explanation instead of a traceback.
    """
    try:
        return _shared_connection(str(database_path())).cursor()
    except DatabaseLockedError as exc:
        log.warning("database locked: %s", exc)
        st.error(str(exc), icon=":material/lock:")
        st.stop()


@dataclass(frozen=True)
class Choices:
    """The global choices of the sidebar: plan year and as-of date."""

    year: int
    as_of: date

    @property
    def period(self) -> Period:
        return Period(self.year, self.as_of)


def is_projector_mode() -> bool:
    """``?mode=projector``: the weekly dispatch meeting's full-screen mode, no sidebar."""
    return st.query_params.get("mode") == "projector"


def sidebar_choices(today: date | None = None, *, show: bool = True) -> Choices:
    """Set up the global choices (from the URL the first time) and draw them in the sidebar."""
    today = today or date.today()
    years = load(catalog.available_years, today)
    params = st.query_params
    if YEAR_KEY not in st.session_state:
        year_param = params.get("year", "")
        st.session_state[YEAR_KEY] = int(year_param) if year_param.isdigit() else today.year
    if not 2000 <= int(st.session_state[YEAR_KEY]) <= 2100:
        st.session_state[YEAR_KEY] = today.year
    # A year chosen by link (or a test) stays selectable even when no record falls in it yet.
    years = sorted({*years, int(st.session_state[YEAR_KEY])}, reverse=True)
    if AS_OF_KEY not in st.session_state:
        st.session_state[AS_OF_KEY] = _date_param(params.get("as_of")) or today
    if not show:
        return current_choices()
    with st.sidebar:
        st.selectbox("计划年度", years, key=YEAR_KEY, format_func=lambda y: f"{y} 年")
        st.date_input("截至日期", key=AS_OF_KEY, format="YYYY-MM-DD")
    return current_choices()


def current_choices() -> Choices:
    today = date.today()
    return Choices(
        year=int(st.session_state.get(YEAR_KEY, today.year)),
        as_of=st.session_state.get(AS_OF_KEY, today),
    )


def _date_param(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def current_settings() -> dict[str, Any]:
    """Stored settings plus this person's what-if overrides, if any are active."""
    return load(
        _settings_with_overrides, json.dumps(st.session_state.get(SCENARIO_KEY) or {}, sort_keys=True)
    )


def verified_only_banner() -> None:
    """「仅计已核验」 above every page while the settings in force count only verified milestones."""
    if current_settings().get("count_verified_only"):
        st.info(
            f"{SETTING_LABELS['count_verified_only']}:入统、开工、投产和资金到位须经核验才计入本页各项数据。",
            icon=":material/verified:",
        )


def _settings_with_overrides(con: duckdb.DuckDBPyConnection, overrides_json: str) -> dict[str, Any]:
    return effective_settings(con, json.loads(overrides_json))


@st.cache_data(show_spinner=False, max_entries=512, ttl=3600)
def _cached_call(db_path: str, version: int, name: str, _func: Callable[..., Any], args_json: str) -> Any:
    del db_path, version, name  # cache keys only
    args, kwargs = _decode(args_json)
    return _func(cursor(), *args, **kwargs)


def load(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``func(cursor, *args, **kwargs)`` through the cache keyed by the data version."""
    con = cursor()
    version = data_version(con)
    name = f"{func.__module__}.{func.__qualname__}"
    return _cached_call(str(database_path()), version, name, func, _encode(args, kwargs))


def _encode(args: tuple, kwargs: dict) -> str:
    def default(value: Any) -> Any:
        if isinstance(value, Period):
            return {"__period__": [value.year, value.as_of.isoformat()]}
        if isinstance(value, date):
            return {"__date__": value.isoformat()}
        raise TypeError(f"cannot cache argument {value!r}")

    return json.dumps({"args": list(args), "kwargs": kwargs}, default=default, sort_keys=True)


def _decode(args_json: str) -> tuple[list, dict]:
    def hook(obj: dict) -> Any:
        if "__period__" in obj:
            year, as_of = obj["__period__"]
            return Period(year, date.fromisoformat(as_of))
        if "__date__" in obj:
            return date.fromisoformat(obj["__date__"])
        return obj

    payload = json.loads(args_json, object_hook=hook)
    return payload["args"], payload["kwargs"]
