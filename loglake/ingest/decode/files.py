"""Files that contain deliveries: Firehose S3 objects, saved API output, exports, saved events.

The shape comes from the bytes: gzip (by its magic bytes) is decompressed first, JSON
starts with ``{`` or ``[``, and anything else must be CloudWatch Logs export text. Each
JSON value of a file becomes one record named ``<name>#<n>``, counted from 0 over the
records of the file. The payload of a record from a JSON value is the value's own bytes,
decompressed, so ``decode_file`` can read a quarantined payload again.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from loglake.ingest.decode.api_output import batches_from_log_events_output, is_log_events_output
from loglake.ingest.decode.export import (
    EXPORT,
    PROBE_OBJECT_NAME,
    NotExportText,
    export_events,
    export_stream_name,
)
from loglake.ingest.decode.lambda_events import decode_lambda_event, lambda_event_shape
from loglake.ingest.decode.records import (
    DecodedRecord,
    InvalidPayload,
    failed_record,
    preview,
    type_name,
)
from loglake.ingest.decode.streams import (
    GZIP_MAGIC,
    MAX_FILE_DECOMPRESSED_BYTES,
    GzipStreamError,
    JsonValue,
    iter_gzip_members,
    parse_json_values,
)
from loglake.ingest.decode.subscription import batch_from_subscription
from loglake.ingest.errors import DecodeError
from loglake.ingest.gc_pause import collection_paused
from loglake.ingest.model import LogBatch

S3_OBJECT = "s3-object"

_EXPECTED = (
    "expected a CloudWatch Logs subscription payload (as Firehose writes to S3), a saved "
    "Lambda event, the JSON output of aws logs filter-log-events or get-log-events, or a "
    "CloudWatch Logs export object of '<timestamp> <message>' lines"
)


@dataclass(frozen=True, slots=True)
class _FileContext:
    name: str
    log_group: str | None
    log_stream: str | None
    owner: str | None
    region: str | None


def decode_file(
    data: bytes,
    *,
    name: str,
    log_group: str | None = None,
    log_stream: str | None = None,
    owner: str | None = None,
    region: str | None = None,
    max_decompressed_bytes: int = MAX_FILE_DECOMPRESSED_BYTES,
) -> list[DecodedRecord]:
    """Decode the deliveries in one file or S3 object.

    ``name`` is the file's path or object key. It names the records, and an export object's
    key names its log stream. ``log_group`` is required for filter-log-events output,
    get-log-events output and export files, because they do not name their group.
    ``log_stream`` is required for get-log-events output and for export files whose key
    does not name the stream. ``owner`` and ``region`` apply where the file states none.
    ``max_decompressed_bytes`` caps the size of a gzip file's content.

    Never raises for bad bytes (a property test feeds it arbitrary bytes): a part that
    cannot be decoded becomes a record with ``error`` set, and the parts before it still
    decode.
    """
    context = _FileContext(name, log_group, log_stream, owner, region)
    with collection_paused():
        return _decode_file(data, context, max_decompressed_bytes)


def _decode_file(
    data: bytes, context: _FileContext, max_decompressed_bytes: int
) -> list[DecodedRecord]:
    name = context.name
    if name.rsplit("/", 1)[-1] == PROBE_OBJECT_NAME:
        return [DecodedRecord(f"{name}#0", data, [], control_message=True)]

    if not data.startswith(GZIP_MAGIC):
        return _decode_content([data], data, context)

    chunks: list[bytes] = []
    try:
        for member in iter_gzip_members(data, max_decompressed_bytes=max_decompressed_bytes):
            chunks.append(member.content)
    except GzipStreamError as exc:
        records = _decode_content(chunks, data, context) if chunks else []
        record_id = f"{name}#{len(records)}"
        records.append(failed_record(record_id, data[exc.offset :], f"file {record_id}", str(exc)))
        return records

    return _decode_content(chunks, data, context)


def _decode_content(chunks: list[bytes], data: bytes, context: _FileContext) -> list[DecodedRecord]:
    """Decode the content of a file, given as its gzip members' contents or as one chunk."""
    first_byte = _first_byte(chunks)
    if not first_byte:
        record_id = f"{context.name}#0"
        reason = f"file is empty or contains only whitespace; {_EXPECTED}"
        return [failed_record(record_id, data, f"file {record_id}", reason)]

    if first_byte in b"{[":
        return _records_from_json(chunks, context)

    return [_export_record(b"".join(chunks), data, context)]


def _quarantined_payload(document: Any) -> bytes | None:
    """Return the payload of a document that loglake's quarantine wrote, or None."""
    if not isinstance(document, dict) or not {"reason", "payload_base64"} <= document.keys():
        return None
    try:
        return base64.b64decode(document["payload_base64"], validate=True)
    except (binascii.Error, TypeError, ValueError):
        return None


