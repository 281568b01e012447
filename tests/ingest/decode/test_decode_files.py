"""decode_file: Firehose S3 objects, API output, exports and saved Lambda events."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import orjson

from loglake.ingest.decode import DecodedRecord, decode_file

LoadBytes = Callable[[str], bytes]

EXPORT_STREAM = "2026/04/11/[$LATEST]0f3c9a2b7d4e4f1a8b6c5d4e3f2a1b0c"
EXPORT_KEY = f"exportedlogs/6e2f1a0b-3c4d-4e5f-8a9b-0c1d2e3f4a5b/{EXPORT_STREAM}/000000.gz"
FILTER_STREAMS = [
    "2026/05/06/[$LATEST]3be0f1c2a9d84e7f8c1b2a3d4e5f6a7b",
    "2026/05/06/[$LATEST]9d8c7b6a5f4e4d3c8b2a1f0e9d8c7b6a",
]
GET_REQUEST_ID = "0b4702d2-5e05-4990-abe9-94f2baa2919c"


def _error(record: DecodedRecord) -> str:
    assert record.error is not None
    return str(record.error)


# Firehose S3 objects


def test_s3_object_record_ids(delivery: LoadBytes) -> None:
    records = decode_file(delivery("firehose-s3-object.gz"), name="2026/10/21/03/obj")

    assert [record.record_id for record in records] == [
        "2026/10/21/03/obj#0",
        "2026/10/21/03/obj#1",
        "2026/10/21/03/obj#2",
        "2026/10/21/03/obj#3",
    ]


def test_s3_object_batches(delivery: LoadBytes) -> None:
    records = decode_file(delivery("firehose-s3-object.gz"), name="obj", region="eu-west-1")
    batches = [batch for record in records for batch in record.batches]

    assert [batch.log_group for batch in batches] == [
        "/aws/lambda/orders-api",
        "/aws/lambda/image-resizer",
        "/aws/lambda/≈",
    ]
    assert [batch.owner for batch in batches] == ["123456789012", "123456789012", "210987654321"]
    assert {batch.source for batch in batches} == {"s3-object"}
    assert {batch.region for batch in batches} == {"eu-west-1"}


def test_s3_object_events(delivery: LoadBytes) -> None:
    records = decode_file(delivery("firehose-s3-object.gz"), name="obj")
    events = records[2].batches[0].events

    assert [event.event_id for event in events] == [
        "34995263194743957926394092898794541076935926438371917824",
        "34995263194743957926394092898794541076935926438371917825",
    ]
    assert [event.timestamp_ms for event in events] == [1569241874350, 1569241874350]
    assert events[0].message == "END RequestId: 62f746b4-84e6-4ceb-a5bd-447e7184d454\n"


def test_s3_object_control_message(delivery: LoadBytes) -> None:
    records = decode_file(delivery("firehose-s3-object.gz"), name="obj")

    assert [record.control_message for record in records] == [False, True, False, False]
    assert records[1].batches == []
    assert records[1].error is None


def test_s3_object_payload_is_value(delivery: LoadBytes) -> None:
    records = decode_file(delivery("firehose-s3-object.gz"), name="obj")
    document = orjson.loads(records[3].payload)

    assert document["logGroup"] == "/aws/lambda/≈"
    assert records[3].payload.startswith(b'{"messageType":"DATA_MESSAGE"')


def test_s3_object_decompressed_matches(delivery: LoadBytes) -> None:
    compressed = decode_file(delivery("firehose-s3-object.gz"), name="obj")
    decompressed = decode_file(delivery("firehose-s3-object-decompressed.json"), name="obj")

    assert [record.batches for record in decompressed] == [record.batches for record in compressed]
    assert [record.payload for record in decompressed] == [record.payload for record in compressed]


def test_s3_object_truncated_keeps_members(delivery: LoadBytes) -> None:
    records = decode_file(delivery("firehose-s3-object-truncated.gz"), name="obj")

    assert len(records) == 3
    assert records[0].batches[0].log_group == "/aws/lambda/orders-api"
    assert records[1].control_message


def test_s3_object_truncated_error(delivery: LoadBytes) -> None:
    data = delivery("firehose-s3-object-truncated.gz")

    record = decode_file(data, name="obj")[2]

    assert _error(record).startswith(
        "file obj#2: gzip stream truncated after 994 bytes: "
        "the gzip member that starts at byte 558 has no end"
    )
    assert record.payload == data[558:]
    assert record.batches == []


def test_s3_object_value_across_members() -> None:
    document = (
        b'{"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"/aws/lambda/a",'
        b'"logStream":"s","logEvents":[{"id":"1","timestamp":5,"message":"m"}]}'
    )
    data = gzip.compress(document[:40], mtime=0) + gzip.compress(document[40:], mtime=0)

    [record] = decode_file(data, name="obj")

    assert record.batches[0].events[0].message == "m"


def test_s3_object_owner_from_caller() -> None:
    document = b'{"logGroup":"/aws/lambda/a","logStream":"s","logEvents":[]}'

    [record] = decode_file(document, name="obj", owner="123456789012")

    assert record.batches[0].owner == "123456789012"


def test_s3_object_invalid_utf8_flagged() -> None:
    good = b'{"logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":5,"message":"a"}]}'
    bad = good.replace(b'"a"', b'"caf\xe9"')

    records = decode_file(good + bad, name="obj")

    assert [record.invalid_utf8 for record in records] == [False, True]
    assert records[1].batches[0].events[0].message == "caf\ufffd"
    assert records[1].payload == bad


def test_s3_object_bad_value_after_good() -> None:
    good = b'{"logGroup":"g","logStream":"s","logEvents":[]}'

    records = decode_file(good + b'{"logGroup": nope}', name="obj")

    assert records[0].error is None
    assert _error(records[1]).startswith("file obj#1: not valid JSON (Expecting value")
    assert records[1].payload == b'{"logGroup": nope}'


def test_gzip_bomb_capped() -> None:
    data = gzip.compress(bytes(10_000), mtime=0)

    [record] = decode_file(data, name="obj", max_decompressed_bytes=4096)

    assert "inflates to more than 4096 bytes" in _error(record)


def test_bytes_after_gzip_rejected() -> None:
    member = gzip.compress(b'{"logGroup":"g","logStream":"s","logEvents":[]}', mtime=0)

    records = decode_file(member + b"\x00\x00junk", name="obj")

    assert records[0].error is None
    assert _error(records[1]).startswith(f"file obj#1: 6 bytes at byte {len(member)} are not gzip")
    assert records[1].payload == b"\x00\x00junk"


# filter-log-events and get-log-events output


def test_filter_log_events_streams(delivery: LoadBytes) -> None:
    [record] = decode_file(
        delivery("filter-log-events.json"), name="out.json", log_group="/aws/lambda/sync"
    )

    assert [batch.log_stream for batch in record.batches] == FILTER_STREAMS
    assert {batch.log_group for batch in record.batches} == {"/aws/lambda/sync"}
    assert {batch.source for batch in record.batches} == {"filter-log-events"}


def test_filter_log_events_events(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("filter-log-events.json"), name="out.json", log_group="g")
    events = record.batches[1].events

    assert [event.timestamp_ms for event in events] == [1778053191902, 1778053192263]
    assert [event.ingestion_time_ms for event in events] == [1778053192213, 1778053192574]
    assert events[1].message == (
        "[INFO]\t2026-05-06T07:39:52.263Z\t\tFound credentials in environment variables.\n"
    )


def test_filter_log_events_ids(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("filter-log-events.json"), name="out.json", log_group="g")
    event = record.batches[0].events[0]

    assert event.event_id == "39651911181416154291541793140861644966924712208534339584"
    assert int(event.event_id) >> 144 == event.timestamp_ms


def test_filter_log_events_needs_group(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("filter-log-events.json"), name="out.json")

    assert _error(record) == (
        "file out.json#0: filter-log-events output does not name its log group; "
        "pass --log-group with the group the events were read from"
    )


def test_filter_log_events_moto_ids() -> None:
    output = b'{"events":[{"logStreamName":"s","timestamp":1,"message":"m","eventId":123}]}'

    [record] = decode_file(output, name="out.json", log_group="g")

    assert record.batches[0].events[0].event_id == "123"


def test_get_log_events_batch(delivery: LoadBytes) -> None:
    [record] = decode_file(
        delivery("get-log-events.json"), name="out.json", log_group="g", log_stream="st"
    )
    [batch] = record.batches

    assert batch.source == "get-log-events"
    assert batch.log_stream == "st"
    assert batch.log_group == "g"
    assert [event.event_id for event in batch.events] == [None, None, None, None]


def test_get_log_events_times(delivery: LoadBytes) -> None:
    [record] = decode_file(
        delivery("get-log-events.json"), name="out.json", log_group="g", log_stream="st"
    )
    events = record.batches[0].events

    assert [event.timestamp_ms for event in events] == [
        1560242537507,
        1560242537509,
        1560242537554,
        1560242537554,
    ]
    assert [event.ingestion_time_ms for event in events] == [
        1560242537641,
        1560242552688,
        1560242552688,
        1560242552688,
    ]


def test_get_log_events_message_bytes(delivery: LoadBytes) -> None:
    [record] = decode_file(
        delivery("get-log-events.json"), name="out.json", log_group="g", log_stream="st"
    )
    events = record.batches[0].events

    assert events[1].message == (
        f'2019-06-11T08:42:17.509Z\t{GET_REQUEST_ID}\tINFO\tEVENT\r{{\r  "source": "test"\r}}\n'
    )
    assert events[3].message == (
        f"REPORT RequestId: {GET_REQUEST_ID}\tDuration: 31.08 ms\tBilled Duration: 32 ms "
        "\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t\n"
    )


def test_get_log_events_needs_stream(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("get-log-events.json"), name="out.json", log_group="g")

    assert _error(record) == (
        "file out.json#0: events[0] does not name its log stream, as in get-log-events "
        "output; pass --log-stream with the stream the events were read from"
    )


# CloudWatch Logs exports


def test_export_stream_from_key(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("export-000000.gz"), name=EXPORT_KEY, log_group="/aws/lambda/r")
    [batch] = record.batches

    assert batch.log_stream == EXPORT_STREAM
    assert batch.log_group == "/aws/lambda/r"
    assert batch.source == "export"


def test_export_events(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("export-000000.gz"), name=EXPORT_KEY, log_group="g")
    events = record.batches[0].events

    assert len(events) == 6
    assert (
        events[2].message
        == "START RequestId: 1aafd366-0999-4495-8688-67269581a675 Version: $LATEST"
    )
    assert events[2].timestamp_ms == 1775883603219
    assert {event.event_id for event in events} == {None}


def test_export_continuation_line(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("export-000000.gz"), name=EXPORT_KEY, log_group="g")
    event = record.batches[0].events[0]

    assert event.message == (
        "[ERROR] Runtime.ImportModuleError: Unable to import module 'report_builder': "
        "No module named 'report_builder'\nTraceback (most recent call last):"
    )
    assert event.timestamp_ms == 1775883603104


def test_export_tab_kept(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("export-000000.gz"), name=EXPORT_KEY, log_group="g")

    assert record.batches[0].events[3].message == (
        "INIT_REPORT Init Duration: 76.13 ms\tPhase: invoke\tStatus: error"
        "\tError Type: Runtime.ImportModuleError"
    )


def test_export_payload_is_file(delivery: LoadBytes) -> None:
    data = delivery("export-000000.gz")

    [record] = decode_file(data, name=EXPORT_KEY, log_group="g")

    assert record.payload == data
    assert record.record_id == f"{EXPORT_KEY}#0"


def test_export_moto_key() -> None:
    data = gzip.compress(b"2026-04-11T05:00:03.000Z hello", mtime=0)
    name = "exports/6e2f/2026-04-11-[$LATEST]0f3c/000000.gz"

    [record] = decode_file(data, name=name, log_group="g")

    assert record.batches[0].log_stream == "2026-04-11-[$LATEST]0f3c"
    assert record.batches[0].events[0].message == "hello"


def test_export_stream_from_caller(delivery: LoadBytes) -> None:
    [record] = decode_file(
        delivery("export-000000.gz"), name="copy.gz", log_group="g", log_stream="st"
    )

    assert record.batches[0].log_stream == "st"


def test_export_needs_stream(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("export-000000.gz"), name="Downloads/copy.gz", log_group="g")

    assert "'Downloads/copy.gz' does not name a log stream" in _error(record)


def test_export_needs_group(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("export-000000.gz"), name=EXPORT_KEY)

    assert _error(record) == (
        f"file {EXPORT_KEY}#0: CloudWatch Logs export files do not name their log group; "
        "pass --log-group with the group that was exported"
    )


def test_export_trailing_newline_kept() -> None:
    text = b"2026-04-11T05:00:03.104Z START\n\n2026-04-11T05:00:03.105Z END\n"

    [record] = decode_file(text, name="e", log_group="g", log_stream="s")

    assert [event.message for event in record.batches[0].events] == ["START\n", "END"]


def test_export_fraction_digits() -> None:
    text = b"2026-04-11T05:00:03Z a\n2026-04-11T05:00:03.5Z b\n2026-04-11T05:00:03.123456Z c\n"

    [record] = decode_file(text, name="e", log_group="g", log_stream="s")

    assert [event.timestamp_ms for event in record.batches[0].events] == [
        1775883603000,
        1775883603500,
        1775883603123,
    ]


def test_export_invalid_date() -> None:
    [record] = decode_file(b"2026-13-11T05:00:03Z a\n", name="e", log_group="g", log_stream="s")

    assert _error(record).startswith(
        "file e#0: line 1: timestamp 2026-13-11T05:00:03Z is not a valid time"
    )


def test_export_invalid_utf8() -> None:
    [record] = decode_file(
        b"2026-04-11T05:00:03Z caf\xe9\n", name="e", log_group="g", log_stream="s"
    )

    assert record.invalid_utf8
    assert record.batches[0].events[0].message == "caf\ufffd"


def test_export_probe_object(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("aws-logs-write-test"), name="exportedlogs/aws-logs-write-test")

    assert record.control_message
    assert record.batches == []
    assert record.error is None


# Other files


def test_saved_kinesis_event(delivery: LoadBytes) -> None:
    records = decode_file(delivery("kinesis.json"), name="event.json", region="us-east-1")

    assert [record.record_id for record in records] == ["event.json#0", "event.json#1"]
    assert records[0].batches[0].source == "kinesis"
    assert records[0].batches[0].region == "eu-central-1"
    assert records[1].control_message


def test_saved_event_after_payload(delivery: LoadBytes) -> None:
    payload = b'{"logGroup":"g","logStream":"s","logEvents":[]}'

    records = decode_file(payload + delivery("firehose.json"), name="f")

    assert [record.record_id for record in records] == ["f#0", "f#1", "f#2"]


def test_not_a_delivery(delivery: LoadBytes) -> None:
    [record] = decode_file(delivery("not-a-delivery.csv"), name="results.csv")

    assert _error(record).startswith(
        "file results.csv#0: file is neither JSON nor a CloudWatch Logs export: line 1 does not "
        "start with an ISO-8601 UTC timestamp (it starts with 'timestamp,message')"
    )
    assert record.payload == delivery("not-a-delivery.csv")


def test_binary_file() -> None:
    [record] = decode_file(b"\x89PNG\r\n\x1a\n\x00\x00", name="logo.png")

    assert "file is neither JSON nor a CloudWatch Logs export" in _error(record)


def test_empty_file() -> None:
    [record] = decode_file(b"", name="empty.json")

    assert _error(record).startswith("file empty.json#0: file is empty or contains only whitespace")


def test_unknown_json_object() -> None:
    [record] = decode_file(b'{"Items": [], "Count": 0}', name="scan.json")

    assert _error(record).startswith(
        "file scan.json#0: JSON object has the keys ['Count', 'Items']; expected"
    )


def test_json_array() -> None:
    [record] = decode_file(b"[1, 2]", name="list.json")

    assert _error(record).startswith("file list.json#0: JSON value is an array; expected")


def test_unknown_lambda_event_in_file() -> None:
    [record] = decode_file(b'{"Records": [{"eventSource": "aws:sqs"}]}', name="sqs.json")

    assert "JSON object has the keys ['Records']" in _error(record)


def test_timestamp_of_thousands_of_digits_is_error() -> None:
    document = {
        "logGroup": "/aws/lambda/a",
        "logStream": "s",
        "logEvents": [{"id": "1", "timestamp": "9" * 4301, "message": "m"}],
    }
    (record,) = decode_file(json.dumps(document).encode(), name="huge.json")

    assert record.error is not None
    assert "timestamp" in record.error.reason


def test_integer_literal_of_thousands_of_digits_is_error() -> None:
    data = b'{"logGroup":"g","logStream":"s","logEvents":[]}\n{"n":' + b"9" * 5000 + b"}"
    records = decode_file(data, name="two.json")

    assert records[-1].error is not None
    assert "not valid JSON" in records[-1].error.reason
