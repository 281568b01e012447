"""The report: scope, ranking, notes and its JSON and Markdown forms."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import orjson
import pytest

from loglake.analytics.advisor import (
    Finding,
    FindingKind,
    Impact,
    Scope,
    UnknownFunctionError,
    advise,
    report_to_json,
    report_to_markdown,
)
from loglake.analytics.advisor.ranking import rank_findings
from loglake.analytics.lake import open_lake
from tests.advisor.fixture_lake import DAY, Function, day_scope, spread, write_lake


def over_provisioned(name: str, region: str = "us-east-1") -> Function:
    function = Function(name, region=region)
    for at in spread(30):
        function.invoke(at, 500.0, memory_size_mb=2048, max_memory_used_mb=150)
    return function


def timing_out(name: str) -> Function:
    function = over_provisioned(name)
    function.invoke(DAY + timedelta(hours=3), 6004.0, memory_size_mb=2048, status="timeout")
    return function


def finding(kind: FindingKind, impact: Impact, name: str = "f") -> Finding:
    return Finding(
        kind=kind,
        function_name=name,
        account=None,
        region=None,
        title="t",
        summary="s",
        evidence={},
        impact=impact,
        recommendation="r",
    )


def test_ranking_puts_failures_then_money_then_waiting() -> None:
    findings = [
        finding(FindingKind.UNSTRUCTURED_LOGGING, Impact()),
        finding(FindingKind.COLD_STARTS, Impact(monthly_wait_seconds=900)),
        finding(FindingKind.MEMORY, Impact(monthly_usd=5.0), "small"),
        finding(FindingKind.MEMORY, Impact(monthly_usd=500.0), "large"),
        finding(FindingKind.TIMEOUTS, Impact(monthly_invocations=3, monthly_usd=0.1)),
        finding(FindingKind.CONNECTION_EXHAUSTION, Impact(monthly_invocations=300)),
    ]
    ranked = [(item.kind, item.function_name) for item in rank_findings(findings)]
    assert ranked == [
        (FindingKind.CONNECTION_EXHAUSTION, "f"),
        (FindingKind.TIMEOUTS, "f"),
        (FindingKind.MEMORY, "large"),
        (FindingKind.MEMORY, "small"),
        (FindingKind.COLD_STARTS, "f"),
        (FindingKind.UNSTRUCTURED_LOGGING, "f"),
    ]


def test_report_ranks_timeout_before_memory(tmp_path: Path) -> None:
    report = advise(write_lake(tmp_path, [timing_out("ledger")]), day_scope())
    kinds = [item.kind for item in report.findings]
    assert kinds == [FindingKind.TIMEOUTS, FindingKind.MEMORY]
    assert report.observed_hours == pytest.approx(23.2, abs=0.1)


def test_function_option_limits_findings(tmp_path: Path) -> None:
    lake = write_lake(tmp_path, [timing_out("ledger"), over_provisioned("orders")])
    report = advise(lake, day_scope(function_name="orders"))
    assert {item.function_name for item in report.findings} == {"orders"}


def test_unknown_function_lists_known_ones(tmp_path: Path) -> None:
    lake = write_lake(tmp_path, [over_provisioned("orders")])
    with pytest.raises(UnknownFunctionError, match=r"'order'.*functions with invocations: orders"):
        advise(lake, day_scope(function_name="order"))


def test_range_outside_data_has_no_findings(tmp_path: Path) -> None:
    lake = write_lake(tmp_path, [timing_out("ledger")])
    later = Scope(DAY + timedelta(days=1), DAY + timedelta(days=2))
    report = advise(lake, later)
    assert report.findings == ()
    assert report.observed_hours == 0.0
    assert "nothing to advise on" in report.notes[0]


def test_empty_lake_has_no_findings(tmp_path: Path) -> None:
    report = advise(open_lake(str(tmp_path / "empty")), day_scope())
    assert report.findings == ()


def test_region_without_prices_noted(tmp_path: Path) -> None:
    lake = write_lake(tmp_path, [over_provisioned("orders", region="ap-south-2")])
    report = advise(lake, day_scope())
    assert any("region ap-south-2" in note for note in report.notes)


def test_arm64_prices_lower_saving(tmp_path: Path) -> None:
    lake = write_lake(tmp_path, [over_provisioned("orders")])
    x86 = advise(lake, day_scope()).findings[0].impact.monthly_usd
    arm = advise(lake, day_scope(), architecture="arm64").findings[0].impact.monthly_usd
    assert arm == pytest.approx(x86 * 0.0000133334 / 0.0000166667)


def test_scope_needs_time_zone_and_order() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Scope(DAY.replace(tzinfo=None), DAY + timedelta(days=1))
    with pytest.raises(ValueError, match="is not after"):
        Scope(DAY, DAY)


def test_json_has_ranked_findings_and_charts(tmp_path: Path) -> None:
    report = advise(write_lake(tmp_path, [timing_out("ledger")]), day_scope())
    document = orjson.loads(report_to_json(report))
    assert [item["rank"] for item in document["findings"]] == [1, 2]
    memory = document["findings"][1]
    assert memory["kind"] == "memory"
    assert memory["evidence"]["recommended_memory_mb"] == 192
    chart = memory["charts"][0]
    assert chart["y"] == ["max_used_mb", "p99_used_mb", "memory_size_mb"]
    assert chart["rows"][0]["bucket"].endswith("Z")
    assert document["prices"]["as_of"] == "2025-06-01"


def test_markdown_has_table_and_sections(tmp_path: Path) -> None:
    report = advise(write_lake(tmp_path, [timing_out("ledger")]), day_scope())
    markdown = report_to_markdown(report)
    assert "| 1 | ledger | Invocations time out |" in markdown
    assert "## 2. ledger: Memory size far above what the function uses" in markdown
    assert "**What to do:**" in markdown
    assert "list prices as of 2025-06-01" in markdown
