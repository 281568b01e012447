"""Trace summaries in every shape they arrive in: boto3, the API's JSON, both AWS CLIs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import orjson
import pytest

from loglake.ingest.decode.records import InvalidPayload
from loglake.ingest.xray.summaries import enters_lambda, trace_row
from loglake.ingest.xray.values import epoch_us
from tests.xray.stubs import as_boto3, load_event

NOW_US = 1_793_700_000_000_000


def rows_of(page: dict[str, Any]) -> dict[str, Any]:
    return {
        row.trace_id: row
        for row in (trace_row(s, ingestion_time_us=NOW_US) for s in page["TraceSummaries"])
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1793607249.101, 1_793_607_249_101_000),
        (1.793607262118e9, 1_793_607_262_118_000),
        ("2026-11-02T08:14:09.101000+00:00", 1_793_607_249_101_000),
        ("2026-11-02T08:14:09.101Z", 1_793_607_249_101_000),
        ("1793607249.101", 1_793_607_249_101_000),
        (datetime(2026, 11, 2, 8, 14, 9, 101000, tzinfo=UTC), 1_793_607_249_101_000),
        (None, None),
        (True, None),
        ("yesterday", None),
        (-5.0, None),
        (1e300, None),
    ],
)
def test_times_in_every_form(value: object, expected: int | None) -> None:
    assert epoch_us(value) == expected


def test_modern_summary_fields() -> None:
    rows = rows_of(load_event("get-trace-summaries-page-1.json"))
    orders = rows["1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"]
    assert orders.start_time == 1_793_607_249_101_000
    assert orders.duration_ms == 796.0
    assert orders.response_time_ms == 794.0
    assert (orders.has_fault, orders.has_error, orders.has_throttle) == (False, False, False)
    assert orders.is_partial is True
    assert (orders.http_method, orders.http_status) == ("POST", 200)
    assert orders.http_url == "https://api.example.com/prod/orders"
    assert orders.entry_point == "orders-api/prod"
    assert orders.entry_point_type == "AWS::ApiGateway::Stage"
    assert orders.function_name == "orders-api"
    assert (orders.account, orders.region) == ("123456789012", "us-east-1")
    assert orders.service_names == ["orders-api/prod", "orders-api"]
    assert orders.revision == 2
    assert orders.matched_event_time == 1_793_607_250_200_000
    assert orjson.loads(orders.annotations or "") == {"order_channel": "mobile"}


def test_fault_root_cause_names_remote_service() -> None:
    checkout = rows_of(load_event("get-trace-summaries-page-1.json"))[
        "1-6ae84652-0d9e4f1a6b2c83e57f1a2b3c"
    ]
    assert checkout.has_fault is True
    assert checkout.http_status == 502
    assert checkout.root_cause_service == "payments.example.com"
    assert checkout.root_cause_error_type == "Error"
    assert checkout.root_cause_message == "Payment provider returned 502 after 3 attempts"
    assert checkout.function_name == "checkout-web"
    assert checkout.users == ["customer-4411"]


def test_throttle_and_error_root_cause() -> None:
    payments = rows_of(load_event("get-trace-summaries-page-1.json"))[
        "1-6ae8465e-47c1d2a9e8b3f6a05c2d1e90"
    ]
    assert payments.start_time == 1_793_607_262_118_000
    assert (payments.has_error, payments.has_throttle) == (True, True)
    assert payments.http_status is None
    assert payments.root_cause_service == "DynamoDB"
    assert payments.root_cause_error_type == "ProvisionedThroughputExceededException"
    assert payments.duration_ms == 431.0
    assert orjson.loads(payments.annotations or "") == {
        "retries": 3.0,
        "risk_review": [False, True],
    }


def test_cli_v2_iso_times_and_boto3_datetimes_agree() -> None:
    page = load_event("get-trace-summaries-page-2.json")
    from_cli = rows_of(page)["1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"]
    from_boto3 = rows_of(as_boto3(page))["1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"]
    assert from_cli.start_time == from_boto3.start_time == 1_793_607_249_101_000
    assert from_cli.matched_event_time == from_boto3.matched_event_time
    assert from_cli.revision == 5


def test_old_summary_without_start_time() -> None:
    rows = rows_of(load_event("get-trace-summaries-aws-doc.json"))
    guest = rows["1-5991921a-3fe25e67a1fa15c73ae84435"]
    assert guest.start_time == 0x5991921A * 1_000_000
    assert guest.partition_us == 0x5991921A * 1_000_000
    assert guest.users == ["Q7T2K9XW"]
    assert guest.function_name is None
    assert guest.revision is None
    assert guest.service_names == []


def test_partition_follows_trace_id_not_start_time() -> None:
    summary = {"Id": "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7", "StartTime": 1793610000.5}
    row = trace_row(summary, ingestion_time_us=NOW_US)
    assert row.start_time == 1_793_610_000_500_000
    assert row.partition_us == 0x6AE84651 * 1_000_000


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("1-6ae84651-5b2c0e7a91d34f68a0c4e1b7", "is a string; expected a TraceSummary object"),
        ({"Duration": 1.0}, "Id is None; expected an X-Ray trace ID"),
        ({"Id": "trace-42"}, "Id is 'trace-42'; expected an X-Ray trace ID"),
    ],
)
def test_unusable_summary_named(summary: object, message: str) -> None:
    with pytest.raises(InvalidPayload, match=message):
        trace_row(summary, ingestion_time_us=NOW_US)


def test_wrong_types_become_null() -> None:
    summary = {
        "Id": "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7",
        "Duration": "slow",
        "HasFault": "yes",
        "Http": {"HttpStatus": "200"},
        "ServiceIds": "orders-api",
        "Revision": 2**70,
    }
    row = trace_row(summary, ingestion_time_us=NOW_US)
    assert (row.duration_ms, row.has_fault, row.http_status, row.revision) == (
        None,
        None,
        None,
        None,
    )
    assert row.service_names == []


def test_enters_lambda_from_any_field() -> None:
    assert enters_lambda({"ServiceIds": [{"Type": "AWS::Lambda::Function"}]}) is True
    assert enters_lambda({"EntryPoint": {"Type": "AWS::Lambda"}}) is True
    arn = "arn:aws:lambda:eu-west-1:123456789012:function:f:7"
    assert enters_lambda({"ResourceARNs": [{"ARN": arn}]}) is True
    assert enters_lambda({"ServiceIds": [{"Type": "AWS::ECS::Container"}]}) is False
    assert enters_lambda({"Id": "1-5991921a-3fe25e67a1fa15c73ae84435"}) is None


def test_function_from_arn_alone() -> None:
    summary = {
        "Id": "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7",
        "ResourceARNs": [{"ARN": "arn:aws:lambda:eu-west-1:210987654321:function:ledger:prod"}],
    }
    row = trace_row(summary, ingestion_time_us=NOW_US, region="us-east-1")
    assert (row.function_name, row.account, row.region) == ("ledger", "210987654321", "eu-west-1")
