"""The cold starts page: the cold-start rate over time, per function, version and runtime, and
the distribution of init durations.

A cold start is a REPORT with ``cold_start``: an init phase (Init Duration) or a SnapStart
restore (Restore Duration), whose duration is the one these functions measure.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

from loglake.analytics.dashboard_data.selection import Selection, bucket_sql, result_from_dicts
from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select

GroupBy = Literal["function", "version", "runtime"]
GROUP_BYS: tuple[GroupBy, ...] = get_args(GroupBy)

_GROUP_SQL: dict[GroupBy, str] = {
    "function": "reports.function_name",
    "version": "reports.function_name || ' ' || coalesce(reports.function_version, '?')",
    "runtime": "coalesce(runtimes.runtime_version, 'unknown')",
}

INIT_MS_SQL = "coalesce(init_duration_ms, restore_duration_ms)"

# The text format's INIT_START and RESTORE_START lines carry runtime_version; Lambda's JSON
# format carries it as record.runtimeVersion of platform.initStart. A function version's
# runtime is the one its latest init phase in the range named.
_REPORTS_AND_RUNTIMES = """
WITH reports AS (
    SELECT timestamp, function_name, function_version, cold_start,
           {init_ms} AS init_ms
    FROM invocations
    WHERE {condition} AND function_name IS NOT NULL
),
runtimes AS (
    SELECT function_name, function_version,
           arg_max(coalesce(fields->>'runtime_version', fields->'record'->>'runtimeVersion'),
                   timestamp) AS runtime_version
    FROM logs
    WHERE {condition} AND function_name IS NOT NULL
      AND type IN ('INIT_START', 'RESTORE_START', 'PLATFORM')
      AND coalesce(fields->>'runtime_version', fields->'record'->>'runtimeVersion') IS NOT NULL
    GROUP BY ALL
)
"""

BREAKDOWN_COLUMNS = [
    "function",
    "version",
    "runtime",
    "invocations",
    "cold starts",
    "cold-start rate %",
    "init p50 ms",
    "init p95 ms",
    "init p99 ms",
    "init max ms",
]


def _with_clause(selection: Selection) -> tuple[str, list[object]]:
    condition, parameters = selection.where()
    sql = _REPORTS_AND_RUNTIMES.format(init_ms=INIT_MS_SQL, condition=condition)
    return sql, [*parameters, *parameters]


def cold_start_breakdown(lake: Lake, selection: Selection) -> QueryResult:
    """Return cold starts and init duration percentiles per function version and runtime."""
    with_clause, parameters = _with_clause(selection)
    result = run_select(
        lake,
        with_clause
        + """
        SELECT reports.function_name, reports.function_version, runtimes.runtime_version,
               count(*) AS invocations,
               count(*) FILTER (WHERE cold_start) AS cold_starts,
               quantile_disc(init_ms, [0.5, 0.95, 0.99]) FILTER (WHERE cold_start) AS init_q,
               max(init_ms) FILTER (WHERE cold_start) AS init_max
        FROM reports
        LEFT JOIN runtimes USING (function_name, function_version)
        GROUP BY ALL
        ORDER BY reports.function_name, reports.function_version
        """,
        parameters,
    )
    rows = []
    for name, version, runtime, invocations, cold, quantiles, init_max in result.rows:
        p50, p95, p99 = quantiles if quantiles else (None, None, None)
        rows.append(
            {
                "function": name,
                "version": version,
                "runtime": runtime,
                "invocations": invocations,
                "cold starts": cold,
                "cold-start rate %": round(cold * 100 / invocations, 2) if invocations else 0.0,
                "init p50 ms": _round(p50),
                "init p95 ms": _round(p95),
                "init p99 ms": _round(p99),
                "init max ms": _round(init_max),
            }
        )
    return result_from_dicts(BREAKDOWN_COLUMNS, rows)


def cold_start_rate_over_time(
    lake: Lake, selection: Selection, group_by: GroupBy = "function"
) -> QueryResult:
    """Return invocations, cold starts and the cold-start rate (%) per bucket and group.

    ``group`` is the function, the function and its version, or the runtime version.
    """
    if group_by not in GROUP_BYS:
        raise ValueError(f"group_by {group_by!r} is invalid: use one of {', '.join(GROUP_BYS)}")
    with_clause, parameters = _with_clause(selection)
    return run_select(
        lake,
        with_clause
        + f"""
        SELECT {bucket_sql(selection, "reports.timestamp")} AS "time",
               {_GROUP_SQL[group_by]} AS "group",
               count(*) AS invocations,
               count(*) FILTER (WHERE cold_start) AS "cold starts",
               round(count(*) FILTER (WHERE cold_start) * 100.0 / count(*), 2)
                   AS "cold-start rate %"
        FROM reports
        LEFT JOIN runtimes USING (function_name, function_version)
        GROUP BY ALL
        ORDER BY "time", "group"
        """,
        parameters,
    )


HISTOGRAM_BINS = 30
"""About how many bins the init duration histogram has."""
NICE_STEPS = (1, 2, 5)


def nice_width(span: float, bins: int = HISTOGRAM_BINS) -> float:
    """Return a bin width of 1, 2 or 5 times a power of ten that splits ``span`` into about
    ``bins`` bins."""
    if span <= 0:
        return 1.0
    raw = span / bins
    power = 10 ** math.floor(math.log10(raw))
    for step in NICE_STEPS:
        if raw <= step * power:
            return float(step * power)
    return float(10 * power)


def init_duration_histogram(lake: Lake, selection: Selection) -> QueryResult:
    """Return how many cold starts of each function took each range of init durations.

    Each row is a bin ``[bin start ms, bin end ms)`` of one width for every function.
    """
    condition, parameters = selection.where()
    top = run_select(
        lake,
        f"SELECT max({INIT_MS_SQL}) FROM invocations WHERE {condition} AND cold_start",
        parameters,
    )
    highest = top.rows[0][0] if top.rows else None
    if highest is None:
        return result_from_dicts(["function", "bin start ms", "bin end ms", "cold starts"], [])
    width = nice_width(float(highest))
    return run_select(
        lake,
        f"""
        SELECT function_name AS "function",
               floor({INIT_MS_SQL} / ?) * ? AS "bin start ms",
               floor({INIT_MS_SQL} / ?) * ? + ? AS "bin end ms",
               count(*) AS "cold starts"
        FROM invocations
        WHERE {condition} AND cold_start AND function_name IS NOT NULL
        GROUP BY ALL
        ORDER BY "function", "bin start ms"
        """,
        [width, width, width, width, width, *parameters],
    )


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)
