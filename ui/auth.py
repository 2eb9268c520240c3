"""Sign-in and roles. Until sign-in is configured, everyone is the investment office (open demo mode)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class User:
    username: str
    display_name: str
    role: str  # leader | office | clerk | viewer
    unit_id: str | None = None


def require_user() -> User:
    return User(username="demo", display_name="演示用户", role="office")
