"""CloudWatch Logs subscription payloads: the JSON that every subscription destination gets.

The payload has ``messageType`` (``DATA_MESSAGE`` or ``CONTROL_MESSAGE``), ``owner`` (the
account ID; ``CloudwatchLogs`` in control messages), ``logGroup``, ``logStream``,
``subscriptionFilters`` and ``logEvents`` (``id``, ``timestamp``, ``message``). One payload
covers one log group and one log stream.
"""

from __future__ import annotations

from typing import Any

from loglake.ingest.decode.events import subscription_log_events
from loglake.ingest.decode.records import DecodedRecord, InvalidPayload, preview, type_name
from loglake.ingest.decode.streams import (
    GZIP_MAGIC,
    MAX_RECORD_DECOMPRESSED_BYTES,
    gunzip,
    parse_json_values,
)
from loglake.ingest.errors import DecodeError
from loglake.ingest.model import LogBatch

DATA_MESSAGE = "DATA_MESSAGE"
CONTROL_MESSAGE = "CONTROL_MESSAGE"

_EXPECTED = "expected a CloudWatch Logs subscription payload"


def decode_subscription_record(
    record: DecodedRecord, label: str, *, source: str, region: str | None
) -> None:
    """Decode ``record.payload`` (gzip'd or plain subscription JSON) into ``record``.

    Sets ``batches``, ``control_message`` and ``invalid_utf8``, or ``error`` with ``label``
    naming the record. A payload with several concatenated documents yields one batch per
    data message; any invalid document fails the whole record.
    """
    try:
        batches, control_messages, invalid_utf8 = _decode_payload(
            record.payload, source=source, region=region
        )
    except InvalidPayload as exc:
        record.error = DecodeError(label, str(exc))
        return

    record.batches = batches
    record.control_message = control_messages > 0 and not batches
    record.invalid_utf8 = invalid_utf8


def _decode_payload(
    payload: bytes, *, source: str, region: str | None
) -> tuple[list[LogBatch], int, bool]:
    content = _subscription_json(payload)
    values = parse_json_values(content)
    if not values:
        raise InvalidPayload(f"payload is empty after decompression; {_EXPECTED}")

    batches: list[LogBatch] = []
    control_messages = 0
    invalid_utf8 = False
    for value in values:
        invalid_utf8 = invalid_utf8 or value.invalid_utf8
        if value.error is not None:
            raise InvalidPayload(f"decoded data is {value.error}; {_EXPECTED}")

        batch = batch_from_subscription(value.value, source=source, region=region)
        if batch is None:
            control_messages += 1
        else:
            batches.append(batch)

    return batches, control_messages, invalid_utf8


def _subscription_json(payload: bytes) -> bytes:
    """Return the JSON bytes of a payload: gunzipped when it is gzip, else as is."""
    if payload.startswith(GZIP_MAGIC):
        return gunzip(payload, max_decompressed_bytes=MAX_RECORD_DECOMPRESSED_BYTES)

    if payload.lstrip()[:1] in (b"{", b"["):
        return payload

    if not payload:
        raise InvalidPayload(
            "data is empty; expected a gzip'd CloudWatch Logs subscription payload"
        )

    raise InvalidPayload(
        f"data is neither gzip nor JSON (it starts with {preview(payload[:16])}); "
        "expected a gzip'd CloudWatch Logs subscription payload"
    )


def batch_from_subscription(
    document: Any, *, source: str, region: str | None, owner: str | None = None
) -> LogBatch | None:
    """Convert one subscription payload to a batch; return None for a control message.

    ``owner`` is used for a payload without an ``owner`` field. A missing ``messageType``
    counts as ``DATA_MESSAGE``, because hand-made payloads often leave it out.
    """
    if not isinstance(document, dict):
        raise InvalidPayload(f"decoded JSON is {type_name(document)}; {_EXPECTED} object")

    message_type = document.get("messageType", DATA_MESSAGE)
    if message_type == CONTROL_MESSAGE:
        return None

    if message_type != DATA_MESSAGE:
        raise InvalidPayload(
            f"messageType is {preview(message_type)}; expected {DATA_MESSAGE} or {CONTROL_MESSAGE}"
        )

    if "logEvents" not in document:
        raise InvalidPayload(f"decoded JSON has no logEvents; {_EXPECTED}")

    return LogBatch(
        owner=_owner(document.get("owner"), owner),
        log_group=_name(document, "logGroup"),
        log_stream=_name(document, "logStream"),
        events=subscription_log_events(document["logEvents"]),
        source=source,
        region=region,
        subscription_filters=_subscription_filters(document.get("subscriptionFilters")),
    )


def _name(document: dict[str, Any], field: str) -> str:
    value = document.get(field)
    if isinstance(value, str) and value:
        return value

    if value is None:
        raise InvalidPayload(f"decoded JSON has no {field}; {_EXPECTED}")

    raise InvalidPayload(f"{field} is {preview(value)}; expected a non-empty string")


def _owner(value: Any, fallback: str | None) -> str | None:
    if value is None or value == "":
        return fallback

    if isinstance(value, str):
        return value

    # An account ID written as a JSON number loses its leading zeros, so restore them.
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{value:012d}"

    raise InvalidPayload(f"owner is {preview(value)}; expected a 12-digit account ID string")


def _subscription_filters(value: Any) -> list[str]:
    if value is None:
        return []

    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return value

    raise InvalidPayload(
        f"subscriptionFilters is {preview(value)}; expected an array of filter names"
    )
