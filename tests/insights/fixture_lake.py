"""A small lake of known events for the Insights query tests.

Three functions in two hours of 2026-11-02 (UTC):
- orders-api (text format, Python with Powertools): a cold invocation R1 at 08:00, an
  invocation R2 at 08:10 that fails with a KeyError, and R3 at 09:00 that times out.
- thumbs (text format, Go with zap): R4 at 08:02, killed for running out of memory.
- renderer (Lambda's JSON log format): R5 at 08:05.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import write_logs

ACCOUNT = "123456789012"
R1 = "11111111-1111-4111-8111-111111111111"
R2 = "22222222-2222-4222-8222-222222222222"
R3 = "33333333-3333-4333-8333-333333333333"
R4 = "44444444-4444-4444-8444-444444444444"
R5 = "55555555-5555-4555-8555-555555555555"
TRACE = "1-6725e100-aaaaaaaaaaaaaaaaaaaaaaaa"
T0 = int(datetime(2026, 11, 2, 8, 0, tzinfo=UTC).timestamp() * 1000)


def _json(value: object) -> str:
    return orjson.dumps(value).decode() + "\n"


def _report(
    request_id: str, duration: str, billed: int, size: int, used: int, extra: str = ""
) -> str:
    return (
        f"REPORT RequestId: {request_id}\tDuration: {duration} ms\tBilled Duration: {billed} ms\t"
        f"Memory Size: {size} MB\tMax Memory Used: {used} MB\t{extra}\n"
    )


ORDERS = [
    (
        0,
        "INIT_START Runtime Version: python:3.12.v16\t"
        + "Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:0123\n",
    ),
    (1000, f"START RequestId: {R1} Version: $LATEST\n"),
    (1100, f"[INFO]\t2026-11-02T08:00:01.100Z\t{R1}\tprocessing order 42\n"),
    (
        1200,
        _json(
            {
                "level": "INFO",
                "location": "handler:10",
                "message": "charged card",
                "timestamp": "2026-11-02 08:00:01,200+0000",
                "service": "orders",
                "cold_start": True,
                "function_request_id": R1,
                "xray_trace_id": TRACE,
                "eventId": "abc123",
                "amount": 12.5,
                "user": {"id": "u-1", "tier": "gold"},
                "tags": ["a", "b"],
            }
        ),
    ),
    (1300, f"END RequestId: {R1}\n"),
    (
        1301,
        _report(R1, "120.50", 121, 1024, 100, "Init Duration: 640.00 ms\t")
        + f"XRAY TraceId: {TRACE}\tSegmentId: 53995c3f42cd8ad8\tSampled: true\n",
    ),
    (600_000, f"START RequestId: {R2} Version: $LATEST\n"),
    (
        600_050,
        "[ERROR] KeyError: 'sku'\nTraceback (most recent call last):\n"
        '  File "/var/task/app.py", line 5, in handler\n',
    ),
    (
        600_060,
        _json(
            {
                "level": "ERROR",
                "message": "payment failed",
                "function_request_id": R2,
                "eventId": "def456",
                "amount": 7,
                "user": {"id": "u-2", "tier": "silver"},
                "client_ip": "10.1.2.3",
                "http-status": 502,
            }
        ),
    ),
    (600_100, f"END RequestId: {R2}\n"),
    (600_101, _report(R2, "30.25", 31, 1024, 110)),
    (3_600_000, f"START RequestId: {R3} Version: $LATEST\n"),
    (3_603_000, f"2026-11-02T09:00:03.000Z {R3} Task timed out after 3.00 seconds\n"),
    (3_603_001, f"END RequestId: {R3}\n"),
    (3_603_002, _report(R3, "3000.00", 3000, 1024, 111, "Status: timeout\t")),
]

THUMBS = [
    (120_000, f"START RequestId: {R4} Version: $LATEST\n"),
    (
        120_010,
        _json(
            {
                "level": "info",
                "ts": 1793606520.01,
                "caller": "h.go:1",
                "msg": "processing object",
                "eventId": "ev-9",
                "size_bytes": 2048,
                "client_ip": "203.0.113.7",
            }
        ),
    ),
    (
        120_020,
        _json({"level": "warn", "ts": 1793606520.02, "msg": "image too large", "pixels": 50000000}),
    ),
    (120_500, f"END RequestId: {R4}\n"),
    (
        120_501,
        _report(R4, "480.00", 480, 512, 512, "Status: error\tError Type: Runtime.OutOfMemory\t"),
    ),
]

RENDERER = [
    (
        300_000,
        _json(
            {
                "time": "2026-11-02T08:05:00.000Z",
                "type": "platform.start",
                "record": {"requestId": R5, "version": "$LATEST"},
            }
        ),
    ),
    (
        300_100,
        _json(
            {
                "timestamp": "2026-11-02T08:05:00.100Z",
                "level": "INFO",
                "requestId": R5,
                "message": "rendered invoice",
                "pages": 3,
            }
        ),
    ),
    (
        300_300,
        _json(
            {
                "time": "2026-11-02T08:05:00.300Z",
                "type": "platform.report",
                "record": {
                    "requestId": R5,
                    "metrics": {
                        "durationMs": 250.5,
                        "billedDurationMs": 251,
                        "memorySizeMB": 256,
                        "maxMemoryUsedMB": 90,
                    },
                    "status": "success",
                },
            }
        ),
    ),
]


def _batch(function: str, stream: str, events: list[tuple[int, str]], first_id: int) -> LogBatch:
    log_events = [
        LogEvent(str(first_id + index), T0 + offset, message)
        for index, (offset, message) in enumerate(events)
    ]
    return LogBatch(ACCOUNT, f"/aws/lambda/{function}", stream, log_events, "subscription")


def build_fixture_lake(folder: Path) -> Path:
    """Write the fixture events into a lake folder and return it."""
    batches = [
        _batch("orders-api", "2026/11/02/[$LATEST]aaaa", ORDERS, 1000),
        _batch("thumbs", "2026/11/02/[$LATEST]bbbb", THUMBS, 2000),
        _batch("renderer", "2026/11/02/[$LATEST]cccc", RENDERER, 3000),
    ]
    table = build_logs_table(batches, ingestion_time_ms=T0 + 4_000_000)
    write_logs(LocalStore(folder), table, row_group_rows=1000)
    return folder
