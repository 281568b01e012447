"""A compiler from the CloudWatch Logs Insights query language to SQL.

The phases: ``lexer`` scans tokens with their line and column, ``parser`` builds the
syntax tree of ``ast``, and ``generator`` writes one SELECT over the lake's ``logs`` table
in a dialect of ``dialects``: DuckDB's for the local lake, Athena's for the Glue tables.
"""

from __future__ import annotations

from collections.abc import Mapping

from loglake.analytics.insights.dialects import (
    ATHENA,
    DUCKDB,
    AthenaDialect,
    CompactionState,
    Dialect,
)
from loglake.analytics.insights.errors import InsightsError, InsightsSyntaxError, Position
from loglake.analytics.insights.generator import (
    DEFAULT_ROW_LIMIT,
    CompiledQuery,
    Generator,
    QueryScope,
)
from loglake.analytics.insights.parser import ParameterValue, parse_query


def compile_query(
    text: str,
    scope: QueryScope | None = None,
    parameters: Mapping[str, ParameterValue] | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
    dialect: Dialect = DUCKDB,
) -> CompiledQuery:
    """Compile Insights query text into one SELECT over the lake, in the given dialect.

    Raises ``InsightsError`` (a ``ValueError``) with the line and column of the problem for
    any text it cannot compile, and no other exception.
    """
    if row_limit < 1:
        raise ValueError(f"row limit {row_limit} is invalid: use 1 or more")
    try:
        query = parse_query(text, parameters)
        generator = Generator(query, scope or QueryScope(), row_limit, len(text), dialect)
        return generator.generate()
    except InsightsError as error:
        raise error.with_text(text) from None


__all__ = [
    "ATHENA",
    "DEFAULT_ROW_LIMIT",
    "DUCKDB",
    "AthenaDialect",
    "CompactionState",
    "CompiledQuery",
    "Dialect",
    "InsightsError",
    "InsightsSyntaxError",
    "ParameterValue",
    "Position",
    "QueryScope",
    "compile_query",
]
