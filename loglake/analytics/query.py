"""Run CloudWatch Logs Insights queries over a lake."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import orjson

from loglake.analytics.insights import (
    DEFAULT_ROW_LIMIT,
    CompiledQuery,
    ParameterValue,
    QueryScope,
    compile_query,
)
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select


@dataclass(frozen=True, slots=True)
class InsightsResult:
    """The rows of an Insights query, and whether the row limit cut some off."""

    result: QueryResult
    truncated: bool
    compiled: CompiledQuery


def run_insights(
    lake: Lake,
    text: str,
    *,
    scope: QueryScope | None = None,
    parameters: Mapping[str, ParameterValue] | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
) -> InsightsResult:
    """Compile an Insights query and run it; JSON values come back as Python values.

    Raises ``InsightsError`` for query text that does not compile and ``QueryError`` when
    DuckDB rejects the statement (an invalid regular expression, say).
    """
    compiled = compile_query(text, scope, parameters, row_limit)
    result = run_select(lake, compiled.probe_sql)
    rows = result.rows
    truncated = not compiled.limited_by_query and len(rows) > compiled.row_limit
    if truncated:
        rows = rows[: compiled.row_limit]
    json_columns = [index for index, kind in enumerate(result.types) if kind == "JSON"]
    if json_columns:
        rows = [_decode_json(row, json_columns) for row in rows]
    return InsightsResult(
        result=QueryResult(columns=result.columns, types=result.types, rows=rows),
        truncated=truncated,
        compiled=compiled,
    )


def _decode_json(row: tuple[object, ...], columns: list[int]) -> tuple[object, ...]:
    values = list(row)
    for index in columns:
        value = values[index]
        if isinstance(value, str):
            decoded = orjson.loads(value)
            # Insights shows a boolean field as 1 or 0.
            values[index] = int(decoded) if isinstance(decoded, bool) else decoded
    return tuple(values)
