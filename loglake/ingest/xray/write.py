"""Write ``traces`` and ``segments`` rows to the lake as Parquet, one object per hour partition.

Every route writes through ``write_trace_data``: the poller, saved API output, spans from
``aws/spans`` and the demo. An object is named by its unit of work (a poller window) or by
the rows it holds, so writing the same unit again replaces its objects.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from typing import cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loglake.ingest.store import LakeStore
from loglake.ingest.write import WrittenObject, partition_key
from loglake.ingest.xray.rows import HOUR_COLUMN, SegmentRow, TraceRow, segments_table, traces_table
from loglake.ingest.xray.schema import SEGMENTS, TRACES, TableLayout

_BLOOM_FALSE_POSITIVE_RATE = 0.01
# Columns that identify a row, hashed into the name of an object that no unit of work names.
_IDENTITY_COLUMNS = {
    "traces": ("trace_id", "revision"),
    "segments": ("source", "trace_id", "segment_id"),
}


def write_trace_data(
    store: LakeStore,
    *,
    traces: Sequence[TraceRow] = (),
    segments: Sequence[SegmentRow] = (),
    row_group_rows: int,
    name: str | None = None,
) -> list[WrittenObject]:
    """Write trace summaries and segments, one sorted object per table and hour.

    ``name`` names every object of the unit, so writing the unit again replaces them. Without
    it, each object is named by a hash of the rows it contains.
    """
    written = []
    if traces:
        written += _write_table(store, TRACES, traces_table(traces), row_group_rows, name)
    if segments:
        written += _write_table(store, SEGMENTS, segments_table(segments), row_group_rows, name)
    return written


def _write_table(
    store: LakeStore, layout: TableLayout, table: pa.Table, row_group_rows: int, name: str | None
) -> list[WrittenObject]:
    table = table.sort_by([(HOUR_COLUMN, "ascending"), *layout.sort_keys])
    counts = pc.value_counts(table[HOUR_COLUMN])
    hours = cast("list[int]", counts.field("values").to_pylist())
    sizes = cast("list[int]", counts.field("counts").to_pylist())
    written = []
    offset = 0
    for hour, rows in zip(hours, sizes, strict=True):
        part = table.slice(offset, rows).drop_columns([HOUR_COLUMN])
        offset += rows
        body = trace_parquet_bytes(part, layout, row_group_rows=row_group_rows)
        object_name = name or _content_name(part, layout)
        key = f"{layout.prefix}/{partition_key(hour)}/{object_name}.parquet"
        store.put(key, body)
        written.append(WrittenObject(key=key, rows=part.num_rows, bytes=len(body)))
    return written


def _content_name(part: pa.Table, layout: TableLayout) -> str:
    digest = hashlib.blake2b(digest_size=16)
    columns = [part[column].to_pylist() for column in _IDENTITY_COLUMNS[layout.prefix]]
    for values in zip(*columns, strict=True):
        digest.update("\0".join(map(str, values)).encode("utf-8", "replace") + b"\n")
    return digest.hexdigest()


def trace_parquet_bytes(part: pa.Table, layout: TableLayout, *, row_group_rows: int) -> bytes:
    """Encode rows of the ``traces`` or ``segments`` table as Parquet with ``layout``'s
    options: zstd, dictionaries for its repetitive columns, bloom filters for its IDs."""
    buffer = io.BytesIO()
    bloom_filters = {
        column: {"ndv": max(part.num_rows, 1), "fpp": _BLOOM_FALSE_POSITIVE_RATE}
        for column in layout.bloom_filter_columns
    }
    pq.write_table(
        part,
        buffer,
        row_group_size=row_group_rows,
        compression="zstd",
        use_dictionary=list(layout.dictionary_columns),  # type: ignore[arg-type]  # stubs: bool
        bloom_filter_options=bloom_filters,
        write_statistics=True,
    )
    return buffer.getvalue()
