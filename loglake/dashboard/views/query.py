"""Query: a Logs Insights query editor with the saved queries, parameters, the results table,
a chart for ``stats ... by bin()``, the compiled SQL and downloads."""

from __future__ import annotations

import streamlit as st

from loglake.analytics.dashboard_data.insights_page import bin_column
from loglake.analytics.insights import DEFAULT_ROW_LIMIT, InsightsError, ParameterValue
from loglake.analytics.output import to_csv, to_json
from loglake.analytics.query import InsightsResult
from loglake.analytics.saved_queries import (
    SavedQuery,
    SavedQueryError,
    bind_parameters,
    format_value,
    load_saved_queries,
)
from loglake.analytics.sql import QueryError
from loglake.dashboard import charts
from loglake.dashboard.context import run
from loglake.dashboard.display import chart_frame, frame
from loglake.dashboard.page import start_page

NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "FLOAT", "DOUBLE")
EXAMPLE = 'filter @type = "REPORT"\n| stats count(*) as invocations by bin(1h), @function'

state, controls = start_page("Query")
selection = controls.selection

try:
    saved_queries = load_saved_queries()
except SavedQueryError as error:
    st.error(f"The saved queries could not be loaded: {error}")
    saved_queries = {}


def _load_saved() -> None:
    """Put the chosen saved query's text into the editor; a callback, run before the rerun."""
    chosen = saved_queries.get(st.session_state.get("saved") or "")
    if chosen is not None:
        st.session_state["q"] = chosen.query


name = st.selectbox(
    "Saved query",
    list(saved_queries),
    index=None,
    placeholder="None: write your own",
    key="saved",
    bind="query-params",
    on_change=_load_saved,
)
saved: SavedQuery | None = saved_queries.get(name or "")
if saved is not None:
    st.caption(f"{saved.description} Its file: `{saved.path.name}`.")
if saved is not None and not st.session_state.get("q"):
    st.session_state["q"] = saved.query

text = st.text_area(
    "Logs Insights query",
    key="q",
    bind="query-params",
    height=140,
    placeholder=EXAMPLE,
    help="Runs over the time range and functions of the sidebar. Ctrl+Enter runs it.",
)

parameters: dict[str, ParameterValue] = {}
if saved is not None and saved.parameters:
    given: dict[str, str] = {}
    columns = st.columns(len(saved.parameters))
    for column, parameter in zip(columns, saved.parameters, strict=True):
        default = "" if parameter.default is None else format_value(parameter.default)
        entered = column.text_input(
            f"${parameter.name} ({parameter.type})",
            value=default,
            key=f"param-{saved.name}-{parameter.name}",
            help=parameter.description,
        )
        if entered != "" or parameter.default is None:
            given[parameter.name] = entered
    try:
        parameters = bind_parameters(saved, {key: value for key, value in given.items() if value})
    except SavedQueryError as error:
        st.warning(str(error))
        st.stop()

row_limit = int(
    st.number_input(
        "Rows",
        min_value=1,
        max_value=100_000,
        value=DEFAULT_ROW_LIMIT,
        key="limit",
        help="Rows returned when the query has no limit command of its own.",
    )
)

if not text or not text.strip():
    st.info("Write a query or pick a saved one. Example:")
    st.code(EXAMPLE, language=None)
    st.stop()

try:
    outcome: InsightsResult = run(state, "insights", text, selection, parameters, row_limit)
except InsightsError as error:
    st.error("The query does not compile:")
    st.code(str(error), language=None)
    st.stop()
except QueryError as error:
    st.error(f"DuckDB rejected the query: {error}")
    st.stop()

for warning in outcome.compiled.warnings:
    st.warning(warning)
result = outcome.result
st.markdown(f"**{len(result.rows):,}** rows")
if outcome.truncated:
    st.warning(
        f"Showing the first {row_limit:,} rows; more matched. Raise Rows, or narrow the query."
    )

time_column = bin_column(text, parameters)
if time_column is not None and time_column in result.columns and result.rows:
    types = dict(zip(result.columns, result.types, strict=True))
    values = [
        column
        for column in result.columns
        if types[column].startswith(NUMERIC_TYPES) or types[column].startswith("DECIMAL")
    ]
    groups = [column for column in result.columns if column != time_column and column not in values]
    if values:
        st.altair_chart(
            charts.grouped_series(
                chart_frame(result), time=time_column, values=values, groups=groups
            ),
            width="stretch",
        )

st.dataframe(frame(result), hide_index=True, key="results")
downloads = st.columns(2)
downloads[0].download_button(
    "Download CSV", to_csv(result), file_name="loglake-query.csv", mime="text/csv"
)
downloads[1].download_button(
    "Download JSON", to_json(result), file_name="loglake-query.json", mime="application/json"
)
with st.expander("Compiled SQL"):
    st.code(outcome.compiled.sql, language="sql")
