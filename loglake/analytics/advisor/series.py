"""Time series for the findings' charts, from one scan of the invocations in the scope.

One query groups the invocations three ways per time bucket: by function version (cold
starts), by memory size (memory) and by function (billing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loglake.analytics.advisor.context import INIT_BILLED, SCOPE_FILTER, AdviceContext
from loglake.analytics.advisor.totals import (
    BY_FUNCTION,
    BY_MEMORY_SIZE,
    BY_VERSION,
    FunctionKey,
    MemoryKey,
    VersionKey,
)

SERIES_SQL = f"""
SELECT
    account,
    region,
    function_name,
    function_version,
    memory_size_mb,
    date_trunc($6, timestamp) AS bucket,
    GROUPING(function_version, memory_size_mb) AS grouping_id,
    count(*) AS invocations,
    count(*) FILTER (WHERE cold_start) AS cold_starts,
    quantile_disc(coalesce(init_duration_ms, restore_duration_ms), 0.95)
        FILTER (WHERE cold_start) AS init_p95_ms,
    coalesce(sum(coalesce(init_duration_ms, 0) + coalesce(restore_duration_ms, 0)), 0)
        AS wait_ms,
    max(max_memory_used_mb) AS max_used_mb,
    quantile_disc(max_memory_used_mb, 0.99) AS p99_used_mb,
    round(coalesce(sum(duration_ms), 0)) AS duration_ms,
    round(coalesce(sum(billed_duration_ms), 0)) AS billed_ms,
    round(coalesce(sum(init_duration_ms) FILTER (WHERE {INIT_BILLED}), 0)) AS billed_init_ms
FROM invocations
WHERE {SCOPE_FILTER}
GROUP BY GROUPING SETS (
    (account, region, function_name, function_version, bucket),
    (account, region, function_name, memory_size_mb, bucket),
    (account, region, function_name, bucket)
)
ORDER BY bucket
"""


@dataclass(slots=True)
class Series:
    """Chart rows in time order, keyed by function version, memory size or function."""

    by_version: dict[VersionKey, list[dict[str, Any]]] = field(default_factory=dict)
    by_memory_size: dict[MemoryKey, list[dict[str, Any]]] = field(default_factory=dict)
    by_function: dict[FunctionKey, list[dict[str, Any]]] = field(default_factory=dict)


def load_series(ctx: AdviceContext) -> Series:
    """Return the chart rows of every function in the scope, bucketed by ``ctx.bucket``."""
    series = Series()
    for row in ctx.query(SERIES_SQL, [ctx.bucket]):
        function: FunctionKey = (row["account"], row["region"], row["function_name"])
        grouping = row["grouping_id"]
        if grouping == BY_VERSION:
            init_p95 = row["init_p95_ms"]
            series.by_version.setdefault((*function, row["function_version"]), []).append(
                {
                    "bucket": row["bucket"],
                    "invocations": row["invocations"],
                    "cold_starts": row["cold_starts"],
                    "cold_start_rate": round(row["cold_starts"] / row["invocations"], 4),
                    "init_p95_ms": None if init_p95 is None else round(init_p95, 1),
                    "wait_ms": round(row["wait_ms"], 1),
                }
            )
        elif grouping == BY_MEMORY_SIZE and row["max_used_mb"] is not None:
            series.by_memory_size.setdefault((*function, row["memory_size_mb"]), []).append(
                {
                    "bucket": row["bucket"],
                    "max_used_mb": row["max_used_mb"],
                    "p99_used_mb": round(float(row["p99_used_mb"]), 1),
                    "memory_size_mb": row["memory_size_mb"],
                }
            )
        elif grouping == BY_FUNCTION:
            series.by_function.setdefault(function, []).append(
                {
                    "bucket": row["bucket"],
                    "duration_ms": row["duration_ms"],
                    "billed_ms": row["billed_ms"],
                    "billed_init_ms": row["billed_init_ms"],
                }
            )
    return series
