"""Query text to the exact SQL it compiles to: the shapes the generator writes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from loglake.analytics.insights import QueryScope, compile_query

GOLDEN = [
    (
        'filter @type = "REPORT" | stats count(*) as invocations by @function',
        """\
SELECT src.function_name AS "@function", count(*) AS "invocations"
FROM logs AS src
WHERE (src.type = 'REPORT')
GROUP BY 1
ORDER BY 1
LIMIT 10000""",
    ),
    (
        'fields @timestamp, @message | filter eventId = "abc123" | sort @timestamp desc',
        """\
SELECT src.timestamp AS "@timestamp", src.message AS "@message"
FROM logs AS src
WHERE (json_extract_string(src.fields, '/eventId') = 'abc123')
ORDER BY src.timestamp DESC NULLS LAST
LIMIT 10000""",
    ),
    (
        'filter @level = "ERROR" | stats count(*) as errors by @function | filter errors > 10',
        """\
WITH step1 AS (
  SELECT src.function_name AS _c1, count(*) AS _c2 FROM logs AS src WHERE (src.level = 'ERROR') \
GROUP BY 1
)
SELECT src._c1 AS "@function", src._c2 AS "errors"
FROM step1 AS src
WHERE (src._c2 > 10)
ORDER BY src._c1 ASC NULLS LAST
LIMIT 10000""",
    ),
    (
        "fields @requestId | dedup @requestId",
        """\
SELECT src.request_id AS "@requestId"
FROM logs AS src
QUALIFY row_number() OVER (PARTITION BY src.request_id ORDER BY src.timestamp DESC) = 1 \
OR src.request_id IS NULL
ORDER BY src.timestamp DESC
LIMIT 10000""",
    ),
    (
        'parse @message "took * ms" as took | display took | limit 5',
        """\
SELECT CASE WHEN contains(src.message, 'took ') AND \
regexp_matches(src.message, '(?s)took (.*?) ms') THEN \
regexp_extract(src.message, '(?s)took (.*?) ms', ['g1'])['g1'] END AS "took"
FROM logs AS src
ORDER BY src.timestamp DESC
LIMIT 5""",
    ),
    (
        "filter user.`id` like /(?i)^u-/ | stats avg(@duration / 1000) as seconds",
        """\
SELECT avg((src.duration_ms / CAST(1000 AS BIGINT))) AS "seconds"
FROM logs AS src
WHERE regexp_matches(coalesce(json_extract_string(src.fields, '/user/id'), \
json_extract_string(src.fields, '/user.id')), '(?i)^u-')
LIMIT 10000""",
    ),
]


@pytest.mark.parametrize(("query", "sql"), GOLDEN)
def test_golden_sql(query: str, sql: str) -> None:
    assert compile_query(query).sql == sql


def test_time_range_reads_only_its_partitions() -> None:
    scope = QueryScope(
        start=datetime(2026, 11, 2, 8, 30, tzinfo=UTC),
        end=datetime(2026, 11, 3, 2, 0, tzinfo=UTC),
        functions=("orders-api",),
    )
    assert compile_query("stats count(*) as n", scope).sql == (
        'SELECT count(*) AS "n"\n'
        "FROM logs AS src\n"
        "WHERE src.timestamp >= TIMESTAMPTZ '2026-11-02 08:30:00.000000+00' "
        "AND src.date >= DATE '2026-11-02' "
        "AND (src.date > DATE '2026-11-02' OR src.hour >= 8) "
        "AND src.timestamp < TIMESTAMPTZ '2026-11-03 02:00:00.000000+00' "
        "AND src.date <= DATE '2026-11-03' "
        "AND (src.date < DATE '2026-11-03' OR src.hour <= 1) "
        "AND src.function_name IN ('orders-api')\n"
        "LIMIT 10000"
    )


def test_probe_asks_for_one_more_row() -> None:
    compiled = compile_query("fields @message", row_limit=50)
    assert compiled.sql.endswith("LIMIT 50")
    assert compiled.probe_sql.endswith("LIMIT 51")
    assert not compiled.limited_by_query
