"""A fingerprint of a lake's objects, so cached results are reused until the lake changes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from loglake.ingest.store import check_lake_url

TABLE_FOLDERS = ("logs", "traces", "segments")
"""The folders whose objects the lake's views read."""


@dataclass(frozen=True, slots=True)
class LakeFingerprint:
    """A summary of the lake's listing: object count, total size and newest change.

    An ingest that adds an object changes the count, and one that replaces an object (a
    redelivered batch keeps its object names) changes the newest modification time.
    """

    objects: int
    total_bytes: int
    newest: datetime | None
    """Modification time of the most recently written object; None for an empty lake."""


def lake_fingerprint(
    url: str, *, endpoint_url: str | None = None, s3_client: Any = None
) -> LakeFingerprint:
    """List the lake's ``logs``, ``traces`` and ``segments`` objects and return their fingerprint.

    A local lake is walked on disk; an S3 lake is listed with ListObjectsV2, one request per
    1,000 objects.
    """
    check_lake_url(url)
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        return _s3_fingerprint(parsed.netloc, parsed.path.strip("/"), endpoint_url, s3_client)
    root = Path(parsed.path if parsed.scheme == "file" else url)
    return _local_fingerprint(root)


def _local_fingerprint(root: Path) -> LakeFingerprint:
    objects = total = newest_ns = 0
    for folder in TABLE_FOLDERS:
        for directory, _, files in os.walk(root / folder):
            for name in files:
                if not name.endswith(".parquet"):
                    continue
                try:
                    status = (Path(directory) / name).stat()
                except FileNotFoundError:
                    # A compaction or rewrite removed the object while the walk ran.
                    continue
                objects += 1
                total += status.st_size
                newest_ns = max(newest_ns, status.st_mtime_ns)
    newest = datetime.fromtimestamp(newest_ns / 1e9, tz=UTC) if objects else None
    return LakeFingerprint(objects=objects, total_bytes=total, newest=newest)


def _s3_fingerprint(
    bucket: str, prefix: str, endpoint_url: str | None, s3_client: Any
) -> LakeFingerprint:
    if s3_client is None:
        import boto3

        s3_client = boto3.client("s3", endpoint_url=endpoint_url)
    paginator = s3_client.get_paginator("list_objects_v2")
    objects = total = 0
    newest: datetime | None = None
    for folder in TABLE_FOLDERS:
        key_prefix = f"{prefix}/{folder}/" if prefix else f"{folder}/"
        for page in paginator.paginate(Bucket=bucket, Prefix=key_prefix):
            for item in page.get("Contents", []):
                if not str(item["Key"]).endswith(".parquet"):
                    continue
                objects += 1
                total += int(item["Size"])
                modified: datetime = item["LastModified"]
                newest = modified if newest is None else max(newest, modified)
    return LakeFingerprint(objects=objects, total_bytes=total, newest=newest)
