"""Build the ``logs`` table's rows from decoded batches: one row per log event."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
import pyarrow as pa

from loglake.ingest.invocations import apply_invocation_context
from loglake.ingest.model import LogBatch, LogEvent, ParsedLine
from loglake.ingest.naming import function_identity
from loglake.ingest.parse import parse_message
from loglake.ingest.schema import LOGS_SCHEMA

_PARSED_COLUMNS = (
    "type",
    "level",
    "request_id",
    "trace_id",
    "segment_id",
    "error_type",
    "duration_ms",
    "billed_duration_ms",
    "init_duration_ms",
    "restore_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "status",
    "cold_start",
)


@dataclass(slots=True)
class RowStats:
    """Counts of what row building had to fill in."""

    events: int = 0
    without_timestamp: int = 0
    without_event_id: int = 0
    escaped_surrogates: int = 0


@dataclass(slots=True)
class _Columns:
    values: dict[str, list[Any]] = field(
        default_factory=lambda: {name: [] for name in LOGS_SCHEMA.names}
    )


def build_logs_table(
    batches: Iterable[LogBatch],
    *,
    ingestion_time_ms: int,
    default_region: str | None = None,
    stats: RowStats | None = None,
) -> pa.Table:
    """Parse every event of ``batches`` into one row of the ``logs`` schema, keeping its message."""
    columns = _Columns().values
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
    seen: dict[tuple[int | None, str], int] = {}

    for event, line in zip(batch.events, parsed, strict=True):
        stats.events += 1
        timestamp = event.timestamp_ms if event.timestamp_ms is not None else line.timestamp_ms
        if timestamp is None:
            stats.without_timestamp += 1
            timestamp = ingestion_time_ms

        event_id = event.event_id
        if not event_id:
            stats.without_event_id += 1
            event_id = _content_event_id(batch, event, seen)

        columns["timestamp"].append(timestamp)
        columns["ingestion_time"].append(event.ingestion_time_ms or ingestion_time_ms)
        columns["account"].append(batch.owner)
        columns["region"].append(region)
        columns["log_group"].append(batch.log_group)
        columns["log_stream"].append(batch.log_stream)
        columns["event_id"].append(event_id)
        columns["function_name"].append(function_name)
        columns["function_version"].append(line.function_version or stream_version)
        columns["message"].append(_encodable(event.message, stats))
        columns["fields"].append(_fields_json(line, stats))
        for name in _PARSED_COLUMNS:
            columns[name].append(getattr(line, name))


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
