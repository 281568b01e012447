"""Backfill from FilterLogEvents, against moto's CloudWatch Logs."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import duckdb
import pytest
from click.testing import CliRunner
from moto import mock_aws

from loglake.cli.main import cli
from loglake.ingest.backfill import HOUR_MS, hour_windows, import_log_group, logs_client
from loglake.ingest.pipeline import Ingestor
from loglake.ingest.store import LocalStore

GROUP = "/aws/lambda/orders-api"
STREAM = "2026/11/02/[$LATEST]0123456789abcdef0123456789abcdef"
REQUEST = "3f1c9a52-7d4e-4b8a-9f61-2c0e5d7a4b19"


@pytest.fixture
def log_group() -> Iterator[int]:
    """Create a log group with one invocation's lines, two hours ago; yield its first time."""
    with mock_aws():
        client = boto3.client("logs", region_name="us-east-1")
        client.create_log_group(logGroupName=GROUP)
        client.create_log_stream(logGroupName=GROUP, logStreamName=STREAM)
        first = (int(time.time() * 1000) // HOUR_MS - 2) * HOUR_MS + 1000
        messages = [
            f"START RequestId: {REQUEST} Version: $LATEST\n",
            f"[INFO]\t2026-11-02T08:14:09.551Z\t{REQUEST}\tloaded\n",
            f"END RequestId: {REQUEST}\n",
            f"REPORT RequestId: {REQUEST}\tDuration: 4.00 ms\tBilled Duration: 4 ms\t"
            "Memory Size: 128 MB\tMax Memory Used: 60 MB\t\n",
        ]
        client.put_log_events(
            logGroupName=GROUP,
            logStreamName=STREAM,
            logEvents=[
                {"timestamp": first + index, "message": message}
                for index, message in enumerate(messages)
            ],
        )
        yield first


def rows(lake: Path) -> list[tuple[str, str, str | None]]:
    paths = [str(path) for path in lake.glob("logs/*/*/*.parquet")]
    return duckdb.sql(
        f"SELECT type, function_name, request_id FROM read_parquet({paths}) ORDER BY timestamp"
    ).fetchall()


def test_hour_windows_widen_to_whole_hours() -> None:
    windows = list(hour_windows(HOUR_MS + 5, 2 * HOUR_MS + 1))
    assert [(window.start_ms, window.end_ms) for window in windows] == [
        (HOUR_MS, 2 * HOUR_MS),
        (2 * HOUR_MS, 3 * HOUR_MS),
    ]


def test_empty_range_rejected() -> None:
    with pytest.raises(ValueError, match="import range is empty"):
        list(hour_windows(10, 10))


def test_import_writes_every_event(log_group: int, tmp_path: Path) -> None:
    ingestor = Ingestor(store=LocalStore(tmp_path), row_group_rows=1000)
    report = import_log_group(
        logs_client(region="us-east-1"),
        ingestor,
        GROUP,
        start_ms=log_group + 10,
        end_ms=log_group + 20,
    )
    assert report.events_in == 4
    assert rows(tmp_path) == [
        ("START", "orders-api", REQUEST),
        ("APP", "orders-api", REQUEST),
        ("END", "orders-api", REQUEST),
        ("REPORT", "orders-api", REQUEST),
    ]


def test_import_twice_keeps_row_count(log_group: int, tmp_path: Path) -> None:
    for _ in range(2):
        ingestor = Ingestor(store=LocalStore(tmp_path), row_group_rows=1000)
        import_log_group(
            logs_client(region="us-east-1"),
            ingestor,
            GROUP,
            start_ms=log_group - HOUR_MS,
            end_ms=log_group + HOUR_MS,
        )
    assert len(rows(tmp_path)) == 4


def test_import_command(log_group: int, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "--lake", str(tmp_path), "--log-group", GROUP, "--since", "3h"]
    )
    assert result.exit_code == 0, result.output
    assert "4 events in, 4 rows written" in result.output


def test_import_missing_group_exits_one(log_group: int, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "--lake", str(tmp_path), "--log-group", "/aws/lambda/nope", "--since", "1h"]
    )
    assert result.exit_code == 1
    assert "FilterLogEvents on /aws/lambda/nope failed" in result.output


def test_import_rejects_bad_duration(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["import", "--lake", str(tmp_path), "--log-group", GROUP, "--since", "2 hours"]
    )
    assert result.exit_code == 2
    assert "'2 hours' is not a duration" in result.output
