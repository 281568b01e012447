"""An in-memory copy of the lake rows that a batch of evaluations reads.

Rules run many small queries: one per rule at each evaluation instant, hundreds when a day
is replayed. Reading the Parquet objects once per batch into an in-memory DuckDB table, with
the same ``logs`` and ``invocations`` views, turns each of those queries into a scan of
memory. ``loglake alerts check`` and ``replay`` both evaluate against a snapshot, so they
run the same code on the same rows.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from loglake.analytics.lake import INVOCATION_COLUMNS, Lake
from loglake.analytics.patterns import (
    ERROR_LINES_SQL,
    FAILED_REPORT_SQL,
    error_lines_select,
    pattern_template_sql,
)

ERROR_LINES_TABLE = "error_lines"
"""Table of a snapshot with the error lines of ``logs`` and their pattern templates: those
of :func:`loglake.analytics.patterns.error_lines_select`, which include the ``REPORT`` of a
failure that wrote no other error line."""


def partition_range_sql(start: datetime, end: datetime) -> str:
    """Return a condition on ``logs`` for ``[start, end)`` as SQL literals.

    It names the ``date`` and ``hour`` partitions too, so DuckDB opens no other objects.
    """
    start_utc = start.astimezone(UTC)
    end_utc = end.astimezone(UTC)
    last = end_utc - timedelta(microseconds=1)
    first_day, last_day = start_utc.date().isoformat(), last.date().isoformat()
    return (
        f"timestamp >= {timestamp_literal(start_utc)} AND timestamp < {timestamp_literal(end_utc)}"
        f" AND date BETWEEN DATE '{first_day}' AND DATE '{last_day}'"
        f" AND (date > DATE '{first_day}' OR hour >= {start_utc.hour})"
        f" AND (date < DATE '{last_day}' OR hour <= {last.hour})"
    )


def timestamp_literal(moment: datetime) -> str:
    """Return a TIMESTAMPTZ literal in UTC with microseconds."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return f"TIMESTAMPTZ '{text}+00'"


def fetch_error_lines(source: Lake, start: datetime, end: datetime) -> pa.Table:
    """Return the error lines of ``[start, end)``, which pattern rules compare over time.

    They include every failed ``REPORT``; the snapshot keeps those of failures without
    another error line.
    """
    return _fetch(
        source,
        f"SELECT * FROM logs WHERE {partition_range_sql(start, end)} "
        f"AND ({ERROR_LINES_SQL} OR {FAILED_REPORT_SQL})",
    )


def snapshot_lake(
    source: Lake, *, start: datetime, end: datetime, older_errors: pa.Table | None = None
) -> Lake:
    """Copy every row of ``[start, end)``, and the rows of ``older_errors`` before ``start``.

    The copy is a sandboxed in-memory DuckDB connection with ``logs``, ``invocations`` and
    ``error_lines``, returned as a Lake with the source's URL. Older error lines come
    from :func:`fetch_error_lines`, because pattern rules compare a window with a baseline
    of error lines only.
    """
    rows = _fetch(source, f"SELECT * FROM logs WHERE {partition_range_sql(start, end)}")
    if older_errors is not None and older_errors.num_rows:
        earlier = pc.less(
            older_errors["timestamp"],
            pa.scalar(start.astimezone(UTC), rows.schema.field("timestamp").type),
        )
        rows = pa.concat_tables([rows, older_errors.filter(earlier).cast(rows.schema)])

    connection = duckdb.connect(
        config={"autoinstall_known_extensions": False, "autoload_known_extensions": False}
    )
    connection.execute("SET TimeZone = 'UTC'")
    # DuckDB draws a progress bar on standard output for queries over 2 s, which would mix
    # into JSON output.
    connection.execute("SET enable_progress_bar = false")
    connection.register("loglake_snapshot_rows", rows)
    # Arrow carries DuckDB's JSON type as text, so the column is cast back for ->> and json_*.
    connection.execute(
        "CREATE TABLE logs AS SELECT * REPLACE (fields::JSON AS fields) FROM loglake_snapshot_rows"
    )
    connection.unregister("loglake_snapshot_rows")
    connection.execute(
        f"CREATE VIEW invocations AS SELECT {', '.join(INVOCATION_COLUMNS)} "
        "FROM logs WHERE type = 'REPORT'"
    )
    # Pattern rules read the error lines with their templates at every evaluation. Masking
    # them once here means a replay does not mask the same lines hundreds of times.
    columns = (
        "timestamp, date, hour, function_name, request_id, message, log_stream, event_id, "
        f"{pattern_template_sql('message')} AS template"
    )
    connection.execute(f"CREATE TABLE {ERROR_LINES_TABLE} AS {error_lines_select(columns, 'true')}")
    connection.execute("SET temp_directory = ''")
    connection.execute("SET enable_external_access = false")
    connection.execute("SET lock_configuration = true")
    return Lake(url=source.url, connection=connection, empty=rows.num_rows == 0)


def _fetch(source: Lake, sql: str) -> pa.Table:
    return source.connection.execute(sql).to_arrow_table()
