"""The lake's rows in other forms: NDJSON, gzip'd NDJSON, and Parquet without bloom filters.

The NDJSON export has one JSON object per row with the ``logs`` columns, as DuckDB's
``COPY ... (FORMAT json)`` writes them: the form a pipeline that stores parsed rows without
Parquet would keep. The other query engines read it; its sizes are the storage baseline.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from loglake.ingest.schema import DICTIONARY_COLUMNS
from loglake.settings import load_settings

LAKE_GLOB = "logs/*/*/*.parquet"


@dataclass(frozen=True, slots=True)
class Exports:
    """Files derived from the lake and their sizes."""

    ndjson: Path
    ndjson_bytes: int
    ndjson_gzip_bytes: int
    rows: int
    export_seconds: float


def export_ndjson(lake: Path, folder: Path) -> Exports:
    """Write the lake's rows as NDJSON and as gzip'd NDJSON into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ndjson = folder / "logs.ndjson"
    compressed = folder / "logs.ndjson.gz"
    connection = plain_connection()
    source = (
        f"SELECT * FROM read_parquet({_literal(str(lake / LAKE_GLOB))}) "
        "ORDER BY log_group, timestamp, event_id"
    )
    started = time.perf_counter()
    connection.execute(f"COPY ({source}) TO {_literal(str(ndjson))} (FORMAT json)")
    export_seconds = time.perf_counter() - started
    connection.execute(
        f"COPY (SELECT * FROM read_json({_literal(str(ndjson))}, format = 'newline_delimited', "
        f"columns = {ndjson_columns()})) TO {_literal(str(compressed))} "
        "(FORMAT json, COMPRESSION gzip)"
    )
    rows_found = connection.execute(
        f"SELECT count(*) FROM read_parquet({_literal(str(lake / LAKE_GLOB))})"
    ).fetchone()
    rows = rows_found[0] if rows_found else 0
    return Exports(
        ndjson=ndjson,
        ndjson_bytes=ndjson.stat().st_size,
        ndjson_gzip_bytes=compressed.stat().st_size,
        rows=rows,
        export_seconds=export_seconds,
    )


def copy_without_bloom_filters(lake: Path, target: Path) -> int:
    """Re-encode every object of ``lake`` into ``target`` as ingest does, minus bloom filters.

    Returns the bytes written. Row groups, sort order, compression and dictionaries stay as
    ``loglake.ingest.write`` sets them, so the copy differs only in the filters.
    """
    shutil.rmtree(target, ignore_errors=True)
    row_group_rows = load_settings().row_group_rows
    written = 0
    for path in sorted((lake / "logs").rglob("*.parquet")):
        destination = target / path.relative_to(lake)
        destination.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pq.ParquetFile(path).read(),
            destination,
            row_group_size=row_group_rows,
            compression="zstd",
            use_dictionary=list(DICTIONARY_COLUMNS),  # type: ignore[arg-type]
            write_statistics=True,
        )
        written += destination.stat().st_size
    return written


def ndjson_columns() -> str:
    """Return the ``columns`` argument of ``read_json`` for the export: the schema's types."""
    from loglake.ingest.schema import LOGS_SCHEMA

    types = {
        "timestamp[ms, tz=UTC]": "TIMESTAMPTZ",
        "string": "VARCHAR",
        "double": "DOUBLE",
        "int32": "INTEGER",
        "bool": "BOOLEAN",
    }
    pairs = []
    for field in LOGS_SCHEMA:
        name = "JSON" if field.name == "fields" else types[str(field.type)]
        pairs.append(f"{_literal(field.name)}: {_literal(name)}")
    return "{" + ", ".join(pairs) + "}"


def plain_connection() -> duckdb.DuckDBPyConnection:
    """Open a DuckDB connection without the lake's sandbox, for the benchmark's own files."""
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    return connection


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
