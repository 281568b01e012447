"""Write the recorded deliveries under ``tests/events/deliveries/``.

Run it from anywhere: ``python tests/events/make_deliveries.py``. The payloads copy the
constructed examples of the Lambda log format notes (invented IDs and names, real shapes:
TABs, ``\\r``, trailing ``\\n``). gzip uses mtime 0, so the output depends only on this
script and the zlib version. The tests load the written files by name.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DELIVERIES = Path(__file__).resolve().parent / "deliveries"

# The AWS documentation's classic test event, byte for byte (207 gzip bytes, mtime 0).
AWS_DOC_EVENT_DATA = (
    "H4sIAAAAAAAAAHWPXQuCMBRA/4rcZx/cMivfhKYERaC9hYTlJQa6yTaLEP9768OIPvZ4zt3ZXQc1al0ccXNpEEKYR5"
    "tot2JZFiUMXJBngcpiSrzZdBKM/RElFlfymCjZNtboom4qXA7g7jKjsKjf5ZO4oNu9PijeGC5FzCuDSkO4fQ4+AOT3"
    "CDuhMDfZAS9frUV5e99wu7WxAELi+4R6o4B69rjDb+z8lqXpOs2dmCttnMdtZ9C9+1Gl/6vkVzXDgxTlVzbvr4pRvQ"
    "5RAQAA"
)

ORDERS_API_REPORT: dict[str, Any] = {
    "messageType": "DATA_MESSAGE",
    "owner": "123456789012",
    "logGroup": "/aws/lambda/orders-api",
    "logStream": "2019/03/13/[$LATEST]59603c968d2b0c1b6d2bf2490b1e82c4",
    "subscriptionFilters": ["LambdaStream_orders-api"],
    "logEvents": [
        {
            "id": "34621571013915578455320461264379043918818330815091900416",
            "timestamp": 1552484937418,
            "message": "REPORT RequestId: 3f81c0de-27b4-c913-90ad-5e1f7a2c64b0\tDuration: 38.21 ms"
            "\tBilled Duration: 39 ms \tMemory Size: 192 MB\tMax Memory Used: 68 MB\t\n",
        }
    ],
}

IMAGE_RESIZER_END_REPORT: dict[str, Any] = {
    "messageType": "DATA_MESSAGE",
    "owner": "123456789012",
    "logGroup": "/aws/lambda/image-resizer",
    "logStream": "2019/09/23/[$LATEST]e8782681b668aa7491eecdc21d42504f",
    "subscriptionFilters": ["LambdaStream_image-resizer"],
    "logEvents": [
        {
            "id": "34995263194743957926394092898794541076935926438371917824",
            "timestamp": 1569241874350,
            "message": "END RequestId: 62f746b4-84e6-4ceb-a5bd-447e7184d454\n",
        },
        {
            "id": "34995263194743957926394092898794541076935926438371917825",
            "timestamp": 1569241874350,
            "message": "REPORT RequestId: 62f746b4-84e6-4ceb-a5bd-447e7184d454\tDuration: 142.37 ms"
            "\tBilled Duration: 200 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB"
            "\tInit Duration: 163.54 ms\t\nXRAY TraceId: 1-5d88bb12-93548b905e5c7474fdec65fe"
            "\tSegmentId: c8350ef15619f21b\tSampled: false\t\n",
        },
    ],
}

# A non-ASCII custom log group name, which a log shipper's fixture tests.
NON_ASCII_GROUP: dict[str, Any] = {
    "messageType": "DATA_MESSAGE",
    "owner": "210987654321",
    "logGroup": "/aws/lambda/≈",
    "logStream": "2024/07/02/[$LATEST]23461c9ba93db3eb4ae79162ece135bc",
    "subscriptionFilters": ["sampleFilter"],
    "logEvents": [
        {
            "id": "38247409634293360957451418547122766982253337733220794368",
            "timestamp": 1715073164318,
            "message": "2024-05-07T09:12:44.318Z\t2399d29d-b61e-4ba5-b682-4dd6b80469b8\tERROR"
            '\tInvoke Error \t{"errorType":"Error","errorMessage":"Simulated failure","stack":'
            '["Error: Simulated failure","    at Runtime.handler (/var/task/index.js:31:9)"]}\n',
        }
    ],
}


def control_message(event_id: str, timestamp: int, destination: str) -> dict[str, Any]:
    """Return a CONTROL_MESSAGE payload as CloudWatch Logs sends it."""
    return {
        "messageType": "CONTROL_MESSAGE",
        "owner": "CloudwatchLogs",
        "logGroup": "",
        "logStream": "",
        "subscriptionFilters": [],
        "logEvents": [
            {
                "id": event_id,
                "timestamp": timestamp,
                "message": f"CWL CONTROL MESSAGE: Checking health of destination {destination}.",
            }
        ],
    }


FIREHOSE_CONTROL = control_message("", 1683112047261, "Firehose")
FIREHOSE_CONTROL_ID_1 = control_message("1", 1512376419733, "Firehose")
KINESIS_CONTROL = control_message("", 1683112047261, "Kinesis stream")


def compact_json(document: Any) -> bytes:
    """Serialise as CloudWatch Logs does: compact, with non-ASCII characters as UTF-8."""
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def gzip_bytes(data: bytes) -> bytes:
    """Compress at level 6, the level CloudWatch Logs uses, with mtime 0."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def base64_gzip(document: Any) -> str:
    """Return the base64 of the gzip of a payload, as Lambda events carry it."""
    return base64.b64encode(gzip_bytes(compact_json(document))).decode("ascii")


