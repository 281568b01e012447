"""Billed GB-seconds and their cost at list prices.

Prices come from the advisor's price table (``loglake/analytics/advisor/prices.json``), the
one documented table of Lambda prices in loglake. The logs do not record a function's
architecture, so the caller names the one its functions run on.
"""

from __future__ import annotations

from dataclasses import dataclass

from loglake.analytics.advisor.prices import Architecture, PriceTable, RegionPrices

BILLED_GB_SECONDS_SQL = "coalesce(sum(billed_duration_ms / 1000.0 * memory_size_mb / 1024.0), 0)"
"""Lambda bills duration per GB-second of configured memory, 1 GB being 1,024 MB."""


@dataclass(frozen=True, slots=True)
class BilledUsage:
    """The billed usage of one function at one memory size in one region, and its cost."""

    function_name: str
    region: str | None
    memory_size_mb: int | None
    invocations: int
    billed_gb_seconds: float
    duration_usd: float
    requests_usd: float
    prices: RegionPrices

    @property
    def cost_usd(self) -> float:
        """Return the on-demand charge: duration plus requests."""
        return self.duration_usd + self.requests_usd


def price_usage(
    function_name: str,
    region: str | None,
    memory_size_mb: int | None,
    invocations: int,
    billed_gb_seconds: float,
    prices: PriceTable,
    architecture: Architecture,
) -> BilledUsage:
    """Price the usage at the on-demand duration and request prices of its region."""
    region_prices = prices.for_region(region, architecture)
    return BilledUsage(
        function_name=function_name,
        region=region,
        memory_size_mb=memory_size_mb,
        invocations=int(invocations),
        billed_gb_seconds=float(billed_gb_seconds),
        duration_usd=float(billed_gb_seconds) * region_prices.duration_gb_second,
        requests_usd=invocations * region_prices.requests_per_million / 1e6,
        prices=region_prices,
    )
