"""Segment documents flattened into rows: nesting, times, outcomes and what cannot be read."""

from __future__ import annotations

import itertools
from typing import Any

import orjson

from loglake.ingest.xray.rows import SegmentRow
from loglake.ingest.xray.segments import SegmentBatch, trace_segment_rows
from tests.xray.stubs import load_event

NOW_US = 1_793_700_000_000_000


def flatten(response: dict[str, Any]) -> SegmentBatch:
    batch = SegmentBatch()
    for index, trace in enumerate(response["Traces"]):
        trace_segment_rows(trace, ingestion_time_us=NOW_US, label=f"Traces[{index}]", batch=batch)
    return batch


def by_id(batch: SegmentBatch) -> dict[str, SegmentRow]:
    return {row.segment_id: row for row in batch.rows}


def test_lambda_trace_flattened() -> None:
    batch = flatten(load_event("batch-get-traces.json"))
    assert batch.failures == []
    rows = by_id(batch)
    assert len(rows) == 17
    function = rows["4f59da37c54bea22"]
    assert (function.kind, function.origin, function.parent_id) == (
        "segment",
        "AWS::Lambda::Function",
        "9483afa0f5baaca6",
    )
    init = rows["541c956ac59b3082"]
    assert (init.kind, init.name, init.parent_id) == (
        "subsegment",
        "Initialization",
        "4f59da37c54bea22",
    )
    assert init.start_time == 1_793_607_249_110_000
    assert init.duration_ms == 642.0
    assert init.function_name == "orders-api"


def test_downstream_calls_under_invocation() -> None:
    rows = by_id(flatten(load_event("batch-get-traces.json")))
    calls = sorted(
        (row for row in rows.values() if row.parent_id == "a3a0921f4393262e"),
        key=lambda row: row.start_time,
    )
    assert [(row.name, row.aws_operation) for row in calls] == [
        ("DynamoDB", "GetItem"),
        ("DynamoDB", "PutItem"),
        ("process_order", None),
    ]
    assert all(a.end_time <= b.start_time for a, b in itertools.pairwise(calls))  # type: ignore[operator]
    assert calls[0].namespace == "aws"
    assert calls[0].http_status == 200
    assert orjson.loads(calls[2].annotations or "") == {"order_id": "o-5e1d9c2a"}
    assert orjson.loads(calls[2].fields or "") == {"metadata": {"default": {"items": 3}}}


def test_lambda_service_segment_names_request() -> None:
    service = by_id(flatten(load_event("batch-get-traces.json")))["9483afa0f5baaca6"]
    assert service.origin == "AWS::Lambda"
    assert service.aws_request_id == "3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19"
    assert service.resource_arn == "arn:aws:lambda:us-east-1:123456789012:function:orders-api"


def test_fault_cause_and_reference() -> None:
    rows = by_id(flatten(load_event("batch-get-traces.json")))
    function = rows["0a1b2c3d4e5f6a7b"]
    assert function.fault is True
    assert function.exception_type == "Error"
    assert function.exception_message == "Payment provider returned 502 after 3 attempts"
    invocation = rows["1b2c3d4e5f6a7b8c"]
    assert (invocation.fault, invocation.exception_type) == (True, None)
    retries = [row for row in rows.values() if row.name == "payments.example.com"]
    assert [(row.http_status, row.fault, row.namespace) for row in retries] == [
        (502, True, "remote")
    ] * 3


def test_aws_doc_scientific_times() -> None:
    rows = by_id(flatten(load_event("batch-get-traces-aws-doc.json")))
    assert rows["9483afa0f5baaca6"].start_time == 1_502_712_346_593_000
    assert rows["9483afa0f5baaca6"].duration_ms == 2825.0
    sns = rows["ab94af63e393c9a8"]
    assert (sns.aws_operation, sns.aws_request_id) == (
        "Publish",
        "a28f1331-645e-5bbd-b9c7-905038a3a6dd",
    )


def test_problems_named_and_rest_kept() -> None:
    good = {"id": "aaaaaaaaaaaaaaaa", "name": "f", "start_time": 1.7e9, "end_time": 1.7e9 + 1}
    nested = {
        **good,
        "id": "bbbbbbbbbbbbbbbb",
        "subsegments": [
            {"name": "no id", "start_time": 1.7e9},
            {"id": "cccccccccccccccc", "name": "no start"},
            "text",
            {"id": "dddddddddddddddd", "name": "fine", "start_time": 1.7e9, "in_progress": True},
        ],
    }

    trace = {
        "Id": "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7",
        "Segments": [
            {"Id": "x", "Document": "{not json"},
            {"Id": "y", "Document": orjson.dumps(good).decode()},
            {"Id": "z", "Document": orjson.dumps(nested).decode()},
            {"Id": "w", "Document": 42},
        ],
    }

    batch = flatten({"Traces": [trace]})
    assert sorted(by_id(batch)) == ["aaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbb", "dddddddddddddddd"]
    assert by_id(batch)["dddddddddddddddd"].in_progress is True
    assert by_id(batch)["dddddddddddddddd"].end_time is None
    assert by_id(batch)["aaaaaaaaaaaaaaaa"].trace_id == "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"
    assert len(batch.failures) == 5
    assert batch.failures[0].startswith("Traces[0].Segments[0].Document is not valid JSON")
    assert "Traces[0].Segments[2].subsegments[0] has no id" in batch.failures[1]
    assert "subsegments[1] (id cccccccccccccccc) has no valid start_time" in batch.failures[2]
    assert "subsegments[2] is a string; expected an object" in batch.failures[3]
    assert "Segments[3].Document is a number" in batch.failures[4]
