"""The safety net of ``parse_message``: a parser that raises yields plain text and a log."""

from __future__ import annotations

import pytest
import structlog

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse import dispatch, parse_message


def raise_runtime_error(message: str) -> ParsedLine:
    raise RuntimeError("parser bug")


def test_parse_message_parser_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "parse_line", raise_runtime_error)

    with structlog.testing.capture_logs() as logs:
        parsed = parse_message("REPORT RequestId: secret-looking text")

    assert parsed == ParsedLine()
    assert len(logs) == 1
    assert logs[0]["event"] == "parse_message_failed"
    assert logs[0]["log_level"] == "error"
    assert logs[0]["error"] == "RuntimeError('parser bug')"
    assert logs[0]["message_length"] == 37
    assert "secret" not in repr(logs[0])


def test_parse_message_failure_logs_rate_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dispatch, "parse_line", raise_runtime_error)
    monkeypatch.setattr(dispatch, "_failure_count", 0)

    with structlog.testing.capture_logs() as logs:
        for _ in range(2000):
            parse_message("x")

    # The first 10 failures, then the 1000th and the 2000th.
    assert [log["failure_count"] for log in logs] == [*range(1, 11), 1000, 2000]
