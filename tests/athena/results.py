"""Build Athena GetQueryResults pieces as the API returns them: every cell is text."""

from __future__ import annotations

from typing import Any


def column(name: str, athena_type: str, **extra: Any) -> dict[str, Any]:
    """Return one ColumnInfo; ``extra`` adds fields such as Precision and Scale."""
    return {
        "CatalogName": "hive",
        "SchemaName": "",
        "TableName": "",
        "Name": name,
        "Label": name,
        "Type": athena_type,
        "Nullable": "UNKNOWN",
        "CaseSensitive": athena_type == "varchar",
        **extra,
    }


def row(*cells: str | None) -> dict[str, Any]:
    """Return one result row; None is a NULL, a Datum without VarCharValue."""
    return {"Data": [{} if cell is None else {"VarCharValue": cell} for cell in cells]}


def header(columns: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the row of column labels that Athena puts first in a SELECT's result."""
    return row(*(info["Name"] for info in columns))


def execution(
    query_id: str,
    state: str,
    *,
    statement_type: str = "DML",
    scanned_bytes: int = 0,
    engine_ms: int = 0,
    **status: Any,
) -> dict[str, Any]:
    """Return a GetQueryExecution response for a query in ``state``."""
    return {
        "QueryExecution": {
            "QueryExecutionId": query_id,
            "Query": "SELECT 1",
            "StatementType": statement_type,
            "Status": {"State": state, **status},
            "Statistics": {
                "DataScannedInBytes": scanned_bytes,
                "EngineExecutionTimeInMillis": engine_ms,
            },
            "WorkGroup": "primary",
        }
    }
