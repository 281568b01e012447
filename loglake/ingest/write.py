"""Write ``logs`` rows to the lake as Parquet, one object per hour partition.

An object's name is a hash of the events it holds, so a redelivered batch produces the same
name and replaces its own object instead of adding rows.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loglake.ingest.schema import BLOOM_FILTER_COLUMNS, DICTIONARY_COLUMNS, SORT_KEYS
from loglake.ingest.store import LakeStore

LOGS_PREFIX = "logs"
_HOUR_MS = 3_600_000
_BLOOM_FALSE_POSITIVE_RATE = 0.01
_ARROW_NAME_MIN_ROWS = 256
"""Objects with fewer rows are named row by row, which costs less than two compute calls."""


@dataclass(frozen=True, slots=True)
class WrittenObject:
    """One Parquet object put into the lake."""

    key: str
    rows: int
    bytes: int


def write_logs(
    store: LakeStore, table: pa.Table, *, row_group_rows: int, name: str | None = None
) -> list[WrittenObject]:
    """Split ``table`` by the hour of each event's timestamp and put one sorted object per hour.

    Each object is named by the events it holds, unless ``name`` fixes the name for every hour:
    a backfill names its objects by log group so that importing an hour again replaces them.
    """
    if table.num_rows == 0:
        return []

    hour_of_row = pc.divide(pc.cast(table["timestamp"], pa.int64()), _HOUR_MS)
    table = table.append_column("_hour", hour_of_row)
    table = table.sort_by([("_hour", "ascending"), *SORT_KEYS])

    counts = pc.value_counts(table["_hour"])
    hours = cast("list[int]", counts.field("values").to_pylist())
    sizes = cast("list[int]", counts.field("counts").to_pylist())
    written = []
    offset = 0
    for hour, rows in zip(hours, sizes, strict=True):
        part = table.slice(offset, rows).drop_columns(["_hour"])
        offset += rows
        written.append(_put_partition(store, part, hour, row_group_rows, name))
    return written


def partition_key(hour: int) -> str:
    """Return the hive partition path for an hour since the epoch: ``date=YYYY-MM-DD/hour=HH``."""
    start = datetime.fromtimestamp(hour * 3600, tz=UTC)
    return f"date={start:%Y-%m-%d}/hour={start:%H}"


def object_name(part: pa.Table) -> str:
    """Name an object by the log streams and event IDs it holds, in row order.

    CloudWatch's event IDs are unique, but moto and hand-made payloads reuse small numbers
    across streams, so the group and stream are part of each event's identity here.
    """
    digest = hashlib.blake2b(digest_size=16)
    columns = (part["log_group"], part["log_stream"], part["event_id"])
    if part.num_rows < _ARROW_NAME_MIN_ROWS or any(column.null_count for column in columns):
        for log_group, log_stream, event_id in zip(*(c.to_pylist() for c in columns), strict=True):
            digest.update(f"{log_group}\0{log_stream}\0{event_id}\n".encode("utf-8", "replace"))
        return digest.hexdigest()

    # The same bytes in one pass through Arrow: each row's line, joined in its data buffer.
    # Arrow strings are valid UTF-8 already, so "replace" has nothing to replace.
    join: Any = pc.binary_join_element_wise  # the stubs do not take the separator positionally
    lines: pa.ChunkedArray[Any] = join(join(*columns, "\0"), pa.scalar("\n"), "")
    for chunk in lines.chunks:
        _, offset_buffer, data = chunk.buffers()
        if offset_buffer is None or data is None:
            continue
        offsets = memoryview(offset_buffer).cast("i")
        start, end = offsets[chunk.offset], offsets[chunk.offset + len(chunk)]
        digest.update(memoryview(data)[start:end])
    return digest.hexdigest()


def parquet_bytes(part: pa.Table, *, row_group_rows: int) -> bytes:
    """Encode rows as Parquet: zstd, dictionaries for repetitive columns, ID bloom filters."""
    buffer = io.BytesIO()
    bloom_filters = {
        column: {"ndv": max(part.num_rows, 1), "fpp": _BLOOM_FALSE_POSITIVE_RATE}
        for column in BLOOM_FILTER_COLUMNS
    }
    pq.write_table(
        part,
        buffer,
        row_group_size=row_group_rows,
        compression="zstd",
        use_dictionary=list(DICTIONARY_COLUMNS),  # type: ignore[arg-type]  # stubs say bool only
        bloom_filter_options=bloom_filters,
        write_statistics=True,
    )
    return buffer.getvalue()


def _put_partition(
    store: LakeStore, part: pa.Table, hour: int, row_group_rows: int, name: str | None
) -> WrittenObject:
    body = parquet_bytes(part, row_group_rows=row_group_rows)
    key = f"{LOGS_PREFIX}/{partition_key(hour)}/{name or object_name(part)}.parquet"
    store.put(key, body)
    return WrittenObject(key=key, rows=part.num_rows, bytes=len(body))
