"""Decoded records to lake objects: quarantine what failed, parse and write the rest.

The Lambda handlers and ``loglake ingest`` share this code, so a delivery lands the same way
whichever route brought it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

import pyarrow as pa

from loglake.ingest.decode import DecodedRecord
from loglake.ingest.model import LogBatch
from loglake.ingest.quarantine import quarantine_payload
from loglake.ingest.rows import RowStats, build_logs_table
from loglake.ingest.store import LakeStore
from loglake.ingest.write import WrittenObject, write_logs
from loglake.ingest.xray.files import XrayFileContent
from loglake.ingest.xray.rows import SegmentRow
from loglake.ingest.xray.spans import SPANS_LOG_GROUP, spans_of_batch
from loglake.ingest.xray.write import write_trace_data

CHUNK_EVENTS = 200_000
"""Events parsed and written at a time by ``Ingestor.ingest_in_chunks``."""

INVALID_UTF8_REASON = (
    "payload is not valid UTF-8; its events were written with U+FFFD in place of the "
    "invalid bytes, and the original bytes are kept here"
)


@dataclass(slots=True)
class IngestReport:
    """Counts of one unit of work: what was read, written and set aside."""

    records: int = 0
    events_in: int = 0
    rows_out: int = 0
    """Rows written to ``logs``."""
    traces_out: int = 0
    """Rows written to ``traces``."""
    segments_out: int = 0
    """Rows written to ``segments``: spans of ``aws/spans`` and saved segment documents."""
    control_messages: int = 0
    objects: list[WrittenObject] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    log_groups: set[str] = field(default_factory=set)
    row_stats: RowStats = field(default_factory=RowStats)

    @property
    def bytes_written(self) -> int:
        """Parquet bytes put into the lake."""
        return sum(written.bytes for written in self.objects)

    def merge(self, other: IngestReport) -> None:
        """Add ``other``'s counts to this report."""
        self.records += other.records
        self.events_in += other.events_in
        self.rows_out += other.rows_out
        self.traces_out += other.traces_out
        self.segments_out += other.segments_out
        self.control_messages += other.control_messages
        self.objects.extend(other.objects)
        self.quarantined.extend(other.quarantined)
        self.failures.extend(other.failures)
        self.log_groups |= other.log_groups
        self.row_stats.events += other.row_stats.events
        self.row_stats.without_timestamp += other.row_stats.without_timestamp
        self.row_stats.without_event_id += other.row_stats.without_event_id
        self.row_stats.escaped_surrogates += other.row_stats.escaped_surrogates


def split_batches(batches: list[LogBatch], chunk_events: int) -> Iterator[list[LogBatch]]:
    """Group batches into chunks of at most ``chunk_events`` events, splitting large batches.

    A split batch loses the invocation context across the cut: a line after it that names
    no request ID gets none from a START before it.
    """
    chunk: list[LogBatch] = []
    size = 0
    for batch in batches:
        start = 0
        while start < len(batch.events):
            count = min(chunk_events - size, len(batch.events) - start)
            chunk.append(replace(batch, events=batch.events[start : start + count]))
            size += count
            start += count
            if size == chunk_events:
                yield chunk
                chunk, size = [], 0
    if chunk:
        yield chunk


