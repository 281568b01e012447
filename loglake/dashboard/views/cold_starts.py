"""Cold starts: the rate over time by function, version or runtime, and init durations."""

from __future__ import annotations

import streamlit as st

from loglake.analytics.dashboard_data.cold_starts import GROUP_BYS
from loglake.analytics.sql import QueryResult
from loglake.dashboard import charts
from loglake.dashboard.context import run
from loglake.dashboard.display import chart_frame, explain_empty_range, show_table
from loglake.dashboard.page import start_page

state, controls = start_page("Cold starts")
selection = controls.selection

breakdown: QueryResult = run(state, "cold start breakdown", selection)
if not breakdown.rows:
    explain_empty_range(state, selection, "invocations")
    st.stop()

index = {column: position for position, column in enumerate(breakdown.columns)}
invocations = sum(row[index["invocations"]] for row in breakdown.rows)
cold = sum(row[index["cold starts"]] for row in breakdown.rows)
columns = st.columns(3)
columns[0].metric("Invocations", f"{invocations:,}")
columns[1].metric("Cold starts", f"{cold:,}")
columns[2].metric("Cold-start rate", f"{cold * 100 / invocations:.2f} %")

st.subheader("By function, version and runtime")
show_table(breakdown, key="breakdown")
st.caption(
    "Init durations are REPORT's Init Duration, or Restore Duration for a SnapStart restore. "
    "The runtime is the one the version's latest INIT_START line in the range names."
)

group_by = st.segmented_control(
    "Rate over time by", GROUP_BYS, default="function", key="group_by", bind="query-params"
)
rate = chart_frame(run(state, "cold start rate", selection, group_by or "function"))
st.subheader(f"Cold-start rate per {selection.bucket.label}, %")
st.altair_chart(
    charts.time_series(rate, time="time", value="cold-start rate %", series="group", kind="line"),
    width="stretch",
)

histogram: QueryResult = run(state, "init histogram", selection)
if histogram.rows:
    st.subheader("Init duration distribution")
    st.altair_chart(
        charts.histogram(
            chart_frame(histogram),
            start="bin start ms",
            end="bin end ms",
            count="cold starts",
            series="function",
            title="init duration, ms",
        ),
        width="stretch",
    )
