"""Ready-made per-function checks: error rate, cold starts, p99 duration, timeouts, OOM kills."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial

from loglake.analytics.alerts.model import FunctionCheck, FunctionHealthCheck
from loglake.analytics.alerts.notification import MAX_SAMPLES, Sample
from loglake.analytics.alerts.observation import (
    Observation,
    Window,
    samples_from_rows,
    shell_command,
)
from loglake.analytics.alerts.snapshot import partition_range_sql
from loglake.analytics.lake import Lake
from loglake.analytics.patterns import sql_literal
from loglake.analytics.sql import run_select

VALUE_SQL: Mapping[FunctionCheck, str] = {
    "error_rate": "count(*) FILTER (WHERE status IN ('error', 'timeout')) / count(*)",
    "cold_start_rate": "count(*) FILTER (WHERE cold_start) / count(*)",
    "p99_duration": "quantile_disc(duration_ms, 0.99)",
    "timeout": "count(*) FILTER (WHERE status = 'timeout')",
    "out_of_memory": "count(*) FILTER (WHERE error_type = 'Runtime.OutOfMemory')",
}
"""Each check's value per function over the REPORT rows of the window."""

_BY_TIME = "timestamp, log_stream, event_id"

SAMPLE_SQL: Mapping[FunctionCheck, tuple[str, str]] = {
    "error_rate": ("status IN ('error', 'timeout')", _BY_TIME),
    "cold_start_rate": ("cold_start", _BY_TIME),
    "p99_duration": ("duration_ms IS NOT NULL", f"duration_ms DESC, {_BY_TIME}"),
    "timeout": ("status = 'timeout'", _BY_TIME),
    "out_of_memory": ("error_type = 'Runtime.OutOfMemory'", _BY_TIME),
}
"""Condition and order of the evaluated rows that become samples: the failures, the cold
starts, the slowest invocations."""

_COUNT_CHECKS = ("timeout", "out_of_memory")


def value_sql(check: FunctionHealthCheck, window: Window) -> str:
    """Return the SELECT of each function's invocations and value in the window."""
    conditions = [partition_range_sql(window.start, window.end)]
    if check.functions:
        names = ", ".join(sql_literal(name) for name in check.functions)
        conditions.append(f"function_name IN ({names})")
    return (
        f"SELECT function_name, count(*) AS invocations, {VALUE_SQL[check.check]} AS value "
        f"FROM invocations WHERE {' AND '.join(conditions)} "
        "GROUP BY function_name ORDER BY function_name"
    )


def evaluate_function_check(
    lake: Lake, check: FunctionHealthCheck, window: Window
) -> list[Observation]:
    """Return one observation per function: its value, or no data below min_invocations."""
    sql = value_sql(check, window)
    result = run_select(lake, sql)
    reproduce_text = reproduce(lake.url, check, window)

    observations: dict[str, Observation] = {}
    for function, invocations, value in result.rows:
        if function is None:
            continue
        enough = invocations >= check.min_invocations or check.check in _COUNT_CHECKS
        observations[function] = Observation(
            labels={"function": function},
            value=float(value) if enough and value is not None else None,
            reproduce=reproduce_text,
            load_samples=partial(function_samples, lake, check, window, function),
            details={"invocations": invocations},
        )
    for function in check.functions:
        if function not in observations:
            observations[function] = Observation(
                labels={"function": function},
                value=0.0 if check.check in _COUNT_CHECKS else None,
                reproduce=reproduce_text,
                details={"invocations": 0},
            )
    return [observations[name] for name in sorted(observations)]


def reproduce(lake_url: str, check: FunctionHealthCheck, window: Window) -> str:
    """Return the ``loglake sql`` command that prints each function's value in the window."""
    return shell_command("loglake", "sql", "--lake", lake_url, value_sql(check, window))


def function_samples(
    lake: Lake, check: FunctionHealthCheck, window: Window, function: str
) -> tuple[Sample, ...]:
    """Return up to five of the function's evaluated REPORT rows that explain its value."""
    condition, order = SAMPLE_SQL[check.check]
    conditions = [
        partition_range_sql(window.start, window.end),
        condition,
        f"function_name = {sql_literal(function)}",
    ]
    # The invocations view is the REPORT rows of logs, which also have the line's text.
    sql = (
        "SELECT timestamp, function_name, request_id, message "
        f"FROM logs WHERE type = 'REPORT' AND {' AND '.join(conditions)} "
        f"ORDER BY {order} LIMIT {MAX_SAMPLES}"
    )
    return samples_from_rows(run_select(lake, sql).rows)
