"""Choose the parser for a CloudWatch Logs message by looking at its first characters."""

from __future__ import annotations

from collections.abc import Callable

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.error_output import find_error_type
from loglake.ingest.parse.json_loggers import load_json_object, parse_json_record
from loglake.ingest.parse.logger_layouts import (
    parse_go_log_line,
    parse_java_line,
    parse_python_basic_config_line,
)
from loglake.ingest.parse.platform_errors import parse_platform_error
from loglake.ingest.parse.platform_json import is_platform_record, parse_platform_record
from loglake.ingest.parse.platform_text import parse_platform_line
from loglake.ingest.parse.runtime_text import (
    parse_go_panic,
    parse_lambda_warning,
    parse_node_line,
    parse_python_line,
)
from loglake.ingest.parse.tool_prefixes import strip_tool_prefix

_Parser = Callable[[str], ParsedLine | None]

# Failures are logged one by one up to this count, then once per _FAILURE_LOG_INTERVAL.
_FAILURES_LOGGED_IN_FULL = 10
_FAILURE_LOG_INTERVAL = 1000
_failure_count = 0

# Pasted logs can stack prefixes, such as a timestamp in front of a log stream name.
_MAX_TOOL_PREFIXES = 3


def parse_message(message: str) -> ParsedLine:
    """Parse one CloudWatch Logs message from a Lambda log group into columns.

    Never raises. If a parser fails on an unforeseen input, the failure is logged and
    the message gets the columns of plain text (type APP, everything else None). The
    caller keeps the raw message either way.
    """
    try:
        return parse_line(message)
    except Exception as error:  # callers rely on parse_message never raising
        _log_parse_failure(message, error)
        return ParsedLine()


def _log_parse_failure(message: str, error: Exception) -> None:
    global _failure_count
    _failure_count += 1
    count = _failure_count
    if count > _FAILURES_LOGGED_IN_FULL and count % _FAILURE_LOG_INTERVAL:
        return

    # Imported here because the parse hot path never needs it.
    import structlog

    # The message is not logged because log lines can contain secrets, and the lake keeps
    # it anyway.
    structlog.get_logger(__name__).error(
        "parse_message_failed",
        error=repr(error),
        message_length=len(message),
        failure_count=count,
        exc_info=error,
    )


def parse_known_shape(message: str) -> ParsedLine | None:
    """Parse ``message`` if this package recognises its shape, or return None for plain text."""
    first = message[:1]
    for parser in _PARSERS_BY_FIRST_CHARACTER.get(first, ()):
        parsed = parser(message)
        if parsed is not None:
            return parsed

    if first.isspace():
        stripped = message.lstrip()
        if stripped.startswith("{"):
            return parse_json_line(stripped)
    return None


def parse_json_line(message: str) -> ParsedLine | None:
    """Parse a message that is one JSON object, or return None if it is not one."""
    record = load_json_object(message)
    if record is None:
        return None
    if is_platform_record(record):
        return parse_platform_record(record)
    return parse_json_record(record)


def parse_line(message: str) -> ParsedLine:
    """Parse a message into columns, as plain APP text when its shape is not recognised.

    A message behind a tool prefix (a pasted or exported line) is parsed by what follows
    the prefix, and the prefix's time fills ``timestamp_ms`` when the line states none.
    """
    parsed = parse_known_shape(message)
    if parsed is not None:
        return parsed

    text = message
    prefix_timestamp_ms: int | None = None
    for _ in range(_MAX_TOOL_PREFIXES):
        stripped = strip_tool_prefix(text)
        if stripped is None:
            break

        text, timestamp_ms = stripped
        if prefix_timestamp_ms is None:
            prefix_timestamp_ms = timestamp_ms

        parsed = parse_known_shape(text)
        if parsed is not None:
            if parsed.timestamp_ms is None:
                parsed.timestamp_ms = prefix_timestamp_ms
            return parsed

    return ParsedLine(error_type=find_error_type(text), timestamp_ms=prefix_timestamp_ms)


def _parsers_by_first_character() -> dict[str, tuple[_Parser, ...]]:
    digit_parsers = (parse_node_line, parse_platform_error, parse_go_log_line, parse_java_line)
    # log4j's layout that starts with the request ID, which starts with a hex digit.
    hex_letter_parsers = (parse_java_line,)
    table: dict[str, tuple[_Parser, ...]] = {
        "{": (parse_json_line,),
        "[": (parse_python_line,),
        "S": (parse_platform_line, parse_platform_error),
        "E": (parse_platform_line, parse_platform_error, parse_python_basic_config_line),
        "R": (parse_platform_line, parse_platform_error),
        "I": (parse_platform_line, parse_python_basic_config_line),
        "L": (parse_platform_line, parse_lambda_warning),
        "T": (parse_platform_line, parse_platform_error),
        "X": (parse_platform_line,),
        "U": (parse_platform_error,),
        "D": (parse_python_basic_config_line,),
        "W": (parse_python_basic_config_line,),
        "C": (parse_python_basic_config_line,),
        "c": (parse_go_panic, *hex_letter_parsers),
    }
    for digit in "0123456789":
        table[digit] = digit_parsers
    for letter in "abdef":
        table[letter] = hex_letter_parsers
    return table


_PARSERS_BY_FIRST_CHARACTER = _parsers_by_first_character()
