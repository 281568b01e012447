"""Markdown of one benchmark run, and its place in ``docs/benchmarks.md``.

Each size has its own section between two marker comments, so a quick run replaces only the
quick run's tables and a run at 10 million events keeps its own. Text outside the markers
is never changed. A size without a section yet gets one before the first ``## `` heading
that follows the last existing section (or the page's introduction).
"""

from __future__ import annotations

import os
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import Corpus
from bench.ingest_rates import IngestResult
from bench.lambda_package import PackageResult
from bench.needles import Lookup
from bench.queries import CaseResult, EngineRun
from bench.storage import Exports
from bench.timing import Timing, format_seconds, format_timing

INGEST_TARGET_PER_CORE = 100_000
DECODE_SHARE_TARGET = 0.5
STORAGE_TARGET = 10.0
SQL_RATIO_TARGET = 1.2
NDJSON_RATIO_TARGET = 20.0
LOOKUP_TARGET_SECONDS = 0.050
_TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True, slots=True)
class RunResults:
    """Everything one run measured; a section that did not run is None."""

    size_label: str
    command: str
    make_command: str | None
    """The make command that ran ``command``, when make ran it."""
    machine: str
    load_averages: tuple[float, float]
    """The machine's 5-minute load average when the run started and when it ended."""
    date: str
    total_seconds: float
    corpus: Corpus
    ingest: IngestResult | None
    exports: Exports | None
    no_bloom_bytes: int | None
    lookups: list[Lookup] | None
    queries: list[CaseResult] | None
    saved_without_case: list[str]
    package: PackageResult | None


def begin_marker(size_label: str) -> str:
    """Return the comment that opens a size's section."""
    return f"<!-- bench results {size_label}: begin, written by bench/run.py -->"


def end_marker(size_label: str) -> str:
    """Return the comment that closes a size's section."""
    return f"<!-- bench results {size_label}: end -->"


def update_page(page: Path, results: RunResults) -> None:
    """Replace the run's section of ``page``, or add it, and leave the rest as it is."""
    text = page.read_text() if page.exists() else "# Benchmarks\n"
    page.write_text(replace_section(text, results.size_label, render(results)))


def replace_section(text: str, size_label: str, body: str) -> str:
    """Return ``text`` with the section of ``size_label`` holding ``body``."""
    begin, end = begin_marker(size_label), end_marker(size_label)
    section = f"{begin}\n{body}\n{end}"
    if begin in text and end in text:
        before, rest = text.split(begin, 1)
        _, after = rest.split(end, 1)
        return before + section + after

    ends = [match.end() for match in re.finditer(r"<!-- bench results [^:]+: end -->", text)]
    start = ends[-1] if ends else 0
    heading = text.find("\n## ", start)
    if heading == -1:
        return text.rstrip("\n") + "\n\n" + section + "\n"
    return text[: heading + 1] + section + "\n\n" + text[heading + 1 :]


def render(results: RunResults) -> str:
    """Render one run as Markdown: heading, command, machine, targets and every table."""
    corpus = results.corpus
    command = f"`{results.command}`"
    if results.make_command is not None:
        command = f"`{results.make_command}`, which runs {command}"
    lines = [
        f"## Results at {results.size_label} events",
        "",
        f"Command: {command}, run on {results.date}; {results.total_seconds / 60:.0f} "
        "minutes in all.",
        "",
        f"Machine: {results.machine}. {_load_note(results.load_averages)}",
        "",
        f"Data: {corpus.events:,} log events in {corpus.deliveries:,} subscription deliveries "
        f"of the sample generator (`loglake.demo`): {corpus.invocations:,} invocations of six "
        f"functions over {corpus.hours} hours. A time is the median of its timed runs, with "
        "the fastest and slowest in brackets. Each measurement first runs once untimed, to "
        "warm caches. A slow one counts that first run instead and stops repeating once its "
        "runs have used its time budget, so it can show a single run.",
    ]
    lines += _targets(results)
    if results.ingest is not None:
        lines += _ingest(results.ingest, corpus)
    if results.ingest is not None and results.exports is not None:
        lines += _storage(results.ingest, results.exports, results.no_bloom_bytes, corpus)
    if results.lookups is not None:
        lines += _lookups(results.lookups)
    if results.queries is not None:
        lines += _queries(results.queries, results.saved_without_case)
    if results.package is not None:
        lines += _package(results.package)
    return "\n".join(lines)


