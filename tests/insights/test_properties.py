"""Properties of the Insights compiler on arbitrary text and on random grammar-shaped queries.

Whatever the text, ``compile_query`` returns a ``CompiledQuery`` or raises ``InsightsError``
with a position inside the text, and never any other exception. A query built from the
language's real commands, fields, functions and literals that compiles must compile to
exactly one SELECT that DuckDB parses and binds over the lake's views.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import duckdb
import orjson
import pytest
import sqlglot
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from loglake.analytics.insights import (
    ATHENA,
    DUCKDB,
    CompiledQuery,
    Dialect,
    InsightsError,
    compile_query,
)
from loglake.analytics.lake import Lake, open_lake

HYPOTHESIS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Checks


def compile_or_error(text: str, dialect: Dialect = DUCKDB) -> CompiledQuery | None:
    """Compile text, or check the position of its ``InsightsError`` and return None.

    Any other exception propagates and fails the test.
    """
    try:
        return compile_query(text, dialect=dialect)
    except InsightsError as error:
        assert_position_inside(error, text)
        return None


def assert_position_inside(error: InsightsError, text: str) -> None:
    """Assert that the error points at a line and column of the text, at most one past it."""
    position = error.position
    assert position is not None, f"no position for: {error.message}"
    lines = text.split("\n")
    assert 1 <= position.line <= len(lines), f"line {position.line} of {len(lines)}"
    line = lines[position.line - 1]
    assert 1 <= position.column <= len(line) + 1, f"column {position.column} of {len(line)}"
    line_start = sum(len(earlier) + 1 for earlier in lines[: position.line - 1])
    assert position.offset == line_start + position.column - 1
    assert position.length >= 1
    assert str(error)


@functools.cache
def parser_connection() -> duckdb.DuckDBPyConnection:
    """Return an in-memory connection used only to parse SQL."""
    return duckdb.connect()


def assert_one_select(sql: str) -> None:
    """Assert that DuckDB parses the SQL as exactly one SELECT and can serialise it."""
    connection = parser_connection()
    statements = connection.extract_statements(sql)
    assert len(statements) == 1, f"{len(statements)} statements in:\n{sql}"
    assert statements[0].type == duckdb.StatementType.SELECT, sql
    serialized = connection.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
    assert serialized is not None
    assert orjson.loads(serialized[0])["error"] is False, sql


# Property 1: arbitrary text

FRAGMENTS = (
    "fields",
    "display",
    "filter",
    "where",
    "stats",
    "by",
    "sort",
    "desc",
    "limit",
    "parse",
    "dedup",
    "pattern",
    "unmask",
    "SOURCE",
    "logGroups(namePrefix: [",
    "as",
    "and",
    "or",
    "not",
    "like",
    "in",
    "@message",
    "@timestamp",
    "@duration",
    "eventId",
    "a.b",
    "count(*)",
    "bin(",
    "5m",
    "pct(",
    "concat(",
    "$x",
    " ",
    "\n",
    "\t",
    "|",
    ",",
    "(",
    ")",
    "[",
    "]",
    "=",
    "=~",
    "!=",
    "<=",
    "-",
    "+",
    "*",
    "/",
    "%",
    "^",
    ":",
    '"',
    "'",
    "`",
    "\\",
    "#",
    "@",
    ".",
    "0",
    "42",
    "1.5",
    "1e3",
    "\x00",
    "\r",
    "é",
    "²",
    "\u0661",
    "\u2028",
    "\U0001f600",
)

query_like_text = st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join)


def nested(opening: str, inner: str, closing: str) -> Callable[[int], str]:
    """Return a builder of ``opening * n + inner + closing * n``."""
    return lambda depth: "fields " + opening * depth + inner + closing * depth


deep_text = st.one_of(
    st.integers(1, 400).map(nested("(", "1", ")")),
    st.integers(1, 400).map(nested("abs(", "1", ")")),
    st.integers(1, 400).map(nested("[", "1", "]")),
    st.integers(1, 400).map(nested("- ", "@duration", "")),
    st.integers(1, 400).map(nested("not ", "x", "")),
    st.integers(1, 400).map(nested("2 ^ ", "2", "")),
    st.integers(1, 300).map(lambda terms: "fields " + " + ".join(["1"] * terms)),
    st.integers(1, 300).map(lambda terms: "filter " + " or ".join(["a = 1"] * terms)),
    st.integers(1, 500).map(lambda commands: " | ".join(["filter a = 1 | limit 5"] * commands)),
)


@HYPOTHESIS
@given(st.one_of(st.text(), query_like_text, deep_text))
@example("fields ²")
@example("fields @message | filter @message like /a\x00b/")
@example("fields " + " + ".join(["1"] * 1000))
@example("filter " + " and ".join(["a = 1"] * 500))
def test_arbitrary_text_compiles_or_raises(text: str) -> None:
    compiled = compile_or_error(text)
    event("compiled" if compiled else "rejected")


@pytest.mark.parametrize("length", [100_000, 100_001, 250_000])
def test_long_text_compiles_or_raises(length: int) -> None:
    # Hypothesis rarely draws text this long, and a failure would print all of it.
    text = "fields @message | " + "filter @message like 'x' | " * (length // 27)
    text = text[:length]
    try:
        compile_or_error(text)
    except AssertionError as error:
        raise AssertionError(str(error)[:500]) from None


# Property 2: grammar-shaped queries

SYSTEM_FIELDS = (
    "@timestamp",
    "@ingestionTime",
    "@message",
    "@logStream",
    "@log",
    "@requestId",
    "@type",
    "@duration",
    "@billedDuration",
    "@initDuration",
    "@maxMemoryUsed",
    "@memorySize",
    "@xrayTraceId",
    "@xraySegmentId",
    "@level",
    "@function",
    "@version",
    "@coldStart",
    "@status",
    "@errorType",
    "@traceId",
)
STRUCTURED_FIELDS = (
    "eventId",
    "msg",
    "level",
    "record.metrics.durationMs",
    "user.id",
    "items.0.sku",
    "`http-status`",
    "`a b`.c",
    "detail.`user.id`",
)
ALIASES = ("a", "b", "total", "p99", "`odd name`", '`x"y`', "`it's`")
NUMBER_FUNCTIONS = ("abs", "ceil", "floor", "log", "sqrt", "round", "toNumber", "toInt", "strlen")
TEXT_FUNCTIONS = (
    "toupper",
    "tolower",
    "trim",
    "ltrim",
    "rtrim",
    "base64encode",
    "base64decode",
    "urlencode",
    "urldecode",
    "md5",
    "sha256",
    "hexToDec",
    "decToHex",
    "messageSize",
)
TEST_FUNCTIONS = (
    "ispresent",
    "isempty",
    "isblank",
    "isValidIp",
    "isValidIpV4",
    "isPrivateIP",
    "isPublicIP",
    "isNumeric",
)
PAIR_FUNCTIONS = (
    "concat",
    "coalesce",
    "greatest",
    "least",
    "strcontains",
    "startsWith",
    "endsWith",
    "isIpInSubnet",
)
AGGREGATES = (
    "avg",
    "sum",
    "min",
    "max",
    "stddev",
    "median",
    "count",
    "count_distinct",
    "earliest",
    "latest",
    "sortsFirst",
    "sortsLast",
)
PERIODS = ("100ms", "30s", "300s", "5m", "1h", "1d", "1w", "1mo", "1q", "1y")
REGEXES = ("/ERROR/", "/(?i)timed out/", r"/\d+ ms/", r"/a\/b/", "/^START/", r"/(?<code>\d{3})/")
COMPARISONS = ("=", "==", "!=", "<", "<=", ">", ">=")
ARITHMETIC = ("+", "-", "*", "/", "%", "^")


def quoted(text: str, double: bool) -> str:
    """Return text as an Insights string literal, escaped as the lexer expects."""
    text = text.replace("\\", "\\\\")
    if double:
        return '"' + text.replace('"', '\\"') + '"'
    return "'" + text.replace("'", "''") + "'"


plain_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00\n"), max_size=12)
strings = st.builds(quoted, plain_text, st.booleans())
numbers = st.one_of(
    st.integers(0, 10**6).map(str),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False).map(lambda value: f"{value:.2f}"),
)
fields = st.sampled_from(SYSTEM_FIELDS + STRUCTURED_FIELDS)
periods = st.sampled_from(PERIODS)
regexes = st.sampled_from(REGEXES)
aliases = st.sampled_from(ALIASES)


def call(name: str, *arguments: str) -> str:
    return f"{name}({', '.join(arguments)})"


def extend_expressions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Return expressions one level above their children."""
    return st.one_of(
        st.builds(
            lambda a, op, b: f"{a} {op} {b}", children, st.sampled_from(ARITHMETIC), children
        ),
        children.map(lambda inner: f"({inner})"),
        children.map(lambda inner: f"-{inner}"),
        st.builds(call, st.sampled_from(NUMBER_FUNCTIONS + TEXT_FUNCTIONS), children),
        st.builds(call, st.sampled_from(TEST_FUNCTIONS), children),
        st.builds(call, st.sampled_from(PAIR_FUNCTIONS), children, children),
        st.builds(lambda a, b, c: call("replace", a, b, c), children, strings, strings),
        st.builds(lambda a, b: call("substr", a, b), children, numbers),
        st.builds(lambda a, b: call("round", a, b), children, st.integers(0, 4).map(str)),
        st.builds(lambda a, b: call("regexReplace", a, b, '"-"'), children, regexes),
        st.builds(lambda a, b, c: call("if", f"{a} > {b}", a, c), children, numbers, children),
        st.builds(lambda period: call("bin", period), periods),
        st.builds(lambda period: call("datefloor", "@timestamp", period), periods),
        st.builds(lambda period: call("dateceil", "@timestamp", period), periods),
        children.map(lambda inner: call("fromMillis", inner)),
        st.just(call("toMillis", "@timestamp")),
        st.just(call("formatDate", "@timestamp", '"%Y-%m-%d %H:%M"')),
        st.just(call("now")),
    )


