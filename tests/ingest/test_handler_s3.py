"""The handler writes to S3 served by moto on 127.0.0.1, and DuckDB reads it back over httpfs."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import boto3

from loglake.analytics.lake import open_lake
from loglake.analytics.sql import run_select
from tests.helpers import awslogs_event, lambda_context, subscription_payload

REQUEST = "c2a9e7d1-4b3f-4e21-9a8c-7d6e5f4a3b21"
MESSAGES = [
    f"START RequestId: {REQUEST} Version: $LATEST\n",
    '{"level":"info","ts":1793607251.204117,"caller":"worker/main.go:58",'
    '"msg":"processing event","eventId":"abc123","type":"order.created"}\n',
    f"END RequestId: {REQUEST}\n",
    f"REPORT RequestId: {REQUEST}\tDuration: 88.41 ms\tBilled Duration: 89 ms\t"
    "Memory Size: 256 MB\tMax Memory Used: 256 MB\tStatus: error\t"
    "Error Type: Runtime.OutOfMemory\n",
]


def test_handler_to_s3_and_back(
    s3_lake: str, moto_endpoint: str, load_handler: Callable[[str], ModuleType]
) -> None:
    handler = load_handler(s3_lake)
    event = awslogs_event(subscription_payload(MESSAGES, log_group="/aws/lambda/payments"))
    handler.handler(event, lambda_context())
    handler.handler(event, lambda_context())

    bucket = s3_lake.removeprefix("s3://").split("/")[0]
    listed = boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=bucket)
    keys = [item["Key"] for item in listed["Contents"]]
    assert len(keys) == 1
    assert keys[0].startswith("prod/logs/date=2026-11-02/hour=")

    lake = open_lake(s3_lake, endpoint_url=moto_endpoint)
    result = run_select(
        lake,
        "SELECT request_id, status, error_type, max_memory_used_mb FROM invocations "
        "WHERE function_name = ?",
        ["payments"],
    )
    assert result.rows == [(REQUEST, "error", "Runtime.OutOfMemory", 256)]

    count = run_select(lake, "SELECT count(*) FROM logs")
    assert count.rows == [(len(MESSAGES),)]

    zap = run_select(lake, "SELECT fields->>'eventId', level FROM logs WHERE type = 'APP'")
    assert zap.rows == [("abc123", "INFO")]
