"""The dashboard's entry script: page navigation and the sidebar controls every page shares.

Run it with ``loglake dashboard``, which starts Streamlit on it with the lake in
``LOGLAKE_LAKE``.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from loglake.dashboard.context import lake_state
from loglake.dashboard.controls import sidebar_controls

VIEWS = Path(__file__).parent / "views"

# No page icon: Streamlit fetches Material icons for favicons from a font CDN.
st.set_page_config(page_title="loglake", layout="wide")

pages = [
    st.Page(VIEWS / "overview.py", title="Overview", url_path="overview", default=True),
    st.Page(VIEWS / "errors.py", title="Errors", url_path="errors"),
    st.Page(VIEWS / "cold_starts.py", title="Cold starts", url_path="cold-starts"),
    st.Page(VIEWS / "request_lookup.py", title="Request lookup", url_path="lookup"),
    st.Page(VIEWS / "memory_cost.py", title="Memory and cost", url_path="cost"),
    st.Page(VIEWS / "traces.py", title="Traces", url_path="traces"),
    st.Page(VIEWS / "query.py", title="Query", url_path="query"),
    st.Page(VIEWS / "advisor.py", title="Advisor", url_path="advisor"),
]
navigation = st.navigation(pages)

state = lake_state()
st.session_state["lake_state"] = state
st.session_state["controls"] = sidebar_controls(state)
with st.sidebar:
    st.caption(f"Lake: `{state.url}`")
navigation.run()
