"""Invocation context within one log stream: what a line alone cannot show.

Lambda runs one invocation at a time per execution environment, and each environment writes
its own log stream, so within a delivery (one stream, events in order) the lines between
``START`` and ``REPORT`` of a request belong to it. This pass fills the request ID of lines
that print none (``print()`` output, Go and Java lines) and gives a REPORT without a
``Status`` field the outcome the other lines of its invocation show. When active tracing
is on, the REPORT names the invocation's X-Ray trace, and every line of the invocation
without a trace ID of its own gets it: the lines since the REPORT before it, and lines
after it that name the same request ID. The REPORT's segment ID stays on the REPORT,
because it identifies the function's segment, not the segment of each line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from loglake.ingest.model import ParsedLine

OUT_OF_MEMORY = "Runtime.OutOfMemory"


@dataclass(slots=True)
class _Evidence:
    timed_out: bool = False
    error_type: str | None = None
    runtime_exited: bool = False


def apply_invocation_context(lines: Sequence[ParsedLine]) -> None:
    """Fill request IDs, REPORT outcomes and trace IDs in place, for the lines of one log stream."""
    current: str | None = None
    evidence: dict[str, _Evidence] = {}
    # The trace ID of each request whose REPORT came earlier in ``lines``.
    reported_traces: dict[str, str] = {}
    after_last_report = 0

    for index, line in enumerate(lines):
        line_type = line.type
        if line_type == "START" and line.request_id:
            current = line.request_id
        elif line.request_id is None and current is not None and line_type in _INVOCATION_LINES:
            line.request_id = current

        request_id = line.request_id
        if request_id and line_type in _INVOCATION_LINES:
            _record_evidence(evidence.setdefault(request_id, _Evidence()), line)

        if line_type == "REPORT":
            if request_id:
                _settle_report(line, evidence.pop(request_id, None))
                if line.trace_id is not None:
                    _copy_trace_id(lines, after_last_report, index, request_id, line.trace_id)
                    reported_traces[request_id] = line.trace_id
            current = None
            after_last_report = index + 1
        elif reported_traces and line.trace_id is None and request_id in reported_traces:
            line.trace_id = reported_traces[request_id]


_INVOCATION_LINES = ("APP", "PLATFORM")
"""Line types that a request ID from START is filled into and that show an outcome."""


def _copy_trace_id(
    lines: Sequence[ParsedLine], start: int, end: int, request_id: str, trace_id: str
) -> None:
    """Give ``trace_id`` to the lines in ``lines[start:end]`` of ``request_id`` that have none."""
    for line in lines[start:end]:
        if line.trace_id is None and line.request_id == request_id:
            line.trace_id = trace_id


def _record_evidence(evidence: _Evidence, line: ParsedLine) -> None:
    if line.status == "timeout":
        evidence.timed_out = True
    elif line.status == "error":
        evidence.error_type = line.error_type or evidence.error_type
        # "Runtime exited with error: signal: killed" names Runtime.ExitError on its own
        # line, in the next event, or not at all.
        if line.type == "PLATFORM" and line.error_type in (None, "Runtime.ExitError"):
            evidence.runtime_exited = True


def _settle_report(report: ParsedLine, evidence: _Evidence | None) -> None:
    """Give a REPORT its outcome: its own Status first, then what its invocation's lines show."""
    memory_full = (
        report.max_memory_used_mb is not None
        and report.memory_size_mb is not None
        and report.max_memory_used_mb >= report.memory_size_mb
    )
    if report.status is not None:
        if report.status == "error" and report.error_type is None and memory_full:
            report.error_type = OUT_OF_MEMORY
        return

    if evidence is None:
        report.status = "success"
    elif evidence.timed_out:
        report.status = "timeout"
    elif evidence.runtime_exited and memory_full:
        report.status = "error"
        report.error_type = OUT_OF_MEMORY
    elif evidence.error_type is not None or evidence.runtime_exited:
        report.status = "error"
        report.error_type = evidence.error_type or "Runtime.ExitError"
    else:
        report.status = "success"
