"""DuckDB's access to S3 lakes, kept in this one module.

httpfs is loaded from the ``duckdb-extension-httpfs`` package, so no extension is downloaded.
Credentials come from boto3's chain (environment, profile, SSO, role),
so the CLI reads the same lake with the same identity as the AWS CLI would.
"""

from __future__ import annotations

from urllib.parse import urlparse

import duckdb

from loglake.analytics.extensions import ExtensionError, load_extension


class S3AccessError(RuntimeError):
    """DuckDB cannot reach an S3 lake: httpfs or credentials are missing."""


def enable_s3(connection: duckdb.DuckDBPyConnection, endpoint_url: str | None) -> None:
    """Load httpfs and create an S3 secret from boto3's credentials and the endpoint."""
    import boto3

    try:
        load_extension(connection, "httpfs")
    except ExtensionError as error:
        raise S3AccessError(f"reading an s3:// lake failed: {error}") from error

    session = boto3.Session()
    credentials = session.get_credentials()
    if credentials is None:
        raise S3AccessError(
            "no AWS credentials found for the s3:// lake: set AWS_PROFILE or "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    frozen = credentials.get_frozen_credentials()

    options: dict[str, str] = {
        "KEY_ID": str(frozen.access_key),
        "SECRET": str(frozen.secret_key),
        "REGION": session.region_name or "us-east-1",
    }
    if frozen.token:
        options["SESSION_TOKEN"] = frozen.token
    if endpoint_url:
        endpoint = urlparse(endpoint_url)
        options["ENDPOINT"] = endpoint.netloc
        options["URL_STYLE"] = "path"
        options["USE_SSL"] = "true" if endpoint.scheme == "https" else "false"

    settings = ", ".join(f"{key} {_literal(value)}" for key, value in options.items())
    connection.execute(f"CREATE OR REPLACE SECRET loglake_s3 (TYPE s3, {settings})")


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def _literal(value: str) -> str:
    if value in ("true", "false"):
        return value
    return f"'{_quoted(value)}'"
