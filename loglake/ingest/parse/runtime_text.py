"""Parse the TEXT-format output of Lambda's runtimes.

That is the log prefixes of Python and Node.js, the Python runtime's LAMBDA_WARNING and
unhandled-error records, and the panic message of the Go runtime library.

* Python: ``[LEVEL]\\t<UTC ISO time ms Z>\\t<request id>\\t<message>``. The request ID is
  empty during init. An unhandled exception is ``[ERROR] <type>: <message>`` followed
  by the traceback in the same event.
* Node.js: ``<UTC ISO time ms Z>\\t<request id>\\t<LEVEL>\\t<message>``. The request ID
  is the literal ``undefined`` during init.

Console copies replace the TABs with runs of spaces. Those are read too, and there the
request ID is recognised by its UUID shape.
"""

from __future__ import annotations

import re

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.error_output import (
    python_unhandled_error_type,
    read_truncated_error_type,
    read_truncated_level,
)
from loglake.ingest.parse.json_loggers import load_json_object, parse_json_record
from loglake.ingest.parse.levels import normalise_level
from loglake.ingest.parse.message_body import parse_body
from loglake.ingest.parse.patterns import ISO_TIME, LEVEL_WORD, REQUEST_ID
from loglake.ingest.parse.timestamps import parse_timestamp

_NODE_LEVELS = frozenset(LEVEL_WORD.split("|"))

_PYTHON_COPY = re.compile(rf"[\t ]+({ISO_TIME})[\t ]+(?:({REQUEST_ID})(?:[\t ]+|$))?")
_NODE_COPY = re.compile(
    rf"({ISO_TIME})[\t ]+(undefined|{REQUEST_ID})[\t ]+({LEVEL_WORD})(?:[\t ]+|$)"
)

# "[CRITICAL]" is the longest level a Python prefix holds.
_MAX_BRACKET_END = len("[CRITICAL]")

_LAMBDA_WARNING = "LAMBDA_WARNING: "
_JSON_AFTER_LINE_BREAK = re.compile(r"[\r\n]\{")

_GO_PANIC = "calling the handler function resulted in a panic"


def parse_python_line(message: str) -> ParsedLine | None:
    """Parse a line that starts with the Python runtime's ``[LEVEL]``, or return None."""
    close = message.find("]", 1, _MAX_BRACKET_END)
    if close < 0:
        return None

    level = normalise_level(message[1:close])
    rest = message[close + 1 :]
    if level is None or rest[:1] not in ("\t", " "):
        return None

    if rest[0] == "\t":
        parts = rest[1:].split("\t", 2)
        timestamp_ms = parse_timestamp(parts[0]) if len(parts) == 3 else None
        if timestamp_ms is not None:
            prefix = ParsedLine(level=level, request_id=parts[1] or None, timestamp_ms=timestamp_ms)
            return parse_body(prefix, parts[2])

    match = _PYTHON_COPY.match(rest)
    if match is not None:
        prefix = ParsedLine(
            level=level, request_id=match[2], timestamp_ms=parse_timestamp(match[1])
        )
        return parse_body(prefix, rest[match.end() :])

    # No time and request ID: the runtime's record of an unhandled exception.
    body = rest[1:]
    error_type = python_unhandled_error_type(body) if level in ("ERROR", "FATAL") else None
    status = "error" if error_type is not None else None
    return parse_body(ParsedLine(level=level, error_type=error_type, status=status), body)


def parse_node_line(message: str) -> ParsedLine | None:
    """Parse a line that starts with the Node.js runtime's console prefix, or return None."""
    if message[10:11] != "T":
        return None

    parts = message.split("\t", 3)
    if len(parts) == 4 and parts[2] in _NODE_LEVELS:
        timestamp_ms = parse_timestamp(parts[0])
        if timestamp_ms is not None:
            prefix = ParsedLine(
                level=parts[2], request_id=_node_request_id(parts[1]), timestamp_ms=timestamp_ms
            )
            return parse_body(prefix, parts[3])

    match = _NODE_COPY.match(message)
    if match is None:
        return None

    prefix = ParsedLine(
        level=match[3],
        request_id=_node_request_id(match[2]),
        timestamp_ms=parse_timestamp(match[1]),
    )
    return parse_body(prefix, message[match.end() :])


def _node_request_id(text: str) -> str | None:
    return None if text in ("", "undefined") else text


def parse_lambda_warning(message: str) -> ParsedLine | None:
    """Parse the Python runtime's LAMBDA_WARNING text, or return None if it is not that.

    In the JSON log format the unhandled-error record follows it after a ``\\r`` in the
    same event, and that record's columns win. Alone, the text is a WARN line.
    """
    if not message.startswith(_LAMBDA_WARNING):
        return None

    match = _JSON_AFTER_LINE_BREAK.search(message)
    if match is None:
        return ParsedLine(level="WARN")

    error_json = message[match.start() + 1 :]
    record = load_json_object(error_json)
    if record is not None:
        return parse_json_record(record)

    level = read_truncated_level(error_json) or "WARN"
    return ParsedLine(level=level, error_type=read_truncated_error_type(error_json))


def parse_go_panic(message: str) -> ParsedLine | None:
    """Parse the message aws-lambda-go prints when the handler panics, or return None.

    The panic ends the process, so the line is FATAL, the level zap gives a panic.
    """
    if not message.startswith(_GO_PANIC):
        return None
    return ParsedLine(level="FATAL")