@dataclass(slots=True)
class Ingestor:
    """Writes decoded records into one lake."""

    store: LakeStore
    row_group_rows: int
    default_region: str | None = None
    clock_ms: Callable[[], int] = field(default=lambda: time.time_ns() // 1_000_000)

    def ingest(
        self, records: Sequence[DecodedRecord], *, source: str, object_name: str | None = None
    ) -> tuple[IngestReport, pa.Table]:
        """Quarantine failed records and write the events of the others as one unit.

        The unit's rows go into one object per hour, named by the events it holds, so ingesting
        the same records again replaces those objects. Raises ``LakeWriteError`` when a write
        fails, after quarantining what it could.
        """
        report = IngestReport(records=len(records))
        now_ms = self.clock_ms()
        batches = self._accept(records, report, source=source, now_ms=now_ms)
        table = self._write(batches, report, now_ms=now_ms, object_name=object_name)
        return report, table

    def ingest_in_chunks(
        self, records: Sequence[DecodedRecord], *, source: str, chunk_events: int = CHUNK_EVENTS
    ) -> IngestReport:
        """Ingest like ``ingest``, parsing and writing at most ``chunk_events`` events at a time.

        Memory then grows with the decoded events, not with their parsed rows. The chunks
        follow the records' order, so the same records always give the same objects.
        """
        report = IngestReport(records=len(records))
        now_ms = self.clock_ms()
        batches = self._accept(records, report, source=source, now_ms=now_ms)
        for chunk in split_batches(batches, chunk_events):
            self._write(chunk, report, now_ms=now_ms, object_name=None)
        return report

    def _accept(
        self, records: Sequence[DecodedRecord], report: IngestReport, *, source: str, now_ms: int
    ) -> list[LogBatch]:
        """Set aside what cannot be ingested and return the batches of the rest."""
        batches = []
        for record in records:
            self._set_aside(record, report, source=source, now_ms=now_ms)
            batches.extend(record.batches)

        for batch in batches:
            report.log_groups.add(batch.log_group)
            report.events_in += len(batch.events)
        return batches

    def _write(
        self, batches: list[LogBatch], report: IngestReport, *, now_ms: int, object_name: str | None
    ) -> pa.Table:
        """Write spans of ``aws/spans`` to ``segments`` and every other event to ``logs``."""
        batches, spans = _split_spans(batches, ingestion_time_us=now_ms * 1000)
        table = build_logs_table(
            batches,
            ingestion_time_ms=now_ms,
            default_region=self.default_region,
            stats=report.row_stats,
        )
        report.objects.extend(
            write_logs(self.store, table, row_group_rows=self.row_group_rows, name=object_name)
        )
        report.rows_out += table.num_rows
        if spans:
            report.objects.extend(
                write_trace_data(
                    self.store, segments=spans, row_group_rows=self.row_group_rows, name=object_name
                )
            )
            report.segments_out += len(spans)
        return table

    def ingest_xray_output(self, content: XrayFileContent) -> IngestReport:
        """Write the rows of a saved X-Ray output file; its failures go into the report.

        Objects are named by the rows they contain, so ingesting the same file again replaces them.
        """
        report = IngestReport(records=1, failures=list(content.failures))
        report.objects = write_trace_data(
            self.store,
            traces=content.traces,
            segments=content.segments,
            row_group_rows=self.row_group_rows,
        )
        report.traces_out = len(content.traces)
        report.segments_out = len(content.segments)
        return report

    def _set_aside(
        self, record: DecodedRecord, report: IngestReport, *, source: str, now_ms: int
    ) -> None:
        """Count control messages and quarantine undecodable or non-UTF-8 payloads."""
        if record.control_message:
            report.control_messages += 1

        reason = None
        if record.error is not None:
            reason = record.error.reason
            report.failures.append(str(record.error))
        elif record.invalid_utf8:
            reason = INVALID_UTF8_REASON

        if reason is not None:
            key = quarantine_payload(
                self.store,
                record.payload,
                source=source,
                record_id=record.record_id,
                reason=reason,
                received_at_ms=now_ms,
                rows_written=record.error is None,
            )
            report.quarantined.append(key)


def _split_spans(
    batches: list[LogBatch], *, ingestion_time_us: int
) -> tuple[list[LogBatch], list[SegmentRow]]:
    """Take the span records out of ``aws/spans`` batches; other events stay log events."""
    if all(batch.log_group != SPANS_LOG_GROUP for batch in batches):
        return batches, []
    kept: list[LogBatch] = []
    spans: list[SegmentRow] = []
    for batch in batches:
        if batch.log_group != SPANS_LOG_GROUP:
            kept.append(batch)
            continue
        rows, others = spans_of_batch(batch, ingestion_time_us=ingestion_time_us)
        spans += rows
        if others.events:
            kept.append(others)
    return kept, spans
