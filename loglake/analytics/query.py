"""Run CloudWatch Logs Insights queries over a lake, with DuckDB or with Athena."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import orjson

from loglake.analytics.athena import AthenaRun, AthenaTarget, run_athena
from loglake.analytics.insights import (
    ATHENA,
    DEFAULT_ROW_LIMIT,
    AthenaDialect,
    CompiledQuery,
    ParameterValue,
    QueryScope,
    compile_query,
)
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

if TYPE_CHECKING:
    from mypy_boto3_athena import AthenaClient


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
    json_columns = [index for index, kind in enumerate(result.types) if kind == "JSON"]
    if json_columns:
        rows = [_decode_json(row, json_columns) for row in result.rows]
        result = QueryResult(columns=result.columns, types=result.types, rows=rows)
    return _limited(result, compiled)


@dataclass(frozen=True, slots=True)
class AthenaInsightsResult:
    """The rows of an Insights query that ran in Athena, and what Athena reported."""

    insights: InsightsResult
    run: AthenaRun


def run_insights_athena(
    target: AthenaTarget,
    text: str,
    *,
    scope: QueryScope | None = None,
    parameters: Mapping[str, ParameterValue] | None = None,
    row_limit: int = DEFAULT_ROW_LIMIT,
    dialect: AthenaDialect = ATHENA,
    client: AthenaClient | None = None,
) -> AthenaInsightsResult:
    """Compile an Insights query to Athena's SQL and run it in the target's workgroup.

    Raises ``InsightsError`` for query text that does not compile for Athena and
    ``AthenaError`` when Athena rejects or fails the statement. ``dialect`` contains the
    objects and hours that Athena skips, from ``read_compaction_state``.
    """
    compiled = compile_query(text, scope, parameters, row_limit, dialect=dialect)
    # The probe requests one row more than the limit, so no more rows are read.
    run = run_athena(compiled.probe_sql, target, client=client, max_rows=compiled.row_limit + 1)
    return AthenaInsightsResult(insights=_limited(run.result, compiled), run=run)


def _limited(result: QueryResult, compiled: CompiledQuery) -> InsightsResult:
    """Drop the probe's extra row and record whether there was one."""
    rows = result.rows
    truncated = not compiled.limited_by_query and len(rows) > compiled.row_limit
    if truncated:
        rows = rows[: compiled.row_limit]
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
