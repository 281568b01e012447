"""Parquet objects per hour partition, named by their events, with bloom filters."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from loglake.ingest import write
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import object_name, partition_key, write_logs

HOUR_MS = 3_600_000
BASE_MS = 1_793_606_400_000  # 2026-11-02T08:00:00Z


def batch(group: str, timestamps: list[int], *, first_id: int = 1) -> LogBatch:
    events = [
        LogEvent(str(first_id + index), timestamp, f"line {index}")
        for index, timestamp in enumerate(timestamps)
    ]
    return LogBatch("123456789012", group, "2026/11/02/[$LATEST]abc", events, "subscription")


def table_of(*batches: LogBatch):  # type: ignore[no-untyped-def]
    return build_logs_table(batches, ingestion_time_ms=BASE_MS + 5 * HOUR_MS)


def test_partition_key_is_hive_date_and_hour() -> None:
    assert partition_key(BASE_MS // HOUR_MS) == "date=2026-11-02/hour=08"


def test_one_object_per_hour(tmp_path: Path) -> None:
    table = table_of(batch("/aws/lambda/a", [BASE_MS + 10, BASE_MS + HOUR_MS + 10, BASE_MS + 20]))
    written = write_logs(LocalStore(tmp_path), table, row_group_rows=1000)
    assert [item.key.rsplit("/", 1)[0] for item in written] == [
        "logs/date=2026-11-02/hour=08",
        "logs/date=2026-11-02/hour=09",
    ]
    assert [item.rows for item in written] == [2, 1]


def test_rows_sorted_by_group_then_time(tmp_path: Path) -> None:
    table = table_of(
        batch("/aws/lambda/b", [BASE_MS + 5, BASE_MS + 1]),
        batch("/aws/lambda/a", [BASE_MS + 9, BASE_MS + 3], first_id=10),
    )
    (written,) = write_logs(LocalStore(tmp_path), table, row_group_rows=1000)
    stored = pq.read_table(tmp_path / written.key)
    assert stored["log_group"].to_pylist() == ["/aws/lambda/a"] * 2 + ["/aws/lambda/b"] * 2
    assert [value.timestamp() for value in stored["timestamp"].to_pylist()] == [
        (BASE_MS + offset) / 1000 for offset in (3, 9, 1, 5)
    ]


def test_same_events_same_object_name() -> None:
    first = table_of(batch("/aws/lambda/a", [BASE_MS, BASE_MS + 1]))
    again = build_logs_table(
        [batch("/aws/lambda/a", [BASE_MS, BASE_MS + 1])], ingestion_time_ms=BASE_MS + 9
    )
    other = table_of(batch("/aws/lambda/a", [BASE_MS, BASE_MS + 1], first_id=50))
    assert object_name(first) == object_name(again)
    assert object_name(first) != object_name(other)


def test_rewrite_replaces_object(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    table = table_of(batch("/aws/lambda/a", [BASE_MS, BASE_MS + 1]))
    write_logs(store, table, row_group_rows=1000)
    write_logs(store, table, row_group_rows=1000)
    assert len(list(store.list("logs"))) == 1


def test_fixed_name_used_for_every_hour(tmp_path: Path) -> None:
    table = table_of(batch("/aws/lambda/a", [BASE_MS, BASE_MS + HOUR_MS]))
    written = write_logs(LocalStore(tmp_path), table, row_group_rows=1000, name="import-x")
    assert [item.key.rsplit("/", 1)[1] for item in written] == ["import-x.parquet"] * 2


def test_parquet_has_bloom_filters_zstd_and_dictionaries(tmp_path: Path) -> None:
    table = table_of(batch("/aws/lambda/a", [BASE_MS + index for index in range(50)]))
    (written,) = write_logs(LocalStore(tmp_path), table, row_group_rows=1000)
    rows = duckdb.sql(
        "SELECT path_in_schema, compression, bloom_filter_offset IS NOT NULL, encodings "
        f"FROM parquet_metadata('{tmp_path / written.key}')"
    ).fetchall()
    columns = {row[0]: row for row in rows}
    assert columns["request_id"][2] is True
    assert columns["trace_id"][2] is True
    assert columns["message"][2] is False
    assert {row[1] for row in rows} == {"ZSTD"}
    assert "RLE_DICTIONARY" in columns["log_group"][3]


def test_empty_table_writes_nothing(tmp_path: Path) -> None:
    assert write_logs(LocalStore(tmp_path), table_of(), row_group_rows=1000) == []


def test_object_name_includes_stream() -> None:
    first = table_of(batch("/aws/lambda/a", [BASE_MS, BASE_MS + 1]))
    other_stream = batch("/aws/lambda/a", [BASE_MS, BASE_MS + 1])
    other_stream.log_stream = "2026/11/02/[$LATEST]def"
    assert object_name(first) != object_name(table_of(other_stream))


def row_by_row_name(table: pa.Table) -> str:
    """Name an object the way object_name defines it, one row at a time."""
    digest = hashlib.blake2b(digest_size=16)
    columns = [table[name].to_pylist() for name in ("log_group", "log_stream", "event_id")]
    for log_group, log_stream, event_id in zip(*columns, strict=True):
        digest.update(f"{log_group}\0{log_stream}\0{event_id}\n".encode("utf-8", "replace"))
    return digest.hexdigest()


@pytest.mark.parametrize("arrow_min_rows", [0, 1_000_000])
def test_object_name_matches_row_by_row_hash(
    arrow_min_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both ways of hashing: through Arrow, and row by row for small objects.
    monkeypatch.setattr(write, "_ARROW_NAME_MIN_ROWS", arrow_min_rows)
    table = table_of(
        batch("/aws/lambda/a", [BASE_MS + 1, BASE_MS + 2, BASE_MS + 3]),
        batch("/aws/lambda/é", [BASE_MS + 4], first_id=9),
    )
    # A slice and two chunks start their data buffers at an offset.
    chunked = pa.concat_tables([table.slice(1, 2), table.slice(3, 1)])

    assert object_name(table) == row_by_row_name(table)
    assert object_name(table.slice(1, 2)) == row_by_row_name(table.slice(1, 2))
    assert object_name(chunked) == row_by_row_name(chunked)
    assert chunked["event_id"].num_chunks == 2


def test_object_name_with_nulls_hashes_none() -> None:
    names = {"log_group": ["/a"], "log_stream": [None], "event_id": ["1"]}
    table = pa.table(names, schema=pa.schema([(name, pa.string()) for name in names]))

    assert object_name(table) == row_by_row_name(table)
