"""Render query results as a table for people, or as JSON or CSV for scripts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import orjson

from loglake.analytics.sql import QueryResult

OutputFormat = Literal["table", "json", "csv", "ndjson"]


def plain_value(value: Any) -> Any:
    """Convert a DuckDB value to what JSON and CSV carry.

    Timestamps become ISO 8601 UTC strings, intervals ISO 8601 durations, BLOBs hex, and
    integers beyond 64 bits strings.
    """
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        precision = "milliseconds" if value.microsecond % 1000 == 0 else "microseconds"
        return value.isoformat(timespec=precision) + "Z"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"PT{value.total_seconds():.6f}".rstrip("0").rstrip(".") + "S"
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Decimal):
        # A DECIMAL stays a JSON number when a float represents it exactly, else it is a string.
        return float(value) if Decimal(float(value)) == value else str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | tuple):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain_value(item) for key, item in value.items()}
    return value


def to_json(result: QueryResult) -> str:
    """Return one JSON array with an object per row.

    A column name that repeats (a join of two tables with a ``timestamp`` each) gets a
    suffix, ``timestamp_2``, so no value is lost to a duplicate key.
    """
    columns = unique_names(result.columns)
    rows = [
        {column: plain_value(value) for column, value in zip(columns, row, strict=True)}
        for row in result.rows
    ]
    return orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode()


def to_ndjson(result: QueryResult) -> str:
    """Return one JSON object per row, each on its own line."""
    columns = unique_names(result.columns)
    lines = [
        orjson.dumps(
            {column: plain_value(value) for column, value in zip(columns, row, strict=True)}
        ).decode()
        for row in result.rows
    ]
    return "".join(line + "\n" for line in lines)


def unique_names(columns: list[str]) -> list[str]:
    """Return the column names with ``_2``, ``_3``, ... added to repeats."""
    seen: dict[str, int] = {}
    names = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        names.append(column if seen[column] == 1 else f"{column}_{seen[column]}")
    return names


def to_csv(result: QueryResult) -> str:
    """Return CSV with a header row; nested values are written as JSON."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    plain = plain_value(value)
    if isinstance(plain, list | dict):
        return orjson.dumps(plain).decode()
    return "" if plain is None else plain
