"""The controls in the sidebar of every page: time range, functions and price architecture.

Each control is bound to a query parameter of the URL (``range``, ``start``, ``end``,
``function``, ``arch``), so a view can be shared and reopened as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import streamlit as st

from loglake.analytics.advisor import ARCHITECTURES, Architecture
from loglake.analytics.dashboard_data.selection import LakeSpan, Selection
from loglake.dashboard.context import LakeState, run

RANGES: dict[str, timedelta | None] = {
    "15m": timedelta(minutes=15),
    "1h": timedelta(hours=1),
    "24h": timedelta(hours=24),
    "7d": timedelta(days=7),
    "custom": None,
}
"""The time ranges by the name the picker and the URL show; all but ``custom`` end now."""
DEFAULT_RANGE = "24h"


@dataclass(frozen=True, slots=True)
class Controls:
    """The sidebar's selection: the rows to read and the architecture to price."""

    selection: Selection
    range_key: str
    architecture: Architecture


def range_end(now: datetime) -> datetime:
    """Return the end of a range that ends now: the next whole minute.

    Ranges end on a minute boundary so that reruns within a minute ask the same query and
    reuse its cached result.
    """
    floor = now.astimezone(UTC).replace(second=0, microsecond=0)
    return floor + timedelta(minutes=1)


def show_lake_span(span: LakeSpan) -> None:
    """Set the custom range to the lake's span; a button's callback, run before the rerun."""
    st.session_state["range"] = "custom"
    st.session_state["start"] = span.first.replace(tzinfo=None, second=0, microsecond=0)
    st.session_state["end"] = range_end(span.last).replace(tzinfo=None)


def _fill_custom_range() -> None:
    """Start a custom range at the preset that was selected before, so it is never empty."""
    if st.session_state.get("range") != "custom":
        return
    if st.session_state.get("start") is None or st.session_state.get("end") is None:
        end = range_end(datetime.now(tz=UTC))
        st.session_state["start"] = (end - timedelta(hours=24)).replace(tzinfo=None)
        st.session_state["end"] = end.replace(tzinfo=None)


def sidebar_controls(state: LakeState) -> Controls | None:
    """Draw the sidebar and return the selection; None when the custom range is invalid."""
    with st.sidebar:
        range_key = st.selectbox(
            "Time range",
            list(RANGES),
            index=list(RANGES).index(DEFAULT_RANGE),
            help="The last 15 minutes, hour, 24 hours or 7 days, or a custom range in UTC.",
            key="range",
            bind="query-params",
            on_change=_fill_custom_range,
        )
        functions: list[str] = run(state, "functions") if not state.empty else []
        chosen = st.multiselect(
            "Functions",
            functions,
            key="function",
            bind="query-params",
            placeholder="All functions",
        )
        architecture = st.selectbox(
            "Architecture for prices",
            list(ARCHITECTURES),
            key="arch",
            bind="query-params",
            help="The logs do not record whether a function runs on x86_64 or arm64, "
            "which sets its Lambda prices.",
        )
        start, end = _range(range_key)
        if start is None or end is None or end <= start:
            st.error("Choose a custom start and an end after it.")
            return None
        st.caption(f"{start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC")
    selection = Selection(start=start, end=end, functions=tuple(chosen))
    return Controls(selection=selection, range_key=range_key, architecture=architecture)


def _range(range_key: str) -> tuple[datetime | None, datetime | None]:
    duration = RANGES[range_key]
    if duration is not None:
        now_end = range_end(datetime.now(tz=UTC))
        return now_end - duration, now_end
    step = timedelta(minutes=1)
    start = st.datetime_input(
        "Start (UTC)", value=None, key="start", bind="query-params", step=step
    )
    end = st.datetime_input("End (UTC)", value=None, key="end", bind="query-params", step=step)
    return _utc(start), _utc(end)


def _utc(value: datetime | None) -> datetime | None:
    """Read a widget's naive datetime as UTC, which its label names."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
