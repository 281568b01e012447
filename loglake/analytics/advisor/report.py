"""Run every finding family over a scope and rank the findings into a report."""

from __future__ import annotations

from loglake.analytics.advisor.billing import billing_findings
from loglake.analytics.advisor.cold_starts import cold_start_findings
from loglake.analytics.advisor.concurrency import hourly_load
from loglake.analytics.advisor.connections import connection_findings
from loglake.analytics.advisor.context import (
    HOURS_PER_MONTH,
    MIN_OBSERVED_HOURS,
    SCOPE_FILTER,
    AdviceContext,
)
from loglake.analytics.advisor.failures import failure_findings
from loglake.analytics.advisor.log_output import (
    load_log_stats,
    log_volume_findings,
    unstructured_logging_findings,
)
from loglake.analytics.advisor.memory import memory_findings
from loglake.analytics.advisor.model import Finding, Report, Scope
from loglake.analytics.advisor.platform_lines import load_platform_facts
from loglake.analytics.advisor.prices import Architecture, PriceTable, load_prices
from loglake.analytics.advisor.ranking import rank_findings
from loglake.analytics.advisor.sequential_calls import sequential_call_findings
from loglake.analytics.advisor.series import load_series
from loglake.analytics.advisor.totals import load_totals
from loglake.analytics.lake import Lake
from loglake.analytics.sql import run_select

DAILY_BUCKETS_AFTER_HOURS = 48.0
"""Charts use hourly buckets up to this many observed hours, and daily buckets beyond."""

SHORT_OBSERVATION_HOURS = 20.0
"""Below this many observed hours the report notes that daily patterns may be missing."""

FUNCTIONS_SQL = f"""
SELECT function_name, min(timestamp) AS first_report, max(timestamp) AS last_report
FROM invocations
WHERE {SCOPE_FILTER}
GROUP BY function_name
ORDER BY function_name
"""


class UnknownFunctionError(ValueError):
    """The requested function has no invocations in the scope."""


def advise(
    lake: Lake,
    scope: Scope,
    *,
    architecture: Architecture = "x86_64",
    prices: PriceTable | None = None,
) -> Report:
    """Return the ranked findings for the invocations in ``scope``.

    Raises :class:`UnknownFunctionError` when ``scope`` names a function without
    invocations in its time range; the message lists the functions that have some.
    """
    table = prices or load_prices()
    ctx = AdviceContext(
        lake=lake,
        scope=scope,
        prices=table,
        architecture=architecture,
        observed_hours=MIN_OBSERVED_HOURS,
        bucket="hour",
    )
    observed = _observed_hours(ctx)

    findings: list[Finding] = []
    if observed is not None:
        ctx.observed_hours = max(observed, MIN_OBSERVED_HOURS)
        ctx.bucket = "hour" if observed <= DAILY_BUCKETS_AFTER_HOURS else "day"
        findings = _findings(ctx)

    return Report(
        lake=lake.url,
        scope=scope,
        observed_hours=observed or 0.0,
        monthly_factor=0.0 if observed is None else ctx.monthly_factor,
        architecture=architecture,
        prices_as_of=table.as_of.isoformat(),
        prices_sources=table.sources,
        findings=tuple(rank_findings(findings)),
        notes=tuple(_notes(ctx, observed)),
    )


def _findings(ctx: AdviceContext) -> list[Finding]:
    """Run every finding family; the shared scans run once and feed several families."""
    totals = load_totals(ctx)
    series = load_series(ctx)
    loads = hourly_load(ctx)
    platform = load_platform_facts(ctx)
    log_stats = load_log_stats(ctx)
    return [
        *failure_findings(ctx, totals, platform),
        *connection_findings(ctx, loads),
        *memory_findings(ctx, totals, series),
        *log_volume_findings(ctx, log_stats, totals),
        *billing_findings(ctx, totals, series),
        *cold_start_findings(ctx, totals, series, platform, loads),
        *sequential_call_findings(ctx, totals),
        *unstructured_logging_findings(log_stats),
    ]


def _observed_hours(ctx: AdviceContext) -> float | None:
    """Return the hours from the first to the last REPORT of any function in the scope.

    Projections divide by the span the lake covers, not by the requested range, so a
    lake with one day of data in a 7-day range is not read as a quiet week. Raises
    :class:`UnknownFunctionError` when the scope's function has no REPORT in the range.
    """
    result = run_select(ctx.lake, FUNCTIONS_SQL, ctx.scope_parameters(every_function=True))
    names = [row[0] for row in result.rows]
    requested = ctx.scope.function_name
    if requested is not None and requested not in names:
        known = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
        raise UnknownFunctionError(
            f"function {requested!r} has no invocations between {ctx.scope.start.isoformat()} "
            f"and {ctx.scope.end.isoformat()}; "
            + (f"functions with invocations: {known}" if names else "no function has any")
        )
    if not result.rows:
        return None
    first = min(row[1] for row in result.rows)
    last = max(row[2] for row in result.rows)
    return float((last - first).total_seconds() / 3600)


def _notes(ctx: AdviceContext, observed: float | None) -> list[str]:
    if observed is None:
        return ["No REPORT lines in the range, so there is nothing to advise on."]
    notes = [
        f"Monthly figures project {ctx.observed_hours:.1f} observed hours to a "
        f"{HOURS_PER_MONTH:.0f}-hour month (factor {ctx.monthly_factor:.2f})."
    ]
    if observed < SHORT_OBSERVATION_HOURS:
        notes.append(
            f"Only {observed:.1f} hours were observed, so the projection may miss daily "
            "peaks and quiet hours."
        )
    notes.append(
        f"Prices are {ctx.architecture} list prices as of {ctx.prices.as_of.isoformat()}, "
        "first volume tier, without free tier or discounts. The architecture is not in "
        "the logs; pass the one the functions run on."
    )
    for region in sorted(ctx.borrowed_regions, key=lambda name: name or ""):
        notes.append(
            f"The price table lacks some prices for region {region or '(unknown)'}; "
            f"those of {ctx.prices.default_region} were used."
        )
    return notes
