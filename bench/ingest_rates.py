"""Ingest throughput against the floor of decoding alone, and the lake that ingest builds.

Every delivery is decoded as the Lambda handler decodes it (``decode_lambda_event`` on
``{"awslogs": {"data": ...}}``). Two ways of writing are measured:

* in units of ``UNIT_EVENTS`` events: consecutive deliveries are decoded and their records
  ingested together, one object per hour of each unit. ``loglake ingest`` writes files the
  same way, in chunks of the same size. This run builds the lake the other sections query.
* one delivery at a time, as the subscription Lambda writes: on an evenly spaced sample of
  deliveries, because one object per delivery makes a whole run take hours.
"""

from __future__ import annotations

import cProfile
import pstats
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import Corpus
from bench.timing import Timing, measure
from loglake.ingest.decode import DecodedRecord, decode_lambda_event
from loglake.ingest.parse import parse_message
from loglake.ingest.pipeline import CHUNK_EVENTS, Ingestor
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import write_logs
from loglake.settings import load_settings

UNIT_EVENTS = CHUNK_EVENTS
PER_DELIVERY_SAMPLE = 5_000
"""Deliveries in the sample written one delivery at a time."""
_INGESTION_TIME_MS = 1_793_664_000_000
"""2026-11-03T00:00:00Z, the end of the sample day: a fixed ingestion time keeps runs equal."""
_PROFILE_ROWS = 10


@dataclass(frozen=True, slots=True)
class UnitRun:
    """Seconds spent in each stage of one run in units."""

    decode_seconds: float
    ingest_seconds: float
    """Parse, Arrow table, Parquet encoding and writes: the ``Ingestor.ingest`` calls."""
    write_seconds: float
    """``write_logs`` alone on the same tables (sort, object names, Parquet, files), or 0.0
    when the run did not time it."""
    objects: int
    rows: int


@dataclass(frozen=True, slots=True)
class ProfileRow:
    """One function's share of a profiled run."""

    function: str
    own_seconds: float
    share: float
    """Own time as a share of the profiled run's total."""


@dataclass(frozen=True, slots=True)
class IngestResult:
    """All ingest measurements of one run."""

    decode: Timing
    units: Timing
    """Decode plus ingest in units, end to end."""
    unit_runs: list[UnitRun]
    write_seconds: float
    """``write_logs`` alone on the tables of one run: sort, object names, Parquet, files."""
    per_delivery: Timing
    per_delivery_events: int
    per_delivery_deliveries: int
    per_delivery_objects: int
    profile: list[ProfileRow]
    unit_table_seconds: float
    """``build_logs_table`` on the first unit's batches."""
    unit_parse_seconds: float
    """``parse_message`` alone on the same unit's messages."""
    lake: Path
    objects: int
    parquet_bytes: int
    row_groups: int


def measure_ingest(corpus: Corpus, work: Path, *, repeat: int) -> IngestResult:
    """Run every ingest measurement; the lake of the last run in units stays in ``work``."""
    row_group_rows = load_settings().row_group_rows
    decode = measure(lambda: _decode_all(corpus.payloads), repeat=repeat, budget_seconds=120)

    lake = work / "lake"
    unit_runs: list[UnitRun] = []
    for index in range(repeat):
        shutil.rmtree(lake, ignore_errors=True)
        # The last run also times the writes alone, so the lake it leaves is the final one.
        probe = work / "write-probe" if index == repeat - 1 else None
        unit_runs.append(_ingest_in_units(corpus.payloads, lake, row_group_rows, write_probe=probe))
    units = Timing([run.decode_seconds + run.ingest_seconds for run in unit_runs])
    profile = _profile_first_unit(corpus.payloads, work / "profile", row_group_rows)
    table_seconds, parse_seconds = _time_parse_share(corpus.payloads)

    sample = _evenly_spaced(corpus.payloads, PER_DELIVERY_SAMPLE)
    sample_events = sum(record.event_count for record in _decoded(sample))
    objects_per_delivery: list[int] = []

    def per_delivery() -> None:
        objects_per_delivery.append(_ingest_per_delivery(sample, work / "per-delivery"))

    per_delivery_timing = measure(per_delivery, repeat=repeat, budget_seconds=300)

    files = list((lake / "logs").rglob("*.parquet"))
    return IngestResult(
        decode=decode,
        units=units,
        unit_runs=unit_runs,
        write_seconds=unit_runs[-1].write_seconds,
        per_delivery=per_delivery_timing,
        per_delivery_events=sample_events,
        per_delivery_deliveries=len(sample),
        per_delivery_objects=objects_per_delivery[-1],
        profile=profile,
        unit_table_seconds=table_seconds,
        unit_parse_seconds=parse_seconds,
        lake=lake,
        objects=len(files),
        parquet_bytes=sum(path.stat().st_size for path in files),
        row_groups=_row_groups(files),
    )


def _decode_all(payloads: list[str]) -> None:
    for data in payloads:
        decode_lambda_event({"awslogs": {"data": data}})


def _decoded(payloads: list[str]) -> Iterator[DecodedRecord]:
    for data in payloads:
        yield from decode_lambda_event({"awslogs": {"data": data}}).records


