"""Injection attempts through every place an Insights query carries text.

Each attempt either fails to compile with ``InsightsError`` or compiles to one SELECT in
which the hostile text sits only inside quoted SQL string literals and identifiers. Every
attempt that compiles then runs over a small lake twice: through ``run_insights`` on the
sandboxed connection, and on a plain DuckDB connection with the same ``logs`` view, which
tests the compiler without the sandbox behind it. No file may appear, the secret of a canary
file outside the lake may not show up in any row or error, and DuckDB's settings must stay
as they were.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pytest
from click.testing import CliRunner

from loglake.analytics.extensions import load_extension
from loglake.analytics.insights import (
    CompiledQuery,
    InsightsError,
    ParameterValue,
    QueryScope,
    compile_query,
)
from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.query import run_insights
from loglake.analytics.sql import QueryError
from loglake.cli.main import cli
from loglake.ingest.model import LogBatch, LogEvent
from loglake.ingest.rows import build_logs_table
from loglake.ingest.store import LocalStore
from loglake.ingest.write import write_logs

MARKER = "xyzzy"
"""A word in every payload, placed where it would become bare SQL if a quote broke out."""

SECRET = "canary-secret-7d41c0"
"""The content of the canary file outside the lake."""

SECRET_FILE = "SECRET_FILE"
OUT_DIR = "OUT_DIR"
"""Stand-ins in payloads for the canary file and for a folder a payload tries to write to."""

PAYLOADS = (
    "xyzzy' OR 1=1 --",
    'xyzzy" OR 1=1 --',
    "xyzzy\\' OR 1=1 --",
    'xyzzy\\" OR 1=1 --',
    "xyzzy\\",
    "xyzzy''); SELECT 1; --",
    "'; COPY (SELECT xyzzy) TO 'OUT_DIR/copied.csv'; --",
    "' || read_text('SECRET_FILE') || xyzzy || '",
    "\" || read_text('SECRET_FILE') || xyzzy || \"",
    "\"; ATTACH 'OUT_DIR/attached.db' AS xyzzy; --",
    "*/ xyzzy /* -- $$ xyzzy $$ E'\\' xyzzy",
    "xyzzy`) FROM read_csv('SECRET_FILE') --",
    "~1/../xyzzy/~0..",
)

DENIED_FUNCTIONS = frozenset(
    {
        "attach",
        "current_setting",
        "detach",
        "getenv",
        "glob",
        "install",
        "load",
        "query",
        "query_table",
        "read_blob",
        "read_csv",
        "read_csv_auto",
        "read_json",
        "read_json_auto",
        "read_json_objects",
        "read_ndjson",
        "read_parquet",
        "read_text",
        "sniff_csv",
        "sql_auto_complete",
        "parquet_metadata",
        "parquet_schema",
        "parquet_scan",
        "duckdb_settings",
        "duckdb_extensions",
        "duckdb_secrets",
        "which_secret",
        "system",
        "copy",
        "pragma",
        "set",
        "export_database",
    }
)
"""DuckDB functions that read or write files, reach the network, or read secrets or settings,
and statement keywords written as calls."""

START = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
HOSTILE_LOG_GROUP = "/aws/lambda/xyzzy' OR 1=1 --"


# Writing hostile text in the query language


def double_quoted(text: str) -> str:
    """Return text as a double-quoted Insights string: ``\\`` and ``"`` escape with ``\\``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def single_quoted(text: str) -> str:
    """Return text as a single-quoted Insights string, doubling ``'``."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def regex(text: str) -> str:
    """Return text as a ``/regex/`` literal, ``/`` written as ``\\/``."""
    return "/" + text.replace("/", "\\/") + "/"


def name(text: str) -> str:
    """Return text as a back-quoted name without its back-quotes, which no name can contain."""
    return "`" + text.replace("`", "") + "`"


def group_name(text: str) -> str:
    """Return text as a regex group name, which ends at the first ``>``."""
    return text.replace(">", "").replace("`", "").lstrip("=!")


@dataclass(frozen=True)
class Attempt:
    """One query with the parameters and scope it runs with."""

    query: str
    parameters: dict[str, ParameterValue] = field(default_factory=dict)
    scope: QueryScope = field(default_factory=QueryScope)


PLACES: dict[str, Callable[[str], Attempt]] = {
    "double-quoted string": lambda p: Attempt(
        f"filter @message = {double_quoted(p)} | fields @message"
    ),
    "single-quoted string": lambda p: Attempt(
        f"filter @message = {single_quoted(p)} | fields @message"
    ),
    "strings in concat": lambda p: Attempt(
        f"fields concat(@message, {single_quoted(p)}, {double_quoted(p)}) as joined"
    ),
    "like string": lambda p: Attempt(f"filter @message like {double_quoted(p)}"),
    "like regex": lambda p: Attempt(f"filter @message like {regex(p)}"),
    "not like regex": lambda p: Attempt(f"filter @message not like {regex('(?i)' + p)}"),
    "=~ regex": lambda p: Attempt(f"filter @message =~ {regex(p)}"),
    "back-quoted field": lambda p: Attempt(f"fields {name(p)}"),
    "back-quoted field, raw": lambda p: Attempt(f"fields `{p}`"),
    "dotted back-quoted field": lambda p: Attempt(f"fields record.{name(p)}.x, {name(p)}.y"),
    "@back-quoted field": lambda p: Attempt(f"fields @{name(p)}"),
    "filter on back-quoted field": lambda p: Attempt(
        f"filter {name(p)} = 1 or ispresent({name(p)}) or {name(p)} like {double_quoted(p)}"
    ),
    "parse glob pattern": lambda p: Attempt(
        f"parse @message {double_quoted(p + '*')} as captured | fields captured"
    ),
    "parse glob alias": lambda p: Attempt(f"parse @message 'x*' as {name(p)} | fields {name(p)}"),
    "parse regex pattern": lambda p: Attempt(
        f"parse {regex(p + '(?<captured>.*)')} | fields captured"
    ),
    "parse regex group name": lambda p: Attempt(
        f"parse /(?<{group_name(p)}>.*)/ | fields {name(group_name(p))}"
    ),
    "fields alias": lambda p: Attempt(f"fields @message as {name(p)}"),
    "unaliased expression as column name": lambda p: Attempt(
        f"fields concat(@message, {double_quoted(p)}) "
        f"| stats count(*) by strlen({single_quoted(p)})"
    ),
    "stats alias": lambda p: Attempt(f"stats count(*) as {name(p)} by @type | sort {name(p)} desc"),
    "stats group alias": lambda p: Attempt(
        f"stats count(*) as n by @type as {name(p)} | filter {name(p)} != 'x'"
    ),
    "SOURCE log group": lambda p: Attempt(
        f"SOURCE {single_quoted(p)}, {double_quoted(p)} | fields @message"
    ),
    "SOURCE logGroups": lambda p: Attempt(
        f"SOURCE logGroups(namePrefix: [{double_quoted(p)}], "
        f"accountIdentifiers: [{single_quoted(p)}]) | fields @message"
    ),
    "parameter value": lambda p: Attempt(
        "filter @message = $value or @message in [$value] | fields $value as v",
        parameters={"value": p},
    ),
    "--log-group and --function": lambda p: Attempt(
        "fields @message", scope=QueryScope(log_groups=(p,), functions=(p,))
    ),
    "sort keys": lambda p: Attempt(f"sort {name(p)} desc, strlen({double_quoted(p)}) asc"),
    "dedup keys": lambda p: Attempt(f"dedup {name(p)}, concat(@message, {single_quoted(p)})"),
    "in list": lambda p: Attempt(
        f"filter @message in [{double_quoted(p)}, {single_quoted(p)}, 1] "
        f"or @type not in [{single_quoted(p)}]"
    ),
    "formatDate pattern": lambda p: Attempt(
        f"fields formatDate(@timestamp, {double_quoted(p)}) as formatted"
    ),
    "regexReplace arguments": lambda p: Attempt(
        f"fields regexReplace(@message, {regex(p)}, {double_quoted(p)}) as replaced, "
        f"regexReplace(@message, {single_quoted(p)}, 'x') as again"
    ),
    "string function arguments": lambda p: Attempt(
        f"fields replace(@message, {double_quoted(p)}, {single_quoted(p)}) as replaced, "
        f"strcontains(@message, {double_quoted(p)}) as found, "
        f"trim(@message, {single_quoted(p)}) as trimmed, "
        f"split(@message, {double_quoted(p)}) as parts"
    ),
    "IP function arguments": lambda p: Attempt(
        f"fields isIpInSubnet({double_quoted(p)}, {single_quoted(p)}) as inside"
    ),
    "pattern": lambda p: Attempt(f"pattern concat(@message, {double_quoted(p)})"),
    "comment": lambda p: Attempt(f"fields @message # {p}\n| filter @message = {double_quoted(p)}"),
}

PLACES_THAT_NEVER_COMPILE = frozenset({"@back-quoted field"})
"""Places where every payload is an error: an unknown @-field."""


# Checking compiled SQL

QUALIFIED_CALL = re.compile(r"(?:\w|\?)\s*\.\s*(?:\w+|\?)\s*\(")
"""A call of a schema-qualified function, such as main.read_text( or "main"."x"(."""


def quoted_spans(sql: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every '...' literal and "..." identifier in the SQL."""
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(sql):
        quote = sql[index]
        if quote not in "'\"":
            index += 1
            continue
        end = index + 1
        while True:
            end = sql.find(quote, end)
            assert end >= 0, f"unterminated {quote} at offset {index} in:\n{sql}"
            if sql.startswith(quote * 2, end):
                end += 2
                continue
            break
        spans.append((index, end + 1))
        index = end + 1
    return spans


def bare_sql(sql: str) -> str:
    """Return the SQL with every quoted literal and identifier replaced by ``?``.

    DuckDB's own tokenizer must agree on where each quoted token starts, and must see no
    token start inside one, so the replaced text is exactly what DuckDB reads as quoted.
    """
    spans = quoted_spans(sql)
    # DuckDB's tokenizer counts UTF-8 bytes; the spans count characters.
    char_at_byte: dict[int, int] = {}
    byte = 0
    for index, char in enumerate(sql):
        char_at_byte[byte] = index
        byte += len(char.encode())
    token_starts = {char_at_byte[offset]: kind for offset, kind in duckdb.tokenize(sql)}
    for start, end in spans:
        kind = token_starts.get(start)
        expected = (
            duckdb.token_type.string_const if sql[start] == "'" else duckdb.token_type.identifier
        )
        assert kind == expected, f"DuckDB reads {sql[start:end]!r} as {kind}, not {expected}"
        inside = [offset for offset in token_starts if start < offset < end]
        assert not inside, f"DuckDB starts a token inside {sql[start:end]!r}"
    parts: list[str] = []
    previous = 0
    for start, end in spans:
        parts.append(sql[previous:start])
        parts.append("?")
        previous = end
    parts.append(sql[previous:])
    return "".join(parts)


def function_nodes(tree: Any) -> Iterator[dict[str, Any]]:
    """Yield every node of a serialised statement that names a function."""
    pending = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if "function_name" in node or node.get("type") == "TABLE_FUNCTION":
                yield node
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)


@functools.cache
def parser_connection() -> duckdb.DuckDBPyConnection:
    """Return an in-memory connection used only to parse and serialise SQL."""
    return duckdb.connect()


def assert_confined(sql: str) -> None:
    """Assert that the SQL is one SELECT and that no query text escaped its quotes."""
    connection = parser_connection()
    statements = connection.extract_statements(sql)
    assert len(statements) == 1, f"{len(statements)} statements in:\n{sql}"
    assert statements[0].type == duckdb.StatementType.SELECT
    bare = bare_sql(sql)
    assert MARKER not in bare.lower(), f"{MARKER} outside quotes in:\n{bare}"
    for sequence in (";", "--", "/*", "*/", "$", "\\"):
        assert sequence not in bare, f"{sequence!r} outside quotes in:\n{bare}"
    qualified = QUALIFIED_CALL.search(bare)
    assert qualified is None, f"qualified call {qualified.group()!r} in:\n{bare}"

    serialized = connection.execute("SELECT json_serialize_sql(?)", [sql]).fetchone()
    assert serialized is not None
    tree = orjson.loads(serialized[0])
    assert tree["error"] is False, tree
    for node in function_nodes(tree):
        assert node.get("type") != "TABLE_FUNCTION", f"table function in:\n{sql}"
        function = str(node["function_name"])
        assert function.lower() not in DENIED_FUNCTIONS, f"{function}() in:\n{sql}"


def compile_attempt(attempt: Attempt) -> CompiledQuery | None:
    """Return the compiled attempt, or None when the compiler rejects it as it should."""
    try:
        return compile_query(attempt.query, attempt.scope, attempt.parameters)
    except InsightsError:
        return None


# The lake, the canary and the places to watch


def fill_paths(payload: str, secret_file: Path, out_dir: Path) -> str:
    """Return the payload with the canary file and the output folder put in."""
    return payload.replace(SECRET_FILE, str(secret_file)).replace(OUT_DIR, str(out_dir))


@dataclass
class Sandbox:
    """A lake with hostile events, a canary file outside it, and folders to watch."""

    root: Path
    lake: Lake
    plain: duckdb.DuckDBPyConnection
    """A connection without the sandbox, reading the same lake through a ``logs`` view."""
    secret_file: Path
    out_dir: Path
    cwd: Path

    def fill(self, payload: str) -> str:
        """Return the payload with this sandbox's canary file and output folder put in."""
        return fill_paths(payload, self.secret_file, self.out_dir)


def write_hostile_lake(folder: Path, payloads: list[str]) -> None:
    """Write a lake whose log lines equal the payloads, plus one JSON line keyed by each
    payload and one line in a log group with a quote in its name."""
    keyed = {payload.replace("`", ""): f"value-{index}" for index, payload in enumerate(payloads)}
    messages = [*payloads, orjson.dumps({"level": "INFO", "msg": "odd keys", **keyed}).decode()]
    start_ms = int(START.timestamp() * 1000)
    events = [LogEvent(str(index), start_ms + index, text) for index, text in enumerate(messages)]
    hostile_group = [LogEvent("900", start_ms + 900, "from the hostile log group")]
    batches = [
        LogBatch("123456789012", "/aws/lambda/plain", "2026/11/02/[1]a", events, "subscription"),
        LogBatch(
            "123456789012", HOSTILE_LOG_GROUP, "2026/11/02/[1]b", hostile_group, "subscription"
        ),
    ]
    table = build_logs_table(batches, ingestion_time_ms=start_ms + 10_000)
    write_logs(LocalStore(folder), table, row_group_rows=100)


def plain_connection(lake_root: Path) -> duckdb.DuckDBPyConnection:
    """Return a DuckDB connection with the lake's ``logs`` view and no sandbox at all."""
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    load_extension(connection, "inet")
    pattern = str(lake_root / "logs" / "*" / "*" / "*.parquet").replace("'", "''")
    connection.execute(
        f"CREATE VIEW logs AS SELECT * FROM read_parquet('{pattern}', hive_partitioning = true, "
        "hive_types = {'date': DATE, 'hour': INTEGER}, union_by_name = true)"
    )
    return connection


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    root = tmp_path_factory.mktemp("injection")
    (root / "outside").mkdir()
    secret_file = root / "outside" / "secret.txt"
    secret_file.write_text(SECRET + "\n")
    out_dir = root / "out"
    out_dir.mkdir()
    cwd = root / "cwd"
    cwd.mkdir()
    (cwd / "secret.txt").write_text(SECRET + "\n")
    lake_folder = root / "lake"
    write_hostile_lake(
        lake_folder, [fill_paths(payload, secret_file, out_dir) for payload in PAYLOADS]
    )
    return Sandbox(
        root=root,
        lake=open_lake(str(lake_folder)),
        plain=plain_connection(lake_folder),
        secret_file=secret_file,
        out_dir=out_dir,
        cwd=cwd,
    )


def files_under(*folders: Path) -> dict[Path, tuple[int, int]]:
    """Return every file under the folders with its size and modification time."""
    found: dict[Path, tuple[int, int]] = {}
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                stat = path.stat()
                found[path] = (stat.st_size, stat.st_mtime_ns)
    return found


def settings_of(connection: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    return connection.execute("SELECT name, value FROM duckdb_settings() ORDER BY name").fetchall()


def run_everywhere(sandbox: Sandbox, attempt: Attempt, compiled: CompiledQuery) -> list[str]:
    """Run a compiled attempt on both connections and return the rows and errors as text."""
    outputs: list[str] = []
    try:
        result = run_insights(
            sandbox.lake, attempt.query, scope=attempt.scope, parameters=attempt.parameters
        )
        outputs.append(repr(result.result.rows))
    except QueryError as error:
        outputs.append(str(error))
    try:
        outputs.append(repr(sandbox.plain.execute(compiled.probe_sql).fetchall()))
    except duckdb.Error as error:
        outputs.append(str(error))
    return outputs


# Tests


def test_canary_is_readable_without_the_sandbox(sandbox: Sandbox) -> None:
    # The plain connection can read the canary, so a query that reached read_text would show
    # the secret in the run tests below.
    path = str(sandbox.secret_file).replace("'", "''")
    rows = sandbox.plain.execute(f"SELECT content FROM read_text('{path}')").fetchall()
    assert rows == [(SECRET + "\n",)]


@pytest.mark.parametrize("place", sorted(PLACES))
def test_hostile_text_stays_quoted(sandbox: Sandbox, place: str) -> None:
    compiled_count = 0
    for payload in PAYLOADS:
        attempt = PLACES[place](sandbox.fill(payload))
        compiled = compile_attempt(attempt)
        if compiled is None:
            continue
        compiled_count += 1
        assert_confined(compiled.sql)
        assert_confined(compiled.probe_sql)
    if place not in PLACES_THAT_NEVER_COMPILE:
        assert compiled_count > 0, f"no payload compiled at {place}, so nothing was checked"


@pytest.mark.parametrize("place", sorted(PLACES))
def test_hostile_queries_touch_no_file(
    sandbox: Sandbox, place: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sandbox.cwd)
    files_before = files_under(sandbox.root, sandbox.cwd)
    settings_before = (settings_of(sandbox.lake.connection), settings_of(sandbox.plain))
    ran = 0
    for payload in PAYLOADS:
        attempt = PLACES[place](sandbox.fill(payload))
        compiled = compile_attempt(attempt)
        if compiled is None:
            continue
        ran += 1
        for output in run_everywhere(sandbox, attempt, compiled):
            assert SECRET not in output, f"the canary's secret was read by {attempt.query!r}"
    assert files_under(sandbox.root, sandbox.cwd) == files_before
    assert (settings_of(sandbox.lake.connection), settings_of(sandbox.plain)) == settings_before
    if place not in PLACES_THAT_NEVER_COMPILE:
        assert ran > 0, f"no payload compiled at {place}, so nothing ran"


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize(
    "literal", [double_quoted, single_quoted], ids=["double-quoted", "single-quoted"]
)
def test_string_literal_matches_text_exactly(
    sandbox: Sandbox, payload: str, literal: Callable[[str], str]
) -> None:
    text = sandbox.fill(payload)
    result = run_insights(sandbox.lake, f"filter @message = {literal(text)} | fields @message")
    assert result.result.rows == [(text,)]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_parameter_matches_text_exactly(sandbox: Sandbox, payload: str) -> None:
    text = sandbox.fill(payload)
    query = "filter @message = $value | fields @message, $value as bound"
    result = run_insights(sandbox.lake, query, parameters={"value": text})
    assert result.result.rows == [(text, text)]


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_back_quoted_name_reads_its_own_key(sandbox: Sandbox, index: int) -> None:
    key = sandbox.fill(PAYLOADS[index]).replace("`", "")
    result = run_insights(sandbox.lake, f"filter ispresent({name(key)}) | fields {name(key)}")
    assert result.result.rows == [(f"value-{index}",)]


def test_regex_literal_matches_text_exactly(sandbox: Sandbox) -> None:
    text = sandbox.fill(PAYLOADS[0])
    pattern = "^" + re.escape(text) + "$"
    result = run_insights(sandbox.lake, f"filter @message like {regex(pattern)} | fields @message")
    assert result.result.rows == [(text,)]


def test_source_reads_hostile_group(sandbox: Sandbox) -> None:
    query = f"SOURCE {single_quoted(HOSTILE_LOG_GROUP)} | fields @message"
    result = run_insights(sandbox.lake, query)
    assert result.result.rows == [("from the hostile log group",)]


def test_log_group_scope_reads_hostile_group(sandbox: Sandbox) -> None:
    scope = QueryScope(log_groups=(HOSTILE_LOG_GROUP,))
    result = run_insights(sandbox.lake, "fields @message", scope=scope)
    assert result.result.rows == [("from the hostile log group",)]


def test_function_scope_with_quote_matches_nothing(sandbox: Sandbox) -> None:
    scope = QueryScope(functions=("plain' OR 1=1 --",))
    result = run_insights(sandbox.lake, "fields @message", scope=scope)
    assert result.result.rows == []


# The CLI runs every fourth payload, because each run opens the lake again. The places above
# already take every payload through the same compiler and scope.
@pytest.mark.parametrize("payload", PAYLOADS[::4])
def test_cli_values_stay_quoted(
    sandbox: Sandbox, payload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sandbox.cwd)
    files_before = files_under(sandbox.root, sandbox.cwd)
    text = sandbox.fill(payload)
    lake = ["--lake", str(sandbox.root / "lake")]
    scoped = [*lake, "--log-group", text, "--function", text]
    runner = CliRunner()

    explained = runner.invoke(cli, ["query", *scoped, "--explain", "fields @message"])
    assert explained.exit_code == 0, explained.output
    assert_confined(explained.stdout)

    queried = runner.invoke(cli, ["query", *scoped, "--format", "json", "fields @message"])
    assert queried.exit_code == 0, queried.output
    assert orjson.loads(queried.stdout) == []

    query = "filter @message = $value | fields @message"
    bound = runner.invoke(
        cli, ["query", *lake, "--param", f"value={text}", "--format", "json", query]
    )
    assert bound.exit_code == 0, bound.output
    assert orjson.loads(bound.stdout) == [{"@message": text}]

    window = ["--start", "2026-11-02T00:00:00Z", "--end", "2026-11-03T00:00:00Z"]
    saved = ["request-lines", "--param", f"request_id={text}", "--format", "json"]
    found = runner.invoke(cli, ["query", *lake, *window, *saved])
    assert found.exit_code == 0, found.output
    assert orjson.loads(found.stdout) == []

    for result in (explained, queried, bound, found):
        assert SECRET not in result.output
    assert files_under(sandbox.root, sandbox.cwd) == files_before


# DuckDB's own functions, called by name

DUCKDB_FUNCTION_CALLS = (
    "read_csv('SECRET_FILE')",
    "read_csv_auto('SECRET_FILE')",
    "read_text('SECRET_FILE')",
    "read_blob('SECRET_FILE')",
    "read_json('SECRET_FILE')",
    "read_parquet('SECRET_FILE')",
    "parquet_metadata('SECRET_FILE')",
    "glob('*')",
    "getenv('HOME')",
    "current_setting('allowed_directories')",
    "duckdb_settings()",
    "duckdb_secrets()",
    "sql_auto_complete('SELECT')",
    "query('SELECT 1')",
    "query_table('logs')",
    "load('httpfs')",
    "install('httpfs')",
    "attach('OUT_DIR/attached.db')",
    "copy('OUT_DIR/copied.csv')",
    "system('touch OUT_DIR/touched')",
    "pragma('version')",
)


@pytest.mark.parametrize("call", DUCKDB_FUNCTION_CALLS)
@pytest.mark.parametrize(
    "template",
    [
        "fields {call} as x",
        "filter {call} = 'x'",
        "stats count(*) by {call}",
        "stats max({call}) as x",
        "sort {call} desc",
        "fields concat(@message, {call}) as x",
        "fields toupper({call}) as x",
        "filter @message in [{call}]",
        "parse {call} 'a*' as x | fields x",
    ],
)
def test_duckdb_function_by_name_is_rejected(sandbox: Sandbox, call: str, template: str) -> None:
    query = template.format(call=sandbox.fill(call))
    with pytest.raises(InsightsError):
        compile_query(query)


@pytest.mark.parametrize("function", ["read_text", "getenv", "query", "glob", "current_setting"])
def test_function_name_as_field_is_json_key(function: str) -> None:
    # A bare name is a structured field, whatever DuckDB function it is named like.
    for query in (f"fields {function}", f"fields `{function}`", f"filter {function} = 'x'"):
        compiled = compile_query(query)
        assert_confined(compiled.sql)
        assert f"{function}(" not in compiled.sql


def test_back_quoted_call_is_not_a_call() -> None:
    with pytest.raises(InsightsError):
        compile_query("fields `read_text`('/etc/passwd') as x")


# Characters DuckDB's parser cannot take, and values the compiler cannot render


@pytest.mark.parametrize(
    "attempt",
    [
        Attempt("fields `a\x00b`"),
        Attempt("fields record.`a\x00b`"),
        Attempt("fields @message as `a\x00b`"),
        Attempt("filter @message like /a\x00b/"),
        Attempt("parse /(?<a\x00b>.*)/ | fields `a\x00b`"),
        Attempt("fields $value as v", parameters={"value": "a\x00b"}),
        Attempt("fields @message", scope=QueryScope(log_groups=("a\x00b",))),
    ],
    ids=["field", "dotted field", "alias", "regex", "group name", "parameter", "log group"],
)
def test_nul_character_is_rejected_or_parses(attempt: Attempt) -> None:
    # DuckDB's parser stops at NUL, so SQL holding one cannot be parsed at all.
    compiled = compile_attempt(attempt)
    if compiled is not None:
        assert_confined(compiled.sql)


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), 10**400], ids=["nan", "infinity", "huge integer"]
)
def test_unrenderable_parameter_raises_insights_error(value: ParameterValue) -> None:
    with pytest.raises(InsightsError):
        compile_query("fields $value as v", parameters={"value": value})


