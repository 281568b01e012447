"""Fixtures of the Athena runner tests: Athena on the session's moto server, over loopback."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from moto.athena.models import athena_backends
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

from loglake.analytics.athena import AthenaTarget, athena_client

REGION = "us-east-1"
EXECUTION_MODEL = "athena::execution"

SeedResult = Callable[[list[dict[str, Any]], list[dict[str, Any]]], None]


@pytest.fixture
def athena_endpoint(moto_endpoint: str) -> Iterator[str]:
    """Return the moto server's URL with no queued Athena results and immediate queries."""
    backend = athena_backends[DEFAULT_ACCOUNT_ID][REGION]
    backend.query_results_queue.clear()
    state_manager.unset_transition(EXECUTION_MODEL)
    yield moto_endpoint
    backend.query_results_queue.clear()
    state_manager.unset_transition(EXECUTION_MODEL)


@pytest.fixture
def target(athena_endpoint: str) -> AthenaTarget:
    return AthenaTarget(region=REGION, endpoint_url=athena_endpoint)


@pytest.fixture
def seed_result(athena_endpoint: str) -> SeedResult:
    """Queue the result that moto returns for the next query, through moto's HTTP API."""

    def seed(columns: list[dict[str, Any]], rows: list[dict[str, Any]]) -> None:
        body = {
            "account_id": DEFAULT_ACCOUNT_ID,
            "region": REGION,
            "results": [{"rows": rows, "column_info": columns}],
        }
        request = urllib.request.Request(
            f"{athena_endpoint}/moto-api/static/athena/query-results",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        # No proxy, so the request goes straight to the loopback server.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            assert response.status == 201

    return seed


@pytest.fixture
def queries_stay_queued(athena_endpoint: str) -> None:
    """Keep every new query QUEUED until something stops it."""
    state_manager.set_transition(EXECUTION_MODEL, {"progression": "manual", "times": 10**9})


@pytest.fixture
def other_client(target: AthenaTarget) -> Any:
    """A second client on the same server, for acting on a query from outside the runner."""
    return athena_client(target)
