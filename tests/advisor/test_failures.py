"""Timeout and out-of-memory findings: counts, request IDs, the inferred timeout."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from loglake.analytics.advisor import Finding, FindingKind, advise
from loglake.analytics.advisor.failures import inferred_timeout_s
from tests.advisor.fixture_lake import DAY, Function, day_scope, spread, write_lake


def findings_of(tmp_path: Path, function: Function, kind: FindingKind) -> list[Finding]:
    report = advise(write_lake(tmp_path, [function]), day_scope())
    return [finding for finding in report.findings if finding.kind == kind]


def healthy(name: str) -> Function:
    function = Function(name)
    for at in spread(30):
        function.invoke(at, 400.0, memory_size_mb=512, max_memory_used_mb=180)
    return function


def test_timeouts_fire_with_request_ids(tmp_path: Path) -> None:
    function = healthy("ledger")
    noon = DAY + timedelta(hours=12)
    with_line = function.invoke(
        noon,
        15031.0,
        memory_size_mb=512,
        status="timeout",
        timeout_line=True,
        app_lines=["waiting for lock on ledger_entries\n"],
    )
    silent = function.invoke(
        noon + timedelta(minutes=5), 15000.0, memory_size_mb=512, status="timeout"
    )
    [finding] = findings_of(tmp_path, function, FindingKind.TIMEOUTS)
    assert finding.request_ids == (with_line.request_id, silent.request_id)
    assert finding.evidence["timeouts"] == 2
    assert finding.evidence["timeout_s_inferred"] == 15
    assert "1 'Task timed out after' lines" in finding.evidence["timeout_inferred_from"]
    assert finding.evidence["last_lines"] == {
        with_line.request_id: "waiting for lock on ledger_entries"
    }
    assert finding.impact.monthly_invocations > 0


def test_no_timeouts_no_finding(tmp_path: Path) -> None:
    assert findings_of(tmp_path, healthy("ledger"), FindingKind.TIMEOUTS) == []


def test_out_of_memory_fires(tmp_path: Path) -> None:
    function = healthy("thumbnails")
    killed = function.invoke(
        DAY + timedelta(hours=21),
        9475.0,
        memory_size_mb=512,
        max_memory_used_mb=512,
        status="error",
        error_type="Runtime.OutOfMemory",
        app_lines=['{"level":"warn","msg":"image exceeds recommended size"}\n'],
    )
    [finding] = findings_of(tmp_path, function, FindingKind.OUT_OF_MEMORY)
    assert finding.request_ids == (killed.request_id,)
    assert finding.evidence["out_of_memory_kills"] == 1
    assert finding.evidence["memory_size_mb"] == 512
    assert finding.evidence["p99_memory_used_mb_other_invocations"] == 180.0
    assert "image exceeds" in finding.evidence["last_lines"][killed.request_id]


def test_other_errors_are_not_out_of_memory(tmp_path: Path) -> None:
    function = healthy("thumbnails")
    function.invoke(DAY, 100.0, memory_size_mb=512, status="error", error_type="KeyError")
    assert findings_of(tmp_path, function, FindingKind.OUT_OF_MEMORY) == []


@pytest.mark.parametrize(
    ("durations_ms", "line_seconds", "expected"),
    [
        ([3003.15], [], 3),
        ([30000.0, 30033.6], [30.03], 30),
        ([900_000.0], [], 900),
        ([], [15.02], 15),
        ([], [], None),
        ([300.0], [], None),
    ],
)
def test_inferred_timeout(
    durations_ms: list[float], line_seconds: list[float], expected: int | None
) -> None:
    assert inferred_timeout_s(durations_ms, line_seconds) == expected
