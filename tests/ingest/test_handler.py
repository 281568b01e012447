"""The Lambda handler on a local lake: every envelope, retries, quarantine, partial failures."""

from __future__ import annotations

import base64
import gzip
import importlib
import json
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import duckdb
import orjson
import pytest

from loglake.ingest.errors import LakeWriteError
from tests.helpers import awslogs_event, lambda_context, subscription_payload

MESSAGES = [
    "START RequestId: 3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19 Version: $LATEST\n",
    "[INFO]\t2026-11-02T08:14:09.551Z\t3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19\tloaded order 42\n",
    "END RequestId: 3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19\n",
    "REPORT RequestId: 3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19\tDuration: 412.07 ms\t"
    "Billed Duration: 1038 ms\tMemory Size: 512 MB\tMax Memory Used: 97 MB\t\n",
]


def count_rows(lake: Path) -> int:
    files = list(lake.glob("logs/*/*/*.parquet"))
    if not files:
        return 0
    paths = [str(path) for path in files]
    return int(duckdb.sql(f"SELECT count(*) FROM read_parquet({paths})").fetchone()[0])  # type: ignore[index]


def kinesis_event(payloads: list[bytes]) -> dict[str, object]:
    return {
        "Records": [
            {
                "kinesis": {
                    "data": base64.b64encode(payload).decode(),
                    "sequenceNumber": f"4959{index:052d}",
                    "partitionKey": "p",
                    "approximateArrivalTimestamp": 1_793_607_251.2,
                },
                "eventSource": "aws:kinesis",
                "eventID": f"shardId-000000000000:4959{index:052d}",
                "awsRegion": "eu-central-1",
            }
            for index, payload in enumerate(payloads)
        ]
    }


def firehose_event(payloads: list[bytes]) -> dict[str, object]:
    return {
        "invocationId": "invocation-1",
        "deliveryStreamArn": "arn:aws:firehose:us-east-1:123456789012:deliverystream/logs",
        "region": "us-east-1",
        "records": [
            {
                "recordId": f"record-{index}",
                "approximateArrivalTimestamp": 1_793_607_251_200,
                "data": base64.b64encode(payload).decode(),
            }
            for index, payload in enumerate(payloads)
        ],
    }


def gzipped(payload: dict[str, object]) -> bytes:
    return gzip.compress(orjson.dumps(payload))


CONTROL = {
    "messageType": "CONTROL_MESSAGE",
    "owner": "CloudwatchLogs",
    "logGroup": "",
    "logStream": "",
    "subscriptionFilters": [],
    "logEvents": [{"id": "", "timestamp": 1683112047261, "message": "CWL CONTROL MESSAGE"}],
}

Loader = Callable[[str], ModuleType]


