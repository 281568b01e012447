"""``loglake ingest``: files and folders of deliveries, exports and API output into the lake."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
from rich.console import Console
from rich.progress import Progress

from loglake.cli.options import lake_option
from loglake.ingest.decode import decode_file
from loglake.ingest.pipeline import Ingestor, IngestReport
from loglake.ingest.store import LocalStore, open_store
from loglake.ingest.write import LOGS_PREFIX
from loglake.ingest.xray.files import read_xray_file
from loglake.settings import load_settings

PROGRESS_MIN_FILES = 5
"""A progress bar appears on a terminal when a command reads at least this many files."""


@dataclass(frozen=True, slots=True)
class _FileDefaults:
    """Command-line values for files that do not name their log group, stream, owner or region."""

    log_group: str | None
    log_stream: str | None
    owner: str | None
    region: str | None
    max_file_bytes: int


@click.command()
@lake_option
@click.option(
    "--log-group", help="Log group of files that do not name one (exports, get-log-events output)."
)
@click.option(
    "--log-stream", help="Log stream of files that do not name one (get-log-events output)."
)
@click.option("--owner", help="Account ID recorded for files that do not name one.")
@click.option("--region", help="Region recorded for files that do not name one.")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def ingest(
    lake: str,
    log_group: str | None,
    log_stream: str | None,
    owner: str | None,
    region: str | None,
    paths: tuple[Path, ...],
) -> None:
    """Ingest files or folders of CloudWatch Logs deliveries into the lake.

    Reads saved Lambda events (subscription, Kinesis, Firehose), Firehose objects from S3,
    `aws logs filter-log-events` or `get-log-events` output, CloudWatch export files, and
    `aws xray get-trace-summaries` or `batch-get-traces` output, gzip'd or not. Folders are
    read recursively, skipping hidden files and the lake's logs. Every good file lands even
    when others are bad; the command then exits 1 and names each bad file and why.
    """
    settings = load_settings()
    store = open_store(lake, endpoint_url=settings.s3_endpoint_url)
    ingestor = Ingestor(
        store=store,
        row_group_rows=settings.row_group_rows,
        default_region=region or settings.region,
    )
    defaults = _FileDefaults(log_group, log_stream, owner, region, settings.max_file_bytes)
    # The lake's own Parquet objects are never input; its quarantine/ folder can be.
    lake_logs = (store.root / LOGS_PREFIX).resolve() if isinstance(store, LocalStore) else None
    files = sorted(_files(paths, lake_logs))
    total = IngestReport()
    bad: list[str] = []

    console = Console(stderr=True)
    show_progress = len(files) >= PROGRESS_MIN_FILES and console.is_terminal
    with Progress(console=console, disable=not show_progress, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for path in files:
            bad.extend(_ingest_file(ingestor, path, defaults, total))
            progress.advance(task)

    click.echo(_summary(total, len(files), lake))
    for line in bad:
        # A file name that is not UTF-8 decodes to lone surrogates, which stderr cannot encode.
        click.echo(f"error: {line}".encode("utf-8", "backslashreplace").decode(), err=True)
    if bad:
        sys.exit(1)


def _ingest_file(
    ingestor: Ingestor, path: Path, defaults: _FileDefaults, total: IngestReport
) -> list[str]:
    """Ingest one file; return a line per problem, naming the file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return [f"file {path}: cannot be read: {error.strerror}"]

    try:
        xray_output = read_xray_file(
            data,
            name=str(path),
            ingestion_time_us=ingestor.clock_ms() * 1000,
            region=defaults.region,
            max_decompressed_bytes=defaults.max_file_bytes,
        )
    except Exception as error:  # one file's decoder bug must not stop the other files
        return [f"file {path}: decoding failed unexpectedly ({error!r}); please report it"]
    if xray_output is not None:
        total.merge(ingestor.ingest_xray_output(xray_output))
        return xray_output.failures

    try:
        records = decode_file(
            data,
            name=str(path),
            log_group=defaults.log_group,
            log_stream=defaults.log_stream,
            owner=defaults.owner,
            region=defaults.region,
            max_decompressed_bytes=defaults.max_file_bytes,
        )
    except Exception as error:  # one file's decoder bug must not stop the other files
        return [f"file {path}: decoding failed unexpectedly ({error!r}); please report it"]

    report = ingestor.ingest_in_chunks(records, source="file")
    total.merge(report)
    # Each failure already names its file and the record within it, as "file <path>#<n>".
    return report.failures


def _files(paths: tuple[Path, ...], lake_logs: Path | None) -> Iterator[Path]:
    for path in paths:
        if not path.is_dir():
            yield path
            continue

        # Hidden files and folders inside the given folder are skipped; the folder's own
        # path may contain any name, such as "..".
        for child in path.rglob("*"):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            if child.is_file() and not hidden and not _inside(child, lake_logs):
                yield child


def _inside(path: Path, root: Path | None) -> bool:
    return root is not None and path.resolve().is_relative_to(root)


def _summary(report: IngestReport, files: int, lake: str) -> str:
    summary = (
        f"{files} file(s): {report.events_in} events in, {report.rows_out} rows written to "
        f"{lake} in {len(report.objects)} object(s)"
    )
    if report.traces_out or report.segments_out:
        summary += (
            f"; {report.traces_out} trace summaries and {report.segments_out} segments written"
        )
    if report.control_messages:
        summary += f"; {report.control_messages} control message(s) skipped"
    if report.quarantined:
        summary += f"; {len(report.quarantined)} payload(s) quarantined under quarantine/"
    return summary
