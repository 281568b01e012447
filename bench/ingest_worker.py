"""One timed ingest of a file of deliveries, run in a fresh process by ``bench.ingest_compare``.

    python bench/ingest_worker.py PAYLOADS LAKE [--decode-only]

``PAYLOADS`` contains the ``awslogs.data`` text of one subscription delivery per line.
The worker imports ``loglake`` from ``PYTHONPATH``, so the same file times any checkout
of the project. It imports nothing from ``bench`` for the same reason. Deliveries are decoded as
the Lambda handler decodes them and ingested in units of ``CHUNK_EVENTS`` events,
as ``bench.ingest_rates`` does, into a local lake at ``LAKE``. The worker prints one
JSON object with the seconds spent decoding and ingesting, in wall-clock time and in the
process's CPU time.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import loglake
from loglake.ingest.decode import DecodedRecord, decode_lambda_event
from loglake.ingest.pipeline import CHUNK_EVENTS, Ingestor
from loglake.ingest.store import LocalStore
from loglake.settings import load_settings

INGESTION_TIME_MS = 1_793_664_000_000
"""2026-11-03T00:00:00Z, a fixed ingestion time, so that every run writes the same rows."""


def main() -> None:
    """Time one run and print its result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("payloads", type=Path, help="file of deliveries, one per line")
    parser.add_argument("lake", type=Path, help="folder of the local lake to write")
    parser.add_argument(
        "--decode-only", action="store_true", help="time decoding alone and write nothing"
    )
    arguments = parser.parse_args()
    payloads = arguments.payloads.read_text().splitlines()

    if arguments.decode_only:
        started, cpu_started = time.perf_counter(), time.process_time()
        for data in payloads:
            decode_lambda_event({"awslogs": {"data": data}})
        result = {
            "decode_seconds": time.perf_counter() - started,
            "decode_cpu_seconds": time.process_time() - cpu_started,
            "ingest_seconds": 0.0,
            "ingest_cpu_seconds": 0.0,
        }
    else:
        result = _ingest_in_units(payloads, arguments.lake)
    print(json.dumps({**result, "loglake": str(Path(loglake.__file__).parent)}))


def _ingest_in_units(payloads: list[str], lake: Path) -> dict[str, float | int]:
    ingestor = Ingestor(
        store=LocalStore(lake),
        row_group_rows=load_settings().row_group_rows,
        clock_ms=lambda: INGESTION_TIME_MS,
    )
    seconds = {"decode": 0.0, "decode_cpu": 0.0, "ingest": 0.0, "ingest_cpu": 0.0}
    events = 0
    rows = 0
    records: list[DecodedRecord] = []
    unit_events = 0
    for index, data in enumerate(payloads):
        started, cpu_started = time.perf_counter(), time.process_time()
        decoded = decode_lambda_event({"awslogs": {"data": data}}).records
        seconds["decode"] += time.perf_counter() - started
        seconds["decode_cpu"] += time.process_time() - cpu_started
        records.extend(decoded)
        unit_events += sum(record.event_count for record in decoded)
        if unit_events >= CHUNK_EVENTS or index == len(payloads) - 1:
            started, cpu_started = time.perf_counter(), time.process_time()
            report, _ = ingestor.ingest(records, source="subscription")
            seconds["ingest"] += time.perf_counter() - started
            seconds["ingest_cpu"] += time.process_time() - cpu_started
            events += report.events_in
            rows += report.rows_out
            records, unit_events = [], 0
    return {
        **{f"{name}_seconds": value for name, value in seconds.items()},
        "events": events,
        "rows": rows,
    }


if __name__ == "__main__":
    main()
