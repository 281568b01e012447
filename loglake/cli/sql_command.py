"""``loglake sql``: read-only SQL over the lake's views."""

from __future__ import annotations

import threading

import click

from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.output import OutputFormat
from loglake.analytics.sql import QueryError, QueryResult, run_select
from loglake.cli.options import format_option, lake_option
from loglake.cli.render import print_result
from loglake.settings import load_settings


@click.command()
@lake_option
@format_option
@click.argument("query")
def sql(lake: str, output_format: OutputFormat, query: str) -> None:
    """Run one SELECT over the views logs and invocations (one row per REPORT).

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
        result = _run_interruptibly(opened, query)
    except QueryError as error:
        raise click.ClickException(str(error)) from error
    print_result(result, output_format)


def _run_interruptibly(lake: Lake, query: str) -> QueryResult:
    """Run the query on a worker thread, so Ctrl-C (SIGINT) can interrupt DuckDB.

    Python handles signals only on the main thread, between bytecodes, and DuckDB runs a
    query inside one long call, so the main thread waits and interrupts the connection.
    """
    outcome: dict[str, QueryResult | BaseException] = {}

    def work() -> None:
        try:
            outcome["result"] = run_select(lake, query)
        except BaseException as error:  # handed to the main thread, which raises it
            outcome["error"] = error

    # Not a daemon: a DuckDB call still running when the interpreter exits aborts the process.
    worker = threading.Thread(target=work, name="loglake-query")
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.1)
    except KeyboardInterrupt:
        lake.connection.interrupt()
        worker.join()
        lake.connection.close()
        raise click.Abort() from None

    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    result = outcome["result"]
    assert isinstance(result, QueryResult)
    return result
