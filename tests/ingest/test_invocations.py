"""Request IDs and REPORT outcomes filled from the other lines of an invocation."""

from __future__ import annotations

from loglake.ingest.invocations import apply_invocation_context
from loglake.ingest.model import ParsedLine

REQUEST = "8e2d4f60-1a3b-4c5d-8e7f-90a1b2c3d4e5"


def report(**overrides: object) -> ParsedLine:
    line = ParsedLine(type="REPORT", request_id=REQUEST, memory_size_mb=128, max_memory_used_mb=71)
    for name, value in overrides.items():
        setattr(line, name, value)
    return line


def test_lines_between_start_and_report_get_request_id() -> None:
    printed = ParsedLine(type="APP")
    after = ParsedLine(type="APP")
    apply_invocation_context(
        [ParsedLine(type="START", request_id=REQUEST), printed, report(), after]
    )
    assert printed.request_id == REQUEST
    assert after.request_id is None


def test_line_with_own_request_id_keeps_it() -> None:
    other = ParsedLine(type="APP", request_id="other")
    apply_invocation_context([ParsedLine(type="START", request_id=REQUEST), other])
    assert other.request_id == "other"


def test_report_without_status_and_evidence_is_success() -> None:
    line = report()
    apply_invocation_context([line])
    assert line.status == "success"


def test_report_keeps_its_own_status() -> None:
    line = report(status="timeout")
    apply_invocation_context([ParsedLine(type="APP", request_id=REQUEST, status="error"), line])
    assert line.status == "timeout"


def test_timeout_line_sets_report_status() -> None:
    timed_out = ParsedLine(type="PLATFORM", request_id=REQUEST, status="timeout")
    line = report()
    apply_invocation_context([timed_out, line])
    assert line.status == "timeout"


def test_killed_at_full_memory_is_oom() -> None:
    killed = ParsedLine(
        type="PLATFORM", request_id=REQUEST, status="error", error_type="Runtime.ExitError"
    )
    line = report(max_memory_used_mb=128)
    apply_invocation_context([killed, line])
    assert line.status == "error"
    assert line.error_type == "Runtime.OutOfMemory"


def test_runtime_killed_below_memory_size_keeps_exit_error() -> None:
    killed = ParsedLine(
        type="PLATFORM", request_id=REQUEST, status="error", error_type="Runtime.ExitError"
    )
    line = report()
    apply_invocation_context([killed, line])
    assert line.error_type == "Runtime.ExitError"


def test_unhandled_error_line_marks_report_failed() -> None:
    thrown = ParsedLine(type="APP", request_id=REQUEST, status="error", error_type="TypeError")
    line = report()
    apply_invocation_context([thrown, line])
    assert line.status == "error"
    assert line.error_type == "TypeError"


def test_runtime_exit_without_type_counts() -> None:
    killed = ParsedLine(type="PLATFORM", request_id=REQUEST, status="error")
    line = report(max_memory_used_mb=128)
    apply_invocation_context([killed, line])
    assert line.error_type == "Runtime.OutOfMemory"
