"""The errors page: top error types and message patterns, each with a trend, and sample lines.

Error lines are those :data:`loglake.analytics.patterns.ERROR_LINES_SQL` selects: ERROR and
FATAL records, lines with an exception type, and platform lines of failed invocations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from loglake.analytics.dashboard_data.selection import Selection, bucket_sql, result_from_dicts
from loglake.analytics.lake import Lake
from loglake.analytics.patterns import (
    ERROR_LINES_SQL,
    PatternFilter,
    list_patterns,
    pattern_id_sql,
    pattern_template_sql,
)
from loglake.analytics.sql import QueryResult, run_select

ERROR_TYPE_COLUMNS = [
    "error type",
    "lines",
    "requests",
    "functions",
    "first seen",
    "last seen",
    "trend",
]
PATTERN_COLUMNS = [
    "pattern",
    "lines",
    "functions",
    "first seen",
    "last seen",
    "template",
    "sample",
    "trend",
]
SAMPLE_COLUMNS = ["timestamp", "function", "request ID", "level", "error type", "message"]
DEFAULT_PATTERNS = 25
DEFAULT_SAMPLES = 20


def error_types(lake: Lake, selection: Selection) -> QueryResult:
    """Return each error type with its line and request counts, most lines first.

    ``trend`` lists the lines per bucket of :meth:`Selection.bucket_starts`, zeros included.
    """
    condition, parameters = selection.where()
    where = f"{condition} AND {ERROR_LINES_SQL} AND error_type IS NOT NULL"
    summary = run_select(
        lake,
        f"""
        SELECT error_type, count(*) AS lines, count(DISTINCT request_id) AS requests,
               list(DISTINCT function_name ORDER BY function_name)
                   FILTER (WHERE function_name IS NOT NULL) AS functions,
               min(timestamp) AS first_seen, max(timestamp) AS last_seen
        FROM logs
        WHERE {where}
        GROUP BY error_type
        ORDER BY lines DESC, error_type
        """,
        parameters,
    )
    counts = run_select(
        lake,
        f"""
        SELECT error_type, {bucket_sql(selection)} AS bucket, count(*)
        FROM logs WHERE {where} GROUP BY ALL
        """,
        parameters,
    )
    trends = _trends(selection, counts.rows)
    rows = [
        {
            "error type": error_type,
            "lines": lines,
            "requests": requests,
            "functions": ", ".join(functions or []),
            "first seen": first_seen,
            "last seen": last_seen,
            "trend": trends.get(error_type, []),
        }
        for error_type, lines, requests, functions, first_seen, last_seen in summary.rows
    ]
    return result_from_dicts(ERROR_TYPE_COLUMNS, rows)


def error_patterns(
    lake: Lake, selection: Selection, *, limit: int = DEFAULT_PATTERNS
) -> QueryResult:
    """Return the most frequent message patterns of error lines, each with its trend.

    The patterns and their IDs are those of ``loglake patterns --errors``.
    """
    patterns = list_patterns(
        lake,
        PatternFilter(
            start=selection.start,
            end=selection.end,
            errors_only=True,
            functions=selection.functions,
        ),
        limit=limit,
    )
    found = [dict(zip(patterns.columns, row, strict=True)) for row in patterns.rows]
    if not found:
        return result_from_dicts(PATTERN_COLUMNS, [])

    condition, parameters = selection.where()
    ids = [row["pattern_id"] for row in found]
    counts = run_select(
        lake,
        f"""
        WITH lines AS (
            SELECT {bucket_sql(selection)} AS bucket,
                   {pattern_id_sql(pattern_template_sql("message"))} AS pattern_id
            FROM logs
            WHERE {condition} AND {ERROR_LINES_SQL}
        )
        SELECT pattern_id, bucket, count(*) FROM lines
        WHERE pattern_id IN ({", ".join("?" for _ in ids)})
        GROUP BY ALL
        """,
        [*parameters, *ids],
    )
    trends = _trends(selection, counts.rows)
    rows = [
        {
            "pattern": row["pattern_id"],
            "lines": row["count"],
            "functions": ", ".join(row["functions"] or []),
            "first seen": row["first_seen"],
            "last seen": row["last_seen"],
            "template": row["template"],
            "sample": row["sample"],
            "trend": trends.get(row["pattern_id"], []),
        }
        for row in found
    ]
    return result_from_dicts(PATTERN_COLUMNS, rows)


def error_samples(
    lake: Lake,
    selection: Selection,
    *,
    error_type: str | None = None,
    pattern_id: str | None = None,
    limit: int = DEFAULT_SAMPLES,
) -> QueryResult:
    """Return the latest error lines of one error type or one pattern, with request IDs."""
    if (error_type is None) == (pattern_id is None):
        raise ValueError("name exactly one of error_type and pattern_id")
    condition, parameters = selection.where()
    if error_type is not None:
        match, value = "error_type = ?", error_type
    else:
        match, value = f"{pattern_id_sql(pattern_template_sql('message'))} = ?", str(pattern_id)
    return run_select(
        lake,
        f"""
        SELECT timestamp, function_name AS "function", request_id AS "request ID", level,
               error_type AS "error type", message
        FROM logs
        WHERE {condition} AND {ERROR_LINES_SQL} AND {match}
        ORDER BY timestamp DESC, event_id
        LIMIT {int(limit)}
        """,
        [*parameters, value],
    )


def _trends(selection: Selection, rows: list[tuple[Any, ...]]) -> dict[Any, list[int]]:
    """Pivot ``(key, bucket, count)`` rows into a count per bucket for each key."""
    starts = selection.bucket_starts()
    position = {start: index for index, start in enumerate(starts)}
    trends: dict[Any, list[int]] = defaultdict(lambda: [0] * len(starts))
    for key, bucket, count in rows:
        index = position.get(_utc(bucket))
        if index is not None:
            trends[key][index] += int(count)
    return dict(trends)


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