def _load_note(load_averages: tuple[float, float]) -> str:
    start, end = load_averages
    note = f"Load average over 5 minutes: {start:.1f} at the start, {end:.1f} at the end."
    cores = os.cpu_count() or 1
    if max(start, end) > cores:
        note += (
            f" That is more runnable work than the {cores} cores, so other work shared them: "
            "absolute times are pessimistic, and times compare best within this run."
        )
    return note


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    header = list(header)
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _rate(count: float, seconds: float) -> str:
    return f"{count / seconds:,.0f}"


def _ratio(value: float) -> str:
    return f"{value:.2f}{_TIMES}" if value < 10 else f"{value:.0f}{_TIMES}"


def ingest_rate(ingest: IngestResult, corpus: Corpus) -> float:
    """Return the events per second through decode, parse and write in units (median run)."""
    return corpus.events / ingest.units.median


def decode_rate(ingest: IngestResult, corpus: Corpus) -> float:
    """Return the events per second of decoding alone (median run)."""
    return corpus.events / ingest.decode.median


def _targets(results: RunResults) -> list[str]:
    rows = []
    if results.ingest is not None:
        rate = ingest_rate(results.ingest, results.corpus)
        share = rate / decode_rate(results.ingest, results.corpus)
        rows.append(
            (
                f"ingest ≥ {INGEST_TARGET_PER_CORE:,} events/s per core (one process)",
                f"{rate:,.0f} events/s",
                _verdict(rate >= INGEST_TARGET_PER_CORE, rate / INGEST_TARGET_PER_CORE),
            )
        )
        rows.append(
            (
                f"ingest ≥ {DECODE_SHARE_TARGET} of the decode-only rate",
                f"{share:.2f}",
                _verdict(share >= DECODE_SHARE_TARGET, share / DECODE_SHARE_TARGET),
            )
        )
    if results.ingest is not None and results.exports is not None:
        ratio = results.exports.ndjson_bytes / results.ingest.parquet_bytes
        rows.append(
            (
                "Parquet ≤ 1/10 of the NDJSON export",
                f"1/{ratio:.1f}",
                _verdict(ratio >= STORAGE_TARGET, ratio / STORAGE_TARGET),
            )
        )
    if results.queries is not None:
        sql_ratios = _engine_ratios(results.queries, "loglake", "sql")
        ndjson_ratios = _engine_ratios(results.queries, "ndjson", "loglake")
        if sql_ratios:
            worst_name, worst = max(sql_ratios.items(), key=lambda item: item[1])
            rows.append(
                (
                    f"Insights within {SQL_RATIO_TARGET}{_TIMES} of hand-written SQL",
                    f"median {_ratio(statistics.median(sql_ratios.values()))}, "
                    f"worst {_ratio(worst)} ({worst_name}); "
                    f"{sum(r <= SQL_RATIO_TARGET for r in sql_ratios.values())} of "
                    f"{len(sql_ratios)} cases within",
                    _verdict(worst <= SQL_RATIO_TARGET, SQL_RATIO_TARGET / worst),
                )
            )
        if ndjson_ratios:
            least_name, least = min(ndjson_ratios.items(), key=lambda item: item[1])
            rows.append(
                (
                    f"Insights ≥ {NDJSON_RATIO_TARGET:.0f}{_TIMES} faster than DuckDB over NDJSON",
                    f"median {_ratio(statistics.median(ndjson_ratios.values()))}, "
                    f"least {_ratio(least)} ({least_name})",
                    _verdict(least >= NDJSON_RATIO_TARGET, least / NDJSON_RATIO_TARGET),
                )
            )
    if results.lookups is not None:
        request = next(
            lookup
            for lookup in results.lookups
            if lookup.name.startswith("request ID, whole") and lookup.lake == "bloom filters"
        )
        seconds = request.timing.median
        rows.append(
            (
                f"request ID lookup < {LOOKUP_TARGET_SECONDS * 1000:.0f} ms, warm",
                format_seconds(seconds),
                _verdict(seconds < LOOKUP_TARGET_SECONDS, LOOKUP_TARGET_SECONDS / seconds),
            )
        )
    return ["", "### Targets", "", *_table(("target", "measured", "met"), rows)]


def _verdict(met: bool, fraction: float) -> str:
    if met:
        return "yes"
    return f"no: {fraction:.2f} of the target"