def awslogs_event(data: str) -> dict[str, Any]:
    """Return a direct subscription event."""
    return {"awslogs": {"data": data}}


def kinesis_record(sequence_number: str, data: str) -> dict[str, Any]:
    """Return one record of a Lambda Kinesis event, shaped like the captured example."""
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": "417",
            "sequenceNumber": sequence_number,
            "data": data,
            "approximateArrivalTimestamp": 1486209381.742,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"shardId-000000000000:{sequence_number}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": (
            "arn:aws:iam::123456789012:role/orders-stream-dev-LambdaExecutionRole-1A2B3C4D5E6F"
        ),
        "awsRegion": "eu-central-1",
        "eventSourceARN": (
            "arn:aws:kinesis:eu-central-1:123456789012:stream/orders-stream-dev-EventsStream-7G8H9J0K1L2M"
        ),
    }


def firehose_request(records: list[tuple[str, str]]) -> dict[str, Any]:
    """Return a Firehose transformation request with (recordId, data) records."""
    return {
        "invocationId": "invocation-0042",
        "deliveryStreamArn": "arn:aws:firehose:us-west-2:123456789012:deliverystream/orders-logs",
        "region": "us-west-2",
        "records": [
            {"recordId": record_id, "approximateArrivalTimestamp": 1511300580000, "data": data}
            for record_id, data in records
        ],
    }


def epoch_ms(iso: str) -> int:
    """Convert ``YYYY-MM-DDTHH:MM:SS.mmm`` (UTC) to epoch milliseconds."""
    moment = datetime.fromisoformat(iso).replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def event_id(timestamp: int, index: int) -> str:
    """Return a 56-digit CloudWatch-style event ID whose top bits are the timestamp."""
    return str((timestamp << 144) + index)


def filter_log_events_output() -> dict[str, Any]:
    """Two environments that started at once, interleaved by filter-log-events."""
    streams = (
        "2026/05/06/[$LATEST]3be0f1c2a9d84e7f8c1b2a3d4e5f6a7b",
        "2026/05/06/[$LATEST]9d8c7b6a5f4e4d3c8b2a1f0e9d8c7b6a",
    )
    init_start = (
        "INIT_START Runtime Version: python:3.12.mainlinev2.v7\tRuntime Version ARN: "
        "arn:aws:lambda:us-east-1::runtime:"
        "2bc45c5b06a87e4e3c1ac73c7725a76862229e158fe59b175f67a20d3ac1dd50\n"
    )
    credentials = "\t\tFound credentials in environment variables.\n"
    rows = [
        (streams[0], "2026-05-06T07:39:51.874", init_start),
        (streams[1], "2026-05-06T07:39:51.902", init_start),
        (streams[0], "2026-05-06T07:39:52.208", f"[INFO]\t2026-05-06T07:39:52.208Z{credentials}"),
        (streams[1], "2026-05-06T07:39:52.263", f"[INFO]\t2026-05-06T07:39:52.263Z{credentials}"),
    ]
    events = []
    for index, (stream, iso, message) in enumerate(rows):
        timestamp = epoch_ms(iso)
        events.append(
            {
                "logStreamName": stream,
                "timestamp": timestamp,
                "message": message,
                "ingestionTime": timestamp + 311,
                "eventId": event_id(timestamp, index),
            }
        )

    return {"events": events, "searchedLogStreams": []}


