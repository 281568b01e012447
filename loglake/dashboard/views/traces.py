"""Traces: latency distribution, faults and errors, the slowest traces and root causes."""

from __future__ import annotations

from urllib.parse import quote

import streamlit as st

from loglake.analytics.dashboard_data.trace_stats import TraceTotals
from loglake.dashboard import charts
from loglake.dashboard.context import run
from loglake.dashboard.display import chart_frame, explain_empty_range, frame, show_table
from loglake.dashboard.page import start_page

state, controls = start_page("Traces")
selection = controls.selection

totals: TraceTotals = run(state, "trace totals", selection)
if not totals.traces:
    explain_empty_range(state, selection, "X-Ray traces")
    st.caption("Traces come from `loglake xray pull` and the scheduled X-Ray poller.")
    st.stop()

columns = st.columns(6)
columns[0].metric("Traces", f"{totals.traces:,}")
columns[1].metric("Faults (5xx)", f"{totals.faults:,}")
columns[2].metric("Errors (4xx)", f"{totals.errors:,}")
columns[3].metric("Throttles", f"{totals.throttles:,}")
columns[4].metric("p50", f"{totals.p50_ms:,.1f} ms" if totals.p50_ms is not None else "-")
columns[5].metric("p99", f"{totals.p99_ms:,.1f} ms" if totals.p99_ms is not None else "-")

st.subheader("Latency distribution")
st.altair_chart(
    charts.histogram(
        chart_frame(run(state, "latency histogram", selection)),
        start="bin start ms",
        end="bin end ms",
        count="traces",
        series="outcome",
        title="trace duration, ms",
    ),
    width="stretch",
)

st.subheader("Slowest traces")
slowest = frame(run(state, "slowest traces", selection))
slowest["open"] = [f"./lookup?id={quote(trace_id)}" for trace_id in slowest["trace ID"]]
st.dataframe(
    slowest,
    hide_index=True,
    key="slowest",
    column_config={"open": st.column_config.LinkColumn("open", display_text="waterfall")},
)

st.subheader("Root causes")
show_table(run(state, "root causes", selection), key="root_causes")