def _engine_ratios(cases: list[CaseResult], numerator: str, denominator: str) -> dict[str, float]:
    ratios = {}
    for case in cases:
        top, bottom = case.runs[numerator].timing, case.runs[denominator].timing
        if top is not None and bottom is not None:
            ratios[case.case.name] = top.median / bottom.median
    return ratios


def _ingest(ingest: IngestResult, corpus: Corpus) -> list[str]:
    decode_median = ingest.decode.median
    megabytes = corpus.json_bytes / 1e6
    last = ingest.unit_runs[-1]
    parse_seconds = last.ingest_seconds - last.write_seconds
    per_delivery_rate = ingest.per_delivery_events / ingest.per_delivery.median
    rows = [
        (
            "decode only: base64, gunzip, JSON",
            format_timing(ingest.decode),
            _rate(corpus.events, decode_median),
            f"{megabytes / decode_median:.1f}",
            "1.00",
        ),
        (
            "decode, parse and write, in units of 200,000 events",
            format_timing(ingest.units),
            _rate(corpus.events, ingest.units.median),
            f"{megabytes / ingest.units.median:.1f}",
            f"{decode_median / ingest.units.median:.2f}",
        ),
        (
            "one delivery at a time, as the subscription Lambda writes "
            f"({ingest.per_delivery_deliveries:,} deliveries, "
            f"{ingest.per_delivery_events:,} events)",
            format_timing(ingest.per_delivery),
            f"{per_delivery_rate:,.0f}",
            "",
            f"{per_delivery_rate * decode_median / corpus.events:.3f}",
        ),
    ]
    split = [
        ("decode", last.decode_seconds),
        ("parse and build the Arrow table", parse_seconds),
        ("sort, name, encode Parquet and write the objects (`write_logs`)", last.write_seconds),
    ]
    total = sum(seconds for _, seconds in split)
    lines = [
        "",
        "### Ingest",
        "",
        "One process on one core. MB are of the subscription JSON after gunzip "
        f"({corpus.json_bytes / corpus.events:.0f} bytes per event). The unit run is the "
        "path of `loglake ingest` and of a batching pipeline; the per-delivery run is how the "
        "subscription Lambda writes, one object per delivery and hour "
        f"({ingest.per_delivery_objects:,} objects for the sample).",
        "",
        *_table(
            ("path", "time", "events per second", "MB per second", "rate against decode only"),
            rows,
        ),
        "",
        "Where the last unit run spent its time (the write is timed apart, on the same tables):",
        "",
        *_table(
            ("stage", "seconds", "share"),
            ((name, f"{seconds:.1f}", f"{seconds / total:.0%}") for name, seconds in split),
        ),
        "",
        f"On the first unit, `build_logs_table` took {ingest.unit_table_seconds:.2f} s, of which "
        f"`parse_message` alone accounts for {ingest.unit_parse_seconds:.2f} s "
        f"({ingest.unit_parse_seconds / ingest.unit_table_seconds:.0%}); the rest is row "
        "building and the conversion to Arrow.",
        "",
        "The costliest functions by own time, profiling (cProfile) the decode and ingest of the "
        "first unit. The profiler adds a fixed cost to every Python call, so it overstates "
        "functions that make many small calls:",
        "",
        *_table(
            ("function", "own seconds", "share"),
            (
                (f"`{row.function}`", f"{row.own_seconds:.2f}", f"{row.share:.0%}")
                for row in ingest.profile
            ),
        ),
    ]
    return lines


def _storage(
    ingest: IngestResult, exports: Exports, no_bloom_bytes: int | None, corpus: Corpus
) -> list[str]:
    events = corpus.events
    parquet = ingest.parquet_bytes
    forms = [
        (
            f"Parquet lake ({ingest.objects:,} objects, {ingest.row_groups:,} row groups)",
            parquet,
        ),
    ]
    if no_bloom_bytes is not None:
        forms.append(("the same Parquet without bloom filters", no_bloom_bytes))
    forms += [
        ("NDJSON export of the rows (`COPY ... (FORMAT json)`)", exports.ndjson_bytes),
        ("the NDJSON export, gzip'd", exports.ndjson_gzip_bytes),
        ("the deliveries' subscription JSON, after gunzip", corpus.json_bytes),
        ("the deliveries as CloudWatch sends them, gzip'd", corpus.gzip_bytes),
    ]
    rows = [
        (name, f"{size / events:.1f}", f"{size / 1e6:,.1f}", f"{size / parquet:.2f}")
        for name, size in forms
    ]
    return [
        "",
        "### Storage",
        "",
        *_table(("form", "bytes per event", "MB", "size against Parquet"), rows),
    ]


