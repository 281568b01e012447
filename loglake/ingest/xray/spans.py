"""Span records of the ``aws/spans`` log group as rows of the ``segments`` table.

With CloudWatch Transaction Search on, X-Ray and OpenTelemetry spans are stored as log
events in ``aws/spans``, one JSON span per event, and a subscription filter delivers them
like any log group. Their attributes are plain objects with dotted keys, trace IDs are W3C
(32 hex digits, stored here in X-Ray's ``1-<8 hex>-<24 hex>`` form) and times are integer
nanoseconds, which exceed a float's precision and are therefore never read through one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import orjson

from loglake.ingest.decode.records import InvalidPayload, preview, type_name
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.parse.trace_ids import normalise_trace_id
from loglake.ingest.xray.rows import SegmentRow
from loglake.ingest.xray.segments import json_text
from loglake.ingest.xray.values import MAX_EPOCH_US, int32, items, mapping, text

SPANS_LOG_GROUP = "aws/spans"

# Keys that have columns of their own; the rest of the record goes into ``fields``.
_COLUMN_KEYS = frozenset(
    {"traceId", "spanId", "parentSpanId", "name", "startTimeUnixNano", "endTimeUnixNano"}
)
_HTTP_STATUS_KEYS = ("http.response.status_code", "http.status_code")
_HTTP_METHOD_KEYS = ("http.request.method", "http.method")
_HTTP_URL_KEYS = ("url.full", "http.url")
# A Lambda function's server span names its invocation's request ID; an AWS SDK client
# span names the request ID of the call it made.
_REQUEST_ID_KEYS = ("faas.invocation_id", "aws.request_id", "aws.requestId")
_ARN_KEYS = ("cloud.resource_id", "aws.lambda.invoked_arn")


def span_row(message: str, *, event_time_ms: int, ingestion_time_us: int) -> SegmentRow:
    """Convert one ``aws/spans`` event to a row; raise InvalidPayload when it is not a span.

    A span without ``startTimeUnixNano`` starts at ``endTimeUnixNano`` minus
    ``durationNano`` when it has both, else at the log event's time.
    """
    record = _record(message)
    trace_id = normalise_trace_id(record.get("traceId"))
    span_id = text(record.get("spanId"))
    if trace_id is None:
        raise InvalidPayload(f"traceId is {preview(record.get('traceId'))}; expected 32 hex digits")
    if span_id is None:
        raise InvalidPayload(f"spanId is {preview(record.get('spanId'))}; expected 16 hex digits")

    start_ns, end_ns = _times_ns(record, event_time_ms)
    attributes = mapping(record.get("attributes"))
    resource = mapping(mapping(record.get("resource")).get("attributes"))
    status = _first(attributes, _HTTP_STATUS_KEYS)
    parent_id = text(record.get("parentSpanId"))
    local_root = attributes.get("aws.span.kind") == "LOCAL_ROOT"
    row = SegmentRow(
        trace_id=trace_id,
        segment_id=span_id,
        kind="segment" if parent_id is None or local_root else "subsegment",
        source="span",
        start_time=start_ns // 1000,
        ingestion_time=ingestion_time_us,
        parent_id=parent_id,
        name=text(record.get("name")),
        namespace=_namespace(record, attributes),
        origin=text(attributes.get("PlatformType")),
        end_time=None if end_ns is None else end_ns // 1000,
        duration_ms=None if end_ns is None else round((end_ns - start_ns) / 1_000_000, 3),
        http_method=text(_first(attributes, _HTTP_METHOD_KEYS)),
        http_url=text(_first(attributes, _HTTP_URL_KEYS)),
        http_status=int32(status),
        aws_operation=_aws_operation(attributes),
        aws_request_id=text(_first(attributes, _REQUEST_ID_KEYS)),
        resource_arn=text(_first(resource, _ARN_KEYS) or _first(attributes, _ARN_KEYS)),
        function_name=text(resource.get("faas.name") or attributes.get("faas.name")),
        fields=json_text({key: value for key, value in record.items() if key not in _COLUMN_KEYS}),
    )
    _fill_outcome(row, record, int32(status))
    return row


def _record(message: str) -> dict[str, Any]:
    try:
        record = orjson.loads(message)
    except orjson.JSONDecodeError as error:
        raise InvalidPayload(f"is not a JSON span record ({error}): {preview(message)}") from None
    if not isinstance(record, dict):
        raise InvalidPayload(f"is {type_name(record)}; expected a JSON span record object")
    return record


def _nanoseconds(value: object) -> int | None:
    """Read integer nanoseconds; OTLP's JSON encoding writes 64-bit integers as strings."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= MAX_EPOCH_US * 1000 else None


def _times_ns(record: dict[str, Any], event_time_ms: int) -> tuple[int, int | None]:
    start = _nanoseconds(record.get("startTimeUnixNano"))
    end = _nanoseconds(record.get("endTimeUnixNano"))
    duration = _nanoseconds(record.get("durationNano"))
    if start is None and end is not None and duration is not None and duration <= end:
        start = end - duration
    if start is None:
        start = event_time_ms * 1_000_000
    if end is None and duration is not None:
        end = start + duration
    if end is not None and end < start:
        end = None
    return start, end


def _first(attributes: dict[str, Any], keys: tuple[str, ...]) -> Any:
    return next((attributes[key] for key in keys if attributes.get(key) is not None), None)


def _namespace(record: dict[str, Any], attributes: dict[str, Any]) -> str | None:
    """Map a client span to X-Ray's namespaces: ``aws`` for AWS SDK calls, else ``remote``."""
    if record.get("kind") != "CLIENT":
        return None
    return "aws" if attributes.get("rpc.system") == "aws-api" else "remote"


def _aws_operation(attributes: dict[str, Any]) -> str | None:
    if attributes.get("rpc.system") == "aws-api":
        return text(attributes.get("rpc.method"))
    return text(attributes.get("aws.remote.operation"))


def _fill_outcome(row: SegmentRow, record: dict[str, Any], status: int | None) -> None:
    """Set error, fault and throttle as X-Ray does for spans, and the exception of the span.

    A 429 is a throttle and an error, another 4xx an error, a 5xx a fault, and a span whose
    status code is ``ERROR`` without a 4xx is a fault.
    """
    failed = mapping(record.get("status")).get("code") in ("ERROR", "STATUS_CODE_ERROR", 2)
    client_error = status is not None and 400 <= status < 500
    row.throttle = status == 429
    row.error = client_error
    row.fault = (status is not None and status >= 500) or (failed and not client_error)

    for event in items(record.get("events")):
        attributes = mapping(mapping(event).get("attributes"))
        if "exception.type" in attributes or "exception.message" in attributes:
            row.exception_type = text(attributes.get("exception.type"))
            row.exception_message = text(attributes.get("exception.message"))
            return


def spans_of_batch(batch: LogBatch, *, ingestion_time_us: int) -> tuple[list[SegmentRow], LogBatch]:
    """Split an ``aws/spans`` batch into span rows and a batch of the events that are not spans.

    Events that are not span records stay log events, so they land in ``logs`` as they are.
    """
    rows: list[SegmentRow] = []
    others: list[LogEvent] = []
    for event in batch.events:
        event_time_ms = (
            event.timestamp_ms if event.timestamp_ms is not None else ingestion_time_us // 1000
        )
        try:
            rows.append(
                span_row(
                    event.message, event_time_ms=event_time_ms, ingestion_time_us=ingestion_time_us
                )
            )
        except InvalidPayload:
            others.append(event)
    return rows, replace(batch, events=others)
