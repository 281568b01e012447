"""Find exception types in Python tracebacks, Java stack traces and Node.js error records."""

from __future__ import annotations

import re
from typing import Any

from loglake.ingest.parse.json_loggers import load_json_object
from loglake.ingest.parse.json_values import get_str
from loglake.ingest.parse.levels import normalise_level

TRACEBACK_HEADER = "Traceback (most recent call last):"

# "KeyError: 'x'", "botocore.exceptions.ClientError: An error occurred", "StopIteration".
_PYTHON_EXCEPTION_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_.]{0,255})(?::(?:\s|$)|\s*$)")

# The first line of the Python runtime's record of an unhandled exception.
_PYTHON_ERROR_RECORD = re.compile(r"([A-Za-z_][A-Za-z0-9_.]{0,255}):(?:\s|$)")

# Without a traceback, "[ERROR] Name: message" is taken as an exception only when the
# name reads like one, because "[ERROR] Failed: ..." is an ordinary log message.
_EXCEPTION_NAME_ENDINGS = (
    "Error",
    "Exception",
    "Exit",
    "Interrupt",
    "Iteration",
    "Timeout",
    "Timedout",
    "Warning",
)

# A qualified Java (or Python) exception class at the start of a line, as the first line
# of a stack trace prints it: "java.lang.IllegalStateException: sample failure".
_QUALIFIED_EXCEPTION_LINE = re.compile(
    r"(?:^|(?<=[\r\n]))(?:Exception in thread \"[^\"\r\n]{0,256}\" )?"
    r"((?:[a-z_$][A-Za-z0-9_$]{0,64}\.){1,32}[A-Z][A-Za-z0-9_$]{0,128}(?:Exception|Error|Throwable))"
    r"(?=:|[\t ]*(?:[\r\n]|$))"
)

# Node.js: "Invoke Error \t{...}" for a handler's error, "Uncaught Exception \t{...}"
# for an error while loading the module.
_NODE_ERROR = re.compile(r"(?:Invoke Error|Uncaught Exception)(?:[ \t]+|$)")

# Keys read from an error object whose JSON is truncated and so cannot be decoded.
_TRUNCATED_ERROR_TYPE = re.compile(r"\"errorType\"\s*:\s*\"([^\"\\]{1,256})\"")
_TRUNCATED_LEVEL = re.compile(r"\"(?:log_)?level\"\s*:\s*\"([A-Za-z]{1,16})\"")


def find_error_type(text: str) -> str | None:
    """Return the exception type that a Python traceback or Java stack trace in ``text`` names."""
    if TRACEBACK_HEADER in text:
        return find_traceback_error_type(text)

    if "Exception" in text or "Error" in text or "Throwable" in text:
        match = _QUALIFIED_EXCEPTION_LINE.search(text)
        return match.group(1) if match else None
    return None


def find_traceback_error_type(text: str) -> str | None:
    """Return the exception of the last Python traceback in ``text``.

    Frame lines are indented (by U+00A0 in Lambda's runtime), so the first unindented
    line after the last ``Traceback`` header that starts with a name is the exception.
    Only the last traceback counts, because with chained exceptions it is the one raised.
    """
    start = text.rfind(TRACEBACK_HEADER)
    if start < 0:
        return None

    for line in text[start + len(TRACEBACK_HEADER) :].splitlines():
        if not line or line[0].isspace():
            continue
        match = _PYTHON_EXCEPTION_LINE.match(line)
        if match is not None:
            return match.group(1)
    return None


def python_unhandled_error_type(body: str) -> str | None:
    """Return the type of the Python runtime's ``[ERROR] <type>: <message>`` record.

    ``body`` is the text after ``[ERROR] ``. The runtime writes the traceback after the
    first line of the same event, so the type is on that first line.
    """
    match = _PYTHON_ERROR_RECORD.match(body)
    if match is None:
        return None

    name = match.group(1)
    last_part = name.rpartition(".")[2]
    if TRACEBACK_HEADER in body or last_part.endswith(_EXCEPTION_NAME_ENDINGS):
        return name
    return None


def parse_node_error(body: str) -> tuple[str | None, dict[str, Any] | None] | None:
    """Return the error type and error object of a Node.js error record.

    ``body`` is the text after the runtime's ``<time>\\t<request id>\\tERROR\\t`` prefix.
    Returns None unless it starts with ``Invoke Error`` or ``Uncaught Exception``. When
    the JSON is truncated, the object is None and the type is read from its text.
    """
    match = _NODE_ERROR.match(body)
    if match is None:
        return None

    error_json = body[match.end() :]
    record = load_json_object(error_json) if error_json.startswith("{") else None
    if record is not None:
        return get_str(record, "errorType"), record
    return read_truncated_error_type(error_json), None


def read_truncated_error_type(text: str) -> str | None:
    """Read ``errorType`` from JSON text that is cut off and so cannot be decoded."""
    match = _TRUNCATED_ERROR_TYPE.search(text)
    return match.group(1) if match else None


def read_truncated_level(text: str) -> str | None:
    """Read ``level`` or ``log_level`` from JSON text that cannot be decoded."""
    match = _TRUNCATED_LEVEL.search(text)
    return normalise_level(match.group(1)) if match else None
