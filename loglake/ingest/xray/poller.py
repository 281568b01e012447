"""Pull X-Ray trace summaries and the segments of Lambda traces into the lake, window by window.

Windows lie on a grid of ``window_s`` seconds from the epoch. Each window's objects are
named after it (``xray-<start>-<end>``), so pulling a window again replaces them. A
checkpointed pull starts where the last one ended and stops at the last window that ended
``delay_s`` ago, because X-Ray indexes segments some time after they arrive. So consecutive
pulls neither overlap nor leave gaps.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import structlog

from loglake.ingest.decode.records import InvalidPayload
from loglake.ingest.store import LakeStore
from loglake.ingest.write import WrittenObject
from loglake.ingest.xray.api import Backoff, batch_get_traces, trace_summary_pages
from loglake.ingest.xray.checkpoint import read_checkpoint, write_checkpoint
from loglake.ingest.xray.rows import TraceRow
from loglake.ingest.xray.segments import SegmentBatch, trace_segment_rows
from loglake.ingest.xray.summaries import enters_lambda, trace_row
from loglake.ingest.xray.write import write_trace_data

if TYPE_CHECKING:
    from mypy_boto3_xray import XRayClient

FIRST_PULL_LOOKBACK_S = 3600
"""How far back the first checkpointed pull of a lake starts."""

RETENTION_S = 30 * 86_400
"""X-Ray keeps traces for 30 days, so a pull never requests older ones."""


@dataclass(frozen=True, slots=True)
class TraceWindow:
    """One window [start_s, end_s) of trace update times, in epoch seconds."""

    start_s: int
    end_s: int

    @property
    def name(self) -> str:
        """Name of the window's objects in every partition they land in."""
        return f"xray-{self.start_s}-{self.end_s}"

    def __str__(self) -> str:
        return f"{_iso(self.start_s)} to {_iso(self.end_s)}"


