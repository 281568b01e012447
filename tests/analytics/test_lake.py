"""Lake views over local folders, the read-only sandbox, and output formats."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from loglake.analytics.lake import open_lake
from loglake.analytics.output import to_csv, to_json
from loglake.analytics.sql import QueryError, run_select
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import write_logs

REPORT = (
    "REPORT RequestId: 8e2d4f60-1a3b-4c5d-8e7f-90a1b2c3d4e5\tDuration: 3000.00 ms\t"
    "Billed Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\tStatus: timeout"
)


@pytest.fixture
def lake_path(tmp_path: Path) -> Path:
    events = [
        LogEvent("1", 1_793_607_249_120, "[WARNING]\t2026-11-02T08:14:09.120Z\t\twarming up"),
        LogEvent("2", 1_793_607_252_000, REPORT),
    ]
    batch = LogBatch(
        "123456789012", "/aws/lambda/db-sync", "2026/11/02/[7]abc", events, "subscription"
    )
    table = build_logs_table([batch], ingestion_time_ms=1_793_607_300_000)
    write_logs(LocalStore(tmp_path), table, row_group_rows=100)
    return tmp_path


def test_invocations_view_has_one_row_per_report(lake_path: Path) -> None:
    result = run_select(open_lake(str(lake_path)), "SELECT function_name, status FROM invocations")
    assert result.rows == [("db-sync", "timeout")]


def test_logs_view_has_partition_columns(lake_path: Path) -> None:
    result = run_select(open_lake(str(lake_path)), "SELECT DISTINCT date, hour FROM logs")
    assert [(str(row[0]), row[1]) for row in result.rows] == [("2026-11-02", 8)]


def test_empty_lake_has_views_without_rows(tmp_path: Path) -> None:
    lake = open_lake(str(tmp_path / "nothing-yet"))
    assert run_select(lake, "SELECT count(*) FROM logs").rows == [(0,)]
    assert run_select(lake, "SELECT count(*) FROM invocations").rows == [(0,)]


def test_bound_parameters(lake_path: Path) -> None:
    result = run_select(
        open_lake(str(lake_path)), "SELECT count(*) FROM logs WHERE level = ?", ["WARN"]
    )
    assert result.rows == [(1,)]


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE t AS SELECT 1",
        "COPY (SELECT 1) TO 'out.csv'",
        "SET enable_external_access = true",
        "ATTACH 'other.db'",
        "INSTALL httpfs",
    ],
)
def test_non_select_rejected(lake_path: Path, statement: str) -> None:
    with pytest.raises(QueryError, match="only SELECT"):
        run_select(open_lake(str(lake_path)), statement)


def test_two_statements_rejected(lake_path: Path) -> None:
    with pytest.raises(QueryError, match="exactly one"):
        run_select(open_lake(str(lake_path)), "SELECT 1; SELECT 2")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("SELECT * FROM read_csv('{outside}')", "table function read_csv"),
        ("SELECT * FROM read_text('.tmp/x')", "table function read_text"),
        ("WITH t AS (SELECT * FROM glob('/*')) SELECT * FROM t", "table function glob"),
        ("SELECT * FROM '{outside}'", "reading the file"),
        ("SELECT * FROM 's3://bucket/lake/../other/x.parquet'", "reading the file"),
    ],
)
def test_queries_cannot_name_files(
    lake_path: Path, tmp_path_factory: pytest.TempPathFactory, query: str, message: str
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("a\n1\n")
    with pytest.raises(QueryError, match=message):
        run_select(open_lake(str(lake_path)), query.format(outside=outside))


def test_sandbox_blocks_files_outside_lake(
    lake_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("a\n1\n")
    connection = open_lake(str(lake_path)).connection
    with pytest.raises(duckdb.PermissionException):
        connection.execute(f"SELECT * FROM read_csv('{outside}')")
    with pytest.raises(duckdb.Error, match="locked"):
        connection.execute("SET enable_external_access = true")


def test_range_table_function_allowed(lake_path: Path) -> None:
    result = run_select(open_lake(str(lake_path)), "SELECT count(*) FROM range(3)")
    assert result.rows == [(3,)]


@pytest.mark.parametrize("url", ["", "lake[x]", "lake*", "s3://bucket/a/../b"])
def test_unaddressable_lake_url_rejected(url: str) -> None:
    with pytest.raises(ValueError, match="lake URL"):
        open_lake(url)


def test_json_output_uses_iso_utc_timestamps(lake_path: Path) -> None:
    result = run_select(
        open_lake(str(lake_path)), "SELECT timestamp, level FROM logs ORDER BY timestamp"
    )
    rows = json.loads(to_json(result))
    assert rows[0] == {"timestamp": "2026-11-02T08:14:09.120Z", "level": "WARN"}


def test_csv_output_has_header(lake_path: Path) -> None:
    result = run_select(open_lake(str(lake_path)), "SELECT type, status FROM logs ORDER BY type")
    assert to_csv(result) == "type,status\nAPP,\nREPORT,timeout\n"


def test_json_output_of_awkward_types(lake_path: Path) -> None:
    result = run_select(
        open_lake(str(lake_path)),
        "SELECT INTERVAL 90 MINUTE AS span, "
        "170141183460469231731687303715884105727::HUGEINT AS big, "
        "TIMESTAMPTZ '2026-11-02 08:14:09.123456+00' AS precise, 1 AS n, 2 AS n",
    )
    assert json.loads(to_json(result)) == [
        {
            "span": "PT5400S",
            "big": "170141183460469231731687303715884105727",
            "precise": "2026-11-02T08:14:09.123456Z",
            "n": 1,
            "n_2": 2,
        }
    ]


@pytest.mark.parametrize("statement", ["PRAGMA version", "PRAGMA database_list"])
def test_pragma_rejected(lake_path: Path, statement: str) -> None:
    with pytest.raises(QueryError, match="only plain SELECT"):
        run_select(open_lake(str(lake_path)), statement)


def test_json_output_keeps_decimal_precision(lake_path: Path) -> None:
    result = run_select(
        open_lake(str(lake_path)),
        "SELECT 9007199254740993::DECIMAL(20, 0) AS big, 1.5::DECIMAL(4, 1) AS small, "
        "[1, 2]::INTEGER[2] AS pair, '\\x00\\xff'::BLOB AS raw",
    )
    assert json.loads(to_json(result)) == [
        {"big": "9007199254740993", "small": 1.5, "pair": [1, 2], "raw": "00ff"}
    ]
