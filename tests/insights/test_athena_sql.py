"""The Athena dialect: the SQL of every saved query, held in golden files, and its syntax.

Each saved query's Athena SQL is kept in ``athena_sql/NAME.sql`` and compared exactly, so a
change to the generator shows up as a reviewable diff. Set ``LOGLAKE_UPDATE_GOLDEN=1`` to
rewrite the files after a deliberate change. sqlglot's Trino parser checks that every
statement is well-formed Trino SQL; no Athena is reachable from the tests.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlglot

from loglake.analytics.insights import ATHENA, InsightsError, QueryScope, compile_query
from loglake.analytics.insights.functions import FUNCTIONS
from loglake.analytics.insights.regexes import group_numbers, plain_groups
from loglake.analytics.saved_queries import ParameterValue, SavedQuery, load_saved_queries

GOLDEN = Path(__file__).parent / "athena_sql"
SCOPE = QueryScope(
    start=datetime(2026, 12, 1, 6, 30, tzinfo=UTC),
    end=datetime(2026, 12, 2, 6, 30, tzinfo=UTC),
    now=datetime(2026, 12, 2, 6, 30, tzinfo=UTC),
)
SAMPLE_VALUES: dict[str, ParameterValue] = {
    "request_id": "8f5c9a1e-0d7b-4c34-9d61-1f0f7a2b6c10",
    "trace_id": "1-6753a2f0-0123456789abcdef01234567",
    "event_id": "abc123",
}
SAVED = load_saved_queries()


def _parameters(saved: SavedQuery) -> dict[str, ParameterValue]:
    values: dict[str, ParameterValue] = {}
    for parameter in saved.parameters:
        value = parameter.default if parameter.default is not None else None
        values[parameter.name] = SAMPLE_VALUES[parameter.name] if value is None else value
    return values


def _parses_as_trino(sql: str) -> None:
    sqlglot.parse_one(sql, read="trino", error_level=sqlglot.ErrorLevel.RAISE)


@pytest.mark.parametrize("name", sorted(SAVED))
def test_saved_query_athena_sql(name: str) -> None:
    saved = SAVED[name]
    sql = compile_query(saved.query, SCOPE, _parameters(saved), dialect=ATHENA).sql + "\n"
    path = GOLDEN / f"{name}.sql"
    if os.environ.get("LOGLAKE_UPDATE_GOLDEN") == "1":
        path.write_text(sql)
    assert path.exists(), f"no golden file {path.name}: run with LOGLAKE_UPDATE_GOLDEN=1"
    assert sql == path.read_text()
    _parses_as_trino(sql)


def test_every_golden_file_has_a_saved_query() -> None:
    assert sorted(path.stem for path in GOLDEN.glob("*.sql")) == sorted(SAVED)


def test_event_copies_filtered_then_deduplicated() -> None:
    sql = compile_query('filter @requestId = "r1" | stats count(*)', SCOPE, dialect=ATHENA).sql
    events = (
        "FROM (SELECT * FROM (SELECT src.*, row_number() OVER (PARTITION BY src.log_group, "
        "src.log_stream, src.event_id ORDER BY src.request_id IS NULL, src.ingestion_time) "
        "AS _copy FROM logs AS src WHERE "
    )
    assert events in sql
    # The request ID filter runs before the window, so the window reads only its rows.
    inner = sql[sql.index(events) : sql.index("WHERE _copy = 1")]
    assert "(src.request_id = 'r1')" in inner
    assert "src.date >= '2026-12-01'" in inner
    assert "src.timestamp >= TIMESTAMP '2026-12-01 06:30:00.000'" in inner


def test_dedup_reads_a_window_column_instead_of_qualify() -> None:
    sql = compile_query("fields @requestId | dedup @requestId | limit 5", dialect=ATHENA).sql
    assert "QUALIFY" not in sql
    assert "AS _keep FROM" in sql
    assert "WHERE src._keep" in sql
    _parses_as_trino(sql)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            "stats count(*) by bin(5m)",
            "from_unixtime(floor(to_unixtime(src.timestamp) / 300) * 300)",
        ),
        (
            # Weeks start on Monday, 1970-01-05, 345,600 s after the epoch.
            "stats count(*) by bin(1w)",
            "from_unixtime(floor((to_unixtime(src.timestamp) - 345600) / 604800) * 604800"
            " + 345600)",
        ),
        ("fields datefloor(@timestamp, 1mo) as m", "date_add('month', "),
        ("fields dateceil(@timestamp, 1h) as m", "date_add('hour', 1, "),
        ('filter @message like "timeout"', "(strpos(src.message, 'timeout') > 0)"),
        ("filter @message like /time(d)?out/", "regexp_like(src.message, 'time(d)?out')"),
        # Java's regex syntax has no (?P<name>: named groups become plain groups.
        ("filter @message like /(?<word>time)out/", "regexp_like(src.message, '(time)out')"),
        (
            'fields regexReplace(@message, /(?<n>\\d+)/, "N") as m',
            "regexp_replace(src.message, '(\\d+)', 'N')",
        ),
        ("stats pct(@duration, 95)", "approx_percentile(src.duration_ms, 0.95e0)"),
        ("stats latest(@requestId)", "max_by(src.request_id, src.timestamp)"),
        ("fields user.id as u", """json_extract(src.fields, '$["user"]["id"]')"""),
        ("fields items.0 as first", """json_extract(src.fields, '$["items"][0]')"""),
        ('fields formatDate(@timestamp, "%Y-%m-%d %H:%M") as d', "'%Y-%m-%d %H:%i'"),
        ("stats count(*) / 2 as half", "(CAST(count(*) AS DOUBLE) / CAST(2 AS BIGINT))"),
        # Trino writes doubles as text in scientific notation.
        (
            'fields concat("d=", @duration) as d',
            "regexp_replace(format('%.10f', CAST(src.duration_ms AS DOUBLE)), '\\.?0+$', '')",
        ),
        # RE2's \1 is Java's $1, and a literal $ needs an escape in Java.
        ('fields regexReplace(@message, /(Request)Id/, "\\1 $x") as m', "'$1 \\$x'"),
        ("fields urlencode(@message) as u", "replace(url_encode(src.message), '+', '%20')"),
        (
            "fields toMillis(@timestamp) as t",
            "CAST(round(to_unixtime(src.timestamp) * 1000) AS BIGINT)",
        ),
        # Trino cannot sort JSON: grouped rows sort by the value's number, then its text.
        ("stats count(*) by level", "json_format(json_extract(src.fields, '$[\"level\"]')) ASC"),
        (
            "stats count(*) as n by level | sort level desc",
            "TRY_CAST(json_extract(src.fields, '$[\"level\"]') AS DOUBLE) DESC",
        ),
        ("filter @message like /out$/", "regexp_like(src.message, 'out\\n?$')"),
    ],
)
def test_athena_forms(query: str, expected: str) -> None:
    sql = compile_query(query, dialect=ATHENA).sql
    assert expected in sql
    _parses_as_trino(sql)


def test_parse_captures_by_group_number() -> None:
    sql = compile_query(
        r"parse @message /(\d+) (?<user>\w+) (?:x|y) (?<action>[a-z]+)/ | display user, action",
        dialect=ATHENA,
    ).sql
    assert r"regexp_extract(src.message, '(\d+) (\w+) (?:x|y) ([a-z]+)', 2)" in sql
    assert r"regexp_extract(src.message, '(\d+) (\w+) (?:x|y) ([a-z]+)', 3)" in sql


@pytest.mark.parametrize(
    ("regex", "numbers"),
    [
        ("(?P<g1>a)(?P<g2>b)", [1, 2]),
        (r"(\d)(?P<g1>a)", [2]),
        (r"\((?P<g1>a)", [1]),
        ("[(](?P<g1>a)", [1]),
        ("[]()](?P<g1>a)", [1]),
        (r"\Q(\E(?P<g1>a)", [1]),
        ("(?:x)(?i)(?P<g1>a)", [1]),
        ("((?P<g1>a))", [2]),
    ],
)
def test_group_numbers(regex: str, numbers: list[int]) -> None:
    assert group_numbers(regex) == numbers
    assert "(?P<" not in plain_groups(regex)


def test_unaddressable_json_key_rejected() -> None:
    with pytest.raises(InsightsError, match="cannot name the key"):
        compile_query('fields `a"b` as x', dialect=ATHENA)


def test_format_date_needs_a_literal_format_on_athena() -> None:
    with pytest.raises(InsightsError, match="must be a string literal"):
        compile_query("fields formatDate(@timestamp, fmt) as d", dialect=ATHENA)
    with pytest.raises(InsightsError, match="does not support '%Z'"):
        compile_query('fields formatDate(@timestamp, "%Z") as d', dialect=ATHENA)


_ARGUMENTS = {
    "bin": "5m",
    "datefloor": "@timestamp, 1h",
    "dateceil": "@timestamp, 1d",
    "formatdate": '@timestamp, "%Y"',
    "strftime": '@timestamp, "%Y"',
    "pct": "@duration, 90",
    "percentile": "@duration, 90",
    "haversine": "1, 2, 3, 4",
    "replace": '@message, "a", "b"',
    "regexreplace": '@message, /a+/, "b"',
    "substr": "@message, 1, 2",
    "strcontains": '@message, "a", true',
    "split": '@message, ","',
    "startswith": '@message, "a"',
    "endswith": '@message, "a"',
    "isipinsubnet": 'ip, "10.0.0.0/8"',
    "isipv4insubnet": 'ip, "10.0.0.0/8"',
    "isipv6insubnet": 'ip, "fe80::/10"',
    "if": "@duration > 1, 1, 0",
    "case": "@duration > 1, 1, 0",
    "concat": '@message, "a"',
    "round": "@duration, 1",
    "greatest": "@duration, 1",
    "least": "@duration, 1",
    "coalesce": "@requestId, 1",
}
_NO_ARGUMENTS = {"now", "querystarttime", "queryendtime", "querytimerange", "count"}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_compiles_to_trino_syntax(name: str) -> None:
    function = FUNCTIONS[name]
    arguments = "" if name in _NO_ARGUMENTS else _ARGUMENTS.get(name, "@message")
    call = f"{name}({arguments})"
    query = f"stats {call} as v" if function.aggregate else f"fields {call} as v"
    _parses_as_trino(compile_query(query, dialect=ATHENA).sql)
