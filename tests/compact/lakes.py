"""Small lakes for compaction tests: deliveries written through the real writer."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from loglake.analytics.lake import open_lake
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LakeStore
from loglake.ingest.write import WrittenObject, write_logs

HOUR_8 = int(datetime(2026, 11, 2, 8, tzinfo=UTC).timestamp() * 1000)
HOUR_9 = HOUR_8 + 3_600_000
GROUP = "/aws/lambda/orders-api"
STREAM = "2026/11/02/[$LATEST]0123456789abcdef0123456789abcdef"
REQUEST = "8e2d4f60-1a3b-4c5d-8e7f-90a1b2c3d4e5"


def invocation(first_id: int, start_ms: int, *, request_id: str = REQUEST) -> list[LogEvent]:
    """Return the START, an application line and the REPORT of one invocation."""
    return [
        LogEvent(str(first_id), start_ms, f"START RequestId: {request_id} Version: $LATEST"),
        LogEvent(
            str(first_id + 1), start_ms + 5, f"[INFO]\t2026-11-02T08:00:00.005Z\t{request_id}\tok"
        ),
        LogEvent(
            str(first_id + 2),
            start_ms + 9,
            f"REPORT RequestId: {request_id}\tDuration: 8.00 ms\tBilled Duration: 9 ms\t"
            "Memory Size: 128 MB\tMax Memory Used: 60 MB",
        ),
    ]


def deliver(
    store: LakeStore,
    events: list[LogEvent],
    *,
    stream: str = STREAM,
    ingestion_ms: int = HOUR_9 + 3_600_000,
    name: str | None = None,
) -> list[WrittenObject]:
    """Write one delivery of ``events`` as the ingest Lambda would."""
    batch = LogBatch("123456789012", GROUP, stream, events, "subscription")
    table = build_logs_table([batch], ingestion_time_ms=ingestion_ms)
    return write_logs(store, table, row_group_rows=1000, name=name)


def counts(url: str, *, endpoint_url: str | None = None) -> tuple[int, int]:
    """Return the rows of ``logs`` and the distinct events among them."""
    lake = open_lake(url, endpoint_url=endpoint_url)
    row = lake.connection.execute(
        "SELECT count(*), count(DISTINCT (log_group, log_stream, event_id)) FROM logs"
    ).fetchone()
    assert row is not None
    return int(row[0]), int(row[1])


def table_of(rows: list[dict[str, object]], schema: pa.Schema) -> pa.Table:
    """Build a table of ``schema`` from rows that name only some columns."""
    return pa.Table.from_pylist(rows, schema=schema)
