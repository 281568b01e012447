"""loglake ingest of saved X-Ray output, loglake request, loglake trace and loglake xray pull."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner, Result

from loglake.cli.main import cli
from tests.helpers import awslogs_event, subscription_payload
from tests.xray.stubs import EVENTS, lambda_summary, lambda_trace, stubbed_client

REQUEST_ID = "3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19"
TRACE_ID = "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"
ORDERS_LINES = [
    f"START RequestId: {REQUEST_ID} Version: $LATEST\n",
    '{"level":"INFO","message":"Order stored","function_request_id":"'
    + REQUEST_ID
    + f'","xray_trace_id":"{TRACE_ID}"}}\n',
    "a line that names no request\n",
    f"END RequestId: {REQUEST_ID}\n",
    f"REPORT RequestId: {REQUEST_ID}\tDuration: 140.00 ms\tBilled Duration: 782 ms\t"
    "Memory Size: 1024 MB\tMax Memory Used: 97 MB\tInit Duration: 642.00 ms\t\n"
    f"XRAY TraceId: {TRACE_ID}\tSegmentId: 4f59da37c54bea22\tSampled: true\t\n",
]
TRACED_FUNCTIONS = ("orders-api", "checkout-web", "payments-java")


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli, list(arguments))


def sql_json(lake: Path, query: str) -> list[dict[str, Any]]:
    result = run("sql", "--lake", str(lake), "--format", "json", query)
    assert result.exit_code == 0, result.output
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


@pytest.fixture
def orders_lake(tmp_path: Path) -> Path:
    """A lake with one traced cold start of orders-api: its logs, summary and segments."""
    inputs, lake = tmp_path / "inputs", tmp_path / "lake"
    inputs.mkdir()
    for name in ("get-trace-summaries-page-1.json", "get-trace-summaries-page-2.json",
                 "batch-get-traces.json"):  # fmt: skip
        shutil.copy(EVENTS / name, inputs / name)
    payload = subscription_payload(ORDERS_LINES, start_ms=1_793_607_249_100)
    (inputs / "orders-api.json").write_bytes(orjson.dumps(awslogs_event(payload)))
    result = run("ingest", "--lake", str(lake), str(inputs))
    assert result.exit_code == 0, result.output
    return lake


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lake = tmp_path_factory.mktemp("demo") / "lake"
    result = run("demo", "--lake", str(lake), "--date", "2026-11-02", "--invocations", "300")
    assert result.exit_code == 0, result.output
    assert "X-Ray traces with" in result.output
    (lake.parent / "demo-output.txt").write_text(result.output)
    return lake


def run_into_closed_pipe(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    """Run loglake with standard output a pipe whose reader has already gone, as | head does."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-c", "from loglake.cli.main import cli; cli()", *arguments],
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


