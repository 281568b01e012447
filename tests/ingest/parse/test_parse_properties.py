"""Properties of ``parse_message`` over arbitrary text: it never raises, and its columns
stay within the vocabulary and types of the ``logs`` table."""

from __future__ import annotations

import json
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse import dispatch, parse_message
from loglake.ingest.parse.levels import LEVELS

LINE_TYPES = {
    "START",
    "END",
    "REPORT",
    "INIT_START",
    "INIT_REPORT",
    "RESTORE_START",
    "RESTORE_REPORT",
    "EXTENSION",
    "TELEMETRY",
    "PLATFORM",
    "APP",
}

# Starts that route text to each parser, so the generated text reaches every branch.
PREFIXES = [
    "",
    "{",
    "[",
    "[ERROR] ",
    "[INFO]\t2026-11-02T08:14:09.551Z\t",
    "2026-11-02T08:14:09.551Z\t",
    "2026-11-02T08:14:09.551Z\tundefined\tERROR\tInvoke Error \t{",
    "2026-11-02T08:14:09.551Z 5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31 ",
    "START RequestId: ",
    "END RequestId: ",
    "REPORT RequestId: ",
    "REPORT RequestId: x\tDuration: ",
    "INIT_START Runtime Version: ",
    "INIT_REPORT Init Duration: ",
    "RESTORE_REPORT Restore Duration: ",
    "EXTENSION\tName: ",
    "XRAY TraceId: ",
    "RequestId: x Error: Runtime exited",
    "Runtime.",
    "Task timed out after ",
    "LAMBDA_WARNING: x\r{",
    "INFO:root:",
    "2020/04/02 11:18:46 ",
    "2019-10-15 16:02:48 ",
    "2024/08/27/[$LATEST]7097d79e97e501c9df3ec17d6b8e1d18 ",
    "  | 2022-10-19T09:47:22.184-04:00 | ",
    '1682411705138,"',
    "Traceback (most recent call last):\n",
    "java.lang.",
    "Unknown application error occurred ",
]

# Every code point, lone surrogates and NUL included.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())
ANY_TEXT = st.text(ANY_CHARACTER, max_size=200)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

# Keys the parsers read, so generated objects hit them with values of every JSON type.
RECORD_KEYS = st.sampled_from(
    [
        "time",
        "type",
        "record",
        "level",
        "log_level",
        "timestamp",
        "ts",
        "requestId",
        "xray_trace_id",
        "errorType",
        "error",
        "message",
        "metrics",
        "tracing",
        "_aws",
    ]
)
PLATFORM_TYPES = st.sampled_from(
    ["platform.report", "platform.start", "platform.initReport", "platform.runtimeDone"]
)


def assert_valid_columns(parsed: ParsedLine) -> None:
    """Assert the invariants of every parsed line."""
    assert parsed.type in LINE_TYPES
    assert parsed.level is None or parsed.level in LEVELS
    assert parsed.cold_start is None or isinstance(parsed.cold_start, bool)
    assert parsed.memory_size_mb is None or 0 <= parsed.memory_size_mb < 2**31
    assert parsed.max_memory_used_mb is None or 0 <= parsed.max_memory_used_mb < 2**31
    assert parsed.timestamp_ms is None or isinstance(parsed.timestamp_ms, int)
    assert parsed.fields is None or isinstance(parsed.fields, dict)


@settings(max_examples=400)
@given(prefix=st.sampled_from(PREFIXES), text=ANY_TEXT)
def test_parse_line_any_text(prefix: str, text: str) -> None:
    # parse_line is parse_message without its safety net, so a parser bug fails here.
    parsed = dispatch.parse_line(prefix + text)

    assert_valid_columns(parsed)


@settings(max_examples=200)
@given(record=st.dictionaries(RECORD_KEYS, JSON_VALUES, max_size=6))
def test_parse_line_any_json_object(record: dict[str, Any]) -> None:
    parsed = dispatch.parse_line(json.dumps(record))

    assert_valid_columns(parsed)


@settings(max_examples=200)
@given(event_type=PLATFORM_TYPES, body=st.dictionaries(RECORD_KEYS, JSON_VALUES, max_size=6))
def test_parse_line_any_platform_record(event_type: str, body: dict[str, Any]) -> None:
    message = json.dumps({"time": "2026-11-02T08:14:11.120Z", "type": event_type, "record": body})

    parsed = dispatch.parse_line(message)

    assert_valid_columns(parsed)


@settings(max_examples=100)
@given(text=ANY_TEXT)
def test_parse_message_any_text(text: str) -> None:
    assert_valid_columns(parse_message(text))


@settings(max_examples=100)
@given(prefix=st.sampled_from(PREFIXES), text=st.text(max_size=200))
def test_fields_serialize_as_json(prefix: str, text: str) -> None:
    # The writer stores fields as JSON, so they must encode (surrogate-free input).
    parsed = dispatch.parse_line(prefix + text)

    if parsed.fields is not None:
        assert orjson.dumps(parsed.fields)


def test_parse_line_huge_inputs() -> None:
    megabyte = 1_000_000
    messages = [
        "{" * megabyte,
        "[" * megabyte,
        "REPORT RequestId: " + "A " * (megabyte // 2),
        "REPORT RequestId: x" + "\tDuration: 1 ms" * (megabyte // 15),
        "INIT_START Runtime Version: " + "Name: " * (megabyte // 6),
        "\t" * megabyte,
        "\x00" * megabyte,
        "2026-11-02T08:14:09.551Z\t" * (megabyte // 25),
        "Traceback (most recent call last):\n" + " x\n" * (megabyte // 3),
        "a.B" + "Error\n" * (megabyte // 6),
        '{"level": "' + "x" * megabyte + '"}',
    ]

    for message in messages:
        assert_valid_columns(dispatch.parse_line(message))
