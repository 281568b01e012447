"""``loglake query``: run a CloudWatch Logs Insights query over the lake."""

from __future__ import annotations

import difflib
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from urllib.parse import urlparse

import click
from botocore.exceptions import BotoCoreError, ClientError

from loglake.analytics.athena import AthenaError, AthenaTarget
from loglake.analytics.athena.compaction_state import read_compaction_state
from loglake.analytics.insights import (
    ATHENA,
    DEFAULT_ROW_LIMIT,
    DUCKDB,
    AthenaDialect,
    Dialect,
    InsightsError,
    ParameterValue,
    QueryScope,
    compile_query,
)
from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.output import OutputFormat
from loglake.analytics.query import InsightsResult, run_insights, run_insights_athena
from loglake.analytics.saved_queries import (
    SavedQuery,
    SavedQueryError,
    bind_parameters,
    load_saved_queries,
)
from loglake.analytics.sql import QueryError, run_select
from loglake.cli.interrupt import run_interruptibly
from loglake.cli.options import lake_option, time_range_options
from loglake.cli.render import print_result
from loglake.cli.timerange import parse_duration, resolve_range
from loglake.ingest.compact.manifest import CompactionError
from loglake.ingest.store import open_store
from loglake.settings import load_settings


class QuerySyntaxError(click.ClickException):
    """A query that does not compile: exit code 2, like other usage errors."""

    exit_code = 2


_QUERY_FILE_SUFFIXES = (".insights", ".cwl", ".txt", ".query", ".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class _QueryText:
    text: str
    saved: SavedQuery | None


@click.command()
@lake_option
@time_range_options
@click.option(
    "--log-group",
    "log_groups",
    multiple=True,
    help="Read only this log group; repeat for several.",
)
@click.option(
    "--function",
    "functions",
    multiple=True,
    help="Read only this function's events; repeat for several.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv", "ndjson"]),
    default="table",
    show_default=True,
    help="table for people; json (one array of row objects), csv or ndjson for scripts.",
)
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Value of a $NAME parameter of the query; repeat for several.",
)
@click.option(
    "--limit",
    "row_limit",
    type=click.IntRange(min=1),
    default=DEFAULT_ROW_LIMIT,
    show_default=True,
    help="Rows returned when the query has no limit command of its own.",
)
@click.option(
    "--engine",
    type=click.Choice(["duckdb", "athena"]),
    default="duckdb",
    show_default=True,
    help="duckdb reads the lake from this machine; athena runs the query in Amazon Athena "
    "over the stack's Glue tables.",
)
@click.option(
    "--workgroup",
    default=lambda: load_settings().athena_workgroup,
    show_default="$LOGLAKE_ATHENA_WORKGROUP or primary",
    help="Athena workgroup (the stack's AthenaWorkGroupName output).",
)
@click.option(
    "--database",
    default=lambda: load_settings().athena_database,
    show_default="$LOGLAKE_ATHENA_DATABASE",
    help="Glue database of the logs table (the stack's GlueDatabaseName output).",
)
@click.option(
    "--output-location",
    default=lambda: load_settings().athena_output_location,
    show_default="$LOGLAKE_ATHENA_OUTPUT_LOCATION or the workgroup's",
    help="s3:// folder for Athena's result files.",
)
@click.option("--explain", is_flag=True, help="Print the engine's SQL instead of running it.")
@click.argument("query")
def query(
    lake: str,
    since: str | None,
    start: str | None,
    end: str | None,
    log_groups: tuple[str, ...],
    functions: tuple[str, ...],
    output_format: OutputFormat,
    params: tuple[str, ...],
    row_limit: int,
    engine: str,
    workgroup: str,
    database: str | None,
    output_location: str | None,
    explain: bool,
    query: str,
) -> None:
    """Run a CloudWatch Logs Insights QUERY over the lake.

    QUERY is the query text, a file that contains it, or the name of a saved query
    (loglake queries lists them). Without --since or --start, a saved query reads its own
    default range; other queries read the whole lake, or the last hour in Athena, which
    bills by the data it scans.

    \b
    Examples:
      loglake query 'filter @type = "REPORT" | stats pct(@duration, 99) by bin(5m)'
      loglake query cold-starts-by-function --since 7d
      loglake query request-lines --param request_id=8f5c...
      loglake query errors-by-function --engine athena --database my_stack_loglake
    """
    source = _query_text(query)
    parameters = _parameters(source.saved, params)
    target = None
    if engine == "athena" and not explain:
        target = _athena_target(workgroup, database, output_location)
    now = datetime.now(tz=UTC)
    range_start: datetime | None = None
    range_end: datetime | None = None
    if since or start or end:
        range_start, range_end = resolve_range(since, start, end, now=now, default_since="1h")
    elif source.saved is not None:
        range_start, range_end = now - parse_duration(source.saved.since), now
        click.echo(
            f"note: reading the last {source.saved.since}, the default range of "
            f"{source.saved.name}; choose another with --since or --start/--end",
            err=True,
        )
    elif engine == "athena":
        range_start, range_end = resolve_range(None, None, None, now=now, default_since="1h")
        click.echo(
            "note: reading the last 1h, because Athena bills by the data it scans; choose "
            "another range with --since or --start/--end",
            err=True,
        )
    scope = QueryScope(
        start=range_start, end=range_end, log_groups=log_groups, functions=functions, now=now
    )

    athena = _athena_dialect(lake, scope) if engine == "athena" else None
    dialect: Dialect = athena or DUCKDB
    try:
        if explain:
            compiled = compile_query(source.text, scope, parameters, row_limit, dialect)
            _print_warnings(compiled.warnings)
            click.echo(compiled.sql)
            return
        if target is not None and athena is not None:
            _run_in_athena(target, athena, source.text, scope, parameters, row_limit, output_format)
            return
        opened = open_lake(lake, endpoint_url=load_settings().s3_endpoint_url)
        outcome: InsightsResult = run_interruptibly(
            opened,
            lambda: run_insights(
                opened, source.text, scope=scope, parameters=parameters, row_limit=row_limit
            ),
        )
    except InsightsError as error:
        raise QuerySyntaxError(str(error)) from error
    except QueryError as error:
        raise click.ClickException(str(error)) from error

    _print_warnings(outcome.compiled.warnings)
    if opened.empty:
        click.echo(
            f"warning: {opened.url} holds no log objects yet; add some with loglake ingest, "
            "loglake import or loglake demo",
            err=True,
        )
    else:
        _check_names(opened, scope)
        if not outcome.result.rows and range_start is not None:
            _print_no_rows(range_start, range_end or now)
    print_result(outcome.result, output_format)
    _print_truncation(outcome)


