"""loglake advise on the demo lake: the findings the sample account is built to show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from loglake.cli.main import cli
from tests.advisor.fixture_lake import DAY, Function, spread, write_lake

RANGE = ["--start", "2026-11-02T00:00:00Z", "--end", "2026-11-03T00:00:00Z"]


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> str:
    lake = str(tmp_path_factory.mktemp("advisor") / "lake")
    result = CliRunner().invoke(
        cli, ["demo", "--lake", lake, "--date", "2026-11-02", "--invocations", "300"]
    )
    assert result.exit_code == 0, result.output
    return lake


def advise(*arguments: str) -> Any:
    return CliRunner().invoke(cli, ["advise", *arguments])


@pytest.fixture(scope="module")
def demo_report(demo_lake: str) -> list[dict[str, Any]]:
    """Return the findings of ``loglake advise --format json`` on the demo lake."""
    result = advise("--lake", demo_lake, *RANGE, "--format", "json")
    assert result.exit_code == 0, result.output
    findings: list[dict[str, Any]] = json.loads(result.output)["findings"]
    return findings


@pytest.fixture
def small_lake(tmp_path: Path) -> str:
    ledger = Function("ledger")
    for at in spread(30):
        ledger.invoke(at, 300.0, memory_size_mb=1024, max_memory_used_mb=120)
    ledger.invoke(DAY, 6004.0, memory_size_mb=1024, status="timeout")
    orders = Function("orders")
    for at in spread(30):
        orders.invoke(at, 100.0, memory_size_mb=1024, max_memory_used_mb=90)
    write_lake(tmp_path, [ledger, orders])
    return str(tmp_path)


def of_kind(findings: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [finding for finding in findings if finding["kind"] == kind]


def test_demo_memory_headroom(demo_report: list[dict[str, Any]]) -> None:
    memory = of_kind(demo_report, "memory")
    unused = {
        item["function_name"]: item["evidence"]["memory_size_mb"]
        - item["evidence"]["max_memory_used_mb"]
        for item in memory
    }
    assert max(unused, key=unused.__getitem__) == "payments-java"
    [payments] = [item for item in memory if item["function_name"] == "payments-java"]
    assert payments["evidence"]["memory_size_mb"] == 2048
    assert payments["evidence"]["recommended_memory_mb"] == 320
    assert payments["impact"]["monthly_usd"] > 0


def test_demo_out_of_memory_kill(demo_report: list[dict[str, Any]]) -> None:
    [kill] = of_kind(demo_report, "out_of_memory")
    assert kill["function_name"] == "thumbnail-generator"
    assert kill["evidence"]["out_of_memory_kills"] == 1
    assert kill["evidence"]["memory_size_mb"] == 1024
    assert len(kill["request_ids"]) == 1


def test_demo_timeouts(demo_report: list[dict[str, Any]]) -> None:
    [timeouts] = of_kind(demo_report, "timeouts")
    assert timeouts["function_name"] == "ledger-worker"
    assert timeouts["evidence"]["timeout_s_inferred"] == 30
    assert timeouts["evidence"]["timeouts"] >= 2
    assert len(timeouts["request_ids"]) == timeouts["evidence"]["timeouts"]


def test_demo_connection_exhaustion(demo_report: list[dict[str, Any]]) -> None:
    [exhaustion] = of_kind(demo_report, "connection_exhaustion")
    assert exhaustion["function_name"] == "ledger-worker"
    patterns = {item["pattern"] for item in exhaustion["evidence"]["patterns"]}
    assert patterns & {"postgresql_too_many_clients", "postgresql_slots_reserved"}
    assert exhaustion["evidence"]["rises_with_load"] is True
    assert exhaustion["rank"] == 1


def test_demo_cold_starts(demo_report: list[dict[str, Any]]) -> None:
    cold = of_kind(demo_report, "cold_starts")
    names = {item["function_name"] for item in cold}
    assert {"orders-api", "ledger-worker", "payments-java"} <= names
    for item in cold:
        evidence = item["evidence"]
        phase = "restore" if evidence["uses_snapstart"] else "init"
        assert evidence[f"{phase}_p50_ms"] <= evidence[f"{phase}_p95_ms"]
        assert evidence[f"{phase}_p95_ms"] <= evidence[f"{phase}_p99_ms"]
        assert evidence["cold_starts"] > 0


def test_function_option(small_lake: str) -> None:
    result = advise("--lake", small_lake, *RANGE, "--format", "json", "--function", "orders")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["findings"]
    assert findings
    assert {item["function_name"] for item in findings} == {"orders"}


def test_unknown_function_exits_two(small_lake: str) -> None:
    result = advise("--lake", small_lake, *RANGE, "--function", "ledger-worker")
    assert result.exit_code == 2
    assert "functions with invocations: ledger, orders" in result.output


def test_markdown_report(small_lake: str) -> None:
    result = advise("--lake", small_lake, *RANGE, "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Lambda advisor report")
    assert "## 1. ledger: Invocations time out" in result.output


def test_table_report(small_lake: str) -> None:
    result = advise("--lake", small_lake, *RANGE, "--architecture", "arm64")
    assert result.exit_code == 0, result.output
    assert "Invocations time out" in result.output
    assert "arm64 list prices" in result.output


def test_since_with_start_is_usage_error(small_lake: str) -> None:
    result = advise("--lake", small_lake, "--since", "7d", "--start", "2026-11-02")
    assert result.exit_code == 2
    assert "either --since or --start/--end" in result.output


def test_empty_lake_warns(tmp_path: Path) -> None:
    result = advise("--lake", str(tmp_path / "empty"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert "holds no log objects yet" in result.output