@pytest.mark.parametrize(
    "query",
    [
        "fields -queryStartTime() as x",
        "fields -queryEndTime() as x",
        "fields -now() as x",
        "filter -now() < 0 | limit 3 | fields @message",
    ],
)
def test_negated_pre_1970_constant_is_no_comment(query: str) -> None:
    # A negative constant after unary minus would write "--", which starts a SQL comment.
    moment = datetime(1969, 6, 1, tzinfo=UTC)
    scope = QueryScope(start=moment, end=datetime(1969, 7, 1, tzinfo=UTC), now=moment)
    assert_confined(compile_query(query, scope).sql)


# Queries that would exhaust memory


def chained_fields(steps: int) -> str:
    """Return fields stages where each one concatenates the previous field with itself."""
    return "fields @message as f0" + "".join(
        f" | fields concat(f{index}, f{index}) as f{index + 1}" for index in range(steps)
    )


def chained_aggregates(steps: int) -> str:
    """Return a stats command where each item adds the previous item to itself."""
    return "stats count(*) as a0, " + ", ".join(
        f"a{index} + a{index} as a{index + 1}" for index in range(steps)
    )


@pytest.mark.parametrize(
    "query",
    [
        chained_fields(16),
        chained_fields(10) + " | fields " + ", ".join(f"f10 as copy{n}" for n in range(100)),
        chained_fields(10) + " | filter " + " or ".join(f"f10 = 'v{n}'" for n in range(30)),
        chained_aggregates(10) + ", " + ", ".join(f"a10 * {n} as z{n}" for n in range(100)),
    ],
    ids=[
        "one chain",
        "chain read 100 times",
        "chain compared 30 times",
        "stats chain read 100 times",
    ],
)
def test_derived_fields_compile_to_bounded_sql(query: str) -> None:
    # Inlining a derived field or an earlier stats item at every use doubles the SQL at each
    # stage of a chain, so a query of a few kilobytes could otherwise need gigabytes of SQL.
    try:
        compiled = compile_query(query)
    except InsightsError:
        return
    assert len(compiled.sql) < 100 * len(query), f"{len(compiled.sql):,} characters of SQL"
