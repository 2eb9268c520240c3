"""AppTest instances that share one component registry, as the real server does.

The Streamlit server scans the installed packages for components once, at start-up; an AppTest
scans them again at its first run (a few hundred milliseconds of reading package metadata). The
page tests and ``benchmarks/page_bench.py`` create many AppTests, so they share the registry of the
first one. Nothing else is shared: each AppTest is a new session.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

_REGISTRY_ATTRIBUTE = "_bidi_component_manager"  # AppTest's own cache of the scan (streamlit 1.67)
_shared: list[object] = []


def new_app_test(script: Path | str, *, default_timeout: float = 60) -> AppTest:
    """``AppTest.from_file(script)`` reusing the component registry of the first AppTest that ran.

    When a later Streamlit renames the attribute, each AppTest simply scans again (slower, same result).
    """
    at = AppTest.from_file(str(script), default_timeout=default_timeout)
    if _shared and hasattr(at, _REGISTRY_ATTRIBUTE):
        setattr(at, _REGISTRY_ATTRIBUTE, _shared[0])
    return at


def remember_registry(at: AppTest) -> None:
    """Keep ``at``'s component registry for the next AppTests (after its first run)."""
    registry = getattr(at, _REGISTRY_ATTRIBUTE, None)
    if registry is not None and not _shared:
        _shared.append(registry)
