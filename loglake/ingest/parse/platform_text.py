"""Parse Lambda's TEXT-format platform lines: START, END, REPORT, INIT_*, RESTORE_*, ...

``fields`` contains every ``Key: value`` pair of the line under its snake_case key, with the
value as printed (``"duration": "412.07 ms"``), so keys that Lambda adds in the future
are kept too. The one exception is the runtime version ARN, which loses any characters
after its 64 hex digits. A LOGS line (an extension subscribing to the Logs API, which the
Telemetry API replaced) is type TELEMETRY, like the TELEMETRY line it became.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.platform_fields import split_key_values
from loglake.ingest.parse.trace_ids import normalise_trace_id

_KEYWORD = re.compile(r"([A-Z_]{3,14})[\t ]+")

# A number followed by its unit or the end of the value: "412.07 ms", "128 MB".
_FLOAT = re.compile(r"[0-9]{1,15}(?:\.[0-9]{1,9})?(?=\s|$)")
_INT32 = re.compile(r"[0-9]{1,9}(?=\s|$)")

_EXACT_FORMS: dict[str, tuple[re.Pattern[str], tuple[str, ...]]] = {
    "START": (re.compile(r"RequestId: (\S+) Version: (\S+)\s*"), ("request_id", "version")),
    "END": (re.compile(r"RequestId: (\S+)\s*"), ("request_id",)),
}

# The runtime version ARN as Lambda prints it. One AWS documentation sample has a stray
# character after the 64 hex digits, which the match leaves out.
_RUNTIME_VERSION_ARN = re.compile(r"arn:[a-z-]+:lambda:[a-z0-9-]+::runtime:[0-9a-f]{64}")


# START and END lines as Lambda writes them, which are most platform lines. A match of the
# first line gives the columns that the general path below gives, at less cost.
_START_LINE = re.compile(r"START[\t ]+RequestId: (\S+) Version: (\S+)[^\S\n]*(?:\n|\Z)")
_END_LINE = re.compile(r"END[\t ]+RequestId: (\S+)[^\S\n]*(?:\n|\Z)")

# REPORT as Lambda writes it, with its XRAY block when tracing is on. Every value has the
# form that _FLOAT, _INT32 and _first_token read whole, so _build_lambda_report gives the
# columns of _build_report without the second pass over the fields.
_REPORT_LINE = re.compile(
    r"REPORT RequestId: ([0-9A-Za-z-]{1,64})"
    r"\tDuration: (([0-9]{1,15}(?:\.[0-9]{1,9})?) ms)"
    r"\tBilled Duration: (([0-9]{1,15}(?:\.[0-9]{1,9})?) ms)"
    r"\tMemory Size: (([0-9]{1,9}) MB)"
    r"\tMax Memory Used: (([0-9]{1,9}) MB)"
    r"(?:\tInit Duration: (([0-9]{1,15}(?:\.[0-9]{1,9})?) ms))?"
    r"\t?\n?"
    r"(?:XRAY TraceId: ([0-9A-Za-z-]{1,64})\tSegmentId: ([0-9A-Za-z]{1,32})"
    r"\tSampled: (true|false)\t?\n?)?"
)


def parse_platform_line(message: str) -> ParsedLine | None:
    """Parse a TEXT-format platform line, or return None if ``message`` is not one."""
    if message.startswith("START"):
        start = _START_LINE.match(message)
        if start is not None:
            request_id, version = start.groups()
            return ParsedLine(
                type="START",
                request_id=request_id,
                function_version=version,
                fields={"request_id": request_id, "version": version},
            )
    elif message.startswith("END"):
        end = _END_LINE.match(message)
        if end is not None:
            request_id = end.group(1)
            return ParsedLine(type="END", request_id=request_id, fields={"request_id": request_id})
    elif message.startswith("REPORT"):
        report = _REPORT_LINE.fullmatch(message)
        if report is not None:
            return _build_lambda_report(report)

    return parse_keyword_line(message)


def parse_keyword_line(message: str) -> ParsedLine | None:
    """Parse a platform line of any keyword and layout; ``parse_platform_line`` without
    its shortcuts for Lambda's own START, END and REPORT lines."""
    match = _KEYWORD.match(message)
    if match is None:
        return None

    keyword = match.group(1)
    known = _KEYWORDS.get(keyword)
    if known is None:
        return None

    line_type, first_key, build = known
    rest = message[match.end() :]
    if not rest.startswith(first_key):
        return None

    if keyword == "XRAY":
        # Split whole so that the key is "xray_trace_id", as in REPORT.
        rest = message
    elif keyword != "REPORT":
        # Only REPORT continues on a second line (XRAY, or a copy's wrapping). Other lines
        # can be followed by more events, as in the log tail that Invoke returns.
        rest = rest.partition("\n")[0]
    return build(line_type, _split_fields(keyword, rest))


def _split_fields(keyword: str, text: str) -> dict[str, str]:
    # The generic split gives the same result about three times slower.
    exact_form = _EXACT_FORMS.get(keyword)
    if exact_form is not None:
        pattern, names = exact_form
        match = pattern.fullmatch(text)
        if match is not None:
            return dict(zip(names, match.groups(), strict=True))
    return split_key_values(text)


