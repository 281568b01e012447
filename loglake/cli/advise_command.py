"""``loglake advise``: ranked findings per function, with evidence, impact and what to do."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from loglake.analytics.advisor import (
    ARCHITECTURES,
    Architecture,
    Report,
    Scope,
    UnknownFunctionError,
    advise,
    report_to_json,
    report_to_markdown,
)
from loglake.analytics.advisor.render import format_impact
from loglake.analytics.lake import open_lake
from loglake.analytics.sql import QueryError
from loglake.cli.options import lake_option, time_range_options
from loglake.cli.render import PIPED_WIDTH
from loglake.cli.timerange import resolve_range
from loglake.settings import load_settings

DEFAULT_SINCE = "7d"


@click.command("advise")
@lake_option
@time_range_options
@click.option("--function", "function_name", help="Advise on this function only.")
@click.option(
    "--architecture",
    type=click.Choice(ARCHITECTURES),
    default="x86_64",
    show_default=True,
    help="Instruction set the functions run on, which sets the Lambda prices; "
    "the logs do not record it.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="table for people; json for scripts; markdown for a report to paste into a ticket.",
)
def advise_command(
    lake: str,
    since: str | None,
    start: str | None,
    end: str | None,
    function_name: str | None,
    architecture: Architecture,
    output_format: str,
) -> None:
    """Rank findings per function by estimated monthly impact, with evidence and advice.

    Findings cover timeouts, out-of-memory kills, database connection exhaustion, memory
    size, log volume and format, billed init phases, cold starts and (from X-Ray segments)
    downstream calls made one after another. Monthly figures project the observed span to
    a 730-hour month at the list prices of the built-in price table. The range defaults to
    the last 7 days.

    \b
    Example:
      loglake advise --since 7d --format markdown > advisor-report.md
    """
    range_start, range_end = resolve_range(
        since, start, end, now=datetime.now(tz=UTC), default_since=DEFAULT_SINCE
    )
    opened = open_lake(lake, endpoint_url=load_settings().s3_endpoint_url)
    if opened.empty:
        click.echo(
            f"warning: {opened.url} holds no log objects yet; add some with loglake ingest, "
            "loglake import or loglake demo",
            err=True,
        )
    scope = Scope(start=range_start, end=range_end, function_name=function_name)
    try:
        report = advise(opened, scope, architecture=architecture)
    except UnknownFunctionError as error:
        raise click.BadParameter(str(error), param_hint="--function") from error
    except QueryError as error:
        raise click.ClickException(str(error)) from error

    if output_format == "json":
        click.echo(report_to_json(report))
    elif output_format == "markdown":
        click.echo(report_to_markdown(report), nl=False)
    else:
        _print_table(report)


def _print_table(report: Report) -> None:
    console = Console()
    if not console.is_terminal:
        console = Console(width=PIPED_WIDTH)

    start, end = report.scope.start.astimezone(UTC), report.scope.end.astimezone(UTC)
    table = Table(
        title=f"Findings, {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC",
        title_justify="left",
    )
    table.add_column("#", justify="right")
    table.add_column("function")
    table.add_column("finding")
    table.add_column("impact per month")
    table.add_column("evidence", overflow="fold")

    for rank, finding in enumerate(report.findings, start=1):
        function = finding.function_name
        if finding.function_version is not None:
            function += f" ({finding.function_version})"
        row = (function, finding.title, format_impact(finding), finding.summary)
        # Text keeps a log line's [markup] literal.
        table.add_row(str(rank), *(Text(cell) for cell in row))
    if not report.findings:
        table.caption = "no findings"

    console.print(table)
    for note in report.notes:
        console.print(Text(f"note: {note}"))
    console.print(Text("Details and what to do: --format markdown or --format json."))
