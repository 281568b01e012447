"""A compiler from the CloudWatch Logs Insights query language to DuckDB SQL.

The phases: ``lexer`` scans tokens with their line and column, ``parser`` builds the
syntax tree of ``ast``, and ``generator`` writes one SELECT over the lake's ``logs`` view.
"""

from __future__ import annotations

from collections.abc import Mapping

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
) -> CompiledQuery:
    """Compile Insights query text into one DuckDB SELECT over the lake's views.

    Raises ``InsightsError`` (a ``ValueError``) with the line and column of the problem for
    any text it cannot compile, and no other exception.
    """
    if row_limit < 1:
        raise ValueError(f"row limit {row_limit} is invalid: use 1 or more")
    try:
        query = parse_query(text, parameters)
        return Generator(query, scope or QueryScope(), row_limit, len(text)).generate()
    except InsightsError as error:
        raise error.with_text(text) from None


__all__ = [
    "DEFAULT_ROW_LIMIT",
    "CompiledQuery",
    "InsightsError",
    "InsightsSyntaxError",
    "ParameterValue",
    "Position",
    "QueryScope",
    "compile_query",
]
