"""Lambda entry point of the X-Ray poller, run on a schedule (an EventBridge rule).

Each invocation pulls every complete window since the checkpoint, saving the checkpoint
after each window, and stops early when less than ``STOP_MARGIN_MS`` of its time is left,
so the next invocation resumes there. A failed call or write raises, so the invocation
fails visibly; the next one pulls the failed window again, under the same object names.
"""

from __future__ import annotations

import os
import time
from typing import Any

import structlog

from loglake.ingest.store import open_store
from loglake.ingest.structured_logging import configure_logging
from loglake.ingest.xray.api import xray_client
from loglake.ingest.xray.poller import PullReport, TracePoller
from loglake.settings import LAKE, load_settings

STOP_MARGIN_MS = 60_000
"""Time left at which the poller stops starting new windows: room for one slow window."""

_settings = load_settings()
if "AWS_LAMBDA_FUNCTION_NAME" in os.environ and LAKE.env not in os.environ:
    # A Lambda function's file system is read-only outside /tmp, so ./lake cannot work there.
    raise RuntimeError(f"{LAKE.env} is not set: set it to the lake, s3://bucket/prefix")
configure_logging(_settings.log_level)
_log = structlog.get_logger("loglake.xray")
_poller = TracePoller(
    client=xray_client(region=_settings.region),
    store=open_store(_settings.lake, endpoint_url=_settings.s3_endpoint_url),
    row_group_rows=_settings.row_group_rows,
    window_s=_settings.xray_window_minutes * 60,
    delay_s=_settings.xray_delay_seconds,
    region=_settings.region,
)
_cold_start = True


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Pull the windows due since the checkpoint and write one JSON log line about them."""
    global _cold_start
    cold_start, _cold_start = _cold_start, False
    started = time.perf_counter()
    log = _log.bind(aws_request_id=getattr(context, "aws_request_id", None), cold_start=cold_start)

    _poller.backoff.waits.clear()

    def out_of_time() -> bool:
        remaining = getattr(context, "get_remaining_time_in_millis", None)
        return remaining is not None and remaining() < STOP_MARGIN_MS

    try:
        report = _poller.pull_new(int(time.time()), should_stop=out_of_time)
    except Exception as error:
        # Raised again so that the invocation fails and its error metrics and retries apply.
        log.error("xray.pull_failed", error=str(error), error_type=type(error).__name__)  # noqa: TRY400
        raise
    summary = _summary(report)
    log.info(
        "xray.pull",
        **summary,
        failures=report.failures[:10],
        throttle_waits=len(_poller.backoff.waits),
        duration_ms=round((time.perf_counter() - started) * 1000, 2),
    )
    return summary


def _summary(report: PullReport) -> dict[str, Any]:
    return {
        "windows": report.windows,
        "traces": report.traces,
        "segments": report.segments,
        "objects_written": len(report.objects),
        "unprocessed_trace_ids": len(report.unprocessed_trace_ids),
        "checkpoint_epoch_s": report.checkpoint_s,
        "caught_up": report.caught_up,
    }
