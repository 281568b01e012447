"""Compaction of traces and segments keeps the copy each view chooses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq

from loglake.analytics.lake import open_lake
from loglake.ingest.compact.compactor import compact_lake
from loglake.ingest.compact.merge import SEGMENTS_TABLE, TRACES_TABLE
from loglake.ingest.store import LocalStore
from tests.compact.lakes import table_of

START = datetime(2026, 11, 2, 8, 15, tzinfo=UTC)
TRACE = "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"
OTHER = "1-6ae84652-000000000000000000000000"


def put(store: LocalStore, name: str, table: str, rows: list[dict[str, object]]) -> None:
    spec = TRACES_TABLE if table == "traces" else SEGMENTS_TABLE
    body = spec.encode(table_of(rows, spec.schema), 1000)
    store.put(f"{table}/date=2026-11-02/hour=08/{name}.parquet", body)


def trace(trace_id: str, revision: int | None, ingested_minute: int) -> dict[str, object]:
    return {
        "trace_id": trace_id,
        "start_time": START,
        "revision": revision,
        "ingestion_time": START + timedelta(minutes=ingested_minute),
    }


def segment(end: datetime | None, ingested_minute: int) -> dict[str, object]:
    return {
        "trace_id": TRACE,
        "segment_id": "53995c3f42cd8ad8",
        "kind": "segment",
        "source": "xray",
        "start_time": START,
        "end_time": end,
        "ingestion_time": START + timedelta(minutes=ingested_minute),
    }


def view_rows(root: Path, sql: str) -> list[tuple[object, ...]]:
    return open_lake(str(root)).connection.execute(sql).fetchall()


def test_traces_keep_highest_revision(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    put(store, "xray-1-2", "traces", [trace(TRACE, 1, 1), trace(OTHER, None, 1)])
    put(store, "xray-2-3", "traces", [trace(TRACE, 3, 2), trace(OTHER, 2, 2)])
    put(store, "xray-3-4", "traces", [trace(TRACE, 2, 3)])
    query = "SELECT trace_id, revision FROM traces ORDER BY trace_id"
    before = view_rows(tmp_path, query)

    report = compact_lake(
        store,
        now=datetime.now(tz=UTC),
        older_than=timedelta(hours=2),
        grace=timedelta(hours=1),
        row_group_rows=1000,
    )

    assert [(hour.table, hour.rows_in, hour.rows_out) for hour in report.hours] == [
        ("traces", 5, 2)
    ]
    assert view_rows(tmp_path, query) == before == [(TRACE, 3), (OTHER, 2)]
    merged = pq.read_table(tmp_path / str(report.hours[0].output))
    assert merged.schema.equals(TRACES_TABLE.schema)


def test_segments_keep_finished_copy(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    finished = START + timedelta(seconds=2)
    put(store, "xray-1-2", "segments", [segment(finished, 1)])
    put(store, "xray-2-3", "segments", [segment(None, 2)])
    query = "SELECT segment_id, end_time FROM segments"
    before = view_rows(tmp_path, query)

    report = compact_lake(
        store,
        now=datetime.now(tz=UTC),
        older_than=timedelta(hours=2),
        grace=timedelta(hours=1),
        row_group_rows=1000,
    )

    assert [(hour.table, hour.rows_out) for hour in report.hours] == [("segments", 1)]
    assert view_rows(tmp_path, query) == before == [("53995c3f42cd8ad8", finished)]
