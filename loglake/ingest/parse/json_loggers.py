"""Parse JSON application lines: Lambda's JSON-format records and common JSON loggers.

One key table covers Lambda's own application records (Python, Node.js, Java), Powertools
for AWS Lambda (Python, TypeScript, Java), zap, structlog, pino, logrus, log/slog and
CloudWatch Embedded Metric Format lines. The whole object becomes ``fields``.
"""

from __future__ import annotations

from typing import Any

import orjson

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.json_values import get_dict, get_epoch_or_text, get_str
from loglake.ingest.parse.levels import normalise_level
from loglake.ingest.parse.timestamps import epoch_to_ms, parse_timestamp
from loglake.ingest.parse.trace_ids import normalise_trace_id

# ``log_level``: Lambda's Python unhandled-error record in the JSON log format.
# ``severity``: logrus and Google-style loggers that duplicate or rename the level.
_LEVEL_KEYS = ("level", "log_level", "severity", "levelname")

# ``requestId``: Lambda's Python and Node.js records. ``AWSRequestId``: Lambda's Java
# records. ``function_request_id``: Powertools. ``lambda_request_id``: a Powertools docs
# variant still found in fixtures. ``request_id`` is left out because applications
# use it for their own request IDs.
_REQUEST_ID_KEYS = (
    "requestId",
    "AWSRequestId",
    "function_request_id",
    "lambda_request_id",
    "aws_request_id",
)

# ``AWS-XRAY-TRACE-ID``: the MDC key of aws-lambda-java-log4j2.
_TRACE_ID_KEYS = ("xray_trace_id", "traceId", "trace_id", "AWS-XRAY-TRACE-ID")

# ``errorType``: Lambda's records. ``exception_name``: Powertools for Python.
_ERROR_TYPE_KEYS = ("errorType", "exception_name", "error_type")

# ``ts``: zap (epoch seconds). ``time``: pino (epoch ms), logrus, slog.
_TIMESTAMP_KEYS = ("timestamp", "time", "ts", "@timestamp")


def load_json_object(text: str) -> dict[str, Any] | None:
    """Decode ``text`` as JSON, or return None unless it is a valid JSON object."""
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError:
        # Invalid or truncated JSON, lone surrogates and nesting deeper than orjson's
        # limit all end here, so the caller treats the line as plain text.
        return None
    return value if isinstance(value, dict) else None


def parse_json_record(record: dict[str, Any]) -> ParsedLine:
    """Derive the columns of a JSON application record, with the record as ``fields``."""
    trace_id = _find_first_str(record, _TRACE_ID_KEYS)
    return ParsedLine(
        level=_find_level(record),
        request_id=_find_first_str(record, _REQUEST_ID_KEYS),
        trace_id=None if trace_id is None else normalise_trace_id(trace_id),
        error_type=_find_error_type(record),
        status=_unhandled_error_status(record),
        fields=record,
        timestamp_ms=_find_timestamp(record),
    )


def _unhandled_error_status(record: dict[str, Any]) -> str | None:
    """Return "error" for the runtime's record of an error the handler did not catch.

    The Python and Java runtimes write it with ``errorType`` and ``stackTrace`` at the top
    level and no ``level`` key (Python's record uses ``log_level``). Python's JSON format
    gives a record logged with ``logger.exception`` the same keys next to ``level``, so
    ``level`` tells a handled exception from an unhandled one.
    """
    if "errorType" in record and "stackTrace" in record and "level" not in record:
        return "error"
    return None


def _find_first_str(record: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    # get_str, inlined because this runs for every key of every JSON line.
    for key in keys:
        value = record.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def _find_level(record: dict[str, Any]) -> str | None:
    for key in _LEVEL_KEYS:
        if key in record:
            # The first level key decides, so Java's "level": "UNDEFINED" stays None.
            return normalise_level(record[key])
    return None


def _find_error_type(record: dict[str, Any]) -> str | None:
    error_type = _find_first_str(record, _ERROR_TYPE_KEYS)
    if error_type is not None:
        return error_type

    # Powertools for TypeScript and Java: "error": {"name": ..., "message": ..., ...}.
    error = record.get("error")
    if isinstance(error, dict):
        return get_str(error, "name")

    # Lambda's Node.js JSON format logs a lone Error as "message": {"errorType": ...}.
    message = record.get("message")
    return get_str(message, "errorType") if isinstance(message, dict) else None


def _find_timestamp(record: dict[str, Any]) -> int | None:
    # get_epoch_or_text, inlined because this runs for every key of every JSON line.
    for key in _TIMESTAMP_KEYS:
        value = record.get(key)
        if isinstance(value, str):
            return parse_timestamp(value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return epoch_to_ms(value)

    # Embedded Metric Format: "_aws": {"Timestamp": <epoch ms>, ...}.
    metadata = get_dict(record, "_aws")
    if metadata is not None:
        value = get_epoch_or_text(metadata, "Timestamp")
        return _to_epoch_ms(value) if value is not None else None
    return None


def _to_epoch_ms(value: str | float) -> int | None:
    if isinstance(value, str):
        return parse_timestamp(value)
    return epoch_to_ms(value)
