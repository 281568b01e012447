"""The scheduled compaction Lambda: one JSON log line per run, early stop, failures raised."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from loglake.ingest.compact.manifest import CompactionError
from loglake.ingest.store import LocalStore
from loglake.ingest.structured_logging import configure_logging
from tests.compact.lakes import HOUR_8, counts, deliver, invocation


@pytest.fixture(autouse=True)
def log_to_real_stdout() -> Any:
    """Point structlog back at the process's stdout once capsys closes its stream."""
    yield
    configure_logging("INFO", sys.__stdout__)


def load_handler(lake: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setenv("LOGLAKE_LAKE", str(lake))
    monkeypatch.setenv("LOGLAKE_LOG_LEVEL", "INFO")
    name = "loglake.ingest.compact.handler"
    if name in sys.modules:
        return importlib.reload(sys.modules[name])
    return importlib.import_module(name)


def context(remaining_ms: int = 900_000) -> Any:
    return SimpleNamespace(
        aws_request_id="c0ffee00-0000-4000-8000-000000000002",
        get_remaining_time_in_millis=lambda: remaining_ms,
    )


def log_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    store = LocalStore(tmp_path)
    for index in range(3):
        deliver(store, invocation(100 * index, HOUR_8 + index, request_id=f"r{index}"))
    return tmp_path


def test_handler_compacts_and_logs(
    lake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load_handler(lake, monkeypatch)

    summary = module.handler({"source": "aws.scheduler"}, context())

    assert summary["hours_compacted"] == 1
    assert summary["objects_merged"] == 3
    assert summary["rows_out"] == 9
    assert summary["stopped_early"] is False
    (line,) = [line for line in log_lines(capsys.readouterr().out) if line["event"] == "compact"]
    assert line["hours"] == ["logs/date=2026-11-02/hour=08"]
    assert line["aws_request_id"] == "c0ffee00-0000-4000-8000-000000000002"
    assert line["cold_start"] is True
    assert counts(str(lake)) == (9, 9)


def test_handler_stops_when_time_is_short(lake: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    module = load_handler(lake, monkeypatch)

    summary = module.handler({}, context(remaining_ms=1_000))

    assert summary["stopped_early"] is True
    assert summary["hours_compacted"] == 0


def test_handler_raises_on_invalid_object(
    lake: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = load_handler(lake, monkeypatch)
    (path,) = list(lake.glob("logs/*/*/*.parquet"))[:1]
    path.write_bytes(b"not parquet")

    with pytest.raises(CompactionError, match="is not valid Parquet"):
        module.handler({}, context())
    lines = log_lines(capsys.readouterr().out)
    (line,) = [line for line in lines if line["event"] == "compact"]
    assert line["hours_failed"] == 1
    assert "move it out of the lake" in line["failures"][0]


def test_handler_needs_lake_in_lambda(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "loglake-compact")
    monkeypatch.delenv("LOGLAKE_LAKE", raising=False)
    name = "loglake.ingest.compact.handler"
    with pytest.raises(RuntimeError, match="LOGLAKE_LAKE is not set"):
        if name in sys.modules:
            importlib.reload(sys.modules[name])
        else:
            importlib.import_module(name)
