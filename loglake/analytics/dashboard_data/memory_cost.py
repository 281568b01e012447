"""The memory and cost page: memory used against configured, headroom, out-of-memory kills,
billed GB-seconds and cost per function and memory size."""

from __future__ import annotations

from dataclasses import dataclass

from loglake.analytics.advisor.prices import Architecture, PriceTable
from loglake.analytics.dashboard_data.billing import BILLED_GB_SECONDS_SQL, price_usage
from loglake.analytics.dashboard_data.selection import Selection, result_from_dicts
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

MEMORY_COST_COLUMNS = [
    "function",
    "region",
    "memory size MB",
    "invocations",
    "max used MB",
    "p99 used MB",
    "p50 used MB",
    "headroom MB",
    "headroom %",
    "OOM kills",
    "billed GB-s",
    "USD per GB-s",
    "duration USD",
    "requests USD",
    "cost USD",
]

MEMORY_SQL = """
SELECT function_name, region, memory_size_mb,
       count(*) AS invocations,
       max(max_memory_used_mb) AS max_used,
       quantile_disc(max_memory_used_mb, [0.99, 0.5]) AS used_quantiles,
       count(*) FILTER (WHERE error_type = 'Runtime.OutOfMemory') AS oom_kills,
       {billed} AS billed_gb_seconds
FROM invocations
WHERE {condition} AND function_name IS NOT NULL
GROUP BY ALL
ORDER BY function_name, region, memory_size_mb
"""


@dataclass(frozen=True, slots=True)
class MemoryCost:
    """The page's table, its totals and the prices behind them."""

    rows: QueryResult
    total_gb_seconds: float
    total_usd: float
    architecture: Architecture
    prices_as_of: str
    prices_sources: tuple[str, ...]
    borrowed_regions: tuple[str, ...]
    """Regions the price table lacks prices for, priced with its default region's."""


def memory_and_cost(
    lake: Lake, selection: Selection, prices: PriceTable, architecture: Architecture
) -> MemoryCost:
    """Return one row per function, region and memory size with the columns of
    :data:`MEMORY_COST_COLUMNS`.

    Headroom is the memory size minus the maximum used, in MB and as a percentage of the
    size. An out-of-memory kill is a REPORT with error type ``Runtime.OutOfMemory``.
    """
    condition, parameters = selection.where()
    sql = MEMORY_SQL.format(condition=condition, billed=BILLED_GB_SECONDS_SQL)
    memory = run_select(lake, sql, parameters)
    rows = []
    borrowed: set[str] = set()
    total_gb_seconds = total_usd = 0.0
    for name, region, size_mb, invocations, max_used, quantiles, oom_kills, gb_s in memory.rows:
        usage = price_usage(name, region, size_mb, invocations, gb_s, prices, architecture)
        p99, p50 = quantiles if quantiles else (None, None)
        size = usage.memory_size_mb
        headroom = None if size is None or max_used is None else size - max_used
        total_gb_seconds += usage.billed_gb_seconds
        total_usd += usage.cost_usd
        if usage.prices.borrowed_from is not None:
            borrowed.add(usage.region or "(unknown)")
        rows.append(
            {
                "function": usage.function_name,
                "region": usage.region,
                "memory size MB": size,
                "invocations": usage.invocations,
                "max used MB": max_used,
                "p99 used MB": None if p99 is None else round(float(p99), 1),
                "p50 used MB": None if p50 is None else round(float(p50), 1),
                "headroom MB": headroom,
                "headroom %": (
                    None if headroom is None or not size else round(headroom * 100 / size, 1)
                ),
                "OOM kills": oom_kills,
                "billed GB-s": round(usage.billed_gb_seconds, 3),
                "USD per GB-s": usage.prices.duration_gb_second,
                "duration USD": round(usage.duration_usd, 6),
                "requests USD": round(usage.requests_usd, 6),
                "cost USD": round(usage.cost_usd, 6),
            }
        )
    return MemoryCost(
        rows=result_from_dicts(MEMORY_COST_COLUMNS, rows),
        total_gb_seconds=total_gb_seconds,
        total_usd=total_usd,
        architecture=architecture,
        prices_as_of=prices.as_of.isoformat(),
        prices_sources=prices.sources,
        borrowed_regions=tuple(sorted(borrowed)),
    )