expressions = st.recursive(st.one_of(fields, numbers, strings), extend_expressions, max_leaves=6)


def extend_conditions(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        children.map(lambda inner: f"not {inner}"),
        children.map(lambda inner: f"({inner})"),
        st.builds(
            lambda a, op, b: f"{a} {op} {b}", children, st.sampled_from(["and", "or"]), children
        ),
    )


in_lists = st.lists(st.one_of(strings, numbers), min_size=1, max_size=4).map(
    lambda items: "[" + ", ".join(items) + "]"
)
base_conditions = st.one_of(
    st.builds(
        lambda a, op, b: f"{a} {op} {b}", expressions, st.sampled_from(COMPARISONS), expressions
    ),
    st.builds(
        lambda a, op, b: f"{a} {op} {b}",
        expressions,
        st.sampled_from(["like", "not like", "=~"]),
        st.one_of(strings, regexes),
    ),
    st.builds(
        lambda a, op, b: f"{a} {op} {b}", expressions, st.sampled_from(["in", "not in"]), in_lists
    ),
    st.builds(call, st.sampled_from(TEST_FUNCTIONS), fields),
)
conditions = st.recursive(base_conditions, extend_conditions, max_leaves=4)


def item(expression: str, alias: str | None) -> str:
    return expression if alias is None else f"{expression} as {alias}"


