"""Saved aws xray output files, and aws/spans records arriving on the log ingest path."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest

from loglake.analytics.lake import open_lake
from loglake.ingest.decode import decode_file
from loglake.ingest.decode.records import InvalidPayload
from loglake.ingest.pipeline import Ingestor
from loglake.ingest.store import LocalStore
from loglake.ingest.xray.files import looks_like_xray_output, read_xray_file
from loglake.ingest.xray.spans import span_row
from tests.xray.stubs import EVENTS

NOW_US = 1_793_700_000_000_000
MAX_BYTES = 64 * 1024 * 1024


def read(data: bytes, name: str = "saved.json"):  # type: ignore[no-untyped-def]
    return read_xray_file(
        data, name=name, ingestion_time_us=NOW_US, max_decompressed_bytes=MAX_BYTES
    )


def test_log_deliveries_not_taken_for_xray() -> None:
    for name in ("subscription-report.json", "filter-log-events.json", "firehose-s3-object.gz"):
        data = (EVENTS.parent / "deliveries" / name).read_bytes()
        assert read(data, name) is None


def test_gzip_and_concatenated_pages() -> None:
    page_1 = (EVENTS / "get-trace-summaries-page-1.json").read_bytes()
    page_2 = (EVENTS / "get-trace-summaries-page-2.json").read_bytes()
    content = read(gzip.compress(page_1 + b"\n" + page_2))
    assert content is not None
    assert content.failures == []
    assert len(content.traces) == 6


def test_array_of_pages() -> None:
    pages = [json.loads((EVENTS / "batch-get-traces.json").read_text())] * 2
    content = read(orjson.dumps(pages))
    assert content is not None
    assert len(content.segments) == 34


def test_bad_parts_named() -> None:
    data = b'{"TraceSummaries": [{"Id": "nope"}, 7]}\n{"Traces": {}}\n{"Traces": [] ,'
    content = read(data, "bad.json")
    assert content is not None
    assert content.traces == []
    assert content.failures[0].startswith("file bad.json#2: not valid JSON")
    assert "file bad.json#0: TraceSummaries[0] Id is 'nope'" in content.failures[1]
    assert "file bad.json#0: TraceSummaries[1] is a number" in content.failures[2]
    assert "file bad.json#1: Traces is an object; expected an array" in content.failures[3]


def test_sniff_needs_page_key_near_start() -> None:
    assert looks_like_xray_output(b'  {"TraceSummaries": []}')
    assert looks_like_xray_output(b'[{"Traces": []}]')
    assert not looks_like_xray_output(b'{"events": [{"message": "\\"Traces\\": 1"}]}x')
    assert not looks_like_xray_output(b"2026-11-02T08:14:09.551Z Traces: 3\n")


def test_unprocessed_ids_kept() -> None:
    content = read(
        b'{"Traces": [], "UnprocessedTraceIds": ["1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"]}'
    )
    assert content is not None
    assert content.unprocessed_trace_ids == ["1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"]


SPAN = {
    "traceId": "675b0346851bfd93d182e0d586e2e22b",
    "spanId": "2c346234472d63d5",
    "parentSpanId": "",
    "name": "handler",
    "kind": "SERVER",
    "startTimeUnixNano": 1734017862418305127,
    "endTimeUnixNano": 1734017863102846391,
    "attributes": {"aws.span.kind": "LOCAL_ROOT", "faas.invocation_id": "req-1"},
    "status": {"code": "ERROR"},
}


def test_span_times_keep_microseconds() -> None:
    row = span_row(orjson.dumps(SPAN).decode(), event_time_ms=0, ingestion_time_us=NOW_US)
    assert row.trace_id == "1-675b0346-851bfd93d182e0d586e2e22b"
    assert row.start_time == 1734017862418305
    assert row.end_time == 1734017863102846
    assert row.duration_ms == 684.541
    assert (row.kind, row.parent_id, row.aws_request_id) == ("segment", None, "req-1")
    assert (row.fault, row.error, row.throttle) == (True, False, False)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"startTimeUnixNano": "1734017862418305127"}, 1734017862418305),
        ({"startTimeUnixNano": None, "durationNano": 684541264}, 1734017862418305),
        ({"startTimeUnixNano": None, "endTimeUnixNano": None}, 1_734_017_870_000_000),
    ],
)
def test_span_start_fallbacks(change: dict[str, object], expected: int) -> None:
    record = {key: value for key, value in {**SPAN, **change}.items() if value is not None}
    row = span_row(
        orjson.dumps(record).decode(), event_time_ms=1_734_017_870_000, ingestion_time_us=0
    )
    assert row.start_time == expected


@pytest.mark.parametrize(
    ("status", "flags"),
    [(429, (False, True, True)), (404, (False, True, False)), (503, (True, False, False))],
)
def test_span_http_outcomes(status: int, flags: tuple[bool, bool, bool]) -> None:
    record = {
        **SPAN,
        "status": {"code": "UNSET"},
        "attributes": {"http.response.status_code": status},
    }
    row = span_row(orjson.dumps(record).decode(), event_time_ms=0, ingestion_time_us=0)
    assert (row.fault, row.error, row.throttle) == flags


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("START RequestId: x", "is not a JSON span record"),
        ("[1, 2]", "is an array; expected a JSON span record object"),
        ('{"spanId": "2c346234472d63d5"}', "traceId is None; expected 32 hex digits"),
        ('{"traceId": "675b0346851bfd93d182e0d586e2e22b"}', "spanId is None"),
    ],
)
def test_not_a_span_named(message: str, reason: str) -> None:
    with pytest.raises(InvalidPayload, match=reason):
        span_row(message, event_time_ms=0, ingestion_time_us=0)


def test_spans_delivery_lands_in_segments(tmp_path: Path) -> None:
    payload = json.loads((EVENTS / "aws-spans-subscription.json").read_text())
    payload["logEvents"].append(
        {"id": "900", "timestamp": 1734017870001, "message": "plain text in aws/spans"}
    )
    records = decode_file(orjson.dumps(payload), name="spans.json")
    ingestor = Ingestor(store=LocalStore(tmp_path), row_group_rows=1000)
    report, table = ingestor.ingest(records, source="file")
    assert (report.events_in, report.segments_out, report.rows_out) == (4, 3, 1)
    assert table.column("message").to_pylist() == ["plain text in aws/spans"]

    again, _ = ingestor.ingest(records, source="file")
    assert [obj.key for obj in again.objects] == [obj.key for obj in report.objects]
    lake = open_lake(str(tmp_path)).connection
    rows = lake.execute(
        "SELECT name, kind, source, aws_operation, throttle, exception_type, function_name "
        "FROM segments ORDER BY start_time"
    ).fetchall()
    assert rows == [
        ("app.lambda_handler", "segment", "span", None, False, None, "image-resizer"),
        ("S3.PutObject", "subsegment", "span", "PutObject", True,
         "botocore.exceptions.ClientError", "image-resizer"),
        ("chat example.chat-model-v1", "subsegment", "span", None, False, None, None),
    ]  # fmt: skip
