"""Tests of the sample delivery generator in ``loglake.demo``.

The expected shapes are Lambda's and the loggers' own; the checks use regular
expressions and the standard library, never loglake's parser.
"""

from __future__ import annotations

import base64
import gzip
import json
import math
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from loglake.demo import (
    SAMPLE_FUNCTIONS,
    generate_deliveries,
    generate_kinesis_events,
    generate_log_data,
)
from loglake.demo.deliveries import MAX_BATCH_EVENTS, MAX_WINDOW_MS

START = datetime(2026, 12, 1, tzinfo=UTC)
START_MS = int(START.timestamp() * 1000)
DAY_MS = 86_400_000

UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
STREAM = re.compile(r"(\d{4})/(\d{2})/(\d{2})/\[(\$LATEST|\d+)\][0-9a-f]{32}")
START_LINE = re.compile(rf"START RequestId: ({UUID4}) Version: (\$LATEST|\d+)\n")
REPORT_FIELD = re.compile(
    r"\t(Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration|Restore Duration"
    r"|Billed Restore Duration): (\d+(?:\.\d\d)?) (?:ms|MB)"
)
XRAY = re.compile(
    r"\t\nXRAY TraceId: 1-[0-9a-f]{8}-[0-9a-f]{24}\tSegmentId: [0-9a-f]{16}\t"
    r"Sampled: (?:true|false)\t\n$"
)
TRACED = {"orders-api", "checkout-web", "payments-java"}

Event = dict[str, Any]


def decode(delivery: dict[str, Any]) -> dict[str, Any]:
    """Decode an ``awslogs.data`` payload: base64, then gzip, then JSON."""
    compressed = base64.b64decode(delivery["awslogs"]["data"], validate=True)
    document: dict[str, Any] = json.loads(gzip.decompress(compressed))
    return document


def function_name(document: dict[str, Any]) -> str:
    return str(document["logGroup"]).removeprefix("/aws/lambda/")


def report_fields(message: str) -> dict[str, float]:
    return {name: float(value) for name, value in REPORT_FIELD.findall(message)}


@pytest.fixture(scope="module")
def deliveries() -> list[dict[str, Any]]:
    return list(generate_deliveries(start=START))


