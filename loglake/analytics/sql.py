"""Run read-only SQL over a lake: one SELECT statement, with bound parameters."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import orjson

from loglake.analytics.lake import Lake


class QueryError(ValueError):
    """SQL that loglake will not run, or that DuckDB rejected."""


ALLOWED_TABLE_FUNCTIONS = frozenset(
    {"range", "generate_series", "unnest", "json_each", "json_tree"}
)
"""Table functions a query may call: they compute rows and read no files.

The sandbox already keeps DuckDB inside the lake's folder or prefix. But DuckDB checks an
S3 path as written and resolves ``..`` only after the check, so queries read the lake
through its views and never name files themselves.
"""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a query with their column names and DuckDB type names."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def run_select(lake: Lake, sql: str, parameters: Sequence[Any] = ()) -> QueryResult:
    """Run one SELECT statement that reads the lake through its views, with bound parameters."""
    try:
        statements = lake.connection.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(str(error)) from error

    if len(statements) != 1:
        raise QueryError(f"expected exactly one SQL statement, found {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryError(
            f"only SELECT statements are allowed; this one is {statements[0].type.name}"
        )
    _check_sources(lake, sql)

    try:
        cursor = lake.connection.execute(sql, list(parameters))
    except duckdb.Error as error:
        raise QueryError(str(error)) from error

    description = cursor.description or []
    return QueryResult(
        columns=[column[0] for column in description],
        types=[str(column[1]) for column in description],
        rows=cursor.fetchall(),
    )


def _check_sources(lake: Lake, sql: str) -> None:
    """Reject a query that reads files directly, by table function or by a quoted path."""
    serialized = lake.connection.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
    tree = orjson.loads(serialized[0]) if serialized else {"error": True}
    if tree.get("error"):
        # PRAGMA parses as a SELECT but cannot be serialised, and a statement whose sources
        # cannot be checked does not run.
        raise QueryError(
            "only plain SELECT statements are allowed, and this one could not be checked: "
            f"{tree.get('error_message', 'DuckDB could not serialise it')}"
        )
    for node in _nodes(tree):
        kind = node.get("type")
        if kind == "TABLE_FUNCTION":
            name = str(node.get("function", {}).get("function_name", ""))
            if name.lower() not in ALLOWED_TABLE_FUNCTIONS:
                raise QueryError(
                    f"table function {name}() is not allowed: query the views logs, "
                    "invocations, traces and segments, which already read the lake"
                )
        elif kind == "BASE_TABLE":
            table = str(node.get("table_name", ""))
            if any(character in table for character in "./\\:"):
                raise QueryError(
                    f"reading the file {table!r} directly is not allowed: query the views "
                    "logs, invocations, traces and segments, which already read the lake"
                )


def _nodes(tree: Any) -> Iterator[dict[str, Any]]:
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            yield node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
