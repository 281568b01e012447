"""Cold start findings: how often and how long functions initialise, and what would help.

A cold start's wait is its ``Init Duration``, or its ``Restore Duration`` with SnapStart.
The share of user-facing latency spent in init is the total wait divided by the total of
wait and handler duration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from loglake.analytics.advisor.concurrency import HourlyLoad, peak_concurrency
from loglake.analytics.advisor.context import HOURS_PER_MONTH, AdviceContext
from loglake.analytics.advisor.model import Chart, Finding, FindingKind, Impact
from loglake.analytics.advisor.platform_lines import PlatformFacts
from loglake.analytics.advisor.prices import RegionPrices
from loglake.analytics.advisor.series import Series
from loglake.analytics.advisor.totals import FunctionKey, Totals, VersionKey

MIN_INIT_SHARE = 0.05
"""A finding needs at least this share of user-facing latency spent in init or restore."""

TREND_CHANGE = 0.25
"""A cold start rate that changes by more than this fraction between the first and the
last days of the window is reported as rising or falling."""

MIN_TREND_DAYS = 2

_RUNTIME = re.compile(r"^(java|python|dotnet):?(\d+)(?:\.(\d+))?")


@dataclass(frozen=True, slots=True)
class SnapStartSupport:
    """Whether a runtime can use SnapStart, and whether its cache and restores are charged."""

    supported: bool
    charged: bool


def snapstart_support(runtime_version: str | None) -> SnapStartSupport:
    """Return SnapStart support for a runtime version such as ``python:3.12.v16``.

    SnapStart supports Java 11 and later (no cache or restore charge), Python 3.12 and
    later and .NET 8 and later (both charged), per the Lambda developer guide.
    """
    match = _RUNTIME.match(runtime_version or "")
    if match is None:
        return SnapStartSupport(supported=False, charged=False)
    family, major, minor = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if family == "java":
        return SnapStartSupport(supported=major >= 11, charged=False)
    if family == "python":
        return SnapStartSupport(supported=(major, minor) >= (3, 12), charged=True)
    return SnapStartSupport(supported=major >= 8, charged=True)


def cold_start_findings(
    ctx: AdviceContext,
    totals: Totals,
    series: Series,
    platform: PlatformFacts,
    loads: dict[FunctionKey, list[HourlyLoad]],
) -> list[Finding]:
    """Return a finding for each function version whose cold starts cost users real time."""
    findings = []
    for key, row in totals.by_version.items():
        wait_ms = float(row["wait_ms"])
        latency_ms = wait_ms + float(row["duration_ms"])
        share = wait_ms / latency_ms if latency_ms else 0.0
        if row["cold_starts"] == 0 or share < MIN_INIT_SHARE:
            continue
        peak = peak_concurrency(loads.get(key[:3], []))
        function_row = totals.by_function[key[:3]]
        findings.append(
            _finding(
                ctx,
                key,
                row,
                share,
                series.by_version.get(key, []),
                platform.runtime_versions.get(key),
                max(peak, 1),
                function_row["last_memory_size_mb"],
            )
        )
    return findings


def cold_start_trend(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare the cold start rate and mean wait of the first days with the last days.

    Whole days are compared, because within a day the rate follows traffic: quiet hours
    start more environments per invocation than busy ones. With an odd number of days
    the middle day is left out.

    NOTE: a range that starts or ends mid-day has a partial first or last day, whose rate
    reflects only the hours it covers.
    """
    days: dict[date, list[float]] = {}
    for row in rows:
        day = days.setdefault(row["bucket"].date(), [0, 0, 0.0])
        day[0] += row["cold_starts"]
        day[1] += row["invocations"]
        day[2] += row["wait_ms"]
    if len(days) < MIN_TREND_DAYS:
        return {"direction": "unknown", "days": len(days), "reason": "fewer than 2 days"}

    ordered = [days[day] for day in sorted(days)]
    half = len(ordered) // 2
    first, last = _totals(ordered[:half]), _totals(ordered[-half:])
    direction = "flat"
    if last["cold_start_rate"] > first["cold_start_rate"] * (1 + TREND_CHANGE):
        direction = "rising"
    elif last["cold_start_rate"] < first["cold_start_rate"] * (1 - TREND_CHANGE):
        direction = "falling"
    return {"direction": direction, "days": len(days), "first_days": first, "last_days": last}


def _totals(days: list[list[float]]) -> dict[str, Any]:
    cold_starts = sum(day[0] for day in days)
    invocations = sum(day[1] for day in days)
    wait_ms = sum(day[2] for day in days)
    return {
        "days": len(days),
        "cold_start_rate": round(cold_starts / invocations, 4) if invocations else 0.0,
        "mean_wait_ms": round(wait_ms / cold_starts, 1) if cold_starts else None,
    }


