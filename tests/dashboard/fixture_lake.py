"""A small lake of known invocations and traces for the dashboard tests.

Two functions on 2026-11-02 between 10:00 and 11:00 UTC:
- orders-api (us-east-1, 1024 MB): ten invocations six minutes apart with durations of
  100, 200, ..., 1000 ms. The first starts cold (init 500 ms), the fourth fails with a
  KeyError, and the second logs a JSON line with ``eventId`` ``evt-42``.
- thumbs (eu-west-1, 512 MB): four invocations; the first starts cold (init 300 ms) and the
  third is killed for running out of memory.
Three X-Ray trace summaries enter orders-api, one of them a fault, and one traced invocation
has segments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from loglake.ingest.store import LocalStore
from loglake.ingest.xray.summaries import trace_row
from loglake.ingest.xray.write import write_trace_data
from tests.advisor.fixture_lake import (
    Function,
    json_line,
    python_line,
    traced_invocation,
    write_lake,
    write_segments,
)

START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
END = datetime(2026, 11, 2, 11, 0, tzinfo=UTC)
EVENT_ID = "evt-42"
ORDERS_DURATIONS = [100.0 * (index + 1) for index in range(10)]
ORDERS_FAILED = 3
"""Index of the orders-api invocation that fails with a KeyError."""
THUMBS_DURATIONS = [250.0, 350.0, 450.0, 550.0]
THUMBS_OOM = 2
TRACE_DURATIONS_S = [0.12, 0.5, 1.5]
TRACE_FAULT = 2
"""Index of the trace summary with a fault, whose root cause is a DynamoDB timeout."""
SEGMENT_TRACE_INDEX = 7
UNHANDLED_KEY_ERROR = (
    "[ERROR] KeyError: 'customer_id'\nTraceback (most recent call last):\n"
    '  File "/var/task/app.py", line 12, in handler\n'
    "    customer = order['customer_id']\n"
)
"""The Python runtime's record of the unhandled exception of the failing invocation."""


@dataclass(frozen=True)
class FixtureLake:
    """The lake's folder and the IDs tests look up."""

    path: Path
    orders_request_ids: list[str]
    thumbs_request_ids: list[str]
    trace_ids: list[str]
    segment_trace_id: str


def billed_gb_seconds(durations: list[float], init_ms: float, memory_mb: int) -> float:
    """Return the GB-seconds the REPORT lines of the fixture bill (init on the first)."""
    billed = [math.ceil(duration) for duration in durations]
    billed[0] = math.ceil(durations[0] + init_ms)
    return sum(ms / 1000 * memory_mb / 1024 for ms in billed)


def build_fixture_lake(path: Path) -> FixtureLake:
    """Write the fixture's logs, trace summaries and segments into ``path``."""
    orders = Function("orders-api")
    for index, duration in enumerate(ORDERS_DURATIONS):
        invocation = orders.invoke(
            START + timedelta(minutes=6 * index),
            duration,
            memory_size_mb=1024,
            max_memory_used_mb=100 + index,
            init_ms=500.0 if index == 0 else None,
        )
        if index == 1:
            invocation.app_lines.append(
                json_line("order received", eventId=EVENT_ID, order={"id": 42})
            )
        if index == ORDERS_FAILED:
            invocation.status = "error"
            invocation.error_type = "KeyError"
            invocation.app_lines.append(
                python_line(invocation.request_id, "ERROR", "order 42 has no customer")
            )
            invocation.app_lines.append(UNHANDLED_KEY_ERROR)

    thumbs = Function("thumbs", runtime_version="provided:al2023.v109", region="eu-west-1")
    for index, duration in enumerate(THUMBS_DURATIONS):
        oom = index == THUMBS_OOM
        thumbs.invoke(
            START + timedelta(minutes=5 + 10 * index),
            duration,
            memory_size_mb=512,
            max_memory_used_mb=512 if oom else 200 + index,
            init_ms=300.0 if index == 0 else None,
            status="error" if oom else None,
            error_type="Runtime.OutOfMemory" if oom else None,
        )

    write_lake(path, [orders, thumbs])
    trace_ids = _write_summaries(path)
    document = traced_invocation(
        "orders-api",
        SEGMENT_TRACE_INDEX,
        START + timedelta(minutes=30),
        [("DynamoDB", "GetItem", 10.0, 40.0), ("DynamoDB", "PutItem", 60.0, 30.0)],
    )
    write_segments(path, [document])
    return FixtureLake(
        path=path,
        orders_request_ids=[invocation.request_id for invocation in orders.invocations],
        thumbs_request_ids=[invocation.request_id for invocation in thumbs.invocations],
        trace_ids=trace_ids,
        segment_trace_id=str(document["trace_id"]),
    )


def _summary(index: int, duration_s: float) -> dict[str, Any]:
    start = START + timedelta(minutes=10 * index + 1)
    seconds = int(start.timestamp())
    summary: dict[str, Any] = {
        "Id": f"1-{seconds:08x}-{index + 1:024x}",
        "StartTime": start,
        "Duration": duration_s,
        "ResponseTime": duration_s,
        "HasFault": index == TRACE_FAULT,
        "HasError": False,
        "HasThrottle": False,
        "Http": {"HttpMethod": "POST", "HttpURL": "https://api.example.com/orders"},
        "ServiceIds": [{"Name": "orders-api", "Type": "AWS::Lambda::Function"}],
        "ResourceARNs": [{"ARN": "arn:aws:lambda:us-east-1:123456789012:function:orders-api"}],
        "Revision": 1,
    }
    if index == TRACE_FAULT:
        summary["FaultRootCauses"] = [
            {
                "Services": [
                    {
                        "Name": "DynamoDB",
                        "Type": "AWS::DynamoDB::Table",
                        "EntityPath": [
                            {
                                "Name": "DynamoDB",
                                "Exceptions": [
                                    {"Name": "RequestTimeout", "Message": "timed out after 1s"}
                                ],
                            }
                        ],
                    }
                ]
            }
        ]
    return summary


def _write_summaries(path: Path) -> list[str]:
    ingestion_us = int(END.timestamp() * 1_000_000)
    summaries = [_summary(index, duration) for index, duration in enumerate(TRACE_DURATIONS_S)]
    rows = [trace_row(summary, ingestion_time_us=ingestion_us) for summary in summaries]
    write_trace_data(LocalStore(path), traces=rows, row_group_rows=10_000)
    return [str(summary["Id"]) for summary in summaries]
