"""The opening of every page: the lake, the sidebar's selection, and the empty-lake notice."""

from __future__ import annotations

import streamlit as st

from loglake.dashboard.context import LakeState
from loglake.dashboard.controls import Controls
from loglake.dashboard.display import stop_if_lake_empty


def start_page(title: str) -> tuple[LakeState, Controls]:
    """Draw the page title and return the lake and controls; stop when there is nothing to show."""
    st.title(title)
    state: LakeState = st.session_state["lake_state"]
    stop_if_lake_empty(state)
    controls: Controls | None = st.session_state["controls"]
    if controls is None:
        st.info("Choose a custom start and end in the sidebar.")
        st.stop()
    return state, controls
