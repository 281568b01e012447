"""Arrow schema of the lake's ``logs`` table: the columns every reader relies on."""

from __future__ import annotations

from typing import Any, Literal, cast

import pyarrow as pa

_JSON = cast("pa.DataType", pa.json_(pa.string()))

_LOGS_FIELDS = cast(
    "list[pa.Field[Any]]",
    [
        pa.field("timestamp", pa.timestamp("ms", tz="UTC"), nullable=False),
        pa.field("ingestion_time", pa.timestamp("ms", tz="UTC"), nullable=False),
        pa.field("account", pa.string()),
        pa.field("region", pa.string()),
        pa.field("log_group", pa.string(), nullable=False),
        pa.field("log_stream", pa.string(), nullable=False),
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("function_name", pa.string()),
        pa.field("function_version", pa.string()),
        pa.field("type", pa.string(), nullable=False),
        pa.field("level", pa.string()),
        pa.field("request_id", pa.string()),
        pa.field("trace_id", pa.string()),
        pa.field("segment_id", pa.string()),
        pa.field("message", pa.string(), nullable=False),
        pa.field("error_type", pa.string()),
        pa.field("fields", _JSON),
        pa.field("duration_ms", pa.float64()),
        pa.field("billed_duration_ms", pa.float64()),
        pa.field("init_duration_ms", pa.float64()),
        pa.field("restore_duration_ms", pa.float64()),
        pa.field("memory_size_mb", pa.int32()),
        pa.field("max_memory_used_mb", pa.int32()),
        pa.field("status", pa.string()),
        pa.field("cold_start", pa.bool_()),
    ],
)

LOGS_SCHEMA = pa.schema(
    _LOGS_FIELDS,
    metadata={"loglake.table": "logs", "loglake.schema_version": "1"},
)
"""``fields`` is JSON text with Parquet's JSON logical type, which DuckDB reads as JSON."""

DICTIONARY_COLUMNS = (
    "account",
    "region",
    "log_group",
    "log_stream",
    "function_name",
    "function_version",
    "type",
    "level",
    "error_type",
    "status",
)
"""Columns with few distinct values per file, written with dictionary encoding."""

BLOOM_FILTER_COLUMNS = ("request_id", "trace_id")
"""Needle-lookup columns that get Parquet bloom filters."""

SORT_KEYS: tuple[tuple[str, Literal["ascending", "descending"]], ...] = (
    ("log_group", "ascending"),
    ("timestamp", "ascending"),
)
"""Row order within each file: range scans of one group read contiguous pages."""
