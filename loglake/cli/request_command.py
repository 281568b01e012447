"""``loglake request`` and ``loglake trace``: one invocation from its log lines to its trace."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

import click
import orjson

from loglake.analytics.lake import open_lake
from loglake.analytics.sql import QueryResult
from loglake.analytics.traces import (
    ColdStart,
    RequestView,
    TraceView,
    WaterfallBar,
    find_request,
    find_trace,
    request_document,
    trace_document,
)
from loglake.cli.options import lake_option
from loglake.cli.render import print_result
from loglake.ingest.parse.trace_ids import normalise_trace_id
from loglake.settings import load_settings

ViewFormat = Literal["table", "json"]

TIMELINE_WIDTH = 40
"""Characters of the waterfall's timeline column."""

_REPORT_FIELDS = (
    ("function", "function_name"),
    ("version", "function_version"),
    ("log stream", "log_stream"),
    ("REPORT time", "timestamp"),
    ("duration ms", "duration_ms"),
    ("billed duration ms", "billed_duration_ms"),
    ("init duration ms", "init_duration_ms"),
    ("restore duration ms", "restore_duration_ms"),
    ("memory size MB", "memory_size_mb"),
    ("max memory used MB", "max_memory_used_mb"),
    ("status", "status"),
    ("error type", "error_type"),
)
_TRACE_FIELDS = (
    ("start time", "start_time"),
    ("duration ms", "duration_ms"),
    ("response time ms", "response_time_ms"),
    ("HTTP", "http"),
    ("fault / error / throttle", "flags"),
    ("entry point", "entry_point"),
    ("function", "function_name"),
    ("services", "service_names"),
    ("root cause", "root_cause"),
    ("revision", "revision"),
)


