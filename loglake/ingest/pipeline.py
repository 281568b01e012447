"""Decoded records to lake objects: quarantine what failed, parse and write the rest.

The Lambda handlers and ``loglake ingest`` share this code, so a delivery lands the same way
whichever route brought it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from loglake.ingest.decode import DecodedRecord
from loglake.ingest.quarantine import quarantine_payload
from loglake.ingest.rows import RowStats, build_logs_table
from loglake.ingest.store import LakeStore
from loglake.ingest.write import WrittenObject, write_logs

INVALID_UTF8_REASON = (
    "payload is not valid UTF-8; its events were written with U+FFFD in place of the "
    "invalid bytes, and the original bytes are kept here"
)


@dataclass(slots=True)
class IngestReport:
    """What one unit of work read, wrote and set aside."""

    records: int = 0
    events_in: int = 0
    rows_out: int = 0
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
        self.control_messages += other.control_messages
        self.objects.extend(other.objects)
        self.quarantined.extend(other.quarantined)
        self.failures.extend(other.failures)
        self.log_groups |= other.log_groups
        self.row_stats.events += other.row_stats.events
        self.row_stats.without_timestamp += other.row_stats.without_timestamp
        self.row_stats.without_event_id += other.row_stats.without_event_id
        self.row_stats.escaped_surrogates += other.row_stats.escaped_surrogates


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
        batches = []
        for record in records:
            self._set_aside(record, report, source=source, now_ms=now_ms)
            batches.extend(record.batches)

        for batch in batches:
            report.log_groups.add(batch.log_group)
            report.events_in += len(batch.events)

        table = build_logs_table(
            batches,
            ingestion_time_ms=now_ms,
            default_region=self.default_region,
            stats=report.row_stats,
        )
        report.objects = write_logs(
            self.store, table, row_group_rows=self.row_group_rows, name=object_name
        )
        report.rows_out = table.num_rows
        return report, table

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
            )
            report.quarantined.append(key)
