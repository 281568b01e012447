"""``loglake import``: backfill a log group from the CloudWatch Logs API."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import Progress

from loglake.cli.options import lake_option, time_range_options
from loglake.cli.timerange import resolve_range
from loglake.ingest.backfill import HourWindow, hour_windows, import_log_group, logs_client
from loglake.ingest.pipeline import Ingestor, IngestReport
from loglake.ingest.store import open_store
from loglake.settings import load_settings


@click.command("import")
@lake_option
@click.option(
    "--log-group", required=True, help="Log group to read, such as /aws/lambda/orders-api."
)
@time_range_options
@click.option("--region", help="Region of the log group; default from the AWS configuration.")
def import_(
    lake: str,
    log_group: str,
    since: str | None,
    start: str | None,
    end: str | None,
    region: str | None,
) -> None:
    """Backfill a log group with FilterLogEvents, one whole hour at a time.

    The range widens to whole hours (default: the last 2 hours). Importing an hour again
    replaces what an earlier import wrote for that hour of that group.
    """
    settings = load_settings()
    range_start, range_end = resolve_range(
        since, start, end, now=datetime.now(tz=UTC), default_since="2h"
    )
    start_ms = int(range_start.timestamp() * 1000)
    end_ms = int(range_end.timestamp() * 1000)
    ingestor = Ingestor(
        store=open_store(lake, endpoint_url=settings.s3_endpoint_url),
        row_group_rows=settings.row_group_rows,
        default_region=region or settings.region,
    )
    client = logs_client(region=region)

    windows = len(list(hour_windows(start_ms, end_ms)))
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(f"importing {log_group}", total=windows)

        def advance(window: HourWindow, report: IngestReport) -> None:
            progress.advance(task)

        try:
            total = import_log_group(
                client, ingestor, log_group, start_ms=start_ms, end_ms=end_ms, on_window=advance
            )
        except (BotoCoreError, ClientError) as error:
            raise click.ClickException(
                f"FilterLogEvents on {log_group} failed: {error}. Check the log group name, "
                "--region and the AWS credentials."
            ) from error

    click.echo(
        f"{log_group}: {windows} hour(s), {total.events_in} events in, {total.rows_out} rows "
        f"written to {lake} in {len(total.objects)} object(s)"
    )