def _first_token(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(maxsplit=1)[0]


def _float_value(value: str | None) -> float | None:
    match = _FLOAT.match(value) if value else None
    return float(match.group()) if match else None


def _int32_value(value: str | None) -> int | None:
    match = _INT32.match(value) if value else None
    return int(match.group()) if match else None


def _build_start(line_type: str, fields: dict[str, str]) -> ParsedLine:
    return ParsedLine(
        type=line_type,
        request_id=fields.get("request_id") or None,
        function_version=_first_token(fields.get("version")),
        fields=fields,
    )


def _build_end(line_type: str, fields: dict[str, str]) -> ParsedLine:
    return ParsedLine(type=line_type, request_id=fields.get("request_id") or None, fields=fields)


def _build_report(line_type: str, fields: dict[str, str]) -> ParsedLine:
    init_duration = _float_value(fields.get("init_duration"))
    restore_duration = _float_value(fields.get("restore_duration"))

    return ParsedLine(
        type=line_type,
        request_id=fields.get("request_id") or None,
        trace_id=normalise_trace_id(_first_token(fields.get("xray_trace_id"))),
        segment_id=_first_token(fields.get("segment_id")),
        error_type=_first_token(fields.get("error_type")),
        fields=fields,
        duration_ms=_float_value(fields.get("duration")),
        billed_duration_ms=_float_value(fields.get("billed_duration")),
        init_duration_ms=init_duration,
        restore_duration_ms=restore_duration,
        memory_size_mb=_int32_value(fields.get("memory_size")),
        max_memory_used_mb=_int32_value(fields.get("max_memory_used")),
        status=_first_token(fields.get("status")),
        cold_start=init_duration is not None or restore_duration is not None,
    )


def _build_lambda_report(match: re.Match[str]) -> ParsedLine:
    (
        request_id,
        duration,
        duration_number,
        billed_duration,
        billed_duration_number,
        memory_size,
        memory_size_number,
        max_memory_used,
        max_memory_used_number,
        init_duration,
        init_duration_number,
        trace_id,
        segment_id,
        sampled,
    ) = match.groups()
    # The keys in the order split_key_values gives them.
    fields = {
        "request_id": request_id,
        "duration": duration,
        "billed_duration": billed_duration,
        "memory_size": memory_size,
        "max_memory_used": max_memory_used,
    }
    if init_duration is not None:
        fields["init_duration"] = init_duration
    if trace_id is not None:
        fields["xray_trace_id"] = trace_id
        fields["segment_id"] = segment_id
        fields["sampled"] = sampled

    return ParsedLine(
        type="REPORT",
        request_id=request_id,
        trace_id=normalise_trace_id(trace_id),
        segment_id=segment_id,
        fields=fields,
        duration_ms=float(duration_number),
        billed_duration_ms=float(billed_duration_number),
        init_duration_ms=None if init_duration_number is None else float(init_duration_number),
        memory_size_mb=int(memory_size_number),
        max_memory_used_mb=int(max_memory_used_number),
        cold_start=init_duration_number is not None,
    )


def _build_runtime_start(line_type: str, fields: dict[str, str]) -> ParsedLine:
    arn = fields.get("runtime_version_arn")
    match = _RUNTIME_VERSION_ARN.match(arn) if arn else None
    if match is not None:
        fields["runtime_version_arn"] = match.group()
    return ParsedLine(type=line_type, fields=fields)


def _build_init_report(line_type: str, fields: dict[str, str]) -> ParsedLine:
    return ParsedLine(
        type=line_type,
        error_type=_first_token(fields.get("error_type")),
        fields=fields,
        init_duration_ms=_float_value(fields.get("init_duration")),
        status=_first_token(fields.get("status")),
    )


def _build_restore_report(line_type: str, fields: dict[str, str]) -> ParsedLine:
    return ParsedLine(
        type=line_type,
        error_type=_first_token(fields.get("error_type")),
        fields=fields,
        restore_duration_ms=_float_value(fields.get("restore_duration")),
        status=_first_token(fields.get("status")),
    )


def _build_subscription(line_type: str, fields: dict[str, str]) -> ParsedLine:
    return ParsedLine(type=line_type, fields=fields)


def _build_xray(line_type: str, fields: dict[str, str]) -> ParsedLine:
    # An XRAY line of its own appears only in copies that split REPORT's event in two.
    return ParsedLine(
        type=line_type,
        trace_id=normalise_trace_id(_first_token(fields.get("xray_trace_id"))),
        segment_id=_first_token(fields.get("segment_id")),
        fields=fields,
    )


_Builder = Callable[[str, dict[str, str]], ParsedLine]

# Keyword, then its line type, the key the line must start with (so that plain text such
# as "START processing" is not taken for a platform line) and the builder of its columns.
_KEYWORDS: dict[str, tuple[str, str, _Builder]] = {
    "START": ("START", "RequestId:", _build_start),
    "END": ("END", "RequestId:", _build_end),
    "REPORT": ("REPORT", "RequestId:", _build_report),
    "INIT_START": ("INIT_START", "Runtime Version:", _build_runtime_start),
    "INIT_REPORT": ("INIT_REPORT", "Init Duration:", _build_init_report),
    "RESTORE_START": ("RESTORE_START", "Runtime Version:", _build_runtime_start),
    "RESTORE_REPORT": ("RESTORE_REPORT", "Restore Duration:", _build_restore_report),
    "EXTENSION": ("EXTENSION", "Name:", _build_subscription),
    "LOGS": ("TELEMETRY", "Name:", _build_subscription),
    "TELEMETRY": ("TELEMETRY", "Name:", _build_subscription),
    "XRAY": ("PLATFORM", "TraceId:", _build_xray),
}
