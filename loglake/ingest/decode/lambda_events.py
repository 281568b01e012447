"""The three Lambda events that carry CloudWatch Logs subscription payloads.

* A direct subscription: ``{"awslogs": {"data": <base64 of gzip of JSON>}}``.
* A Kinesis Data Streams event: ``Records[].kinesis.data`` is the base64 of the gzip bytes
  that CloudWatch Logs put into the stream.
* A Firehose transformation request: ``records[].data`` is the base64 of the same gzip
  bytes, and ``region`` is the delivery stream's Region.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import orjson

from loglake.ingest.decode.records import (
    DecodedRecord,
    InvalidPayload,
    LambdaEventDecoding,
    failed_record,
    preview,
    type_name,
)
from loglake.ingest.decode.subscription import decode_subscription_record
from loglake.ingest.errors import DecodeError

SUBSCRIPTION = "subscription"
KINESIS = "kinesis"
FIREHOSE = "firehose"

_EXPECTED_DATA = "expected the base64 of a gzip'd CloudWatch Logs subscription payload"


def decode_lambda_event(
    event: Mapping[str, Any], *, region: str | None = None
) -> LambdaEventDecoding:
    """Decode a subscription, Kinesis or Firehose event into one record per event record.

    ``region`` is used where the event does not name one: Kinesis records carry
    ``awsRegion`` and Firehose requests ``region``. Raises DecodeError only when the event
    matches none of the three shapes; a bad record sets that record's ``error``.
    """
    shape = lambda_event_shape(event)
    if shape == SUBSCRIPTION:
        records = [_subscription_record(event["awslogs"], region)]
    elif shape == KINESIS:
        records = _kinesis_records(event, region)
    elif shape == FIREHOSE:
        records = _firehose_records(event, region)
    else:
        raise DecodeError("Lambda event", _unknown_shape_reason(event))

    return LambdaEventDecoding(shape, records)


def lambda_event_shape(event: Any) -> str | None:
    """Return ``subscription``, ``kinesis`` or ``firehose``, or None for any other event."""
    if not isinstance(event, Mapping):
        return None

    if "awslogs" in event:
        return SUBSCRIPTION

    kinesis_records = event.get("Records")
    if isinstance(kinesis_records, list) and _holds_kinesis_records(kinesis_records):
        return KINESIS

    if isinstance(event.get("records"), list):
        return FIREHOSE

    return None


def _holds_kinesis_records(items: list[Any]) -> bool:
    if not items:
        return True

    return any(isinstance(item, Mapping) and "kinesis" in item for item in items)


def _unknown_shape_reason(event: Any) -> str:
    expected = (
        "expected awslogs (a CloudWatch Logs subscription), Records of Kinesis records "
        "(a Kinesis Data Streams event) or records (a Firehose transformation request)"
    )
    if not isinstance(event, Mapping):
        return f"event is {type_name(event)}, not an object; {expected}"

    keys = sorted(str(key) for key in event)
    found = f"event has the top-level keys {preview(keys)}"
    records = event.get("Records")
    if isinstance(records, list):
        sources = sorted(
            {str(item.get("eventSource")) for item in records if isinstance(item, Mapping)}
        )
        found += f" and Records from the event sources {preview(sources)}"

    return f"{found}; {expected}"


def _subscription_record(awslogs: Any, region: str | None) -> DecodedRecord:
    record_id = "awslogs"
    label = "subscription event awslogs"
    if not isinstance(awslogs, Mapping):
        reason = f"awslogs is {type_name(awslogs)}; expected an object with data"
        return failed_record(record_id, _json_bytes(awslogs), label, reason)

    return _decode_data(awslogs, record_id, label, source=SUBSCRIPTION, region=region)


def _kinesis_records(event: Mapping[str, Any], region: str | None) -> list[DecodedRecord]:
    return [_kinesis_record(item, index, region) for index, item in enumerate(event["Records"])]


def _kinesis_record(item: Any, index: int, region: str | None) -> DecodedRecord:
    fallback_id = f"Records[{index}]"
    if not isinstance(item, Mapping):
        label = f"kinesis record {fallback_id}"
        reason = f"record is {type_name(item)}; expected a Kinesis event record object"
        return failed_record(fallback_id, _json_bytes(item), label, reason)

    record_id = _string(item.get("eventID")) or fallback_id
    label = f"kinesis record {record_id}"
    kinesis = item.get("kinesis")
    if not isinstance(kinesis, Mapping):
        reason = f"kinesis is {type_name(kinesis)}; expected the object that contains data"
        return failed_record(record_id, _json_bytes(item), label, reason)

    record_region = _string(item.get("awsRegion")) or region
    record = _decode_data(kinesis, record_id, label, source=KINESIS, region=record_region)
    record.sequence_number = _string(kinesis.get("sequenceNumber"))
    return record


def _firehose_records(event: Mapping[str, Any], region: str | None) -> list[DecodedRecord]:
    stream_region = _string(event.get("region")) or region
    records: list[DecodedRecord] = []
    for index, item in enumerate(event["records"]):
        fallback_id = f"records[{index}]"
        if not isinstance(item, Mapping):
            label = f"firehose record {fallback_id}"
            reason = f"record is {type_name(item)}; expected a Firehose record object"
            records.append(failed_record(fallback_id, _json_bytes(item), label, reason))
            continue

        record_id = _string(item.get("recordId")) or fallback_id
        label = f"firehose record {record_id}"
        records.append(_decode_data(item, record_id, label, source=FIREHOSE, region=stream_region))

    return records


def _decode_data(
    holder: Mapping[str, Any], record_id: str, label: str, *, source: str, region: str | None
) -> DecodedRecord:
    """Decode the base64 ``data`` field of ``holder``, the envelope object that contains it."""
    data = holder.get("data")
    try:
        payload = _base64_bytes(data)
    except InvalidPayload as exc:
        received = data if isinstance(data, str) else holder
        return failed_record(record_id, _json_bytes(received), label, str(exc))

    record = DecodedRecord(record_id, payload, [])
    decode_subscription_record(record, label, source=source, region=region)
    return record


def _base64_bytes(data: Any) -> bytes:
    if data is None:
        raise InvalidPayload(f"data is missing; {_EXPECTED_DATA}")

    if not isinstance(data, str):
        raise InvalidPayload(f"data is {type_name(data)}; {_EXPECTED_DATA}")

    try:
        return base64.b64decode(data, validate=True)
    except ValueError as exc:
        raise InvalidPayload(f"data is not valid base64 ({exc}); {_EXPECTED_DATA}") from exc


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _json_bytes(value: Any) -> bytes:
    """Serialise a value that could not be decoded, so quarantine keeps it as received."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")

    try:
        return orjson.dumps(value)
    except TypeError:
        return repr(value).encode("utf-8", "backslashreplace")
