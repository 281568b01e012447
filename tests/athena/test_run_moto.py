"""run_athena against Athena on the moto server, over loopback HTTP."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from loglake.analytics.athena import (
    AthenaError,
    AthenaTarget,
    AthenaTimeoutError,
    athena_client,
    run_athena,
)
from tests.athena.conftest import SeedResult
from tests.athena.results import column, header, row

EVERY_TYPE = [
    column("flag", "boolean"),
    column("tiny", "tinyint"),
    column("small", "smallint"),
    column("count", "integer"),
    column("big", "bigint"),
    column("ratio", "double"),
    column("approx", "real"),
    column("cost", "decimal", Precision=12, Scale=4),
    column("message", "varchar"),
    column("day", "date"),
    column("timestamp", "timestamp"),
    column("zoned", "timestamp with time zone"),
    column("fields", "json"),
    column("names", "array"),
    column("attributes", "map"),
    column("point", "row"),
]
EVERY_TYPE_CELLS = [
    "true",
    "1",
    "2",
    "3",
    "4000000000",
    "0.5",
    "0.25",
    "1.2345",
    "Task timed out after 3.00 seconds",
    "2024-05-01",
    "2024-05-01 12:00:00.000",
    "2024-05-01 12:00:00.000 UTC",
    '{"ok":true,"n":2}',
    "[a, b]",
    "{k=v}",
    "{x=1, y=2}",
]


def test_every_type_and_nulls(target: AthenaTarget, seed_result: SeedResult) -> None:
    seed_result(
        EVERY_TYPE,
        [header(EVERY_TYPE), row(*EVERY_TYPE_CELLS), row(*[None] * len(EVERY_TYPE))],
    )

    run = run_athena("SELECT * FROM logs", target, poll_seconds=0.01)

    assert run.result.columns == [info["Name"] for info in EVERY_TYPE]
    assert run.result.types == [
        "BOOLEAN",
        "TINYINT",
        "SMALLINT",
        "INTEGER",
        "BIGINT",
        "DOUBLE",
        "FLOAT",
        "DECIMAL(12,4)",
        "VARCHAR",
        "DATE",
        "TIMESTAMP WITH TIME ZONE",
        "TIMESTAMP WITH TIME ZONE",
        "JSON",
        "VARCHAR",
        "VARCHAR",
        "VARCHAR",
    ]
    assert len(run.result.rows) == 2, "the header row must not be returned as data"
    values = run.result.rows[0]
    assert values[:9] == (
        True,
        1,
        2,
        3,
        4000000000,
        0.5,
        0.25,
        Decimal("1.2345"),
        "Task timed out after 3.00 seconds",
    )
    assert values[10] == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert values[11] == datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert values[12] == {"ok": True, "n": 2}
    assert values[13:] == ("[a, b]", "{k=v}", "{x=1, y=2}")
    assert run.result.rows[1] == (None,) * len(EVERY_TYPE)
    assert run.query_execution_id
    assert run.data_scanned_bytes == 0
    assert run.engine_execution_ms == 0


def test_empty_result_keeps_columns(target: AthenaTarget, seed_result: SeedResult) -> None:
    columns = [column("function_name", "varchar"), column("invocations", "bigint")]
    seed_result(columns, [header(columns)])

    run = run_athena("SELECT 1", target, poll_seconds=0.01)

    assert run.result.columns == ["function_name", "invocations"]
    assert run.result.types == ["VARCHAR", "BIGINT"]
    assert run.result.rows == []


def test_max_rows_cuts_result(target: AthenaTarget, seed_result: SeedResult) -> None:
    columns = [column("n", "integer")]
    seed_result(columns, [header(columns), *(row(str(n)) for n in range(10))])

    run = run_athena("SELECT n", target, max_rows=3, poll_seconds=0.01)

    assert run.result.rows == [(0,), (1,), (2,)]


def test_max_rows_zero_returns_columns_only(target: AthenaTarget, seed_result: SeedResult) -> None:
    columns = [column("n", "integer")]
    seed_result(columns, [header(columns), row("1")])

    run = run_athena("SELECT n", target, max_rows=0, poll_seconds=0.01)

    assert run.result.columns == ["n"]
    assert run.result.rows == []


def _capture_requests(client: Any, operation: str) -> list[dict[str, Any]]:
    captured: list[dict[str, Any]] = []

    def record(params: dict[str, Any], **_: Any) -> None:
        captured.append(dict(params))

    client.meta.events.register(f"provide-client-params.athena.{operation}", record)
    return captured


def test_request_names_workgroup_database_catalog_and_output(
    target: AthenaTarget, seed_result: SeedResult
) -> None:
    workgroup = f"loglake-{uuid.uuid4().hex[:8]}"
    client = athena_client(target)
    client.create_work_group(Name=workgroup, Configuration={})
    custom = dataclasses.replace(
        target,
        workgroup=workgroup,
        database="prod_loglake",
        catalog="OtherCatalog",
        output_location="s3://results-bucket/athena/",
    )
    starts = _capture_requests(client, "StartQueryExecution")
    seed_result([column("n", "integer")], [row("n"), row("1")])

    run = run_athena("SELECT 1 AS n", custom, client=client, poll_seconds=0.01)

    assert starts == [
        {
            "QueryString": "SELECT 1 AS n",
            "WorkGroup": workgroup,
            "QueryExecutionContext": {"Database": "prod_loglake", "Catalog": "OtherCatalog"},
            "ResultConfiguration": {"OutputLocation": "s3://results-bucket/athena/"},
        }
    ]
    # What the server received, as it reports it back.
    execution = client.get_query_execution(QueryExecutionId=run.query_execution_id)
    details = execution["QueryExecution"]
    assert details["WorkGroup"] == workgroup
    assert details["QueryExecutionContext"] == {
        "Database": "prod_loglake",
        "Catalog": "OtherCatalog",
    }
    assert details["ResultConfiguration"]["OutputLocation"].startswith(
        "s3://results-bucket/athena/"
    )


def test_request_omits_output_location_by_default(target: AthenaTarget) -> None:
    client = athena_client(target)
    starts = _capture_requests(client, "StartQueryExecution")

    run_athena("SELECT 1", target, client=client, poll_seconds=0.01)

    assert starts == [
        {
            "QueryString": "SELECT 1",
            "WorkGroup": "primary",
            "QueryExecutionContext": {"Database": "default", "Catalog": "AwsDataCatalog"},
        }
    ]


def test_unknown_workgroup_names_fix(target: AthenaTarget) -> None:
    missing = dataclasses.replace(target, workgroup="no-such-workgroup")

    with pytest.raises(AthenaError, match="WorkGroup does not exist") as raised:
        run_athena("SELECT 1", missing, poll_seconds=0.01)

    assert "check --workgroup" in str(raised.value)
    assert raised.value.query_execution_id is None


@pytest.mark.usefixtures("queries_stay_queued")
def test_timeout_stops_query(target: AthenaTarget, other_client: Any) -> None:
    client = athena_client(target)
    stops = _capture_requests(client, "StopQueryExecution")

    with pytest.raises(AthenaTimeoutError, match=r"did not finish within 0\.2 s") as raised:
        run_athena("SELECT 1", target, client=client, poll_seconds=0.01, timeout_seconds=0.2)

    query_id = raised.value.query_execution_id
    assert query_id is not None
    assert isinstance(raised.value, TimeoutError)
    assert raised.value.state == "QUEUED"
    assert stops == [{"QueryExecutionId": query_id}]
    state = other_client.get_query_execution(QueryExecutionId=query_id)
    assert state["QueryExecution"]["Status"]["State"] == "CANCELLED"


@pytest.mark.usefixtures("queries_stay_queued")
def test_keyboard_interrupt_stops_query(target: AthenaTarget, other_client: Any) -> None:
    client = athena_client(target)
    stops = _capture_requests(client, "StopQueryExecution")
    polls: list[str] = []

    def interrupt_on_second_poll(parsed: dict[str, Any], **_: Any) -> None:
        polls.append(parsed["QueryExecution"]["QueryExecutionId"])
        if len(polls) == 2:
            raise KeyboardInterrupt

    client.meta.events.register("after-call.athena.GetQueryExecution", interrupt_on_second_poll)

    with pytest.raises(KeyboardInterrupt):
        run_athena("SELECT 1", target, client=client, poll_seconds=0.01)

    assert stops == [{"QueryExecutionId": polls[0]}]
    state = other_client.get_query_execution(QueryExecutionId=polls[0])
    assert state["QueryExecution"]["Status"]["State"] == "CANCELLED"


@pytest.mark.usefixtures("queries_stay_queued")
def test_cancelled_query_raises(target: AthenaTarget, other_client: Any) -> None:
    client = athena_client(target)
    result_requests = _capture_requests(client, "GetQueryResults")

    def cancel_from_outside(parsed: dict[str, Any], **_: Any) -> None:
        query_id = parsed["QueryExecution"]["QueryExecutionId"]
        other_client.stop_query_execution(QueryExecutionId=query_id)

    client.meta.events.register("after-call.athena.GetQueryExecution", cancel_from_outside)

    with pytest.raises(AthenaError, match="was cancelled") as raised:
        run_athena("SELECT 1", target, client=client, poll_seconds=0.01)

    assert raised.value.state == "CANCELLED"
    assert raised.value.query_execution_id in str(raised.value)
    assert result_requests == []
