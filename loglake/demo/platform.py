"""Lines that the Lambda service writes into a function's log stream.

TEXT format lines separate their fields with TABs and end with ``\\n``. A REPORT without a
status ends with ``\\t\\n``, and for traced functions an XRAY line follows in the same
event. In the JSON log format every platform line is one compact ``{"time", "type",
"record"}`` object with the Telemetry API schema and no trailing newline.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(slots=True)
class XrayHeader:
    """The X-Ray trace context Lambda gives a traced invocation."""

    trace_id: str
    segment_id: str
    sampled: bool


@dataclass(slots=True)
class ReportMetrics:
    """The figures a REPORT line states for one invocation."""

    duration_ms: float
    billed_duration_ms: int
    memory_size_mb: int
    max_memory_used_mb: int
    init_duration_ms: float | None = None
    restore_duration_ms: float | None = None
    billed_restore_duration_ms: int | None = None
    status: str = "success"
    """success, error or timeout."""
    error_type: str | None = None


def runtime_version_arn(partition: str, region: str, runtime_version: str) -> str:
    """Return a runtime version ARN whose 64-hex suffix is derived from the version string."""
    digest = hashlib.sha256(f"{region}/{runtime_version}".encode()).hexdigest()
    return f"arn:{partition}:lambda:{region}::runtime:{digest}"


def init_start_line(runtime_version: str, runtime_arn: str) -> str:
    """Format INIT_START, written once when an execution environment initialises."""
    return f"INIT_START Runtime Version: {runtime_version}\tRuntime Version ARN: {runtime_arn}\n"


def restore_start_line(runtime_version: str, runtime_arn: str) -> str:
    """Format RESTORE_START, written when SnapStart restores an environment from a snapshot."""
    return f"RESTORE_START Runtime Version: {runtime_version}\tRuntime Version ARN: {runtime_arn}\n"


def restore_report_line(restore_ms: float) -> str:
    """Format RESTORE_REPORT with the restore duration in milliseconds."""
    return f"RESTORE_REPORT Restore Duration: {restore_ms:.2f} ms\n"


def telemetry_line(extension: str) -> str:
    """Format the TELEMETRY line of an extension that subscribed to the Telemetry API."""
    return (
        f"TELEMETRY\tName: {extension}\tState: Subscribed\tTypes: [Platform, Function, Extension]\n"
    )


def extension_line(extension: str) -> str:
    """Format the EXTENSION line of an extension that registered for INVOKE and SHUTDOWN."""
    return f"EXTENSION\tName: {extension}\tState: Ready\tEvents: [INVOKE,SHUTDOWN]\n"


def start_line(request_id: str, version: str) -> str:
    """Format START, whose separator after the request ID is a space, not a TAB."""
    return f"START RequestId: {request_id} Version: {version}\n"


def end_line(request_id: str) -> str:
    """Format END."""
    return f"END RequestId: {request_id}\n"


def task_timed_out_line(iso_timestamp: str, request_id: str, seconds: float) -> str:
    """Format the separate timeout line that Lambda writes on some timeouts."""
    return f"{iso_timestamp} {request_id} Task timed out after {seconds:.2f} seconds\n"


def report_line(request_id: str, metrics: ReportMetrics, xray: XrayHeader | None) -> str:
    """Format REPORT with its optional fields in Lambda's order and the XRAY continuation.

    The order is Init, then Restore and Billed Restore, then Status and Error Type. A
    A REPORT without a status ends in ``\\t\\n``, and one with a status in ``\\n``.
    """
    parts = [
        f"REPORT RequestId: {request_id}\tDuration: {metrics.duration_ms:.2f} ms\t"
        f"Billed Duration: {metrics.billed_duration_ms} ms\t"
        f"Memory Size: {metrics.memory_size_mb} MB\t"
        f"Max Memory Used: {metrics.max_memory_used_mb} MB\t"
    ]

    if metrics.init_duration_ms is not None:
        parts.append(f"Init Duration: {metrics.init_duration_ms:.2f} ms\t")
    if metrics.restore_duration_ms is not None:
        parts.append(
            f"Restore Duration: {metrics.restore_duration_ms:.2f} ms\t"
            f"Billed Restore Duration: {metrics.billed_restore_duration_ms} ms\t"
        )

    if metrics.status == "timeout":
        parts.append("Status: timeout\n")
    elif metrics.error_type is not None:
        parts.append(f"Status: error\tError Type: {metrics.error_type}\n")
    else:
        parts.append("\n")

    if xray is not None:
        sampled = "true" if xray.sampled else "false"
        parts.append(
            f"XRAY TraceId: {xray.trace_id}\tSegmentId: {xray.segment_id}\tSampled: {sampled}\t\n"
        )
    return "".join(parts)


def platform_record(iso_timestamp: str, event_type: str, record: dict[str, Any]) -> str:
    """Format one platform event as Lambda's JSON log format writes it."""
    return orjson.dumps({"time": iso_timestamp, "type": event_type, "record": record}).decode()


def json_report_record(request_id: str, metrics: ReportMetrics) -> dict[str, Any]:
    """Build the ``record`` of a ``platform.report`` event."""
    figures: dict[str, Any] = {
        "durationMs": round(metrics.duration_ms, 3),
        "billedDurationMs": metrics.billed_duration_ms,
        "memorySizeMB": metrics.memory_size_mb,
        "maxMemoryUsedMB": metrics.max_memory_used_mb,
    }
    if metrics.init_duration_ms is not None:
        figures["initDurationMs"] = round(metrics.init_duration_ms, 3)

    record: dict[str, Any] = {"requestId": request_id, "metrics": figures, "status": metrics.status}
    if metrics.error_type is not None:
        record["errorType"] = metrics.error_type
    return record