items = st.lists(
    st.builds(item, st.one_of(expressions, conditions), st.none() | aliases), min_size=1, max_size=4
).map(", ".join)
aggregate_calls = st.one_of(
    st.sampled_from(["count(*)", "count()"]),
    st.builds(call, st.sampled_from(AGGREGATES), expressions),
    st.builds(
        lambda name, a, percent: call(name, a, str(percent)),
        st.sampled_from(["pct", "percentile"]),
        expressions,
        st.integers(0, 100),
    ),
)
aggregates = st.one_of(
    aggregate_calls,
    st.builds(
        lambda a, op, b: f"{a} {op} {b}",
        aggregate_calls,
        st.sampled_from(ARITHMETIC),
        aggregate_calls,
    ),
)
stats_items = st.lists(st.builds(item, aggregates, st.none() | aliases), min_size=1, max_size=3)
# A later stats item may use the alias of an earlier one.
stats_aggregates = st.builds(
    lambda listed, tail: ", ".join(listed + tail),
    stats_items,
    st.lists(st.sampled_from(["a + b as c", "total / 2 as half", "p99 - a as spread"]), max_size=1),
)
groups = st.lists(
    st.builds(
        item,
        st.one_of(fields, periods.map(lambda period: call("bin", period)), expressions),
        st.none() | aliases,
    ),
    max_size=2,
).map(lambda listed: f" by {', '.join(listed)}" if listed else "")
sort_keys = st.lists(
    st.builds(
        lambda key, order: f"{key}{order}",
        st.one_of(fields, aliases, expressions),
        st.sampled_from(["", " asc", " desc"]),
    ),
    min_size=1,
    max_size=3,
).map(", ".join)


