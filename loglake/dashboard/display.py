"""Tables and notices shared by the pages: results as data frames with UTC times, and what to
do when the lake or the range contains nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd
import streamlit as st

from loglake.analytics.dashboard_data.selection import LakeSpan, Selection
from loglake.analytics.sql import QueryResult
from loglake.dashboard.context import LakeState, run
from loglake.dashboard.controls import show_lake_span


def frame(result: QueryResult) -> pd.DataFrame:
    """Return a result as a data frame; time columns are UTC and their names show it.

    Each time column is renamed ``<name> (UTC)`` and contains naive UTC times, which tables
    show as they are, whatever the browser's time zone.
    """
    data = pd.DataFrame.from_records(result.rows, columns=result.columns)
    renames = {}
    for column in result.columns:
        values = [value for value in data[column] if value is not None]
        if values and all(isinstance(value, datetime) for value in values):
            data[column] = pd.to_datetime(
                [None if value is None else utc_naive(value) for value in data[column]]
            )
            renames[column] = f"{column} (UTC)"
    return data.rename(columns=renames)


def chart_frame(result: QueryResult) -> pd.DataFrame:
    """Return a result as a data frame for a chart: time columns stay zone-aware in UTC."""
    data = pd.DataFrame.from_records(result.rows, columns=result.columns)
    for column in result.columns:
        values = [value for value in data[column] if value is not None]
        if values and all(isinstance(value, datetime) for value in values):
            data[column] = pd.to_datetime(
                [None if value is None else value.astimezone(UTC) for value in data[column]],
                utc=True,
            )
    return data


def utc_naive(value: datetime) -> datetime:
    """Return a time as naive UTC."""
    return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value


def show_table(result: QueryResult, **options: Any) -> Any:
    """Draw a result as a table without its index; options go to ``st.dataframe``."""
    return st.dataframe(frame(result), hide_index=True, **options)


def stop_if_lake_empty(state: LakeState) -> None:
    """Explain how to fill a lake with no objects yet, and end the page there."""
    if not state.empty:
        return
    st.warning(
        f"The lake at `{state.url}` has no log objects yet. Add some, then reload this page:\n\n"
        f"- `loglake ingest --lake {state.url} FILES_OR_FOLDERS` for saved Lambda events, "
        "Firehose objects or exports\n"
        f"- `loglake import --lake {state.url} --log-group /aws/lambda/NAME --since 1h` to "
        "backfill from CloudWatch Logs\n"
        f"- `loglake demo --lake {state.url}` for a day of sample data"
    )
    st.stop()


def explain_empty_range(state: LakeState, selection: Selection, what: str) -> None:
    """Say that the selection contains no ``what``, where the lake's data is, and how to widen."""
    span: LakeSpan | None = run(state, "lake span")
    chosen = f" for {', '.join(selection.functions)}" if selection.functions else ""
    message = (
        f"No {what} between {selection.start:%Y-%m-%d %H:%M} and "
        f"{selection.end:%Y-%m-%d %H:%M} UTC{chosen}."
    )
    if span is None:
        st.info(message + " The lake has no log events yet: ingest some with `loglake ingest`.")
        return
    st.info(
        f"{message} The lake holds log events from {span.first:%Y-%m-%d %H:%M} to "
        f"{span.last:%Y-%m-%d %H:%M} UTC. Widen the time range in the sidebar, clear the "
        "function filter, or ingest more logs with `loglake ingest` or `loglake import`."
    )
    st.button(
        "Show the lake's whole time span",
        on_click=show_lake_span,
        args=(span,),
        key=f"span-{what}",
    )
