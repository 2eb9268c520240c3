"""核验: the verification queue, oldest first, by kind and unit, with the evidence in view.

The office sees every kind and verifies those assigned to it; a verifier (e.g. the statistics bureau
for 入统) sees and verifies only its unit's kinds. Every decision goes through
``analytics.entry.verification`` (checked and audited there).
"""

from __future__ import annotations

import streamlit as st

from analytics.core.settings import effective_settings
from analytics.entry import verification
from ui import verify_panels
from ui.auth import require_role
from ui.frame import load
from ui.widgets import empty_state

user = require_role("verify")
st.title("核验")
settings = load(effective_settings)
st.caption(f"核验单位:{verification.verifier_note(settings)}。确认后计入核验日期;退回须写明原因。")

kinds = verification.visible_kinds(user, settings)
if not kinds:
    empty_state("本单位目前没有需要核验的事项(核验单位由招商办在参数设置中指定)。")
    st.stop()

chosen_kinds, unit, status = verify_panels.filters(kinds)
queue = load(verification.queue, kinds=chosen_kinds, unit_id=unit, status=status)
st.subheader(f"{len(queue)} 项")
if queue.empty:
    verify_panels.empty_queue(status)
    st.stop()
verify_panels.queue_table(queue)

row = verify_panels.pick(queue)
if row is not None:
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**核验材料**")
        verify_panels.evidence_view(row)
        verify_panels.attach_form(user, row)
    with right:
        verify_panels.decision_forms(user, row, settings)
