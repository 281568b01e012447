"""The analytics functions the pages call, by name, so the cache can key results on the name."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from loglake.analytics.advisor import Architecture, PriceTable, Report, Scope, advise, load_prices
from loglake.analytics.dashboard_data import cold_starts, errors, lookup, overview, trace_stats
from loglake.analytics.dashboard_data.insights_page import run_query
from loglake.analytics.dashboard_data.memory_cost import MemoryCost, memory_and_cost
from loglake.analytics.dashboard_data.selection import Selection, lake_span, list_functions
from loglake.analytics.insights import ParameterValue
from loglake.analytics.lake import Lake
from loglake.analytics.query import InsightsResult
from loglake.analytics.sql import QueryResult


@cache
def price_table() -> PriceTable:
    """Return the price table shipped with loglake, read once per process."""
    return load_prices()


def _overview(lake: Lake, selection: Selection, architecture: Architecture) -> QueryResult:
    return overview.function_overview(lake, selection, price_table(), architecture)


def _memory_cost(lake: Lake, selection: Selection, architecture: Architecture) -> MemoryCost:
    return memory_and_cost(lake, selection, price_table(), architecture)


def _error_samples(
    lake: Lake, selection: Selection, error_type: str | None, pattern_id: str | None
) -> QueryResult:
    return errors.error_samples(lake, selection, error_type=error_type, pattern_id=pattern_id)


def _insights(
    lake: Lake,
    text: str,
    selection: Selection,
    parameters: dict[str, ParameterValue],
    row_limit: int,
) -> InsightsResult:
    return run_query(lake, text, selection, parameters, row_limit=row_limit)


def _advice(lake: Lake, scope: Scope, architecture: Architecture) -> Report:
    return advise(lake, scope, architecture=architecture, prices=price_table())


QUERIES: dict[str, Callable[..., Any]] = {
    "functions": list_functions,
    "lake span": lake_span,
    "overview": _overview,
    "activity": overview.activity_over_time,
    "error types": errors.error_types,
    "error patterns": errors.error_patterns,
    "error samples": _error_samples,
    "cold start breakdown": cold_starts.cold_start_breakdown,
    "cold start rate": cold_starts.cold_start_rate_over_time,
    "init histogram": cold_starts.init_duration_histogram,
    "memory and cost": _memory_cost,
    "trace totals": trace_stats.trace_totals,
    "latency histogram": trace_stats.latency_histogram,
    "slowest traces": trace_stats.slowest_traces,
    "root causes": trace_stats.root_causes,
    "lookup": lookup.look_up,
    "insights": _insights,
    "advice": _advice,
}
"""Every query a page runs, by the name the result cache keys it on."""
