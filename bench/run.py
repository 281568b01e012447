"""Run the whole benchmark at one size and rewrite that size's tables in docs/benchmarks.md.

    python -m bench.run --size 200k        # what `make bench` runs
    python -m bench.run --size 10M         # `make bench SIZE=10M`

The run generates the deliveries (or reads them from the cache), measures ingest and builds
the lake. It then exports the rows as NDJSON and gzip'd NDJSON, copies the lake without
bloom filters, times the needle lookups, runs every query case on every engine and
measures the ingest Lambda's package. Generated payloads are kept under ``--cache``
(``build/bench`` by default, which ``make clean`` removes). Everything else a run writes
goes to a work folder there, which the next run of the same size replaces.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import load_corpus, parse_size
from bench.ingest_rates import measure_ingest
from bench.lambda_package import measure_package
from bench.machine import describe_machine
from bench.needles import measure_lookups, pick_needles
from bench.queries import QueryInputs, run_cases, saved_queries
from bench.query_cases import ACCEPTANCE_CASES, SAVED_QUERY_CASES
from bench.report import RunResults, update_page
from bench.storage import copy_without_bloom_filters, export_ndjson

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("ingest", "storage", "lookups", "queries", "lambda")
EVENT_ID = "abc123"
"""The eventId that the sample's zap function logs, looked up by the eventId queries."""


def main(argv: list[str] | None = None) -> int:
    """Run every section not skipped, write the page and return the exit code."""
    arguments = _arguments(argv)
    try:
        events = parse_size(arguments.size)
    except ValueError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    skipped = set(arguments.skip)
    began = time.perf_counter()
    load_at_start = os.getloadavg()[1]
    cache = Path(arguments.cache)
    work = cache / f"work-{events}"

    _progress(f"corpus of about {events:,} events")
    corpus = load_corpus(events, cache)
    _progress(
        f"{corpus.events:,} events in {corpus.deliveries:,} deliveries"
        + (
            ""
            if corpus.generate_seconds is None
            else f", generated in {corpus.generate_seconds:.0f} s"
        )
    )

    ingest = exports = no_bloom_bytes = lookups = queries = package = None
    saved_without_case: list[str] = []
    # Every later section reads the lake, so ingest always runs.
    _progress("ingest")
    work.mkdir(parents=True, exist_ok=True)
    ingest = measure_ingest(corpus, work, repeat=arguments.repeat)
    if "storage" not in skipped or "queries" not in skipped:
        _progress("NDJSON export")
        exports = export_ndjson(ingest.lake, work / "exports")
    if "lookups" not in skipped:
        _progress("lake copy without bloom filters")
        no_bloom = work / "lake-no-bloom"
        no_bloom_bytes = copy_without_bloom_filters(ingest.lake, no_bloom)
        _progress("needle lookups")
        needles = pick_needles(ingest.lake)
        lakes = {"bloom filters": ingest.lake, "no bloom filters": no_bloom}
        lookups = measure_lookups(lakes, needles, repeat=arguments.repeat)
    if "queries" not in skipped and exports is not None:
        _progress("queries")
        needles = pick_needles(ingest.lake)
        cases = ACCEPTANCE_CASES + SAVED_QUERY_CASES
        _, saved_without_case = saved_queries(cases)
        inputs = QueryInputs(
            lake=ingest.lake,
            ndjson=exports.ndjson,
            start=corpus.start,
            end=corpus.start + timedelta(hours=corpus.hours),
            values={
                "request_id": needles.request_id,
                "trace_id": needles.trace_id,
                "event_id": EVENT_ID,
            },
        )
        queries = run_cases(
            cases, inputs, repeat=arguments.repeat, slow_budget=arguments.slow_budget
        )
    if "lambda" not in skipped:
        _progress("ingest Lambda package")
        package = measure_package(runs=max(arguments.repeat, 5))

    results = RunResults(
        size_label=size_label(events),
        command=_command(arguments),
        make_command=f"make bench SIZE={arguments.size}" if "MAKELEVEL" in os.environ else None,
        machine=describe_machine(),
        load_averages=(load_at_start, os.getloadavg()[1]),
        date=datetime.now(UTC).strftime("%Y-%m-%d"),
        total_seconds=time.perf_counter() - began,
        corpus=corpus,
        ingest=ingest,
        exports=exports if "storage" not in skipped else None,
        no_bloom_bytes=no_bloom_bytes,
        lookups=lookups,
        queries=queries,
        saved_without_case=saved_without_case,
        package=package,
    )
    _save_json(results, work / "results.json")
    page = Path(arguments.page)
    update_page(page, results)
    _progress(f"wrote {page} in {results.total_seconds / 60:.1f} minutes")
    if not arguments.keep_exports:
        shutil.rmtree(work / "exports", ignore_errors=True)
    return 0


def size_label(events: int) -> str:
    """Name a size the way ``--size`` takes it: 10M, 200k or the plain count."""
    if events % 1_000_000 == 0:
        return f"{events // 1_000_000}M"
    if events % 1_000 == 0:
        return f"{events // 1_000}k"
    return str(events)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "--size", default="200k", help="log events to generate, such as 200k or 10M"
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each measurement")
    parser.add_argument(
        "--slow-budget",
        type=float,
        default=60.0,
        help="seconds after which the NDJSON and jq runs of one case stop repeating",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=[section for section in SECTIONS if section != "ingest"],
        help="section to leave out; give the option once per section",
    )
    parser.add_argument(
        "--cache", default=str(ROOT / "build" / "bench"), help="folder for payloads and work files"
    )
    parser.add_argument(
        "--page", default=str(ROOT / "docs" / "benchmarks.md"), help="results page to update"
    )
    parser.add_argument(
        "--keep-exports",
        action="store_true",
        help="keep the NDJSON export in the work folder (it is about 1 kB per event)",
    )
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1:
        parser.error(f"--repeat {arguments.repeat} is invalid: use 1 or more")
    return arguments


def _command(arguments: argparse.Namespace) -> str:
    """Return the command line that repeats this run, without the folder options."""
    options = [f"--size {shlex.quote(arguments.size)}"]
    if arguments.repeat != 3:
        options.append(f"--repeat {arguments.repeat}")
    if arguments.slow_budget != 60.0:
        options.append(f"--slow-budget {arguments.slow_budget:g}")
    options += [f"--skip {section}" for section in arguments.skip]
    return "python -m bench.run " + " ".join(options)


def _save_json(results: RunResults, path: Path) -> None:
    def default(value: Any) -> Any:
        if isinstance(value, Path | datetime):
            return str(value)
        raise TypeError(f"cannot serialise {type(value).__name__}")

    # The payloads stay out: they are the cached input, and copying them would double memory.
    without_payloads = dataclasses.replace(
        results, corpus=dataclasses.replace(results.corpus, payloads=[])
    )
    data = dataclasses.asdict(without_payloads)
    path.write_text(json.dumps(data, indent=2, default=default))


def _progress(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
