"""Arrow schemas of the lake's ``traces`` and ``segments`` tables, with their Parquet layout.

Times are UTC microseconds, because X-Ray states them to the microsecond; durations are
milliseconds, as in ``logs``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, cast

import pyarrow as pa

_JSON = cast("pa.DataType", pa.json_(pa.string()))
_TIME = pa.timestamp("us", tz="UTC")
_NAMES = pa.list_(pa.string())

_TRACES_FIELDS = cast(
    "list[pa.Field[Any]]",
    [
        pa.field("trace_id", pa.string(), nullable=False),
        pa.field("start_time", _TIME, nullable=False),
        pa.field("duration_ms", pa.float64()),
        pa.field("response_time_ms", pa.float64()),
        pa.field("has_fault", pa.bool_()),
        pa.field("has_error", pa.bool_()),
        pa.field("has_throttle", pa.bool_()),
        pa.field("is_partial", pa.bool_()),
        pa.field("http_method", pa.string()),
        pa.field("http_url", pa.string()),
        pa.field("http_status", pa.int32()),
        pa.field("http_user_agent", pa.string()),
        pa.field("http_client_ip", pa.string()),
        pa.field("entry_point", pa.string()),
        pa.field("entry_point_type", pa.string()),
        pa.field("function_name", pa.string()),
        pa.field("account", pa.string()),
        pa.field("region", pa.string()),
        pa.field("service_names", _NAMES),
        pa.field("resource_arns", _NAMES),
        pa.field("users", _NAMES),
        pa.field("annotations", _JSON),
        pa.field("root_cause_service", pa.string()),
        pa.field("root_cause_error_type", pa.string()),
        pa.field("root_cause_message", pa.string()),
        pa.field("revision", pa.int64()),
        pa.field("matched_event_time", _TIME),
        pa.field("ingestion_time", _TIME, nullable=False),
    ],
)

_SEGMENTS_FIELDS = cast(
    "list[pa.Field[Any]]",
    [
        pa.field("trace_id", pa.string(), nullable=False),
        pa.field("segment_id", pa.string(), nullable=False),
        pa.field("parent_id", pa.string()),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("namespace", pa.string()),
        pa.field("origin", pa.string()),
        pa.field("start_time", _TIME, nullable=False),
        pa.field("end_time", _TIME),
        pa.field("duration_ms", pa.float64()),
        pa.field("in_progress", pa.bool_()),
        pa.field("http_method", pa.string()),
        pa.field("http_url", pa.string()),
        pa.field("http_status", pa.int32()),
        pa.field("error", pa.bool_()),
        pa.field("fault", pa.bool_()),
        pa.field("throttle", pa.bool_()),
        pa.field("exception_type", pa.string()),
        pa.field("exception_message", pa.string()),
        pa.field("aws_operation", pa.string()),
        pa.field("aws_request_id", pa.string()),
        pa.field("resource_arn", pa.string()),
        pa.field("function_name", pa.string()),
        pa.field("annotations", _JSON),
        pa.field("fields", _JSON),
        pa.field("ingestion_time", _TIME, nullable=False),
    ],
)

TRACES_SCHEMA = pa.schema(
    _TRACES_FIELDS, metadata={"loglake.table": "traces", "loglake.schema_version": "1"}
)
SEGMENTS_SCHEMA = pa.schema(
    _SEGMENTS_FIELDS, metadata={"loglake.table": "segments", "loglake.schema_version": "1"}
)


@dataclass(frozen=True, slots=True)
class TableLayout:
    """The layout of a table: its folder in the lake and the order and encoding of its objects."""

    prefix: str
    """Top folder of the table in the lake, such as ``traces``."""
    schema: pa.Schema
    dictionary_columns: tuple[str, ...]
    """Columns with few distinct values per file, written with dictionary encoding."""
    bloom_filter_columns: tuple[str, ...]
    """Needle-lookup columns that get Parquet bloom filters."""
    sort_keys: tuple[tuple[str, Literal["ascending", "descending"]], ...]


TRACES = TableLayout(
    prefix="traces",
    schema=TRACES_SCHEMA,
    dictionary_columns=(
        "entry_point",
        "entry_point_type",
        "function_name",
        "account",
        "region",
        "http_method",
        "root_cause_service",
        "root_cause_error_type",
    ),
    bloom_filter_columns=("trace_id",),
    sort_keys=(("start_time", "ascending"), ("trace_id", "ascending")),
)

SEGMENTS = TableLayout(
    prefix="segments",
    schema=SEGMENTS_SCHEMA,
    dictionary_columns=(
        "kind",
        "source",
        "name",
        "namespace",
        "origin",
        "http_method",
        "aws_operation",
        "function_name",
        "exception_type",
    ),
    bloom_filter_columns=("trace_id", "aws_request_id"),
    # A trace's segments stay together, so a trace ID lookup reads few pages.
    sort_keys=(("trace_id", "ascending"), ("start_time", "ascending")),
)