def _finding(
    ctx: AdviceContext,
    key: VersionKey,
    row: dict[str, Any],
    share: float,
    series: list[dict[str, Any]],
    runtime_version: str | None,
    provisioned: int,
    memory_size_mb: int | None,
) -> Finding:
    prices = ctx.prices_for(key[1])
    cold_starts = int(row["cold_starts"])
    rate = cold_starts / row["invocations"]
    p50, p95, p99 = (round(value, 1) for value in row["init_quantiles_ms"])
    monthly_cold_starts = ctx.per_month(cold_starts)
    monthly_wait_s = ctx.per_month(float(row["wait_ms"]) / 1000)
    uses_snapstart = row["restores"] > 0
    phase = "restore" if uses_snapstart else "init"

    evidence: dict[str, Any] = {
        "invocations": row["invocations"],
        "cold_starts": cold_starts,
        "cold_start_rate": round(rate, 4),
        f"{phase}_p50_ms": p50,
        f"{phase}_p95_ms": p95,
        f"{phase}_p99_ms": p99,
        "init_share_of_latency": round(share, 4),
        "trend": cold_start_trend(series),
        "runtime_version": runtime_version,
        "uses_snapstart": uses_snapstart,
        "monthly_cold_starts": round(monthly_cold_starts, 1),
        "monthly_wait_hours": round(monthly_wait_s / 3600, 3),
        "memory_size_mb": memory_size_mb,
        "provisioned_concurrency": _provisioned_concurrency(
            ctx, prices, row, provisioned, memory_size_mb, monthly_wait_s
        ),
    }
    support = snapstart_support(runtime_version)
    if support.supported and not uses_snapstart:
        evidence["snapstart"] = _snapstart(
            prices, memory_size_mb, monthly_cold_starts, support.charged
        )

    version = key[3]
    return Finding(
        kind=FindingKind.COLD_STARTS,
        function_name=key[2],
        function_version=version,
        account=key[0],
        region=key[1],
        title="Cold starts take a large share of latency",
        summary=(
            f"{cold_starts} of {row['invocations']} invocations ({rate:.1%}) started cold; "
            f"{phase} p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, "
            f"{share:.1%} of user-facing latency."
        ),
        evidence=evidence,
        impact=Impact(
            monthly_wait_seconds=monthly_wait_s,
            basis=f"{phase.capitalize()} durations in the window projected to a month",
        ),
        recommendation=_recommendation(runtime_version, version, uses_snapstart, support),
        charts=(
            Chart(
                title="Cold start rate and p95 init duration",
                kind="line",
                x="bucket",
                y=("cold_start_rate", "init_p95_ms"),
                rows=tuple(series),
            ),
        ),
    )


def _provisioned_concurrency(
    ctx: AdviceContext,
    prices: RegionPrices,
    row: dict[str, Any],
    concurrency: int,
    memory_size_mb: int | None,
    monthly_wait_s: float,
) -> dict[str, Any]:
    """Price provisioned concurrency at the peak concurrency observed, all month long.

    Invocations it serves pay the lower provisioned duration price, which offsets part
    of the charge for keeping the environments ready.
    """
    memory_gb = float(memory_size_mb or 0) / 1024
    provisioned_gb_seconds = concurrency * memory_gb * HOURS_PER_MONTH * 3600
    charge = provisioned_gb_seconds * prices.provisioned_concurrency_gb_second
    discount = ctx.per_month(float(row["billed_gb_seconds"])) * (
        prices.duration_gb_second - prices.provisioned_duration_gb_second
    )
    net = charge - discount
    wait_hours = monthly_wait_s / 3600
    return {
        "concurrency": concurrency,
        "monthly_charge_usd": round(charge, 4),
        "monthly_duration_discount_usd": round(discount, 4),
        "monthly_net_cost_usd": round(net, 4),
        "usd_per_hour_of_wait_removed": round(net / wait_hours, 2) if wait_hours else None,
    }


def _snapstart(
    prices: RegionPrices, memory_size_mb: int | None, monthly_cold_starts: float, charged: bool
) -> dict[str, Any]:
    """Price SnapStart's cache (one published version, all month) and its restores."""
    memory_gb = float(memory_size_mb or 0) / 1024
    cache = memory_gb * HOURS_PER_MONTH * 3600 * prices.snapstart_cache_gb_second
    restores = memory_gb * monthly_cold_starts * prices.snapstart_restore_gb
    return {
        "monthly_cache_usd": round(cache, 4) if charged else 0.0,
        "monthly_restore_usd": round(restores, 4) if charged else 0.0,
        "charged": charged,
        # NOTE: the time SnapStart saves is init minus restore duration, and restore
        # duration depends on the snapshot, so no saving is estimated from these logs.
        "wait_saved": "not estimated: measure restore durations after enabling it",
    }


def _recommendation(
    runtime_version: str | None,
    version: str | None,
    uses_snapstart: bool,
    support: SnapStartSupport,
) -> str:
    steps = [
        "Do in the init phase only what every invocation needs: create SDK clients and "
        "connections outside the handler, load rarely used modules lazily, and keep the "
        "deployment package small."
    ]
    if uses_snapstart:
        steps.append(
            "The function already restores from a SnapStart snapshot: move work from "
            "afterRestore hooks into the snapshot (the init phase before it is taken)."
        )
    elif support.supported:
        cost = "at no charge for Java" if not support.charged else "at the price shown"
        publish = (
            " on a published version (SnapStart does not apply to $LATEST)"
            if (version == "$LATEST")
            else ""
        )
        steps.append(
            f"{runtime_version} supports SnapStart{publish}, {cost}; it replaces the init "
            "phase with a snapshot restore."
        )
    steps.append(
        "If the wait still matters, provisioned concurrency on an alias keeps environments "
        "initialised; its cost at the observed peak concurrency is in the evidence."
    )
    return " ".join(steps)
