"""The parsers' shortcuts for Lambda's own layouts give what their general paths give.

``parse_platform_line`` reads START, END and REPORT lines as Lambda writes them with one
regular expression each, and ``split_key_values`` splits TAB-separated known keys without
looking for key candidates. Both must return the same columns, and the same ``fields``
in the same key order, as the general path for every text they accept.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse.platform_fields import (
    split_at_key_candidates,
    split_key_values,
    split_tab_separated,
)
from loglake.ingest.parse.platform_text import parse_keyword_line, parse_platform_line

LINES_DIR = Path(__file__).resolve().parents[2] / "events" / "lines"
REQUEST_ID = "5b7e1d22-9c4a-4e3f-b8d1-6a2c0f9e7d31"

REPORT = (
    f"REPORT RequestId: {REQUEST_ID}\tDuration: 412.07 ms\tBilled Duration: 1038 ms\t"
    "Memory Size: 512 MB\tMax Memory Used: 97 MB\tInit Duration: 625.33 ms\t\n"
    "XRAY TraceId: 1-674d8f21-5b0c3e9a7d2f4a61c8e0b735\tSegmentId: 9a4c2e7f1b3d5a08\t"
    "Sampled: true\t\n"
)

# Pieces that take the text in and out of the shortcuts' layouts.
KEYS = [
    "RequestId",
    "Version",
    "Duration",
    "Billed Duration",
    "Memory Size",
    "Max Memory Used",
    "Init Duration",
    "Restore Duration",
    "Status",
    "Error Type",
    "XRAY TraceId",
    "SegmentId",
    "Sampled",
    "Snapshot Cache Hits",
    "Name",
    "lower",
]
SEPARATORS = ["\t", "\n", "\t\n", " ", "  ", "\r", "\r\n", "", "\x0b", "\u00a0", "\u2028"]
VALUES = [
    "",
    REQUEST_ID,
    "412.07 ms",
    "1038 ms",
    "512 MB",
    "9999999999 MB",
    "1234567890123456 ms",
    "12.5.3 ms",
    "1.",
    "$LATEST",
    "7",
    "true",
    "timeout",
    "Runtime.ExitError",
    "1-674d8f21-5b0c3e9a7d2f4a61c8e0b735",
    "9a4c2e7f1b3d5a08",
    "arn:aws:lambda:us-east-1::runtime:abc",
    "a b",
    " x",
    "x ",
    "Key: value",
    "\u00e9",
    "\ud800",
]

layouts = st.lists(
    st.tuples(st.sampled_from(KEYS), st.sampled_from([": ", ":", ":  ", " : "])).map("".join)
    | st.sampled_from(VALUES)
    | st.sampled_from(SEPARATORS),
    max_size=24,
).map("".join)


def assert_same_line(fast: ParsedLine | None, general: ParsedLine | None) -> None:
    """Assert equal columns and ``fields`` keys in equal order."""
    assert fast == general
    if fast is not None and general is not None and fast.fields is not None:
        assert general.fields is not None
        assert list(fast.fields.items()) == list(general.fields.items())


def fixture_messages() -> list[str]:
    messages = []
    for path in sorted(LINES_DIR.glob("*.json")):
        messages += [case["message"] for case in json.loads(path.read_text())]
    return messages


def test_shortcuts_on_fixture_lines() -> None:
    for message in fixture_messages():
        assert_same_line(parse_platform_line(message), parse_keyword_line(message))


def test_report_shortcut_columns() -> None:
    parsed = parse_platform_line(REPORT)

    assert parsed is not None
    assert parsed.type == "REPORT"
    assert parsed.trace_id == "1-674d8f21-5b0c3e9a7d2f4a61c8e0b735"
    assert parsed.segment_id == "9a4c2e7f1b3d5a08"
    assert parsed.init_duration_ms == 625.33
    assert parsed.cold_start is True
    assert_same_line(parsed, parse_keyword_line(REPORT))


def test_report_shortcut_variants() -> None:
    base = REPORT.split("\tInit Duration")[0]
    xray = REPORT.split("\n", 1)[1]
    variants = [
        base,
        base + "\t",
        base + "\t\n",
        base + "\n",
        base + "\t\n" + xray,
        base + "\t" + xray.rstrip(),
        base + "\tInit Duration: 1 ms",
        base + "\tInit Duration: 1 ms\t\n" + xray.replace("true", "false"),
        base + "\tStatus: timeout\n",
        base.replace("REPORT ", "REPORT\t"),
        base.replace("512 MB", "99999999999 MB"),
        base.replace("412.07 ms", "412.07ms"),
        base + "\t\n" + xray.replace("SegmentId", "Segmen…"),
    ]
    for message in variants:
        assert_same_line(parse_platform_line(message), parse_keyword_line(message))


def test_start_end_shortcut_variants() -> None:
    variants = [
        f"START RequestId: {REQUEST_ID} Version: $LATEST",
        f"START RequestId: {REQUEST_ID} Version: $LATEST\n",
        f"START RequestId: {REQUEST_ID} Version: 7 \n more",
        f"START\tRequestId: {REQUEST_ID} Version: 7\r\n",
        f"START RequestId: {REQUEST_ID}  Version: 7",
        f"START RequestId: {REQUEST_ID} Version: 7 extra",
        f"START RequestId: {REQUEST_ID} Version: \u00e9\u2028",
        f"END RequestId: {REQUEST_ID}",
        f"END RequestId: {REQUEST_ID}\n",
        f"END RequestId: {REQUEST_ID} \nnext event",
        f"END  RequestId: {REQUEST_ID}\u00a0",
        f"END RequestId: {REQUEST_ID} extra",
        "END RequestId: ",
    ]
    for message in variants:
        assert_same_line(parse_platform_line(message), parse_keyword_line(message))


@settings(max_examples=500)
@given(keyword=st.sampled_from(["START ", "END ", "REPORT ", "REPORT\t"]), text=layouts)
def test_platform_shortcuts_any_layout(keyword: str, text: str) -> None:
    message = keyword + text

    assert_same_line(parse_platform_line(message), parse_keyword_line(message))


@settings(max_examples=500)
@given(text=layouts)
def test_tab_split_any_layout(text: str) -> None:
    pairs = split_tab_separated(text)

    if pairs is not None:
        assert list(pairs.items()) == list(split_at_key_candidates(text).items())


def test_tab_split_takes_lambda_layout() -> None:
    text = REPORT.removeprefix("REPORT ")

    pairs = split_tab_separated(text)

    assert pairs is not None
    assert list(pairs) == [
        "request_id",
        "duration",
        "billed_duration",
        "memory_size",
        "max_memory_used",
        "init_duration",
        "xray_trace_id",
        "segment_id",
        "sampled",
    ]
    assert pairs == split_key_values(text)


def test_tab_split_leaves_other_layouts() -> None:
    for text in [
        "RequestId: x  Duration: 1 ms",
        "RequestId: x\tUnknown Key: 1",
        "RequestId: x\r\nDuration: 1 ms",
        "RequestId: x\rmore",
        "RequestId: x\tDuration:  1 ms",
        "Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:abc",
        "RequestId: x\t \tDuration: 1 ms",
    ]:
        assert split_tab_separated(text) is None


def test_parsed_line_fields_compared() -> None:
    # dataclass equality ignores key order, so assert_same_line checks the order itself.
    first = ParsedLine(fields={"a": "1", "b": "2"})
    second = dataclasses.replace(first, fields={"b": "2", "a": "1"})

    assert first == second
    assert list(first.fields or {}) != list(second.fields or {})
