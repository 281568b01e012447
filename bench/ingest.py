"""Measure ingest throughput against the floor of decoding alone, on the sample generator's output.

Generates the deliveries once, then times three stages in one run, handling each delivery as
the Lambda handler receives it. The stages are (a) decode only (base64, gunzip, JSON),
(b) decode, parse and build the Arrow table, and (c) all of that plus Parquet encoding and
the write to a local lake. Each is
repeated; the median and the spread are printed with the ratio to decode only.

Usage: python bench/ingest.py [--invocations 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from loglake.demo import generate_deliveries
from loglake.ingest.decode import decode_lambda_event
from loglake.ingest.pipeline import Ingestor
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invocations", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()

    start = datetime(2026, 11, 2, tzinfo=UTC)
    events = list(generate_deliveries(start=start, invocations=arguments.invocations))
    count = sum(record.event_count for e in events for record in decode_lambda_event(e).records)
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; "
          f"{len(events)} deliveries, {count} events")  # fmt: skip

    stages: dict[str, Callable[[list[dict[str, Any]], Path], None]] = {
        "decode only": _decode,
        "decode + parse + table": _parse,
        "decode + parse + Parquet write": _write,
    }
    floor = None
    for name, stage in stages.items():
        rates = []
        for _ in range(arguments.repeat):
            with tempfile.TemporaryDirectory() as folder:
                started = time.perf_counter()
                stage(events, Path(folder))
                rates.append(count / (time.perf_counter() - started))
        median = statistics.median(rates)
        floor = floor or median
        print(f"{name:32} {median:>10,.0f} events/s (min {min(rates):,.0f}, "
              f"max {max(rates):,.0f}); {median / floor:.2f} of decode only")  # fmt: skip


def _decode(events: list[dict[str, Any]], folder: Path) -> None:
    for event in events:
        decode_lambda_event(event)


def _parse(events: list[dict[str, Any]], folder: Path) -> None:
    for event in events:
        batches = [
            batch for record in decode_lambda_event(event).records for batch in record.batches
        ]
        build_logs_table(batches, ingestion_time_ms=0)


def _write(events: list[dict[str, Any]], folder: Path) -> None:
    ingestor = Ingestor(store=LocalStore(folder), row_group_rows=131072)
    for event in events:
        decoding = decode_lambda_event(event)
        ingestor.ingest(decoding.records, source=decoding.shape)


if __name__ == "__main__":
    main()
