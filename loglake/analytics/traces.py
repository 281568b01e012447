"""One request from its logs to its trace: the lookups behind ``loglake request`` and ``trace``.

A request ID leads to its log lines, its REPORT and the trace ID that the REPORT or a JSON
logger's ``xray_trace_id`` names. The trace ID leads to the trace summary and the segments,
laid out as a waterfall. The lookups read the views, so they see one copy of each trace and segment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from loglake.analytics.lake import Lake
from loglake.analytics.output import plain_value
from loglake.analytics.sql import QueryResult, run_select
from loglake.ingest.parse.trace_ids import normalise_trace_id
from loglake.ingest.xray.summaries import trace_id_start_us

LOG_COLUMNS = ("timestamp", "type", "level", "message")
"""Columns of a request's log lines, as ``loglake request`` prints them."""

REPORT_COLUMNS = (
    "timestamp",
    "function_name",
    "function_version",
    "log_group",
    "log_stream",
    "duration_ms",
    "billed_duration_ms",
    "init_duration_ms",
    "restore_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "status",
    "error_type",
    "cold_start",
    "trace_id",
)

COLD_START_SUBSEGMENTS = ("Initialization", "Restore")
"""Subsegments of a function segment that only a cold start has: the init phase, and the
SnapStart restore. NOTE: the name ``Restore`` is not confirmed by AWS documentation."""

_WATERFALL_COLUMNS = (
    "segment_id",
    "parent_id",
    "kind",
    "name",
    "origin",
    "namespace",
    "aws_operation",
    "aws_request_id",
    "start_time",
    "duration_ms",
    "in_progress",
    "http_status",
    "error",
    "fault",
    "throttle",
    "exception_type",
    "function_name",
)
_HOUR_US = 3_600_000_000


@dataclass(frozen=True, slots=True)
class WaterfallBar:
    """One segment or subsegment of a trace, placed on the trace's timeline."""

    depth: int
    """Nesting below the trace's root segments, which have depth 0."""
    segment_id: str
    parent_id: str | None
    kind: str
    name: str | None
    origin: str | None
    namespace: str | None
    aws_operation: str | None
    offset_ms: float
    """Start, in milliseconds after the earliest segment of the trace."""
    duration_ms: float | None
    in_progress: bool
    http_status: int | None
    error: bool
    fault: bool
    throttle: bool
    exception_type: str | None


@dataclass(frozen=True, slots=True)
class ColdStart:
    """Whether an invocation started cold, by its REPORT and by its trace's segments."""

    report: bool | None
    """REPORT's ``cold_start``; None without a REPORT."""
    report_init_ms: float | None
    """REPORT's Init Duration, or its Restore Duration for a SnapStart restore."""
    subsegment: str | None
    """``Initialization`` or ``Restore`` when the function segment has one."""
    subsegment_ms: float | None
    traced: bool
    """The invocation's function segment is in the lake, so the segments can tell."""

    @property
    def agrees(self) -> bool | None:
        """Tell whether REPORT and segments agree; None when either cannot tell."""
        if self.report is None or not self.traced:
            return None
        return self.report == (self.subsegment is not None)


@dataclass(slots=True)
class RequestView:
    """Everything the lake contains about one invocation."""

    request_id: str
    logs: QueryResult
    report: dict[str, Any] | None
    trace_id: str | None
    cold_start: ColdStart


@dataclass(slots=True)
class TraceView:
    """A trace: its summary, its waterfall and the invocations it contains."""

    trace_id: str
    summary: dict[str, Any] | None
    waterfall: list[WaterfallBar]
    requests: list[RequestView] = field(default_factory=list)


@dataclass(slots=True)
class _RequestLines:
    """The log lines of one request, with its REPORT and trace ID."""

    logs: QueryResult
    report: dict[str, Any] | None
    trace_id: str | None


