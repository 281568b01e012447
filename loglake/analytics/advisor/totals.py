"""Totals of the invocations in the scope, from one scan: per function, version and memory size.

The cold start findings read the totals per function version, the memory findings those
per memory size, and the others those per function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loglake.analytics.advisor.context import INIT_BILLED, SCOPE_FILTER, AdviceContext

FunctionKey = tuple[str | None, str | None, str]
"""A function as the lake identifies it: account, region and function name."""

VersionKey = tuple[str | None, str | None, str, str | None]
MemoryKey = tuple[str | None, str | None, str, int | None]

# GROUPING(function_version, memory_size_mb) sets a bit for each column a row is not
# grouped by: 1 for rows per version, 2 for rows per memory size, 3 for rows per function.
BY_VERSION, BY_MEMORY_SIZE, BY_FUNCTION = 1, 2, 3

TOTALS_SQL = f"""
SELECT
    account,
    region,
    function_name,
    function_version,
    memory_size_mb,
    GROUPING(function_version, memory_size_mb) AS grouping_id,
    count(*) AS invocations,
    count(*) FILTER (WHERE cold_start) AS cold_starts,
    count(restore_duration_ms) AS restores,
    count(init_duration_ms) AS inits,
    count(*) FILTER (WHERE {INIT_BILLED}) AS billed_inits,
    quantile_disc(coalesce(init_duration_ms, restore_duration_ms), [0.5, 0.95, 0.99])
        FILTER (WHERE cold_start) AS init_quantiles_ms,
    coalesce(sum(coalesce(init_duration_ms, 0) + coalesce(restore_duration_ms, 0)), 0)
        AS wait_ms,
    coalesce(sum(duration_ms), 0) AS duration_ms,
    coalesce(sum(billed_duration_ms), 0) AS billed_ms,
    coalesce(sum(init_duration_ms) FILTER (WHERE {INIT_BILLED}), 0) AS billed_init_ms,
    coalesce(sum(billed_duration_ms / 1000 * memory_size_mb / 1024), 0) AS billed_gb_seconds,
    coalesce(sum(init_duration_ms / 1000 * memory_size_mb / 1024)
        FILTER (WHERE {INIT_BILLED}), 0) AS billed_init_gb_seconds,
    quantile_disc(billed_duration_ms, 0.5) AS p50_billed_ms,
    quantile_disc(duration_ms, 0.99) FILTER (WHERE status = 'success') AS p99_success_ms,
    count(max_memory_used_mb) AS memory_reports,
    max(max_memory_used_mb) AS max_used_mb,
    quantile_disc(max_memory_used_mb, [0.5, 0.99]) AS used_quantiles_mb,
    quantile_disc(max_memory_used_mb, 0.99)
        FILTER (WHERE error_type IS DISTINCT FROM 'Runtime.OutOfMemory') AS p99_used_others_mb,
    arg_max(memory_size_mb, timestamp) AS last_memory_size_mb,
    min(timestamp) AS first_report,
    max(timestamp) AS last_report
FROM invocations
WHERE {SCOPE_FILTER}
GROUP BY GROUPING SETS (
    (account, region, function_name, function_version),
    (account, region, function_name, memory_size_mb),
    (account, region, function_name)
)
ORDER BY function_name, function_version, memory_size_mb
"""


@dataclass(slots=True)
class Totals:
    """Rows of :data:`TOTALS_SQL` as dicts, keyed three ways."""

    by_version: dict[VersionKey, dict[str, Any]] = field(default_factory=dict)
    by_memory_size: dict[MemoryKey, dict[str, Any]] = field(default_factory=dict)
    by_function: dict[FunctionKey, dict[str, Any]] = field(default_factory=dict)


def load_totals(ctx: AdviceContext) -> Totals:
    """Return the totals of every function in the scope."""
    totals = Totals()
    for row in ctx.query(TOTALS_SQL):
        function: FunctionKey = (row["account"], row["region"], row["function_name"])
        grouping = row["grouping_id"]
        if grouping == BY_VERSION:
            totals.by_version[(*function, row["function_version"])] = row
        elif grouping == BY_MEMORY_SIZE:
            totals.by_memory_size[(*function, row["memory_size_mb"])] = row
        else:
            totals.by_function[function] = row
    return totals


def monthly_compute_usd(ctx: AdviceContext, key: FunctionKey, row: dict[str, Any]) -> float:
    """Return the function's on-demand Lambda charge (duration and requests) per month."""
    prices = ctx.prices_for(key[1])
    return ctx.per_month(prices.compute_usd(row["billed_gb_seconds"], row["invocations"]))
