"""The scheduled Lambda handler: check at the event's time, with state in the lake."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest

from loglake.analytics.alerts import handler as handler_module
from loglake.analytics.alerts.handler import AlertCheckError, handler
from loglake.analytics.alerts.state import load_state
from loglake.ingest.store import open_store
from loglake.ingest.structured_logging import configure_logging

RULES = "rules:\n  - name: function-timeouts\n    type: timeout\n"
EVENT = {"source": "aws.events", "detail-type": "Scheduled Event", "time": "2026-11-02T18:12:00Z"}


@pytest.fixture
def lambda_environment(
    demo_lake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Path, Path]:
    lake = tmp_path / "lake"
    shutil.copytree(demo_lake, lake)
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "alerts.yaml").write_text(RULES)
    monkeypatch.setenv("LOGLAKE_LAKE", str(lake))
    monkeypatch.setenv("LOGLAKE_QUERIES", str(queries))
    # loglake demo, run in-process by other tests, leaves LOGLAKE_LOG_LEVEL=WARNING behind.
    monkeypatch.setenv("LOGLAKE_LOG_LEVEL", "INFO")
    return lake, queries


def test_handler_checks_at_event_time(
    lambda_environment: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lake, _ = lambda_environment
    # The handler's log lines go to a stream of the test's own, because structlog keeps the
    # stream it was configured with and other tests in the same worker reconfigure it.
    log_stream = io.StringIO()
    monkeypatch.setattr(
        handler_module, "configure_logging", lambda level: configure_logging(level, log_stream)
    )
    context = SimpleNamespace(aws_request_id="4d1c0f4e-0000-4000-8000-000000000001")
    summary = handler(EVENT, context)
    assert summary["at"] == "2026-11-02T18:12:00+00:00"
    assert summary["alarms"] == 1
    assert summary["notifications"] == 1
    assert summary["failures"] == []
    output = capsys.readouterr().out
    assert "[ALARM] function-timeouts on ledger-worker" in output
    assert '"event":"alerts_checked"' in log_stream.getvalue()

    state = load_state(open_store(str(lake)), "function-timeouts")
    assert state.alerts["function=ledger-worker"].announced == "ALARM"
    # A retried invocation of the same schedule sends nothing again.
    assert handler(EVENT, context)["notifications"] == 0


def test_handler_reports_failed_rules(
    lambda_environment: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, queries = lambda_environment
    (queries / "alerts.yaml").write_text(
        "rules:\n  - name: broken\n    insights: stats count(*) as n by @function\n"
        "    value: '@function'\n    threshold: 1\n"
    )
    with pytest.raises(AlertCheckError, match="not a number"):
        handler(EVENT, SimpleNamespace(aws_request_id="r-2"))


def test_handler_needs_lake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGLAKE_LAKE", raising=False)
    with pytest.raises(ValueError, match="LOGLAKE_LAKE is not set"):
        handler(EVENT, SimpleNamespace(aws_request_id="r-3"))


def test_handler_logs_unknown_functions(
    lambda_environment: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _, queries = lambda_environment
    (queries / "alerts.yaml").write_text(
        "rules:\n  - name: worker-timeouts\n    type: timeout\n"
        "    functions: [ledger-wrker, ledger-worker]\n"
    )
    summary = handler(EVENT, SimpleNamespace(aws_request_id="r-5"))
    assert summary["failures"] == []
    lines = [orjson.loads(line) for line in capsys.readouterr().out.splitlines() if line[:1] == "{"]
    warnings = [line for line in lines if line["event"] == "function_without_events"]
    assert len(warnings) == 1
    assert warnings[0]["rule"] == "worker-timeouts"
    assert warnings[0]["function"] == "ledger-wrker"
    assert warnings[0]["nearest"] == ["ledger-worker"]