def _replay_quarantined(
    payload: bytes, original_record_id: str, context: _FileContext
) -> list[DecodedRecord]:
    """Decode a quarantined payload again, so a fixed cause (a missing --log-group, a newer
    loglake) lets it land. A payload that fails again is quarantined under the same name.

    The payload is decoded under its original file name, without the ``#<n>`` suffix, so an
    export object's key still names its log stream.
    """
    return decode_file(
        payload,
        name=original_record_id.rsplit("#", 1)[0],
        log_group=context.log_group,
        log_stream=context.log_stream,
        owner=context.owner,
        region=context.region,
    )


def _first_byte(chunks: list[bytes]) -> bytes:
    for chunk in chunks:
        stripped = chunk.lstrip()
        if stripped:
            return stripped[:1]

    return b""


def _records_from_json(chunks: list[bytes], context: _FileContext) -> list[DecodedRecord]:
    records: list[DecodedRecord] = []
    for value in _json_values(chunks):
        records.extend(_records_from_value(value, len(records), context))

    return records


def _json_values(chunks: list[bytes]) -> list[JsonValue]:
    """Parse each gzip member on its own (Firehose writes one document per member), falling
    back to the joined content when a value spans members."""
    if len(chunks) == 1:
        return parse_json_values(chunks[0])

    values = [value for chunk in chunks for value in parse_json_values(chunk)]
    if any(value.error is not None for value in values):
        return parse_json_values(b"".join(chunks))

    return values


def _records_from_value(value: JsonValue, index: int, context: _FileContext) -> list[DecodedRecord]:
    record_id = f"{context.name}#{index}"
    label = f"file {record_id}"
    if value.error is not None:
        return [failed_record(record_id, value.payload, label, f"{value.error}; {_EXPECTED}")]

    if lambda_event_shape(value.value) is not None:
        return _lambda_event_records(value, index, context)

    quarantined = _quarantined_payload(value.value)
    if quarantined is not None:
        if value.value.get("rows_written"):
            # Kept for reference only: its events are in the lake already.
            return [DecodedRecord(record_id, b"", [])]
        original = str(value.value.get("record_id") or record_id)
        return _replay_quarantined(quarantined, original, context)

    record = DecodedRecord(record_id, value.payload, [], invalid_utf8=value.invalid_utf8)
    try:
        batches = _batches(value.value, context)
    except InvalidPayload as exc:
        record.error = DecodeError(label, str(exc))
        return [record]

    if batches is None:
        record.control_message = True
    else:
        record.batches = batches

    return [record]


def _lambda_event_records(
    value: JsonValue, index: int, context: _FileContext
) -> list[DecodedRecord]:
    """Decode a saved Lambda event; its records are renamed ``<name>#<n>`` like the others."""
    records = decode_lambda_event(value.value, region=context.region).records
    for offset, record in enumerate(records):
        record.record_id = f"{context.name}#{index + offset}"
        if record.error is not None:
            record.error = DecodeError(
                f"file {record.record_id} ({record.error.source})", record.error.reason
            )

    return records


def _batches(document: Any, context: _FileContext) -> list[LogBatch] | None:
    """Return the batches of one JSON value, or None for a control message."""
    if is_log_events_output(document):
        return batches_from_log_events_output(
            document,
            log_group=context.log_group,
            log_stream=context.log_stream,
            owner=context.owner,
            region=context.region,
        )

    if isinstance(document, dict) and ("logEvents" in document or "messageType" in document):
        batch = batch_from_subscription(
            document, source=S3_OBJECT, region=context.region, owner=context.owner
        )
        return None if batch is None else [batch]

    if isinstance(document, dict):
        keys = sorted(document)
        raise InvalidPayload(f"JSON object has the keys {preview(keys)}; {_EXPECTED}")

    raise InvalidPayload(f"JSON value is {type_name(document)}; {_EXPECTED}")


def _export_record(content: bytes, data: bytes, context: _FileContext) -> DecodedRecord:
    """Decode export text; the record's payload is the whole file as received."""
    record_id = f"{context.name}#0"
    record = DecodedRecord(record_id, data, [])
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("utf-8", "replace")
        record.invalid_utf8 = True

    try:
        record.batches = [_export_batch(text, context)]
    except InvalidPayload as exc:
        record.error = DecodeError(f"file {record_id}", str(exc))

    return record


def _export_batch(text: str, context: _FileContext) -> LogBatch:
    try:
        events = export_events(text)
    except NotExportText as exc:
        reason = f"file is neither JSON nor a CloudWatch Logs export: {exc}; {_EXPECTED}"
        raise InvalidPayload(reason) from exc

    if context.log_group is None:
        raise InvalidPayload(
            "CloudWatch Logs export files do not name their log group; "
            "pass --log-group with the group that was exported"
        )

    log_stream = context.log_stream or export_stream_name(context.name)
    if log_stream is None:
        raise InvalidPayload(
            f"the file name {context.name!r} does not name a log stream as an export object "
            "key does ('<prefix>/<task id>/<log stream>/000000.gz'); pass --log-stream"
        )

    return LogBatch(context.owner, context.log_group, log_stream, events, EXPORT, context.region)
