"""The overview page: one row per function, and invocations, errors and cold starts over time."""

from __future__ import annotations

from collections import defaultdict

from loglake.analytics.advisor.prices import Architecture, PriceTable
from loglake.analytics.dashboard_data.billing import BILLED_GB_SECONDS_SQL, price_usage
from loglake.analytics.dashboard_data.selection import Selection, bucket_sql, result_from_dicts
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

OVERVIEW_COLUMNS = [
    "function",
    "invocations",
    "errors",
    "error rate %",
    "cold starts",
    "cold-start rate %",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max memory used MB",
    "memory size MB",
    "max memory used %",
    "billed GB-s",
    "cost USD",
]

# An error is an invocation whose REPORT status is error or timeout, as Lambda's Errors
# metric counts them: out-of-memory kills included, and lines that a handler logged at
# ERROR level but recovered from left out. One scan gives the rows per function and the
# billed GB-seconds per function, region and memory size that the cost needs.
FUNCTION_ROWS_SQL = """
SELECT
    function_name,
    region,
    memory_size_mb,
    GROUPING(region, memory_size_mb) = 0 AS billing_row,
    count(*) AS invocations,
    count(*) FILTER (WHERE status IN ('error', 'timeout')) AS errors,
    count(*) FILTER (WHERE cold_start) AS cold_starts,
    quantile_disc(duration_ms, [0.5, 0.95, 0.99]) AS duration_quantiles,
    max(max_memory_used_mb) AS max_memory_used_mb,
    arg_max(memory_size_mb, timestamp) AS latest_memory_size_mb,
    max(max_memory_used_mb * 100.0 / memory_size_mb) AS max_memory_used_pct,
    {billed} AS billed_gb_seconds
FROM invocations
WHERE {condition} AND function_name IS NOT NULL
GROUP BY GROUPING SETS ((function_name), (function_name, region, memory_size_mb))
ORDER BY function_name, region, memory_size_mb
"""


def function_overview(
    lake: Lake, selection: Selection, prices: PriceTable, architecture: Architecture
) -> QueryResult:
    """Return one row per function with the columns of :data:`OVERVIEW_COLUMNS`.

    Rates are percentages of invocations. ``memory size MB`` is the size of the function's
    latest invocation, and ``max memory used %`` the highest share of its own memory size
    that any invocation used. Cost is the on-demand charge for duration and requests at
    the prices of each invocation's region.
    """
    condition, parameters = selection.where()
    sql = FUNCTION_ROWS_SQL.format(condition=condition, billed=BILLED_GB_SECONDS_SQL)
    result = run_select(lake, sql, parameters)
    records = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    gb_seconds: dict[str, float] = defaultdict(float)
    cost: dict[str, float] = defaultdict(float)
    for record in records:
        if record["billing_row"]:
            usage = price_usage(
                record["function_name"],
                record["region"],
                record["memory_size_mb"],
                record["invocations"],
                record["billed_gb_seconds"],
                prices,
                architecture,
            )
            gb_seconds[usage.function_name] += usage.billed_gb_seconds
            cost[usage.function_name] += usage.cost_usd

    rows = []
    for record in records:
        if record["billing_row"]:
            continue
        name, invocations = record["function_name"], record["invocations"]
        p50, p95, p99 = record["duration_quantiles"] or (None, None, None)
        rows.append(
            {
                "function": name,
                "invocations": invocations,
                "errors": record["errors"],
                "error rate %": _percent(record["errors"], invocations),
                "cold starts": record["cold_starts"],
                "cold-start rate %": _percent(record["cold_starts"], invocations),
                "p50 ms": _round(p50, 1),
                "p95 ms": _round(p95, 1),
                "p99 ms": _round(p99, 1),
                "max memory used MB": record["max_memory_used_mb"],
                "memory size MB": record["latest_memory_size_mb"],
                "max memory used %": _round(record["max_memory_used_pct"], 1),
                "billed GB-s": round(gb_seconds[name], 3),
                "cost USD": round(cost[name], 6),
            }
        )
    return result_from_dicts(OVERVIEW_COLUMNS, rows)


ACTIVITY_COLUMNS = ["time", "function", "invocations", "errors", "cold starts"]


def activity_over_time(lake: Lake, selection: Selection) -> QueryResult:
    """Return invocations, errors and cold starts per time bucket and function.

    ``time`` is the bucket's start in UTC; buckets without invocations have no row.
    """
    condition, parameters = selection.where()
    return run_select(
        lake,
        f"""
        SELECT {bucket_sql(selection)} AS "time",
               function_name AS "function",
               count(*) AS invocations,
               count(*) FILTER (WHERE status IN ('error', 'timeout')) AS errors,
               count(*) FILTER (WHERE cold_start) AS "cold starts"
        FROM invocations
        WHERE {condition} AND function_name IS NOT NULL
        GROUP BY ALL
        ORDER BY "time", "function"
        """,
        parameters,
    )


def _percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)
