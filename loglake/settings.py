"""Every setting loglake reads from the environment, declared once with its default and unit.

Both the ingest Lambda and the CLI read settings through :func:`load_settings`; command-line
options override the environment where a command offers one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment variable: its name, default and meaning."""

    env: str
    default: str | None
    help: str


LAKE = Setting("LOGLAKE_LAKE", "lake", "Lake URL: a local folder or s3://bucket/prefix.")
REGION = Setting(
    "AWS_REGION",
    None,
    "Region recorded on rows whose delivery names none; Lambda sets it for the ingest function.",
)
S3_ENDPOINT_URL = Setting(
    "AWS_ENDPOINT_URL_S3",
    None,
    "S3 endpoint for an S3-compatible server (boto3 and DuckDB both use it); unset for AWS.",
)
ROW_GROUP_ROWS = Setting(
    "LOGLAKE_ROW_GROUP_ROWS",
    "131072",
    "Rows per Parquet row group; smaller groups let needle lookups skip more data.",
)
MAX_FILE_MB = Setting(
    "LOGLAKE_MAX_FILE_MB",
    "256",
    "Largest decompressed file loglake ingest reads, in MiB; a guard against gzip bombs. "
    "Memory use can peak near 12 times this size, because the whole file is decoded at once.",
)
LOG_LEVEL = Setting("LOGLAKE_LOG_LEVEL", "INFO", "Level of loglake's own JSON logs.")
XRAY_WINDOW_MINUTES = Setting(
    "LOGLAKE_XRAY_WINDOW_MINUTES",
    "5",
    "Minutes of trace updates the X-Ray poller reads per GetTraceSummaries window; a "
    "divisor of 60.",
)
XRAY_DELAY_SECONDS = Setting(
    "LOGLAKE_XRAY_DELAY_SECONDS",
    "120",
    "Seconds the X-Ray poller waits after a window ends before reading it, while X-Ray "
    "indexes late segments.",
)
COMPACT_OLDER_THAN_MINUTES = Setting(
    "LOGLAKE_COMPACT_OLDER_THAN_MINUTES",
    "120",
    "Minutes after an hour ends before compaction merges it; loglake compact --older-than "
    "overrides it.",
)
COMPACT_GRACE_MINUTES = Setting(
    "LOGLAKE_COMPACT_GRACE_MINUTES",
    "30",
    "Minutes compaction keeps the objects it merged before deleting them; a query must finish, "
    "and a long-lived reader must reopen the lake, within this time.",
)
QUERIES = Setting(
    "LOGLAKE_QUERIES",
    None,
    "Folder of saved query files (NAME.yaml); unset uses the saved queries loglake ships.",
)
ATHENA_WORKGROUP = Setting(
    "LOGLAKE_ATHENA_WORKGROUP",
    "primary",
    "Athena workgroup of loglake query --engine athena; the stack's is its "
    "AthenaWorkGroupName output.",
)
ATHENA_DATABASE = Setting(
    "LOGLAKE_ATHENA_DATABASE",
    None,
    "Glue database of loglake query --engine athena: the stack's GlueDatabaseName output.",
)
ATHENA_OUTPUT_LOCATION = Setting(
    "LOGLAKE_ATHENA_OUTPUT_LOCATION",
    None,
    "s3:// folder for Athena's result files; unset uses the workgroup's own setting.",
)

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

ALL_SETTINGS: tuple[Setting, ...] = (
    LAKE,
    REGION,
    S3_ENDPOINT_URL,
    ROW_GROUP_ROWS,
    MAX_FILE_MB,
    LOG_LEVEL,
    QUERIES,
    XRAY_WINDOW_MINUTES,
    XRAY_DELAY_SECONDS,
    COMPACT_OLDER_THAN_MINUTES,
    COMPACT_GRACE_MINUTES,
    ATHENA_WORKGROUP,
    ATHENA_DATABASE,
    ATHENA_OUTPUT_LOCATION,
)


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings in force for one process."""

    lake: str
    region: str | None
    s3_endpoint_url: str | None
    row_group_rows: int
    max_file_bytes: int
    log_level: str
    xray_window_minutes: int
    xray_delay_seconds: int
    queries_folder: str | None
    compact_older_than_minutes: int
    compact_grace_minutes: int
    athena_workgroup: str
    athena_database: str | None
    athena_output_location: str | None


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from the environment, falling back to the declared defaults."""
    env = os.environ if environ is None else environ

    def read(setting: Setting) -> str | None:
        return env.get(setting.env) or setting.default

    row_group_rows = _positive_integer(ROW_GROUP_ROWS, read(ROW_GROUP_ROWS))
    max_file_mb = _positive_integer(MAX_FILE_MB, read(MAX_FILE_MB))
    xray_window_minutes = _positive_integer(XRAY_WINDOW_MINUTES, read(XRAY_WINDOW_MINUTES))
    if 60 % xray_window_minutes:
        raise ValueError(
            f"{XRAY_WINDOW_MINUTES.env}={xray_window_minutes} is invalid: expected a divisor "
            "of 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60), so windows never span hours"
        )

    log_level = (read(LOG_LEVEL) or "INFO").upper()
    if log_level not in _LOG_LEVELS:
        raise ValueError(
            f"{LOG_LEVEL.env}={log_level!r} is invalid: expected one of {', '.join(_LOG_LEVELS)}"
        )

    return Settings(
        lake=read(LAKE) or "lake",
        region=read(REGION),
        s3_endpoint_url=read(S3_ENDPOINT_URL),
        row_group_rows=row_group_rows,
        max_file_bytes=max_file_mb * 1024 * 1024,
        log_level=log_level,
        xray_window_minutes=xray_window_minutes,
        xray_delay_seconds=_positive_integer(XRAY_DELAY_SECONDS, read(XRAY_DELAY_SECONDS)),
        queries_folder=read(QUERIES),
        compact_older_than_minutes=_positive_integer(
            COMPACT_OLDER_THAN_MINUTES, read(COMPACT_OLDER_THAN_MINUTES)
        ),
        compact_grace_minutes=_positive_integer(COMPACT_GRACE_MINUTES, read(COMPACT_GRACE_MINUTES)),
        athena_workgroup=read(ATHENA_WORKGROUP) or "primary",
        athena_database=read(ATHENA_DATABASE),
        athena_output_location=read(ATHENA_OUTPUT_LOCATION),
    )


_MAX_SETTING_INTEGER = 2**31 - 1


def _positive_integer(setting: Setting, value: str | None) -> int:
    text = value or ""
    if not (text.isdigit() and len(text) <= 10 and 0 < int(text) <= _MAX_SETTING_INTEGER):
        raise ValueError(
            f"{setting.env}={text!r} is invalid: expected a positive integer below 2**31, "
            f"such as {setting.default}"
        )
    return int(text)
