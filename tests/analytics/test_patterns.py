"""Pattern templates and IDs: masks, and IDs equal across orders, runs and partitions."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from loglake.analytics.lake import open_lake
from loglake.analytics.patterns import (
    MASKS,
    PatternFilter,
    list_patterns,
    pattern_id,
    pattern_id_sql,
    pattern_template_sql,
)
from tests.helpers import awslogs_event, lambda_context, subscription_payload

MASKED = [
    (
        "START RequestId: 8f5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f Version: $LATEST",
        "START RequestId: <UUID> Version: $LATEST",
    ),
    ("trace 1-6ae7dfd3-212a8d9bc17a9262453bf491 sampled", "trace <TRACE_ID> sampled"),
    ('{"requestId": "I6Xv7wIJC7/e/BU=", "ok": true}', '{<REQUEST_ID>, "ok": <BOOL>}'),
    ("connect to 10.0.12.47:5432 failed", "connect to <IP> failed"),
    ("peer 2001:db8::8a2e:370:7334 and ::1 closed", "peer <IP> and <IP> closed"),
    ("at 2026-11-02T08:15:24.485Z done", "at <TIMESTAMP> done"),
    ("at 2026-11-02 08:15:24,485+0000 done", "at <TIMESTAMP> done"),
    ('10.0.0.1 - - [10/Oct/2026:13:55:36 +0000] "GET /', '<IP> - - [<TIMESTAMP>] "GET /'),
    ("Oct 10 13:55:36 host sshd", "<TIMESTAMP> host sshd"),
    ("rendered 3 pages in 368 ms", "rendered <NUM> pages in <DURATION>"),
    ("Task timed out after 30.03 seconds", "Task timed out after <DURATION>"),
    ("Max Memory Used: 1024 MB", "Max Memory Used: <SIZE>"),
    ("byte 0xe9 in position 118", "byte <HEX> in position <NUM>"),
    ("order o-f22d2882 and o-4305e986 and o-12345678", "order o-<NUM> and o-<NUM> and o-<NUM>"),
    ("Authorization failed for pay_f8a3026e4a", "Authorization failed for <ID>"),
    ("KeyError: 'customer_id'", "KeyError: <STR>"),
    ('user "bob" not found', "user <STR> not found"),
    ("mail alice.smith+ops@example.com now", "mail <EMAIL> now"),
    ("read s3://uploads-prod/u/6385/IMG_2961.jpg failed", "read <OBJECT_URI> failed"),
    ("GET /users/12345/orders/IMG_2961.jpg", "GET /users/<NUM>/orders/<ID>.jpg"),
    ("Traceback:\n\u00a0\u00a0File  x\t\ty  ", "Traceback: File x y"),
]


@pytest.fixture(scope="module")
def connection() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def template(connection: duckdb.DuckDBPyConnection, text: str) -> str:
    row = connection.execute(f"SELECT {pattern_template_sql('?')}", [text]).fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize(("text", "expected"), MASKED)
def test_template_masks(connection: duckdb.DuckDBPyConnection, text: str, expected: str) -> None:
    assert template(connection, text) == expected


def test_template_of_null_is_null(connection: duckdb.DuckDBPyConnection) -> None:
    row = connection.execute(f"SELECT {pattern_template_sql('NULL::VARCHAR')}").fetchone()
    assert row == (None,)


def test_masks_are_sql_constants() -> None:
    sql = pattern_template_sql("message")
    assert sql.count("regexp_replace(") == len(MASKS)
    for mask in MASKS:
        # Placeholders never repeat matched text, which DuckDB writes \1 and Athena $1.
        assert "\\" not in mask.placeholder
        assert "$" not in mask.placeholder
        # A digit in a placeholder would be masked again by the "id" mask.
        assert not any(character.isdigit() for character in mask.placeholder)


def test_sql_id_matches_python(connection: duckdb.DuckDBPyConnection) -> None:
    text = "[ERROR] KeyError: <STR> «ünïcode»"
    row = connection.execute(f"SELECT {pattern_id_sql('?')}", [text]).fetchone()
    assert row == (pattern_id(text),)
    assert len(pattern_id(text)) == 12


def test_ids_equal_in_any_order(connection: duckdb.DuckDBPyConnection) -> None:
    lines = [
        f"{datetime(2026, 11, 2, hour, minute, tzinfo=UTC).isoformat()} "
        f"{random.Random(hour * 60 + minute).getrandbits(128):032x} "
        f"{kind} after {minute * 7} ms for user{minute}@example.com"
        for hour in range(3)
        for minute in range(0, 60, 7)
        for kind in ("timeout", "retry")
    ]
    shuffled = lines[:]
    random.Random(1).shuffle(shuffled)

    def ids(ordered: list[str]) -> dict[str, int]:
        connection.execute("CREATE OR REPLACE TEMP TABLE lines (position INTEGER, message VARCHAR)")
        connection.executemany("INSERT INTO lines VALUES (?, ?)", list(enumerate(ordered)))
        sql = (
            f"SELECT {pattern_id_sql(pattern_template_sql('message'))} AS id, count(*) "
            "FROM lines GROUP BY id"
        )
        return dict(connection.execute(sql).fetchall())

    first, second = ids(lines), ids(shuffled)
    assert first == second
    assert sorted(first.values()) == [27, 27]


def _epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _ingest(lake: Path, messages: list[str], start_ms: int, first_id: int, load_handler) -> None:  # type: ignore[no-untyped-def]
    handler = load_handler(str(lake))
    payload = subscription_payload(messages, start_ms=start_ms, first_id=first_id)
    handler.handler(awslogs_event(payload), lambda_context())


def test_ids_equal_across_partitions(tmp_path: Path, load_handler) -> None:  # type: ignore[no-untyped-def]
    messages = [
        "[ERROR] 2026-11-02T08:00:00.100Z 8f5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f "
        "connection to 10.0.12.47 failed after 3 attempts",
        "[ERROR] 2026-11-02T08:00:00.200Z 9a5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f "
        "KeyError: 'customer_id'",
    ]
    later = [
        message.replace("08:00", "17:42").replace("10.0.12.47", "10.0.7.9") for message in messages
    ]
    day_one_8h = _epoch_ms(datetime(2026, 11, 2, 8, tzinfo=UTC))
    day_two_17h = _epoch_ms(datetime(2026, 11, 3, 17, 42, tzinfo=UTC))
    _ingest(tmp_path, messages, day_one_8h, 100, load_handler)
    _ingest(tmp_path, list(reversed(later)), day_two_17h, 500, load_handler)
    assert len(list(tmp_path.glob("logs/date=*/hour=*/*.parquet"))) == 2

    lake = open_lake(str(tmp_path))
    day_one = PatternFilter(datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC))
    day_two = PatternFilter(datetime(2026, 11, 3, tzinfo=UTC), datetime(2026, 11, 4, tzinfo=UTC))
    first = list_patterns(lake, day_one)
    second = list_patterns(lake, day_two)
    id_column = first.columns.index("pattern_id")
    assert len(first.rows) == 2
    assert sorted(row[id_column] for row in first.rows) == sorted(
        row[id_column] for row in second.rows
    )


def test_list_patterns_columns_and_errors_only(tmp_path: Path, load_handler) -> None:  # type: ignore[no-untyped-def]
    messages = [
        "[ERROR]\t2026-11-02T08:00:00.100Z\t8f5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\tboom 1",
        "[INFO]\t2026-11-02T08:00:00.200Z\t8f5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\tfine 2",
        "[ERROR]\t2026-11-02T08:00:00.300Z\t7e5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f\tboom 3",
    ]
    _ingest(tmp_path, messages, _epoch_ms(datetime(2026, 11, 2, 8, tzinfo=UTC)), 100, load_handler)
    lake = open_lake(str(tmp_path))
    selection = PatternFilter(
        datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC), errors_only=True
    )
    result = list_patterns(lake, selection)
    assert result.columns == [
        "pattern_id", "count", "first_seen", "last_seen", "functions",
        "sample_request_id", "sample", "template",
    ]  # fmt: skip
    assert len(result.rows) == 1
    row = dict(zip(result.columns, result.rows[0], strict=True))
    assert row["count"] == 2
    assert row["functions"] == ["orders-api"]
    assert row["sample_request_id"] == "8f5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f"
    assert row["template"] == "[ERROR] <TIMESTAMP> <UUID> boom <NUM>"
    assert row["first_seen"] < row["last_seen"]


FAILED = "8f5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f"
TIMED_OUT = "7e5b4c2e-1a2b-4c3d-9e8f-0a1b2c3d4e5f"
FAILURES = [
    f"START RequestId: {FAILED} Version: $LATEST\n",
    f"[ERROR]\t2026-11-02T08:00:00.100Z\t{FAILED}\tboom 1\n",
    f"END RequestId: {FAILED}\n",
    f"REPORT RequestId: {FAILED}\tDuration: 12.00 ms\tBilled Duration: 12 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 50 MB\tStatus: error\n",
    f"START RequestId: {TIMED_OUT} Version: $LATEST\n",
    f"END RequestId: {TIMED_OUT}\n",
    f"REPORT RequestId: {TIMED_OUT}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout\n",
]


def test_errors_only_adds_lone_failed_reports(tmp_path: Path, load_handler) -> None:  # type: ignore[no-untyped-def]
    _ingest(tmp_path, FAILURES, _epoch_ms(datetime(2026, 11, 2, 8, tzinfo=UTC)), 100, load_handler)
    lake = open_lake(str(tmp_path))
    day = (datetime(2026, 11, 2, tzinfo=UTC), datetime(2026, 11, 3, tzinfo=UTC))

    with_reports = list_patterns(lake, PatternFilter(*day, errors_only=True, failed_reports=True))
    rows = [dict(zip(with_reports.columns, row, strict=True)) for row in with_reports.rows]
    by_request = {row["sample_request_id"]: row for row in rows}
    # The failure with an error line counts once, by that line; the timeout by its REPORT.
    assert set(by_request) == {FAILED, TIMED_OUT}
    assert by_request[FAILED]["template"] == "[ERROR] <TIMESTAMP> <UUID> boom <NUM>"
    assert by_request[TIMED_OUT]["template"] == (
        "REPORT RequestId: <UUID> Duration: <DURATION> Billed Duration: <DURATION> "
        "Memory Size: <SIZE> Max Memory Used: <SIZE> Status: timeout"
    )
    assert by_request[TIMED_OUT]["count"] == 1

    without = list_patterns(lake, PatternFilter(*day, errors_only=True))
    assert [row[without.columns.index("sample_request_id")] for row in without.rows] == [FAILED]
