"""The order of findings in a report: by estimated monthly impact, failures first.

Impacts in different units do not add up, so findings are ranked in tiers. Findings
with failed or erroring invocations come first, ordered by invocations a month. Findings
with money at stake come next, by dollars a month, then findings with waiting time, by
seconds a month, and then the rest. Ties keep a stable order by kind and function.
"""

from __future__ import annotations

from collections.abc import Iterable

from loglake.analytics.advisor.model import Finding


def impact_key(finding: Finding) -> tuple[int, float, float, str, str, str]:
    """Return the sort key of ``finding``: its tier, then its impact within the tier."""
    impact = finding.impact
    if impact.monthly_invocations > 0:
        tier, primary, secondary = 0, impact.monthly_invocations, impact.monthly_usd
    elif impact.monthly_usd > 0:
        tier, primary, secondary = 1, impact.monthly_usd, impact.monthly_wait_seconds
    elif impact.monthly_wait_seconds > 0:
        tier, primary, secondary = 2, impact.monthly_wait_seconds, 0.0
    else:
        tier, primary, secondary = 3, 0.0, 0.0
    return (
        tier,
        -primary,
        -secondary,
        str(finding.kind),
        finding.function_name,
        finding.function_version or "",
    )


def rank_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Return ``findings`` with the largest impact first."""
    return sorted(findings, key=impact_key)
