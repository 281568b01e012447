"""Overview: one row per function, and invocations, errors and cold starts over time."""

from __future__ import annotations

import streamlit as st

from loglake.analytics.sql import QueryResult
from loglake.dashboard import charts
from loglake.dashboard.context import run
from loglake.dashboard.display import chart_frame, explain_empty_range, show_table
from loglake.dashboard.page import start_page

state, controls = start_page("Overview")
selection = controls.selection

functions: QueryResult = run(state, "overview", selection, controls.architecture)
if not functions.rows:
    explain_empty_range(state, selection, "invocations")
    st.stop()

totals = {column: index for index, column in enumerate(functions.columns)}
invocations = sum(row[totals["invocations"]] for row in functions.rows)
errors = sum(row[totals["errors"]] for row in functions.rows)
cold_starts = sum(row[totals["cold starts"]] for row in functions.rows)
cost = sum(row[totals["cost USD"]] for row in functions.rows)
columns = st.columns(4)
columns[0].metric("Invocations", f"{invocations:,}")
columns[1].metric(
    "Errors", f"{errors:,}", help="Invocations whose REPORT status is error or timeout"
)
columns[2].metric("Cold starts", f"{cold_starts:,}")
columns[3].metric(
    "Cost", f"${cost:,.4f}", help=f"On-demand list prices for {controls.architecture}"
)

st.subheader("Functions")
show_table(functions, key="functions")
st.caption(
    f"Cost is the on-demand duration and request charge at {controls.architecture} list prices "
    "(change the architecture in the sidebar). Errors are invocations whose REPORT status is "
    "error or timeout, as Lambda's Errors metric counts them."
)

activity = chart_frame(run(state, "activity", selection))
bucket = selection.bucket.label
for measure in ("invocations", "errors", "cold starts"):
    st.subheader(f"{measure.capitalize()} per {bucket}")
    st.altair_chart(
        charts.time_series(activity, time="time", value=measure, series="function"),
        width="stretch",
    )
