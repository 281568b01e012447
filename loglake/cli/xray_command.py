"""``loglake xray pull``: X-Ray trace summaries and Lambda segments into the lake."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import click
from botocore.exceptions import BotoCoreError, ClientError
from rich.console import Console
from rich.progress import Progress

from loglake.cli.options import lake_option, time_range_options
from loglake.cli.timerange import resolve_range
from loglake.ingest.store import open_store
from loglake.ingest.xray.api import XrayThrottledError, xray_client
from loglake.ingest.xray.checkpoint import CHECKPOINT_KEY, read_checkpoint
from loglake.ingest.xray.poller import PullReport, TracePoller, TraceWindow
from loglake.settings import load_settings


@click.group()
def xray() -> None:
    """Read AWS X-Ray traces into the lake."""


@xray.command()
@lake_option
@time_range_options
@click.option("--region", help="Region whose traces to read; default from the AWS configuration.")
def pull(
    lake: str, since: str | None, start: str | None, end: str | None, region: str | None
) -> None:
    """Pull trace summaries, and the segments of traces that enter Lambda, into the lake.

    Without a range, pull every complete window since the lake's checkpoint (the first pull
    starts one hour back) and move the checkpoint, as the scheduled poller does. With
    --since or --start/--end, pull that range of trace update times and leave the checkpoint
    alone. Pulling a window again replaces what the earlier pull wrote for it.
    """
    settings = load_settings()
    store = open_store(lake, endpoint_url=settings.s3_endpoint_url)
    poller = TracePoller(
        client=xray_client(region=region or settings.region),
        store=store,
        row_group_rows=settings.row_group_rows,
        window_s=settings.xray_window_minutes * 60,
        delay_s=settings.xray_delay_seconds,
        region=region or settings.region,
    )
    now = datetime.now(tz=UTC)
    ranged = since is not None or start is not None or end is not None
    if ranged:
        range_start, range_end = resolve_range(since, start, end, now=now, default_since="1h")
        start_s, end_s = int(range_start.timestamp()), int(range_end.timestamp())
        windows = poller.range_windows(start_s, end_s)
    else:
        windows = poller.pending_windows(int(now.timestamp()), read_checkpoint(store))

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("pulling X-Ray windows", total=len(windows))

        def advance(window: TraceWindow, report: PullReport) -> None:
            progress.advance(task)

        try:
            if ranged:
                report = poller.pull_range(start_s, end_s, on_window=advance)
            else:
                report = poller.pull_new(int(time.time()), on_window=advance)
        except (BotoCoreError, ClientError, XrayThrottledError) as error:
            raise click.ClickException(
                f"reading X-Ray failed: {error}. Check --region and the AWS credentials; "
                "windows pulled before the failure are written"
                + ("" if ranged else f" and {CHECKPOINT_KEY} marks where the next pull resumes")
            ) from error

    click.echo(_summary(report, lake, windows))
    for trace_id in report.unprocessed_trace_ids[:20]:
        click.echo(
            f"warning: X-Ray returned no segments for {trace_id}; pull again later", err=True
        )
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    if report.failures:
        raise SystemExit(1)


def _summary(report: PullReport, lake: str, windows: list[TraceWindow]) -> str:
    if not windows:
        return "no complete window to pull yet: the next one ends after the poll delay"
    pulled = TraceWindow(windows[0].start_s, windows[-1].end_s)
    summary = (
        f"{report.windows} window(s), {pulled}: {report.traces} trace(s) and "
        f"{report.segments} segment(s) written to {lake} in {len(report.objects)} object(s)"
    )
    if report.checkpoint_s is not None:
        checkpoint = datetime.fromtimestamp(report.checkpoint_s, tz=UTC)
        summary += f"; checkpoint at {checkpoint:%Y-%m-%dT%H:%M:%SZ}"
    return summary
