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


TRACE = "1-674d8f21-5b0c3e9a7d2f4a61c8e0b735"
SEGMENT = "9a4c2e7f1b3d5a08"


def traced_report() -> ParsedLine:
    return report(trace_id=TRACE, segment_id=SEGMENT)


def test_report_trace_id_fills_invocation_lines() -> None:
    start = ParsedLine(type="START", request_id=REQUEST)
    printed = ParsedLine(type="APP")
    logged = ParsedLine(type="APP", request_id=REQUEST, level="INFO")
    end = ParsedLine(type="END", request_id=REQUEST)

    apply_invocation_context([start, printed, logged, end, traced_report()])

    assert [line.trace_id for line in (start, printed, logged, end)] == [TRACE] * 4
    assert [line.segment_id for line in (start, printed, logged, end)] == [None] * 4


def test_report_keeps_own_segment_id() -> None:
    line = traced_report()

    apply_invocation_context([ParsedLine(type="START", request_id=REQUEST), line])

    assert line.trace_id == TRACE
    assert line.segment_id == SEGMENT


def test_line_with_own_trace_id_keeps_it() -> None:
    own = ParsedLine(type="APP", request_id=REQUEST, trace_id="1-00000000-000000000000000000000001")

    apply_invocation_context([ParsedLine(type="START", request_id=REQUEST), own, traced_report()])

    assert own.trace_id == "1-00000000-000000000000000000000001"


def test_trace_id_skips_other_invocations() -> None:
    earlier = ParsedLine(type="APP", request_id="earlier-request")
    earlier_report = ParsedLine(type="REPORT", request_id="earlier-request")
    printed_before = ParsedLine(type="APP")
    other = ParsedLine(type="APP", request_id="other-request")

    start = ParsedLine(type="START", request_id=REQUEST)

    apply_invocation_context(
        [earlier, earlier_report, start, other, traced_report(), printed_before]
    )

    assert earlier.trace_id is None
    assert earlier_report.trace_id is None
    assert other.trace_id is None
    assert printed_before.trace_id is None


def test_trace_id_fills_later_lines_of_request() -> None:
    late = ParsedLine(type="APP", request_id=REQUEST)
    unrelated = ParsedLine(type="APP")

    apply_invocation_context([traced_report(), late, unrelated])

    assert late.trace_id == TRACE
    assert unrelated.trace_id is None


def test_report_without_trace_id_fills_none() -> None:
    printed = ParsedLine(type="APP")

    apply_invocation_context([ParsedLine(type="START", request_id=REQUEST), printed, report()])

    assert printed.request_id == REQUEST
    assert printed.trace_id is None
