"""Builders of Lambda events and payloads for tests."""

from __future__ import annotations

import base64
import gzip
from types import SimpleNamespace
from typing import Any

import orjson


def lambda_context(request_id: str = "11111111-2222-3333-4444-555555555555") -> Any:
    """Return the attributes of a Lambda context object that the handler reads."""
    return SimpleNamespace(aws_request_id=request_id, function_name="loglake-ingest")


def subscription_payload(
    messages: list[str],
    *,
    log_group: str = "/aws/lambda/orders-api",
    log_stream: str = "2026/11/02/[$LATEST]0123456789abcdef0123456789abcdef",
    start_ms: int = 1_793_607_249_000,
    first_id: int = 100,
) -> dict[str, Any]:
    """Build a decoded DATA_MESSAGE with one event per message, 1 ms apart."""
    return {
        "messageType": "DATA_MESSAGE",
        "owner": "123456789012",
        "logGroup": log_group,
        "logStream": log_stream,
        "subscriptionFilters": ["loglake"],
        "logEvents": [
            {"id": str(first_id + index), "timestamp": start_ms + index, "message": message}
            for index, message in enumerate(messages)
        ],
    }


def awslogs_event(payload: dict[str, Any]) -> dict[str, Any]:
    """Wrap a decoded payload the way CloudWatch Logs invokes a subscribed function."""
    data = base64.b64encode(gzip.compress(orjson.dumps(payload))).decode()
    return {"awslogs": {"data": data}}
