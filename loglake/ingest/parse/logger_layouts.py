"""Parse the text layouts of logging libraries used in Lambda functions.

* Go's ``log`` package: ``YYYY/MM/DD HH:MM:SS <message>`` (UTC on Lambda).
* aws-lambda-java-log4j2's common layout ``%d{yyyy-MM-dd HH:mm:ss} %X{AWSRequestId}
  %-5p %c{1} - %m%n``, and the variant that starts with the request ID.
* Spring Boot's default layout ``<ISO time> <LEVEL> <pid> --- [app] [thread] ...``.
* Python's ``logging.basicConfig`` default ``LEVEL:logger:message``.
"""

from __future__ import annotations

import re

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.levels import normalise_level
from loglake.ingest.parse.message_body import parse_body
from loglake.ingest.parse.patterns import ISO_TIME, LEVEL_WORD, REQUEST_ID
from loglake.ingest.parse.timestamps import parse_timestamp

_GO_LOG = re.compile(r"([0-9]{4}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]{1,6})?) ")
_LOG4J = re.compile(
    r"([0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(?:[.,][0-9]{1,3})?) +"
    rf"(?:(\S+) +)?({LEVEL_WORD})(?: +|$)"
)
_LOG4J_REQUEST_ID_FIRST = re.compile(rf"({REQUEST_ID}) +({LEVEL_WORD})(?: +|$)")
_SPRING_BOOT = re.compile(rf"({ISO_TIME}) +({LEVEL_WORD}) +[0-9]+ --- ")
_PYTHON_BASIC_CONFIG = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL):([^:\s]*):")
_REQUEST_ID = re.compile(REQUEST_ID)


def parse_go_log_line(message: str) -> ParsedLine | None:
    """Parse a line with Go's ``log`` prefix, or return None if it has none."""
    match = _GO_LOG.match(message)
    if match is None:
        return None
    prefix = ParsedLine(timestamp_ms=parse_timestamp(match[1]))
    return parse_body(prefix, message[match.end() :])


def parse_java_line(message: str) -> ParsedLine | None:
    """Parse a line in a log4j layout or Spring Boot's default layout, or return None."""
    match = _LOG4J.match(message)
    if match is not None:
        request_id = match[2] if match[2] and _REQUEST_ID.fullmatch(match[2]) else None
        prefix = ParsedLine(
            level=match[3], request_id=request_id, timestamp_ms=parse_timestamp(match[1])
        )
        return parse_body(prefix, message[match.end() :])

    match = _LOG4J_REQUEST_ID_FIRST.match(message)
    if match is not None:
        prefix = ParsedLine(level=match[2], request_id=match[1])
        return parse_body(prefix, message[match.end() :])

    match = _SPRING_BOOT.match(message)
    if match is not None:
        prefix = ParsedLine(level=match[2], timestamp_ms=parse_timestamp(match[1]))
        return parse_body(prefix, message[match.end() :])
    return None


def parse_python_basic_config_line(message: str) -> ParsedLine | None:
    """Parse a line in Python's ``logging.basicConfig`` default format, or return None."""
    match = _PYTHON_BASIC_CONFIG.match(message)
    if match is None:
        return None
    prefix = ParsedLine(level=normalise_level(match[1]))
    return parse_body(prefix, message[match.end() :])