def get_log_events_output() -> dict[str, Any]:
    """The AWS documentation's get-log-events sample, with its exact message bytes."""
    request_id = "0b4702d2-5e05-4990-abe9-94f2baa2919c"
    rows = [
        (1560242537507, 1560242537641, f"START RequestId: {request_id} Version: $LATEST\n"),
        (
            1560242537509,
            1560242552688,
            f'2019-06-11T08:42:17.509Z\t{request_id}\tINFO\tEVENT\r{{\r  "source": "test"\r}}\n',
        ),
        (1560242537554, 1560242552688, f"END RequestId: {request_id}\n"),
        (
            1560242537554,
            1560242552688,
            f"REPORT RequestId: {request_id}\tDuration: 31.08 ms\tBilled Duration: 32 ms "
            "\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t\n",
        ),
    ]
    events = [
        {"timestamp": timestamp, "message": message, "ingestionTime": ingestion_time}
        for timestamp, ingestion_time, message in rows
    ]
    return {
        "events": events,
        "nextForwardToken": "f/34795565744209839620208925125591012440658566405015339011",
        "nextBackwardToken": "b/34795565744209839620208925125591012440658566405015339008",
    }


def export_text() -> bytes:
    """A Python import failure as an export object lists it: one line per event, and the
    traceback's second line continues without a timestamp."""
    request_id = "1aafd366-0999-4495-8688-67269581a675"
    lines = [
        "2026-04-11T05:00:03.104Z [ERROR] Runtime.ImportModuleError: Unable to import module "
        "'report_builder': No module named 'report_builder'\nTraceback (most recent call last):",
        "2026-04-11T05:00:03.217Z [WARNING]\t2026-04-11T05:00:03.217Z\t\tLAMBDA_WARNING: "
        "Unhandled exception. The most likely cause is an issue in the function code. However, "
        "in rare cases, a Lambda runtime update can cause unexpected fu",
        f"2026-04-11T05:00:03.219Z START RequestId: {request_id} Version: $LATEST",
        "2026-04-11T05:00:03.296Z INIT_REPORT Init Duration: 76.13 ms\tPhase: invoke"
        "\tStatus: error\tError Type: Runtime.ImportModuleError",
        f"2026-04-11T05:00:03.307Z END RequestId: {request_id}",
        f"2026-04-11T05:00:03.307Z REPORT RequestId: {request_id}\tDuration: 88.42 ms"
        "\tBilled Duration: 89 ms\tMemory Size: 512 MB\tMax Memory Used: 41 MB\tStatus: error"
        "\tError Type: Runtime.ImportModuleError",
    ]
    return "".join(f"{line}\n" for line in lines).encode("utf-8")


def partial_events_payload() -> dict[str, Any]:
    """Events with a field left out: no timestamp, no id, no message."""
    return {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/orders-api",
        "logStream": "2019/03/13/[$LATEST]59603c968d2b0c1b6d2bf2490b1e82c4",
        "subscriptionFilters": ["LambdaStream_orders-api"],
        "logEvents": [
            {
                "id": "34621571013915578455320461264379043918818330815091900417",
                "message": (
                    "START RequestId: 3f81c0de-27b4-c913-90ad-5e1f7a2c64b0 Version: $LATEST\n"
                ),
            },
            {
                "timestamp": 1552484937419,
                "message": "END RequestId: 3f81c0de-27b4-c913-90ad-5e1f7a2c64b0\n",
            },
            {
                "id": "34621571013915578455320461264379043918818330815091900418",
                "timestamp": 1552484937420,
            },
        ],
    }


def moto_payload() -> dict[str, Any]:
    """A payload as moto's put_log_events delivers it: integer IDs."""
    return {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/orders-api",
        "logStream": "2026/10/21/[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
        "subscriptionFilters": ["loglake-ingest"],
        "logEvents": [
            {"id": 1, "timestamp": 1792569600000, "message": "START RequestId: 1 Version: $LATEST"},
            {"id": 2, "timestamp": 1792569600001, "message": "END RequestId: 1"},
        ],
    }


