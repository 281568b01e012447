"""One DuckDB connection over a lake, with the views ``logs``, ``invocations``, ``traces`` and
``segments``.

The connection is sandboxed once the views exist: DuckDB may read files under the lake and
nothing else, and its configuration is locked, so SQL run through it cannot read or write
other files or reach other hosts.

Each view reads the objects that were visible when the lake was opened (see
``loglake.ingest.compact.snapshot``): compaction's replaced objects are left out, and an hour
whose visible objects may share events is read with one row per event. Objects written later
are not in the views; reopen the lake to see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pyarrow as pa

from loglake.analytics.extensions import load_extension
from loglake.analytics.s3 import enable_s3
from loglake.ingest.compact.snapshot import TableSnapshot, snapshot_table
from loglake.ingest.schema import LOGS_SCHEMA
from loglake.ingest.store import LakeStore, check_lake_url, open_store
from loglake.ingest.xray.schema import SEGMENTS_SCHEMA, TRACES_SCHEMA

HIVE_TYPES = "{'date': DATE, 'hour': INTEGER}"

INVOCATION_COLUMNS = (
    "timestamp",
    "date",
    "hour",
    "account",
    "region",
    "log_group",
    "log_stream",
    "function_name",
    "function_version",
    "request_id",
    "trace_id",
    "duration_ms",
    "billed_duration_ms",
    "init_duration_ms",
    "restore_duration_ms",
    "memory_size_mb",
    "max_memory_used_mb",
    "status",
    "error_type",
    "cold_start",
)


@dataclass(frozen=True, slots=True)
class Lake:
    """A lake opened for reading: its URL and the sandboxed DuckDB connection over it.

    The views read the objects listed at opening. Compaction deletes the objects it replaced
    ``LOGLAKE_COMPACT_GRACE_MINUTES`` after replacing them, so a query over a Lake opened
    longer ago than that can fail on a missing object: reopen the lake instead.
    """

    url: str
    connection: duckdb.DuckDBPyConnection
    empty: bool
    """True when the lake has no log objects yet, so every query returns no rows."""


def open_lake(url: str, *, endpoint_url: str | None = None) -> Lake:
    """Open a DuckDB connection with the lake's views; the lake may still be empty."""
    root = _lake_root(url)
    connection = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    connection.execute("SET TimeZone = 'UTC'")
    # inet gives Insights queries their IP address functions.
    load_extension(connection, "inet")
    if root.startswith("s3://"):
        enable_s3(connection, endpoint_url)

    store = open_store(root, endpoint_url=endpoint_url)
    empty = not _create_logs_view(connection, root, snapshot_table(store, "logs"))
    connection.execute(
        f"CREATE VIEW invocations AS SELECT {', '.join(INVOCATION_COLUMNS)} "
        "FROM logs WHERE type = 'REPORT'"
    )
    _create_latest_view(connection, root, store, "traces", TRACES_SCHEMA, _LATEST_TRACE)
    _create_latest_view(connection, root, store, "segments", SEGMENTS_SCHEMA, _LATEST_SEGMENT)
    _sandbox(connection, root)
    return Lake(url=root, connection=connection, empty=empty)


def _lake_root(url: str) -> str:
    """Return the lake's root as DuckDB addresses it: an absolute folder or an s3:// prefix."""
    check_lake_url(url)
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        return url.rstrip("/")
    if parsed.scheme not in ("", "file"):
        raise ValueError(
            f"lake URL {url!r} is not supported: use a local folder or s3://bucket/prefix"
        )
    return str(Path(parsed.path if parsed.scheme == "file" else url).resolve())


def _create_logs_view(
    connection: duckdb.DuckDBPyConnection, root: str, snapshot: TableSnapshot
) -> bool:
    """Create the ``logs`` view; return whether the lake has any log objects."""
    plain: list[str] = []
    overlapping: list[str] = []
    for hour in snapshot.hours:
        paths = overlapping if hour.overlapping else plain
        paths.extend(_literal(f"{root}/{item.key}") for item in hour.visible)
    if not plain and not overlapping:
        _create_empty_logs_view(connection)
        return False

    # Every object has the same schema, so DuckDB binds each read from its first object's
    # footer. union_by_name would read every footer on each query, before the time range
    # prunes any partition (4 times slower on a lake of 2,000 small objects).
    selects = []
    if plain:
        selects.append(f"SELECT * FROM {_read_parquet(plain)}")
    if overlapping:
        selects.append(
            f"SELECT * FROM {_read_parquet(overlapping)} "
            f"QUALIFY row_number() OVER ({_FIRST_COPY_OF_EVENT}) = 1"
        )
    connection.execute("CREATE VIEW logs AS " + " UNION ALL ".join(f"({q})" for q in selects))
    return True


