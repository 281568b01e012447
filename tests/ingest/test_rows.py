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


def test_out_of_range_timestamp_takes_previous_event_time() -> None:
    stats = RowStats()
    events = [LogEvent("1", 1_793_607_251_000, "a"), LogEvent("2", 10**17, "b")]
    batch = LogBatch("1", "/aws/lambda/a", STREAM, events, "subscription")
    rows = build_logs_table([batch], ingestion_time_ms=NOW_MS, stats=stats).to_pylist()
    assert [row["timestamp"].timestamp() * 1000 for row in rows] == [1_793_607_251_000] * 2
    assert stats.without_timestamp == 1


def test_first_event_without_time_takes_next_event_time() -> None:
    events = [LogEvent("1", None, "a"), LogEvent("2", 1_793_607_251_000, "b")]
    rows = rows_of(events)
    assert rows[0]["timestamp"] == rows[1]["timestamp"]


def test_timestamp_beyond_64_bits_kept_as_missing() -> None:
    (row,) = rows_of([LogEvent("1", 2**70, "x")])
    assert row["timestamp"].timestamp() * 1000 == NOW_MS


def test_memory_size_beyond_32_bits_is_null() -> None:
    report = (
        "REPORT RequestId: 8e2d4f60-1a3b-4c5d-8e7f-90a1b2c3d4e5\tDuration: 1.00 ms\t"
        "Billed Duration: 1 ms\tMemory Size: 99999999999 MB\tMax Memory Used: 71 MB\t"
    )
    (row,) = rows_of([LogEvent("1", 5, report)])
    assert row["memory_size_mb"] is None
    assert row["max_memory_used_mb"] == 71


def test_surrogate_in_request_id_is_escaped() -> None:
    (row,) = rows_of([LogEvent("1", 5, "START RequestId: \ud800abc Version: $LATEST\n")])
    assert row["message"] == "START RequestId: \\ud800abc Version: $LATEST\n"


def test_event_id_gives_missing_timestamp() -> None:
    event_id = "34995263194743957926394092898794541076935926438371917824"
    (row,) = rows_of([LogEvent(event_id, None, "END RequestId: x\n")])
    assert row["timestamp"].timestamp() * 1000 == 1569241874350


def test_report_trace_id_reaches_invocation_rows() -> None:
    request_id = "3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19"
    messages = [
        f"START RequestId: {request_id} Version: $LATEST\n",
        "processing order 42\n",
        f"END RequestId: {request_id}\n",
        REPORT,
    ]
    events = [LogEvent(str(index), 5 + index, message) for index, message in enumerate(messages)]

    rows = rows_of(events)

    assert [row["trace_id"] for row in rows] == ["1-674d8f21-5b0c3e9a7d2f4a61c8e0b735"] * 4
    assert [row["segment_id"] for row in rows] == [None, None, None, "9a4c2e7f1b3d5a08"]
    assert rows[1]["request_id"] == request_id


def test_surrogate_in_function_version_is_escaped() -> None:
    stats = RowStats()
    message = "START RequestId: x Version: \ud800\n"
    batch = LogBatch("1", "/aws/lambda/a", STREAM, [LogEvent("1", 5, message)], "subscription")

    (row,) = build_logs_table([batch], ingestion_time_ms=NOW_MS, stats=stats).to_pylist()

    assert row["function_version"] == "\\ud800"
    assert row["message"] == "START RequestId: x Version: \\ud800\n"
    # The message and the fields JSON each count.
    assert stats.escaped_surrogates == 2


def test_odd_column_values_become_null() -> None:
    # A parser that returns a value of the wrong type or size must not fail the batch.
    odd = LogEvent("1", 5, "REPORT RequestId: x\tDuration: 1 ms\tMemory Size: 2147483648 MB\t")
    (row,) = rows_of([odd])

    assert row["memory_size_mb"] is None
    assert row["duration_ms"] == 1.0


def test_batch_columns_follow_their_rows() -> None:
    first = LogBatch("111111111111", "/aws/lambda/a", STREAM, [LogEvent("1", 5, "x")] * 2, "s")
    empty = LogBatch("222222222222", "/aws/lambda/b", STREAM, [], "s")
    last = LogBatch(None, "/custom/c", "plain", [LogEvent("3", 6, "y")], "s", region="eu-west-1")

    rows = build_logs_table(
        [first, empty, last], ingestion_time_ms=NOW_MS, default_region="us-east-1"
    ).to_pylist()

    assert [row["log_group"] for row in rows] == ["/aws/lambda/a", "/aws/lambda/a", "/custom/c"]
    assert [row["account"] for row in rows] == ["111111111111", "111111111111", None]
    assert [row["region"] for row in rows] == ["us-east-1", "us-east-1", "eu-west-1"]
    assert [row["log_stream"] for row in rows] == [STREAM, STREAM, "plain"]
    assert [row["function_name"] for row in rows] == ["a", "a", None]
