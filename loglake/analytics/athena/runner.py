"""Run one SQL statement through the Athena API and read its result."""

from __future__ import annotations

from dataclasses import dataclass
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

from loglake.analytics.athena.errors import AthenaError, AthenaTimeoutError, hint_for
from loglake.analytics.athena.values import ColumnReader, column_reader, read_row
from loglake.analytics.sql import QueryResult

if TYPE_CHECKING:
    from mypy_boto3_athena import AthenaClient
    from mypy_boto3_athena.type_defs import (
        PaginatorConfigTypeDef,
        QueryExecutionTypeDef,
        StartQueryExecutionInputTypeDef,
    )

MAX_PAGE_ROWS = 1000
"""The largest ``MaxResults`` that GetQueryResults accepts."""

MAX_POLL_SECONDS = 5.0
"""The maximum wait between two GetQueryExecution calls, unless ``poll_seconds`` is longer."""

POLL_GROWTH = 1.5
"""Factor by which the wait between two GetQueryExecution calls grows."""

TERMINAL_STATES = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})

_ERROR_CATEGORIES = {1: "system error", 2: "user error", 3: "other error"}


@dataclass(frozen=True, slots=True)
class AthenaTarget:
    """The workgroup, catalog and database of an Athena query, and the API endpoint."""

    workgroup: str = "primary"
    database: str = "default"
    catalog: str = "AwsDataCatalog"
    output_location: str | None = None
    """An ``s3://`` URL for the result files; None uses the workgroup's setting."""
    region: str | None = None
    """None uses boto3's region chain (``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile)."""
    endpoint_url: str | None = None


@dataclass(frozen=True, slots=True)
class AthenaRun:
    """The rows of an Athena query and what Athena reports about its execution."""

    result: QueryResult
    query_execution_id: str
    data_scanned_bytes: int
    engine_execution_ms: int


def athena_client(target: AthenaTarget) -> AthenaClient:
    """Create a boto3 Athena client for the target's region and endpoint."""
    try:
        return boto3.client("athena", region_name=target.region, endpoint_url=target.endpoint_url)
    except NoRegionError as error:
        raise AthenaError(
            "no AWS region is set for Athena", hint="set AWS_REGION to the stack's region"
        ) from error


def run_athena(
    sql: str,
    target: AthenaTarget,
    *,
    client: AthenaClient | None = None,
    max_rows: int | None = None,
    poll_seconds: float = 0.5,
    timeout_seconds: float | None = None,
) -> AthenaRun:
    """Run ``sql`` in Athena, wait for it, and read at most ``max_rows`` rows of its result.

    The wait between status checks starts at ``poll_seconds`` and grows by half each time,
    up to ``MAX_POLL_SECONDS``. On KeyboardInterrupt, on a timeout (``AthenaTimeoutError``)
    or on an API error while waiting, the query is stopped with StopQueryExecution and the
    exception is raised again. A query that fails or is cancelled raises ``AthenaError``.
    """
    _check_arguments(max_rows, poll_seconds, timeout_seconds)
    athena = client if client is not None else athena_client(target)
    query_id = _start(athena, sql, target)
    try:
        execution = _wait(athena, query_id, poll_seconds, timeout_seconds)
    except BaseException as error:
        _stop(athena, query_id, error)
        raise

    status = execution["Status"]
    if status["State"] != "SUCCEEDED":
        raise _failure(query_id, execution)
    # A SELECT's result starts with a row of column labels; other statements' results do not.
    has_header = execution.get("StatementType") == "DML"
    result = _read_result(athena, query_id, has_header=has_header, max_rows=max_rows)
    statistics = execution.get("Statistics", {})
    return AthenaRun(
        result=result,
        query_execution_id=query_id,
        data_scanned_bytes=statistics.get("DataScannedInBytes", 0),
        engine_execution_ms=statistics.get("EngineExecutionTimeInMillis", 0),
    )


def _check_arguments(
    max_rows: int | None, poll_seconds: float, timeout_seconds: float | None
) -> None:
    if max_rows is not None and max_rows < 0:
        raise ValueError(f"max_rows must be 0 or more, or None for every row; got {max_rows}")
    if not poll_seconds > 0:
        raise ValueError(f"poll_seconds must be more than 0; got {poll_seconds}")
    if timeout_seconds is not None and not timeout_seconds > 0:
        raise ValueError(
            f"timeout_seconds must be more than 0, or None to wait without limit; "
            f"got {timeout_seconds}"
        )


def _start(client: AthenaClient, sql: str, target: AthenaTarget) -> str:
    request: StartQueryExecutionInputTypeDef = {
        "QueryString": sql,
        "WorkGroup": target.workgroup,
        "QueryExecutionContext": {"Database": target.database, "Catalog": target.catalog},
    }
    if target.output_location is not None:
        request["ResultConfiguration"] = {"OutputLocation": target.output_location}
    try:
        response = client.start_query_execution(**request)
    except (ClientError, BotoCoreError) as error:
        raise _api_error("starting the Athena query", error, None) from error
    return response["QueryExecutionId"]


