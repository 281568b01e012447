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

import click

from loglake.analytics.lake import open_lake
from loglake.analytics.summary import function_summary
from loglake.cli.options import lake_option
from loglake.cli.render import print_result


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

    click.echo(
        f"Sent {deliveries} deliveries for {start:%Y-%m-%d} through the ingest handler "
        f"in {elapsed:.1f} s; lake: {Path(lake).resolve()}\n"
    )
    print_result(function_summary(open_lake(lake)), "table", title="Functions")
    click.echo(
        "\nNext: loglake sql --lake "
        f'{lake} "SELECT function_name, error_type, count(*) AS n FROM logs '
        'WHERE error_type IS NOT NULL GROUP BY ALL ORDER BY n DESC"'
    )


def _load_handler(lake: str) -> ModuleType:
    """Import the handler as Lambda would, with the lake and log level set in the environment."""
    os.environ["LOGLAKE_LAKE"] = lake
    os.environ.setdefault("LOGLAKE_LOG_LEVEL", "WARNING")
    os.environ.setdefault("AWS_REGION", "us-east-1")
    name = "loglake.ingest.handler"
    module = sys.modules.get(name)
    return importlib.reload(module) if module else importlib.import_module(name)


def _context(sequence: int) -> Any:
    return SimpleNamespace(aws_request_id=f"demo-{sequence:06d}", function_name="loglake-ingest")