def test_subscription_event_lands(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    assert handler.handler(awslogs_event(subscription_payload(MESSAGES)), lambda_context()) is None
    assert count_rows(tmp_path) == len(MESSAGES)


def test_redelivery_keeps_row_count(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    event = awslogs_event(subscription_payload(MESSAGES))
    handler.handler(event, lambda_context())
    handler.handler(event, lambda_context())
    assert count_rows(tmp_path) == len(MESSAGES)


def test_invocation_writes_one_json_log_line(
    tmp_path: Path, load_handler: Loader, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = load_handler(str(tmp_path))
    handler.handler(awslogs_event(subscription_payload(MESSAGES)), lambda_context("req-1"))
    (line,) = capsys.readouterr().out.splitlines()
    logged = json.loads(line)
    assert logged["event"] == "ingest"
    assert logged["aws_request_id"] == "req-1"
    assert logged["events_in"] == len(MESSAGES)
    assert logged["rows_out"] == len(MESSAGES)
    assert logged["log_groups"] == ["/aws/lambda/orders-api"]
    assert logged["objects_written"] == 1
    assert logged["cold_start"] is True


def test_undecodable_event_is_quarantined(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    assert handler.handler({"awslogs": {"data": "not base64!"}}, lambda_context()) is None
    (stored,) = tmp_path.glob("quarantine/date=*/*.json.gz")
    document = json.loads(gzip.decompress(stored.read_bytes()))
    assert "base64" in document["reason"]
    assert document["source"] == "subscription"
    assert count_rows(tmp_path) == 0


def test_control_message_writes_nothing(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    handler.handler(awslogs_event(CONTROL), lambda_context())
    assert not list(tmp_path.rglob("*.parquet"))
    assert not list(tmp_path.rglob("*.json.gz"))


def test_kinesis_records_land(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    payloads = [
        gzipped(subscription_payload(MESSAGES[:2], first_id=1)),
        gzipped(CONTROL),
        gzipped(subscription_payload(MESSAGES[2:], first_id=10)),
    ]
    response = handler.handler(kinesis_event(payloads), lambda_context())
    assert response == {"batchItemFailures": []}
    assert count_rows(tmp_path) == len(MESSAGES)


def test_kinesis_region_recorded(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    handler.handler(kinesis_event([gzipped(subscription_payload(MESSAGES))]), lambda_context())
    (path,) = tmp_path.glob("logs/*/*/*.parquet")
    regions = duckdb.sql(f"SELECT DISTINCT region FROM '{path}'").fetchall()
    assert regions == [("eu-central-1",)]


def test_kinesis_write_failure_reports_rest(
    tmp_path: Path, load_handler: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = load_handler(str(tmp_path))
    calls = []

    def failing_put(key: str, body: bytes) -> None:
        calls.append(key)
        if len(calls) == 2:
            raise LakeWriteError("PutObject failed: SlowDown")

    monkeypatch.setattr(handler._ingestor.store, "put", failing_put)
    payloads = [gzipped(subscription_payload([m], first_id=i)) for i, m in enumerate(MESSAGES)]
    response = handler.handler(kinesis_event(payloads), lambda_context())
    failed = [item["itemIdentifier"] for item in response["batchItemFailures"]]
    assert failed == [f"4959{index:052d}" for index in (1, 2, 3)]


def test_subscription_write_failure_raises(
    tmp_path: Path,
    load_handler: Loader,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    handler = load_handler(str(tmp_path))

    def failing_put(key: str, body: bytes) -> None:
        raise LakeWriteError("PutObject failed: SlowDown")

    monkeypatch.setattr(handler._ingestor.store, "put", failing_put)
    with pytest.raises(LakeWriteError):
        handler.handler(awslogs_event(subscription_payload(MESSAGES)), lambda_context())
    logged = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert logged["event"] == "ingest.write_failed"
    assert "SlowDown" in logged["error"]


def test_firehose_answers_every_record(tmp_path: Path, load_handler: Loader) -> None:
    handler = load_handler(str(tmp_path))
    payloads = [gzipped(subscription_payload(MESSAGES)), gzipped(CONTROL), b"\x1f\x8b broken"]
    response = handler.handler(firehose_event(payloads), lambda_context())
    results = {item["recordId"]: item for item in response["records"]}
    assert [results[f"record-{index}"]["result"] for index in range(3)] == [
        "Ok",
        "Dropped",
        "ProcessingFailed",
    ]
    lines = base64.b64decode(results["record-0"]["data"]).decode().splitlines()
    assert [json.loads(line)["type"] for line in lines] == ["START", "APP", "END", "REPORT"]
    assert count_rows(tmp_path) == len(MESSAGES)
    assert len(list(tmp_path.glob("quarantine/*/*.json.gz"))) == 1


def test_unknown_event_shape_quarantined(
    tmp_path: Path, load_handler: Loader, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = load_handler(str(tmp_path))
    assert handler.handler({"detail-type": "Scheduled Event"}, lambda_context()) is None
    logged = json.loads(capsys.readouterr().out.splitlines()[0])
    assert logged["event"] == "ingest.unrecognised_event"
    assert logged["level"] == "error"
    assert logged["quarantined"].startswith("quarantine/date=")
    assert len(list(tmp_path.glob("quarantine/*/*.json.gz"))) == 1


def test_lambda_without_lake_setting_fails_at_init(
    tmp_path: Path, load_handler: Loader, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler = load_handler(str(tmp_path))
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "loglake-ingest")
    monkeypatch.delenv("LOGLAKE_LAKE")
    with pytest.raises(RuntimeError, match="LOGLAKE_LAKE is not set"):
        importlib.reload(handler)


@pytest.mark.parametrize("event", [{"foo": 2**70}, {"\ud800": 1}])
def test_unknown_event_with_odd_json_quarantined(
    tmp_path: Path, load_handler: Loader, event: dict[str, object]
) -> None:
    handler = load_handler(str(tmp_path))
    assert handler.handler(event, lambda_context()) is None
    assert len(list(tmp_path.glob("quarantine/*/*.json.gz"))) == 1


OWN_LOG_GROUP = "/aws/lambda/loglake-ingest"


def test_own_log_group_dropped_and_counted(
    tmp_path: Path,
    load_handler: Loader,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_GROUP_NAME", OWN_LOG_GROUP)
    handler = load_handler(str(tmp_path))
    own = awslogs_event(subscription_payload(MESSAGES, log_group=OWN_LOG_GROUP))

    assert handler.handler(own, lambda_context()) is None

    logged = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert logged["own_log_group_events_dropped"] == len(MESSAGES)
    assert logged["events_in"] == 0
    assert count_rows(tmp_path) == 0
    assert not list(tmp_path.rglob("*.json.gz"))


def test_own_log_group_dropped_among_kinesis_records(
    tmp_path: Path,
    load_handler: Loader,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AWS_LAMBDA_LOG_GROUP_NAME", OWN_LOG_GROUP)
    handler = load_handler(str(tmp_path))
    payloads = [
        gzipped(subscription_payload(MESSAGES[:3], log_group=OWN_LOG_GROUP, first_id=1)),
        gzipped(subscription_payload(MESSAGES, first_id=10)),
    ]

    response = handler.handler(kinesis_event(payloads), lambda_context())

    assert response == {"batchItemFailures": []}
    logged = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert logged["own_log_group_events_dropped"] == 3
    assert logged["log_groups"] == ["/aws/lambda/orders-api"]
    assert count_rows(tmp_path) == len(MESSAGES)


def test_log_group_named_like_function_kept_outside_lambda(
    tmp_path: Path,
    load_handler: Loader,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("AWS_LAMBDA_LOG_GROUP_NAME", raising=False)
    handler = load_handler(str(tmp_path))
    event = awslogs_event(subscription_payload(MESSAGES, log_group=OWN_LOG_GROUP))

    handler.handler(event, lambda_context())

    logged = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert logged["own_log_group_events_dropped"] == 0
    assert count_rows(tmp_path) == len(MESSAGES)
