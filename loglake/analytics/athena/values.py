"""Convert Athena's result cells, which GetQueryResults returns as text, to Python values.

Each column is read by the ``Type`` of its ``ColumnInfo`` and reported under the DuckDB type
name that ``QueryResult.types`` carries for DuckDB results, so the same renderers print both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import orjson

if TYPE_CHECKING:
    from mypy_boto3_athena.type_defs import ColumnInfoTypeDef, DatumTypeDef

Converter = Callable[[str], Any]

_OFFSET = re.compile(r"[+-]\d{2}:\d{2}")


@dataclass(frozen=True, slots=True)
class ColumnReader:
    """The name, type and converter of one result column."""

    name: str
    athena_type: str
    duckdb_type: str
    convert: Converter
    keeps_empty_text: bool


def _boolean(text: str) -> bool:
    if text == "true":
        return True
    if text == "false":
        return False
    raise ValueError("expected true or false")


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError("expected a decimal number") from error


def _timestamp(text: str) -> datetime:
    # Athena prints `timestamp` as `2024-05-01 12:00:00.000`, with 0 to 12 fractional
    # digits, and Python keeps 6. The lake's Parquet timestamps are UTC instants.
    # NOTE: that Athena prints them as UTC wall-clock times is assumed here, not checked
    # against a live Athena.
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _timestamp_with_time_zone(text: str) -> datetime:
    # Athena prints `2024-05-01 12:00:00.000 UTC`, `... America/New_York` or `... +02:00`.
    moment, _, zone = text.rpartition(" ")
    if not moment:
        raise ValueError("expected a time zone after the timestamp")
    if _OFFSET.fullmatch(zone):
        return datetime.fromisoformat(moment + zone).astimezone(UTC)
    try:
        tzinfo = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {zone!r}") from error
    return datetime.fromisoformat(moment).replace(tzinfo=tzinfo).astimezone(UTC)


def _json(text: str) -> Any:
    value = orjson.loads(text)
    # Insights shows a boolean field as 1 or 0, as run_insights does for DuckDB's JSON.
    return int(value) if isinstance(value, bool) else value


def _varbinary(text: str) -> bytes:
    # Athena prints bytes as hex pairs separated by spaces: `68 65 6c 6c 6f`.
    return bytes.fromhex(text)


def _text(text: str) -> str:
    return text


_SCALARS: dict[str, tuple[str, Converter]] = {
    "boolean": ("BOOLEAN", _boolean),
    "tinyint": ("TINYINT", int),
    "smallint": ("SMALLINT", int),
    "integer": ("INTEGER", int),
    "int": ("INTEGER", int),
    "bigint": ("BIGINT", int),
    # Athena's DDL calls the 32-bit type `float` and Trino calls it `real`. Both are FLOAT.
    "real": ("FLOAT", float),
    "float": ("FLOAT", float),
    "double": ("DOUBLE", float),
    "varchar": ("VARCHAR", _text),
    "char": ("VARCHAR", _text),
    "string": ("VARCHAR", _text),
    "date": ("DATE", date.fromisoformat),
    "time": ("TIME", time.fromisoformat),
    "timestamp": ("TIMESTAMP WITH TIME ZONE", _timestamp),
    "timestamp with time zone": ("TIMESTAMP WITH TIME ZONE", _timestamp_with_time_zone),
    "json": ("JSON", _json),
    "varbinary": ("BLOB", _varbinary),
    "uuid": ("UUID", UUID),
}
"""Athena types that become Python values. Every other type (array, map, row, time with
time zone, intervals, ipaddress, unknown) keeps Athena's text and is reported as VARCHAR,
because Athena's text for nested values (``{a=1, b=[x, y]}``) does not quote strings and
cannot be parsed back without ambiguity."""


def base_type(athena_type: str) -> str:
    """Return an Athena type name without its parameters: ``varchar(10)`` is ``varchar``."""
    name = athena_type.strip().lower()
    head = name.split("(", 1)[0].strip()
    if head in {"timestamp", "time"} and name.endswith("with time zone"):
        return f"{head} with time zone"
    return head


def column_reader(column: ColumnInfoTypeDef) -> ColumnReader:
    """Return how to read one column of a result from its ``ColumnInfo``."""
    athena_type = base_type(column["Type"])
    if athena_type == "decimal":
        # Decimal keeps every digit. output.plain_value writes it as a JSON number when a
        # float represents it exactly.
        precision, scale = column.get("Precision"), column.get("Scale", 0)
        duckdb_type = f"DECIMAL({precision},{scale})" if precision else "DECIMAL"
        convert: Converter = _decimal
    else:
        duckdb_type, convert = _SCALARS.get(athena_type, ("VARCHAR", _text))
    return ColumnReader(
        name=column["Name"],
        athena_type=athena_type,
        duckdb_type=duckdb_type,
        convert=convert,
        keeps_empty_text=duckdb_type == "VARCHAR",
    )


def read_cell(reader: ColumnReader, datum: DatumTypeDef) -> Any:
    """Convert one cell. A Datum without ``VarCharValue`` is NULL.

    Raises ValueError when the text is invalid for the column's type.
    """
    text = datum.get("VarCharValue")
    if text is None:
        return None
    if text == "" and not reader.keeps_empty_text:
        # An empty cell of a non-text column can only be NULL.
        return None
    return reader.convert(text)


def read_row(readers: Sequence[ColumnReader], data: Sequence[DatumTypeDef]) -> tuple[Any, ...]:
    """Convert one row of Datums, raising ValueError that names the invalid column."""
    if len(data) != len(readers):
        raise ValueError(f"a row has {len(data)} cells for {len(readers)} columns")
    values = []
    for reader, datum in zip(readers, data, strict=True):
        try:
            values.append(read_cell(reader, datum))
        except ValueError as error:
            raise ValueError(
                f"column {reader.name!r} of type {reader.athena_type} contains the invalid "
                f"value {datum.get('VarCharValue')!r}: {error}"
            ) from error
    return tuple(values)
