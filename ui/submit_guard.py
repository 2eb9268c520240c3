"""A guard against a double click on a form's submit button.

A second press of 报送 while the first is being handled reruns the page with the same form values;
without a guard the same row is stored twice. Each form keeps, in session state, the token of its
last stored submission (its key and the values it carried): a submission whose token equals it is
not stored again and the clerk is told so. Changing any value makes a new token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

T = TypeVar("T")
DUPLICATE_MESSAGE = "这份内容刚才已提交并保存,未重复保存。如确需再次登记相同内容,请修改后再提交。"


def submission_token(form: str, values: Any) -> str:
    """The token of one submission of ``form`` carrying ``values``."""
    return hashlib.sha256(f"{form}\x1f{values!r}".encode()).hexdigest()


def submit_once(form: str, values: Any, save: Callable[[], T | None]) -> T | None:
    """Run ``save`` unless this very submission was stored already; remember it when stored."""
    key = f"submit_token_{form}"
    token = submission_token(form, values)
    if st.session_state.get(key) == token:
        st.info(DUPLICATE_MESSAGE, icon=":material/content_copy:")
        return None
    result = save()
    if result is not None:
        st.session_state[key] = token
    return result
