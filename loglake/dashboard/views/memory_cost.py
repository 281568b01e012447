"""Memory and cost: memory used against configured, headroom, out-of-memory kills, billed
GB-seconds and cost at list prices."""

from __future__ import annotations

import altair as alt
import streamlit as st

from loglake.analytics.dashboard_data.memory_cost import MemoryCost
from loglake.dashboard.context import run
from loglake.dashboard.display import chart_frame, explain_empty_range, show_table
from loglake.dashboard.page import start_page

state, controls = start_page("Memory and cost")
selection = controls.selection

report: MemoryCost = run(state, "memory and cost", selection, controls.architecture)
if not report.rows.rows:
    explain_empty_range(state, selection, "invocations")
    st.stop()

index = {column: position for position, column in enumerate(report.rows.columns)}
oom_kills = sum(row[index["OOM kills"]] for row in report.rows.rows)
columns = st.columns(3)
columns[0].metric("Billed GB-seconds", f"{report.total_gb_seconds:,.3f}")
columns[1].metric("Cost", f"${report.total_usd:,.6f}")
columns[2].metric("Out-of-memory kills", f"{oom_kills:,}")

st.subheader("Per function and memory size")
show_table(report.rows, key="memory_cost")
st.caption(
    f"{report.architecture} on-demand list prices as of {report.prices_as_of}, first volume "
    "tier, without free tier or discounts, from loglake's price table "
    f"({', '.join(report.prices_sources)}). Headroom is the memory size minus the maximum "
    "used. An out-of-memory kill is a REPORT with error type Runtime.OutOfMemory."
)
if report.borrowed_regions:
    st.warning(
        "The price table lacks prices for "
        f"{', '.join(report.borrowed_regions)}; the default region's prices were used."
    )

st.subheader("Memory used against memory size")
data = chart_frame(report.rows)
data["series"] = data["function"] + " " + data["memory size MB"].astype(str) + " MB"
bars = (
    alt.Chart(data)
    .mark_bar()
    .encode(
        y=alt.Y("series:N", title=None),
        x=alt.X("memory size MB:Q", title="MB"),
        color=alt.value("#d5dbe5"),
        tooltip=["series:N", "memory size MB:Q", "max used MB:Q", "headroom %:Q"],
    )
)
used = bars.mark_bar(height=10).encode(x="max used MB:Q", color=alt.value("#4c78a8"))
st.altair_chart((bars + used).properties(height=max(120, 36 * len(data))), width="stretch")
