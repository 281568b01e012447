"""Billing findings: billed duration against duration, and the init phase Lambda now bills.

From 1 August 2025 Lambda includes the init phase of on-demand functions on managed
runtimes (ZIP packages) in Billed Duration. Custom runtimes and container images were
billed for it before. A cold REPORT whose Billed Duration covers Duration plus Init
Duration shows a billed init phase.
"""

from __future__ import annotations

from loglake.analytics.advisor.context import AdviceContext
from loglake.analytics.advisor.model import Chart, Finding, FindingKind, Impact
from loglake.analytics.advisor.series import Series
from loglake.analytics.advisor.totals import Totals

MIN_BILLED_INIT_SHARE = 0.10
"""A finding needs billed init time of at least this share of all billed time."""

RECOMMENDATION = (
    "Lambda bills the init phase of on-demand functions, so every cold start costs its "
    "Init Duration at the function's memory size. Shorten the init phase and reduce cold "
    "starts (see the cold start finding for this function); SnapStart replaces the init "
    "phase with a restore billed by its own prices."
)


def billing_findings(ctx: AdviceContext, totals: Totals, series: Series) -> list[Finding]:
    """Return a finding for each function whose billed init phases are a large share."""
    findings = []
    for key, row in totals.by_function.items():
        billed_ms = float(row["billed_ms"])
        billed_init_ms = float(row["billed_init_ms"])
        share = billed_init_ms / billed_ms if billed_ms else 0.0
        if share < MIN_BILLED_INIT_SHARE:
            continue
        prices = ctx.prices_for(key[1])
        monthly_init = ctx.per_month(float(row["billed_init_gb_seconds"]))
        monthly_usd = monthly_init * prices.duration_gb_second
        beyond_ms = billed_ms - float(row["duration_ms"])
        findings.append(
            Finding(
                kind=FindingKind.BILLING,
                function_name=key[2],
                account=key[0],
                region=key[1],
                title="Billed init phases are a large share of billed time",
                summary=(
                    f"{billed_init_ms / 1000:,.1f} s of {billed_ms / 1000:,.1f} s billed "
                    f"({share:.0%}) was init phases of {row['billed_inits']} cold starts, "
                    f"about ${monthly_usd:,.2f} a month."
                ),
                evidence={
                    "invocations": row["invocations"],
                    "duration_s": round(float(row["duration_ms"]) / 1000, 3),
                    "billed_duration_s": round(billed_ms / 1000, 3),
                    "billed_beyond_duration_s": round(beyond_ms / 1000, 3),
                    "billed_init_s": round(billed_init_ms / 1000, 3),
                    "billed_init_share": round(share, 4),
                    "inits": row["inits"],
                    "billed_inits": row["billed_inits"],
                    "other_billed_beyond_duration_s": round((beyond_ms - billed_init_ms) / 1000, 3),
                    "monthly_billed_init_gb_seconds": round(monthly_init, 3),
                    "monthly_billed_init_usd": round(monthly_usd, 6),
                },
                impact=Impact(
                    monthly_usd=monthly_usd,
                    basis=(
                        "Billed init GB-seconds in the window, projected to a month, at the "
                        "on-demand duration price"
                    ),
                ),
                recommendation=RECOMMENDATION,
                charts=(
                    Chart(
                        title="Billed duration, duration and billed init",
                        kind="bar",
                        x="bucket",
                        y=("duration_ms", "billed_init_ms", "billed_ms"),
                        rows=tuple(series.by_function.get(key, [])),
                    ),
                ),
            )
        )
    return findings