def _units(payloads: list[str]) -> Iterator[tuple[list[DecodedRecord], float]]:
    """Yield the records of consecutive deliveries in units, with the seconds spent decoding."""
    records: list[DecodedRecord] = []
    events = 0
    decode_seconds = 0.0
    for data in payloads:
        started = time.perf_counter()
        decoded = decode_lambda_event({"awslogs": {"data": data}}).records
        decode_seconds += time.perf_counter() - started
        records.extend(decoded)
        events += sum(record.event_count for record in decoded)
        if events >= UNIT_EVENTS:
            yield records, decode_seconds
            records, events, decode_seconds = [], 0, 0.0
    if records:
        yield records, decode_seconds


def _ingest_in_units(
    payloads: list[str], lake: Path, row_group_rows: int, *, write_probe: Path | None = None
) -> UnitRun:
    """Ingest the deliveries in units into ``lake``.

    With ``write_probe``, each unit's table is written a second time, into that folder, to
    time ``write_logs`` alone. That time is not part of the ingest time.
    """
    ingestor = Ingestor(
        store=LocalStore(lake), row_group_rows=row_group_rows, clock_ms=lambda: _INGESTION_TIME_MS
    )
    decode_seconds = 0.0
    ingest_seconds = 0.0
    write_seconds = 0.0
    objects = 0
    rows = 0
    for records, seconds in _units(payloads):
        decode_seconds += seconds
        started = time.perf_counter()
        report, table = ingestor.ingest(records, source="subscription")
        ingest_seconds += time.perf_counter() - started
        objects += len(report.objects)
        rows += report.rows_out
        if write_probe is not None:
            started = time.perf_counter()
            write_logs(LocalStore(write_probe), table, row_group_rows=row_group_rows)
            write_seconds += time.perf_counter() - started
            shutil.rmtree(write_probe)
    return UnitRun(decode_seconds, ingest_seconds, write_seconds, objects, rows)


def _time_parse_share(payloads: list[str]) -> tuple[float, float]:
    """Time ``build_logs_table`` on the first unit, and ``parse_message`` alone on its messages.

    Returns both in seconds; the difference is what row building and the Arrow conversion
    add to parsing.
    """
    batches = [batch for record in _decoded(_first_unit(payloads)) for batch in record.batches]
    messages = [event.message for batch in batches for event in batch.events]
    started = time.perf_counter()
    build_logs_table(batches, ingestion_time_ms=_INGESTION_TIME_MS)
    table_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for message in messages:
        parse_message(message)
    return table_seconds, time.perf_counter() - started


def _profile_first_unit(payloads: list[str], folder: Path, row_group_rows: int) -> list[ProfileRow]:
    """Profile decoding and ingesting the first unit, and return the costliest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    _ingest_in_units(_first_unit(payloads), folder, row_group_rows)
    profiler.disable()
    shutil.rmtree(folder, ignore_errors=True)

    stats = pstats.Stats(profiler)
    entries = stats.stats  # type: ignore[attr-defined]  # the documented mapping has no stub
    total = sum(own for (_, _, own, _, _) in entries.values())
    rows = sorted(
        ((function, own) for function, (_, _, own, _, _) in entries.items()),
        key=lambda row: row[1],
        reverse=True,
    )
    return [
        ProfileRow(_function_label(function), own, own / total)
        for function, own in rows[:_PROFILE_ROWS]
    ]


def _first_unit(payloads: list[str]) -> list[str]:
    events = 0
    for index, data in enumerate(payloads):
        events += sum(record.event_count for record in _decoded([data]))
        if events >= UNIT_EVENTS:
            return payloads[: index + 1]
    return payloads


def _function_label(function: tuple[str, int, str]) -> str:
    filename, line, name = function
    if filename == "~":
        return name
    path = Path(filename)
    parts = path.parts
    if "loglake" in parts:
        module = "/".join(parts[parts.index("loglake") :])
    elif "site-packages" in parts:
        module = "/".join(parts[parts.index("site-packages") + 1 :])
    else:
        module = path.name
    return f"{name} ({module}:{line})"


def _evenly_spaced(payloads: list[str], count: int) -> list[str]:
    if len(payloads) <= count:
        return payloads
    step = len(payloads) / count
    return [payloads[int(index * step)] for index in range(count)]


def _ingest_per_delivery(payloads: list[str], lake: Path) -> int:
    """Decode and write each delivery on its own, as the Lambda does; return the objects."""
    shutil.rmtree(lake, ignore_errors=True)
    ingestor = Ingestor(
        store=LocalStore(lake), row_group_rows=load_settings().row_group_rows,
        clock_ms=lambda: _INGESTION_TIME_MS,
    )  # fmt: skip
    objects = 0
    for data in payloads:
        decoding = decode_lambda_event({"awslogs": {"data": data}})
        report, _ = ingestor.ingest(decoding.records, source=decoding.shape)
        objects += len(report.objects)
    return objects


def _row_groups(files: list[Path]) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(path).metadata.num_row_groups for path in files)