def _wait(
    client: AthenaClient, query_id: str, poll_seconds: float, timeout_seconds: float | None
) -> QueryExecutionTypeDef:
    deadline = None if timeout_seconds is None else monotonic() + timeout_seconds
    interval = poll_seconds
    max_interval = max(MAX_POLL_SECONDS, poll_seconds)
    while True:
        try:
            execution = client.get_query_execution(QueryExecutionId=query_id)["QueryExecution"]
        except (ClientError, BotoCoreError) as error:
            raise _api_error(f"checking Athena query {query_id}", error, query_id) from error
        if execution["Status"]["State"] in TERMINAL_STATES:
            return execution
        if deadline is not None:
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise AthenaTimeoutError(
                    f"Athena query {query_id} did not finish within {timeout_seconds:g} s "
                    "and was stopped",
                    query_execution_id=query_id,
                    state=execution["Status"]["State"],
                    hint="allow a longer timeout or narrow the time range",
                )
            sleep(min(interval, remaining))
        else:
            sleep(interval)
        interval = min(interval * POLL_GROWTH, max_interval)


def _stop(client: AthenaClient, query_id: str, cause: BaseException) -> None:
    try:
        client.stop_query_execution(QueryExecutionId=query_id)
    except (ClientError, BotoCoreError) as error:
        # The exception in flight is the one to report, so this one becomes a note on it.
        cause.add_note(
            f"stopping Athena query {query_id} failed too ({error}); "
            "stop it in the Athena console or with `aws athena stop-query-execution`"
        )


def _failure(query_id: str, execution: QueryExecutionTypeDef) -> AthenaError:
    status = execution["Status"]
    state = status["State"]
    reason = status.get("StateChangeReason")
    details = status.get("AthenaError", {})
    message_text = details.get("ErrorMessage")
    parts = [reason or "Athena gave no reason"]
    if message_text and message_text != reason:
        parts.append(message_text)
    if "ErrorCategory" in details:
        category = _ERROR_CATEGORIES.get(details["ErrorCategory"], "error")
        parts.append(f"{category}, error type {details.get('ErrorType', 'unknown')}")
    if state == "FAILED":
        verb = "failed"
    elif state == "CANCELLED":
        verb = "was cancelled"
    else:
        verb = f"ended in state {state}"
    hint = hint_for(reason, message_text)
    if hint is None and details.get("Retryable"):
        hint = "Athena marks the error as retryable; run the query again"
    return AthenaError(
        f"Athena query {query_id} {verb}: " + "; ".join(parts),
        query_execution_id=query_id,
        state=state,
        reason=reason,
        hint=hint,
    )


def _read_result(
    client: AthenaClient, query_id: str, *, has_header: bool, max_rows: int | None
) -> QueryResult:
    header_rows = 1 if has_header else 0
    config: PaginatorConfigTypeDef = {"PageSize": MAX_PAGE_ROWS}
    if max_rows is not None:
        # The paginator stops once it has this many rows, so no page past them is fetched.
        max_items = max(max_rows + header_rows, 1)
        config = {"PageSize": min(MAX_PAGE_ROWS, max_items), "MaxItems": max_items}

    readers: list[ColumnReader] | None = None
    rows: list[tuple[Any, ...]] = []
    paginator = client.get_paginator("get_query_results")
    try:
        for page in paginator.paginate(QueryExecutionId=query_id, PaginationConfig=config):
            result_set = page["ResultSet"]
            if readers is None:
                columns = result_set.get("ResultSetMetadata", {}).get("ColumnInfo", [])
                readers = [column_reader(column) for column in columns]
            page_rows = result_set.get("Rows", [])
            if header_rows and page_rows:
                page_rows = page_rows[header_rows:]
                header_rows = 0
            rows.extend(read_row(readers, row.get("Data", [])) for row in page_rows)
    except (ClientError, BotoCoreError) as error:
        action = f"reading the result of Athena query {query_id}"
        raise _api_error(action, error, query_id) from error
    except ValueError as error:
        raise AthenaError(
            f"the result of Athena query {query_id} cannot be read: {error}",
            query_execution_id=query_id,
            state="SUCCEEDED",
            hint="report the query and this value",
        ) from error

    if max_rows is not None:
        rows = rows[:max_rows]
    readers = readers or []
    return QueryResult(
        columns=[reader.name for reader in readers],
        types=[reader.duckdb_type for reader in readers],
        rows=rows,
    )


def _api_error(
    action: str, error: ClientError | BotoCoreError, query_id: str | None
) -> AthenaError:
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        text = error.response.get("Error", {}).get("Message", "")
        return AthenaError(
            f"{action} failed: {code}: {text}",
            query_execution_id=query_id,
            reason=text,
            hint=hint_for(code, text),
        )
    if isinstance(error, NoCredentialsError):
        hint = "set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
    else:
        hint = "check the network, AWS_REGION and any endpoint URL set for Athena"
    return AthenaError(f"{action} failed: {error}", query_execution_id=query_id, hint=hint)