def find_request(lake: Lake, request_id: str) -> tuple[RequestView, TraceView | None] | None:
    """Look up a request ID: its view and its trace's, or None when no log line names it."""
    lines = _request_lines(lake, request_id)
    if not lines.logs.rows:
        return None

    trace_id = lines.trace_id or _trace_id_from_segments(lake, request_id)
    rows = _segment_rows(lake, trace_id)
    trace = _trace(lake, trace_id, rows) if trace_id is not None else None
    view = RequestView(
        request_id=request_id,
        logs=lines.logs,
        report=lines.report,
        trace_id=trace_id,
        cold_start=_cold_start(lines.report, rows, request_id),
    )
    if trace is not None:
        trace.requests.append(view)
    return view, trace


def find_trace(lake: Lake, trace_id: str) -> TraceView | None:
    """Look up a trace ID (X-Ray or W3C form); None when nothing in the lake names it."""
    normalised = normalise_trace_id(trace_id.strip())
    if normalised is None:
        raise ValueError(
            f"{trace_id!r} is not a trace ID: expected the X-Ray form 1-<8 hex>-<24 hex>, "
            "such as 1-5759e988-bd862e3fe1be46a994272793, or a W3C trace ID of 32 hex digits"
        )
    rows = _segment_rows(lake, normalised)
    trace = _trace(lake, normalised, rows)
    request_ids = _request_ids_of_trace(lake, normalised)
    if trace is None:
        if not request_ids:
            return None
        trace = TraceView(trace_id=normalised, summary=None, waterfall=[])

    for request_id in request_ids:
        lines = _request_lines(lake, request_id)
        trace.requests.append(
            RequestView(
                request_id=request_id,
                logs=lines.logs,
                report=lines.report,
                trace_id=normalised,
                cold_start=_cold_start(lines.report, rows, request_id),
            )
        )
    return trace


def _request_lines(lake: Lake, request_id: str) -> _RequestLines:
    """Read the lines that name the request and those its execution environment wrote
    between its START and REPORT, in order, with two scans of ``logs``.

    The request's latest REPORT is its REPORT, because an asynchronous retry reuses the
    request ID. The trace ID is the REPORT's, else the first one another line names.
    """
    named = run_select(lake, "SELECT * FROM logs WHERE request_id = ?", [request_id])
    rows = [dict(zip(named.columns, row, strict=True)) for row in named.rows]
    rows += _unnamed_lines(lake, rows)
    rows.sort(key=lambda row: (row["timestamp"], row["event_id"]))

    reports = [row for row in rows if row["type"] == "REPORT"]
    report = {key: reports[-1][key] for key in REPORT_COLUMNS} if reports else None
    traced = [row["trace_id"] for row in rows if row["trace_id"]]
    if report is not None and report["trace_id"]:
        traced.insert(0, report["trace_id"])

    types = dict(zip(named.columns, named.types, strict=True))
    logs = QueryResult(
        columns=list(LOG_COLUMNS),
        types=[types[column] for column in LOG_COLUMNS],
        rows=[tuple(row[column] for column in LOG_COLUMNS) for row in rows],
    )
    return _RequestLines(logs=logs, report=report, trace_id=traced[0] if traced else None)


