"""Build the ``logs`` table's rows from decoded batches: one row per log event.

Rows are gathered column by column. Columns that one batch shares (its log group, stream,
account) are extended once per batch, the columns of the events' own fields once per batch
with ``map``, and the parsed columns once per slab of parsed lines. Each column then
becomes an Arrow array in one call (``arrow_columns``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import repeat
from operator import attrgetter
from typing import Any, cast

import orjson
import pyarrow as pa
import pyarrow.compute as pc

from loglake.ingest.arrow_columns import ARRAY_BUILDERS, escape_surrogates, string_array
from loglake.ingest.gc_pause import collection_paused
from loglake.ingest.invocations import apply_invocation_context
from loglake.ingest.model import LogBatch, LogEvent, ParsedLine
from loglake.ingest.naming import FunctionIdentity, function_identity
from loglake.ingest.parse import parse_message
from loglake.ingest.schema import LOGS_SCHEMA

_MAX_EPOCH_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z, the last instant a partition's date can name."""

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
"""Columns copied from ``ParsedLine`` attributes of the same name."""

_PARSED_GETTERS = tuple((name, attrgetter(name)) for name in _PARSED_COLUMNS)

_BATCH_COLUMNS = ("account", "region", "log_group", "log_stream", "function_name")
"""Columns with one value per batch, stored as runs until the table is built."""

_SLAB_LINES = 4096
"""Parsed lines held before their columns are copied out: enough to spread the cost of each
copy's call, few enough that the lines' ``fields`` dicts do not pile up in memory."""

_event_message = attrgetter("message")
_event_id = attrgetter("event_id")
_event_timestamp = attrgetter("timestamp_ms")
_event_ingestion_time = attrgetter("ingestion_time_ms")
_line_fields = attrgetter("fields")
_line_function_version = attrgetter("function_version")


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
    columns = _LogColumns(
        ingestion_time_ms, default_region, stats if stats is not None else RowStats()
    )
    with collection_paused():
        for batch in batches:
            columns.add_batch(batch)
        return columns.to_table()


