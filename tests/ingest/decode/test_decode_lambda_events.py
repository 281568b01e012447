"""decode_lambda_event: subscription, Kinesis and Firehose events."""

from __future__ import annotations

import base64
import gzip
import zlib
from collections.abc import Callable
from typing import Any

import orjson
import pytest

from loglake.ingest.decode import (
    MAX_RECORD_DECOMPRESSED_BYTES,
    DecodedRecord,
    decode_lambda_event,
    lambda_event_shape,
)
from loglake.ingest.errors import DecodeError

LoadEvent = Callable[[str], dict[str, Any]]

KINESIS_ID = "shardId-000000000000:49597229710282251239370450528559665425987471742924741166"
KINESIS_CONTROL_ID = "shardId-000000000000:49597229710282251239370450528559665425987471742924741167"
FIREHOSE_ID = "49546986683135544286507457936321625675700192471156785154000000"
FIREHOSE_CONTROL_ID = "49546986683135544286507457936321625675700192471156785154000001"
ORDERS_STREAM = "2019/03/13/[$LATEST]59603c968d2b0c1b6d2bf2490b1e82c4"
ORDERS_REPORT = (
    "REPORT RequestId: 3f81c0de-27b4-c913-90ad-5e1f7a2c64b0\tDuration: 38.21 ms"
    "\tBilled Duration: 39 ms \tMemory Size: 192 MB\tMax Memory Used: 68 MB\t\n"
)
RESIZER_REPORT = (
    "REPORT RequestId: 62f746b4-84e6-4ceb-a5bd-447e7184d454\tDuration: 142.37 ms"
    "\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB"
    "\tInit Duration: 163.54 ms\t\nXRAY TraceId: 1-5d88bb12-93548b905e5c7474fdec65fe"
    "\tSegmentId: c8350ef15619f21b\tSampled: false\t\n"
)


def _payload(**fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/orders-api",
        "logStream": ORDERS_STREAM,
        "subscriptionFilters": ["loglake-ingest"],
        "logEvents": [{"id": "1", "timestamp": 1552484937418, "message": "hello\n"}],
    }
    document.update(fields)
    return document


def _awslogs(data: bytes) -> dict[str, Any]:
    return {"awslogs": {"data": base64.b64encode(data).decode("ascii")}}


def _decode_payload(document: Any) -> DecodedRecord:
    event = _awslogs(gzip.compress(orjson.dumps(document), mtime=0))
    return decode_lambda_event(event).records[0]


def _error(record: DecodedRecord) -> str:
    assert record.error is not None
    return str(record.error)


# Direct subscription


def test_subscription_shape(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("subscription-aws-doc.json"))

    assert decoding.shape == "subscription"
    assert [record.record_id for record in decoding.records] == ["awslogs"]