def large_message_payload() -> dict[str, Any]:
    """One event whose message is 256 KiB, the event size limit before 2025."""
    line = '{"level":"INFO","message":"order priced","order_id":"o-0000001"}'
    message = (line * (256 * 1024 // len(line) + 1))[: 256 * 1024]
    return {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": "/aws/lambda/orders-api",
        "logStream": "2026/10/21/[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
        "subscriptionFilters": ["loglake-ingest"],
        "logEvents": [
            {
                "id": event_id(1792569600000, 0),
                "timestamp": 1792569600000,
                "message": message,
            }
        ],
    }


def invalid_utf8_payload() -> bytes:
    """A payload whose message contains a Latin-1 byte, which is not valid UTF-8."""
    document = compact_json(
        {
            "messageType": "DATA_MESSAGE",
            "owner": "123456789012",
            "logGroup": "/aws/lambda/orders-api",
            "logStream": "2026/10/21/[$LATEST]bad06c278ced402f3bfa5ca25f4bce51",
            "subscriptionFilters": ["loglake-ingest"],
            "logEvents": [
                {"id": event_id(1792569600000, 0), "timestamp": 1792569600000, "message": "MARK"}
            ],
        }
    )
    return document.replace(b'"MARK"', b'"caf\xe9 au lait\\n"')


def json_file(document: Any) -> bytes:
    """Serialise a Lambda event or API output the way the AWS CLI prints it."""
    return json.dumps(document, indent=4, ensure_ascii=False).encode("utf-8") + b"\n"


def deliveries() -> dict[str, bytes]:
    """Return every recorded delivery by file name."""
    s3_documents = [ORDERS_API_REPORT, FIREHOSE_CONTROL, IMAGE_RESIZER_END_REPORT, NON_ASCII_GROUP]
    s3_members = [gzip_bytes(compact_json(document)) for document in s3_documents]
    truncated_gzip = gzip_bytes(compact_json(IMAGE_RESIZER_END_REPORT))
    no_log_events = {key: value for key, value in ORDERS_API_REPORT.items() if key != "logEvents"}
    export = export_text()
    return {
        "subscription-aws-doc.json": json_file(awslogs_event(AWS_DOC_EVENT_DATA)),
        "subscription-report.json": json_file(awslogs_event(base64_gzip(IMAGE_RESIZER_END_REPORT))),
        "subscription-control.json": json_file(awslogs_event(base64_gzip(FIREHOSE_CONTROL_ID_1))),
        "subscription-moto.json": json_file(awslogs_event(base64_gzip(moto_payload()))),
        "subscription-partial-events.json": json_file(
            awslogs_event(base64_gzip(partial_events_payload()))
        ),
        "subscription-256kb-message.json": json_file(
            awslogs_event(base64_gzip(large_message_payload()))
        ),
        "subscription-no-log-events.json": json_file(awslogs_event(base64_gzip(no_log_events))),
        "subscription-invalid-utf8.json": json_file(
            awslogs_event(base64.b64encode(gzip_bytes(invalid_utf8_payload())).decode("ascii"))
        ),
        "subscription-truncated-gzip.json": json_file(
            awslogs_event(base64.b64encode(truncated_gzip[: len(truncated_gzip) // 2]).decode())
        ),
        "kinesis.json": json_file(
            {
                "Records": [
                    kinesis_record(
                        "49597229710282251239370450528559665425987471742924741166",
                        base64_gzip(ORDERS_API_REPORT),
                    ),
                    kinesis_record(
                        "49597229710282251239370450528559665425987471742924741167",
                        base64_gzip(KINESIS_CONTROL),
                    ),
                ]
            }
        ),
        "kinesis-bad-records.json": json_file(
            {
                "Records": [
                    kinesis_record(
                        "49597229710282251239370450528559665425987471742924741168",
                        base64_gzip(ORDERS_API_REPORT),
                    ),
                    kinesis_record(
                        "49597229710282251239370450528559665425987471742924741169",
                        "H4sI!!not base64!!",
                    ),
                    # The captured Kinesis example's data: plain text, not a CloudWatch payload.
                    kinesis_record(
                        "49597229710282251239370450528559665425987471742924741170",
                        "c2FtcGxlZGF0YQ==",
                    ),
                ]
            }
        ),
        "firehose.json": json_file(
            firehose_request(
                [
                    (
                        "49546986683135544286507457936321625675700192471156785154000000",
                        base64_gzip(IMAGE_RESIZER_END_REPORT),
                    ),
                    (
                        "49546986683135544286507457936321625675700192471156785154000001",
                        base64_gzip(FIREHOSE_CONTROL),
                    ),
                ]
            )
        ),
        "firehose-s3-object.gz": b"".join(s3_members),
        "firehose-s3-object-decompressed.json": b"".join(
            compact_json(document) for document in s3_documents
        ),
        "firehose-s3-object-truncated.gz": b"".join(s3_members[:2])
        + s3_members[2][: len(s3_members[2]) - 20],
        "filter-log-events.json": json_file(filter_log_events_output()),
        "get-log-events.json": json_file(get_log_events_output()),
        "export-000000.gz": gzip_bytes(export),
        "aws-logs-write-test": b"Permission Check Successful",
        # A CSV export (header timestamp,message): a real file shape, but no delivery loglake reads.
        "not-a-delivery.csv": (
            b"timestamp,message\n"
            b'1682411705301,"START RequestId: 9be881ed-3860-5b8b-b4e9-3ff8ba82e7ea '
            b'Version: $LATEST\n"\n'
        ),
    }


def main() -> None:
    """Write every delivery, replacing the files that exist."""
    DELIVERIES.mkdir(exist_ok=True)
    for name, data in deliveries().items():
        (DELIVERIES / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