def test_two_summary_pages_one_row_per_trace(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    pages = [str(EVENTS / f"get-trace-summaries-page-{n}.json") for n in (1, 2)]
    result = run("ingest", "--lake", str(lake), *pages)
    assert result.exit_code == 0, result.output
    assert "6 trace summaries and 0 segments written" in result.output

    rows = sql_json(
        lake,
        "SELECT trace_id, revision, has_fault, has_error, has_throttle, http_status, "
        "root_cause_service, root_cause_error_type FROM traces ORDER BY trace_id",
    )
    assert [row["trace_id"] for row in rows] == [
        "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7",
        "1-6ae84652-0d9e4f1a6b2c83e57f1a2b3c",
        "1-6ae8465e-47c1d2a9e8b3f6a05c2d1e90",
        "1-6ae84685-93c30046147e556a24b5a833",
        "1-6ae84689-2f0e8c1d7a6b5e4f3c2d1e0a",
    ]
    by_id = {row.pop("trace_id"): row for row in rows}
    assert by_id["1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"]["revision"] == 5
    assert by_id["1-6ae84652-0d9e4f1a6b2c83e57f1a2b3c"] == {
        "revision": 4, "has_fault": True, "has_error": False, "has_throttle": False,
        "http_status": 502, "root_cause_service": "payments.example.com",
        "root_cause_error_type": "Error",
    }  # fmt: skip
    assert by_id["1-6ae8465e-47c1d2a9e8b3f6a05c2d1e90"] == {
        "revision": 1, "has_fault": False, "has_error": True, "has_throttle": True,
        "http_status": None, "root_cause_service": "DynamoDB",
        "root_cause_error_type": "ProvisionedThroughputExceededException",
    }  # fmt: skip
    assert by_id["1-6ae84689-2f0e8c1d7a6b5e4f3c2d1e0a"]["http_status"] == 404

    again = run("ingest", "--lake", str(lake), *pages)
    assert again.exit_code == 0, again.output
    assert sql_json(lake, "SELECT count(*) AS n FROM traces") == [{"n": 5}]


def test_bad_xray_file_named(tmp_path: Path) -> None:
    bad = tmp_path / "summaries.json"
    bad.write_text(
        '{"TraceSummaries": [{"Id": "nope"}, {"Id": "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"}]}'
    )
    result = run("ingest", "--lake", str(tmp_path / "lake"), str(bad))
    assert result.exit_code == 1
    assert f"error: file {bad}#0: TraceSummaries[0] Id is 'nope'" in result.output
    assert "1 trace summaries" in result.output


def test_request_shows_logs_report_trace(orders_lake: Path) -> None:
    result = run("request", "--lake", str(orders_lake), REQUEST_ID)
    assert result.exit_code == 0, result.output
    output = result.output
    assert "a line that names no request" in output
    assert '"message":"Order' in output
    assert "642.0" in output
    assert (
        "REPORT: yes (642.00 ms); segments: Initialization subsegment (642.00 ms); they agree"
        in output
    )
    assert "POST https://api.example.com/prod/orders 200" in output
    for segment in ("orders-api/prod", "Initialization", "Invocation", "DynamoDB GetItem",
                    "DynamoDB PutItem", "Overhead"):  # fmt: skip
        assert segment in output
    assert "█" in output


def test_request_json_carries_same(orders_lake: Path) -> None:
    result = run("request", "--lake", str(orders_lake), "--format", "json", REQUEST_ID)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert [line["type"] for line in document["logs"]] == ["START", "APP", "APP", "END", "REPORT"]
    assert document["report"]["init_duration_ms"] == 642.0
    assert document["report"]["cold_start"] is True
    assert document["trace_id"] == TRACE_ID
    assert document["trace"]["http_status"] == 200
    assert document["cold_start"] == {
        "report": True, "report_init_ms": 642.0, "subsegment": "Initialization",
        "subsegment_ms": 642.0, "agrees": True,
    }  # fmt: skip
    waterfall = document["waterfall"]
    assert [(bar["depth"], bar["name"]) for bar in waterfall[:5]] == [
        (0, "orders-api/prod"), (1, "Lambda"), (2, "orders-api"), (3, "orders-api"),
        (4, "Initialization"),
    ]  # fmt: skip
    invocation = next(bar for bar in waterfall if bar["name"] == "Invocation")
    assert invocation["offset_ms"] == 652.0
    assert invocation["duration_ms"] == 140.0


def test_trace_from_other_end(orders_lake: Path) -> None:
    w3c = TRACE_ID[2:].replace("-", "")
    result = run("trace", "--lake", str(orders_lake), "--format", "json", w3c)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["trace_id"] == TRACE_ID
    assert [view["request_id"] for view in document["requests"]] == [REQUEST_ID]
    assert len(document["requests"][0]["logs"]) == 5
    table = run("trace", "--lake", str(orders_lake), TRACE_ID)
    assert table.exit_code == 0, table.output
    assert f"Request {REQUEST_ID}" in table.output


def test_trace_without_logs(orders_lake: Path) -> None:
    result = run("trace", "--lake", str(orders_lake), "1-6ae84652-0d9e4f1a6b2c83e57f1a2b3c")
    assert result.exit_code == 0, result.output
    assert "payments.example.com" in result.output
    assert "5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31" in result.output
    assert "REPORT     │ not in the lake" in result.output


def test_unknown_ids_exit_one(orders_lake: Path) -> None:
    missing = run("request", "--lake", str(orders_lake), "00000000-0000-4000-8000-000000000000")
    assert missing.exit_code == 1
    assert "is not in the lake" in missing.output
    unknown = run("trace", "--lake", str(orders_lake), "1-6ae84651-000000000000000000000000")
    assert unknown.exit_code == 1


def test_invalid_trace_id_is_usage_error(orders_lake: Path) -> None:
    result = run("trace", "--lake", str(orders_lake), "not-a-trace")
    assert result.exit_code == 2
    assert "'not-a-trace' is not a trace ID" in result.output
    assert "expected the X-Ray form 1-<8 hex>-<24 hex>" in result.output
    assert "trace [OPTIONS] TRACE_ID" in result.output
    assert "COMMAND" not in result.output


def test_closed_pipe_exits_zero(orders_lake: Path) -> None:
    for arguments in (
        ("request", "--lake", str(orders_lake), REQUEST_ID),
        ("request", "--lake", str(orders_lake), "--format", "json", REQUEST_ID),
        ("trace", "--lake", str(orders_lake), TRACE_ID),
    ):
        completed = run_into_closed_pipe(*arguments)
        assert completed.returncode == 0, (arguments, completed.stderr.decode())
        assert completed.stderr == b"", arguments


def test_demo_prints_trace_example(demo_lake: Path) -> None:
    output = (demo_lake.parent / "demo-output.txt").read_text()
    command = next(line.split() for line in output.splitlines() if "loglake trace " in line)
    assert command[:3] == ["loglake", "trace", "--lake"]
    result = run(*command[1:])
    assert result.exit_code == 0, result.output
    assert f"Trace {command[-1]}" in result.output
    assert "Initialization" in result.output


def test_demo_request_shows_trace(demo_lake: Path) -> None:
    rows = sql_json(
        demo_lake,
        "SELECT i.request_id, i.init_duration_ms FROM invocations i JOIN traces USING (trace_id) "
        "WHERE i.function_name = 'orders-api' AND i.cold_start ORDER BY i.timestamp LIMIT 1",
    )
    request_id = rows[0]["request_id"]
    table = run("request", "--lake", str(demo_lake), request_id)
    assert table.exit_code == 0, table.output
    for text in ("Log lines", "REPORT", "Received order request", "Trace 1-", "Segments",
                 "Initialization", "Invocation", "they agree"):  # fmt: skip
        assert text in table.output

    result = run("request", "--lake", str(demo_lake), "--format", "json", request_id)
    document = json.loads(result.output)
    assert document["report"]["function_name"] == "orders-api"
    assert document["trace"]["function_name"] == "orders-api"
    assert {line["type"] for line in document["logs"]} >= {"START", "APP", "END", "REPORT"}
    assert document["cold_start"]["agrees"] is True
    assert document["cold_start"]["subsegment_ms"] == rows[0]["init_duration_ms"]
    assert any(bar["name"] == "DynamoDB" for bar in document["waterfall"])


def test_demo_cold_starts_agree_with_segments(demo_lake: Path) -> None:
    functions = ", ".join(f"'{name}'" for name in TRACED_FUNCTIONS)
    rows = sql_json(
        demo_lake,
        "SELECT i.function_name, i.cold_start, "
        "coalesce(i.init_duration_ms, i.restore_duration_ms) AS report_ms, "
        "s.name AS phase, s.duration_ms AS phase_ms "
        "FROM invocations i JOIN traces t USING (trace_id) "
        "JOIN segments f ON f.trace_id = i.trace_id AND f.origin = 'AWS::Lambda::Function' "
        "LEFT JOIN segments s ON s.parent_id = f.segment_id "
        "AND s.name IN ('Initialization', 'Restore') "
        f"WHERE i.function_name IN ({functions})",
    )
    assert {row["function_name"] for row in rows} == set(TRACED_FUNCTIONS)
    cold = [row for row in rows if row["cold_start"]]
    assert len(cold) >= 5
    for row in rows:
        assert (row["phase"] is not None) == row["cold_start"], row
        if row["cold_start"]:
            assert row["phase_ms"] == pytest.approx(row["report_ms"], abs=0.01)
    assert {row["phase"] for row in cold} == {"Initialization", "Restore"}


def test_xray_pull_range_then_checkpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, stubber = stubbed_client()
    monkeypatch.setattr("loglake.cli.xray_command.xray_client", lambda region=None: client)
    monkeypatch.setenv("LOGLAKE_XRAY_WINDOW_MINUTES", "60")
    start_s = 1_793_606_400
    stubber.add_response("get_trace_summaries", {"TraceSummaries": [lambda_summary(start_s, 1)]})
    stubber.add_response("batch_get_traces", {"Traces": [lambda_trace(start_s, 1)]})
    lake = tmp_path / "lake"
    result = run("xray", "pull", "--lake", str(lake), "--start", "2026-11-02T08:10:00Z",
                 "--end", "2026-11-02T08:50:00Z")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "1 window(s), 2026-11-02T08:00:00Z to 2026-11-02T09:00:00Z: 1 trace(s)" in result.output
    assert not (lake / "_state").exists()
    stubber.assert_no_pending_responses()

    (lake / "_state" / "xray").mkdir(parents=True)
    (lake / "_state" / "xray" / "checkpoint.json").write_text('{"end_epoch_s": 9999999999}')
    caught_up = run("xray", "pull", "--lake", str(lake))
    assert caught_up.exit_code == 0, caught_up.output
    assert "no complete window to pull yet" in caught_up.output


def test_xray_pull_failure_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client, stubber = stubbed_client()
    monkeypatch.setattr("loglake.cli.xray_command.xray_client", lambda region=None: client)
    stubber.add_client_error(
        "get_trace_summaries", service_error_code="AccessDeniedException", http_status_code=403
    )
    result = run("xray", "pull", "--lake", str(tmp_path / "lake"), "--since", "5m")
    assert result.exit_code == 1
    assert "reading X-Ray failed" in result.output
    assert "AccessDeniedException" in result.output
