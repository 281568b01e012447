"""Per-function summary of a lake: invocations, errors, cold starts, duration and memory."""

from __future__ import annotations

from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

FUNCTION_SUMMARY_SQL = """
WITH reports AS (
    SELECT
        function_name,
        count(*) AS invocations,
        count(*) FILTER (WHERE cold_start) AS cold_starts,
        count(*) FILTER (WHERE status = 'timeout') AS timeouts,
        count(*) FILTER (WHERE error_type = 'Runtime.OutOfMemory') AS out_of_memory,
        round(quantile_disc(duration_ms, 0.95), 1) AS p95_duration_ms,
        max(max_memory_used_mb) AS max_memory_used_mb,
        max(memory_size_mb) AS memory_size_mb
    FROM invocations
    WHERE function_name IS NOT NULL
    GROUP BY function_name
),
failed_requests AS (
    -- An invocation counts as an error once, however many of its lines show one.
    SELECT function_name, count(DISTINCT request_id) AS errors
    FROM logs
    WHERE function_name IS NOT NULL
      AND request_id IS NOT NULL
      AND (status IN ('error', 'timeout') OR level IN ('ERROR', 'FATAL'))
    GROUP BY function_name
)
SELECT
    reports.function_name AS "function",
    invocations,
    coalesce(errors, 0) AS errors,
    cold_starts AS "cold starts",
    timeouts,
    out_of_memory AS "OOM kills",
    p95_duration_ms AS "p95 ms",
    format('{} / {}', max_memory_used_mb, memory_size_mb) AS "max used / size MB"
FROM reports
LEFT JOIN failed_requests USING (function_name)
ORDER BY function
"""


def function_summary(lake: Lake) -> QueryResult:
    """Return one row per function, from its REPORT lines and its error lines."""
    return run_select(lake, FUNCTION_SUMMARY_SQL)
