"""Billing findings: the share of billed time spent in billed init phases."""

from __future__ import annotations

from pathlib import Path

import pytest

from loglake.analytics.advisor import Finding, FindingKind, advise
from tests.advisor.fixture_lake import Function, day_scope, spread, write_lake


def billing_findings(tmp_path: Path, function: Function) -> list[Finding]:
    report = advise(write_lake(tmp_path, [function]), day_scope())
    return [finding for finding in report.findings if finding.kind == FindingKind.BILLING]


def with_inits(init_ms: float) -> Function:
    function = Function("orders")
    for index, at in enumerate(spread(40)):
        init = init_ms if index % 4 == 0 else None
        function.invoke(at, 100.0, memory_size_mb=1024, max_memory_used_mb=900, init_ms=init)
    return function


def test_large_billed_init_share_fires(tmp_path: Path) -> None:
    [finding] = billing_findings(tmp_path, with_inits(900.0))
    evidence = finding.evidence
    assert evidence["billed_inits"] == 10
    assert evidence["billed_init_s"] == 9.0
    assert evidence["billed_duration_s"] == 13.0
    assert evidence["billed_init_share"] == pytest.approx(9 / 13, abs=1e-4)
    assert finding.impact.monthly_usd > 0


def test_small_billed_init_share_does_not_fire(tmp_path: Path) -> None:
    assert billing_findings(tmp_path, with_inits(20.0)) == []