class _LogColumns:
    """The ``logs`` table's columns as Python lists, filled batch by batch."""

    def __init__(self, ingestion_time_ms: int, default_region: str | None, stats: RowStats):
        self.ingestion_time_ms = ingestion_time_ms
        self.default_region = default_region
        self.stats = stats
        self.values: dict[str, list[Any]] = {name: [] for name in LOGS_SCHEMA.names}
        self.batch_values: dict[str, list[str | None]] = {name: [] for name in _BATCH_COLUMNS}
        self.run_ends: list[int] = []
        """The row count after each batch, where the runs of ``batch_values`` end."""
        self.lines: list[ParsedLine] = []
        """Parsed lines whose columns are not copied out yet."""
        self.stream_versions: list[str | None] = []
        """The function version each of ``lines`` gets from its stream's name."""
        self.identities: dict[tuple[str, str], FunctionIdentity] = {}

    def add_batch(self, batch: LogBatch) -> None:
        """Parse the events of one batch and add their rows."""
        events = batch.events
        count = len(events)
        if not count:
            return

        messages = list(map(_event_message, events))
        lines = list(map(parse_message, messages))
        apply_invocation_context(lines)

        identity = self.identities.get((batch.log_group, batch.log_stream))
        if identity is None:
            identity = function_identity(batch.log_group, batch.log_stream)
            self.identities[batch.log_group, batch.log_stream] = identity

        values = self.values
        self.stats.events += count
        values["timestamp"] += self._timestamps(events, lines)
        values["ingestion_time"] += self._ingestion_times(events)
        values["event_id"] += self._event_ids(batch)
        values["message"] += messages
        batch_values = self.batch_values
        batch_values["account"].append(batch.owner)
        batch_values["region"].append(batch.region or self.default_region)
        batch_values["log_group"].append(batch.log_group)
        batch_values["log_stream"].append(batch.log_stream)
        batch_values["function_name"].append(identity.function_name)
        self.run_ends.append(len(values["message"]))

        self.lines += lines
        self.stream_versions += repeat(identity.function_version, count)
        if len(self.lines) >= _SLAB_LINES:
            self._copy_parsed_columns()

    def to_table(self) -> pa.Table:
        """Convert the columns to Arrow, one call per column."""
        self._copy_parsed_columns()
        values = self.values
        arrays = []
        for field in LOGS_SCHEMA:
            name = field.name
            if name == "message":
                arrays.append(self._message_array(values[name]))
            elif name == "fields":
                storage = pa.array(values[name], type=pa.string())
                arrays.append(pa.ExtensionArray.from_storage(field.type, storage))
            elif name in ("timestamp", "ingestion_time"):
                arrays.append(pa.array(values[name], type=field.type))
            elif name in _BATCH_COLUMNS:
                arrays.append(self._batch_column_array(name))
            else:
                arrays.append(ARRAY_BUILDERS[str(field.type)](values[name]))
        return pa.Table.from_arrays(arrays, schema=LOGS_SCHEMA)

    def _batch_column_array(self, name: str) -> pa.Array[Any]:
        """Expand the column's value per batch to one per row, in Arrow."""
        if len(self.run_ends) <= 1:
            # One batch, as in a delivery: repeating its value costs less than the runs.
            return string_array(self.batch_values[name] * sum(self.run_ends))
        batch_values = string_array(self.batch_values[name])
        # Run ends must grow strictly, so add_batch adds no run for an empty batch.
        run_ends = pa.array(self.run_ends, type=pa.int64())
        runs: pa.RunEndEncodedArray[Any, Any] = pa.RunEndEncodedArray.from_arrays(
            run_ends, batch_values
        )
        decoded = pc.run_end_decode(runs)  # type: ignore[attr-defined]  # missing from the stubs
        return cast("pa.Array[Any]", decoded)

    def _copy_parsed_columns(self) -> None:
        lines = self.lines
        if not lines:
            return

        values = self.values
        for name, getter in _PARSED_GETTERS:
            values[name] += map(getter, lines)
        values["fields"] += self._fields_json(lines)
        values["function_version"] += [
            line_version or stream_version
            for line_version, stream_version in zip(
                map(_line_function_version, lines), self.stream_versions, strict=True
            )
        ]
        self.lines = []
        self.stream_versions = []

    def _timestamps(self, events: list[LogEvent], lines: list[ParsedLine]) -> list[int]:
        own = list(map(_event_timestamp, events))
        try:
            # min() and max() raise TypeError on a None among integers.
            if min(own) >= 0 and max(own) <= _MAX_EPOCH_MS:
                return own
        except TypeError:
            pass
        return _event_timestamps(events, lines, self.ingestion_time_ms, self.stats)

    def _ingestion_times(self, events: list[LogEvent]) -> Iterable[int]:
        times = list(map(_event_ingestion_time, events))
        if times.count(None) == len(times):
            return repeat(self.ingestion_time_ms, len(times))
        return [_epoch_ms(time) or self.ingestion_time_ms for time in times]

    def _event_ids(self, batch: LogBatch) -> list[str]:
        event_ids = list(map(_event_id, batch.events))
        if all(event_ids):
            return event_ids

        seen: dict[tuple[int | None, str], int] = {}
        filled = []
        for event, event_id in zip(batch.events, event_ids, strict=True):
            if not event_id:
                self.stats.without_event_id += 1
                event_id = _content_event_id(batch, event, seen)
            filled.append(event_id)
        return filled

    def _fields_json(self, lines: list[ParsedLine]) -> list[str | None]:
        dumps = orjson.dumps
        try:
            # decode() also frees orjson's output buffer, which is several times the text.
            return [
                dumps(fields, default=str).decode() if fields else None
                for fields in map(_line_fields, lines)
            ]
        except TypeError:
            return [_fields_json(line, self.stats) for line in lines]

    def _message_array(self, messages: list[str]) -> pa.Array[Any]:
        try:
            return pa.array(messages, type=pa.string())
        except UnicodeEncodeError:
            encodable = [_encodable(message, self.stats) for message in messages]
            return pa.array(encodable, type=pa.string())


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
    """Return ``text`` with each lone surrogate escaped, counting the texts that had one."""
    if text.isascii():
        return text
    try:
        text.encode()
    except UnicodeEncodeError:
        stats.escaped_surrogates += 1
        return escape_surrogates(text)
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
