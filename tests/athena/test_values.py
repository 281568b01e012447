"""Conversion of Athena's text cells to Python values and DuckDB type names."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any
from uuid import UUID

import duckdb
import orjson
import pytest

from loglake.analytics.athena.values import base_type, column_reader, read_cell, read_row
from loglake.analytics.output import to_csv, to_json
from loglake.analytics.sql import QueryResult
from tests.athena.results import column, row

CASES: list[tuple[dict[str, Any], str, Any, str]] = [
    (column("b", "boolean"), "true", True, "BOOLEAN"),
    (column("b", "boolean"), "false", False, "BOOLEAN"),
    (column("t", "tinyint"), "-7", -7, "TINYINT"),
    (column("s", "smallint"), "300", 300, "SMALLINT"),
    (column("i", "integer"), "70000", 70000, "INTEGER"),
    (column("n", "bigint"), "9007199254740993", 9007199254740993, "BIGINT"),
    (column("d", "double"), "1.5E10", 1.5e10, "DOUBLE"),
    (column("r", "real"), "0.25", 0.25, "FLOAT"),
    (column("f", "float"), "0.5", 0.5, "FLOAT"),
    (column("m", "decimal", Precision=10, Scale=2), "12.50", Decimal("12.50"), "DECIMAL(10,2)"),
    (column("v", "varchar"), "a [b] \x1b", "a [b] \x1b", "VARCHAR"),
    (column("c", "char"), "ab ", "ab ", "VARCHAR"),
    (column("day", "date"), "2024-05-01", date(2024, 5, 1), "DATE"),
    (column("clock", "time"), "12:30:01.250", time(12, 30, 1, 250000), "TIME"),
    (
        column("ts", "timestamp"),
        "2024-05-01 12:00:00.123",
        datetime(2024, 5, 1, 12, 0, 0, 123000, tzinfo=UTC),
        "TIMESTAMP WITH TIME ZONE",
    ),
    (
        column("tz", "timestamp with time zone"),
        "2024-05-01 12:00:00.000 UTC",
        datetime(2024, 5, 1, 12, tzinfo=UTC),
        "TIMESTAMP WITH TIME ZONE",
    ),
    (
        column("tz", "timestamp with time zone"),
        "2024-05-01 14:00:00.000 Europe/Berlin",
        datetime(2024, 5, 1, 12, tzinfo=UTC),
        "TIMESTAMP WITH TIME ZONE",
    ),
    (
        column("tz", "timestamp with time zone"),
        "2024-05-01 05:00:00.000 -07:00",
        datetime(2024, 5, 1, 12, tzinfo=UTC),
        "TIMESTAMP WITH TIME ZONE",
    ),
    (column("j", "json"), '{"a":[1,2.5,"x"],"b":null}', {"a": [1, 2.5, "x"], "b": None}, "JSON"),
    (column("j", "json"), "true", 1, "JSON"),
    (column("j", "json"), '"text"', "text", "JSON"),
    (column("bytes", "varbinary"), "68 65 6c 6c 6f", b"hello", "BLOB"),
    (
        column("u", "uuid"),
        "12345678-1234-5678-1234-567812345678",
        UUID("12345678-1234-5678-1234-567812345678"),
        "UUID",
    ),
    (column("a", "array"), "[a, b, c]", "[a, b, c]", "VARCHAR"),
    (column("a", "array(varchar)"), "[a, b]", "[a, b]", "VARCHAR"),
    (column("m", "map"), "{k=1, j=2}", "{k=1, j=2}", "VARCHAR"),
    (column("r", "row"), "{x=1, y=two}", "{x=1, y=two}", "VARCHAR"),
    (column("i", "interval day to second"), "1 02:03:04.000", "1 02:03:04.000", "VARCHAR"),
    (column("ip", "ipaddress"), "10.0.0.1", "10.0.0.1", "VARCHAR"),
]


@pytest.mark.parametrize(
    ("info", "text", "expected", "duckdb_type"),
    CASES,
    ids=[f"{case[0]['Type']}:{case[1]}" for case in CASES],
)
def test_cell_converts_by_type(
    info: dict[str, Any], text: str, expected: Any, duckdb_type: str
) -> None:
    reader = column_reader(info)
    value = read_cell(reader, {"VarCharValue": text})
    assert value == expected
    assert type(value) is type(expected)
    assert reader.duckdb_type == duckdb_type


@pytest.mark.parametrize("info", [case[0] for case in CASES], ids=[c[0]["Type"] for c in CASES])
def test_datum_without_value_is_null(info: dict[str, Any]) -> None:
    assert read_cell(column_reader(info), {}) is None


def test_empty_text_is_null_except_for_text_columns() -> None:
    assert read_cell(column_reader(column("n", "bigint")), {"VarCharValue": ""}) is None
    assert read_cell(column_reader(column("v", "varchar")), {"VarCharValue": ""}) == ""


def test_timestamp_keeps_microseconds_of_longer_fractions() -> None:
    reader = column_reader(column("ts", "timestamp(9)"))
    value = read_cell(reader, {"VarCharValue": "2024-05-01 12:00:00.123456789"})
    assert value == datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)
    assert reader.duckdb_type == "TIMESTAMP WITH TIME ZONE"


@pytest.mark.parametrize(
    ("athena_type", "expected"),
    [
        ("varchar(10)", "varchar"),
        ("DECIMAL(38,9)", "decimal"),
        ("timestamp(3) with time zone", "timestamp with time zone"),
        ("time with time zone", "time with time zone"),
        ("array(row(a integer, b varchar))", "array"),
        (" bigint ", "bigint"),
    ],
)
def test_base_type_drops_parameters(athena_type: str, expected: str) -> None:
    assert base_type(athena_type) == expected


def test_decimal_without_precision_is_plain_decimal() -> None:
    assert column_reader(column("m", "decimal")).duckdb_type == "DECIMAL"


@pytest.mark.parametrize(
    ("athena_type", "text"),
    [
        ("bigint", "12x"),
        ("boolean", "yes"),
        ("timestamp", "yesterday"),
        ("timestamp with time zone", "2024-05-01 12:00:00.000 Mars/Olympus"),
        ("json", "{not json"),
        ("decimal", "1.2.3"),
    ],
)
def test_invalid_text_names_column_and_value(athena_type: str, text: str) -> None:
    readers = [column_reader(column("bad_column", athena_type))]
    with pytest.raises(ValueError, match="bad_column") as raised:
        read_row(readers, row(text)["Data"])
    assert repr(text) in str(raised.value)


def test_row_with_wrong_cell_count_is_rejected() -> None:
    readers = [column_reader(column("a", "bigint"))]
    with pytest.raises(ValueError, match="2 cells for 1 columns"):
        read_row(readers, row("1", "2")["Data"])


def test_output_matches_duckdb_for_same_values() -> None:
    """Athena's converted row prints as JSON and CSV exactly as DuckDB's row of the same values."""
    columns = [
        column("n", "bigint"),
        column("i", "integer"),
        column("d", "double"),
        column("b", "boolean"),
        column("v", "varchar"),
        column("day", "date"),
        column("ts", "timestamp"),
        column("m", "decimal", Precision=10, Scale=2),
        column("j", "json"),
    ]
    readers = [column_reader(info) for info in columns]
    cells = ["42", "7", "1.5", "true", "x", "2024-05-01", "2024-05-01 12:00:00.123", "12.50"]
    athena = QueryResult(
        columns=[reader.name for reader in readers],
        types=[reader.duckdb_type for reader in readers],
        rows=[read_row(readers, row(*cells, '{"a":1}')["Data"])],
    )

    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    cursor = connection.execute(
        "SELECT 42::BIGINT AS n, 7::INTEGER AS i, 1.5::DOUBLE AS d, true AS b, 'x' AS v, "
        "DATE '2024-05-01' AS day, TIMESTAMPTZ '2024-05-01 12:00:00.123+00' AS ts, "
        "12.50::DECIMAL(10,2) AS m, '{\"a\":1}'::JSON AS j"
    )
    duckdb_row = list(cursor.fetchall()[0])
    duckdb_row[-1] = orjson.loads(duckdb_row[-1])  # as run_insights decodes JSON columns
    reference = QueryResult(
        columns=[column[0] for column in cursor.description or []],
        types=[str(column[1]) for column in cursor.description or []],
        rows=[tuple(duckdb_row)],
    )

    assert athena.types == reference.types
    assert athena.rows == reference.rows
    assert to_json(athena) == to_json(reference)
    assert to_csv(athena) == to_csv(reference)
    assert '"ts": "2024-05-01T12:00:00.123Z"' in to_json(athena)
