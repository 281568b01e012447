"""Measure the ingest Lambda's package: size, handler import time, and one 1 MB delivery.

Builds the package from the installed environment (``deploy/package.py --from-environment``),
then starts fresh interpreters with only the package on their path. Each one times
``import loglake.ingest.handler`` (what the Lambda's init phase spends on it) and then calls
``handler`` on one subscription delivery whose decompressed JSON is about 1 MB, several
times, writing into a lake in a temporary folder. The first call of each interpreter is
reported apart, because it pays for lazy imports and first use.

Usage: python bench/lambda_package.py [--runs 15]
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[1]
DELIVERY_JSON_BYTES = 1_000_000
"""Size of the test delivery's decompressed subscription JSON."""
CALLS_PER_START = 5

TIMER = """
import json, sys, time
sys.path[:0] = [{tree!r}]
started = time.perf_counter()
import loglake.ingest.handler as module
imported = time.perf_counter() - started
with open({event!r}) as file:
    event = json.load(file)
calls = []
for _ in range({calls}):
    started = time.perf_counter()
    module.handler(event, None)
    calls.append(time.perf_counter() - started)
with open({output!r}, "w") as file:
    json.dump({{"import": imported, "calls": calls}}, file)
"""


@dataclass(frozen=True, slots=True)
class PackageResult:
    """Size of the package and times measured in fresh interpreters."""

    zipped_bytes: int
    unzipped_bytes: int
    import_seconds: list[float]
    first_call_seconds: list[float]
    """The first handler call of each interpreter."""
    warm_call_seconds: list[float]
    """Every later call."""
    delivery_events: int
    delivery_json_bytes: int
    delivery_gzip_bytes: int


def measure_package(runs: int) -> PackageResult:
    """Build the package, then time ``runs`` fresh interpreters importing it and handling."""
    event, events, json_bytes = one_megabyte_delivery()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        archive = folder / "ingest.zip"
        built = subprocess.run(
            [
                sys.executable,
                str(ROOT / "deploy" / "package.py"),
                str(archive),
                "--from-environment",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        sizes = json.loads(built.stdout.strip().splitlines()[-1])
        tree = folder / "tree"
        with zipfile.ZipFile(archive) as opened:
            opened.extractall(tree)
        event_path = folder / "event.json"
        event_path.write_bytes(orjson.dumps(event))

        measured = [_start_and_handle(tree, event_path, folder, run) for run in range(runs)]

    return PackageResult(
        zipped_bytes=sizes["zipped_bytes"],
        unzipped_bytes=sizes["unzipped_bytes"],
        import_seconds=[run["import"] for run in measured],
        first_call_seconds=[run["calls"][0] for run in measured],
        warm_call_seconds=[seconds for run in measured for seconds in run["calls"][1:]],
        delivery_events=events,
        delivery_json_bytes=json_bytes,
        delivery_gzip_bytes=len(base64.b64decode(event["awslogs"]["data"])),
    )


def one_megabyte_delivery() -> tuple[dict[str, Any], int, int]:
    """Build one subscription event of the sample's busiest log group, about 1 MB of JSON.

    The events of consecutive sample deliveries of that group are joined into one delivery
    of its first log stream. Returns the event, its number of log events and its JSON bytes.
    """
    from loglake.demo import generate_log_data

    documents = generate_log_data(start=datetime(2026, 11, 2, tzinfo=UTC), invocations=20_000)
    first = next(documents)
    merged = {**first, "logEvents": list(first["logEvents"])}
    size = len(orjson.dumps(merged))
    for document in documents:
        if document["logGroup"] != merged["logGroup"]:
            continue
        for log_event in document["logEvents"]:
            size += len(orjson.dumps(log_event)) + 1
            if size > DELIVERY_JSON_BYTES:
                break
            merged["logEvents"].append(log_event)
        if size > DELIVERY_JSON_BYTES:
            break
    data = orjson.dumps(merged)
    compressed = gzip.compress(data, mtime=0)
    event = {"awslogs": {"data": base64.b64encode(compressed).decode("ascii")}}
    return event, len(merged["logEvents"]), len(data)


def _start_and_handle(tree: Path, event_path: Path, folder: Path, run: int) -> dict[str, Any]:
    output = folder / f"times-{run}.json"
    script = TIMER.format(
        tree=str(tree), event=str(event_path), output=str(output), calls=CALLS_PER_START
    )
    environment = {"PATH": "", "LOGLAKE_LAKE": str(folder / "lake"), "AWS_REGION": "us-east-1"}
    subprocess.run(
        [sys.executable, "-S", "-c", script], check=True, capture_output=True, env=environment
    )
    result: dict[str, Any] = json.loads(output.read_text())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters to start")
    runs = parser.parse_args().runs
    result = measure_package(runs)

    def milliseconds(values: list[float]) -> str:
        return (
            f"median {statistics.median(values) * 1000:.0f} ms "
            f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})"
        )

    print(f"machine: {platform.machine()}, Python {platform.python_version()}, runs: {runs}")
    print(
        f"package: {result.zipped_bytes / 1e6:.1f} MB zipped, "
        f"{result.unzipped_bytes / 1e6:.1f} MB unzipped"
    )
    print(f"import loglake.ingest.handler: {milliseconds(result.import_seconds)}")
    print(
        f"delivery: {result.delivery_events} events, {result.delivery_json_bytes / 1e6:.2f} MB "
        f"of JSON, {result.delivery_gzip_bytes / 1e3:.0f} kB gzip'd"
    )
    print(f"first handler call: {milliseconds(result.first_call_seconds)}")
    print(f"later handler calls: {milliseconds(result.warm_call_seconds)}")


if __name__ == "__main__":
    main()
