"""Readers count every event exactly once while compactions, late events and retries run.

Two compaction threads run over the same lake at once with a two-second grace period. A
writer adds late events to hours already compacted and writes an earlier delivery again
(as a Lambda retry does). A reader opens the lake and counts rows in a loop. Each count
must equal the number of distinct events, be at least the events written before the reader
opened the lake, and at most the events whose write had started when its query ended.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from loglake.analytics.lake import open_lake
from loglake.ingest.compact.compactor import compact_lake
from loglake.ingest.compact.snapshot import snapshot_table
from loglake.ingest.model import LogEvent
from loglake.ingest.store import LakeStore, open_store
from tests.compact.lakes import HOUR_8, counts, deliver, invocation

GRACE = timedelta(seconds=2)
DURATION_S = 4.0
HOURS = 3


@dataclass
class Progress:
    """Events whose write has started and events whose write has finished."""

    started: int = 0
    committed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class ReadLog:
    counts: list[int] = field(default_factory=list)
    late_failures: int = 0
    """Queries that failed after running longer than the grace period, which it allows."""


def seed(store: LakeStore) -> tuple[int, list[list[LogEvent]]]:
    """Write six deliveries into each of three past hours; return events and deliveries."""
    deliveries = []
    for hour in range(HOURS):
        for index in range(6):
            first_id = 10_000 * hour + 100 * index
            start = HOUR_8 + hour * 3_600_000 + index * 60_000
            events = invocation(first_id, start, request_id=f"r{hour}-{index}")
            deliver(store, events)
            deliveries.append(events)
    return sum(len(events) for events in deliveries), deliveries


def run_concurrently(url: str, endpoint_url: str | None) -> ReadLog:
    store = open_store(url, endpoint_url=endpoint_url)
    total, deliveries = seed(store)
    progress = Progress(started=total, committed=total)
    stop = threading.Event()
    errors: list[BaseException] = []
    log = ReadLog()

    def guarded(work: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            try:
                work()
            except BaseException as error:
                errors.append(error)
                stop.set()

        return run

    def compact() -> None:
        while not stop.is_set():
            compact_lake(
                open_store(url, endpoint_url=endpoint_url),
                now=datetime.now(tz=UTC),
                older_than=timedelta(hours=2),
                grace=GRACE,
                row_group_rows=1000,
            )
            time.sleep(0.05)

    def write() -> None:
        late_id = 900_000
        round_ = 0
        while not stop.wait(0.15):
            round_ += 1
            if round_ % 3 == 0:
                # A retried delivery: the same events under the same name, ingested again.
                deliver(store, deliveries[round_ % len(deliveries)], ingestion_ms=round_)
                continue
            start = HOUR_8 + (round_ % HOURS) * 3_600_000 + 30 * 60_000
            events = invocation(late_id, start, request_id=f"late-{round_}")
            late_id += 100
            with progress.lock:
                progress.started += len(events)
            deliver(store, events)
            with progress.lock:
                progress.committed += len(events)

    def read() -> None:
        while not stop.is_set():
            floor = progress.committed
            opened = time.monotonic()
            lake = open_lake(url, endpoint_url=endpoint_url)
            try:
                row = lake.connection.execute(
                    "SELECT count(*), count(DISTINCT (log_group, log_stream, event_id)) FROM logs"
                ).fetchone()
            except (duckdb.IOException, duckdb.HTTPException):
                if time.monotonic() - opened > GRACE.total_seconds():
                    log.late_failures += 1
                    continue
                raise
            ceiling = progress.started
            assert row is not None
            rows, events = row
            assert rows == events, f"{rows} rows for {events} events: some counted twice"
            assert rows >= floor, f"{rows} rows, but {floor} events were written before"
            assert rows <= ceiling, f"{rows} rows, but only {ceiling} events were started"
            log.counts.append(rows)

    threads = [threading.Thread(target=guarded(work)) for work in (compact, compact, write, read)]
    for thread in threads:
        thread.start()
    stop.wait(DURATION_S)
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]

    # Once the writers stop, a run merges every hour, and one past the grace period deletes.
    for later in (timedelta(0), GRACE * 2):
        compact_lake(
            store,
            now=datetime.now(tz=UTC) + later,
            older_than=timedelta(hours=2),
            grace=GRACE,
            row_group_rows=1000,
        )
    assert counts(url, endpoint_url=endpoint_url) == (progress.committed, progress.committed)
    hours = snapshot_table(store, "logs").hours
    assert [len(hour.objects) for hour in hours] == [1] * HOURS
    return log


def test_counts_hold_on_local_lake(tmp_path: Path) -> None:
    log = run_concurrently(str(tmp_path), None)
    assert len(log.counts) >= 5


def test_counts_hold_on_s3_lake(s3_lake: str, moto_endpoint: str) -> None:
    log = run_concurrently(s3_lake, moto_endpoint)
    assert len(log.counts) >= 3
