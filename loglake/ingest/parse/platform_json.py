"""Parse Lambda's platform records in the JSON log format (Telemetry API schema).

Each record is ``{"time": ..., "type": "platform.<event>", "record": {...}}``. Records are
normalised into the same columns as their TEXT-format twins: ``platform.start`` is
START, ``platform.runtimeDone`` is END (the TEXT format's END line marks the same moment,
the runtime finishing the invocation), ``platform.report`` is REPORT, and so on. Events
without a TEXT twin (``platform.initRuntimeDone``, ``platform.restoreRuntimeDone``,
``platform.logsDropped``, unknown ones) are PLATFORM. The whole object is ``fields``.

Metric columns are set only where the TEXT twin has them: REPORT (``platform.report``),
INIT_REPORT and RESTORE_REPORT. The ``metrics`` of ``platform.runtimeDone`` stay in
``fields``, so a sum of ``duration_ms`` over all rows still counts each invocation once.
"""

from __future__ import annotations

from typing import Any

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.json_values import get_dict, get_float, get_int32, get_str
from loglake.ingest.parse.timestamps import parse_timestamp
from loglake.ingest.parse.trace_ids import normalise_trace_id

_LINE_TYPES: dict[str, str] = {
    "platform.initStart": "INIT_START",
    "platform.initReport": "INIT_REPORT",
    "platform.start": "START",
    "platform.runtimeDone": "END",
    "platform.report": "REPORT",
    "platform.restoreStart": "RESTORE_START",
    "platform.restoreReport": "RESTORE_REPORT",
    "platform.extension": "EXTENSION",
    "platform.telemetrySubscription": "TELEMETRY",
    # The Logs API, which the Telemetry API replaced, used these two types.
    "platform.logsSubscription": "TELEMETRY",
    "platform.end": "END",
}


def is_platform_record(record: dict[str, Any]) -> bool:
    """Return whether a decoded JSON object is a Lambda platform record."""
    event_type = record.get("type")
    return isinstance(event_type, str) and event_type.startswith("platform.")


def parse_platform_record(record: dict[str, Any]) -> ParsedLine:
    """Derive the columns of a platform record, with the whole object as ``fields``."""
    event_type = record["type"]
    body = get_dict(record, "record") or {}
    time = get_str(record, "time")

    parsed = ParsedLine(
        type=_LINE_TYPES.get(event_type, "PLATFORM"),
        request_id=get_str(body, "requestId"),
        error_type=get_str(body, "errorType"),
        status=get_str(body, "status"),
        fields=record,
        timestamp_ms=parse_timestamp(time) if time is not None else None,
    )
    _set_tracing(parsed, body)
    _set_event_columns(parsed, event_type, body)
    return parsed


def _set_tracing(parsed: ParsedLine, body: dict[str, Any]) -> None:
    tracing = get_dict(body, "tracing")
    if tracing is None:
        return

    # "value" is the X-Amzn-Trace-Id header (Root=1-...;Parent=...;Sampled=1), and
    # "spanId" the ID of the invocation's segment.
    parsed.trace_id = normalise_trace_id(tracing.get("value"))
    parsed.segment_id = get_str(tracing, "spanId")


def _set_event_columns(parsed: ParsedLine, event_type: str, body: dict[str, Any]) -> None:
    metrics = get_dict(body, "metrics") or {}

    if event_type == "platform.report":
        _set_report_metrics(parsed, metrics)
    elif event_type == "platform.start":
        parsed.function_version = get_str(body, "version")
    elif event_type in ("platform.initStart", "platform.restoreStart"):
        parsed.function_version = get_str(body, "functionVersion")
    elif event_type == "platform.initReport":
        parsed.init_duration_ms = get_float(metrics, "durationMs")
    elif event_type == "platform.restoreReport":
        parsed.restore_duration_ms = get_float(metrics, "durationMs")


def _set_report_metrics(parsed: ParsedLine, metrics: dict[str, Any]) -> None:
    parsed.duration_ms = get_float(metrics, "durationMs")
    parsed.billed_duration_ms = get_float(metrics, "billedDurationMs")
    parsed.init_duration_ms = get_float(metrics, "initDurationMs")
    parsed.restore_duration_ms = get_float(metrics, "restoreDurationMs")
    parsed.memory_size_mb = get_int32(metrics, "memorySizeMB")
    parsed.max_memory_used_mb = get_int32(metrics, "maxMemoryUsedMB")
    parsed.cold_start = parsed.init_duration_ms is not None or (
        parsed.restore_duration_ms is not None
    )
