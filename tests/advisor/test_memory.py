"""Memory findings: over-provisioned functions and the saving of a smaller size."""

from __future__ import annotations

from pathlib import Path

import pytest

from loglake.analytics.advisor import FindingKind, advise
from loglake.analytics.advisor.memory import recommended_memory_mb
from tests.advisor.fixture_lake import Function, day_scope, spread, write_lake


def memory_findings(tmp_path: Path, functions: list[Function]):  # type: ignore[no-untyped-def]
    report = advise(write_lake(tmp_path, functions), day_scope())
    return [finding for finding in report.findings if finding.kind == FindingKind.MEMORY]


def steady(name: str, size_mb: int, used_mb: int, count: int = 40) -> Function:
    function = Function(name)
    for at in spread(count):
        function.invoke(at, 1000.0, memory_size_mb=size_mb, max_memory_used_mb=used_mb)
    return function


@pytest.mark.parametrize(
    ("max_used_mb", "expected_mb"),
    [(10, 128), (100, 128), (103, 192), (111, 192), (246, 320), (1000, 1280)],
)
def test_recommended_memory(max_used_mb: int, expected_mb: int) -> None:
    assert recommended_memory_mb(max_used_mb) == expected_mb


def test_over_provisioned_function_fires(tmp_path: Path) -> None:
    [finding] = memory_findings(tmp_path, [steady("orders", 1024, 100)])
    assert finding.function_name == "orders"
    assert finding.evidence["recommended_memory_mb"] == 128
    assert finding.evidence["max_memory_used_mb"] == 100
    # 40 invocations of 1 s at (1024 - 128) MB, projected from 23.4 observed hours.
    saved_gb_seconds = 40 * 1.0 * (1024 - 128) / 1024
    factor = 730 / (23.4 * 1.0 + 1000 / 3_600_000)
    expected = saved_gb_seconds * 0.0000166667 * factor
    assert finding.impact.monthly_usd == pytest.approx(expected, rel=0.01)
    assert "Power Tuning" in finding.recommendation


def test_well_sized_function_does_not_fire(tmp_path: Path) -> None:
    assert memory_findings(tmp_path, [steady("resizer", 256, 200)]) == []


def test_few_invocations_do_not_fire(tmp_path: Path) -> None:
    assert memory_findings(tmp_path, [steady("rare", 1024, 100, count=5)]) == []


def test_function_near_its_limit_does_not_fire(tmp_path: Path) -> None:
    function = steady("thumbnails", 1024, 200)
    function.invoke(spread(1)[0], 900.0, memory_size_mb=1024, max_memory_used_mb=1024)
    assert memory_findings(tmp_path, [function]) == []
