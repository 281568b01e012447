"""Measure the speed of the sample generator in ``loglake.demo``.

Runs ``generate_log_data`` (simulation and JSON documents) and then
``generate_deliveries`` (the same plus JSON serialisation, gzip and base64) with equal
arguments, and prints events per second for each on one core.

    .venv/bin/python bench/generate.py --invocations 1800000
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from datetime import UTC, datetime

from loglake.demo import generate_deliveries, generate_log_data

_START = datetime(2026, 12, 1, tzinfo=UTC)


def main(argv: list[str] | None = None) -> int:
    """Run both stages and print one line of figures per stage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--invocations", type=int, default=200_000, help="invocations across all functions"
    )
    parser.add_argument("--hours", type=int, default=24, help="length of the traffic in hours")
    parser.add_argument("--seed", type=int, default=7, help="seed of the random generators")
    args = parser.parse_args(argv)
    options = {
        "start": _START,
        "hours": args.hours,
        "invocations": args.invocations,
        "seed": args.seed,
    }

    python = f"python {platform.python_version()} on {platform.machine()}"
    print(f"{python}, {args.invocations} invocations over {args.hours} hours")

    began = time.perf_counter()
    events = 0
    deliveries = 0
    for document in generate_log_data(**options):
        events += len(document["logEvents"])
        deliveries += 1
    _report("log data", events, deliveries, time.perf_counter() - began)

    began = time.perf_counter()
    payload_bytes = 0
    for delivery in generate_deliveries(**options):
        payload_bytes += len(delivery["awslogs"]["data"])
    seconds = time.perf_counter() - began
    _report("deliveries", events, deliveries, seconds)
    print(f"base64 payload: {payload_bytes / events:.1f} bytes per event")

    max_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident memory: {max_rss_mb:.0f} MB")
    return 0


def _report(stage: str, events: int, deliveries: int, seconds: float) -> None:
    print(
        f"{stage:>10}: {events} events in {deliveries} deliveries, {seconds:.2f} s, "
        f"{events / seconds:,.0f} events/s"
    )


if __name__ == "__main__":
    sys.exit(main())
