"""Cold start findings: rate, init percentiles, trend, and the price of removing them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from loglake.analytics.advisor import Finding, FindingKind, advise
from loglake.analytics.advisor.cold_starts import cold_start_trend, snapstart_support
from tests.advisor.fixture_lake import DAY, Function, day_scope, spread, write_lake


def cold_start_findings(tmp_path: Path, functions: list[Function], days: int = 1) -> list[Finding]:
    report = advise(write_lake(tmp_path, functions), day_scope(days))
    return [finding for finding in report.findings if finding.kind == FindingKind.COLD_STARTS]


def with_cold_starts(name: str, init_ms: float, every: int, duration_ms: float = 50.0) -> Function:
    function = Function(name)
    for index, at in enumerate(spread(100)):
        init = init_ms + index if index % every == 0 else None
        function.invoke(at, duration_ms, memory_size_mb=512, max_memory_used_mb=300, init_ms=init)
    return function


def test_slow_init_fires_with_percentiles(tmp_path: Path) -> None:
    [finding] = cold_start_findings(tmp_path, [with_cold_starts("orders", 800.0, every=10)])
    evidence = finding.evidence
    assert finding.function_version == "$LATEST"
    assert evidence["cold_starts"] == 10
    assert evidence["cold_start_rate"] == 0.1
    # Init durations are 800, 810, ..., 890 ms. Percentiles are nearest-rank: of 10 values,
    # p50 is the 5th, and p95 and p99 are the 10th.
    assert evidence["init_p50_ms"] == 840.0
    assert evidence["init_p95_ms"] == 890.0
    assert evidence["init_p99_ms"] == 890.0
    # 8,450 ms of init against 5,000 ms of handler time.
    assert evidence["init_share_of_latency"] == pytest.approx(8450 / 13450, abs=1e-4)
    assert finding.impact.monthly_wait_seconds > 0


def test_fast_init_does_not_fire(tmp_path: Path) -> None:
    # 5 cold starts of 60 to 140 ms against 100 invocations of 500 ms: 0.9 % of latency.
    function = with_cold_starts("thumbnails", 60.0, every=20, duration_ms=500.0)
    assert cold_start_findings(tmp_path, [function]) == []


def test_warm_function_does_not_fire(tmp_path: Path) -> None:
    function = with_cold_starts("warm", 800.0, every=1000)
    function.invocations[0].init_ms = None
    assert cold_start_findings(tmp_path, [function]) == []


def test_provisioned_concurrency_priced_at_peak(tmp_path: Path) -> None:
    function = with_cold_starts("orders", 800.0, every=10)
    # Two invocations overlap, so the peak concurrency is 2.
    function.invoke(DAY + timedelta(hours=12), 5000.0, memory_size_mb=512, max_memory_used_mb=300)
    function.invoke(
        DAY + timedelta(hours=12, seconds=1), 50.0, memory_size_mb=512, max_memory_used_mb=300
    )
    [finding] = cold_start_findings(tmp_path, [function])
    provisioned = finding.evidence["provisioned_concurrency"]
    assert provisioned["concurrency"] == 2
    # 2 environments x 0.5 GB x 730 h at $0.0000041667 per GB-second.
    expected = 2 * 0.5 * 730 * 3600 * 0.0000041667
    assert provisioned["monthly_charge_usd"] == pytest.approx(expected, abs=1e-4)


def test_snapstart_priced_for_python(tmp_path: Path) -> None:
    [finding] = cold_start_findings(tmp_path, [with_cold_starts("orders", 800.0, every=10)])
    snapstart = finding.evidence["snapstart"]
    assert snapstart["charged"] is True
    assert snapstart["monthly_cache_usd"] == pytest.approx(0.5 * 730 * 3600 * 0.0000015046, 1e-3)
    assert "published version" in finding.recommendation


def test_snapstart_function_reports_restores(tmp_path: Path) -> None:
    function = Function("payments", version="14", runtime_version="java:21.v27")
    for index, at in enumerate(spread(50)):
        restore = 600.0 if index % 10 == 0 else None
        function.invoke(at, 80.0, memory_size_mb=2048, max_memory_used_mb=250, restore_ms=restore)
    [finding] = cold_start_findings(tmp_path, [function])
    assert finding.function_version == "14"
    assert finding.evidence["uses_snapstart"] is True
    assert finding.evidence["restore_p95_ms"] == 600.0
    assert "snapstart" not in finding.evidence
    assert "afterRestore" in finding.recommendation


def test_rising_trend_over_days(tmp_path: Path) -> None:
    function = Function("orders")
    for day in range(4):
        every = 20 if day < 2 else 5
        start = DAY + timedelta(days=day)
        for index, at in enumerate(spread(40, start=start)):
            init = 700.0 if index % every == 0 else None
            function.invoke(at, 50.0, memory_size_mb=512, max_memory_used_mb=300, init_ms=init)
    [finding] = cold_start_findings(tmp_path, [function], days=4)
    trend = finding.evidence["trend"]
    assert trend["direction"] == "rising"
    assert trend["first_days"]["cold_start_rate"] == 0.05
    assert trend["last_days"]["cold_start_rate"] == 0.2


def test_trend_unknown_within_one_day() -> None:
    rows = [{"bucket": DAY, "cold_starts": 1, "invocations": 10, "wait_ms": 500.0}]
    assert cold_start_trend(rows)["direction"] == "unknown"


@pytest.mark.parametrize(
    ("runtime_version", "supported", "charged"),
    [
        ("java:21.v27", True, False),
        ("java:8.v40", False, False),
        ("python:3.12.v16", True, True),
        ("python:3.11.v40", False, True),
        ("dotnet:8.v30", True, True),
        ("nodejs:22.mainline.v122", False, False),
        (None, False, False),
    ],
)
def test_snapstart_support(runtime_version: str | None, supported: bool, charged: bool) -> None:
    support = snapstart_support(runtime_version)
    assert support.supported is supported
    if supported:
        assert support.charged is charged
