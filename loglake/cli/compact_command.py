"""``loglake compact``: merge each closed hour's objects into one file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click

from loglake.cli.options import lake_option
from loglake.cli.timerange import parse_duration
from loglake.ingest.compact.compactor import CompactionReport, compact_lake
from loglake.ingest.store import open_store
from loglake.settings import COMPACT_OLDER_THAN_MINUTES, load_settings


@click.command()
@lake_option
@click.option(
    "--older-than",
    help="Merge only hours that ended at least this long ago, such as 2h or 90m.",
    show_default=f"${COMPACT_OLDER_THAN_MINUTES.env} minutes, else 120m",
)
@click.option("--dry-run", is_flag=True, help="Read and merge, but write and delete nothing.")
def compact(lake: str, older_than: str | None, dry_run: bool) -> None:
    """Merge each closed hour of logs, traces and segments into one sorted file.

    An hour with two or more objects becomes one compacted-<id>.parquet, with one row per
    event: copies of an event that arrived twice (a subscription and an import) are merged.
    The merged objects stay until a later run, at least LOGLAKE_COMPACT_GRACE_MINUTES after,
    deletes them; queries never count a row twice or miss one meanwhile.
    """
    settings = load_settings()
    if older_than is None:
        minimum_age = timedelta(minutes=settings.compact_older_than_minutes)
    else:
        minimum_age = parse_duration(older_than)
    store = open_store(lake, endpoint_url=settings.s3_endpoint_url)
    report = compact_lake(
        store,
        now=datetime.now(tz=UTC),
        older_than=minimum_age,
        grace=timedelta(minutes=settings.compact_grace_minutes),
        row_group_rows=settings.row_group_rows,
        dry_run=dry_run,
    )
    for line in _report_lines(report, dry_run):
        click.echo(line)
    for reason in report.skipped:
        click.echo(f"warning: skipped {reason}; the next run merges it", err=True)
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    if report.failures:
        raise SystemExit(1)


def _report_lines(report: CompactionReport, dry_run: bool) -> list[str]:
    merge_verb = "would merge" if dry_run else "merged"
    lines = [
        f"{hour.table}/{hour.partition}: {merge_verb} {hour.objects_in} objects, "
        f"{hour.rows_in} rows into {hour.rows_out}"
        + ("" if hour.output is None else f" ({hour.output}, {hour.bytes_out} bytes)")
        for hour in report.hours
    ]
    delete_verb = "would delete" if dry_run else "deleted"
    lines.append(
        f"{len(report.hours)} hour(s) {merge_verb}, {report.duplicates_removed} duplicate "
        f"row(s) removed; {delete_verb} {len(report.deleted)} replaced object(s) and "
        "manifest(s) past the grace period"
    )
    return lines
