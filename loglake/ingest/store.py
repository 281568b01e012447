"""Object storage behind a lake URL: a local folder or an S3 prefix, with one interface.

Keys are relative, ``/``-separated paths such as ``logs/date=2026-11-02/hour=08/x.parquet``.
A put replaces an existing object atomically in both stores, so readers never see half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlparse

from loglake.ingest.errors import LakeWriteError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client


class LakeStore(Protocol):
    """Storage of lake objects under one root."""

    url: str

    def put(self, key: str, body: bytes) -> None:
        """Write ``body`` at ``key``, replacing any object there."""

    def get(self, key: str) -> bytes | None:
        """Return the object at ``key``, or None when there is none."""

    def list(self, prefix: str) -> Iterator[str]:
        """Yield the keys under ``prefix``."""


class LocalStore:
    """A lake in a local folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.url = str(root)

    def put(self, key: str, body: bytes) -> None:
        """Write through a temporary file and rename it, so a reader sees all or nothing."""
        path = self.root / key
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        except OSError as error:
            raise LakeWriteError(f"writing {path} failed: {error}") from error
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            Path(temporary).replace(path)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise LakeWriteError(f"writing {path} failed: {error}") from error

    def get(self, key: str) -> bytes | None:
        """Return the file's bytes, or None when it does not exist."""
        try:
            return (self.root / key).read_bytes()
        except FileNotFoundError:
            return None

    def list(self, prefix: str) -> Iterator[str]:
        """Yield the keys of files under ``prefix``, skipping temporary files."""
        base = self.root / prefix
        if not base.exists():
            return
        for path in sorted(base.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                yield path.relative_to(self.root).as_posix()


class S3Store:
    """A lake under an S3 prefix, written with boto3."""

    def __init__(self, bucket: str, prefix: str, client: S3Client) -> None:
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")

    def _object_key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, body: bytes) -> None:
        """Upload with PutObject; failures raise ``LakeWriteError`` so the caller can retry."""
        from botocore.exceptions import BotoCoreError, ClientError

        object_key = self._object_key(key)
        try:
            self.client.put_object(Bucket=self.bucket, Key=object_key, Body=body)
        except (BotoCoreError, ClientError) as error:
            raise LakeWriteError(
                f"PutObject s3://{self.bucket}/{object_key} failed: {error}"
            ) from error

    def get(self, key: str) -> bytes | None:
        """Download with GetObject; None when the key does not exist."""
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._object_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                return None
            raise
        return response["Body"].read()

    def list(self, prefix: str) -> Iterator[str]:
        """Yield keys under ``prefix`` with ListObjectsV2, page by page."""
        strip = len(self.prefix) + 1 if self.prefix else 0
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=self._object_key(prefix)):
            for item in page.get("Contents", []):
                yield item["Key"][strip:]


_GLOB_CHARACTERS = frozenset("*?[]{}")


def check_lake_url(url: str) -> None:
    """Raise ValueError, naming the fix, for a lake URL that readers could not address.

    DuckDB reads the lake through glob patterns, so the URL must not contain glob
    characters of its own.
    """
    if not url.strip():
        raise ValueError("the lake URL is empty: use a local folder or s3://bucket/prefix")
    found = sorted(_GLOB_CHARACTERS.intersection(url))
    if found:
        raise ValueError(
            f"lake URL {url!r} contains {' '.join(found)}, which DuckDB reads as glob "
            "patterns: choose a folder or prefix without them"
        )
    if url.startswith("s3://"):
        if not urlparse(url).netloc:
            raise ValueError(f"lake URL {url!r} has no bucket: expected s3://bucket/prefix")
        if ".." in url.split("/"):
            raise ValueError(f"lake URL {url!r} contains '..': name the S3 prefix directly")


def open_store(url: str, *, s3_client: Any = None, endpoint_url: str | None = None) -> LakeStore:
    """Open the store for a lake URL: ``s3://bucket/prefix`` or a local folder path."""
    check_lake_url(url)
    parsed = urlparse(url)
    if parsed.scheme == "s3":
        if not parsed.netloc:
            raise ValueError(f"lake URL {url!r} has no bucket: expected s3://bucket/prefix")
        client = s3_client if s3_client is not None else _s3_client(endpoint_url)
        return S3Store(parsed.netloc, parsed.path, client)

    if parsed.scheme not in ("", "file"):
        raise ValueError(
            f"lake URL {url!r} is not supported: use a local folder or s3://bucket/prefix"
        )
    return LocalStore(Path(parsed.path if parsed.scheme == "file" else url))


def _s3_client(endpoint_url: str | None) -> S3Client:
    import boto3

    return boto3.client("s3", endpoint_url=endpoint_url)
