"""Request lookup: a request ID, trace ID or field value to every line of the invocation, its
REPORT and its trace waterfall."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pandas as pd
import streamlit as st

from loglake.analytics.dashboard_data.lookup import Lookup
from loglake.analytics.traces import RequestView, TraceView, WaterfallBar
from loglake.dashboard import charts
from loglake.dashboard.context import run
from loglake.dashboard.display import frame, show_table, utc_naive
from loglake.dashboard.page import start_page

state, controls = start_page("Request lookup")
selection = controls.selection

value = st.text_input(
    "Request ID, trace ID or field value",
    key="id",
    bind="query-params",
    placeholder="8f5c0c6e-... or 1-6ae84651-5b2c0e7a91d34f68a0c4e1b7 or an eventId",
    help="Request and trace IDs are found anywhere in the lake. A value of a structured "
    "field, such as an eventId, is searched for in the time range of the sidebar.",
)


def _lookup_link(request_id: str) -> str:
    return f"./lookup?id={quote(request_id)}"


def _outcome(bar: WaterfallBar) -> str:
    if bar.in_progress:
        return "in progress"
    if bar.fault:
        return "fault"
    if bar.throttle:
        return "throttle"
    return "error" if bar.error else "ok"


def _trace_outcome(summary: dict[str, Any]) -> str:
    if summary["has_fault"]:
        return "fault"
    if summary["has_error"]:
        return "error"
    return "ok"


def _waterfall_frame(trace: TraceView) -> pd.DataFrame:
    rows = []
    for order, bar in enumerate(trace.waterfall):
        name = bar.name or bar.segment_id
        if bar.aws_operation:
            name += f" {bar.aws_operation}"
        duration = bar.duration_ms or 0.0
        detail = ", ".join(
            part
            for part in (bar.origin, bar.exception_type, bar.http_status and str(bar.http_status))
            if part
        )
        rows.append(
            {
                "order": order,
                "label": f"{order + 1:>3}. " + "· " * bar.depth + name,
                "start ms": bar.offset_ms,
                "end ms": bar.offset_ms + max(duration, 0.5),
                "duration ms": bar.duration_ms,
                "outcome": _outcome(bar),
                "detail": detail,
            }
        )
    return pd.DataFrame(rows)


def _show_report(view: RequestView) -> None:
    report = view.report
    if report is None:
        st.info("The lake has no REPORT line of this request yet.")
        return
    first, second = st.columns(3), st.columns(3)
    first[0].metric("Function", f"{report['function_name']} ({report['function_version']})")
    first[1].metric("Status", str(report["status"]))
    first[2].metric("Duration", f"{report['duration_ms']:,.2f} ms")
    second[0].metric("Billed duration", f"{report['billed_duration_ms']:,.0f} ms")
    second[1].metric(
        "Max memory used", f"{report['max_memory_used_mb']} of {report['memory_size_mb']} MB"
    )
    init = report["init_duration_ms"] or report["restore_duration_ms"]
    second[2].metric("Cold start", f"yes, {init:,.2f} ms init" if report["cold_start"] else "no")
    if report["error_type"]:
        st.error(f"Error type: {report['error_type']}")
    details: dict[str, Any] = {
        key: utc_naive(item).isoformat() + "Z" if hasattr(item, "astimezone") else item
        for key, item in report.items()
    }
    with st.expander("REPORT fields"):
        st.json(details)


def _show_request(view: RequestView, trace: TraceView | None) -> None:
    st.subheader(f"Request {view.request_id}")
    _show_report(view)
    agrees = view.cold_start.agrees
    if agrees is False:
        st.warning(
            "REPORT and the trace disagree on whether this invocation started cold: "
            f"REPORT says {view.cold_start.report}, the function segment "
            f"{'has' if view.cold_start.subsegment else 'has no'} init subsegment."
        )
    st.markdown(f"**Log lines** ({len(view.logs.rows)})")
    show_table(view.logs, key=f"lines-{view.request_id}")
    if trace is not None:
        _show_trace(trace)
    elif view.trace_id:
        st.caption(f"Trace {view.trace_id} is not in the lake; pull it with `loglake xray pull`.")


def _show_trace(trace: TraceView) -> None:
    st.subheader(f"Trace {trace.trace_id}")
    summary = trace.summary
    if summary is not None:
        columns = st.columns(4)
        columns[0].metric("Duration", f"{summary['duration_ms'] or 0:,.1f} ms")
        columns[1].metric("Entry point", str(summary["entry_point"] or "-"))
        columns[2].metric("HTTP status", str(summary["http_status"] or "-"))
        columns[3].metric("Outcome", _trace_outcome(summary))
        if summary["root_cause_error_type"]:
            st.error(
                f"Root cause: {summary['root_cause_service']}: "
                f"{summary['root_cause_error_type']} {summary['root_cause_message'] or ''}"
            )
    if trace.waterfall:
        st.altair_chart(charts.waterfall(_waterfall_frame(trace)), width="stretch")
    else:
        st.caption("The lake has no segments of this trace.")


if value:
    try:
        found: Lookup = run(state, "lookup", value, selection)
    except ValueError as error:
        st.error(str(error))
        st.stop()
    if found.kind == "none":
        st.warning(
            f"Nothing in the lake names `{found.value}`: it is no request ID or trace ID, and "
            f"no structured field between {selection.start:%Y-%m-%d %H:%M} and "
            f"{selection.end:%Y-%m-%d %H:%M} UTC has this value. Widen the time range in the "
            "sidebar to search more days."
        )
    elif found.kind == "field" and found.matches is not None:
        st.markdown(
            f"**{len(found.matches.rows)}** request(s) logged a field equal to `{found.value}`."
        )
        matches = frame(found.matches)
        matches["open"] = [
            None if request_id is None else _lookup_link(request_id)
            for request_id in matches["request ID"]
        ]
        st.dataframe(
            matches,
            hide_index=True,
            key="matches",
            column_config={"open": st.column_config.LinkColumn("open", display_text="look up")},
        )
    if found.kind == "trace" and found.trace is not None:
        _show_trace(found.trace)
        for view in found.trace.requests:
            st.subheader(f"Request {view.request_id}")
            _show_report(view)
            show_table(view.logs, key=f"lines-{view.request_id}")
    elif found.request is not None:
        _show_request(found.request, found.trace)
