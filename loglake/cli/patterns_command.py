"""``loglake patterns``: group log lines into patterns with stable IDs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

import click

from loglake.analytics.lake import open_lake
from loglake.analytics.patterns import PatternFilter, list_patterns
from loglake.analytics.sql import QueryResult
from loglake.cli.options import lake_option, time_range_options
from loglake.cli.render import print_result
from loglake.cli.timerange import resolve_range
from loglake.settings import load_settings


@click.command()
@lake_option
@time_range_options
@click.option(
    "--errors-only",
    is_flag=True,
    help="Only ERROR and FATAL lines, exceptions, platform lines of failed or timed-out "
    "invocations, and the REPORT of a failure that wrote no other error line.",
)
@click.option(
    "--function",
    "functions",
    multiple=True,
    metavar="NAME",
    help="Only lines of this Lambda function; repeat for several.",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=100,
    show_default=True,
    help="Patterns to list, most frequent first.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people; json (one array of pattern objects) for scripts.",
)
def patterns(
    lake: str,
    since: str | None,
    start: str | None,
    end: str | None,
    errors_only: bool,
    functions: tuple[str, ...],
    limit: int,
    output_format: Literal["table", "json"],
) -> None:
    """List the patterns of log lines: count, first and last seen, functions and a sample.

    A pattern is a line with its variable parts (IDs, numbers, times, addresses, quoted
    values) masked. Its ID is a hash of the masked text, so the same pattern has the same
    ID in every run, on every day and on every machine. First and last seen are within the
    time range. The range defaults to the last 24 hours.

    \b
    Example:
      loglake patterns --errors-only --since 6h --function orders-api
    """
    range_start, range_end = resolve_range(
        since, start, end, now=datetime.now(tz=UTC), default_since="24h"
    )
    opened = open_lake(lake, endpoint_url=load_settings().s3_endpoint_url)
    if opened.empty:
        click.echo(
            f"warning: {opened.url} holds no log objects yet; add some with loglake ingest, "
            "loglake import or loglake demo",
            err=True,
        )
    selection = PatternFilter(
        start=range_start,
        end=range_end,
        errors_only=errors_only,
        functions=functions,
        failed_reports=True,
    )
    result = list_patterns(opened, selection, limit=limit)
    if not result.rows and not opened.empty:
        click.echo(
            f"note: no {'error ' if errors_only else ''}lines between "
            f"{range_start.isoformat(timespec='seconds')} and "
            f"{range_end.isoformat(timespec='seconds')}; widen the range with --since or "
            "--start/--end",
            err=True,
        )
    title = (
        f"{'Error patterns' if errors_only else 'Patterns'} from {range_start.isoformat()} "
        f"to {range_end.isoformat()}"
    )
    if output_format == "table":
        result = _functions_as_text(result)
    print_result(result, output_format, title=title)


def _functions_as_text(result: QueryResult) -> QueryResult:
    """Return the result with each row's list of functions as comma-separated names."""
    index = result.columns.index("functions")
    rows = [(*row[:index], ", ".join(row[index] or []), *row[index + 1 :]) for row in result.rows]
    types = [*result.types[:index], "VARCHAR", *result.types[index + 1 :]]
    return QueryResult(columns=result.columns, types=types, rows=rows)
