"""Compiled Insights queries against hand-written SQL, in alternating runs on one lake.

    python -m bench.sql_ratios --size 1M --runs 7

``bench.run`` times each engine's runs one engine after another. This module puts
loglake's compiled SQL and the hand-written SQL of every query case side by side instead:
one run of each, then the next pair, so load from other work hits both alike. It builds
the lake from the cached corpus once (under ``build/bench/sql-ratios-SIZE``), reuses it
on later runs, and prints a Markdown table of medians and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path

from bench.corpus import load_corpus, parse_size
from bench.ingest_rates import measure_ingest
from bench.needles import pick_needles
from bench.queries import fill_template, insights_of, saved_queries
from bench.query_cases import ACCEPTANCE_CASES, ROW_LIMIT, SAVED_QUERY_CASES
from bench.run import EVENT_ID, size_label
from bench.timing import format_seconds
from loglake.analytics.insights import QueryScope, compile_query
from loglake.analytics.lake import open_lake
from loglake.analytics.sql import run_select

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the lake, time every case in alternating pairs and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.sql_ratios", description=__doc__)
    parser.add_argument("--size", default="1M", help="log events of the corpus, such as 1M")
    parser.add_argument("--runs", type=int, default=7, help="timed pairs of runs per case")
    parser.add_argument("--cache", default=str(ROOT / "build" / "bench"))
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error(f"--runs {arguments.runs} is invalid: use 1 or more")
    events = parse_size(arguments.size)
    cache = Path(arguments.cache)
    corpus = load_corpus(events, cache)
    work = cache / f"sql-ratios-{size_label(events)}"
    lake = work / "lake"
    if not (lake / "logs").is_dir():
        work.mkdir(parents=True, exist_ok=True)
        lake = measure_ingest(corpus, work, repeat=1).lake

    start = corpus.start
    end = corpus.start + timedelta(hours=corpus.hours)
    needles = pick_needles(lake)
    values = {
        "request_id": needles.request_id,
        "trace_id": needles.trace_id,
        "event_id": EVENT_ID,
        "start": f"{start:%Y-%m-%d %H:%M:%S}",
        "end": f"{end:%Y-%m-%d %H:%M:%S}",
    }
    cases = ACCEPTANCE_CASES + SAVED_QUERY_CASES
    saved, _ = saved_queries(cases)
    opened = open_lake(str(lake))
    scope = QueryScope(start=start, end=end)

    print(f"{corpus.events:,} events; {arguments.runs} alternating pairs of runs per case\n")
    print("| question | loglake (Insights) | hand-written SQL | loglake ÷ SQL |")
    print("| --- | --- | --- | --- |")
    for case in cases:
        text, parameters = insights_of(case, saved, values)
        compiled = compile_query(text, scope, parameters, ROW_LIMIT).probe_sql
        hand_written = fill_template(case.sql, values)
        loglake_seconds, sql_seconds = _alternate(
            partial(run_select, opened, compiled),
            partial(run_select, opened, hand_written),
            runs=arguments.runs,
        )
        print(
            f"| {case.name} | {format_seconds(loglake_seconds)} | {format_seconds(sql_seconds)} "
            f"| {loglake_seconds / sql_seconds:.2f}\N{MULTIPLICATION SIGN} |",
            flush=True,
        )
    opened.connection.close()
    return 0


def _alternate(
    first: Callable[[], object], second: Callable[[], object], *, runs: int
) -> tuple[float, float]:
    """Return the median seconds of ``first`` and ``second``, run in turn after a warm-up."""
    actions = [first, second]
    for action in actions:
        action()
    seconds: list[list[float]] = [[], []]
    for _ in range(runs):
        for index, action in enumerate(actions):
            started = time.perf_counter()
            action()
            seconds[index].append(time.perf_counter() - started)
    return statistics.median(seconds[0]), statistics.median(seconds[1])


if __name__ == "__main__":
    sys.exit(main())