@pytest.fixture(scope="module")
def documents(deliveries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [decode(delivery) for delivery in deliveries]


@pytest.fixture(scope="module")
def streams(documents: list[dict[str, Any]]) -> dict[str, list[Event]]:
    """Events of each log stream, in delivery order."""
    by_stream: dict[str, list[Event]] = defaultdict(list)
    for document in documents:
        by_stream[document["logStream"]].extend(document["logEvents"])
    return by_stream


@pytest.fixture(scope="module")
def by_function(documents: list[dict[str, Any]]) -> dict[str, dict[str, list[Event]]]:
    """Events of each function, grouped by log stream."""
    grouped: dict[str, dict[str, list[Event]]] = defaultdict(lambda: defaultdict(list))
    for document in documents:
        grouped[function_name(document)][document["logStream"]].extend(document["logEvents"])
    return grouped


def messages(by_function: dict[str, dict[str, list[Event]]], name: str) -> list[str]:
    return [event["message"] for events in by_function[name].values() for event in events]


def reports(by_function: dict[str, dict[str, list[Event]]], name: str) -> list[str]:
    return [m for m in messages(by_function, name) if m.startswith("REPORT RequestId: ")]


# Determinism and coverage


def test_deliveries_same_seed_identical() -> None:
    first = list(generate_deliveries(start=START, invocations=300, seed=11))
    second = list(generate_deliveries(start=START, invocations=300, seed=11))

    assert len(first) > 0
    assert json.dumps(first).encode() == json.dumps(second).encode()


def test_deliveries_other_seed_differ() -> None:
    first = list(generate_deliveries(start=START, invocations=300, seed=11))
    second = list(generate_deliveries(start=START, invocations=300, seed=12))

    assert first != second


def test_sample_functions_all_appear(documents: list[dict[str, Any]]) -> None:
    groups = {document["logGroup"] for document in documents}

    assert len(SAMPLE_FUNCTIONS) >= 6
    assert groups == {f"/aws/lambda/{name}" for name in SAMPLE_FUNCTIONS}


def test_invocations_total_matches(by_function: dict[str, dict[str, list[Event]]]) -> None:
    starts = 0
    for name in SAMPLE_FUNCTIONS:
        for message in messages(by_function, name):
            if message.startswith("START ") or '"type":"platform.start"' in message:
                starts += 1

    assert starts == 2000


def test_zero_invocations_yield_nothing() -> None:
    assert list(generate_deliveries(start=START, invocations=0)) == []


# The subscription envelope


def test_delivery_envelope_keys(deliveries: list[dict[str, Any]]) -> None:
    for delivery in deliveries:
        assert set(delivery) == {"awslogs"}
        assert set(delivery["awslogs"]) == {"data"}


def test_gzip_header_matches_cloudwatch(deliveries: list[dict[str, Any]]) -> None:
    for delivery in deliveries:
        assert delivery["awslogs"]["data"].startswith("H4sIAAAAAAAAA")


def test_document_keys_and_values(documents: list[dict[str, Any]]) -> None:
    keys = {"messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents"}
    for document in documents:
        assert set(document) == keys
        assert document["messageType"] == "DATA_MESSAGE"
        assert document["owner"] == "123456789012"
        assert document["subscriptionFilters"] == ["loglake-ingest"]
        assert STREAM.fullmatch(document["logStream"])


def test_log_events_shape(documents: list[dict[str, Any]]) -> None:
    for document in documents:
        events = document["logEvents"]
        assert 1 <= len(events) <= MAX_BATCH_EVENTS
        for event in events:
            assert set(event) == {"id", "timestamp", "message"}
            assert isinstance(event["timestamp"], int)
            assert isinstance(event["message"], str)


def test_event_ids_encode_timestamp(documents: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for document in documents:
        for event in document["logEvents"]:
            event_id = event["id"]
            assert re.fullmatch(r"\d{56}", event_id)
            assert int(event_id) >> 144 == event["timestamp"]
            assert event_id not in seen
            seen.add(event_id)


def test_log_data_matches_deliveries(documents: list[dict[str, Any]]) -> None:
    assert list(generate_log_data(start=START)) == documents


# Time


def test_timestamps_within_day(documents: list[dict[str, Any]]) -> None:
    for document in documents:
        for event in document["logEvents"]:
            assert START_MS <= event["timestamp"] < START_MS + DAY_MS


def test_stream_events_in_order(streams: dict[str, list[Event]]) -> None:
    for events in streams.values():
        timestamps = [event["timestamp"] for event in events]
        assert timestamps == sorted(timestamps)


def test_deliveries_in_time_order(documents: list[dict[str, Any]]) -> None:
    # A delivery is sent after its last event and within the window after its first, so
    # no later delivery starts more than one window before an earlier one ended.
    latest_end = 0
    for document in documents:
        timestamps = [event["timestamp"] for event in document["logEvents"]]
        assert timestamps[0] + MAX_WINDOW_MS >= latest_end
        latest_end = max(latest_end, timestamps[-1])


def test_traffic_follows_daily_curve(documents: list[dict[str, Any]]) -> None:
    starts_by_hour: Counter[int] = Counter()
    for document in documents:
        for event in document["logEvents"]:
            if event["message"].startswith("START "):
                starts_by_hour[(event["timestamp"] - START_MS) // 3_600_000] += 1

    assert starts_by_hour[15] > 4 * starts_by_hour[3]


def test_one_hour_run_stays_inside() -> None:
    start = START + timedelta(hours=5, minutes=17)
    start_ms = int(start.timestamp() * 1000)
    documents = list(generate_log_data(start=start, hours=1, invocations=300))

    timestamps = [e["timestamp"] for d in documents for e in d["logEvents"]]
    assert min(timestamps) >= start_ms
    assert max(timestamps) < start_ms + 3_600_000


# Streams, versions and request IDs


def test_streams_per_environment(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in SAMPLE_FUNCTIONS:
        assert len(by_function[name]) >= 3


def test_stream_version_labels(by_function: dict[str, dict[str, list[Event]]]) -> None:
    expected = {"payments-java": "14", "checkout-web": "31"}
    for name in SAMPLE_FUNCTIONS:
        for stream in by_function[name]:
            match = STREAM.fullmatch(stream)
            assert match is not None
            assert match.group(4) == expected.get(name, "$LATEST")


def test_stream_dated_by_first_event(streams: dict[str, list[Event]]) -> None:
    for stream, events in streams.items():
        first = datetime.fromtimestamp(events[0]["timestamp"] / 1000, UTC)
        assert stream.startswith(first.strftime("%Y/%m/%d/"))


def test_start_version_matches_stream(streams: dict[str, list[Event]]) -> None:
    checked = 0
    for stream, events in streams.items():
        label = stream.split("[", 1)[1].split("]", 1)[0]
        for event in events:
            match = START_LINE.fullmatch(event["message"])
            if match:
                assert match.group(2) == label
                checked += 1

    assert checked > 1000


def test_request_ids_unique_uuid4(streams: dict[str, list[Event]]) -> None:
    request_ids: list[str] = []
    for events in streams.values():
        for event in events:
            match = START_LINE.fullmatch(event["message"])
            if match:
                request_ids.append(match.group(1))

    assert len(request_ids) > 1000
    assert len(set(request_ids)) == len(request_ids)


# Platform lines


def test_report_line_shape(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in SAMPLE_FUNCTIONS:
        for report in reports(by_function, name):
            fields = report_fields(report)
            assert {"Duration", "Billed Duration", "Memory Size", "Max Memory Used"} <= set(fields)
            if name in TRACED:
                assert XRAY.search(report), report
            else:
                assert "XRAY" not in report
                assert report.endswith(("\t\n", "Status: timeout\n", "Runtime.OutOfMemory\n"))


def test_billed_duration_includes_init(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in SAMPLE_FUNCTIONS:
        for report in reports(by_function, name):
            if "Status: timeout" in report:
                continue
            fields = report_fields(report)
            expected = math.ceil(fields["Duration"] + fields.get("Init Duration", 0.0) - 1e-9)
            expected += int(fields.get("Billed Restore Duration", 0))
            assert fields["Billed Duration"] == expected, report


def test_cold_start_rate_few_percent(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in SAMPLE_FUNCTIONS:
        all_reports = [m for m in messages(by_function, name) if _is_report(m)]
        cold = [m for m in all_reports if re.search(r"Init Duration|initDurationMs|Restore", m)]
        assert len(cold) >= 1, name
        assert len(cold) / len(all_reports) < 0.15, name


def test_cold_starts_follow_idle_gaps(by_function: dict[str, dict[str, list[Event]]]) -> None:
    # Environments are reclaimed after idle gaps, so the quiet night has a higher share
    # of cold starts than the busy afternoon.
    night = Counter[bool]()
    afternoon = Counter[bool]()
    for name in SAMPLE_FUNCTIONS:
        for events in by_function[name].values():
            for event in events:
                if not _is_report(event["message"]):
                    continue
                hour = (event["timestamp"] - START_MS) // 3_600_000
                cold = bool(re.search(r"Init Duration|initDurationMs|Restore", event["message"]))
                if hour < 8:
                    night[cold] += 1
                elif 12 <= hour < 20:
                    afternoon[cold] += 1

    assert night[True] / sum(night.values()) > 2 * afternoon[True] / sum(afternoon.values())


def test_init_start_before_cold_start(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in SAMPLE_FUNCTIONS:
        text = messages(by_function, name)
        init_starts = sum(
            m.startswith(("INIT_START ", "RESTORE_START ")) or '"platform.initStart"' in m
            for m in text
        )
        cold_reports = sum(
            bool(re.search(r"Init Duration|initDurationMs|Restore Duration", m))
            for m in text
            if _is_report(m)
        )
        assert init_starts == cold_reports, name


def test_init_start_line_shape(by_function: dict[str, dict[str, list[Event]]]) -> None:
    pattern = re.compile(
        r"INIT_START Runtime Version: [a-z0-9.:]+\t"
        r"Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:[0-9a-f]{64}\n"
    )
    for name in ("orders-api", "checkout-web", "thumbnail-generator", "ledger-worker"):
        lines = [m for m in messages(by_function, name) if m.startswith("INIT_START")]
        assert lines
        for line in lines:
            assert pattern.fullmatch(line), line


def test_snap_start_restore_lines(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = messages(by_function, "payments-java")
    restores = [m for m in text if m.startswith("RESTORE_START Runtime Version: java:21")]
    restore_reports = [
        m for m in text if re.fullmatch(r"RESTORE_REPORT Restore Duration: \d+\.\d\d ms\n", m)
    ]

    assert restores
    assert len(restore_reports) == len(restores)
    assert not [m for m in text if m.startswith("INIT_START")]
    assert all("Init Duration" not in report for report in reports(by_function, "payments-java"))


def test_extension_lines_on_cold_start(by_function: dict[str, dict[str, list[Event]]]) -> None:
    cold_streams = 0
    for events in by_function["checkout-web"].values():
        text = [event["message"] for event in events]
        if not text[0].startswith("INIT_START"):
            continue
        start = next(i for i, m in enumerate(text) if m.startswith("START "))
        init = text[:start]
        types = "Types: [Platform, Function, Extension]"
        assert f"TELEMETRY\tName: collector\tState: Subscribed\t{types}\n" in init
        assert init[-1] == "EXTENSION\tName: collector\tState: Ready\tEvents: [INVOKE,SHUTDOWN]\n"
        cold_streams += 1

    assert cold_streams > 0


def test_extension_lines_only_checkout(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in SAMPLE_FUNCTIONS:
        found = any(
            m.startswith(("EXTENSION\t", "TELEMETRY\t")) for m in messages(by_function, name)
        )
        assert found == (name == "checkout-web"), name


# Special cases


def test_worker_times_out_with_line(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = messages(by_function, "ledger-worker")
    timed_out = [
        m for m in text if re.fullmatch(rf"\S+Z {UUID4} Task timed out after 30\.\d\d seconds\n", m)
    ]

    assert timed_out
    for line in timed_out:
        request_id = line.split(" ")[1]
        report = next(m for m in text if m.startswith(f"REPORT RequestId: {request_id}\t"))
        assert report.endswith("\tStatus: timeout\n")
        assert report_fields(report)["Duration"] > 30_000


def test_worker_times_out_silently(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = messages(by_function, "ledger-worker")
    with_line = {m.split(" ")[1] for m in text if "Task timed out" in m}
    silent = [
        m
        for m in text
        if m.endswith("\tStatus: timeout\n") and m.split("\t")[0].split(" ")[2] not in with_line
    ]

    assert silent
    for report in silent:
        fields = report_fields(report)
        assert fields["Duration"] == 30_000.0
        assert fields["Billed Duration"] == math.ceil(30_000 + fields.get("Init Duration", 0))


def test_go_out_of_memory_report(by_function: dict[str, dict[str, list[Event]]]) -> None:
    killed = [m for m in reports(by_function, "thumbnail-generator") if "OutOfMemory" in m]

    assert killed
    for report in killed:
        assert report.endswith("\tStatus: error\tError Type: Runtime.OutOfMemory\n")
        fields = report_fields(report)
        assert fields["Max Memory Used"] == fields["Memory Size"] == 1024


def test_multi_day_repeats_daily_cases() -> None:
    documents = list(generate_log_data(start=START, hours=48, invocations=1200))
    text = [e["message"] for d in documents for e in d["logEvents"]]

    assert sum("Runtime.OutOfMemory" in m for m in text) >= 2
    assert sum("Task timed out after" in m for m in text) >= 2
    assert sum(m.endswith("Status: timeout\n") for m in text) >= 4


def test_db_errors_all_kinds(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = "".join(messages(by_function, "ledger-worker"))

    assert (
        "FATAL:  remaining connection slots are reserved for non-replication superuser connections"
        in text
    )
    assert "FATAL:  sorry, too many clients already" in text
    assert "could not receive data from server: Connection reset by peer" in text


def test_db_errors_cluster_busy_hours(by_function: dict[str, dict[str, list[Event]]]) -> None:
    errors_by_hour: Counter[int] = Counter()
    for events in by_function["ledger-worker"].values():
        for event in events:
            if (
                '"event": "db_connect_failed"' in event["message"]
                or "db_query_failed" in event["message"]
            ):
                errors_by_hour[(event["timestamp"] - START_MS) // 3_600_000] += 1

    busy = sum(count for hour, count in errors_by_hour.items() if 12 <= hour < 20)
    assert sum(errors_by_hour.values()) >= 3
    assert busy >= 0.8 * sum(errors_by_hour.values())


def test_over_provisioned_memory(by_function: dict[str, dict[str, list[Event]]]) -> None:
    for name in ("orders-api", "checkout-web", "payments-java"):
        for report in reports(by_function, name):
            fields = report_fields(report)
            assert fields["Max Memory Used"] < 0.2 * fields["Memory Size"], name


# Application lines


def test_python_unhandled_tracebacks(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = messages(by_function, "orders-api")
    errors = [m for m in text if m.startswith("[ERROR] ")]
    warnings = [m for m in text if m.startswith("[WARNING]\t")]

    assert any(m.startswith("[ERROR] KeyError: 'customer_id'\nTraceback") for m in errors)
    assert any(m.startswith("[ERROR] ClientError: An error occurred (") for m in errors)
    assert len(warnings) == len(errors)
    for message in errors:
        lines = message.split("\n")
        assert lines[1] == "Traceback (most recent call last):"
        assert lines[2].startswith('\u00a0\u00a0File "')
        assert lines[3].startswith("\u00a0\u00a0\u00a0\u00a0")
        assert not message.endswith("\n")
    for message in warnings:
        assert re.fullmatch(
            r"\[WARNING\]\t\S+Z\t\tLAMBDA_WARNING: Unhandled exception\. .*\n", message
        )


def test_powertools_lines(by_function: dict[str, dict[str, list[Event]]]) -> None:
    trace_ids = {
        report.split("\t", 1)[0].removeprefix("REPORT RequestId: "): report.split("TraceId: ")[1][
            :35
        ]
        for report in reports(by_function, "orders-api")
    }
    cold_records = 0
    warm_records = 0
    for events in by_function["orders-api"].values():
        request_id = ""
        invocation = 0
        for event in events:
            message = event["message"]
            match = START_LINE.fullmatch(message)
            if match:
                request_id = match.group(1)
                invocation += 1
            if not message.startswith('{"level":') or not request_id:
                continue
            record = json.loads(message)
            assert message.endswith("}\n")
            assert record["function_request_id"] == request_id
            assert record["cold_start"] is (invocation == 1)
            assert record["xray_trace_id"] == trace_ids[request_id]
            assert record["function_memory_size"] == "1024"
            if record["cold_start"]:
                cold_records += 1
            else:
                warm_records += 1

    assert cold_records > 0
    assert warm_records > 10 * cold_records


def test_powertools_logged_client_error(by_function: dict[str, dict[str, list[Event]]]) -> None:
    records = [
        json.loads(m) for m in messages(by_function, "orders-api") if '"exception_name"' in m
    ]

    assert records
    for record in records:
        assert record["level"] == "ERROR"
        assert record["exception_name"] == "ClientError"
        assert record["exception"].endswith("The conditional request failed")
        assert "\nbotocore.exceptions.ClientError: " in record["exception"]


def test_node_console_lines(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = messages(by_function, "checkout-web")
    console = [m for m in text if re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z\t", m)]
    init = [m for m in console if m.split("\t")[1] == "undefined"]
    dumps = [m for m in console if "\tINFO\tEVENT\r{\r" in m]

    assert init
    assert dumps
    for message in console:
        assert re.fullmatch(rf"\S+Z\t({UUID4}|undefined)\t(INFO|WARN|ERROR)\t[^\n]*\n", message)
    for message in dumps:
        assert json.loads(message.split("\tEVENT\r", 1)[1].replace("\r", "\n"))["version"] == "2.0"


def test_node_invoke_error(by_function: dict[str, dict[str, list[Event]]]) -> None:
    errors = [m for m in messages(by_function, "checkout-web") if "\tERROR\tInvoke Error \t{" in m]

    assert errors
    for message in errors:
        error = json.loads(message.split("Invoke Error \t", 1)[1])
        assert error["errorType"] == "Error"
        assert error["stack"][0] == f"Error: {error['errorMessage']}"


def test_json_format_records(by_function: dict[str, dict[str, list[Event]]]) -> None:
    kinds: Counter[str] = Counter()
    for message in messages(by_function, "invoice-renderer"):
        if message.startswith('{"time":'):
            record = json.loads(message)
            kinds[record["type"]] += 1
            assert set(record) == {"time", "type", "record"}
        elif message.startswith('{"timestamp": '):
            record = json.loads(message)
            assert message == json.dumps(record) + "\n"
            assert re.fullmatch(UUID4, record["requestId"])
            kinds["app"] += 1
        elif message.startswith("LAMBDA_WARNING: "):
            error = json.loads(message.split("\r", 1)[1])
            assert error["log_level"] == "ERROR"
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", error["timestamp"])
            kinds["unhandled"] += 1
        else:
            assert message.endswith("\n")
            assert not message.startswith(("{", "START", "END", "REPORT", "INIT_START"))
            kinds["print"] += 1

    for kind in (
        "platform.initStart",
        "platform.start",
        "platform.report",
        "app",
        "unhandled",
        "print",
    ):
        assert kinds[kind] > 0, kind


def test_json_report_status(by_function: dict[str, dict[str, list[Event]]]) -> None:
    text = messages(by_function, "invoice-renderer")
    failed = {
        json.loads(m.split("\r", 1)[1])["requestId"] for m in text if m.startswith("LAMBDA_WARNING")
    }
    statuses = {}
    for message in text:
        if '"type":"platform.report"' in message:
            record = json.loads(message)["record"]
            statuses[record["requestId"]] = record["status"]

    assert failed
    for request_id, status in statuses.items():
        assert status == ("error" if request_id in failed else "success")


def test_zap_lines(by_function: dict[str, dict[str, list[Event]]]) -> None:
    lines = [
        json.loads(m)
        for m in messages(by_function, "thumbnail-generator")
        if m.startswith('{"level":')
    ]

    assert lines
    for line in lines:
        assert list(line)[:4] == ["level", "ts", "caller", "msg"]
        assert line["level"] in {"info", "warn", "error"}
        assert isinstance(line["ts"], float)
        assert START_MS / 1000 <= line["ts"] < (START_MS + DAY_MS) / 1000
        assert ("stacktrace" in line) == (line["level"] == "error")


def test_log4j_lines(by_function: dict[str, dict[str, list[Event]]]) -> None:
    layout = re.compile(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d ({UUID4})? (INFO |WARN |ERROR) \w+ - ")
    text = messages(by_function, "payments-java")
    lines = [m for m in text if re.match(r"\d{4}-\d\d-\d\d ", m)]
    traces = [m for m in lines if "\n\tat " in m]

    assert any(" ERROR PaymentHandler - " in m for m in traces)
    assert any(m.startswith("java.lang.IllegalStateException: ") for m in text)
    for line in lines:
        assert layout.match(line), line
        assert line.endswith("\n")


def test_structlog_lines(by_function: dict[str, dict[str, list[Event]]]) -> None:
    prefix = re.compile(rf"\[(INFO|WARNING|ERROR)\]\t\S+Z\t({UUID4})?\t")
    bodies = 0
    for message in messages(by_function, "ledger-worker"):
        match = prefix.match(message)
        if not match or not message[match.end()].startswith("{"):
            continue
        body = message[match.end() : -1]
        record = json.loads(body)
        assert body == json.dumps(record)
        assert list(record)[-4:] in (
            ["event", "logger", "level", "timestamp"],
            ["logger", "level", "timestamp", "exception"],
        )
        assert record["level"] == match.group(1).lower()
        bodies += 1

    assert bodies > 100


# Other entry points and arguments


def test_kinesis_events_wrap_payloads(deliveries: list[dict[str, Any]]) -> None:
    events = list(generate_kinesis_events(start=START, batch_size=7))
    records = [record for event in events for record in event["Records"]]

    assert [r["kinesis"]["data"] for r in records] == [d["awslogs"]["data"] for d in deliveries]
    assert all(1 <= len(event["Records"]) <= 7 for event in events)


def test_kinesis_record_fields() -> None:
    events = list(generate_kinesis_events(start=START, invocations=50, batch_size=100))
    records = [record for event in events for record in event["Records"]]
    sequence_numbers = [int(record["kinesis"]["sequenceNumber"]) for record in records]

    assert sequence_numbers == sorted(set(sequence_numbers))
    for record in records:
        assert record["eventSource"] == "aws:kinesis"
        assert record["eventName"] == "aws:kinesis:record"
        assert record["eventID"] == f"shardId-000000000000:{record['kinesis']['sequenceNumber']}"
        assert (
            record["eventSourceARN"] == "arn:aws:kinesis:us-east-1:123456789012:stream/loglake-logs"
        )
        assert isinstance(record["kinesis"]["approximateArrivalTimestamp"], float)
        assert (
            decode({"awslogs": {"data": record["kinesis"]["data"]}})["messageType"]
            == "DATA_MESSAGE"
        )


def test_region_sets_partition() -> None:
    documents = list(
        generate_log_data(
            start=START, invocations=60, account="210987654321", region="us-gov-west-1"
        )
    )
    text = [e["message"] for d in documents for e in d["logEvents"]]

    assert {d["owner"] for d in documents} == {"210987654321"}
    assert any(
        "Runtime Version ARN: arn:aws-us-gov:lambda:us-gov-west-1::runtime:" in m for m in text
    )


@pytest.mark.parametrize(
    ("arguments", "error", "fragment"),
    [
        ({"start": datetime(2026, 12, 1)}, ValueError, "has no time zone"),
        ({"start": START, "hours": 0}, ValueError, "hours=0 is out of range"),
        ({"start": START, "invocations": -1}, ValueError, "invocations=-1"),
        ({"start": START, "account": "12345"}, ValueError, "12-digit AWS account ID"),
        ({"start": START, "region": "useast1"}, ValueError, "AWS Region name"),
        ({"start": START, "seed": "7"}, TypeError, "seed must be an int"),
        ({"start": "2026-12-01"}, TypeError, "start must be a datetime"),
    ],
)
def test_invalid_arguments_rejected(
    arguments: dict[str, Any], error: type[Exception], fragment: str
) -> None:
    with pytest.raises(error, match=re.escape(fragment)):
        generate_deliveries(**arguments)


def test_kinesis_batch_size_rejected() -> None:
    with pytest.raises(ValueError, match="batch_size=0 is out of range"):
        generate_kinesis_events(start=START, batch_size=0)


def _is_report(message: str) -> bool:
    return message.startswith("REPORT ") or '"type":"platform.report"' in message
