"""Session-state keys of the 模拟推演 page: every widget key starts with
``whatif_``; the person's scenario (assumed events, target overrides) lives under the keys below."""

from __future__ import annotations

EVENTS_KEY = "whatif_events"
TARGETS_KEY = "whatif_target_overrides"
GEN_KEY = "whatif_editor_generation"
