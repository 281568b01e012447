"""Log event fields, checked and converted to the types of ``LogEvent``.

Rules shared by every shape:

* An event ID is a string. An integer ID (moto sends them) becomes its decimal string, and
  a missing, null or empty ID becomes None.
* A timestamp is epoch milliseconds. An integer, a whole float and a string of digits are
  accepted; a missing or null timestamp becomes None and the event is kept.
* A message is a string. A missing or null message becomes the empty string and the event
  is kept, because the event's ID and time are still worth storing (CloudWatch itself never
  stores an empty message: PutLogEvents requires at least one character).

Any other value raises InvalidPayload naming the field, the value and the expected type.
"""

from __future__ import annotations

from typing import Any

from loglake.ingest.decode.records import InvalidPayload, preview, type_name
from loglake.ingest.model import LogEvent


def subscription_log_events(items: Any) -> list[LogEvent]:
    """Convert the ``logEvents`` array of a subscription payload."""
    if not isinstance(items, list):
        raise InvalidPayload(f"logEvents is {type_name(items)}; expected an array of log events")

    events: list[LogEvent] = []
    append = events.append
    for index, item in enumerate(items):
        # Fast path for the shape CloudWatch sends; anything else takes the checked path.
        if type(item) is dict:
            event_id = item.get("id")
            timestamp = item.get("timestamp")
            message = item.get("message")
            if (
                type(event_id) is str
                and event_id
                and type(timestamp) is int
                and type(message) is str
            ):
                append(LogEvent(event_id, timestamp, message))
                continue

        append(_checked_subscription_event(item, index))

    return events


def _checked_subscription_event(item: Any, index: int) -> LogEvent:
    path = f"logEvents[{index}]"
    if not isinstance(item, dict):
        raise InvalidPayload(f"{path} is {type_name(item)}; expected a log event object")

    return LogEvent(
        event_id_value(item.get("id"), f"{path}.id"),
        timestamp_value(item.get("timestamp"), f"{path}.timestamp"),
        message_value(item.get("message"), f"{path}.message"),
    )


def event_id_value(value: Any, path: str) -> str | None:
    """Convert an event ID to a string, or None when the event has none."""
    if value is None or value == "":
        return None

    if isinstance(value, str):
        return value

    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)

    raise InvalidPayload(
        f"{path} is {preview(value)}; expected a string such as a CloudWatch event ID"
    )


def timestamp_value(value: Any, path: str) -> int | None:
    """Convert a timestamp to integer epoch milliseconds, or None when it is missing."""
    if value is None:
        return None

    if isinstance(value, int) and not isinstance(value, bool):
        return value

    if isinstance(value, float) and value.is_integer():
        return int(value)

    # Epoch milliseconds need at most 19 digits; longer strings are never timestamps, and
    # int() rejects strings of more than 4300 digits anyway.
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        return int(value)

    raise InvalidPayload(f"{path} is {preview(value)}; expected epoch milliseconds as an integer")


def message_value(value: Any, path: str) -> str:
    """Return the message, or the empty string when it is missing."""
    if value is None:
        return ""

    if isinstance(value, str):
        return value

    raise InvalidPayload(f"{path} is {type_name(value)}; expected the message as a string")
