"""Typed SQL expressions and SQL quoting.

Every piece of query text reaches SQL through ``sql_string`` (a quoted literal) or
``sql_identifier`` (a quoted name); numbers are rendered from parsed Python numbers. No
other query text is ever copied into the SQL. The conversions between Insights types
depend on the engine and live in ``dialects``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The Insights type of a value, which decides how it converts."""

    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    TIMESTAMP = "timestamp"
    JSON = "json"
    """A structured field of unknown type: a JSON value, converted where it is used."""
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


NULL = Value("NULL", Kind.NULL)


def as_column(value: Value, sql: str) -> Value:
    """Return the value as it reads once materialised in a column named by ``sql``."""
    return Value(
        sql=sql, kind=value.kind, row_level=True, stable=True, numeric_text=value.numeric_text
    )
