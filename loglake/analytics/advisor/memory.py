"""Memory findings: functions configured with far more memory than they use."""

from __future__ import annotations

import math
from typing import Any

from loglake.analytics.advisor.context import AdviceContext
from loglake.analytics.advisor.model import Chart, Finding, FindingKind, Impact
from loglake.analytics.advisor.series import Series
from loglake.analytics.advisor.totals import MemoryKey, Totals

HEADROOM = 0.25
"""Memory the recommendation adds above the maximum used, as a fraction of it."""

STEP_MB = 64
"""The recommendation is rounded up to a multiple of this."""

LAMBDA_MIN_MEMORY_MB = 128

MAX_RECOMMENDED_SHARE = 0.75
"""A finding needs a recommended size at most this share of the configured size."""

MIN_INVOCATIONS = 20
"""Fewer REPORTs with memory figures than this may miss the peaks, so no recommendation
is made from them."""

RECOMMENDATION = (
    "Lower the memory size to {recommended_mb} MB: the maximum used plus {headroom:.0%}, "
    "rounded up to a multiple of 64 MB. "
    "Lambda allocates CPU in proportion to memory, so a CPU-bound function may run longer "
    "at the smaller size and save less, or cost more. Confirm the size with AWS Lambda "
    "Power Tuning (github.com/alexcasalboni/aws-lambda-power-tuning) before changing it."
)


def recommended_memory_mb(max_used_mb: float) -> int:
    """Return the maximum used plus headroom, rounded up to a step and at least 128 MB."""
    with_headroom = max_used_mb * (1 + HEADROOM)
    return max(LAMBDA_MIN_MEMORY_MB, math.ceil(with_headroom / STEP_MB) * STEP_MB)


def memory_findings(ctx: AdviceContext, totals: Totals, series: Series) -> list[Finding]:
    """Return a finding for each function and memory size that uses far less than it has."""
    findings = []
    for key, row in totals.by_memory_size.items():
        size_mb = key[3]
        if size_mb is None or row["memory_reports"] < MIN_INVOCATIONS:
            continue
        recommended_mb = recommended_memory_mb(row["max_used_mb"])
        if recommended_mb > size_mb * MAX_RECOMMENDED_SHARE:
            continue
        findings.append(_finding(ctx, key, size_mb, row, recommended_mb, series))
    return findings


def _finding(
    ctx: AdviceContext,
    key: MemoryKey,
    size_mb: int,
    row: dict[str, Any],
    recommended_mb: int,
    series: Series,
) -> Finding:
    prices = ctx.prices_for(key[1])
    billed_seconds = float(row["billed_ms"]) / 1000
    saved_gb_seconds = billed_seconds * (size_mb - recommended_mb) / 1024
    monthly_saving = ctx.per_month(saved_gb_seconds * prices.duration_gb_second)
    p50_used, p99_used = row["used_quantiles_mb"]
    return Finding(
        kind=FindingKind.MEMORY,
        function_name=key[2],
        account=key[0],
        region=key[1],
        title="Memory size far above what the function uses",
        summary=(
            f"Uses at most {row['max_used_mb']} MB of {size_mb} MB (p99 {p99_used:.0f} MB) "
            f"over {row['invocations']} invocations; {recommended_mb} MB would save about "
            f"${monthly_saving:,.2f} a month at the same billed duration."
        ),
        evidence={
            "invocations": row["invocations"],
            "memory_size_mb": size_mb,
            "max_memory_used_mb": row["max_used_mb"],
            "p99_memory_used_mb": round(float(p99_used), 1),
            "p50_memory_used_mb": round(float(p50_used), 1),
            "max_used_share": round(row["max_used_mb"] / size_mb, 3),
            "recommended_memory_mb": recommended_mb,
            "headroom": HEADROOM,
            "billed_seconds": round(billed_seconds, 3),
            "p50_billed_duration_ms": row["p50_billed_ms"],
            "monthly_saving_usd": round(monthly_saving, 6),
        },
        impact=Impact(
            monthly_usd=monthly_saving,
            basis=(
                "GB-seconds billed in the window at the configured size minus the same "
                "billed duration at the recommended size, at the on-demand duration price, "
                "projected to a month"
            ),
        ),
        recommendation=RECOMMENDATION.format(recommended_mb=recommended_mb, headroom=HEADROOM),
        charts=(
            Chart(
                title="Memory used against memory size",
                kind="line",
                x="bucket",
                y=("max_used_mb", "p99_used_mb", "memory_size_mb"),
                rows=tuple(series.by_memory_size.get(key, [])),
            ),
        ),
    )
