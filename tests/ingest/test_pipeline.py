"""Ingesting decoded records: whole units, and large inputs in chunks."""

from __future__ import annotations

from pathlib import Path

from loglake.ingest.decode import DecodedRecord
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.pipeline import Ingestor, split_batches
from loglake.ingest.store import LocalStore

BASE_MS = 1_793_606_400_000


def batch(stream: str, count: int) -> LogBatch:
    events = [LogEvent(f"{stream}-{index}", BASE_MS + index, "line") for index in range(count)]
    return LogBatch("123456789012", "/aws/lambda/a", stream, events, "subscription")


def test_split_batches_caps_chunk_size() -> None:
    chunks = list(split_batches([batch("a", 5), batch("b", 2)], 3))
    assert [[len(part.events) for part in chunk] for chunk in chunks] == [[3], [2, 1], [1]]
    assert [part.log_stream for chunk in chunks for part in chunk] == ["a", "a", "b", "b"]


def test_split_batches_keeps_every_event() -> None:
    batches = [batch("a", 7), batch("b", 0), batch("c", 4)]
    events = [
        event for chunk in split_batches(batches, 4) for part in chunk for event in part.events
    ]
    assert events == [event for part in batches for event in part.events]


def test_chunked_ingest_is_repeatable(tmp_path: Path) -> None:
    record = DecodedRecord("file#0", b"", [batch("a", 5), batch("b", 2)])
    ingestor = Ingestor(store=LocalStore(tmp_path), row_group_rows=100)
    first = ingestor.ingest_in_chunks([record], source="file", chunk_events=3)
    again = ingestor.ingest_in_chunks([record], source="file", chunk_events=3)
    assert first.rows_out == 7
    assert [item.key for item in first.objects] == [item.key for item in again.objects]
    assert len(list(LocalStore(tmp_path).list("logs"))) == 3
