"""The scheduled Lambda handler: check at the event's time, with state in the lake."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from loglake.analytics.alerts.handler import AlertCheckError, handler
from loglake.analytics.alerts.state import load_state
from loglake.ingest.store import open_store

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
    return lake, queries


def test_handler_checks_at_event_time(
    lambda_environment: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    lake, _ = lambda_environment
    context = SimpleNamespace(aws_request_id="4d1c0f4e-0000-4000-8000-000000000001")
    summary = handler(EVENT, context)
    assert summary["at"] == "2026-11-02T18:12:00+00:00"
    assert summary["alarms"] == 1
    assert summary["notifications"] == 1
    assert summary["failures"] == []
    output = capsys.readouterr().out
    assert "[ALARM] function-timeouts on ledger-worker" in output
    assert '"event":"alerts_checked"' in output

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
        "    value: missing_column\n    threshold: 1\n"
    )
    with pytest.raises(AlertCheckError, match="missing_column"):
        handler(EVENT, SimpleNamespace(aws_request_id="r-2"))


def test_handler_needs_lake(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOGLAKE_LAKE", raising=False)
    with pytest.raises(ValueError, match="LOGLAKE_LAKE is not set"):
        handler(EVENT, SimpleNamespace(aws_request_id="r-3"))
