"""Sequential downstream call findings, from the X-Ray segments of traced invocations."""

from __future__ import annotations

from pathlib import Path

import pytest

from loglake.analytics.advisor import Finding, FindingKind, advise
from loglake.analytics.lake import open_lake
from tests.advisor.fixture_lake import (
    Function,
    day_scope,
    spread,
    traced_invocation,
    write_lake,
    write_segments,
)

SEQUENTIAL = [
    ("DynamoDB", "GetItem", 5.0, 40.0),
    ("S3", "GetObject", 50.0, 60.0),
    ("SNS", "Publish", 115.0, 30.0),
]
PARALLEL = [
    ("DynamoDB", "GetItem", 5.0, 40.0),
    ("S3", "GetObject", 6.0, 60.0),
    ("SNS", "Publish", 7.0, 30.0),
]


def sequential_findings(
    tmp_path: Path, calls: list[tuple[str, str, float, float]]
) -> list[Finding]:
    orders = Function("orders")
    times = spread(20)
    for at in times:
        orders.invoke(at, 500.0, memory_size_mb=1024, max_memory_used_mb=900)
    write_lake(tmp_path, [orders])
    write_segments(
        tmp_path,
        [traced_invocation("orders", index, at, calls) for index, at in enumerate(times[:5])],
    )
    report = advise(open_lake(str(tmp_path)), day_scope())
    return [item for item in report.findings if item.kind == FindingKind.SEQUENTIAL_CALLS]


def test_sequential_calls_fire(tmp_path: Path) -> None:
    [finding] = sequential_findings(tmp_path, SEQUENTIAL)
    evidence = finding.evidence
    assert finding.function_name == "orders"
    assert finding.region == "us-east-1"
    assert evidence["traced_invocations"] == 5
    assert evidence["invocations_with_sequential_calls"] == 5
    # 40 + 60 + 30 ms in sequence against 60 ms for the longest call.
    assert evidence["median_saving_ms"] == pytest.approx(70.0, abs=0.01)
    [sequence] = evidence["sequences"]
    assert sequence["calls"] == "DynamoDB GetItem -> S3 GetObject -> SNS Publish"
    assert sequence["invocations"] == 5
    assert len(evidence["example_trace_ids"]) == 5
    # 20 invocations save 70 ms each, projected to a month.
    assert finding.impact.monthly_wait_seconds > 20 * 0.07


def test_overlapping_calls_do_not_fire(tmp_path: Path) -> None:
    assert sequential_findings(tmp_path, PARALLEL) == []


def test_single_call_does_not_fire(tmp_path: Path) -> None:
    assert sequential_findings(tmp_path, SEQUENTIAL[:1]) == []


def test_median_saving_is_nearest_rank(tmp_path: Path) -> None:
    orders = Function("orders")
    times = spread(20)
    for at in times:
        orders.invoke(at, 500.0, memory_size_mb=1024, max_memory_used_mb=900)
    write_lake(tmp_path, [orders])
    # A 200 ms call, then a shorter one: each invocation could save the shorter call.
    second_calls_ms = [60.0, 80.0, 120.0, 200.0]
    documents = [
        traced_invocation(
            "orders",
            index,
            times[index],
            [("DynamoDB", "GetItem", 0.0, 200.0), ("S3", "GetObject", 210.0, duration_ms)],
        )
        for index, duration_ms in enumerate(second_calls_ms)
    ]
    write_segments(tmp_path, documents)
    report = advise(open_lake(str(tmp_path)), day_scope())
    [finding] = [item for item in report.findings if item.kind == FindingKind.SEQUENTIAL_CALLS]
    # The 2nd of four savings; interpolation would give 100 ms.
    assert finding.evidence["median_saving_ms"] == 80.0
    assert finding.evidence["max_saving_ms"] == 200.0
    assert "80 ms at the median" in finding.summary
