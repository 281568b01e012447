"""Needle lookups: every line of one request ID or one trace ID, over the whole lake.

Each lookup runs through ``run_select`` on the lake's sandboxed connection, warm: after one
untimed run, so DuckDB's caches and the operating system's page cache hold what the lookup
reads. The files read come from DuckDB's ``EXPLAIN ANALYZE``. The row groups read are those
whose min/max statistics admit the ID and, where the objects have them, whose bloom filter
does not exclude it (``parquet_metadata`` and ``parquet_bloom_probe``): the row groups a
reader that uses both has to fetch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.storage import LAKE_GLOB, plain_connection
from bench.timing import Timing, measure
from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.sql import run_select

_FILES_READ = re.compile(r"Total Files Read:[\s│]*(\d+)")


@dataclass(frozen=True, slots=True)
class Needles:
    """The IDs looked up: those of one traced invocation in the middle of the day."""

    request_id: str
    trace_id: str
    timestamp: datetime


@dataclass(frozen=True, slots=True)
class Lookup:
    """One lookup on one lake."""

    name: str
    lake: str
    """``bloom filters`` or ``no bloom filters``."""
    timing: Timing
    rows: int
    files_read: int
    files: int
    row_groups_read: int
    row_groups: int


def pick_needles(lake: Path) -> Needles:
    """Choose the IDs of the traced invocation at the middle of the lake's REPORT lines."""
    connection = plain_connection()
    source = f"read_parquet('{lake / LAKE_GLOB}')"
    found = connection.execute(
        f"SELECT count(*) FROM {source} WHERE type = 'REPORT' AND trace_id IS NOT NULL"
    ).fetchone()
    middle = (found[0] if found else 0) // 2
    row = connection.execute(
        f"SELECT request_id, trace_id, timestamp FROM {source} "
        "WHERE type = 'REPORT' AND trace_id IS NOT NULL "
        f"ORDER BY timestamp, request_id LIMIT 1 OFFSET {middle}"
    ).fetchone()
    if row is None:
        raise RuntimeError(f"the lake {lake} has no REPORT line with a trace ID to look up")
    return Needles(request_id=row[0], trace_id=row[1], timestamp=row[2])


def lookup_cases(needles: Needles) -> list[tuple[str, str, str, list[Any]]]:
    """Return the name, column, SQL and parameters of each lookup."""
    hour = needles.timestamp
    return [
        (
            "request ID, whole lake",
            "request_id",
            "SELECT timestamp, type, message FROM logs WHERE request_id = ? ORDER BY timestamp",
            [needles.request_id],
        ),
        (
            "trace ID, whole lake",
            "trace_id",
            "SELECT timestamp, type, request_id FROM logs WHERE trace_id = ? ORDER BY timestamp",
            [needles.trace_id],
        ),
        (
            "request ID, its hour's partition",
            "request_id",
            "SELECT timestamp, type, message FROM logs "
            "WHERE date = ? AND hour = ? AND request_id = ? ORDER BY timestamp",
            [hour.date(), hour.hour, needles.request_id],
        ),
    ]


def measure_lookups(lakes: dict[str, Path], needles: Needles, *, repeat: int) -> list[Lookup]:
    """Time each lookup on each lake, warm, and count what it reads."""
    results = []
    for label, root in lakes.items():
        lake = open_lake(str(root))
        for name, column, sql, parameters in lookup_cases(needles):
            rows: list[int] = []

            def run(
                sql: str = sql,
                parameters: list[Any] = parameters,
                rows: list[int] = rows,
                lake: Lake = lake,
            ) -> None:
                rows.append(len(run_select(lake, sql, parameters).rows))

            timing = measure(run, repeat=repeat, budget_seconds=60)
            files_read, files = _files_read(root, sql, parameters)
            needle = parameters[-1]
            row_groups_read, row_groups = _row_groups_read(
                root, column, needle, bloom=label == "bloom filters", sql=sql, parameters=parameters
            )
            results.append(
                Lookup(
                    name, label, timing, rows[-1], files_read, files, row_groups_read, row_groups
                )
            )
        lake.connection.close()
    return results


def _files_read(root: Path, sql: str, parameters: list[Any]) -> tuple[int, int]:
    """Return the files DuckDB's scan opened for ``sql`` and the files in the lake."""
    connection = _lake_view_connection(root)
    plan = connection.execute(f"EXPLAIN ANALYZE {sql}", parameters).fetchall()
    text = "\n".join(str(row[1]) for row in plan)
    match = _FILES_READ.search(text)
    if match is None:
        raise RuntimeError(f"EXPLAIN ANALYZE printed no 'Total Files Read' line:\n{text}")
    files = len(list((root / "logs").rglob("*.parquet")))
    return int(match.group(1)), files


def _row_groups_read(
    root: Path, column: str, needle: str, *, bloom: bool, sql: str, parameters: list[Any]
) -> tuple[int, int]:
    """Count the row groups whose statistics (and bloom filter) admit ``needle``, and all.

    Only the files that the query's partition filters keep can count as read, so a lookup
    within one hour reads from that hour's row groups alone.
    """
    connection = plain_connection()
    glob = str(root / LAKE_GLOB)
    partition = ""
    if "date = ?" in sql:
        day, hour = parameters[0], parameters[1]
        partition = f"AND file_name LIKE '%/date={day.isoformat()}/hour={hour:02d}/%'"
    statistics = connection.execute(
        # pyarrow writes string statistics only into Parquet's min_value and max_value
        # fields. The deprecated min and max fields, shown as stats_min and stats_max, stay
        # empty for strings.
        "SELECT file_name, row_group_id, coalesce(stats_min_value, stats_min), "
        "coalesce(stats_max_value, stats_max), "
        f"file_name LIKE '%' {partition} AS in_partition "
        f"FROM parquet_metadata('{glob}') WHERE path_in_schema = '{column}'"
    ).fetchall()
    candidates = {
        (file_name, group)
        for file_name, group, low, high, in_partition in statistics
        if in_partition and (low is None or high is None or low <= needle <= high)
    }
    if bloom:
        excluded = {
            (file_name, group)
            for file_name, group, excludes in connection.execute(
                f"SELECT file_name, row_group_id, bloom_filter_excludes "
                f"FROM parquet_bloom_probe('{glob}', '{column}', ?)",
                [needle],
            ).fetchall()
            if excludes
        }
        candidates -= excluded
    return len(candidates), len(statistics)


def _lake_view_connection(root: Path) -> Any:
    connection = plain_connection()
    connection.execute(
        f"CREATE VIEW logs AS SELECT * FROM read_parquet('{root / LAKE_GLOB}', "
        "hive_partitioning = true, hive_types = {'date': DATE, 'hour': INTEGER})"
    )
    return connection
