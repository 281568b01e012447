"""Invocation context within one log stream: what a line alone cannot show.

Lambda runs one invocation at a time per execution environment, and each environment writes
its own log stream, so within a delivery (one stream, events in order) the lines between
``START`` and ``REPORT`` of a request belong to it. This pass fills the request ID of lines
that print none (``print()`` output, Go and Java lines) and gives a REPORT without a
``Status`` field the outcome the other lines of its invocation show.
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
    """Fill request IDs and REPORT outcomes in place, for the lines of one log stream."""
    current: str | None = None
    evidence: dict[str, _Evidence] = {}

    for line in lines:
        if line.type == "START" and line.request_id:
            current = line.request_id
        elif line.request_id is None and current is not None and line.type in ("APP", "PLATFORM"):
            line.request_id = current

        if line.request_id and line.type in ("APP", "PLATFORM"):
            _record_evidence(evidence.setdefault(line.request_id, _Evidence()), line)

        if line.type == "REPORT":
            if line.request_id:
                _settle_report(line, evidence.pop(line.request_id, None))
            current = None


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
