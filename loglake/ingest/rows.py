"""Build the ``logs`` table's rows from decoded batches: one row per log event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
import pyarrow as pa

from loglake.ingest.invocations import apply_invocation_context
from loglake.ingest.model import LogBatch, LogEvent, ParsedLine
from loglake.ingest.naming import function_identity
from loglake.ingest.parse import parse_message
from loglake.ingest.schema import LOGS_SCHEMA

_MAX_EPOCH_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z, the last instant a partition's date can name."""

_INT32_MAX = 2**31 - 1


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    if value.isascii():
        return value
    return value.encode("utf-8", "backslashreplace").decode()


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if abs(value) < 1e300 else None


def _int32(value: object) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if -_INT32_MAX <= value <= _INT32_MAX else None


def _boolean(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


# A parsed value that does not fit its column, such as a memory size beyond 32 bits,
# becomes null so that one odd line cannot fail its batch. The message keeps the value.
_PARSED_COLUMNS: dict[str, Callable[[object], object]] = {
    "type": _text,
    "level": _text,
    "request_id": _text,
    "trace_id": _text,
    "segment_id": _text,
    "error_type": _text,
    "duration_ms": _number,
    "billed_duration_ms": _number,
    "init_duration_ms": _number,
    "restore_duration_ms": _number,
    "memory_size_mb": _int32,
    "max_memory_used_mb": _int32,
    "status": _text,
    "cold_start": _boolean,
}


@dataclass(slots=True)
class RowStats:
    """Counts of what row building had to fill in."""

    events: int = 0
    without_timestamp: int = 0
    without_event_id: int = 0
    escaped_surrogates: int = 0


def build_logs_table(
    batches: Iterable[LogBatch],
    *,
    ingestion_time_ms: int,
    default_region: str | None = None,
    stats: RowStats | None = None,
) -> pa.Table:
    """Parse every event of ``batches`` into one row of the ``logs`` schema, keeping its message."""
    columns: dict[str, list[Any]] = {name: [] for name in LOGS_SCHEMA.names}
    stats = stats if stats is not None else RowStats()

    for batch in batches:
        _append_batch(columns, batch, ingestion_time_ms, default_region, stats)

    return pa.Table.from_pydict(columns, schema=LOGS_SCHEMA)


def _append_batch(
    columns: dict[str, list[Any]],
    batch: LogBatch,
    ingestion_time_ms: int,
    default_region: str | None,
    stats: RowStats,
) -> None:
    parsed = [parse_message(event.message) for event in batch.events]
    apply_invocation_context(parsed)

    function_name, stream_version = function_identity(batch.log_group, batch.log_stream)
    region = batch.region or default_region
    timestamps = _event_timestamps(batch.events, parsed, ingestion_time_ms, stats)
    seen: dict[tuple[int | None, str], int] = {}

    for event, line, timestamp in zip(batch.events, parsed, timestamps, strict=True):
        stats.events += 1
        event_id = event.event_id
        if not event_id:
            stats.without_event_id += 1
            event_id = _content_event_id(batch, event, seen)

        columns["timestamp"].append(timestamp)
        columns["ingestion_time"].append(_epoch_ms(event.ingestion_time_ms) or ingestion_time_ms)
        columns["account"].append(batch.owner)
        columns["region"].append(region)
        columns["log_group"].append(batch.log_group)
        columns["log_stream"].append(batch.log_stream)
        columns["event_id"].append(event_id)
        columns["function_name"].append(function_name)
        columns["function_version"].append(line.function_version or stream_version)
        columns["message"].append(_encodable(event.message, stats))
        columns["fields"].append(_fields_json(line, stats))
        for name, check in _PARSED_COLUMNS.items():
            columns[name].append(check(getattr(line, name)))


def _event_timestamps(
    events: list[LogEvent], parsed: list[ParsedLine], ingestion_time_ms: int, stats: RowStats
) -> list[int]:
    """Return each event's time: its own, the line's, the event ID's, else a neighbour's.

    Events of one stream arrive in order, so an event without a usable time takes the time of
    the event before it (or after it, at the start of a batch). Only a batch where no event
    has a time falls back to the ingestion time. Times outside years 1970 to 9999 count as
    missing, because partitions and Arrow timestamps cannot hold them.
    """
    own: list[int | None] = []
    for event, line in zip(events, parsed, strict=True):
        timestamp = _epoch_ms(event.timestamp_ms)
        if timestamp is None:
            timestamp = _epoch_ms(line.timestamp_ms)
        if timestamp is None:
            timestamp = _event_id_time(event.event_id)
        own.append(timestamp)

    known = [timestamp for timestamp in own if timestamp is not None]
    previous = known[0] if known else ingestion_time_ms
    filled = []
    for timestamp in own:
        if timestamp is None:
            stats.without_timestamp += 1
            timestamp = previous
        filled.append(timestamp)
        previous = timestamp
    return filled


def _event_id_time(event_id: str | None) -> int | None:
    """Read the time inside a CloudWatch event ID: the ID shifted right by 144 bits.

    NOTE: AWS does not document this layout; it holds for every real 56-digit ID seen so far.
    """
    if event_id is None or not 50 <= len(event_id) <= 60 or not event_id.isdigit():
        return None
    return _epoch_ms(int(event_id) >> 144)


def _epoch_ms(value: int | None) -> int | None:
    if value is None or not 0 <= value <= _MAX_EPOCH_MS:
        return None
    return value


def _content_event_id(
    batch: LogBatch, event: LogEvent, seen: dict[tuple[int | None, str], int]
) -> str:
    """Derive a stable ID for an event whose source has none (get-log-events, exports).

    The ID hashes the stream, time and message, plus the count of identical events before it
    in the batch, so re-reading the same source yields the same IDs.
    """
    key = (event.timestamp_ms, event.message)
    ordinal = seen.get(key, 0)
    seen[key] = ordinal + 1

    digest = hashlib.blake2b(digest_size=16)
    for part in (batch.log_group, batch.log_stream, str(event.timestamp_ms), event.message):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    digest.update(str(ordinal).encode())
    return "loglake:" + digest.hexdigest()


def _encodable(text: str, stats: RowStats) -> str:
    """Return ``text`` with each lone surrogate written as a backslash escape, as Arrow needs UTF-8.

    A JSON payload can carry a lone surrogate as an escape such as ``\\ud800``.
    """
    if text.isascii():
        return text
    try:
        text.encode()
    except UnicodeEncodeError:
        stats.escaped_surrogates += 1
        return text.encode("utf-8", "backslashreplace").decode()
    return text


def _fields_json(line: ParsedLine, stats: RowStats) -> str | None:
    if not line.fields:
        return None
    try:
        return orjson.dumps(line.fields, default=str).decode()
    except TypeError:
        # orjson rejects integers beyond 64 bits and strings with lone surrogates.
        text = json.dumps(line.fields, default=str, ensure_ascii=False)
        return _encodable(text, stats)
