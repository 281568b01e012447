"""Small lakes for advisor tests, written through the ingest parser and Parquet writer.

A test describes invocations of one or more functions; :func:`write_lake` turns them into
the Lambda text-format lines (INIT_START, START, application lines, END, REPORT and
``Task timed out`` lines) and writes them the way the ingest handler does.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from loglake.analytics.advisor import Scope
from loglake.analytics.lake import Lake, open_lake
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import write_logs

DAY = datetime(2026, 11, 2, tzinfo=UTC)
"""Midnight UTC of the first day every fixture lake covers."""

RUNTIME_ARN = "arn:aws:lambda:us-east-1::runtime:" + "ab" * 32


def day_scope(days: int = 1, function_name: str | None = None) -> Scope:
    """Return the scope of the fixture days."""
    return Scope(DAY, DAY + timedelta(days=days), function_name)


@dataclass
class Invocation:
    """One invocation as REPORT describes it, with the lines the function wrote."""

    at: datetime
    duration_ms: float
    memory_size_mb: int = 1024
    max_memory_used_mb: int = 100
    init_ms: float | None = None
    restore_ms: float | None = None
    status: str | None = None
    error_type: str | None = None
    app_lines: list[str] = field(default_factory=list)
    timeout_line: bool = False
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    def report_line(self) -> str:
        billed = math.ceil(self.duration_ms + (self.init_ms or 0))
        parts = [
            f"REPORT RequestId: {self.request_id}",
            f"Duration: {self.duration_ms:.2f} ms",
            f"Billed Duration: {billed} ms",
            f"Memory Size: {self.memory_size_mb} MB",
            f"Max Memory Used: {self.max_memory_used_mb} MB",
        ]
        if self.init_ms is not None:
            parts.append(f"Init Duration: {self.init_ms:.2f} ms")
        if self.restore_ms is not None:
            parts.append(f"Restore Duration: {self.restore_ms:.2f} ms")
            parts.append(f"Billed Restore Duration: {math.ceil(self.restore_ms / 2)} ms")
        if self.status is not None:
            parts.append(f"Status: {self.status}")
        if self.error_type is not None:
            parts.append(f"Error Type: {self.error_type}")
        return "\t".join(parts) + "\n"


@dataclass
class Function:
    """A function's configuration and its invocations in time order."""

    name: str
    version: str = "$LATEST"
    runtime_version: str = "python:3.12.v16"
    region: str = "us-east-1"
    invocations: list[Invocation] = field(default_factory=list)

    def invoke(self, at: datetime, duration_ms: float, **details: object) -> Invocation:
        invocation = Invocation(at=at, duration_ms=duration_ms, **details)  # type: ignore[arg-type]
        self.invocations.append(invocation)
        return invocation

    def events(self) -> list[tuple[int, str]]:
        """Return ``(epoch ms, message)`` for every line the invocations write."""
        lines: list[tuple[int, str]] = []
        for invocation in self.invocations:
            start_ms = int(invocation.at.timestamp() * 1000)
            if invocation.init_ms is not None:
                lines.append(
                    (
                        start_ms,
                        f"INIT_START Runtime Version: {self.runtime_version}\t"
                        f"Runtime Version ARN: {RUNTIME_ARN}\n",
                    )
                )
                start_ms += math.ceil(invocation.init_ms)
            if invocation.restore_ms is not None:
                lines.append(
                    (
                        start_ms,
                        f"RESTORE_START Runtime Version: {self.runtime_version}\t"
                        f"Runtime Version ARN: {RUNTIME_ARN}\n",
                    )
                )
                start_ms += math.ceil(invocation.restore_ms)
            request_id = invocation.request_id
            lines.append((start_ms, f"START RequestId: {request_id} Version: {self.version}\n"))
            for offset, text in enumerate(invocation.app_lines, start=1):
                lines.append((start_ms + offset, text))
            end_ms = start_ms + math.ceil(invocation.duration_ms)
            lines.append((end_ms, f"END RequestId: {request_id}\n"))
            lines.append((end_ms, invocation.report_line()))
            if invocation.timeout_line:
                stamp = datetime.fromtimestamp(end_ms / 1000, tz=UTC).isoformat()[:23] + "Z"
                seconds = invocation.duration_ms / 1000
                lines.append(
                    (end_ms, f"{stamp} {request_id} Task timed out after {seconds:.2f} seconds\n")
                )
        return lines


