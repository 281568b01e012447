"""Recorded Lambda log lines parsed into the columns of the ``logs`` table.

Each file in ``tests/events/lines/`` contains one family of lines as a list of
``{"id", "message", "expect"}``, with a ``note`` where the case needs explaining.
``expect`` lists the columns that are not at their default, and every other column must
stay at its default (type APP, everything else None). Two shorthands keep the files
readable: ``"timestamp"`` is ``timestamp_ms`` written as an ISO 8601 time with a zone,
and ``"fields": "message-json"`` means ``fields`` is the JSON object that starts at the
message's first ``{``.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from loglake.ingest.model import ParsedLine
from loglake.ingest.parse import parse_message

LINES_DIR = Path(__file__).resolve().parents[2] / "events" / "lines"

# IDs of the published samples whose shapes the recorded lines copy: T for TEXT-format
# lines, J for the JSON log format, P for Powertools, Z for zap, S for structlog, N for
# pino and L for logrus. Lines built for other cases have descriptive IDs.
REFERENCE_IDS = (
    [f"T{number:02d}" for number in range(1, 52)]
    + [f"J{number:02d}" for number in range(1, 6)]
    + [f"P{number:02d}" for number in range(1, 9)]
    + ["Z01", "Z02", "S01", "S02", "S03", "S04", "N01", "N02", "L01", "L02", "L03", "L04"]
)

# Stream names in the shapes Lambda uses: $LATEST, published versions, a custom log group
# shared by functions, the 2015 [HEAD] label, and the AWS documentation's "xmpl" marker.
STREAM_NAMES = [
    "2019/03/13/[$LATEST]59603c968d2b0c1b6d2bf2490b1e82c4",
    "2023/06/20/[14]bcf933b6573ae0d95e26445fb442bc2b",
    "2023/07/11/[31]4535a84ab5304e2009ba7970905a71c1",
    "2024/07/02/[$LATEST]23461c9ba93db3eb4ae79162ece135bc",
    "2025/01/21/invoice-worker[$LATEST]a20157fbf6783119bc1be6c61880979e",
    "2026/10/21/orders-api[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
    "2015/09/02/[HEAD]552fefcd6a2684f94683f1655a13392b",
    "2020/04/02/[$LATEST]7d1bxmpl0e5f42c39a86b1d4c07e2f58",
]


def load_lines(family: str) -> list[dict[str, Any]]:
    """Load the recorded lines of one family, such as ``platform_text``."""
    cases: list[dict[str, Any]] = json.loads((LINES_DIR / f"{family}.json").read_text("utf-8"))
    return cases


FAMILIES = sorted(path.stem for path in LINES_DIR.glob("*.json"))
CASES = [case for family in FAMILIES for case in load_lines(family)]


def expected_columns(case: dict[str, Any]) -> dict[str, Any]:
    """Return every column of ``ParsedLine`` with the value ``case`` expects."""
    expected = {field.name: field.default for field in dataclasses.fields(ParsedLine)}
    for column, value in case["expect"].items():
        if column == "timestamp":
            moment = datetime.fromisoformat(value)
            assert moment.tzinfo is not None, f"{case['id']}: expected time needs a zone"
            expected["timestamp_ms"] = round(moment.timestamp() * 1000)
        elif column == "fields" and value == "message-json":
            message = case["message"]
            expected["fields"] = json.loads(message[message.index("{") :])
        else:
            assert column in expected, f"{case['id']}: unknown column {column}"
            expected[column] = value
    return expected


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_recorded_line_columns(case: dict[str, Any]) -> None:
    parsed = parse_message(case["message"])

    for column, value in expected_columns(case).items():
        assert getattr(parsed, column) == value, f"{case['id']}: column {column}"


def test_recorded_ids_unique() -> None:
    ids = [case["id"] for case in CASES]

    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("reference_id", REFERENCE_IDS)
def test_reference_example_recorded(reference_id: str) -> None:
    recorded = [
        case["id"]
        for case in CASES
        if case["id"] == reference_id or case["id"].startswith(f"{reference_id}-")
    ]

    assert recorded, f"no recorded line for reference example {reference_id}"


def test_issue_lines_recorded() -> None:
    assert len(load_lines("issue_lines")) == 7


@pytest.mark.parametrize("stream_name", STREAM_NAMES)
def test_sam_logs_prefix_stream_names(stream_name: str) -> None:
    request_id = "214119cf-6d84-4c79-8636-4be9b85993a7"
    message = f"{stream_name} 2023-06-20T08:05:41.263000 END RequestId: {request_id}"

    parsed = parse_message(message)

    assert parsed.type == "END"
    assert parsed.request_id == request_id
    assert parsed.timestamp_ms == 1687248341263
