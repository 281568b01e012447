"""Render query results as a table for people, or as JSON or CSV for scripts."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, Literal

import orjson

from loglake.analytics.sql import QueryResult

OutputFormat = Literal["table", "json", "csv"]


def plain_value(value: Any) -> Any:
    """Convert a DuckDB value to what JSON and CSV carry: timestamps as ISO 8601 UTC strings."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.isoformat(timespec="milliseconds") + "Z"
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, list):
        return [plain_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain_value(item) for key, item in value.items()}
    return value


def to_json(result: QueryResult) -> str:
    """Return one JSON array with an object per row."""
    rows = [
        {column: plain_value(value) for column, value in zip(result.columns, row, strict=True)}
        for row in result.rows
    ]
    return orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode()


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
