"""``loglake query --engine athena``: the compiled Athena SQL sent through the Athena API.

Athena is moto's server on loopback, reached through boto3's ``AWS_ENDPOINT_URL_ATHENA``, as
a user points the CLI at another endpoint. moto returns the rows each test queues.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from click.testing import CliRunner

from loglake.analytics.insights import ATHENA, QueryScope, compile_query
from loglake.analytics.saved_queries import load_saved_queries
from loglake.cli import query_command
from loglake.cli.main import cli
from loglake.ingest.compact.compactor import compact_lake
from loglake.ingest.store import open_store
from tests.athena.conftest import REGION, SeedResult
from tests.athena.results import column, row
from tests.compact.lakes import HOUR_8, deliver, invocation

QUERY = 'filter @type = "REPORT" | stats count(*) as invocations by @function'


@pytest.fixture
def athena_env(athena_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("AWS_ENDPOINT_URL_ATHENA", athena_endpoint)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_REGION", raising=False)
    for name in ("LOGLAKE_ATHENA_WORKGROUP", "LOGLAKE_ATHENA_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    return athena_endpoint


def _queries_sent(endpoint: str) -> list[Any]:
    client = boto3.client("athena", region_name=REGION, endpoint_url=endpoint)
    ids = client.list_query_executions()["QueryExecutionIds"]
    executions = [client.get_query_execution(QueryExecutionId=i)["QueryExecution"] for i in ids]
    return sorted(executions, key=lambda execution: execution["Status"]["SubmissionDateTime"])


def test_athena_engine_runs_compiled_sql_and_prints_rows(
    athena_env: str, seed_result: SeedResult
) -> None:
    columns = [column("@function", "varchar"), column("invocations", "bigint")]
    seed_result(columns, [row("@function", "invocations"), row("orders-api", "42")])

    result = CliRunner().invoke(
        cli,
        ["query", QUERY, "--engine", "athena", "--database", "prod_loglake", "--since", "2h"],
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    assert "orders-api" in result.stdout
    assert "42" in result.stdout
    assert "note: Athena query" in result.stderr
    sent = _queries_sent(athena_env)[-1]
    assert sent["QueryExecutionContext"]["Database"] == "prod_loglake"
    assert sent["WorkGroup"] == "primary"
    statement = sent["Query"]
    assert "FROM logs AS src" in statement
    assert "_copy = 1" in statement
    assert "src.type = 'REPORT'" in statement
    # --since 2h reaches the partition filter, so Athena prunes by date and hour.
    assert "src.date >= '" in statement


def test_athena_engine_json_format(athena_env: str, seed_result: SeedResult) -> None:
    columns = [column("@function", "varchar"), column("invocations", "bigint")]
    seed_result(columns, [row("@function", "invocations"), row("orders-api", "42")])

    result = CliRunner().invoke(
        cli,
        [
            "query",
            QUERY,
            "--engine",
            "athena",
            "--database",
            "prod_loglake",
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"@function": "orders-api", "invocations": 42}]
    # Without a range, Athena reads the last hour, and a note on stderr states it.
    assert "reading the last 1h" in result.stderr


def test_athena_saved_query_sends_its_compiled_sql(
    athena_env: str, seed_result: SeedResult
) -> None:
    seed_result([column("@function", "varchar")], [row("@function")])
    start = datetime(2026, 12, 1, tzinfo=UTC)
    end = start + timedelta(days=1)

    result = CliRunner().invoke(
        cli,
        [
            "query",
            "timeouts",
            "--engine",
            "athena",
            "--database",
            "prod_loglake",
            "--workgroup",
            "primary",
            "--start",
            start.isoformat(),
            "--end",
            end.isoformat(),
        ],
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    saved = load_saved_queries()["timeouts"]
    expected = compile_query(saved.query, QueryScope(start=start, end=end), dialect=ATHENA)
    assert _queries_sent(athena_env)[-1]["Query"] == expected.probe_sql


def test_athena_engine_needs_a_database(athena_env: str) -> None:
    before = len(_queries_sent(athena_env))

    result = CliRunner().invoke(cli, ["query", QUERY, "--engine", "athena"])

    assert result.exit_code == 2
    assert "LOGLAKE_ATHENA_DATABASE" in result.output
    assert len(_queries_sent(athena_env)) == before


def test_athena_engine_reports_an_unknown_workgroup(athena_env: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["query", QUERY, "--engine", "athena", "--database", "d", "--workgroup", "nope"],
    )

    assert result.exit_code == 1
    assert "WorkGroup does not exist" in result.output


def test_athena_explain_prints_athena_sql(athena_env: str) -> None:
    before = len(_queries_sent(athena_env))

    result = CliRunner().invoke(
        cli, ["query", QUERY, "--engine", "athena", "--explain", "--since", "1h"]
    )

    assert result.exit_code == 0, result.output
    assert "row_number() OVER (PARTITION BY src.log_group" in result.stdout
    assert "QUALIFY" not in result.stdout
    assert len(_queries_sent(athena_env)) == before


def test_query_text_that_athena_cannot_express_exits_2(athena_env: str) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "query",
            "fields formatDate(@timestamp, fmt) as d",
            "--engine",
            "athena",
            "--database",
            "d",
        ],
    )

    assert result.exit_code == 2
    assert "must be a string literal" in result.output


def test_athena_skips_objects_compaction_replaced(
    athena_env: str, s3_lake: str, moto_endpoint: str, seed_result: SeedResult
) -> None:
    store = open_store(s3_lake, endpoint_url=moto_endpoint)
    for index in range(3):
        deliver(store, invocation(100 * index, HOUR_8 + index * 60_000, request_id=f"r{index}"))
    compact_lake(
        store,
        now=datetime.now(tz=UTC),
        older_than=timedelta(hours=2),
        grace=timedelta(hours=1),
        row_group_rows=1000,
    )
    seed_result([column("n", "bigint")], [row("n"), row("9")])

    result = CliRunner().invoke(
        cli,
        [
            "query",
            "stats count(*) as n",
            "--engine",
            "athena",
            "--lake",
            s3_lake,
            "--database",
            "d",
            "--start",
            "2026-11-02T00:00:00Z",
            "--end",
            "2026-11-03T00:00:00Z",
        ],
        catch_exceptions=False,
    )

    assert result.exit_code == 0, result.output
    statement = _queries_sent(athena_env)[-1]["Query"]
    assert f'src."$path" NOT IN (\'{s3_lake}/logs/date=2026-11-02/hour=08/' in statement
    assert statement.count(f"'{s3_lake}/logs/") == 3
    # The listing replaces the window over every event.
    assert "row_number()" not in statement
    assert "cannot read its compaction manifests" not in result.stderr


def test_athena_without_s3_lake_removes_duplicates_by_event(athena_env: str) -> None:
    result = CliRunner().invoke(
        cli,
        ["query", QUERY, "--engine", "athena", "--explain", "--lake", "/nonexistent/lake"],
    )

    assert result.exit_code == 0, result.output
    assert "cannot read its compaction manifests" in result.stderr
    assert "row_number() OVER (PARTITION BY src.log_group" in result.stdout


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--workgroup", "", "the workgroup is empty"),
        ("--output-location", "s3://", "is not an s3:// URL"),
        ("--output-location", "/tmp/results", "is not an s3:// URL"),
    ],
)
def test_athena_options_rejected(athena_env: str, option: str, value: str, message: str) -> None:
    result = CliRunner().invoke(
        cli, ["query", QUERY, "--engine", "athena", "--database", "d", option, value]
    )

    assert result.exit_code == 2
    assert message in result.output


def test_missing_database_reported_before_range_note(athena_env: str) -> None:
    result = CliRunner().invoke(cli, ["query", QUERY, "--engine", "athena"])

    assert result.exit_code == 2
    assert "reading the last 1h" not in result.output


def test_interrupt_exits_130_with_note(athena_env: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*arguments: Any, **options: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(query_command, "run_insights_athena", interrupted)

    result = CliRunner().invoke(cli, ["query", QUERY, "--engine", "athena", "--database", "d"])

    assert result.exit_code == 130
    assert "the Athena query was cancelled" in result.stderr
