"""One DuckDB connection over a lake, with the views ``logs`` and ``invocations``.

The connection is sandboxed once the views exist: DuckDB may read files under the lake and
nothing else, and its configuration is locked, so SQL run through it cannot read or write
other files or reach other hosts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pyarrow as pa

from loglake.analytics.s3 import enable_s3
from loglake.ingest.schema import LOGS_SCHEMA
from loglake.ingest.store import check_lake_url

LOGS_GLOB = "logs/*/*/*.parquet"
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
    """A lake opened for reading: its URL and the sandboxed DuckDB connection over it."""

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
    if root.startswith("s3://"):
        enable_s3(connection, endpoint_url)

    empty = not _create_logs_view(connection, root)
    connection.execute(
        f"CREATE VIEW invocations AS SELECT {', '.join(INVOCATION_COLUMNS)} "
        "FROM logs WHERE type = 'REPORT'"
    )
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


def _create_logs_view(connection: duckdb.DuckDBPyConnection, root: str) -> bool:
    """Create the ``logs`` view; return whether the lake has any log objects."""
    pattern = _literal(f"{root}/{LOGS_GLOB}")
    found = connection.execute(f"SELECT count(*) FROM glob({pattern})").fetchone()
    if found is None or found[0] == 0:
        _create_empty_logs_view(connection)
        return False

    connection.execute(
        f"CREATE VIEW logs AS SELECT * FROM read_parquet({pattern}, hive_partitioning = true, "
        f"hive_types = {HIVE_TYPES}, union_by_name = true)"
    )
    return True


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


def _sandbox(connection: duckdb.DuckDBPyConnection, root: str) -> None:
    # DuckDB also allows its temporary folder (./.tmp by default); queries need none.
    connection.execute("SET temp_directory = ''")
    connection.execute(f"SET allowed_directories = [{_literal(root + '/')}]")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
