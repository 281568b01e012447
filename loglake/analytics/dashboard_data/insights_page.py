"""The query page: run an Insights query over the selection and find the column to chart."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from loglake.analytics.dashboard_data.selection import Selection
from loglake.analytics.insights import DEFAULT_ROW_LIMIT, ParameterValue, QueryScope
from loglake.analytics.insights.ast import FunctionCall, Stats
from loglake.analytics.insights.parser import parse_query
from loglake.analytics.lake import Lake
from loglake.analytics.query import InsightsResult, run_insights


def run_query(
    lake: Lake,
    text: str,
    selection: Selection,
    parameters: Mapping[str, ParameterValue] | None = None,
    *,
    row_limit: int = DEFAULT_ROW_LIMIT,
    now: datetime | None = None,
) -> InsightsResult:
    """Run Insights query text over the selection's time range and functions.

    Raises ``InsightsError`` for text that does not compile and ``QueryError`` when DuckDB
    rejects the statement, as ``loglake query`` does.
    """
    scope = QueryScope(
        start=selection.start, end=selection.end, functions=selection.functions, now=now
    )
    return run_insights(lake, text, scope=scope, parameters=parameters, row_limit=row_limit)


def bin_column(text: str, parameters: Mapping[str, ParameterValue] | None = None) -> str | None:
    """Return the output name of the ``bin()`` group of the query's last ``stats``, if any.

    ``stats count(*) by bin(5m)`` gives ``bin(5m)``; ``by bin(15m) as time`` gives ``time``.
    """
    query = parse_query(text, parameters)
    stats = [command for command in query.commands if isinstance(command, Stats)]
    if not stats:
        return None
    for group in stats[-1].groups:
        expression = group.expression
        if isinstance(expression, FunctionCall) and expression.name.lower() == "bin":
            return group.name
    return None
