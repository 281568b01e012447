"""Concurrent executions of each function, hour by hour, from REPORT times and durations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from loglake.analytics.advisor.context import SCOPE_FILTER, AdviceContext
from loglake.analytics.advisor.totals import FunctionKey

# An invocation runs from its REPORT's timestamp minus its init, restore and handler time
# until the REPORT's timestamp. The running sum of +1 at each start and -1 at each end is
# the number of executions at that moment. At equal times ends count first, so two
# invocations that merely touch are not counted as concurrent.
HOURLY_LOAD_SQL = f"""
WITH runs AS (
    SELECT
        account,
        region,
        function_name,
        timestamp - to_milliseconds(
            coalesce(duration_ms, 0) + coalesce(init_duration_ms, 0)
            + coalesce(restore_duration_ms, 0)
        ) AS started,
        timestamp AS ended
    FROM invocations
    WHERE {SCOPE_FILTER}
),
edges AS (
    SELECT account, region, function_name, started AS edge_time, 1 AS delta FROM runs
    UNION ALL
    SELECT account, region, function_name, ended AS edge_time, -1 AS delta FROM runs
),
running AS (
    SELECT
        account,
        region,
        function_name,
        edge_time,
        sum(delta) OVER (
            PARTITION BY account, region, function_name
            ORDER BY edge_time, delta
            ROWS UNBOUNDED PRECEDING
        ) AS concurrent
    FROM edges
),
peaks AS (
    SELECT account, region, function_name, date_trunc('hour', edge_time) AS hour,
           max(concurrent) AS peak_concurrency
    FROM running
    GROUP BY ALL
),
counts AS (
    SELECT account, region, function_name, date_trunc('hour', ended) AS hour,
           count(*) AS invocations
    FROM runs
    GROUP BY ALL
)
SELECT
    peaks.account,
    peaks.region,
    peaks.function_name,
    peaks.hour,
    coalesce(counts.invocations, 0) AS invocations,
    peaks.peak_concurrency
FROM peaks
LEFT JOIN counts
    ON peaks.account IS NOT DISTINCT FROM counts.account
    AND peaks.region IS NOT DISTINCT FROM counts.region
    AND peaks.function_name = counts.function_name
    AND peaks.hour = counts.hour
ORDER BY peaks.account, peaks.region, peaks.function_name, peaks.hour
"""


@dataclass(frozen=True, slots=True)
class HourlyLoad:
    """One hour of one function: invocations that ended in it and the peak concurrency."""

    hour: datetime
    invocations: int
    peak_concurrency: int


def hourly_load(ctx: AdviceContext) -> dict[FunctionKey, list[HourlyLoad]]:
    """Return each function's hours in time order, with invocations and peak concurrency."""
    loads: dict[FunctionKey, list[HourlyLoad]] = {}
    for row in ctx.query(HOURLY_LOAD_SQL):
        key = (row["account"], row["region"], row["function_name"])
        loads.setdefault(key, []).append(
            HourlyLoad(row["hour"], int(row["invocations"]), int(row["peak_concurrency"]))
        )
    return loads


def peak_concurrency(hours: list[HourlyLoad]) -> int:
    """Return the highest concurrency over ``hours``, 0 for none."""
    return max((hour.peak_concurrency for hour in hours), default=0)
