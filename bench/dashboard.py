"""Time the overview page's queries on a lake of about 1 million events (target: under 2 s).

    python -m bench.dashboard                 # 1M events, 5 runs
    python -m bench.dashboard --size 200k --runs 3

The script builds the lake from the benchmark corpus (``bench/corpus.py``, cached under
``build/bench``) with the ingest pipeline, in units of ``CHUNK_EVENTS`` events as
``loglake ingest`` writes files. It then times what the overview page runs on a cache miss:
the lake's fingerprint, opening the lake, the function list, the per-function table and the
activity chart, for the whole day and for its busiest hour. Each run opens a new DuckDB
connection, so no run reads another's cached state. It rewrites its own section of
``docs/benchmarks.md``, between the dashboard markers, and leaves the rest of the page alone.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.corpus import Corpus, load_corpus, parse_size
from bench.machine import describe_machine
from loglake.analytics.advisor import load_prices
from loglake.analytics.dashboard_data import Selection
from loglake.analytics.dashboard_data.fingerprint import lake_fingerprint
from loglake.analytics.dashboard_data.overview import activity_over_time, function_overview
from loglake.analytics.dashboard_data.selection import list_functions
from loglake.analytics.lake import Lake, open_lake
from loglake.ingest.decode import DecodedRecord, decode_lambda_event
from loglake.ingest.pipeline import CHUNK_EVENTS, Ingestor
from loglake.ingest.store import LocalStore
from loglake.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "benchmarks.md"
BEGIN = "<!-- dashboard benchmark: begin -->"
END = "<!-- dashboard benchmark: end -->"
TARGET_S = 2.0


@dataclass(frozen=True, slots=True)
class Step:
    """One timed step of the overview page and its times over the runs, in seconds."""

    name: str
    seconds: list[float]

    @property
    def median(self) -> float:
        """Return the median time."""
        return statistics.median(self.seconds)


def main(argv: list[str] | None = None) -> int:
    """Build the lake, time the overview's queries and rewrite this benchmark's section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M", help="Log events of the lake, such as 1M.")
    parser.add_argument("--runs", type=int, default=5, help="Runs of every step.")
    parser.add_argument("--cache", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--no-write", action="store_true", help="Print only; leave the page.")
    arguments = parser.parse_args(argv)
    try:
        events = parse_size(arguments.size)
    except ValueError as error:
        print(f"bench.dashboard: {error}", file=sys.stderr)
        return 2

    cache = Path(arguments.cache)
    corpus = load_corpus(events, cache)
    lake_path = cache / f"dashboard-lake-{events}"
    objects = _build_lake(corpus, lake_path)
    print(f"lake of {corpus.events:,} events in {objects:,} objects: {lake_path}", file=sys.stderr)

    day = Selection(corpus.start, corpus.start + timedelta(hours=corpus.hours))
    busiest = _busiest_hour(lake_path, day)
    hour = Selection(busiest, busiest + timedelta(hours=1))
    results = {
        "24 hours": _time_overview(str(lake_path), day, arguments.runs),
        "busiest hour": _time_overview(str(lake_path), hour, arguments.runs),
    }
    section = _render(corpus, objects, arguments.runs, results, " ".join(sys.argv[1:]))
    print(section)
    if not arguments.no_write:
        _write_section(section)
    return 0


def _build_lake(corpus: Corpus, lake: Path) -> int:
    """Ingest the corpus into a new lake at ``lake``; return the number of objects written."""
    shutil.rmtree(lake, ignore_errors=True)
    ingestor = Ingestor(
        store=LocalStore(lake),
        row_group_rows=load_settings().row_group_rows,
        clock_ms=lambda: int(corpus.start.timestamp() * 1000),
    )
    objects = 0
    for records in _units(corpus.payloads):
        report, _ = ingestor.ingest(records, source="subscription")
        objects += len(report.objects)
    return objects


def _units(payloads: list[str]) -> Iterator[list[DecodedRecord]]:
    records: list[DecodedRecord] = []
    events = 0
    for data in payloads:
        decoded = decode_lambda_event({"awslogs": {"data": data}}).records
        records.extend(decoded)
        events += sum(record.event_count for record in decoded)
        if events >= CHUNK_EVENTS:
            yield records
            records, events = [], 0
    if records:
        yield records


def _busiest_hour(lake_path: Path, day: Selection) -> datetime:
    activity = activity_over_time(open_lake(str(lake_path)), day)
    per_hour: dict[datetime, int] = {}
    for bucket, _, invocations, _, _ in activity.rows:
        hour = bucket.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        per_hour[hour] = per_hour.get(hour, 0) + invocations
    return max(per_hour, key=lambda hour: per_hour[hour])


def _time_overview(url: str, selection: Selection, runs: int) -> list[Step]:
    prices = load_prices()
    timings: dict[str, list[float]] = {}

    def timed(name: str, step: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        value = step()
        timings.setdefault(name, []).append(time.perf_counter() - started)
        return value

    for _ in range(runs):
        started = time.perf_counter()
        timed("lake fingerprint", lambda: lake_fingerprint(url))
        lake: Lake = timed("open the lake", lambda: open_lake(url))
        timed("function list", lambda lake=lake: list_functions(lake))
        timed(
            "per-function table",
            lambda lake=lake: function_overview(lake, selection, prices, "x86_64"),
        )
        timed("activity chart", lambda lake=lake: activity_over_time(lake, selection))
        timings.setdefault("overview page, all steps", []).append(time.perf_counter() - started)
        lake.connection.close()
    return [Step(name, seconds) for name, seconds in timings.items()]


def _render(
    corpus: Corpus, objects: int, runs: int, results: dict[str, list[Step]], options: str
) -> str:
    command = "python -m bench.dashboard" + (f" {options}" if options else "")
    lines = [
        "## Dashboard overview queries",
        "",
        f"Command: `{command}`, run on {datetime.now(tz=UTC):%Y-%m-%d}. Machine: "
        f"{describe_machine()}.",
        "",
        f"Data: {corpus.events:,} log events ({corpus.invocations:,} invocations of six "
        f"functions over {corpus.hours} hours, from the sample generator) ingested in units of "
        f"{CHUNK_EVENTS:,} events into {objects:,} objects. Each run opens a new DuckDB "
        "connection and runs what the overview page runs when its cache is empty. Times are "
        f"medians of {runs} runs, with the fastest and slowest in brackets. Target: the whole "
        f"page under {TARGET_S:.0f} s.",
        "",
        "| step | " + " | ".join(results) + " |",
        "| --- | " + " | ".join("---" for _ in results) + " |",
    ]
    names = [step.name for step in next(iter(results.values()))]
    for name in names:
        cells = []
        for steps in results.values():
            step = next(step for step in steps if step.name == name)
            cells.append(
                f"{step.median * 1000:,.0f} ms ({min(step.seconds) * 1000:,.0f} to "
                f"{max(step.seconds) * 1000:,.0f})"
            )
        label = f"**{name}**" if name.startswith("overview page") else name
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    totals = [
        next(s for s in steps if s.name.startswith("overview page")) for steps in results.values()
    ]
    verdict = "within" if all(step.median < TARGET_S for step in totals) else "over"
    lines += ["", f"Every median of the whole page is {verdict} the {TARGET_S:.0f} s target."]
    return "\n".join(lines)


def _write_section(section: str) -> None:
    text = PAGE.read_text() if PAGE.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{section}\n{END}"
    if BEGIN in text and END in text:
        before, rest = text.split(BEGIN, 1)
        _, after = rest.split(END, 1)
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    PAGE.write_text(text)


if __name__ == "__main__":
    sys.exit(main())