def _athena_target(
    workgroup: str, database: str | None, output_location: str | None
) -> AthenaTarget:
    if not database:
        raise click.UsageError(
            "--engine athena needs the Glue database of the logs table: give --database "
            "or set LOGLAKE_ATHENA_DATABASE to the stack's GlueDatabaseName output"
        )
    if not workgroup:
        raise click.BadParameter(
            "the workgroup is empty: give the stack's AthenaWorkGroupName output, or primary",
            param_hint="--workgroup",
        )
    if output_location is not None and not (
        output_location.startswith("s3://") and urlparse(output_location).netloc
    ):
        raise click.BadParameter(
            f"{output_location!r} is not an s3:// URL, such as s3://my-bucket/athena-results/",
            param_hint="--output-location",
        )
    return AthenaTarget(workgroup=workgroup, database=database, output_location=output_location)


def _athena_dialect(lake: str, scope: QueryScope) -> AthenaDialect:
    """Return Athena's dialect, with the objects and hours that compaction leaves to skip."""
    if not lake.startswith("s3://"):
        click.echo(
            f"note: the lake {lake} is not an s3:// URL, so loglake cannot read its "
            "compaction manifests, and Athena removes duplicate events by event ID, which "
            "scans more data. Give --lake (or set LOGLAKE_LAKE) to the stack's LakeUrl output",
            err=True,
        )
        return ATHENA
    try:
        store = open_store(lake, endpoint_url=load_settings().s3_endpoint_url)
        state = read_compaction_state(store, start=scope.start, end=scope.end)
    except (BotoCoreError, ClientError, CompactionError, ValueError) as error:
        raise click.ClickException(f"reading the lake {lake} failed: {error}") from error
    return AthenaDialect(state)


