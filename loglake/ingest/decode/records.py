"""Results of the decode step: one ``DecodedRecord`` per record of a delivery."""

from __future__ import annotations

from dataclasses import dataclass

from loglake.ingest.errors import DecodeError
from loglake.ingest.model import LogBatch


class InvalidPayload(ValueError):
    """The reason one record cannot be decoded.

    Decoders raise it without the record's name, and the code that owns the record turns it
    into the ``DecodeError`` stored on the ``DecodedRecord``.
    """


@dataclass(slots=True)
class DecodedRecord:
    """One record of a delivery and the batches decoded from it.

    A record has exactly one of three outcomes: ``batches`` are set (possibly empty for a payload
    with no events), ``control_message`` is True, or ``error`` is set and ``batches`` is
    empty.
    """

    record_id: str
    """``awslogs``, the Kinesis eventID, the Firehose recordId, or ``<file name>#<n>``."""
    payload: bytes
    """The record's bytes as received, after the envelope's base64, kept for quarantine."""
    batches: list[LogBatch]
    control_message: bool = False
    """The record contains only CloudWatch Logs ``CONTROL_MESSAGE`` payloads."""
    error: DecodeError | None = None
    """The reason the record cannot be decoded. It is permanent, so the record belongs in
    quarantine."""
    invalid_utf8: bool = False
    """The bytes were not valid UTF-8: the events carry U+FFFD in place of the invalid
    bytes, and the caller quarantines ``payload`` as well."""
    sequence_number: str | None = None
    """Kinesis sequence number, the item identifier of Lambda's ``batchItemFailures``."""

    @property
    def event_count(self) -> int:
        """Number of log events in all batches of the record."""
        return sum(len(batch.events) for batch in self.batches)


@dataclass(slots=True)
class LambdaEventDecoding:
    """The records of one Lambda event, in the order the event lists them."""

    shape: str
    """``subscription``, ``kinesis`` or ``firehose``."""
    records: list[DecodedRecord]

    @property
    def control_message_count(self) -> int:
        """Number of records that held only control messages."""
        return sum(1 for record in self.records if record.control_message)

    @property
    def failed_records(self) -> list[DecodedRecord]:
        """Records that carry an ``error``."""
        return [record for record in self.records if record.error is not None]


def failed_record(record_id: str, payload: bytes, label: str, reason: str) -> DecodedRecord:
    """Build the record for a payload that cannot be decoded."""
    return DecodedRecord(record_id, payload, [], error=DecodeError(label, reason))


def preview(value: object, limit: int = 80) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for error messages."""
    text = repr(value)
    if len(text) <= limit:
        return text

    return text[: limit - 3] + "..."


def type_name(value: object) -> str:
    """Name a JSON value's type the way JSON does, for error messages."""
    if value is None:
        return "null"

    if isinstance(value, bool):
        return "a boolean"

    if isinstance(value, int | float):
        return "a number"

    if isinstance(value, str):
        return "a string"

    if isinstance(value, list):
        return "an array"

    if isinstance(value, dict):
        return "an object"

    return type(value).__name__
