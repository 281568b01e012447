"""The scheduled X-Ray poller Lambda: one log line per run, early stop, failures raised."""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from loglake.ingest.store import LocalStore
from loglake.ingest.structured_logging import configure_logging
from loglake.ingest.xray.checkpoint import read_checkpoint, write_checkpoint
from tests.xray.stubs import stubbed_client


@pytest.fixture(autouse=True)
def log_to_real_stdout() -> Any:
    """Point structlog back at the process's stdout once capsys closes its stream."""
    yield
    configure_logging("INFO", sys.__stdout__)


def load_poller(lake: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, Any]:
    monkeypatch.setenv("LOGLAKE_LAKE", str(lake))
    monkeypatch.setenv("LOGLAKE_LOG_LEVEL", "INFO")
    name = "loglake.ingest.xray.handler"
    module = (
        importlib.reload(sys.modules[name])
        if name in sys.modules
        else importlib.import_module(name)
    )
    client, stubber = stubbed_client()
    module._poller.client = client
    module._poller.backoff.sleep = lambda seconds: None
    return module, stubber


def context(remaining_ms: int = 900_000) -> Any:
    return SimpleNamespace(
        aws_request_id="c0ffee00-0000-4000-8000-000000000001",
        get_remaining_time_in_millis=lambda: remaining_ms,
    )


def log_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def due_checkpoint(module: ModuleType, windows: int) -> int:
    """Return a checkpoint that leaves ``windows`` complete windows due now."""
    poller = module._poller
    latest_end = (int(time.time()) - poller.delay_s) // poller.window_s * poller.window_s
    return latest_end - windows * poller.window_s


def test_run_pulls_due_windows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module, stubber = load_poller(tmp_path, monkeypatch)
    store = LocalStore(tmp_path)
    write_checkpoint(store, due_checkpoint(module, 2))
    for _ in range(2):
        stubber.add_response("get_trace_summaries", {"TraceSummaries": []})
    summary = module.handler({"source": "aws.events"}, context())
    stubber.assert_no_pending_responses()
    assert summary["windows"] == 2
    assert summary["caught_up"] is True
    assert read_checkpoint(store) == summary["checkpoint_epoch_s"]
    line = log_lines(capsys.readouterr().out)[-1]
    assert line["event"] == "xray.pull"
    assert line["windows"] == 2
    assert line["aws_request_id"] == "c0ffee00-0000-4000-8000-000000000001"


def test_run_stops_when_time_runs_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module, _ = load_poller(tmp_path, monkeypatch)
    store = LocalStore(tmp_path)
    checkpoint = due_checkpoint(module, 3)
    write_checkpoint(store, checkpoint)
    summary = module.handler({}, context(remaining_ms=30_000))
    assert summary["windows"] == 0
    assert summary["caught_up"] is False
    assert read_checkpoint(store) == checkpoint


def test_failed_run_raises_and_logs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module, stubber = load_poller(tmp_path, monkeypatch)
    write_checkpoint(LocalStore(tmp_path), due_checkpoint(module, 1))
    stubber.add_client_error(
        "get_trace_summaries", service_error_code="AccessDeniedException", http_status_code=403
    )
    with pytest.raises(Exception, match="AccessDeniedException"):
        module.handler({}, context())
    line = log_lines(capsys.readouterr().out)[-1]
    assert line["event"] == "xray.pull_failed"
    assert line["level"] == "error"
