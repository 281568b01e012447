"""``loglake demo``: build a sample lake through the real ingest handler and summarise it."""

from __future__ import annotations

import importlib
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any
from unittest import mock

import click

from loglake.analytics.lake import open_lake
from loglake.analytics.sql import run_select
from loglake.analytics.summary import function_summary
from loglake.cli.options import lake_option
from loglake.cli.render import print_result
from loglake.settings import load_settings


@click.command()
@lake_option
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    help="UTC day the sample covers.  [default: yesterday]",
)
@click.option(
    "--invocations",
    type=click.IntRange(min=1),
    default=2000,
    show_default=True,
    help="Invocations across all functions.",
)
@click.option("--seed", default=7, show_default=True, help="Seed of the sample generator.")
def demo(lake: str, day: datetime | None, invocations: int, seed: int) -> None:
    """Send a day of sample deliveries through the ingest handler, then summarise the lake.

    The sample account has functions on several runtimes and both log formats, with cold
    starts, errors, a timeout, an out-of-memory kill and database connection errors. Equal
    dates and seeds give equal lakes, and running the demo again replaces its own objects.
    """
    if lake.startswith("s3://"):
        raise click.UsageError("the demo writes a local lake: pass --lake FOLDER")

    from loglake.demo import generate_deliveries

    start = (day or datetime.now(tz=UTC) - timedelta(days=1)).replace(
        hour=0, minute=0, second=0, microsecond=0, tzinfo=UTC
    )
    handler = _load_handler(lake)
    started = time.perf_counter()
    deliveries = 0
    for deliveries, event in enumerate(
        generate_deliveries(start=start, invocations=invocations, seed=seed), start=1
    ):
        handler.handler(event, _context(deliveries))
    elapsed = time.perf_counter() - started
    traces, segments = _write_traces(lake, start, invocations, seed)

    click.echo(
        f"Sent {deliveries} deliveries for {start:%Y-%m-%d} through the ingest handler "
        f"in {elapsed:.1f} s; lake: {Path(lake).resolve()}\n"
    )
    click.echo(f"Wrote {traces} X-Ray traces with {segments} segments of the traced functions.\n")
    print_result(function_summary(open_lake(lake)), "table", title="Functions")
    click.echo(
        f"\nNext: loglake query --lake {lake} "
        "'filter ispresent(@errorType) | stats count(*) as n by @function, @errorType "
        "| sort n desc'"
    )
    click.echo(f"      loglake query --lake {lake} cold-starts-by-function --since 3d")
    click.echo(
        f"      loglake sql --lake {lake} "
        '"SELECT function_name, count(*) FROM invocations GROUP BY ALL"'
    )
    example = _traced_cold_start(lake)
    if example is not None:
        click.echo(f"      loglake request --lake {lake} {example[0]}")
        click.echo(f"      loglake trace --lake {lake} {example[1]}")


def _traced_cold_start(lake: str) -> tuple[str, str] | None:
    """Return the request ID and trace ID of the first cold start whose trace is in the lake."""
    result = run_select(
        open_lake(lake),
        "SELECT request_id, trace_id FROM invocations JOIN traces USING (trace_id) "
        "WHERE cold_start ORDER BY invocations.timestamp LIMIT 1",
    )
    return (str(result.rows[0][0]), str(result.rows[0][1])) if result.rows else None


def _write_traces(lake: str, start: datetime, invocations: int, seed: int) -> tuple[int, int]:
    """Write the sample's traces through the X-Ray poller's own reading and writing steps."""
    from loglake.demo import generate_traces
    from loglake.ingest.store import open_store
    from loglake.ingest.xray.poller import TraceWindow, read_summary_pages, write_pulled_traces

    store = open_store(lake)
    ingestion_time_us = time.time_ns() // 1000
    traces = segments = 0
    for sample in generate_traces(start=start, invocations=invocations, seed=seed):
        window = TraceWindow(sample.start_s, sample.end_s)
        summaries = read_summary_pages(
            sample.summary_pages,
            ingestion_time_us=ingestion_time_us,
            region="us-east-1",
            label=f"demo window {window}",
        )
        wanted = set(summaries.lambda_trace_ids)
        report = write_pulled_traces(
            store,
            summaries,
            [trace for trace in sample.traces if trace["Id"] in wanted],
            name=window.name,
            ingestion_time_us=ingestion_time_us,
            row_group_rows=load_settings().row_group_rows,
            label=f"demo window {window}",
        )
        if report.failures:
            raise click.ClickException(f"demo traces failed to decode: {report.failures[:3]}")
        traces += report.traces
        segments += report.segments
    return traces, segments


def _load_handler(lake: str) -> ModuleType:
    """Import the handler as Lambda would, with the lake and log level set in the environment.

    The handler reads its settings when imported, so the environment is restored afterwards
    and callers in the same process (tests, the dashboard) keep their own settings.
    """
    environment = {
        "LOGLAKE_LAKE": lake,
        "LOGLAKE_LOG_LEVEL": os.environ.get("LOGLAKE_LOG_LEVEL", "WARNING"),
        "AWS_REGION": os.environ.get("AWS_REGION", "us-east-1"),
    }
    with mock.patch.dict(os.environ, environment):
        name = "loglake.ingest.handler"
        module = sys.modules.get(name)
        return importlib.reload(module) if module else importlib.import_module(name)


def _context(sequence: int) -> Any:
    return SimpleNamespace(aws_request_id=f"demo-{sequence:06d}", function_name="loglake-ingest")
