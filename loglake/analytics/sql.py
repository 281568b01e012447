"""Run read-only SQL over a lake: one SELECT statement, with bound parameters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from loglake.analytics.lake import Lake


class QueryError(ValueError):
    """SQL that loglake will not run, or that DuckDB rejected."""


@dataclass(frozen=True, slots=True)
class QueryResult:
    """Rows of a query with their column names and DuckDB type names."""

    columns: list[str]
    types: list[str]
    rows: list[tuple[Any, ...]]


def run_select(lake: Lake, sql: str, parameters: Sequence[Any] = ()) -> QueryResult:
    """Run one SELECT statement (WITH, VALUES, SUMMARIZE and DESCRIBE count as SELECT)."""
    try:
        statements = lake.connection.extract_statements(sql)
    except duckdb.Error as error:
        raise QueryError(str(error)) from error

    if len(statements) != 1:
        raise QueryError(f"expected exactly one SQL statement, found {len(statements)}")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise QueryError(
            f"only SELECT statements are allowed; this is a {statements[0].type.name} statement"
        )

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
