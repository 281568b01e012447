"""Merge one hour's objects of a table into one sorted table with one row per key.

Each table keeps the copy its readers would choose:

* ``logs``: one row per (log_group, log_stream, event_id). The same event can arrive by two
  routes, such as a subscription and an import. Its rows then differ only where the
  delivery's context filled them in, so the copy that has a request ID wins, then the one
  ingested first.
* ``traces``: one row per trace ID, the highest revision, then the one ingested last, as the
  ``traces`` view chooses.
* ``segments``: one row per (trace_id, source, segment_id), a finished copy, then the one
  ingested last, as the ``segments`` view chooses.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from loglake.ingest.compact.manifest import CompactionError
from loglake.ingest.schema import LOGS_SCHEMA, SORT_KEYS
from loglake.ingest.write import LOGS_PREFIX, parquet_bytes
from loglake.ingest.xray.schema import SEGMENTS, TRACES, TableLayout
from loglake.ingest.xray.write import trace_parquet_bytes

SortKeys = tuple[tuple[str, Literal["ascending", "descending"]], ...]


@dataclass(frozen=True, slots=True)
class CompactedTable:
    """The merge and write rules of one table."""

    prefix: str
    schema: pa.Schema
    key_columns: tuple[str, ...]
    """Rows with equal values here are copies of one row."""
    preference: Callable[[pa.Table], tuple[pa.Table, SortKeys]]
    """Adds any helper columns and returns the order in which the kept copy comes first."""
    sort_keys: SortKeys
    encode: Callable[[pa.Table, int], bytes]
    """Writes rows as Parquet with the table's options, given rows per row group."""


def _logs_preference(table: pa.Table) -> tuple[pa.Table, SortKeys]:
    table = table.append_column("_missing_request_id", pc.is_null(table["request_id"]))
    return table, (("_missing_request_id", "ascending"), ("ingestion_time", "ascending"))


def _traces_preference(table: pa.Table) -> tuple[pa.Table, SortKeys]:
    return table, (("revision", "descending"), ("ingestion_time", "descending"))


def _segments_preference(table: pa.Table) -> tuple[pa.Table, SortKeys]:
    table = table.append_column("_in_progress", pc.is_null(table["end_time"]))
    return table, (("_in_progress", "ascending"), ("ingestion_time", "descending"))


def _layout_encoder(layout: TableLayout) -> Callable[[pa.Table, int], bytes]:
    def encode(table: pa.Table, row_group_rows: int) -> bytes:
        return trace_parquet_bytes(table, layout, row_group_rows=row_group_rows)

    return encode


LOGS_TABLE = CompactedTable(
    prefix=LOGS_PREFIX,
    schema=LOGS_SCHEMA,
    key_columns=("log_group", "log_stream", "event_id"),
    preference=_logs_preference,
    sort_keys=SORT_KEYS,
    encode=lambda table, row_group_rows: parquet_bytes(table, row_group_rows=row_group_rows),
)
TRACES_TABLE = CompactedTable(
    prefix=TRACES.prefix,
    schema=TRACES.schema,
    key_columns=("trace_id",),
    preference=_traces_preference,
    sort_keys=TRACES.sort_keys,
    encode=_layout_encoder(TRACES),
)
SEGMENTS_TABLE = CompactedTable(
    prefix=SEGMENTS.prefix,
    schema=SEGMENTS.schema,
    key_columns=("trace_id", "source", "segment_id"),
    preference=_segments_preference,
    sort_keys=SEGMENTS.sort_keys,
    encode=_layout_encoder(SEGMENTS),
)
COMPACTED_TABLES = (LOGS_TABLE, TRACES_TABLE, SEGMENTS_TABLE)


def read_parquet_object(spec: CompactedTable, key: str, body: bytes) -> pa.Table:
    """Read one object and conform it to the table's schema; CompactionError names a misfit."""
    try:
        table = pq.read_table(io.BytesIO(body))
    except pa.ArrowException as error:
        raise CompactionError(
            f"lake object {key} is not valid Parquet ({error}): move it out of the lake"
        ) from error
    missing = [name for name in spec.schema.names if name not in table.column_names]
    if missing:
        raise CompactionError(
            f"lake object {key} lacks the {spec.prefix} columns {', '.join(missing)}: "
            "move it out of the lake or write it again with this loglake"
        )
    try:
        return table.select(spec.schema.names).cast(spec.schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise CompactionError(
            f"lake object {key} has columns of other types than {spec.prefix} ({error}): "
            "move it out of the lake or write it again with this loglake"
        ) from error


def merge_tables(spec: CompactedTable, tables: Sequence[pa.Table]) -> pa.Table:
    """Concatenate ``tables``, keep one row per key and sort the result for writing."""
    table = pa.concat_tables(tables)
    if table.num_rows == 0:
        return table

    table, preference = spec.preference(table)
    # Arrow sorts nulls last in both directions, so a trace without a revision loses.
    order = pc.sort_indices(
        table, sort_keys=[*((column, "ascending") for column in spec.key_columns), *preference]
    )
    table = table.take(order)
    first_copies = table.take(pc.indices_nonzero(_starts_of_keys(table, spec.key_columns)))
    return first_copies.select(spec.schema.names).sort_by(list(spec.sort_keys))


def _starts_of_keys(table: pa.Table, key_columns: Sequence[str]) -> pa.BooleanArray:
    """Mark each row of a table sorted by ``key_columns`` whose key differs from the row before.

    Compares neighbours instead of using ``Table.group_by``, because group_by runs on Acero,
    which the ingest Lambda's package leaves out. Two nulls count as equal.
    """
    changed: pa.BooleanArray | None = None
    for column in key_columns:
        values = table[column].combine_chunks()
        current, previous = values.slice(1), values.slice(0, len(values) - 1)
        current_null, previous_null = pc.is_null(current), pc.is_null(previous)
        differs = pc.if_else(
            pc.or_(current_null, previous_null),
            pc.xor(current_null, previous_null),
            pc.not_equal(current, previous),
        )
        changed = differs if changed is None else pc.or_(changed, differs)
    assert changed is not None, "a table needs at least one key column"
    return pa.concat_arrays([pa.array([True]), changed])
