"""The X-Ray API calls of the poller: paged, batched, and retried with backoff on throttling.

X-Ray returns ``ThrottledException`` when a caller exceeds its request rate. botocore's
standard retries try each call up to ``BOTOCORE_ATTEMPTS`` times. A throttle that outlasts
them is retried here with exponential backoff and full jitter, up to ``Backoff.attempts``
times, and each wait is logged.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import structlog
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mypy_boto3_xray import XRayClient

BATCH_GET_TRACES_MAX_IDS = 5
"""Trace IDs per BatchGetTraces call.

NOTE: the API reference states no limit. 5 is the figure commonly cited for this call, and
it is not verified against the service.
"""

BOTOCORE_ATTEMPTS = 3
THROTTLING_CODES = frozenset(
    {"ThrottledException", "ThrottlingException", "TooManyRequestsException", "Throttling"}
)

_Result = TypeVar("_Result")


class XrayThrottledError(RuntimeError):
    """X-Ray kept throttling a call after every retry."""


@dataclass(slots=True)
class Backoff:
    """Retries of throttled calls: waits of up to ``base_s * 2**n`` seconds, capped."""

    attempts: int = 8
    base_s: float = 0.5
    max_s: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    jitter: Callable[[], float] = random.random
    waits: list[float] = field(default_factory=list)
    """Every wait taken so far, in seconds."""

    def call(self, operation: Callable[..., _Result], name: str, **parameters: Any) -> _Result:
        """Call ``operation``, retrying a throttled call; other errors propagate at once."""
        for attempt in range(1, self.attempts + 1):
            try:
                return operation(**parameters)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code not in THROTTLING_CODES:
                    raise
                if attempt == self.attempts:
                    raise XrayThrottledError(
                        f"X-Ray {name} was still throttled after {self.attempts} attempts; "
                        "the next run resumes from the checkpoint, or lower the request rate "
                        "of other X-Ray callers in this account"
                    ) from error
                wait = self.jitter() * min(self.max_s, self.base_s * 2 ** (attempt - 1))
                structlog.get_logger("loglake.xray").warning(
                    "xray.throttled", operation=name, attempt=attempt, wait_s=wait
                )
                self.waits.append(wait)
                self.sleep(wait)
        raise AssertionError("unreachable: the loop returns or raises")


def xray_client(region: str | None = None, endpoint_url: str | None = None) -> XRayClient:
    """Create an X-Ray client; boto3 also reads ``AWS_ENDPOINT_URL_XRAY`` for the endpoint."""
    import boto3
    from botocore.config import Config

    config = Config(retries={"max_attempts": BOTOCORE_ATTEMPTS, "mode": "standard"})
    return boto3.client("xray", region_name=region, endpoint_url=endpoint_url, config=config)


def trace_summary_pages(
    client: XRayClient, start_s: int, end_s: int, backoff: Backoff
) -> Iterator[dict[str, Any]]:
    """Yield every GetTraceSummaries page of traces updated in [start_s, end_s).

    The time range type is ``Event``, the trace's update time, so a trace that gains
    segments after one window is read again in the window of the update, with a higher
    ``Revision``.
    """
    parameters: dict[str, Any] = {
        "StartTime": datetime.fromtimestamp(start_s, tz=UTC),
        "EndTime": datetime.fromtimestamp(end_s, tz=UTC),
        "TimeRangeType": "Event",
        "Sampling": False,
    }
    seen_tokens: set[str] = set()
    while True:
        page: dict[str, Any] = dict(
            backoff.call(client.get_trace_summaries, "GetTraceSummaries", **parameters)
        )
        yield page
        token = page.get("NextToken")
        if not token:
            return
        if token in seen_tokens:
            raise RuntimeError(f"GetTraceSummaries returned the NextToken {token!r} twice")
        seen_tokens.add(token)
        parameters["NextToken"] = token


def batch_get_traces(
    client: XRayClient, trace_ids: list[str], backoff: Backoff
) -> tuple[list[dict[str, Any]], list[str]]:
    """Fetch the traces of ``trace_ids`` in batches, page by page.

    Returns the traces and the IDs X-Ray left unprocessed in every attempt. Unprocessed IDs
    are requested once more, because X-Ray leaves IDs unprocessed while it still indexes them.
    """
    traces: list[dict[str, Any]] = []
    unprocessed = _fetch_batches(client, trace_ids, backoff, traces)
    if unprocessed:
        unprocessed = _fetch_batches(client, unprocessed, backoff, traces)
    return traces, unprocessed


def _fetch_batches(
    client: XRayClient, trace_ids: list[str], backoff: Backoff, traces: list[dict[str, Any]]
) -> list[str]:
    unprocessed: list[str] = []
    for first in range(0, len(trace_ids), BATCH_GET_TRACES_MAX_IDS):
        parameters: dict[str, Any] = {
            "TraceIds": trace_ids[first : first + BATCH_GET_TRACES_MAX_IDS]
        }
        while True:
            page = backoff.call(client.batch_get_traces, "BatchGetTraces", **parameters)
            traces += [dict(trace) for trace in page.get("Traces", [])]
            unprocessed += list(page.get("UnprocessedTraceIds", []))
            token = page.get("NextToken")
            if not token or token == parameters.get("NextToken"):
                break
            parameters["NextToken"] = token
    return unprocessed
