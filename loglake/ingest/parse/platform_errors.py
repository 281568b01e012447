"""Parse the platform's failure lines that have no keyword: timeouts and runtime exits.

All are type PLATFORM with ``status`` timeout or error:

* ``<time> <request id> Task timed out after 15.02 seconds`` (the time and request ID
  can be missing). Lines captured in 2026 show timeouts without this line, reported
  only as ``Status: timeout`` in REPORT, so a missing line does not mean no timeout.
* ``RequestId: <id> Error: Runtime exited with error: signal: killed`` with the error
  type (``Runtime.ExitError``) on the next line of the same event or in the next event.
* ``Runtime.ExitError`` and the other ``Runtime.*`` / ``Sandbox.*`` error types alone.
* ``Unknown application error occurred``, with ``Runtime.Unknown`` after it or not.
"""

from __future__ import annotations

import re

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.timestamps import parse_timestamp

_TIMEOUT = re.compile(
    r"(?:(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,15}(?:Z|[+-][0-9]{2}:?[0-9]{2})?)[\t ]+)?"
    r"(?:(?P<request_id>[0-9A-Za-z-]{4,64})[\t ]+)?"
    r"Task timed out after (?P<seconds>[0-9]{1,9}(?:\.[0-9]{1,6})?) seconds"
)

_RUNTIME_EXIT = re.compile(
    r"(?:RequestId:[\t ]*(?P<request_id>[^\s]*)[\t ]+)?"
    r"Error:?[\t ]+(?P<error>Runtime exited[^\r\n]*)"
)

_ERROR_TYPE = re.compile(r"(?:Runtime|Sandbox)\.[A-Za-z]{1,64}")
_ERROR_TYPE_LINE = re.compile(rf"[\r\n]+\s*({_ERROR_TYPE.pattern})\s*$")

_UNKNOWN_ERROR = "Unknown application error occurred"


def parse_platform_error(message: str) -> ParsedLine | None:
    """Parse a timeout or runtime-failure line, or return None if ``message`` is not one."""
    first = message[:1]
    if first.isdigit() or first == "T":
        return _parse_timeout(message)
    if first in ("R", "E"):
        return _parse_runtime_exit(message) or _parse_error_type_line(message)
    if first == "S":
        return _parse_error_type_line(message)
    if first == "U" and message.startswith(_UNKNOWN_ERROR):
        return _parse_unknown_error(message)
    return None


def _parse_timeout(message: str) -> ParsedLine | None:
    match = _TIMEOUT.match(message)
    if match is None:
        return None

    time = match["time"]
    return ParsedLine(
        type="PLATFORM",
        request_id=match["request_id"],
        fields={"timeout_seconds": match["seconds"]},
        status="timeout",
        timestamp_ms=parse_timestamp(time) if time else None,
    )


def _parse_runtime_exit(message: str) -> ParsedLine | None:
    match = _RUNTIME_EXIT.match(message)
    if match is None:
        return None

    request_id = match["request_id"]
    fields = {"error": match["error"].strip()}
    if request_id is not None:
        # The key as printed, even when empty (an alert tool's copy dropped the ID).
        fields["request_id"] = request_id

    error_type_line = _ERROR_TYPE_LINE.match(message, match.end())
    return ParsedLine(
        type="PLATFORM",
        request_id=request_id or None,
        error_type=error_type_line.group(1) if error_type_line else None,
        fields=fields,
        status="error",
    )


def _parse_error_type_line(message: str) -> ParsedLine | None:
    match = _ERROR_TYPE.match(message)
    if match is None or message[match.end() :].strip():
        return None
    return ParsedLine(type="PLATFORM", error_type=match.group(), status="error")


def _parse_unknown_error(message: str) -> ParsedLine | None:
    rest = message[len(_UNKNOWN_ERROR) :].strip()
    if rest and _ERROR_TYPE.fullmatch(rest) is None:
        return None
    return ParsedLine(type="PLATFORM", error_type=rest or None, status="error")
