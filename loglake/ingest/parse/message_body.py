"""Parse the message body behind a runtime or logger prefix.

The body can be a JSON object (structlog behind Python's ``[INFO]`` prefix, JSON behind
Node.js's console prefix), a Node.js error record, or text that may hold a traceback.
"""

from __future__ import annotations

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.error_output import find_error_type, parse_node_error
from loglake.ingest.parse.json_loggers import load_json_object, parse_json_record


def parse_body(prefix: ParsedLine, body: str) -> ParsedLine:
    """Complete the columns that ``prefix`` got from a line's prefix with those of its body.

    For a JSON body, ``fields`` is the object, and its level, time and error type win
    over the prefix's. The prefix's request ID wins over the object's, because the
    runtime writes Lambda's request ID in the prefix, while a ``requestId`` key in the
    object may be an application's own ID.
    """
    first = body[:1]
    if first == "{" or (first.isspace() and body.lstrip().startswith("{")):
        record = load_json_object(body)
        if record is not None:
            return _merge_json(prefix, parse_json_record(record))

    node_error = parse_node_error(body)
    if node_error is not None:
        error_type, error_object = node_error
        prefix.error_type = error_type
        prefix.fields = error_object
        # The runtime writes these records only for an error the function did not handle.
        prefix.status = "error"
    elif prefix.error_type is None:
        prefix.error_type = find_error_type(body)
    return prefix


def _merge_json(prefix: ParsedLine, record: ParsedLine) -> ParsedLine:
    record.request_id = prefix.request_id or record.request_id
    record.level = record.level or prefix.level
    if record.timestamp_ms is None:
        record.timestamp_ms = prefix.timestamp_ms
    record.error_type = record.error_type or prefix.error_type
    record.status = record.status or prefix.status
    return record
