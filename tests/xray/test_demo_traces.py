"""The demo's X-Ray traces: built from the REPORT lines, without changing any delivery."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from loglake.demo import generate_log_data, generate_traces
from loglake.demo.generator import _deliveries, _validate
from loglake.ingest.xray.poller import read_summary_pages
from loglake.ingest.xray.segments import SegmentBatch, trace_segment_rows

START = datetime(2026, 11, 2, tzinfo=UTC)
INVOCATIONS = 400
TRACED = {"orders-api", "checkout-web", "payments-java"}
REPORT = re.compile(
    r"REPORT RequestId: (?P<request>\S+)\t.*XRAY TraceId: (?P<trace>\S+)\t"
    r"SegmentId: (?P<segment>\w+)\tSampled: (?P<sampled>\w+)",
    re.DOTALL,
)
INIT = re.compile(r"\t(Init|Restore) Duration: ([\d.]+) ms")


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    """REPORT lines of traced invocations, by trace ID, read with a regular expression."""
    found = {}
    for document in generate_log_data(start=START, invocations=INVOCATIONS):
        for event in document["logEvents"]:
            match = REPORT.match(event["message"])
            if match:
                phase = INIT.search(event["message"])
                found[match["trace"]] = {
                    **match.groupdict(),
                    "group": document["logGroup"],
                    "phase": None if phase is None else (phase[1], float(phase[2])),
                }
    return found


@pytest.fixture(scope="module")
def traces() -> dict[str, dict[str, Any]]:
    """Each trace's summary and parsed segment documents, by trace ID."""
    found: dict[str, dict[str, Any]] = {}
    for window in generate_traces(start=START, invocations=INVOCATIONS):
        for summary in window.summary_pages[0]["TraceSummaries"]:
            found[summary["Id"]] = {"summary": summary}
        for trace in window.traces:
            documents = [orjson.loads(s["Document"]) for s in trace["Segments"]]
            found[trace["Id"]].update(trace=trace, documents=documents)
    return found


def subsegments(document: dict[str, Any], name: str) -> list[dict[str, Any]]:
    return [child for child in document.get("subsegments", []) if child["name"] == name]


def test_traces_leave_deliveries_unchanged() -> None:
    settings = _validate(START, 24, INVOCATIONS, 7, "123456789012", "us-east-1")
    plain = [(d.log_stream, d.events, d.send_ms) for d in _deliveries(settings)]
    recorded: list[Any] = []
    traced = [(d.log_stream, d.events, d.send_ms) for d in _deliveries(settings, recorded)]
    assert traced == plain
    assert recorded


def test_every_sampled_report_has_trace(
    reports: dict[str, dict[str, Any]], traces: dict[str, dict[str, Any]]
) -> None:
    sampled = {trace for trace, report in reports.items() if report["sampled"] == "true"}
    assert sampled == set(traces)
    assert {report["group"].removeprefix("/aws/lambda/") for report in reports.values()} == TRACED
    assert Counter(report["sampled"] for report in reports.values())["false"] > 0


def test_function_segment_matches_report(
    reports: dict[str, dict[str, Any]], traces: dict[str, dict[str, Any]]
) -> None:
    cold = 0
    for trace_id, trace in traces.items():
        report = reports[trace_id]
        function = next(d for d in trace["documents"] if d.get("origin") == "AWS::Lambda::Function")
        service = next(d for d in trace["documents"] if d.get("origin") == "AWS::Lambda")
        assert function["id"] == report["segment"]
        assert function["parent_id"] == service["id"]
        assert service["aws"]["request_id"] == report["request"]
        phase = subsegments(function, "Initialization") + subsegments(function, "Restore")
        if report["phase"] is None:
            assert phase == []
            continue
        cold += 1
        name, expected_ms = report["phase"]
        assert [subsegment["name"] for subsegment in phase] == [
            "Initialization" if name == "Init" else "Restore"
        ]
        duration_ms = (phase[0]["end_time"] - phase[0]["start_time"]) * 1000
        assert duration_ms == pytest.approx(expected_ms, abs=0.01)
    assert cold >= 10


def test_downstream_calls_one_after_another(traces: dict[str, dict[str, Any]]) -> None:
    for trace in traces.values():
        function = next(d for d in trace["documents"] if d.get("origin") == "AWS::Lambda::Function")
        invocation = subsegments(function, "Invocation")[0]
        calls = invocation.get("subsegments", [])
        for call in calls:
            assert invocation["start_time"] <= call["start_time"] < call["end_time"]
            assert call["end_time"] <= invocation["end_time"]
        for earlier, later in itertools.pairwise(calls):
            assert earlier["end_time"] <= later["start_time"]


def test_java_documents_print_scientific_times(traces: dict[str, dict[str, Any]]) -> None:
    java = [t for t in traces.values() if t["summary"]["EntryPoint"]["Name"] == "payments-java"]
    assert java
    for trace in java:
        text = trace["trace"]["Segments"][-1]["Document"]
        assert re.search(r'"start_time":1\.\d+E9', text)


def test_failed_invocations_fault(traces: dict[str, dict[str, Any]]) -> None:
    faulted = [t for t in traces.values() if t["summary"]["HasFault"]]
    assert faulted
    for trace in faulted:
        assert trace["summary"]["FaultRootCauses"]
    throttled = [t for t in traces.values() if t["summary"]["HasThrottle"]]
    assert all(t["summary"]["ErrorRootCauses"] for t in throttled)


def test_pages_decode_without_failures() -> None:
    for window in generate_traces(start=START, invocations=100):
        summaries = read_summary_pages(
            window.summary_pages, ingestion_time_us=0, region=None, label="demo"
        )
        assert summaries.failures == []
        assert set(summaries.lambda_trace_ids) == {trace["Id"] for trace in window.traces}
        batch = SegmentBatch()
        for trace in window.traces:
            trace_segment_rows(trace, ingestion_time_us=0, label="demo", batch=batch)
        assert batch.failures == []
        lambda_rows = [row for row in batch.rows if row.origin and "Lambda" in row.origin]
        assert all(row.function_name for row in lambda_rows)
