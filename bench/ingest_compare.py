"""Compare ingest of this checkout with another on one corpus: same lake bytes, and the speed ratio.

    git worktree add ../baseline HEAD      # the version to compare against
    python -m bench.ingest_compare --baseline ../baseline --size 200k --rounds 3

Each run is a fresh process (``bench/ingest_worker.py``) that imports ``loglake`` from
one of the two checkouts and ingests the same deliveries in units of 200,000 events
into its own local lake. Runs of the two checkouts alternate, and the order within each
round flips, so load on the machine falls on both alike. After the first round, the
two lakes must hold the same objects with the same bytes, except that
``--filled-column trace_id`` lets this checkout fill nulls of the baseline in that
column. Where they differ otherwise, the first differing rows are printed.
``--odd-lines`` runs the same check, untimed, on deliveries of unusual lines
(``bench.ingest_odd_lines``) before the timed rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

from bench.corpus import SEED, load_corpus, parse_size
from bench.ingest_odd_lines import write_odd_payloads

ROOT = Path(__file__).resolve().parents[1]
WORKER = Path(__file__).resolve().with_name("ingest_worker.py")


@dataclass(frozen=True, slots=True)
class WorkerRun:
    """Seconds of one worker run, wall-clock and CPU."""

    decode_seconds: float
    ingest_seconds: float
    decode_cpu_seconds: float
    ingest_cpu_seconds: float

    def total(self, clock: str) -> float:
        """Decode and ingest together, the unit path end to end, by ``wall`` or ``cpu`` time."""
        if clock == "cpu":
            return self.decode_cpu_seconds + self.ingest_cpu_seconds
        return self.decode_seconds + self.ingest_seconds

    def decode(self, clock: str) -> float:
        """Decoding alone, by ``wall`` or ``cpu`` time."""
        return self.decode_cpu_seconds if clock == "cpu" else self.decode_seconds


def main(argv: list[str] | None = None) -> int:
    """Check the lakes, time the rounds and print the comparison; return the exit code."""
    arguments = _arguments(argv)
    trees = {"baseline": Path(arguments.baseline).resolve(), "this checkout": ROOT}
    filled = frozenset(arguments.filled_column)
    work = Path(arguments.work)
    work.mkdir(parents=True, exist_ok=True)

    if arguments.odd_lines:
        odd = work / "odd-payloads.txt"
        deliveries = write_odd_payloads(odd, count=arguments.odd_lines)
        print(f"odd lines: {arguments.odd_lines:,} events in {deliveries:,} deliveries")
        lakes = {name: work / f"odd-lake-{index}" for index, name in enumerate(trees)}
        for name, tree in trees.items():
            _run_worker(tree, odd, lakes[name])
        if not _same_lakes(*lakes.values(), filled):
            return 1

    events = parse_size(arguments.size)
    corpus = load_corpus(events, Path(arguments.cache))
    payloads = Path(arguments.cache) / f"corpus-{events}-seed{SEED}" / "payloads.txt"
    print(f"corpus: {corpus.events:,} events in {corpus.deliveries:,} deliveries")

    runs: dict[str, list[WorkerRun]] = {name: [] for name in trees}
    decode_runs: dict[str, list[WorkerRun]] = {name: [] for name in trees}
    for round_index in range(arguments.rounds):
        order = list(trees) if round_index % 2 == 0 else list(reversed(trees))
        for name in order:
            lake = work / f"lake-{list(trees).index(name)}"
            decode_runs[name].append(_run_worker(trees[name], payloads, lake, decode_only=True))
            runs[name].append(_run_worker(trees[name], payloads, lake))
            run = runs[name][-1]
            print(
                f"round {round_index + 1}, {name}: {run.total('wall'):.2f} s, "
                f"{run.total('cpu'):.2f} s of CPU"
            )
        if round_index == 0 and not _same_lakes(work / "lake-0", work / "lake-1", filled):
            return 1

    _print_summary(runs, decode_runs, corpus.events)
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest_compare",
        description=__doc__.splitlines()[0] if __doc__ else None,
    )
    parser.add_argument("--baseline", required=True, help="checkout of the version to compare")
    parser.add_argument("--size", default="200k", help="log events of the sample, such as 200k")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs of each checkout")
    parser.add_argument(
        "--odd-lines",
        type=int,
        default=0,
        help="events of unusual lines to check first, untimed (0 skips the check)",
    )
    parser.add_argument(
        "--filled-column",
        action="append",
        default=[],
        help="column that this checkout may fill where the baseline has null; repeatable",
    )
    parser.add_argument(
        "--cache", default=str(ROOT / "build" / "bench"), help="folder of the cached corpora"
    )
    parser.add_argument(
        "--work", default=str(ROOT / "build" / "bench" / "compare"), help="folder for the lakes"
    )
    arguments = parser.parse_args(argv)
    if arguments.rounds < 1:
        parser.error(f"--rounds {arguments.rounds} is invalid: use 1 or more")
    return arguments


def _run_worker(tree: Path, payloads: Path, lake: Path, *, decode_only: bool = False) -> WorkerRun:
    shutil.rmtree(lake, ignore_errors=True)
    command = [sys.executable, str(WORKER), str(payloads), str(lake)]
    if decode_only:
        command.append("--decode-only")
    environment = {**os.environ, "PYTHONPATH": str(tree)}
    completed = subprocess.run(
        command, env=environment, cwd=tree, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"ingest worker failed in {tree}:\n{completed.stderr}")
    result = json.loads(completed.stdout.splitlines()[-1])
    if Path(result["loglake"]).resolve() != (tree / "loglake").resolve():
        raise RuntimeError(f"worker imported loglake from {result['loglake']}, not from {tree}")
    return WorkerRun(
        result["decode_seconds"],
        result["ingest_seconds"],
        result["decode_cpu_seconds"],
        result["ingest_cpu_seconds"],
    )


def _same_lakes(first: Path, second: Path, filled: frozenset[str] = frozenset()) -> bool:
    """Compare the objects of two lakes byte for byte, printing where they differ.

    Objects may differ in the ``filled`` columns alone, and there only where this checkout
    fills a null of the baseline.
    """
    first_keys = {path.relative_to(first) for path in first.rglob("*.parquet")}
    second_keys = {path.relative_to(second) for path in second.rglob("*.parquet")}
    if first_keys != second_keys:
        print(f"objects differ: only in the baseline {sorted(map(str, first_keys - second_keys))}")
        print(f"only in this checkout {sorted(map(str, second_keys - first_keys))}")
        return False

    different = [
        key
        for key in sorted(first_keys)
        if (first / key).read_bytes() != (second / key).read_bytes()
    ]
    filled_rows = 0
    failed = []
    for key in different:
        rows = _filled_rows(first / key, second / key, filled)
        if rows is None:
            failed.append(key)
        else:
            filled_rows += rows
    for key in failed[:3]:
        _print_first_difference(first / key, second / key)
    if failed:
        print(f"{len(failed)} of {len(first_keys)} objects differ")
        return False

    print(f"lakes identical: {len(first_keys)} objects", end="")
    if different:
        print(f", except {filled_rows:,} nulls filled in {', '.join(sorted(filled))}", end="")
    print()
    return True


def _filled_rows(first: Path, second: Path, filled: frozenset[str]) -> int | None:
    """Count the nulls of ``filled`` columns that ``second`` fills; None for other differences."""
    baseline = pq.read_table(first)
    changed = pq.read_table(second)
    if not baseline.schema.equals(changed.schema, check_metadata=True):
        return None

    count = 0
    for name in baseline.column_names:
        if baseline[name].equals(changed[name]):
            continue
        if name not in filled:
            return None
        was_null = pc.is_null(baseline[name])
        unchanged = pc.equal(baseline[name], changed[name])
        # A row is allowed to differ only where the baseline has null.
        if not pc.all(pc.or_(was_null, unchanged)).as_py():
            return None
        count += pc.sum(pc.and_(was_null, pc.is_valid(changed[name]))).as_py() or 0
    return count


def _print_first_difference(first: Path, second: Path) -> None:
    baseline = pq.read_table(first)
    changed = pq.read_table(second)
    print(f"{first.name}: schemas equal: {baseline.schema.equals(changed.schema)}")
    for name in baseline.column_names:
        if name not in changed.column_names:
            print(f"  column {name} is missing")
            continue

        old_values = baseline[name].to_pylist()
        new_values = changed[name].to_pylist()
        # Objects of one name hold the same events, so the row counts are equal.
        pairs = zip(old_values, new_values, strict=True)
        rows = [row for row, (old, new) in enumerate(pairs) if old != new]
        if rows:
            row = rows[0]
            print(f"  column {name}: {len(rows)} rows differ; first, row {row}:")
            print(f"    baseline {old_values[row]!r}")
            print(f"    this     {new_values[row]!r}")
            print(f"    message  {baseline['message'][row].as_py()!r}")


def _print_summary(
    runs: dict[str, list[WorkerRun]], decode_runs: dict[str, list[WorkerRun]], events: int
) -> None:
    for clock in ("wall", "cpu"):
        print(f"by {clock} time:")
        medians = []
        for name, timed in runs.items():
            total = statistics.median(run.total(clock) for run in timed)
            decode = statistics.median(run.decode(clock) for run in decode_runs[name])
            medians.append(total)
            spread = ", ".join(f"{run.total(clock):.2f}" for run in timed)
            print(
                f"  {name}: median {total:.2f} s ({spread}), {events / total:,.0f} events/s; "
                f"decode only {decode:.2f} s, {events / decode:,.0f} events/s; "
                f"rate against decode only {decode / total:.2f}"
            )
        print(f"  speed of this checkout against the baseline: {medians[0] / medians[1]:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