# Copies of one event (one log group, stream and event ID) in an hour's overlapping objects:
# the view keeps the copy that compaction would keep, the one with a request ID, then the one
# ingested first. The window leads with the partition columns, so a filter on them still
# skips files.
_FIRST_COPY_OF_EVENT = (
    "PARTITION BY date, hour, log_group, log_stream, event_id "
    "ORDER BY request_id IS NULL, ingestion_time"
)


def _read_parquet(paths: list[str]) -> str:
    return (
        f"read_parquet([{', '.join(paths)}], hive_partitioning = true, hive_types = {HIVE_TYPES})"
    )


def _create_empty_logs_view(connection: duckdb.DuckDBPyConnection) -> None:
    """Give an empty lake the same columns, so queries run and return no rows."""
    empty = pa.Table.from_pylist([], schema=LOGS_SCHEMA)
    connection.register("loglake_empty_logs", empty)
    connection.execute(
        "CREATE TABLE empty_logs AS SELECT *, NULL::DATE AS date, NULL::INTEGER AS hour "
        "FROM loglake_empty_logs"
    )
    connection.unregister("loglake_empty_logs")
    connection.execute("CREATE VIEW logs AS SELECT * FROM empty_logs")


# A trace is pulled again when X-Ray updates it, and a segment with it, so these views keep
# the latest copy: the highest Revision, then a finished segment, then the latest written.
# Every copy of a trace lands in one partition (the start second in its trace ID), and every
# copy of a segment in one too (its start time). So the window leads with the partition
# columns, and a filter on them still skips files.
_LATEST_TRACE = (
    "PARTITION BY date, hour, trace_id ORDER BY revision DESC NULLS LAST, ingestion_time DESC"
)
_LATEST_SEGMENT = (
    "PARTITION BY date, hour, trace_id, source, segment_id "
    "ORDER BY end_time IS NULL, ingestion_time DESC"
)


def _create_latest_view(
    connection: duckdb.DuckDBPyConnection,
    root: str,
    store: LakeStore,
    name: str,
    schema: pa.Schema,
    window: str,
) -> None:
    """Create a view of one row per key over a table's objects, or over no rows when it has none."""
    paths = [_literal(f"{root}/{item.key}") for item in snapshot_table(store, name).visible]
    if not paths:
        connection.register(f"loglake_empty_{name}", pa.Table.from_pylist([], schema=schema))
        connection.execute(
            f"CREATE TABLE empty_{name} AS SELECT *, NULL::DATE AS date, NULL::INTEGER AS hour "
            f"FROM loglake_empty_{name}"
        )
        connection.unregister(f"loglake_empty_{name}")
        connection.execute(f"CREATE VIEW {name} AS SELECT * FROM empty_{name}")
        return

    # Compaction keeps the same copy of each key as this window, so the views need no other
    # handling of overlapping hours.
    connection.execute(
        f"CREATE VIEW {name} AS SELECT * FROM {_read_parquet(paths)} "
        f"QUALIFY row_number() OVER ({window}) = 1"
    )


def _sandbox(connection: duckdb.DuckDBPyConnection, root: str) -> None:
    # DuckDB also allows its temporary folder (./.tmp by default); queries need none.
    connection.execute("SET temp_directory = ''")
    # DuckDB draws a progress bar on standard output for queries over 2 s, which would
    # corrupt JSON and CSV output.
    connection.execute("SET enable_progress_bar = false")
    # Footers of objects read once are kept, so later queries on the connection skip them.
    connection.execute("SET parquet_metadata_cache = true")
    connection.execute(f"SET allowed_directories = [{_literal(root + '/')}]")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
