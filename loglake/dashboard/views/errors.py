"""Errors: top error types and message patterns with a trend each; a click shows sample lines."""

from __future__ import annotations

import streamlit as st

from loglake.analytics.sql import QueryResult
from loglake.dashboard.context import run
from loglake.dashboard.display import explain_empty_range, frame, show_table
from loglake.dashboard.page import start_page

state, controls = start_page("Errors")
selection = controls.selection
bucket = selection.bucket.label
trend = st.column_config.LineChartColumn(f"trend (lines per {bucket})", y_min=0)

types: QueryResult = run(state, "error types", selection)
patterns: QueryResult = run(state, "error patterns", selection)
if not types.rows and not patterns.rows:
    explain_empty_range(state, selection, "error lines")
    st.stop()

st.subheader("Error types")
st.caption("Select a row to see its latest lines.")
type_event = st.dataframe(
    frame(types),
    hide_index=True,
    key="error_types",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"trend": trend},
)

st.subheader("Message patterns of error lines")
st.caption(
    "Variable parts (IDs, numbers, times, addresses) are masked, so equal shapes group "
    "together; `loglake patterns --errors` lists the same patterns. Select a row to see its "
    "latest lines."
)
pattern_event = st.dataframe(
    frame(patterns),
    hide_index=True,
    key="error_patterns",
    on_select="rerun",
    selection_mode="single-row",
    column_config={"trend": trend, "template": st.column_config.TextColumn(width="large")},
)

type_rows = type_event.selection.rows
pattern_rows = pattern_event.selection.rows
if pattern_rows:
    pattern_id = patterns.rows[pattern_rows[0]][0]
    st.subheader(f"Latest lines of pattern {pattern_id}")
    show_table(run(state, "error samples", selection, None, pattern_id), key="samples")
elif type_rows:
    error_type = types.rows[type_rows[0]][0]
    st.subheader(f"Latest lines of {error_type}")
    show_table(run(state, "error samples", selection, error_type, None), key="samples")
