"""The traces page: latency distribution, faults and errors, slowest traces and root causes.

Traces are X-Ray trace summaries (the ``traces`` view, one copy per trace), selected by
their start time and by the Lambda function they enter.
"""

from __future__ import annotations

from dataclasses import dataclass

from loglake.analytics.dashboard_data.cold_starts import nice_width
from loglake.analytics.dashboard_data.selection import Selection
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

DEFAULT_SLOWEST = 20


@dataclass(frozen=True, slots=True)
class TraceTotals:
    """Counts and duration percentiles of the selected traces."""

    traces: int
    faults: int
    """Traces with a 5xx at the root."""
    errors: int
    """Traces with a 4xx at the root."""
    throttles: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None


def _where(selection: Selection) -> tuple[str, list[object]]:
    return selection.where(time_column="start_time")


def trace_totals(lake: Lake, selection: Selection) -> TraceTotals:
    """Return how many traces the selection has, how many failed, and their percentiles."""
    condition, parameters = _where(selection)
    result = run_select(
        lake,
        f"""
        SELECT count(*), count(*) FILTER (WHERE has_fault), count(*) FILTER (WHERE has_error),
               count(*) FILTER (WHERE has_throttle),
               quantile_disc(duration_ms, [0.5, 0.95, 0.99])
        FROM traces WHERE {condition}
        """,
        parameters,
    )
    traces, faults, errors, throttles, quantiles = result.rows[0]
    p50, p95, p99 = quantiles if quantiles else (None, None, None)
    return TraceTotals(
        traces=int(traces),
        faults=int(faults),
        errors=int(errors),
        throttles=int(throttles),
        p50_ms=None if p50 is None else round(float(p50), 1),
        p95_ms=None if p95 is None else round(float(p95), 1),
        p99_ms=None if p99 is None else round(float(p99), 1),
    )


def latency_histogram(lake: Lake, selection: Selection) -> QueryResult:
    """Return how many traces took each range of durations, split by outcome.

    ``outcome`` is ``fault``, ``error`` or ``ok``; each row is a bin
    ``[bin start ms, bin end ms)``.
    """
    condition, parameters = _where(selection)
    top = run_select(lake, f"SELECT max(duration_ms) FROM traces WHERE {condition}", parameters)
    highest = top.rows[0][0] if top.rows else None
    width = nice_width(float(highest or 0))
    return run_select(
        lake,
        f"""
        SELECT floor(duration_ms / ?) * ? AS "bin start ms",
               floor(duration_ms / ?) * ? + ? AS "bin end ms",
               CASE WHEN has_fault THEN 'fault' WHEN has_error THEN 'error' ELSE 'ok' END
                   AS outcome,
               count(*) AS traces
        FROM traces
        WHERE {condition} AND duration_ms IS NOT NULL
        GROUP BY ALL
        ORDER BY "bin start ms", outcome
        """,
        [width, width, width, width, width, *parameters],
    )


def slowest_traces(
    lake: Lake, selection: Selection, *, limit: int = DEFAULT_SLOWEST
) -> QueryResult:
    """Return the slowest traces, with their entry point, HTTP request and root cause."""
    condition, parameters = _where(selection)
    return run_select(
        lake,
        f"""
        SELECT trace_id AS "trace ID", start_time AS "start time", duration_ms AS "duration ms",
               function_name AS "function", entry_point AS "entry point",
               http_method AS "method", http_url AS "URL", http_status AS "status",
               has_fault AS fault, has_error AS error,
               root_cause_error_type AS "root cause"
        FROM traces
        WHERE {condition}
        ORDER BY duration_ms DESC NULLS LAST, trace_id
        LIMIT {int(limit)}
        """,
        parameters,
    )


def root_causes(lake: Lake, selection: Selection) -> QueryResult:
    """Return the root causes of failed traces: service and exception, with counts."""
    condition, parameters = _where(selection)
    return run_select(
        lake,
        f"""
        SELECT root_cause_service AS service, root_cause_error_type AS exception,
               count(*) AS traces,
               count(*) FILTER (WHERE has_fault) AS faults,
               count(*) FILTER (WHERE has_error) AS errors,
               arg_max(root_cause_message, start_time) AS "latest message",
               arg_max(trace_id, start_time) AS "latest trace ID"
        FROM traces
        WHERE {condition}
          AND (root_cause_service IS NOT NULL OR root_cause_error_type IS NOT NULL)
        GROUP BY ALL
        ORDER BY traces DESC, service, exception
        """,
        parameters,
    )
