"""Logging findings: plain-text application lines, and log volume against compute cost."""

from __future__ import annotations

from pathlib import Path

import pytest

from loglake.analytics.advisor import Finding, FindingKind, advise
from tests.advisor.fixture_lake import Function, day_scope, json_line, spread, write_lake


def findings_of(tmp_path: Path, function: Function, kind: FindingKind) -> list[Finding]:
    report = advise(write_lake(tmp_path, [function]), day_scope())
    return [finding for finding in report.findings if finding.kind == kind]


def logging(lines_per_invocation: list[str], duration_ms: float = 100.0) -> Function:
    function = Function("checkout")
    for at in spread(40):
        function.invoke(
            at,
            duration_ms,
            memory_size_mb=128,
            max_memory_used_mb=100,
            app_lines=list(lines_per_invocation),
        )
    return function


def test_plain_text_lines_fire(tmp_path: Path) -> None:
    function = logging(["Checkout started for cart c-1 with 4 items\n"])
    [finding] = findings_of(tmp_path, function, FindingKind.UNSTRUCTURED_LOGGING)
    assert finding.evidence["plain_text_share"] == 1.0
    assert finding.evidence["application_lines"] == 40
    assert finding.evidence["example"] == "Checkout started for cart c-1 with 4 items"


def test_json_lines_do_not_fire(tmp_path: Path) -> None:
    function = logging([json_line("Checkout started", cart="c-1", items=4)])
    assert findings_of(tmp_path, function, FindingKind.UNSTRUCTURED_LOGGING) == []


def test_large_logs_of_a_cheap_function_fire(tmp_path: Path) -> None:
    # 40 invocations of 100 ms at 128 MB cost far less than 5 KB of logs each.
    payload = "x" * 5000
    function = logging([json_line("Request received", body=payload)])
    [finding] = findings_of(tmp_path, function, FindingKind.LOG_VOLUME)
    evidence = finding.evidence
    assert evidence["bytes_per_invocation"] > 5000
    assert evidence["ingest_share_of_lambda_cost"] > 1
    assert evidence["largest_line_shapes"][0]["shape"] == "Request received"
    assert finding.impact.monthly_usd == pytest.approx(evidence["monthly_ingest_usd"], abs=1e-6)


def test_small_logs_do_not_fire(tmp_path: Path) -> None:
    function = logging([json_line("ok")], duration_ms=2000.0)
    assert findings_of(tmp_path, function, FindingKind.LOG_VOLUME) == []