def windows_between(start_s: int, end_s: int, window_s: int) -> Iterator[TraceWindow]:
    """Split [start_s, end_s) at the multiples of ``window_s``."""
    current = start_s
    while current < end_s:
        boundary = min((current // window_s + 1) * window_s, end_s)
        yield TraceWindow(current, boundary)
        current = boundary


@dataclass(slots=True)
class PullReport:
    """Counts and objects of one pull."""

    windows: int = 0
    traces: int = 0
    segments: int = 0
    objects: list[WrittenObject] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    """Summaries, traces and segments that could not be read, each naming its window."""
    unprocessed_trace_ids: list[str] = field(default_factory=list)
    """Lambda traces whose segments X-Ray did not return; their summaries are written."""
    checkpoint_s: int | None = None
    """The checkpoint after the pull; None for a pull of an explicit range."""
    caught_up: bool = True
    """False when a pull stopped early (its time ran out) with windows left to pull."""

    def merge(self, other: PullReport) -> None:
        """Add ``other``'s counts to this report."""
        self.windows += other.windows
        self.traces += other.traces
        self.segments += other.segments
        self.objects += other.objects
        self.failures += other.failures
        self.unprocessed_trace_ids += other.unprocessed_trace_ids


@dataclass(slots=True)
class TracePoller:
    """Reads X-Ray through one client and writes one lake."""

    client: XRayClient
    store: LakeStore
    row_group_rows: int
    window_s: int
    delay_s: int
    region: str | None = None
    backoff: Backoff = field(default_factory=Backoff)
    clock_us: Callable[[], int] = field(default=lambda: time.time_ns() // 1000)

    def pull_new(
        self,
        now_s: int,
        *,
        should_stop: Callable[[], bool] = lambda: False,
        on_window: Callable[[TraceWindow, PullReport], None] | None = None,
    ) -> PullReport:
        """Pull every complete window since the checkpoint, saving it after each window."""
        report = PullReport(checkpoint_s=read_checkpoint(self.store))
        for window in self.pending_windows(now_s, report.checkpoint_s):
            if should_stop():
                report.caught_up = False
                break
            report.merge(self.pull_window(window))
            write_checkpoint(self.store, window.end_s)
            report.checkpoint_s = window.end_s
            if on_window is not None:
                on_window(window, report)
        return report

    def pending_windows(self, now_s: int, checkpoint_s: int | None) -> list[TraceWindow]:
        """Return the windows from the checkpoint to the last one that ended ``delay_s`` ago."""
        end_s = (now_s - self.delay_s) // self.window_s * self.window_s
        if checkpoint_s is None:
            start_s = (now_s - FIRST_PULL_LOOKBACK_S) // self.window_s * self.window_s
        else:
            start_s = checkpoint_s
        oldest_s = (now_s - RETENTION_S) // self.window_s * self.window_s + self.window_s
        if start_s < oldest_s:
            structlog.get_logger("loglake.xray").warning(
                "xray.beyond_retention",
                skipped_from=_iso(start_s),
                skipped_to=_iso(oldest_s),
                reason="X-Ray keeps traces for 30 days, so older windows cannot be pulled",
            )
            start_s = oldest_s
        return list(windows_between(start_s, end_s, self.window_s))

    def range_windows(self, start_s: int, end_s: int) -> list[TraceWindow]:
        """Return the windows of [start_s, end_s) widened to the window grid."""
        if end_s <= start_s:
            raise ValueError(
                f"pull range is empty: start {_iso(start_s)} is not before end {_iso(end_s)}"
            )
        first = start_s // self.window_s * self.window_s
        last = -(-end_s // self.window_s) * self.window_s
        return list(windows_between(first, last, self.window_s))

    def pull_range(
        self,
        start_s: int,
        end_s: int,
        *,
        on_window: Callable[[TraceWindow, PullReport], None] | None = None,
    ) -> PullReport:
        """Pull the windows of [start_s, end_s) without reading or moving the checkpoint."""
        report = PullReport()
        for window in self.range_windows(start_s, end_s):
            report.merge(self.pull_window(window))
            if on_window is not None:
                on_window(window, report)
        return report

    def pull_window(self, window: TraceWindow) -> PullReport:
        """Read one window's summaries and Lambda segments, and write them under its name."""
        ingestion_time_us = self.clock_us()
        pages = trace_summary_pages(self.client, window.start_s, window.end_s, self.backoff)
        summaries = read_summary_pages(
            pages, ingestion_time_us=ingestion_time_us, region=self.region, label=f"window {window}"
        )
        traces, unprocessed = batch_get_traces(
            self.client, summaries.lambda_trace_ids, self.backoff
        )
        report = write_pulled_traces(
            self.store,
            summaries,
            traces,
            name=window.name,
            ingestion_time_us=ingestion_time_us,
            row_group_rows=self.row_group_rows,
            label=f"window {window}",
        )
        report.unprocessed_trace_ids = unprocessed
        if report.failures or report.unprocessed_trace_ids:
            structlog.get_logger("loglake.xray").warning(
                "xray.window_incomplete",
                window=str(window),
                failures=report.failures[:10],
                unprocessed_trace_ids=report.unprocessed_trace_ids[:10],
            )
        return report


@dataclass(slots=True)
class SummaryRows:
    """The rows of some GetTraceSummaries pages, one per trace ID (its highest revision)."""

    rows: dict[str, TraceRow] = field(default_factory=dict)
    lambda_trace_ids: list[str] = field(default_factory=list)
    """Traces that enter a Lambda function, or whose summary does not tell, in page order."""
    failures: list[str] = field(default_factory=list)


def read_summary_pages(
    pages: Iterable[dict[str, Any]], *, ingestion_time_us: int, region: str | None, label: str
) -> SummaryRows:
    """Convert the summaries of GetTraceSummaries pages to rows; bad summaries become failures."""
    result = SummaryRows()
    for page_number, page in enumerate(pages):
        for index, summary in enumerate(page.get("TraceSummaries", [])):
            try:
                row = trace_row(summary, ingestion_time_us=ingestion_time_us, region=region)
            except InvalidPayload as error:
                result.failures.append(
                    f"{label}, page {page_number}, TraceSummaries[{index}] {error}"
                )
                continue
            if row.trace_id not in result.rows and enters_lambda(summary) is not False:
                result.lambda_trace_ids.append(row.trace_id)
            if _newer(row, result.rows.get(row.trace_id)):
                result.rows[row.trace_id] = row
    return result


def write_pulled_traces(
    store: LakeStore,
    summaries: SummaryRows,
    traces: list[dict[str, Any]],
    *,
    name: str,
    ingestion_time_us: int,
    row_group_rows: int,
    label: str,
) -> PullReport:
    """Write a window's summaries and the segments of its BatchGetTraces traces under ``name``."""
    report = PullReport(windows=1, failures=list(summaries.failures))
    batch = SegmentBatch()
    for index, trace in enumerate(traces):
        trace_label = f"{label}, BatchGetTraces Traces[{index}]"
        trace_segment_rows(
            trace, ingestion_time_us=ingestion_time_us, label=trace_label, batch=batch
        )
    report.failures += batch.failures
    report.objects = write_trace_data(
        store,
        traces=list(summaries.rows.values()),
        segments=batch.rows,
        row_group_rows=row_group_rows,
        name=name,
    )
    report.traces = len(summaries.rows)
    report.segments = len(batch.rows)
    return report


def _newer(row: TraceRow, other: TraceRow | None) -> bool:
    if other is None:
        return True
    return (row.revision or -1) >= (other.revision or -1)


def _iso(epoch_s: int) -> str:
    return datetime.fromtimestamp(epoch_s, tz=UTC).isoformat().replace("+00:00", "Z")
