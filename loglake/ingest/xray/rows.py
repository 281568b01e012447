"""Rows of the ``traces`` and ``segments`` tables, and their Arrow tables.

Times are epoch microseconds. ``partition_us`` is the time whose hour names a row's
partition; it is not a column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Any

import pyarrow as pa

from loglake.ingest.xray.schema import SEGMENTS, TRACES, TableLayout

HOUR_US = 3_600_000_000
HOUR_COLUMN = "_hour"
"""Hours since the epoch of each row's partition; the writer splits by it and drops it."""


@dataclass(slots=True)
class TraceRow:
    """One trace summary, as the ``traces`` table stores it."""

    trace_id: str
    start_time: int
    partition_us: int
    """The trace's start as its ID records it: the same for every revision of the trace."""
    ingestion_time: int
    duration_ms: float | None = None
    response_time_ms: float | None = None
    has_fault: bool | None = None
    has_error: bool | None = None
    has_throttle: bool | None = None
    is_partial: bool | None = None
    http_method: str | None = None
    http_url: str | None = None
    http_status: int | None = None
    http_user_agent: str | None = None
    http_client_ip: str | None = None
    entry_point: str | None = None
    entry_point_type: str | None = None
    function_name: str | None = None
    account: str | None = None
    region: str | None = None
    service_names: list[str] | None = None
    resource_arns: list[str] | None = None
    users: list[str] | None = None
    annotations: str | None = None
    root_cause_service: str | None = None
    root_cause_error_type: str | None = None
    root_cause_message: str | None = None
    revision: int | None = None
    matched_event_time: int | None = None


@dataclass(slots=True)
class SegmentRow:
    """One segment, subsegment or span, as the ``segments`` table stores it."""

    trace_id: str
    segment_id: str
    kind: str
    """``segment`` or ``subsegment``."""
    source: str
    """``xray`` (a segment document) or ``span`` (an ``aws/spans`` record)."""
    start_time: int
    ingestion_time: int
    parent_id: str | None = None
    name: str | None = None
    namespace: str | None = None
    origin: str | None = None
    end_time: int | None = None
    duration_ms: float | None = None
    in_progress: bool | None = None
    http_method: str | None = None
    http_url: str | None = None
    http_status: int | None = None
    error: bool | None = None
    fault: bool | None = None
    throttle: bool | None = None
    exception_type: str | None = None
    exception_message: str | None = None
    aws_operation: str | None = None
    aws_request_id: str | None = None
    resource_arn: str | None = None
    function_name: str | None = None
    annotations: str | None = None
    fields: str | None = None

    @property
    def partition_us(self) -> int:
        """A segment is partitioned by its own start time."""
        return self.start_time


_TRACE_ATTRIBUTES = {field.name for field in fields(TraceRow)}
_SEGMENT_ATTRIBUTES = {field.name for field in fields(SegmentRow)}


def traces_table(rows: Sequence[TraceRow]) -> pa.Table:
    """Build the ``traces`` table of ``rows``, with the partition hour of each row."""
    return _table(rows, TRACES, _TRACE_ATTRIBUTES)


def segments_table(rows: Sequence[SegmentRow]) -> pa.Table:
    """Build the ``segments`` table of ``rows``, with the partition hour of each row."""
    return _table(rows, SEGMENTS, _SEGMENT_ATTRIBUTES)


def _table(rows: Iterable[TraceRow | SegmentRow], layout: TableLayout, known: set[str]) -> pa.Table:
    names = layout.schema.names
    missing = [name for name in names if name not in known]
    if missing:
        raise RuntimeError(f"row type lacks the columns {missing} of {layout.prefix}")

    columns: dict[str, list[Any]] = {name: [] for name in names}
    hours: list[int] = []
    for row in rows:
        for name in names:
            columns[name].append(getattr(row, name))
        hours.append(row.partition_us // HOUR_US)

    table = pa.Table.from_pydict(columns, schema=layout.schema)
    return table.append_column(HOUR_COLUMN, pa.array(hours, type=pa.int64()))