@st.composite
def parse_globs(draw: st.DrawFn) -> str:
    """Draw a ``parse [field] "a*b*c" as p0, p1`` command with one name per ``*``."""
    stars = draw(st.integers(1, 3))
    pieces = draw(st.lists(plain_text, min_size=stars + 1, max_size=stars + 1))
    pattern = "*".join(piece.replace("*", "") for piece in pieces)
    names = ", ".join(f"p{index}" for index in range(stars))
    field = draw(st.sampled_from(["", "@message ", "msg ", "@logStream "]))
    return f"parse {field}{quoted(pattern, draw(st.booleans()))} as {names}"


parse_regexes = st.builds(
    lambda field, regex: f"parse {field}{regex}",
    st.sampled_from(["", "@message ", "msg "]),
    st.sampled_from(
        [
            r"/(?<code>\d+)/",
            r"/user=(?<user>\w+) took (?<took>\d+)/",
            r"/^(?<head>\S+)\s(?P<rest>.*)$/",
            r"/(?i)status:\s*(?<status_text>[a-z]+)/",
        ]
    ),
)
keyword_case = st.sampled_from([str.lower, str.upper, str.title])


def command(keyword: str, body: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Return a command with its keyword in a random case, as Insights ignores keyword case."""
    return st.builds(lambda case, text: f"{case(keyword)} {text}".rstrip(), keyword_case, body)


commands = st.one_of(
    command("fields", items),
    command("display", items),
    command("filter", conditions),
    command("where", conditions),
    st.builds(lambda case, a, g: f"{case('stats')} {a}{g}", keyword_case, stats_aggregates, groups),
    command("sort", sort_keys),
    command("limit", st.integers(1, 20_000).map(str)),
    parse_globs(),
    parse_regexes,
    command("dedup", st.lists(fields, min_size=1, max_size=2).map(", ".join)),
    command("pattern", st.one_of(st.just(""), fields)),
    command("unmask", st.one_of(st.just(""), fields)),
)
sources = st.one_of(
    st.just(""),
    strings.map(lambda group: f"SOURCE {group} | "),
    strings.map(lambda prefix: f"SOURCE logGroups(namePrefix: [{prefix}]) | "),
)
separators = st.sampled_from([" | ", "\n| ", "\n  | ", " # a comment\n| "])


@st.composite
def queries(draw: st.DrawFn) -> str:
    """Draw a pipeline of one to five commands, with an optional SOURCE first."""
    listed: list[str] = draw(st.lists(commands, min_size=1, max_size=5))
    text = listed[0]
    for following in listed[1:]:
        text += draw(separators) + following
    source: str = draw(sources)
    return source + text


@pytest.fixture(scope="module")
def empty_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return open_lake(str(tmp_path_factory.mktemp("empty-lake") / "lake"))


def assert_binds(lake: Lake, sql: str) -> None:
    """Assert that DuckDB binds and runs the SQL over the lake's (empty) views."""
    lake.connection.execute(sql).fetchall()


@HYPOTHESIS
@given(queries())
@example("parse @message /(?<status>\\d+)/ | fields status")
@example('parse @message "took * ms" as took | stats avg(took) as mean by bin(5m)')
@example("stats count(*) as n by @log | sort n desc | limit 5")
@example('filter @type = "REPORT" | stats max(@memorySize / 1000 / 1000) as provisioned by @log')
@example("stats count(*) as n by @type as n")
@example('fields @message | sort "x"')
@example("fields @message, @type | sort 0 desc")
@example("pattern | sort 0 desc")
def test_grammar_queries_compile_to_one_select(empty_lake: Lake, text: str) -> None:
    compiled = compile_or_error(text)
    event("compiled" if compiled else "rejected")
    if compiled is None:
        return
    assert_one_select(compiled.sql)
    assert_one_select(compiled.probe_sql)
    assert_binds(empty_lake, compiled.probe_sql)


@HYPOTHESIS
@given(queries())
@example("parse @message /(?<status>\\d+)/ | fields status | dedup status")
@example("filter @message like /(?<a>x)/ | stats pct(@duration, 50), pct(@duration, 90) by bin(1w)")
def test_grammar_queries_compile_to_trino_syntax(text: str) -> None:
    compiled = compile_or_error(text, ATHENA)
    event("compiled" if compiled else "rejected")
    if compiled is None:
        return
    statement = sqlglot.parse_one(compiled.probe_sql, read="trino")
    assert isinstance(statement, sqlglot.exp.Query)
    assert "(?P<" not in compiled.probe_sql
    assert "QUALIFY" not in compiled.probe_sql