def _unnamed_lines(lake: Lake, named: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the lines without a request ID between each START and REPORT of ``named``."""
    bounds: dict[tuple[str, str], list[datetime]] = {}
    for row in named:
        if row["type"] in ("START", "REPORT"):
            bounds.setdefault((row["log_group"], row["log_stream"]), []).append(row["timestamp"])

    lines: list[dict[str, Any]] = []
    for (log_group, log_stream), times in bounds.items():
        started, reported = min(times), max(times)
        if started == reported:
            continue
        # The partition columns let DuckDB skip the objects of other hours unread.
        partitions = "date BETWEEN ?::DATE AND ?::DATE"
        parameters: list[Any] = [started.date(), reported.date()]
        if started.date() == reported.date():
            partitions += " AND hour BETWEEN ? AND ?"
            parameters += [started.hour, reported.hour]
        result = run_select(
            lake,
            f"SELECT * FROM logs WHERE {partitions} AND log_group = ? AND log_stream = ? "
            "AND request_id IS NULL AND timestamp BETWEEN ? AND ?",
            [*parameters, log_group, log_stream, started, reported],
        )
        lines += [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    return lines


def _trace_id_from_segments(lake: Lake, request_id: str) -> str | None:
    """Find the trace of a request whose lines name none, by its Lambda segment or span."""
    result = run_select(
        lake,
        "SELECT trace_id FROM segments WHERE aws_request_id = ? "
        "ORDER BY kind = 'segment' DESC, start_time LIMIT 1",
        [request_id],
    )
    return str(result.rows[0][0]) if result.rows else None


def _request_ids_of_trace(lake: Lake, trace_id: str) -> list[str]:
    """Return the requests of a trace: REPORT lines naming it, and its Lambda segments."""
    result = run_select(
        lake,
        "SELECT request_id, min(timestamp) AS first_seen FROM ("
        "  SELECT request_id, timestamp FROM logs WHERE trace_id = ? AND request_id IS NOT NULL"
        "  UNION ALL"
        "  SELECT aws_request_id, start_time FROM segments WHERE trace_id = ? "
        "  AND aws_request_id IS NOT NULL AND (origin = 'AWS::Lambda' OR source = 'span')"
        ") GROUP BY request_id ORDER BY first_seen, request_id",
        [trace_id, trace_id],
    )
    return [str(row[0]) for row in result.rows]


def _trace(lake: Lake, trace_id: str, rows: list[dict[str, Any]]) -> TraceView | None:
    summary = _summary(lake, trace_id)
    if summary is None and not rows:
        return None
    return TraceView(trace_id=trace_id, summary=summary, waterfall=waterfall(rows))


def _summary(lake: Lake, trace_id: str) -> dict[str, Any] | None:
    """Return the trace's summary, reading only its partition when the trace ID names it."""
    sql = "SELECT * EXCLUDE (date, hour, ingestion_time) FROM traces WHERE trace_id = ?"
    parameters: list[Any] = [trace_id]
    start_us = trace_id_start_us(trace_id)
    if start_us is not None:
        hours = start_us // _HOUR_US
        sql += " AND date = make_date(1970, 1, 1) + (? // 24)::INTEGER AND hour = ? % 24"
        parameters += [hours, hours]
    return _first_row(run_select(lake, sql, parameters))


def _segment_rows(lake: Lake, trace_id: str | None) -> list[dict[str, Any]]:
    if trace_id is None:
        return []
    result = run_select(
        lake,
        f"SELECT {', '.join(_WATERFALL_COLUMNS)} FROM segments WHERE trace_id = ? "
        "ORDER BY start_time, kind = 'subsegment', segment_id",
        [trace_id],
    )
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def waterfall(rows: list[dict[str, Any]]) -> list[WaterfallBar]:
    """Order segments depth first under their parents, children by start time.

    A segment whose parent is not in the lake (an upstream service that is not traced, or a
    segment X-Ray did not return) starts a tree of its own.
    """
    if not rows:
        return []
    ids = {row["segment_id"] for row in rows}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        parent = row["parent_id"] if row["parent_id"] in ids else None
        children.setdefault(parent, []).append(row)

    origin: datetime = min(row["start_time"] for row in rows)
    bars: list[WaterfallBar] = []
    visited: set[str] = set()
    pending = [(row, 0) for row in reversed(children.get(None, []))]
    while pending:
        row, depth = pending.pop()
        if row["segment_id"] in visited:
            continue
        visited.add(row["segment_id"])
        bars.append(_bar(row, depth, origin))
        pending += [(child, depth + 1) for child in reversed(children.get(row["segment_id"], []))]

    # Segments in a parent cycle have no root; they follow, so none is left out.
    for row in rows:
        if row["segment_id"] not in visited:
            visited.add(row["segment_id"])
            bars.append(_bar(row, 0, origin))
    return bars


def _bar(row: dict[str, Any], depth: int, origin: datetime) -> WaterfallBar:
    return WaterfallBar(
        depth=depth,
        segment_id=row["segment_id"],
        parent_id=row["parent_id"],
        kind=row["kind"],
        name=row["name"],
        origin=row["origin"],
        namespace=row["namespace"],
        aws_operation=row["aws_operation"],
        offset_ms=round((row["start_time"] - origin).total_seconds() * 1000, 3),
        duration_ms=row["duration_ms"],
        in_progress=bool(row["in_progress"]),
        http_status=row["http_status"],
        error=bool(row["error"]),
        fault=bool(row["fault"]),
        throttle=bool(row["throttle"]),
        exception_type=row["exception_type"],
    )


def _cold_start(
    report: dict[str, Any] | None, rows: list[dict[str, Any]], request_id: str
) -> ColdStart:
    """Compare REPORT's cold start with the request's function segment in the trace."""
    function_segment = _function_segment(rows, request_id, report)
    subsegment = None
    if function_segment is not None:
        subsegment = next(
            (
                row
                for row in rows
                if row["parent_id"] == function_segment["segment_id"]
                and row["name"] in COLD_START_SUBSEGMENTS
            ),
            None,
        )
    report_init = None
    if report is not None:
        report_init = report.get("init_duration_ms") or report.get("restore_duration_ms")
    return ColdStart(
        report=None if report is None else report.get("cold_start"),
        report_init_ms=report_init,
        subsegment=None if subsegment is None else subsegment["name"],
        subsegment_ms=None if subsegment is None else subsegment["duration_ms"],
        traced=function_segment is not None,
    )


def _function_segment(
    rows: list[dict[str, Any]], request_id: str, report: dict[str, Any] | None
) -> dict[str, Any] | None:
    """Find the request's ``AWS::Lambda::Function`` segment.

    Its parent is the ``AWS::Lambda`` segment that names the request ID. A trace with one
    function segment of the REPORT's function needs no request ID.
    """
    functions = [row for row in rows if row["origin"] == "AWS::Lambda::Function"]
    services = {
        row["segment_id"]
        for row in rows
        if row["origin"] == "AWS::Lambda" and row["aws_request_id"] == request_id
    }
    for row in functions:
        if row["parent_id"] in services:
            return row
    name = None if report is None else report.get("function_name")
    same_function = [row for row in functions if row["function_name"] == name]
    return same_function[0] if len(same_function) == 1 else None


def request_document(view: RequestView, trace: TraceView | None) -> dict[str, Any]:
    """Return a request view as plain JSON values, the same facts the table shows."""
    return {
        "request_id": view.request_id,
        "report": _plain(view.report),
        "trace_id": view.trace_id,
        "cold_start": _cold_start_document(view.cold_start),
        "logs": _rows(view.logs),
        "trace": None if trace is None else _plain(trace.summary),
        "waterfall": [] if trace is None else [_bar_document(bar) for bar in trace.waterfall],
    }


def trace_document(trace: TraceView) -> dict[str, Any]:
    """Return a trace view as plain JSON values: the summary, waterfall and each request."""
    return {
        "trace_id": trace.trace_id,
        "trace": _plain(trace.summary),
        "waterfall": [_bar_document(bar) for bar in trace.waterfall],
        "requests": [
            {
                "request_id": view.request_id,
                "report": _plain(view.report),
                "cold_start": _cold_start_document(view.cold_start),
                "logs": _rows(view.logs),
            }
            for view in trace.requests
        ],
    }


def _cold_start_document(cold_start: ColdStart) -> dict[str, Any]:
    return {
        "report": cold_start.report,
        "report_init_ms": cold_start.report_init_ms,
        "subsegment": cold_start.subsegment,
        "subsegment_ms": cold_start.subsegment_ms,
        "agrees": cold_start.agrees,
    }


def _bar_document(bar: WaterfallBar) -> dict[str, Any]:
    return {name: getattr(bar, name) for name in WaterfallBar.__dataclass_fields__}


def _rows(result: QueryResult) -> list[dict[str, Any]]:
    return [
        {column: plain_value(value) for column, value in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]


def _plain(row: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if row is None else {key: plain_value(value) for key, value in row.items()}


def _first_row(result: QueryResult) -> dict[str, Any] | None:
    if not result.rows:
        return None
    return dict(zip(result.columns, result.rows[0], strict=True))