def _run_in_athena(
    target: AthenaTarget,
    dialect: AthenaDialect,
    text: str,
    scope: QueryScope,
    parameters: dict[str, ParameterValue],
    row_limit: int,
    output_format: OutputFormat,
) -> None:
    """Run the query in Athena, print its rows, and report what Athena scanned."""
    try:
        with _terminate_as_interrupt():
            outcome = run_insights_athena(
                target,
                text,
                scope=scope,
                parameters=parameters,
                row_limit=row_limit,
                dialect=dialect,
            )
    except KeyboardInterrupt:
        click.echo("stopped: the Athena query was cancelled with StopQueryExecution", err=True)
        sys.exit(130)
    except InsightsError as error:
        raise QuerySyntaxError(str(error)) from error
    except AthenaError as error:
        raise click.ClickException(str(error)) from error
    insights = outcome.insights
    _print_warnings(insights.compiled.warnings)
    print_result(insights.result, output_format)
    scanned_mb = outcome.run.data_scanned_bytes / 1_000_000
    click.echo(
        f"note: Athena query {outcome.run.query_execution_id} scanned {scanned_mb:,.1f} MB "
        f"in {outcome.run.engine_execution_ms / 1000:,.1f} s",
        err=True,
    )
    if not insights.result.rows and scope.start is not None:
        _print_no_rows(scope.start, scope.end or datetime.now(tz=UTC))
    _print_truncation(insights)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C, so a stopped command also stops its Athena query."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _query_text(argument: str) -> _QueryText:
    """Return the query an argument names: a saved query, a file, or the text itself."""
    looks_like_name = argument.replace("-", "").isalnum() and argument == argument.lower()
    if looks_like_name:
        try:
            saved = load_saved_queries()
        except SavedQueryError as error:
            raise click.ClickException(str(error)) from error
        if argument in saved:
            return _QueryText(saved[argument].query, saved[argument])
        if "-" in argument:
            # No query starts with a hyphenated word, so this is a saved query's name.
            close = difflib.get_close_matches(argument, list(saved), n=1)
            hint = f"; did you mean {close[0]}?" if close else "; loglake queries lists them"
            raise click.BadParameter(f"no saved query named {argument}{hint}", param_hint="QUERY")
    path = Path(argument)
    looks_like_path = not any(char.isspace() for char in argument) and (
        "/" in argument or path.suffix in _QUERY_FILE_SUFFIXES
    )
    if looks_like_path and not path.exists():
        raise click.BadParameter(f"file {argument} not found", param_hint="QUERY")
    if "\n" not in argument and len(argument) < 4096 and path.suffix and path.is_file():
        if path.suffix in (".yaml", ".yml"):
            try:
                saved_file = load_saved_queries(path.parent)
            except SavedQueryError as error:
                raise click.ClickException(str(error)) from error
            for saved_query in saved_file.values():
                if saved_query.path.resolve() == path.resolve():
                    return _QueryText(saved_query.query, saved_query)
        try:
            return _QueryText(path.read_text(encoding="utf-8"), None)
        except UnicodeDecodeError as error:
            raise click.BadParameter(f"{argument} is not UTF-8 text", param_hint="QUERY") from error
    return _QueryText(argument, None)


def _parameters(saved: SavedQuery | None, params: tuple[str, ...]) -> dict[str, ParameterValue]:
    given: dict[str, str] = {}
    for param in params:
        name, separator, value = param.partition("=")
        if not separator or not name:
            raise click.BadParameter(
                f"{param!r} is not NAME=VALUE, such as --param function=orders-api",
                param_hint="--param",
            )
        if name in given:
            raise click.BadParameter(
                f"{name} is given twice ({given[name]!r} and {value!r}): give it once",
                param_hint="--param",
            )
        given[name] = value
    if saved is None:
        # Ad hoc query text: every parameter is text, and $NAME stands for it.
        return dict(given)
    try:
        return bind_parameters(saved, given)
    except SavedQueryError as error:
        raise click.BadParameter(str(error), param_hint="--param") from error


def _check_names(lake: Lake, scope: QueryScope) -> None:
    """Print a note on stderr for each --function or --log-group that the lake never saw."""
    for column, names, option in (
        ("function_name", scope.functions, "--function"),
        ("log_group", scope.log_groups, "--log-group"),
    ):
        if not names:
            continue
        known = [row[0] for row in run_select(lake, _DISTINCT[column]).rows]
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                click.echo(f"note: {option} {name} has no events in the lake{hint}", err=True)


_DISTINCT = {
    "function_name": "SELECT DISTINCT function_name FROM logs WHERE function_name IS NOT NULL",
    "log_group": "SELECT DISTINCT log_group FROM logs",
}


def _print_no_rows(start: datetime, end: datetime) -> None:
    click.echo(
        f"note: no rows between {start.isoformat(timespec='seconds')} and "
        f"{end.isoformat(timespec='seconds')}; widen the range with --since or --start/--end",
        err=True,
    )


def _print_truncation(outcome: InsightsResult) -> None:
    if outcome.truncated:
        click.echo(
            f"warning: showing the first {outcome.compiled.row_limit:,} rows; more matched. "
            "Raise --limit, or narrow the query",
            err=True,
        )


def _print_warnings(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
