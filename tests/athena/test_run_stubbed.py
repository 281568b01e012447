"""run_athena against botocore's Stubber, for what moto's Athena does not do.

moto returns every row in one page, never fails a query and reports no statistics, so
paging, failures and statistics are checked against exact API responses here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from loglake.analytics.athena import AthenaError, AthenaTarget, run_athena, runner
from tests.athena.results import column, execution, header, row

QUERY_ID = "5b2f1c1e-0000-4000-8000-000000000001"
# Stubber returns a queued response for every call, so nothing is sent. The endpoint is
# loopback all the same.
TARGET = AthenaTarget(region="us-east-1", endpoint_url="http://127.0.0.1:9")
START_PARAMS = {
    "QueryString": "SELECT n FROM logs",
    "WorkGroup": "primary",
    "QueryExecutionContext": {"Database": "default", "Catalog": "AwsDataCatalog"},
}
COLUMNS = [column("n", "bigint")]


@pytest.fixture
def client() -> Any:
    return boto3.client("athena", region_name="us-east-1", endpoint_url=TARGET.endpoint_url)


@pytest.fixture
def stubber(client: Any) -> Iterator[Stubber]:
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the runner's waits instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr(runner, "sleep", recorded.append)
    return recorded


def _start(stubber: Stubber) -> None:
    stubber.add_response(
        "start_query_execution", {"QueryExecutionId": QUERY_ID}, expected_params=START_PARAMS
    )


def _status(stubber: Stubber, state: str, **fields: Any) -> None:
    stubber.add_response(
        "get_query_execution",
        execution(QUERY_ID, state, **fields),
        expected_params={"QueryExecutionId": QUERY_ID},
    )


def _page(
    stubber: Stubber,
    rows: list[dict[str, Any]],
    *,
    max_results: int,
    token: str | None = None,
    next_token: str | None = None,
) -> None:
    response: dict[str, Any] = {
        "ResultSet": {"Rows": rows, "ResultSetMetadata": {"ColumnInfo": COLUMNS}}
    }
    if next_token is not None:
        response["NextToken"] = next_token
    expected: dict[str, Any] = {"QueryExecutionId": QUERY_ID, "MaxResults": max_results}
    if token is not None:
        expected["NextToken"] = token
    stubber.add_response("get_query_results", response, expected_params=expected)


def _numbers(start: int, stop: int) -> list[dict[str, Any]]:
    return [row(str(n)) for n in range(start, stop)]


@pytest.mark.usefixtures("sleeps")
def test_result_pages_are_joined(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(stubber, "SUCCEEDED", scanned_bytes=734_003_200, engine_ms=2_150)
    _page(stubber, [header(COLUMNS), *_numbers(0, 999)], max_results=1000, next_token="page-2")
    _page(stubber, _numbers(999, 1999), max_results=1000, token="page-2", next_token="page-3")
    _page(stubber, _numbers(1999, 2500), max_results=1000, token="page-3")

    run = run_athena("SELECT n FROM logs", TARGET, client=client)

    assert len(run.result.rows) == 2500
    assert run.result.rows[0] == (0,)
    assert run.result.rows[999] == (999,)
    assert run.result.rows[-1] == (2499,)
    assert run.data_scanned_bytes == 734_003_200
    assert run.engine_execution_ms == 2_150


@pytest.mark.usefixtures("sleeps")
def test_max_rows_fetches_no_further_page(client: Any, stubber: Stubber) -> None:
    # 1,500 rows and the header need two pages of 1,000. A third request would find no
    # queued response and fail the test.
    _start(stubber)
    _status(stubber, "SUCCEEDED")
    _page(stubber, [header(COLUMNS), *_numbers(0, 999)], max_results=1000, next_token="page-2")
    _page(stubber, _numbers(999, 1999), max_results=1000, token="page-2", next_token="page-3")

    run = run_athena("SELECT n FROM logs", TARGET, client=client, max_rows=1500)

    assert len(run.result.rows) == 1500
    assert run.result.rows[-1] == (1499,)


@pytest.mark.usefixtures("sleeps")
def test_small_max_rows_asks_for_small_page(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(stubber, "SUCCEEDED")
    _page(stubber, [header(COLUMNS), *_numbers(0, 10)], max_results=11, next_token="page-2")

    run = run_athena("SELECT n FROM logs", TARGET, client=client, max_rows=10)

    assert run.result.rows == [(n,) for n in range(10)]


@pytest.mark.usefixtures("sleeps")
def test_utility_statement_has_no_header(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(stubber, "SUCCEEDED", statement_type="UTILITY")
    _page(stubber, _numbers(0, 2), max_results=1000)

    run = run_athena("SELECT n FROM logs", TARGET, client=client)

    assert run.result.rows == [(0,), (1,)]


def test_poll_interval_grows_to_cap(client: Any, stubber: Stubber, sleeps: list[float]) -> None:
    _start(stubber)
    _status(stubber, "QUEUED")
    for _ in range(7):
        _status(stubber, "RUNNING")
    _status(stubber, "SUCCEEDED")
    _page(stubber, [header(COLUMNS)], max_results=1000)

    run_athena("SELECT n FROM logs", TARGET, client=client, poll_seconds=1.0)

    assert sleeps == pytest.approx([1.0, 1.5, 2.25, 3.375, 5.0, 5.0, 5.0, 5.0])


def test_failed_query_names_reason_and_fix(
    client: Any, stubber: Stubber, sleeps: list[float]
) -> None:
    reason = "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.default.logs' does not exist"
    _start(stubber)
    _status(stubber, "RUNNING")
    _status(
        stubber,
        "FAILED",
        StateChangeReason=reason,
        AthenaError={
            "ErrorCategory": 2,
            "ErrorType": 1301,
            "Retryable": False,
            "ErrorMessage": reason,
        },
    )

    with pytest.raises(AthenaError) as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    message = str(raised.value)
    assert f"Athena query {QUERY_ID} failed" in message
    assert reason in message
    assert message.count(reason) == 1
    assert "user error, error type 1301" in message
    assert "check --database" in message
    assert "GlueDatabaseName" in message
    assert raised.value.state == "FAILED"
    assert raised.value.reason == reason
    assert raised.value.query_execution_id == QUERY_ID
    assert sleeps == [0.5]


@pytest.mark.usefixtures("sleeps")
def test_failed_query_shows_athena_error_message(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(
        stubber,
        "FAILED",
        StateChangeReason="Query exhausted resources at this scale factor",
        AthenaError={"ErrorCategory": 1, "ErrorType": 1001, "ErrorMessage": "Out of memory"},
    )

    with pytest.raises(AthenaError) as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    message = str(raised.value)
    assert "Query exhausted resources at this scale factor; Out of memory" in message
    assert "system error, error type 1001" in message
    assert "narrow the time range" in message


@pytest.mark.usefixtures("sleeps")
def test_retryable_failure_says_run_again(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(
        stubber,
        "FAILED",
        StateChangeReason="Internal service error",
        AthenaError={"ErrorCategory": 1, "ErrorType": 401, "Retryable": True},
    )

    with pytest.raises(AthenaError, match="retryable; run the query again"):
        run_athena("SELECT n FROM logs", TARGET, client=client)


@pytest.mark.usefixtures("sleeps")
def test_cancelled_query_shows_reason(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(
        stubber,
        "CANCELLED",
        StateChangeReason="Query cancelled! -- Bytes scanned limit was exceeded",
    )

    with pytest.raises(AthenaError, match="was cancelled: Query cancelled!") as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    assert "BytesScannedCutoffPerQuery" in str(raised.value)
    assert raised.value.state == "CANCELLED"


def test_missing_output_location_names_option(client: Any, stubber: Stubber) -> None:
    stubber.add_client_error(
        "start_query_execution",
        service_error_code="InvalidRequestException",
        service_message=(
            "No output location provided. An output location is required either through the "
            "Workgroup result configuration setting or as an API input."
        ),
        http_status_code=400,
        expected_params=START_PARAMS,
    )

    with pytest.raises(AthenaError, match="No output location provided") as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    assert "give --output-location" in str(raised.value)
    assert "InvalidRequestException" in str(raised.value)


def test_interrupt_with_failing_stop_keeps_interrupt(
    client: Any, stubber: Stubber, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(_: float) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner, "sleep", interrupt)
    _start(stubber)
    _status(stubber, "RUNNING")
    stubber.add_client_error(
        "stop_query_execution",
        service_error_code="InternalServerException",
        service_message="try later",
        expected_params={"QueryExecutionId": QUERY_ID},
    )

    with pytest.raises(KeyboardInterrupt) as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    notes = getattr(raised.value, "__notes__", [])
    assert len(notes) == 1
    assert f"stopping Athena query {QUERY_ID} failed too" in notes[0]


def test_api_error_while_waiting_stops_query(
    client: Any, stubber: Stubber, sleeps: list[float]
) -> None:
    _start(stubber)
    stubber.add_client_error(
        "get_query_execution",
        service_error_code="InternalServerException",
        service_message="service unavailable",
        expected_params={"QueryExecutionId": QUERY_ID},
    )
    stubber.add_response("stop_query_execution", {}, expected_params={"QueryExecutionId": QUERY_ID})

    with pytest.raises(AthenaError, match="InternalServerException: service unavailable") as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    assert raised.value.query_execution_id == QUERY_ID
    assert sleeps == []


@pytest.mark.usefixtures("sleeps")
def test_unreadable_cell_names_query_and_column(client: Any, stubber: Stubber) -> None:
    _start(stubber)
    _status(stubber, "SUCCEEDED")
    _page(stubber, [header(COLUMNS), row("not a number")], max_results=1000)

    with pytest.raises(
        AthenaError, match="column 'n' of type bigint contains the invalid value 'not a number'"
    ) as raised:
        run_athena("SELECT n FROM logs", TARGET, client=client)

    assert QUERY_ID in str(raised.value)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"max_rows": -1}, "max_rows must be 0 or more"),
        ({"poll_seconds": 0}, "poll_seconds must be more than 0"),
        ({"timeout_seconds": 0}, "timeout_seconds must be more than 0"),
    ],
)
def test_invalid_arguments_are_rejected(arguments: dict[str, Any], message: str) -> None:
    # Rejected before any client is created or request made.
    with pytest.raises(ValueError, match=message):
        run_athena("SELECT 1", TARGET, **arguments)
