"""Advisor: the findings of ``loglake advise`` for the selection, ranked by monthly impact."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from loglake.analytics.advisor import Report, Scope, UnknownFunctionError
from loglake.analytics.advisor.render import format_impact
from loglake.dashboard import charts
from loglake.dashboard.context import run
from loglake.dashboard.page import start_page

state, controls = start_page("Advisor")
selection = controls.selection
only = selection.functions[0] if len(selection.functions) == 1 else None
scope = Scope(start=selection.start, end=selection.end, function_name=only)
try:
    report: Report = run(state, "advice", scope, controls.architecture)
except UnknownFunctionError as error:
    st.info(str(error))
    st.stop()

findings = [
    (rank, finding)
    for rank, finding in enumerate(report.findings, start=1)
    if not selection.functions or finding.function_name in selection.functions
]
for note in report.notes:
    st.caption(note)
if not findings:
    st.success("No findings for the selected functions and time range.")
    st.stop()

table = pd.DataFrame(
    [
        {
            "rank": rank,
            "function": finding.function_name,
            "version": finding.function_version,
            "finding": finding.title,
            "impact per month": format_impact(finding),
            "monthly USD": round(finding.impact.monthly_usd, 2),
            "evidence": finding.summary,
        }
        for rank, finding in findings
    ]
)
st.dataframe(table, hide_index=True, key="findings")

for rank, finding in findings:
    with st.expander(f"{rank}. {finding.function_name}: {finding.title}"):
        st.markdown(finding.summary)
        st.markdown(f"**What to do:** {finding.recommendation}")
        st.caption(finding.impact.basis)
        st.json(finding.to_dict()["evidence"], expanded=False)
        if finding.request_ids:
            st.markdown("Affected requests: " + ", ".join(finding.request_ids[:10]))
        for chart in finding.charts:
            data = pd.DataFrame(list(chart.rows))
            if data.empty or chart.x not in data:
                continue
            long = data.melt(
                id_vars=[chart.x], value_vars=list(chart.y), var_name="measure", value_name="value"
            )
            st.markdown(f"**{chart.title}**")
            try:
                # Time buckets arrive as ISO 8601 UTC strings; other x values are categories.
                long[chart.x] = pd.to_datetime(long[chart.x], utc=True, format="ISO8601")
            except (ValueError, TypeError):
                drawn = charts.category_bars(
                    long, category=chart.x, value="value", series="measure"
                )
            else:
                drawn = charts.time_series(
                    long, time=chart.x, value="value", series="measure", kind=chart.kind
                )
            st.altair_chart(drawn, width="stretch", key=f"chart-{rank}-{chart.title}")
