"""Backfill a log group from the CloudWatch Logs API (FilterLogEvents) into the lake.

The range is widened to whole hours and read one hour at a time. Each hour of a log group is
written under one object name derived from the group, so importing an hour again replaces
what the previous import wrote for it instead of adding rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from loglake.ingest.decode import DecodedRecord
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.pipeline import Ingestor, IngestReport

if TYPE_CHECKING:
    from mypy_boto3_logs import CloudWatchLogsClient

HOUR_MS = 3_600_000
MAX_ATTEMPTS = 10
"""botocore attempts per call; its adaptive mode backs off on ThrottlingException."""


@dataclass(frozen=True, slots=True)
class HourWindow:
    """One hour, [start_ms, end_ms), in epoch milliseconds."""

    start_ms: int
    end_ms: int


def hour_windows(start_ms: int, end_ms: int) -> Iterator[HourWindow]:
    """Split [start_ms, end_ms) into whole hours, widening both ends to hour boundaries."""
    if end_ms <= start_ms:
        raise ValueError(
            f"import range is empty: start {start_ms} ms is not before end {end_ms} ms"
        )
    hour = start_ms - start_ms % HOUR_MS
    while hour < end_ms:
        yield HourWindow(hour, hour + HOUR_MS)
        hour += HOUR_MS


def logs_client(endpoint_url: str | None = None, region: str | None = None) -> CloudWatchLogsClient:
    """Create a CloudWatch Logs client whose retries back off on throttling."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": MAX_ATTEMPTS, "mode": "adaptive"})
    return boto3.client("logs", endpoint_url=endpoint_url, region_name=region, config=config)


def fetch_window(
    client: CloudWatchLogsClient, log_group: str, window: HourWindow, owner: str | None = None
) -> list[LogBatch]:
    """Read every event of one hour of a log group, page by page, grouped by log stream."""
    streams: dict[str, list[LogEvent]] = {}
    paginator = client.get_paginator("filter_log_events")
    pages = paginator.paginate(
        logGroupName=log_group, startTime=window.start_ms, endTime=window.end_ms - 1
    )
    for page in pages:
        for event in page.get("events", []):
            streams.setdefault(event.get("logStreamName", ""), []).append(_log_event(event))

    return [
        LogBatch(owner, log_group, stream, sorted(events, key=_event_order), "filter-log-events")
        for stream, events in sorted(streams.items())
    ]


def import_log_group(
    client: CloudWatchLogsClient,
    ingestor: Ingestor,
    log_group: str,
    *,
    start_ms: int,
    end_ms: int,
    owner: str | None = None,
    on_window: Callable[[HourWindow, IngestReport], None] | None = None,
) -> IngestReport:
    """Import [start_ms, end_ms) of a log group, one whole hour per unit."""
    total = IngestReport()
    name = "import-" + hashlib.blake2b(log_group.encode(), digest_size=12).hexdigest()
    for window in hour_windows(start_ms, end_ms):
        batches = fetch_window(client, log_group, window, owner)
        record = DecodedRecord(
            record_id=f"{log_group}@{window.start_ms}", payload=b"", batches=batches
        )
        report, _ = ingestor.ingest([record], source="filter-log-events", object_name=name)
        total.merge(report)
        if on_window is not None:
            on_window(window, report)
    return total


def _log_event(event: Any) -> LogEvent:
    return LogEvent(
        event_id=event.get("eventId"),
        timestamp_ms=event.get("timestamp"),
        message=event.get("message", ""),
        ingestion_time_ms=event.get("ingestionTime"),
    )


def _event_order(event: LogEvent) -> tuple[int, str]:
    return (event.timestamp_ms or 0, event.event_id or "")
