"""Typed SQL expressions, the conversions between Insights types, and SQL quoting.

Every piece of query text reaches SQL through ``sql_string`` (a quoted literal) or
``sql_identifier`` (a quoted name); numbers are rendered from parsed Python numbers. No
other query text is ever copied into the SQL.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The Insights type of a value, which decides how it converts."""

    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    JSON = "json"
    """A structured field of unknown type: a DuckDB JSON value, converted where it is used."""
    LIST = "list"
    NULL = "null"


@dataclass(frozen=True, slots=True)
class Value:
    """A SQL expression with its Insights type.

    ``aggregate`` marks an expression that contains an aggregate function, ``row_level`` one
    that reads a row's field outside any aggregate, and ``stable`` one that every
    pass-through of the row (``SELECT *``) keeps valid: a column or a path inside one.
    """

    sql: str
    kind: Kind
    aggregate: bool = False
    row_level: bool = False
    stable: bool = False
    text_sql: str | None = None
    """A cheaper SQL expression for the value as text, when one exists."""
    numeric_text: bool = False
    """Text that may hold numbers (a parse capture), which sorts in natural order."""

    def derived(self, sql: str, kind: Kind, *parts: Value) -> Value:
        """Return a new value computed from this one and others."""
        return combine(sql, kind, self, *parts)


def combine(sql: str, kind: Kind, *parts: Value) -> Value:
    """Return a value computed from parts, inheriting their aggregate and row flags."""
    return Value(
        sql=sql,
        kind=kind,
        aggregate=any(part.aggregate for part in parts),
        row_level=any(part.row_level for part in parts),
    )


def sql_string(text: str) -> str:
    """Return text as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """Return a name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_number(number: int | float) -> str:
    """Return a number as a SQL literal; floats keep a decimal point so they stay DOUBLE."""
    if isinstance(number, bool):
        return "1" if number else "0"
    if isinstance(number, int) and -(2**63) <= number < 2**63:
        return str(number)
    number = float(number)
    if not math.isfinite(number):
        raise ValueError(f"{number} is not a finite number")
    # DuckDB reads 2.5 as a DECIMAL; Insights numbers are doubles.
    return f"{number!r}::DOUBLE"


def literal(value: str | int | float | bool) -> Value:
    """Return a constant as a typed value."""
    if isinstance(value, bool):
        return Value("true" if value else "false", Kind.BOOLEAN)
    if isinstance(value, int | float):
        return Value(sql_number(value), Kind.NUMBER)
    return Value(sql_string(value), Kind.STRING)


NULL = Value("NULL", Kind.NULL)


def as_number(value: Value) -> str:
    """Return SQL for the value as a DOUBLE; text that is not a number becomes NULL."""
    match value.kind:
        case Kind.NUMBER:
            return value.sql
        case Kind.BOOLEAN:
            return f"CAST({value.sql} AS INTEGER)"
        case Kind.TIMESTAMP:
            return f"epoch_ms({value.sql})"
        case Kind.NULL:
            return "CAST(NULL AS DOUBLE)"
        case Kind.JSON:
            # JSON true and false count as 1 and 0, as Insights counts them.
            text = as_text(value)
            return (
                f"TRY_CAST(CASE {text} WHEN 'true' THEN '1' WHEN 'false' THEN '0' "
                f"ELSE {text} END AS DOUBLE)"
            )
        case _:
            return f"TRY_CAST({as_text(value)} AS DOUBLE)"


def as_text(value: Value) -> str:
    """Return SQL for the value as VARCHAR, in the form Insights shows it."""
    match value.kind:
        case Kind.STRING:
            return value.sql
        case Kind.JSON:
            return value.text_sql or f"json_extract_string({value.sql}, '$')"
        case Kind.NUMBER:
            # 27.0 shows as 27, as Insights shows whole numbers.
            return f"regexp_replace(CAST({value.sql} AS VARCHAR), '\\.0$', '')"
        case Kind.BOOLEAN:
            return f"CAST(CAST({value.sql} AS INTEGER) AS VARCHAR)"
        case Kind.TIMESTAMP:
            return f"strftime({value.sql}, '%Y-%m-%d %H:%M:%S.%g')"
        case Kind.NULL:
            return "CAST(NULL AS VARCHAR)"
        case _:
            return f"CAST({value.sql} AS VARCHAR)"


def as_boolean(value: Value) -> str:
    """Return SQL for the value as a condition: numbers are true when not 0."""
    match value.kind:
        case Kind.BOOLEAN:
            return value.sql
        case Kind.NUMBER:
            return f"({value.sql} <> 0)"
        case Kind.NULL:
            return "CAST(NULL AS BOOLEAN)"
        case Kind.TIMESTAMP | Kind.LIST:
            return f"({value.sql} IS NOT NULL)"
        case _:
            text = as_text(value)
            return f"(TRY_CAST({text} AS DOUBLE) <> 0 OR lower({text}) = 'true')"


def as_timestamp(value: Value) -> str:
    """Return SQL for the value as TIMESTAMP WITH TIME ZONE; numbers are epoch milliseconds."""
    match value.kind:
        case Kind.TIMESTAMP:
            return value.sql
        case Kind.NUMBER | Kind.BOOLEAN:
            return f"make_timestamptz(CAST({as_number(value)} * 1000 AS BIGINT))"
        case Kind.NULL:
            return "CAST(NULL AS TIMESTAMPTZ)"
        case _:
            text = as_text(value)
            return (
                f"coalesce(TRY_CAST({text} AS TIMESTAMPTZ), "
                f"make_timestamptz(CAST(TRY_CAST({text} AS DOUBLE) * 1000 AS BIGINT)))"
            )


def as_output(value: Value) -> str:
    """Return SQL for the value as an output column: booleans show as 1 and 0."""
    if value.kind is Kind.BOOLEAN:
        return f"CAST({value.sql} AS INTEGER)"
    return value.sql


def as_json(value: Value) -> str:
    """Return SQL for the value as JSON, so values of mixed types fit one column."""
    if value.kind is Kind.JSON:
        return value.sql
    if value.kind is Kind.BOOLEAN:
        return f"to_json(CAST({value.sql} AS INTEGER))"
    if value.kind is Kind.TIMESTAMP:
        return f"to_json({as_text(value)})"
    return f"to_json({value.sql})"


def as_column(value: Value, sql: str) -> Value:
    """Return the value as it reads once materialised in a column named by ``sql``."""
    return Value(
        sql=sql, kind=value.kind, row_level=True, stable=True, numeric_text=value.numeric_text
    )