def test_subscription_batch_identity(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-aws-doc.json")).records[0]
    [batch] = record.batches

    assert batch.owner == "210987654321"
    assert batch.log_group == "sampleLogGroup"
    assert batch.log_stream == "sampleLogStream"
    assert batch.subscription_filters == ["sampleFilter"]
    assert batch.source == "subscription"


def test_subscription_events(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-aws-doc.json")).records[0]
    events = record.batches[0].events

    assert [event.event_id for event in events] == ["sampleId1", "sampleId2"]
    assert [event.timestamp_ms for event in events] == [1441203620000, 1441203620001]
    assert [event.message for event in events] == [
        "[ERROR] First sample message",
        "[ERROR] Second sample message",
    ]
    assert [event.ingestion_time_ms for event in events] == [None, None]


def test_subscription_payload_kept(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-aws-doc.json")).records[0]

    assert record.payload[:2] == b"\x1f\x8b"
    assert len(record.payload) == 207
    assert record.error is None
    assert not record.control_message


def test_subscription_message_bytes(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-report.json")).records[0]
    events = record.batches[0].events

    assert events[0].message == "END RequestId: 62f746b4-84e6-4ceb-a5bd-447e7184d454\n"
    assert events[1].message == RESIZER_REPORT
    assert events[1].event_id == "34995263194743957926394092898794541076935926438371917825"


def test_subscription_region_from_caller(lambda_event: LoadEvent) -> None:
    event = lambda_event("subscription-aws-doc.json")

    with_region = decode_lambda_event(event, region="eu-west-1").records[0]
    without_region = decode_lambda_event(event).records[0]

    assert with_region.batches[0].region == "eu-west-1"
    assert without_region.batches[0].region is None


def test_subscription_control_message(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("subscription-control.json"))
    [record] = decoding.records

    assert record.control_message
    assert record.batches == []
    assert record.error is None
    assert decoding.control_message_count == 1


def test_subscription_moto_int_ids(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-moto.json")).records[0]
    events = record.batches[0].events

    assert [event.event_id for event in events] == ["1", "2"]
    assert [event.timestamp_ms for event in events] == [1792569600000, 1792569600001]
    assert events[0].message == "START RequestId: 1 Version: $LATEST"


def test_event_without_timestamp_kept(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-partial-events.json")).records[0]
    event = record.batches[0].events[0]

    assert event.timestamp_ms is None
    assert event.event_id == "34621571013915578455320461264379043918818330815091900417"
    assert (
        event.message == "START RequestId: 3f81c0de-27b4-c913-90ad-5e1f7a2c64b0 Version: $LATEST\n"
    )


def test_event_without_id_kept(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-partial-events.json")).records[0]
    event = record.batches[0].events[1]

    assert event.event_id is None
    assert event.timestamp_ms == 1552484937419
    assert event.message == "END RequestId: 3f81c0de-27b4-c913-90ad-5e1f7a2c64b0\n"


def test_event_without_message_kept(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-partial-events.json")).records[0]
    event = record.batches[0].events[2]

    assert event.message == ""
    assert event.event_id == "34621571013915578455320461264379043918818330815091900418"
    assert event.timestamp_ms == 1552484937420


def test_subscription_256kb_message(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-256kb-message.json")).records[0]
    [event] = record.batches[0].events

    assert len(event.message) == 256 * 1024
    assert event.message.startswith('{"level":"INFO","message":"order priced"')
    assert event.timestamp_ms == 1792569600000


def test_subscription_without_log_events(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-no-log-events.json")).records[0]

    assert _error(record) == (
        "subscription event awslogs: decoded JSON has no logEvents; "
        "expected a CloudWatch Logs subscription payload"
    )
    assert record.batches == []
    assert record.payload[:2] == b"\x1f\x8b"


def test_subscription_error_is_decode_error(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-no-log-events.json")).records[0]

    assert isinstance(record.error, DecodeError)
    assert record.error.source == "subscription event awslogs"
    assert record.error.reason.startswith("decoded JSON has no logEvents")


def test_subscription_invalid_utf8(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-invalid-utf8.json")).records[0]

    assert record.invalid_utf8
    assert record.error is None
    assert record.batches[0].events[0].message == "caf\ufffd au lait\n"


def test_subscription_truncated_gzip(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("subscription-truncated-gzip.json")).records[0]

    assert _error(record).startswith(
        "subscription event awslogs: gzip stream truncated after 228 bytes: "
        "the gzip member that starts at byte 0 has no end"
    )
    assert record.batches == []
    assert len(record.payload) == 228


def test_subscription_gzip_bomb_rejected() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = compressor.compress(bytes(MAX_RECORD_DECOMPRESSED_BYTES + 1)) + compressor.flush()

    record = decode_lambda_event(_awslogs(bomb)).records[0]

    assert f"inflates to more than {MAX_RECORD_DECOMPRESSED_BYTES} bytes" in _error(record)
    assert record.batches == []


def test_subscription_missing_data() -> None:
    record = decode_lambda_event({"awslogs": {}}).records[0]

    assert _error(record) == (
        "subscription event awslogs: data is missing; "
        "expected the base64 of a gzip'd CloudWatch Logs subscription payload"
    )
    assert record.payload == b"{}"


def test_subscription_awslogs_not_object() -> None:
    record = decode_lambda_event({"awslogs": "H4sI"}).records[0]

    assert _error(record) == (
        "subscription event awslogs: awslogs is a string; expected an object with data"
    )
    assert record.payload == b"H4sI"


def test_subscription_empty_data() -> None:
    record = decode_lambda_event({"awslogs": {"data": ""}}).records[0]

    assert "data is empty" in _error(record)


def test_subscription_plain_json_data() -> None:
    record = decode_lambda_event(_awslogs(orjson.dumps(_payload()))).records[0]

    assert record.error is None
    assert record.batches[0].events[0].message == "hello\n"


def test_subscription_concatenated_payloads() -> None:
    first = gzip.compress(orjson.dumps(_payload(logGroup="/aws/lambda/a")), mtime=0)
    second = gzip.compress(orjson.dumps(_payload(logGroup="/aws/lambda/b")), mtime=0)

    record = decode_lambda_event(_awslogs(first + second)).records[0]

    assert [batch.log_group for batch in record.batches] == ["/aws/lambda/a", "/aws/lambda/b"]


# Payload fields


def test_payload_timestamp_digits_accepted() -> None:
    events = [{"id": "7", "timestamp": "1552484937418", "message": "m"}]

    record = _decode_payload(_payload(logEvents=events))

    assert record.batches[0].events[0].timestamp_ms == 1552484937418


def test_payload_timestamp_text_rejected() -> None:
    events = [{"id": "7", "timestamp": "soon", "message": "m"}]

    record = _decode_payload(_payload(logEvents=events))

    assert _error(record) == (
        "subscription event awslogs: logEvents[0].timestamp is 'soon'; "
        "expected epoch milliseconds as an integer"
    )


def test_payload_message_object_rejected() -> None:
    events = [{"id": "7", "timestamp": 1, "message": {"text": "m"}}]

    record = _decode_payload(_payload(logEvents=events))

    assert "logEvents[0].message is an object; expected the message as a string" in _error(record)


def test_payload_empty_id_is_none() -> None:
    events = [{"id": "", "timestamp": 1, "message": "m"}]

    record = _decode_payload(_payload(logEvents=events))

    assert record.batches[0].events[0].event_id is None


def test_payload_unknown_message_type() -> None:
    record = _decode_payload(_payload(messageType="DATA"))

    assert "messageType is 'DATA'; expected DATA_MESSAGE or CONTROL_MESSAGE" in _error(record)


def test_payload_missing_message_type_is_data() -> None:
    document = _payload()
    del document["messageType"]

    record = _decode_payload(document)

    assert record.batches[0].log_group == "/aws/lambda/orders-api"


def test_payload_missing_log_group() -> None:
    document = _payload()
    del document["logGroup"]

    record = _decode_payload(document)

    assert "decoded JSON has no logGroup" in _error(record)


def test_payload_log_events_not_array() -> None:
    record = _decode_payload(_payload(logEvents={"id": "1"}))

    assert "logEvents is an object; expected an array of log events" in _error(record)


def test_payload_not_object() -> None:
    record = _decode_payload([_payload()])

    assert "decoded JSON is an array" in _error(record)


def test_payload_owner_number_padded() -> None:
    record = _decode_payload(_payload(owner=12345678901))

    assert record.batches[0].owner == "012345678901"


def test_payload_invalid_json() -> None:
    event = _awslogs(gzip.compress(b'{"logEvents": [', mtime=0))

    record = decode_lambda_event(event).records[0]

    assert "decoded data is not valid JSON" in _error(record)


# Kinesis


def test_kinesis_record_ids(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("kinesis.json"))

    assert decoding.shape == "kinesis"
    assert [record.record_id for record in decoding.records] == [KINESIS_ID, KINESIS_CONTROL_ID]


def test_kinesis_sequence_numbers(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("kinesis.json"))

    assert [record.sequence_number for record in decoding.records] == [
        "49597229710282251239370450528559665425987471742924741166",
        "49597229710282251239370450528559665425987471742924741167",
    ]


def test_kinesis_batch(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("kinesis.json"), region="us-east-1").records[0]
    [batch] = record.batches

    assert batch.source == "kinesis"
    assert batch.region == "eu-central-1"
    assert batch.owner == "123456789012"
    assert batch.log_group == "/aws/lambda/orders-api"
    assert batch.log_stream == ORDERS_STREAM
    assert batch.subscription_filters == ["LambdaStream_orders-api"]
    assert batch.events[0].message == ORDERS_REPORT
    assert batch.events[0].timestamp_ms == 1552484937418


def test_kinesis_control_message(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("kinesis.json"))
    record = decoding.records[1]

    assert record.control_message
    assert record.batches == []
    assert decoding.control_message_count == 1


def test_kinesis_invalid_base64(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("kinesis-bad-records.json")).records[1]

    record_id = "shardId-000000000000:49597229710282251239370450528559665425987471742924741169"
    assert _error(record).startswith(f"kinesis record {record_id}: data is not valid base64 (")
    assert record.payload == b"H4sI!!not base64!!"
    assert record.sequence_number == "49597229710282251239370450528559665425987471742924741169"


def test_kinesis_data_not_gzip(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("kinesis-bad-records.json")).records[2]

    assert "data is neither gzip nor JSON (it starts with b'sampledata')" in _error(record)
    assert record.payload == b"sampledata"


def test_kinesis_bad_record_isolated(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("kinesis-bad-records.json"))

    assert decoding.records[0].error is None
    assert decoding.records[0].batches[0].events[0].message == ORDERS_REPORT
    assert len(decoding.failed_records) == 2


def test_kinesis_record_without_kinesis() -> None:
    event = {"Records": [{"kinesis": {"data": ""}}, {"eventID": "shardId-1:5"}]}

    record = decode_lambda_event(event).records[1]

    assert _error(record) == (
        "kinesis record shardId-1:5: kinesis is null; expected the object that contains data"
    )


def test_kinesis_record_id_from_index() -> None:
    event = {"Records": [{"kinesis": {"data": "!"}}]}

    record = decode_lambda_event(event).records[0]

    assert record.record_id == "Records[0]"
    assert _error(record).startswith("kinesis record Records[0]: data is not valid base64")


def test_kinesis_region_from_caller() -> None:
    data = base64.b64encode(gzip.compress(orjson.dumps(_payload()), mtime=0)).decode()
    event = {"Records": [{"kinesis": {"data": data}, "eventID": "shardId-1:5"}]}

    record = decode_lambda_event(event, region="ap-south-1").records[0]

    assert record.batches[0].region == "ap-south-1"


# Firehose


def test_firehose_record_ids(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("firehose.json"))

    assert decoding.shape == "firehose"
    assert [record.record_id for record in decoding.records] == [FIREHOSE_ID, FIREHOSE_CONTROL_ID]


def test_firehose_batch(lambda_event: LoadEvent) -> None:
    record = decode_lambda_event(lambda_event("firehose.json"), region="eu-west-1").records[0]
    [batch] = record.batches

    assert batch.source == "firehose"
    assert batch.region == "us-west-2"
    assert batch.log_group == "/aws/lambda/image-resizer"
    assert batch.log_stream == "2019/09/23/[$LATEST]e8782681b668aa7491eecdc21d42504f"
    assert [event.message for event in batch.events][1] == RESIZER_REPORT


def test_firehose_control_message(lambda_event: LoadEvent) -> None:
    decoding = decode_lambda_event(lambda_event("firehose.json"))

    assert decoding.records[1].control_message
    assert decoding.records[1].batches == []
    assert decoding.control_message_count == 1


def test_firehose_record_not_object() -> None:
    record = decode_lambda_event({"records": ["abc"]}).records[0]

    assert _error(record) == (
        "firehose record records[0]: record is a string; expected a Firehose record object"
    )


def test_firehose_data_not_string() -> None:
    event = {"records": [{"recordId": "r1", "data": 42}]}

    record = decode_lambda_event(event).records[0]

    assert _error(record).startswith("firehose record r1: data is a number;")
    assert record.payload == b'{"recordId":"r1","data":42}'


# Shapes


def test_unknown_event_raises() -> None:
    with pytest.raises(DecodeError) as caught:
        decode_lambda_event({"detail-type": "Scheduled Event", "source": "aws.events"})

    assert str(caught.value) == (
        "Lambda event: event has the top-level keys ['detail-type', 'source']; expected awslogs "
        "(a CloudWatch Logs subscription), Records of Kinesis records (a Kinesis Data Streams "
        "event) or records (a Firehose transformation request)"
    )


def test_sqs_event_raises() -> None:
    event = {"Records": [{"eventSource": "aws:sqs", "body": "{}"}]}

    with pytest.raises(DecodeError, match=r"Records from the event sources \['aws:sqs'\]"):
        decode_lambda_event(event)


def test_event_shape_of_non_object() -> None:
    assert lambda_event_shape(["awslogs"]) is None


def test_empty_kinesis_event() -> None:
    decoding = decode_lambda_event({"Records": []})

    assert decoding.shape == "kinesis"
    assert decoding.records == []
