"""Lakes for the saved query tests: the demo day, and a small lake of known numbers.

The small lake has two functions whose figures the tests state by hand:

| request | function | start | duration | billed | memory | used | init | outcome |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| A1 | api ($LATEST) | 08:00:01 | 100 | 100 | 1024 | 200 | 300 | success, trace T1 |
| W1 | worker (7) | 08:05:00 | 1000 | 1500 | 512 | 512 | 500 | Runtime.OutOfMemory |
| A2 | api ($LATEST) | 08:07:00 | 200 | 200 | 1024 | 256 | | Invoke Error, trace T2 |
| A3 | api ($LATEST) | 08:20:00 | 3000 | 3000 | 1024 | 128 | | timeout |
| W2 | worker (7) | 08:21:00 | 50 | 50 | 512 | 100 | | success |

Times are UTC on 2026-11-02, durations in ms and memory in MB.
W1 logs two zap lines with ``eventId`` abc123 (the first also with trace T2), and W2 one
with ``eventId`` other-1.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import orjson

from loglake.demo import generate_log_data
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import write_logs

DEMO_DAY = datetime(2026, 12, 1, tzinfo=UTC)
KNOWN_DAY = datetime(2026, 11, 2, tzinfo=UTC)
ACCOUNT = "123456789012"

A1 = "a1a1a1a1-0000-4000-8000-000000000001"
A2 = "a2a2a2a2-0000-4000-8000-000000000002"
A3 = "a3a3a3a3-0000-4000-8000-000000000003"
W1 = "b1b1b1b1-0000-4000-8000-000000000001"
W2 = "b2b2b2b2-0000-4000-8000-000000000002"
T1 = "1-6b06f3c1-000000000000000000000001"
T2 = "1-6b06f5bc-000000000000000000000002"


def write_lake(folder: Path, batches: list[LogBatch]) -> Path:
    """Parse the batches as the ingest pipeline does and write them into a local lake."""
    table = build_logs_table(batches, ingestion_time_ms=at_ms(9, 0, 0))
    write_logs(LocalStore(folder), table, row_group_rows=10_000)
    return folder


def build_demo_lake(folder: Path) -> Path:
    """Write the demo day (``loglake demo --date 2026-12-01``) into a lake, one batch a delivery."""
    batches = [
        LogBatch(
            document["owner"],
            document["logGroup"],
            document["logStream"],
            [
                LogEvent(event["id"], event["timestamp"], event["message"])
                for event in document["logEvents"]
            ],
            "subscription",
        )
        for document in generate_log_data(start=DEMO_DAY)
    ]
    return write_lake(folder, batches)


def at_ms(hour: int, minute: int, second: float) -> int:
    """Return epoch ms of a time on the known lake's day."""
    return int(KNOWN_DAY.timestamp() * 1000) + round(((hour * 60 + minute) * 60 + second) * 1000)


def report(
    request_id: str,
    duration: float,
    billed: int,
    memory: int,
    used: int,
    *,
    init: float | None = None,
    ending: str = "\n",
    trace_id: str | None = None,
) -> str:
    line = (
        f"REPORT RequestId: {request_id}\tDuration: {duration:.2f} ms\tBilled Duration: {billed} ms"
        f"\tMemory Size: {memory} MB\tMax Memory Used: {used} MB\t"
    )
    if init is not None:
        line += f"Init Duration: {init:.2f} ms\t"
    line += ending
    if trace_id is not None:
        line += f"XRAY TraceId: {trace_id}\tSegmentId: 0123456789abcdef\tSampled: true\t\n"
    return line


def zap(timestamp_ms: int, level: str, message: str, **fields: str) -> tuple[int, str]:
    """Return a zap line (``ts`` in epoch seconds) and its event time."""
    record = {"level": level, "ts": timestamp_ms / 1000, "msg": message, **fields}
    return timestamp_ms, orjson.dumps(record).decode() + "\n"


def known_batches() -> list[LogBatch]:
    """Return one delivery of each function with the invocations in the module's table."""
    invoke_error = orjson.dumps(
        {"errorType": "Error", "errorMessage": "card declined", "stack": ["Error: card declined"]}
    ).decode()
    api = [
        (at_ms(8, 0, 1.0), f"START RequestId: {A1} Version: $LATEST\n"),
        (at_ms(8, 0, 1.01), f"2026-11-02T08:00:01.010Z\t{A1}\tINFO\tloading order o-1\n"),
        (at_ms(8, 0, 1.1), f"END RequestId: {A1}\n"),
        (at_ms(8, 0, 1.1), report(A1, 100, 100, 1024, 200, init=300, trace_id=T1)),
        (at_ms(8, 7, 0.0), f"START RequestId: {A2} Version: $LATEST\n"),
        (
            at_ms(8, 7, 0.05),
            f"2026-11-02T08:07:00.050Z\t{A2}\tERROR\tInvoke Error \t{invoke_error}\n",
        ),
        (at_ms(8, 7, 0.2), f"END RequestId: {A2}\n"),
        (at_ms(8, 7, 0.2), report(A2, 200, 200, 1024, 256, trace_id=T2)),
        (at_ms(8, 20, 0.0), f"START RequestId: {A3} Version: $LATEST\n"),
        (at_ms(8, 20, 3.0), f"END RequestId: {A3}\n"),
        (at_ms(8, 20, 3.0), report(A3, 3000, 3000, 1024, 128, ending="Status: timeout\n")),
    ]
    out_of_memory = "Status: error\tError Type: Runtime.OutOfMemory\n"
    worker = [
        (at_ms(8, 5, 0.0), f"START RequestId: {W1} Version: 7\n"),
        zap(at_ms(8, 5, 0.1), "info", "processing object", eventId="abc123", xray_trace_id=T2),
        zap(at_ms(8, 5, 0.9), "error", "decode failed", eventId="abc123", error="bad format"),
        (at_ms(8, 5, 1.0), f"END RequestId: {W1}\n"),
        (at_ms(8, 5, 1.0), report(W1, 1000, 1500, 512, 512, init=500, ending=out_of_memory)),
        (at_ms(8, 21, 0.0), f"START RequestId: {W2} Version: 7\n"),
        zap(at_ms(8, 21, 0.01), "info", "processing object", eventId="other-1"),
        (at_ms(8, 21, 0.05), f"END RequestId: {W2}\n"),
        (at_ms(8, 21, 0.05), report(W2, 50, 50, 512, 100)),
    ]
    return [
        _batch("/aws/lambda/api", "2026/11/02/[$LATEST]" + "a" * 32, api, first_id=1000),
        _batch("/aws/lambda/worker", "2026/11/02/[7]" + "b" * 32, worker, first_id=2000),
    ]


def _batch(
    log_group: str, log_stream: str, lines: list[tuple[int, str]], *, first_id: int
) -> LogBatch:
    events = [
        LogEvent(str(first_id + index), timestamp, message)
        for index, (timestamp, message) in enumerate(lines)
    ]
    return LogBatch(ACCOUNT, log_group, log_stream, events, "subscription")
