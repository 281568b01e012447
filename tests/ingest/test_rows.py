"""One row per event, with the event's identity and the parsed columns."""

from __future__ import annotations

from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import RowStats, build_logs_table

NOW_MS = 1_793_610_000_000
STREAM = "2026/11/02/[$LATEST]0123456789abcdef0123456789abcdef"
REPORT = (
    "REPORT RequestId: 3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19\tDuration: 412.07 ms\t"
    "Billed Duration: 1038 ms\tMemory Size: 512 MB\tMax Memory Used: 97 MB\t"
    "Init Duration: 625.33 ms\t\nXRAY TraceId: 1-674d8f21-5b0c3e9a7d2f4a61c8e0b735\t"
    "SegmentId: 9a4c2e7f1b3d5a08\tSampled: true\t\n"
)


def rows_of(
    events: list[LogEvent], group: str = "/aws/lambda/orders-api"
) -> list[dict[str, object]]:
    batch = LogBatch("123456789012", group, STREAM, events, "subscription", region="eu-west-1")
    return build_logs_table([batch], ingestion_time_ms=NOW_MS).to_pylist()


def test_report_row_columns() -> None:
    (row,) = rows_of([LogEvent("1", 1_793_607_251_000, REPORT)])
    assert row["type"] == "REPORT"
    assert row["function_name"] == "orders-api"
    assert row["function_version"] == "$LATEST"
    assert row["account"] == "123456789012"
    assert row["region"] == "eu-west-1"
    assert row["event_id"] == "1"
    assert row["message"] == REPORT
    assert row["duration_ms"] == 412.07
    assert row["memory_size_mb"] == 512
    assert row["trace_id"] == "1-674d8f21-5b0c3e9a7d2f4a61c8e0b735"
    assert row["cold_start"] is True


def test_other_log_group_has_null_function() -> None:
    (row,) = rows_of([LogEvent("1", 1, "GET /orders 200")], group="/aws/apigateway/orders")
    assert row["function_name"] is None
    assert row["type"] == "APP"


def test_missing_timestamp_uses_ingestion_time() -> None:
    stats = RowStats()
    batch = LogBatch("1", "/aws/lambda/a", STREAM, [LogEvent("1", None, "x")], "subscription")
    (row,) = build_logs_table([batch], ingestion_time_ms=NOW_MS, stats=stats).to_pylist()
    assert row["timestamp"].timestamp() * 1000 == NOW_MS
    assert stats.without_timestamp == 1


def test_missing_event_ids_are_stable_and_distinct() -> None:
    events = [LogEvent(None, 5, "same"), LogEvent(None, 5, "same"), LogEvent(None, 6, "other")]
    first = [row["event_id"] for row in rows_of(events)]
    again = [row["event_id"] for row in rows_of(events)]
    assert first == again
    assert len(set(first)) == 3


def test_lone_surrogate_is_escaped() -> None:
    (row,) = rows_of([LogEvent("1", 5, "bad \ud800 text")])
    assert row["message"] == "bad \\ud800 text"
