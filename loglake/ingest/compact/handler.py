"""Lambda entry point of compaction, run on a schedule (an EventBridge rule).

Each invocation merges the hours that ended ``LOGLAKE_COMPACT_OLDER_THAN_MINUTES`` ago or
earlier and deletes what compactions at least ``LOGLAKE_COMPACT_GRACE_MINUTES`` old replaced.
It stops starting new hours when less than ``STOP_MARGIN_MS`` of its time is left; the next
invocation continues with the hours still unmerged. A failed read or write raises, so the
invocation fails visibly, and the next one starts over: nothing it wrote hides a row. An
hour with an object that is not valid Parquet fails the invocation after the other hours are
merged.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog

from loglake.ingest.compact.compactor import compact_lake
from loglake.ingest.compact.manifest import CompactionError
from loglake.ingest.store import open_store
from loglake.ingest.structured_logging import configure_logging
from loglake.settings import LAKE, load_settings

STOP_MARGIN_MS = 120_000
"""Time left at which compaction starts no new hour: room to merge one large hour and delete."""

_settings = load_settings()
if "AWS_LAMBDA_FUNCTION_NAME" in os.environ and LAKE.env not in os.environ:
    # A Lambda function's file system is read-only outside /tmp, so ./lake cannot work there.
    raise RuntimeError(f"{LAKE.env} is not set: set it to the lake, s3://bucket/prefix")
configure_logging(_settings.log_level)
_log = structlog.get_logger("loglake.compact")
_store = open_store(_settings.lake, endpoint_url=_settings.s3_endpoint_url)
_cold_start = True


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Run one compaction and write one JSON log line describing it."""
    global _cold_start
    cold_start, _cold_start = _cold_start, False
    started = time.perf_counter()
    log = _log.bind(aws_request_id=getattr(context, "aws_request_id", None), cold_start=cold_start)

    def out_of_time() -> bool:
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        return remaining is not None and remaining() < STOP_MARGIN_MS

    try:
        report = compact_lake(
            _store,
            now=datetime.now(tz=UTC),
            older_than=timedelta(minutes=_settings.compact_older_than_minutes),
            grace=timedelta(minutes=_settings.compact_grace_minutes),
            row_group_rows=_settings.row_group_rows,
            should_stop=out_of_time,
        )
    except Exception as error:
        # Raised again so that the invocation fails and its error metrics apply.
        log.error("compact.failed", error=str(error), error_type=type(error).__name__)  # noqa: TRY400
        raise
    summary = {
        "hours_compacted": len(report.hours),
        "objects_merged": sum(hour.objects_in for hour in report.hours),
        "rows_out": sum(hour.rows_out for hour in report.hours),
        "duplicates_removed": report.duplicates_removed,
        "bytes_written": sum(hour.bytes_out for hour in report.hours),
        "objects_deleted": len(report.deleted),
        "hours_skipped": len(report.skipped),
        "hours_failed": len(report.failures),
        "stopped_early": report.stopped_early,
    }
    log.info(
        "compact",
        **summary,
        hours=[f"{hour.table}/{hour.partition}" for hour in report.hours[:50]],
        skipped=report.skipped[:10],
        failures=report.failures[:10],
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
    )
    if report.failures:
        # The other hours are merged; failing the invocation makes the broken ones visible.
        raise CompactionError(f"{len(report.failures)} hours failed: {report.failures[:10]}")
    return summary