def view_format_option(function: Any) -> Any:
    """Add ``--format table|json``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["table", "json"]),
        default="table",
        show_default=True,
        help="table for people; json (one object with the same facts) for scripts.",
    )(function)


@click.command()
@lake_option
@view_format_option
@click.argument("request_id")
def request(lake: str, output_format: ViewFormat, request_id: str) -> None:
    """Show one invocation: its log lines, REPORT metrics, trace summary and segment waterfall.

    The log lines are those that name REQUEST_ID and those its execution environment wrote
    between its START and REPORT. The trace is the one its REPORT or a JSON logger's
    xray_trace_id names.
    """
    opened = open_lake(lake, endpoint_url=load_settings().s3_endpoint_url)
    found = find_request(opened, request_id.strip())
    if found is None:
        raise click.ClickException(
            f"request ID {request_id!r} is not in the lake {opened.url}: no log line names it. "
            "Check the ID, or ingest the function's log group first"
        )
    view, trace = found
    with _stop_when_reader_closes():
        if output_format == "json":
            click.echo(orjson.dumps(request_document(view, trace), option=orjson.OPT_INDENT_2))
            return

        _print_request(view)
        if trace is not None:
            _print_trace(trace)
        elif view.trace_id is not None:
            click.echo(f"\nTrace {view.trace_id} is not in the lake: run loglake xray pull")


@click.command()
@lake_option
@view_format_option
@click.argument("trace_id")
def trace(lake: str, output_format: ViewFormat, trace_id: str) -> None:
    """Show one trace: its summary, segment waterfall, and each invocation's lines and REPORT.

    TRACE_ID is an X-Ray trace ID (1-5759e988-bd862e3fe1be46a994272793) or a W3C trace ID
    of 32 hex digits.
    """
    if normalise_trace_id(trace_id.strip()) is None:
        raise click.BadParameter(
            f"{trace_id!r} is not a trace ID: expected the X-Ray form 1-<8 hex>-<24 hex>, "
            "such as 1-5759e988-bd862e3fe1be46a994272793, or a W3C trace ID of 32 hex digits",
            param_hint="TRACE_ID",
        )
    opened = open_lake(lake, endpoint_url=load_settings().s3_endpoint_url)
    found = find_trace(opened, trace_id)
    if found is None:
        raise click.ClickException(
            f"trace ID {trace_id!r} is not in the lake {opened.url}: no trace summary, segment "
            "or log line names it. Pull it with loglake xray pull, or check the ID"
        )
    with _stop_when_reader_closes():
        if output_format == "json":
            click.echo(orjson.dumps(trace_document(found), option=orjson.OPT_INDENT_2))
            return

        _print_trace(found)
        for view in found.requests:
            click.echo()
            _print_request(view)


@contextmanager
def _stop_when_reader_closes() -> Iterator[None]:
    """Exit 0 when the reader of standard output closes it early, such as ``| head -1``.

    The output is several tables, so a reader that stops after the first line closes the
    pipe while later tables are written. Rich (15.0) handles that BrokenPipeError itself: it
    points standard output at the null device and raises SystemExit(1).
    """
    try:
        yield
    except BrokenPipeError:
        # Standard output goes to the null device, so the flush at exit raises no second error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0) from None
    except SystemExit as exit_:
        if isinstance(exit_.__context__, BrokenPipeError):
            raise SystemExit(0) from None
        raise


def _print_request(view: RequestView) -> None:
    rows: list[tuple[str, Any]] = [("request ID", view.request_id)]
    if view.report is None:
        rows.append(("REPORT", "not in the lake"))
    else:
        rows += [(label, view.report.get(key)) for label, key in _REPORT_FIELDS]
    rows.append(("cold start", _cold_start_text(view.cold_start)))
    rows.append(("trace ID", view.trace_id))
    print_result(_pairs(rows), "table", title=f"Request {view.request_id}")
    print_result(_without_line_ends(view.logs), "table", title="Log lines")


def _without_line_ends(logs: QueryResult) -> QueryResult:
    """Drop the newline that ends most Lambda messages, which would print as a blank line."""
    message = logs.columns.index("message")
    rows = [(*row[:message], row[message].rstrip("\r\n"), *row[message + 1 :]) for row in logs.rows]
    return QueryResult(columns=logs.columns, types=logs.types, rows=rows)


def _print_trace(trace: TraceView) -> None:
    summary = trace.summary
    if summary is None:
        click.echo(f"\nTrace {trace.trace_id}: no summary in the lake, only segments")
    else:
        rows = [(label, _trace_value(summary, key)) for label, key in _TRACE_FIELDS]
        print_result(_pairs(rows), "table", title=f"Trace {trace.trace_id}")
    if trace.waterfall:
        print_result(_waterfall_result(trace.waterfall), "table", title="Segments")
    else:
        click.echo("No segments of this trace are in the lake.")


def _cold_start_text(cold_start: ColdStart) -> str:
    report = {True: "yes", False: "no", None: "unknown"}[cold_start.report]
    parts = [f"REPORT: {report}"]
    if cold_start.report_init_ms is not None:
        parts[0] += f" ({cold_start.report_init_ms:.2f} ms)"
    if not cold_start.traced:
        parts.append("segments: the function segment is not in the lake")
    elif cold_start.subsegment is None:
        parts.append("segments: no Initialization subsegment")
    else:
        duration = cold_start.subsegment_ms
        figure = "" if duration is None else f" ({duration:.2f} ms)"
        parts.append(f"segments: {cold_start.subsegment} subsegment{figure}")
    if cold_start.agrees is not None:
        parts.append("they agree" if cold_start.agrees else "they disagree")
    return "; ".join(parts)


def _trace_value(summary: dict[str, Any], key: str) -> Any:
    if key == "http":
        parts = [summary.get("http_method"), summary.get("http_url"), summary.get("http_status")]
        return " ".join(str(part) for part in parts if part is not None) or None
    if key == "flags":
        flags = (summary.get("has_fault"), summary.get("has_error"), summary.get("has_throttle"))
        return " / ".join({True: "yes", False: "no", None: "-"}[flag] for flag in flags)
    if key == "root_cause":
        parts = [
            summary.get("root_cause_service"),
            summary.get("root_cause_error_type"),
            summary.get("root_cause_message"),
        ]
        return ": ".join(str(part) for part in parts if part) or None
    if key == "service_names":
        return ", ".join(summary.get(key) or []) or None
    return summary.get(key)


def _pairs(rows: list[tuple[str, Any]]) -> QueryResult:
    return QueryResult(
        columns=["field", "value"],
        types=["VARCHAR", "VARCHAR"],
        rows=[(label, "" if value is None else value) for label, value in rows],
    )


def _waterfall_result(bars: list[WaterfallBar]) -> QueryResult:
    total = max((bar.offset_ms + (bar.duration_ms or 0.0) for bar in bars), default=0.0)
    rows = []
    for bar in bars:
        label = "  " * bar.depth + (bar.name or bar.segment_id)
        if bar.aws_operation:
            label += f" {bar.aws_operation}"
        rows.append(
            (
                label,
                bar.origin or bar.namespace or "",
                bar.offset_ms,
                bar.duration_ms,
                _timeline(bar, total),
                _outcome(bar),
            )
        )
    return QueryResult(
        columns=["segment", "origin", "start ms", "duration ms", "timeline", "outcome"],
        types=["VARCHAR", "VARCHAR", "DOUBLE", "DOUBLE", "VARCHAR", "VARCHAR"],
        rows=rows,
    )


def _timeline(bar: WaterfallBar, total_ms: float) -> str:
    """Draw a bar at the segment's place in the trace; an unfinished one runs to the end."""
    if total_ms <= 0:
        return "█".ljust(TIMELINE_WIDTH, "·")
    start = min(TIMELINE_WIDTH - 1, round(bar.offset_ms / total_ms * TIMELINE_WIDTH))
    if bar.duration_ms is None:
        return ("·" * start + "▒" * (TIMELINE_WIDTH - start))[:TIMELINE_WIDTH]
    length = max(1, round(bar.duration_ms / total_ms * TIMELINE_WIDTH))
    return ("·" * start + "█" * length).ljust(TIMELINE_WIDTH, "·")[:TIMELINE_WIDTH]


def _outcome(bar: WaterfallBar) -> str:
    parts = [] if bar.http_status is None else [str(bar.http_status)]
    parts += [
        name
        for name, flag in (("fault", bar.fault), ("error", bar.error), ("throttle", bar.throttle))
        if flag
    ]
    if bar.in_progress:
        parts.append("in progress")
    if bar.exception_type:
        parts.append(bar.exception_type)
    return " ".join(parts)
