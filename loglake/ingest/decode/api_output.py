"""The JSON output of ``aws logs filter-log-events`` and ``aws logs get-log-events``.

FilterLogEvents returns ``{"events": [{logStreamName, timestamp, message, ingestionTime,
eventId}], "searchedLogStreams": [...], "nextToken": ...}`` with the events of several
streams interleaved. GetLogEvents returns ``{"events": [{timestamp, message,
ingestionTime}], "nextForwardToken": ..., "nextBackwardToken": ...}``, with no stream
name and no event IDs. Neither names the log group, so the caller does.
"""

from __future__ import annotations

from typing import Any

from loglake.ingest.decode.events import event_id_value, message_value, timestamp_value
from loglake.ingest.decode.records import InvalidPayload, preview, type_name
from loglake.ingest.model import LogBatch, LogEvent

FILTER_LOG_EVENTS = "filter-log-events"
GET_LOG_EVENTS = "get-log-events"


def is_log_events_output(document: Any) -> bool:
    """Tell whether a JSON value looks like FilterLogEvents or GetLogEvents output."""
    return isinstance(document, dict) and "events" in document


def batches_from_log_events_output(
    document: dict[str, Any],
    *,
    log_group: str | None,
    log_stream: str | None,
    owner: str | None,
    region: str | None,
) -> list[LogBatch]:
    """Convert one page of output to one batch per log stream, in order of first appearance.

    ``log_stream`` is the stream of events that do not name one (all GetLogEvents events).
    """
    items = document["events"]
    if not isinstance(items, list):
        raise InvalidPayload(f"events is {type_name(items)}; expected an array of log events")

    source = _source(document, items)
    if items and log_group is None:
        raise InvalidPayload(
            f"{source} output does not name its log group; "
            "pass --log-group with the group the events were read from"
        )

    streams: dict[str, list[LogEvent]] = {}
    for index, item in enumerate(items):
        stream, event = _stream_event(item, f"events[{index}]", log_stream, source)
        streams.setdefault(stream, []).append(event)

    return [
        LogBatch(owner, log_group or "", stream, events, source, region)
        for stream, events in streams.items()
    ]


def _source(document: dict[str, Any], items: list[Any]) -> str:
    if "searchedLogStreams" in document or "nextToken" in document:
        return FILTER_LOG_EVENTS

    for item in items:
        if isinstance(item, dict) and ("logStreamName" in item or "eventId" in item):
            return FILTER_LOG_EVENTS

    return GET_LOG_EVENTS


def _stream_event(
    item: Any, path: str, log_stream: str | None, source: str
) -> tuple[str, LogEvent]:
    if not isinstance(item, dict):
        raise InvalidPayload(f"{path} is {type_name(item)}; expected a log event object")

    event = LogEvent(
        event_id_value(item.get("eventId"), f"{path}.eventId"),
        timestamp_value(item.get("timestamp"), f"{path}.timestamp"),
        message_value(item.get("message"), f"{path}.message"),
        timestamp_value(item.get("ingestionTime"), f"{path}.ingestionTime"),
    )
    return _stream_name(item.get("logStreamName"), path, log_stream, source), event


def _stream_name(value: Any, path: str, log_stream: str | None, source: str) -> str:
    if isinstance(value, str) and value:
        return value

    if value is not None:
        raise InvalidPayload(f"{path}.logStreamName is {preview(value)}; expected a string")

    if log_stream is None:
        raise InvalidPayload(
            f"{path} does not name its log stream, as in {source} output; "
            "pass --log-stream with the stream the events were read from"
        )

    return log_stream
