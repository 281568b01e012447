"""Query rules: a Logs Insights query over the window and a test on one of its columns.

Each result row is one alert, labelled by the query's ``stats ... by`` groups. Samples come
from the rows the ``stats`` command aggregated: the query's commands before it, over the
same window, narrowed to the row's group where the group is a plain field.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import orjson
import structlog

from loglake.analytics.alerts.model import QueryCheck
from loglake.analytics.alerts.notification import Sample
from loglake.analytics.alerts.observation import (
    Observation,
    Window,
    samples_from_rows,
    shell_command,
    time_text,
)
from loglake.analytics.insights import InsightsError, QueryScope, ast
from loglake.analytics.insights.parser import parse_query
from loglake.analytics.lake import Lake
from loglake.analytics.query import run_insights
from loglake.analytics.saved_queries import format_value
from loglake.analytics.sql import QueryError

ROW_LIMIT = 1_000
"""Result rows (alerts) one evaluation of a query rule reads."""
_SAMPLE_FIELDS = "@timestamp, @function, @requestId, @message"


class QueryRuleError(ValueError):
    """A query rule whose result cannot be evaluated, such as a missing value column."""


def evaluate_query_check(lake: Lake, check: QueryCheck, window: Window) -> list[Observation]:
    """Run the query over the window; return one observation per result row."""
    scope = QueryScope(start=window.start, end=window.end, now=window.at)
    result = run_insights(
        lake, check.insights, scope=scope, parameters=check.parameters, row_limit=ROW_LIMIT
    ).result
    if check.value_column not in result.columns:
        raise QueryRuleError(
            f"the query has no column {check.value_column!r} for 'value': its columns are "
            f"{', '.join(result.columns)}"
        )
    value_index = result.columns.index(check.value_column)
    groups = _stats_groups(check)
    group_indexes = [
        (name, result.columns.index(name)) for name in groups if name in result.columns
    ]
    reproduce_text = reproduce(lake.url, check, window)

    observations = []
    for row in result.rows:
        labels = {_label(name): _text(row[index]) for name, index in group_indexes}
        value = row[value_index]
        if value is not None and not isinstance(value, int | float):
            raise QueryRuleError(
                f"the value column {check.value_column!r} is {value!r}, not a number: choose a "
                "numeric column for 'value'"
            )
        group_values = {name: row[index] for name, index in group_indexes}
        observations.append(
            Observation(
                labels=labels,
                value=None if value is None else float(value),
                reproduce=reproduce_text,
                load_samples=partial(query_samples, lake, check, scope, group_values),
            )
        )
    return observations


def _stats_groups(check: QueryCheck) -> list[str]:
    query = parse_query(check.insights, check.parameters)
    stats = [command for command in query.commands if isinstance(command, ast.Stats)]
    if not stats:
        return []
    return [item.name for item in stats[-1].groups]


def query_samples(
    lake: Lake, check: QueryCheck, scope: QueryScope, group_values: dict[str, Any]
) -> tuple[Sample, ...]:
    """Return up to five rows that the first ``stats`` aggregated, for one result row.

    The sample query is the text before ``stats``, narrowed to the row's groups. A query
    whose first part cannot take the added commands has no samples.
    """
    query = parse_query(check.insights, check.parameters)
    stats = next((c for c in query.commands if isinstance(c, ast.Stats)), None)
    prefix = check.insights if stats is None else check.insights[: stats.position.offset]
    prefix = prefix.rstrip().rstrip("|").rstrip()

    filters = []
    if stats is not None:
        for item in stats.groups:
            if isinstance(item.expression, ast.FieldReference) and item.name in group_values:
                filters.append(_equals(item.expression.source, group_values[item.name]))
    commands = [prefix] if prefix else []
    commands += [f"filter {condition}" for condition in filters]
    commands += [f"fields {_SAMPLE_FIELDS}", "sort @timestamp asc", "limit 5"]
    text = "\n| ".join(commands)
    try:
        result = run_insights(lake, text, scope=scope, parameters=check.parameters).result
    except (InsightsError, QueryError) as error:
        _logger().warning("samples_failed", query=text, error=str(error))
        return ()
    indexes = [result.columns.index(name) for name in _SAMPLE_FIELDS.split(", ")]
    rows = [tuple(row[index] for index in indexes) for row in result.rows]
    return samples_from_rows(rows)


def _equals(field_source: str, value: Any) -> str:
    if value is None:
        return f"ispresent({field_source}) = 0"
    if isinstance(value, bool):
        return f"{field_source} = {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"{field_source} = {format_value(value)}"
    return f"{field_source} = {orjson.dumps(str(value)).decode()}"


def _label(name: str) -> str:
    return "function" if name in ("@function", "function_name") else name.lstrip("@")


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def reproduce(lake_url: str, check: QueryCheck, window: Window) -> str:
    """Return the ``loglake query`` command that prints the query's result for the window."""
    words = ["loglake", "query"]
    if check.saved_query is not None:
        words.append(check.saved_query)
        for name, value in check.parameters.items():
            text = value if isinstance(value, str) else format_value(value)
            words += ["--param", f"{name}={text}"]
    else:
        words.append(check.insights.strip())
    words += [
        "--lake",
        lake_url,
        "--start",
        time_text(window.start),
        "--end",
        time_text(window.end),
    ]
    return shell_command(*words)


def _logger() -> structlog.typing.FilteringBoundLogger:
    # A logger per call: a module-level one would keep the output stream of the first
    # configure_logging call, which tests and reused Lambda environments replace.
    return structlog.get_logger("loglake.alerts")  # type: ignore[no-any-return]
