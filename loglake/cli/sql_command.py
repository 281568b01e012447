"""``loglake sql``: read-only SQL over the lake's views."""

from __future__ import annotations

import click

from loglake.analytics.lake import open_lake
from loglake.analytics.output import OutputFormat
from loglake.analytics.sql import QueryError, run_select
from loglake.cli.interrupt import run_interruptibly
from loglake.cli.options import format_option, lake_option
from loglake.cli.render import print_result
from loglake.settings import load_settings


@click.command()
@lake_option
@format_option
@click.argument("query")
def sql(lake: str, output_format: OutputFormat, query: str) -> None:
    """Run one SELECT over the views logs, invocations (one row per REPORT), traces and
    segments.

    \b
    Example:
      loglake sql "SELECT function_name, count(*) FROM invocations GROUP BY ALL"
    """
    opened = open_lake(lake, endpoint_url=load_settings().s3_endpoint_url)
    if opened.empty:
        click.echo(
            f"warning: {opened.url} holds no log objects yet; add some with loglake ingest, "
            "loglake import or loglake demo",
            err=True,
        )
    try:
        result = run_interruptibly(opened, lambda: run_select(opened, query))
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    print_result(result, output_format)
