"""Recorded X-Ray responses and a botocore Stubber around a client that reaches nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.stub import Stubber

EVENTS = Path(__file__).parents[1] / "events" / "xray"
_TIME_KEYS = ("StartTime", "ApproximateTime", "MatchedEventTime")
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:orders-api"


def load_event(name: str) -> dict[str, Any]:
    """Return a recorded response from ``tests/events/xray`` by file name."""
    document: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return document


def as_boto3(page: dict[str, Any]) -> dict[str, Any]:
    """Return a GetTraceSummaries page as boto3 returns it: timestamps become datetimes."""
    page = json.loads(json.dumps(page))
    for summary in [page, *page.get("TraceSummaries", [])]:
        for key in _TIME_KEYS:
            value = summary.get(key)
            if isinstance(value, int | float):
                summary[key] = datetime.fromtimestamp(value, tz=UTC)
            elif isinstance(value, str):
                summary[key] = datetime.fromisoformat(value)
    return page


def stubbed_client() -> tuple[Any, Stubber]:
    """Create an X-Ray client aimed at a closed local port, with a Stubber activated on it."""
    client = boto3.client("xray", region_name="us-east-1", endpoint_url="http://127.0.0.1:9")
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


def trace_id(start_s: int, number: int) -> str:
    return f"1-{start_s:08x}-{number:024x}"


def lambda_summary(start_s: int, number: int, revision: int = 1) -> dict[str, Any]:
    """A summary of a trace that enters the orders-api function."""
    return {
        "Id": trace_id(start_s, number),
        "StartTime": datetime.fromtimestamp(start_s + 0.25, tz=UTC),
        "Duration": 0.12,
        "ResponseTime": 0.118,
        "HasFault": False,
        "HasError": False,
        "HasThrottle": False,
        "ServiceIds": [{"Name": "orders-api", "Type": "AWS::Lambda::Function"}],
        "ResourceARNs": [{"ARN": FUNCTION_ARN}],
        "Revision": revision,
    }


def lambda_trace(start_s: int, number: int) -> dict[str, Any]:
    """The BatchGetTraces trace of ``lambda_summary``: one function segment, one subsegment."""
    document = {
        "id": f"{number:016x}",
        "name": "orders-api",
        "origin": "AWS::Lambda::Function",
        "trace_id": trace_id(start_s, number),
        "start_time": start_s + 0.25,
        "end_time": start_s + 0.37,
        "aws": {"function_arn": FUNCTION_ARN},
        "subsegments": [
            {
                "id": f"{number + 1:016x}",
                "name": "Invocation",
                "start_time": start_s + 0.26,
                "end_time": start_s + 0.36,
            }
        ],
    }
    return {
        "Id": trace_id(start_s, number),
        "Duration": 0.12,
        "LimitExceeded": False,
        "Segments": [{"Id": document["id"], "Document": json.dumps(document)}],
    }
