"""The state every finding's queries share: the lake, the scope as bound parameters, prices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from loglake.analytics.advisor.model import Scope
from loglake.analytics.advisor.prices import Architecture, PriceTable, RegionPrices
from loglake.analytics.lake import Lake
from loglake.analytics.sql import run_select

HOURS_PER_MONTH = 730.0
"""The month AWS prices use: 730 hours."""

MIN_OBSERVED_HOURS = 1.0
"""Shortest span a projection divides by, so a handful of minutes is not multiplied by
thousands."""

SCOPE_FILTER = (
    "timestamp >= $1 AND timestamp < $2 AND date BETWEEN $3 AND $4 "
    "AND function_name IS NOT NULL AND ($5::VARCHAR IS NULL OR function_name = $5)"
)
"""The WHERE condition that limits ``logs`` or ``invocations`` to the scope.

Queries bind the scope as parameters $1 to $5 and number their own parameters from $6.
The ``date`` condition lets DuckDB skip partitions outside the range.
"""

INIT_BILLED = (
    "init_duration_ms IS NOT NULL AND billed_duration_ms >= duration_ms + init_duration_ms - 1"
)
"""The condition on an invocation whose Billed Duration includes its init phase.

Billed Duration is Duration plus Init Duration rounded up to a whole millisecond, so a
billed init phase leaves Billed Duration at most 1 ms below the unrounded sum.
"""


@dataclass(slots=True)
class AdviceContext:
    """One advisor run: the lake, the scope, the projection to a month and the prices."""

    lake: Lake
    scope: Scope
    prices: PriceTable
    architecture: Architecture
    observed_hours: float
    bucket: str
    """``hour`` or ``day``: the width of the time buckets in charts."""
    borrowed_regions: set[str | None] = field(default_factory=set)
    """Regions priced in part with the default region's prices."""

    @property
    def monthly_factor(self) -> float:
        """Return what a total over the observed hours is multiplied by to cover a month."""
        return HOURS_PER_MONTH / self.observed_hours

    def scope_parameters(self, *, every_function: bool = False) -> list[Any]:
        """Return parameters $1 to $5 for :data:`SCOPE_FILTER`.

        With ``every_function`` the parameters ignore the scope's function.
        """
        name = None if every_function else self.scope.function_name
        start, end = self.scope.start, self.scope.end
        # The last partition contains times just before ``end``, so an end at midnight
        # reads no partition of the next day.
        last_date = (end - timedelta(microseconds=1)).date()
        return [start, end, start.date(), last_date, name]

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run ``sql`` with the scope's parameters then ``parameters``; return row dicts."""
        result = run_select(self.lake, sql, [*self.scope_parameters(), *parameters])
        return [dict(zip(result.columns, row, strict=True)) for row in result.rows]

    def prices_for(self, region: str | None) -> RegionPrices:
        """Return the prices for ``region`` and remember when some came from the default."""
        prices = self.prices.for_region(region, self.architecture)
        if prices.borrowed_from is not None:
            self.borrowed_regions.add(region)
        return prices

    def per_month(self, window_total: float) -> float:
        """Project a total over the observed hours to a 730-hour month."""
        return window_total * self.monthly_factor
