"""Plain data passed between the decode, parse and write steps."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class LogEvent:
    """One CloudWatch Logs event as delivered.

    Not frozen, because decoding creates one per event and a frozen dataclass takes
    about three times as long to create (timeit, CPython 3.11). Treat events as read-only.
    """

    event_id: str | None
    """CloudWatch's event ID; None when the source has none (get-log-events, exports)."""
    timestamp_ms: int | None
    """The event's own time in epoch milliseconds; None when the source omitted it."""
    message: str
    ingestion_time_ms: int | None = None
    """CloudWatch's ingestion time in epoch milliseconds, when the source carries it."""


@dataclass(slots=True)
class LogBatch:
    """Events of one log stream from one delivery, with the delivery's identity."""

    owner: str | None
    """Account ID of the log group's owner."""
    log_group: str
    log_stream: str
    events: list[LogEvent]
    source: str
    """Delivery shape: subscription, kinesis, firehose, s3-object, filter-log-events,
    get-log-events or export."""
    region: str | None = None
    subscription_filters: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ParsedLine:
    """Columns of the ``logs`` table derived from one log message.

    ``parse_message`` fills it; every attribute not set stays None.
    """

    type: str = "APP"
    """START, END, REPORT, INIT_START, INIT_REPORT, RESTORE_START, RESTORE_REPORT,
    EXTENSION, TELEMETRY, PLATFORM or APP."""
    level: str | None = None
    """TRACE, DEBUG, INFO, WARN, ERROR or FATAL, as the application's logger wrote it."""
    request_id: str | None = None
    trace_id: str | None = None
    """X-Ray trace ID in its ``1-<8 hex>-<24 hex>`` form."""
    segment_id: str | None = None
    error_type: str | None = None
    fields: dict[str, Any] | None = None
    """Structured fields: the keys of a JSON line, or the key-value pairs of a platform line."""
    duration_ms: float | None = None
    billed_duration_ms: float | None = None
    init_duration_ms: float | None = None
    restore_duration_ms: float | None = None
    memory_size_mb: int | None = None
    max_memory_used_mb: int | None = None
    status: str | None = None
    """success, error or timeout, when the platform reports an outcome."""
    cold_start: bool | None = None
    function_version: str | None = None
    """The version a START line names (``$LATEST`` or a number)."""
    timestamp_ms: int | None = None
    """The time the line itself states, in epoch milliseconds, when it states one."""