def write_lake(path: Path, functions: list[Function]) -> Lake:
    """Write the functions' lines into a lake at ``path`` and open it."""
    batches = []
    for function in functions:
        events = [
            LogEvent(f"{function.name}-{index}", timestamp_ms, message)
            for index, (timestamp_ms, message) in enumerate(function.events())
        ]
        batches.append(
            LogBatch(
                "123456789012",
                f"/aws/lambda/{function.name}",
                f"2026/11/02/[{function.version}]{'0' * 32}",
                events,
                "subscription",
                region=function.region,
            )
        )
    table = build_logs_table(batches, ingestion_time_ms=int(DAY.timestamp() * 1000))
    write_logs(LocalStore(path), table, row_group_rows=10_000)
    return open_lake(str(path))


def spread(count: int, *, hours: float = 24.0, start: datetime = DAY) -> list[datetime]:
    """Return ``count`` times spread evenly over ``hours`` from ``start``."""
    step = timedelta(hours=hours) / count
    return [start + step * index for index in range(count)]


def python_line(request_id: str, level: str, message: str) -> str:
    """Return a line as the Python runtime's logging handler writes it."""
    return f"[{level}]\t2026-11-02T00:00:00.000Z\t{request_id}\t{message}\n"


def json_line(message: str, **fields: object) -> str:
    """Return a JSON log line with ``message`` and ``fields``."""
    import orjson

    return orjson.dumps({"level": "INFO", "message": message, **fields}).decode() + "\n"


def traced_invocation(
    function_name: str,
    trace_index: int,
    at: datetime,
    calls: list[tuple[str, str, float, float]],
) -> dict[str, object]:
    """Return the ``AWS::Lambda::Function`` segment document of one traced invocation.

    ``calls`` are ``(service, operation, start offset ms, duration ms)`` subsegments of its
    ``Invocation`` subsegment, offsets from the start of the handler.
    """
    start = at.timestamp()
    end = start + 0.5
    arn = f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
    return {
        "id": f"{trace_index:08x}00000001",
        "trace_id": f"1-{int(start):08x}-{trace_index:024x}",
        "name": function_name,
        "origin": "AWS::Lambda::Function",
        "start_time": start,
        "end_time": end,
        "parent_id": f"{trace_index:08x}00000000",
        "aws": {"function_arn": arn},
        "subsegments": [
            {
                "id": f"{trace_index:08x}00000002",
                "name": "Invocation",
                "start_time": start,
                "end_time": end,
                "subsegments": [
                    {
                        "id": f"{trace_index:08x}{index + 16:08x}",
                        "name": service,
                        "namespace": "aws",
                        "start_time": start + offset_ms / 1000,
                        "end_time": start + (offset_ms + duration_ms) / 1000,
                        "aws": {"operation": operation},
                    }
                    for index, (service, operation, offset_ms, duration_ms) in enumerate(calls)
                ],
            }
        ],
    }


def write_segments(path: Path, documents: list[dict[str, object]]) -> None:
    """Write segment documents to the lake's ``segments`` table as the poller does."""
    from loglake.ingest.xray.segments import SegmentBatch, document_rows
    from loglake.ingest.xray.write import write_trace_data

    batch = SegmentBatch()
    for index, document in enumerate(documents):
        document_rows(
            document,
            trace_id=None,
            ingestion_time_us=int(DAY.timestamp() * 1_000_000),
            label=f"documents[{index}]",
            batch=batch,
        )
    assert batch.failures == []
    write_trace_data(LocalStore(path), segments=batch.rows, row_group_rows=10_000)
