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
LOG_LEVEL = Setting("LOGLAKE_LOG_LEVEL", "INFO", "Level of loglake's own JSON logs.")

ALL_SETTINGS: tuple[Setting, ...] = (LAKE, REGION, S3_ENDPOINT_URL, ROW_GROUP_ROWS, LOG_LEVEL)


@dataclass(frozen=True, slots=True)
class Settings:
    """Settings in force for one process."""

    lake: str
    region: str | None
    s3_endpoint_url: str | None
    row_group_rows: int
    log_level: str


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read every setting from the environment, falling back to the declared defaults."""
    env = os.environ if environ is None else environ

    def read(setting: Setting) -> str | None:
        return env.get(setting.env) or setting.default

    row_group_rows = read(ROW_GROUP_ROWS) or ""
    if not row_group_rows.isdigit() or int(row_group_rows) == 0:
        raise ValueError(
            f"{ROW_GROUP_ROWS.env}={row_group_rows!r} is invalid: expected a positive integer "
            f"such as {ROW_GROUP_ROWS.default}"
        )

    return Settings(
        lake=read(LAKE) or "lake",
        region=read(REGION),
        s3_endpoint_url=read(S3_ENDPOINT_URL),
        row_group_rows=int(row_group_rows),
        log_level=(read(LOG_LEVEL) or "INFO").upper(),
    )