def _lookups(lookups: list[Lookup]) -> list[str]:
    rows = [
        (
            lookup.name,
            lookup.lake,
            format_timing(lookup.timing),
            str(lookup.rows),
            f"{lookup.files_read:,} of {lookup.files:,}",
            f"{lookup.row_groups_read:,} of {lookup.row_groups:,}",
        )
        for lookup in lookups
    ]
    return [
        "",
        "### Needle lookups",
        "",
        "`run_select` on the lake's sandboxed connection, warm (after one untimed run). Files "
        "read is DuckDB's `EXPLAIN ANALYZE` count; row groups read are those whose min/max "
        "statistics and, where present, bloom filter admit the ID.",
        "",
        *_table(
            ("lookup", "lake", "time", "rows", "files read", "row groups read"),
            rows,
        ),
    ]


def _cell(run: EngineRun) -> str:
    if run.timing is None:
        return run.note or ""
    return format_timing(run.timing)


def _short_cell(run: EngineRun) -> str:
    if run.timing is None:
        return run.note or ""
    return format_seconds(run.timing.median)


def _ratio_cell(top: Timing | None, bottom: Timing | None) -> str:
    if top is None or bottom is None:
        return ""
    return _ratio(top.median / bottom.median)


def _queries(cases: list[CaseResult], saved_without_case: list[str]) -> list[str]:
    rows = []
    for result in cases:
        runs = result.runs
        counts = sorted({run.rows for run in runs.values() if run.rows is not None})
        rows.append(
            (
                result.case.name,
                _cell(runs["loglake"]),
                _short_cell(runs["sql"]),
                _ratio_cell(runs["loglake"].timing, runs["sql"].timing),
                _short_cell(runs["ndjson"]),
                _ratio_cell(runs["ndjson"].timing, runs["loglake"].timing),
                _short_cell(runs["jq"]),
                _short_cell(runs["chdb"]),
                ", ".join(str(count) for count in counts)
                + ("" if result.rows_agree else " (engines disagree)"),
            )
        )
    lines = [
        "",
        "### Queries",
        "",
        "The five acceptance queries of the Insights compiler, then every saved query in "
        "`queries/`, over the whole day. loglake compiles the Insights text and runs it with "
        "`run_insights`; hand-written SQL runs through `run_select` on the same lake; "
        "`read_json` reads the NDJSON export with the schema's column types; `jq` reads the "
        "same file; chDB reads the lake's Parquet files. The ratios divide medians. DuckDB "
        "and chDB use both cores, and jq uses one.",
        "",
        *_table(
            (
                "question",
                "loglake (Insights)",
                "hand-written SQL",
                "loglake ÷ SQL",
                "DuckDB `read_json`",
                "`read_json` ÷ loglake",
                "jq",
                "chDB",
                "rows",
            ),
            rows,
        ),
    ]
    if saved_without_case:
        lines += [
            "",
            "Saved queries without a case in `bench/query_cases.py`, so not measured: "
            + ", ".join(f"`{name}`" for name in saved_without_case)
            + ".",
        ]
    return lines


def _package(package: PackageResult) -> list[str]:
    def milliseconds(values: list[float]) -> str:
        return format_timing(Timing(values))

    rows = [
        ("package, zipped", f"{package.zipped_bytes / 1e6:.1f} MB"),
        ("package, unzipped", f"{package.unzipped_bytes / 1e6:.1f} MB (Lambda allows 250 MB)"),
        (
            "`import loglake.ingest.handler` in a fresh interpreter",
            milliseconds(package.import_seconds),
        ),
        (
            f"first `handler` call on a {package.delivery_json_bytes / 1e6:.1f} MB delivery "
            f"({package.delivery_events:,} events, {package.delivery_gzip_bytes / 1e3:.0f} kB "
            "gzip'd)",
            milliseconds(package.first_call_seconds),
        ),
        ("later calls on the same delivery", milliseconds(package.warm_call_seconds)),
    ]
    return [
        "",
        "### The ingest Lambda",
        "",
        "Built by `deploy/package.py --from-environment` (this machine's x86_64 libraries), "
        "run with only the package on the path, writing to a local folder.",
        "",
        *_table(("measure", "result"), rows),
    ]
