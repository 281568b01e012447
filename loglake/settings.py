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

_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

ALL_SETTINGS: tuple[Setting, ...] = (
    LAKE,
    REGION,
    S3_ENDPOINT_URL,
    ROW_GROUP_ROWS,
    MAX_FILE_MB,
    LOG_LEVEL,
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


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from the environment, falling back to the declared defaults."""
    env = os.environ if environ is None else environ

    def read(setting: Setting) -> str | None:
        return env.get(setting.env) or setting.default

    row_group_rows = _positive_integer(ROW_GROUP_ROWS, read(ROW_GROUP_ROWS))
    max_file_mb = _positive_integer(MAX_FILE_MB, read(MAX_FILE_MB))

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
