"""Listing, reading and deleting lake objects together with their version tags.

``LakeStore`` puts and gets bodies. Compaction also needs to know which version of an object
it read, and to delete objects. An object's tag is its S3 ETag, or for a local file its
inode, size and modification time in nanoseconds. ``LocalStore`` replaces a file by renaming
a new one over it, so every write gives a new inode and a new time.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from loglake.ingest.errors import LakeWriteError
from loglake.ingest.store import LakeStore, LocalStore, S3Store

_DELETERS = 16
"""DeleteObject requests sent at once."""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    """One listed object: its key relative to the lake, version tag and last write time."""

    key: str
    tag: str
    size: int
    modified: datetime

    @property
    def name(self) -> str:
        """The last component of the key, such as ``compacted-....parquet``."""
        return self.key.rsplit("/", 1)[-1]


def list_objects(store: LakeStore, prefix: str) -> Iterator[ObjectInfo]:
    """Yield every object under ``prefix`` with its tag; local temporary files are skipped."""
    if isinstance(store, S3Store):
        yield from _list_s3(store, prefix)
    elif isinstance(store, LocalStore):
        yield from _list_local(store, prefix)
    else:
        raise TypeError(f"listing object versions of {type(store).__name__} is not supported")


def read_object(store: LakeStore, key: str) -> tuple[bytes, str] | None:
    """Return an object's body and the tag of that exact version, or None when it is gone."""
    if isinstance(store, S3Store):
        return _read_s3(store, key)
    if isinstance(store, LocalStore):
        return _read_local(store, key)
    raise TypeError(f"reading object versions of {type(store).__name__} is not supported")


def delete_objects(store: LakeStore, versions: Iterable[tuple[str, str | None]]) -> int:
    """Delete each ``(key, tag)`` if the object still has that tag, or any version for None.

    An object already gone, or written again since it was listed, is left alone. Returns how
    many objects were deleted; raises ``LakeWriteError`` naming the key that failed.
    """
    pending = sorted(set(versions))
    if isinstance(store, S3Store):
        return _delete_s3(store, pending)
    if isinstance(store, LocalStore):
        return sum(_delete_local(store, key, tag) for key, tag in pending)
    raise TypeError(f"deleting objects of {type(store).__name__} is not supported")


def _list_local(store: LocalStore, prefix: str) -> Iterator[ObjectInfo]:
    base = store.root / prefix
    if not base.is_dir():
        return
    for folder, _, files in os.walk(base):
        for file in sorted(files):
            if file.startswith(".tmp-"):
                continue
            path = Path(folder) / file
            try:
                status = path.stat()
            except FileNotFoundError:
                # Deleted between the folder read and the stat: it is not part of the listing.
                continue
            yield ObjectInfo(
                key=path.relative_to(store.root).as_posix(),
                tag=_local_tag(status),
                size=status.st_size,
                modified=datetime.fromtimestamp(status.st_mtime, tz=UTC),
            )


def _local_tag(status: os.stat_result) -> str:
    return f"{status.st_ino}-{status.st_size}-{status.st_mtime_ns}"


def _read_local(store: LocalStore, key: str) -> tuple[bytes, str] | None:
    try:
        with (store.root / key).open("rb") as file:
            # The open file keeps the version it opened even if a writer renames a new one over
            # the path, so the tag and the bytes describe the same version.
            tag = _local_tag(os.fstat(file.fileno()))
            return file.read(), tag
    except FileNotFoundError:
        return None


def _list_s3(store: S3Store, prefix: str) -> Iterator[ObjectInfo]:
    strip = len(store.prefix) + 1 if store.prefix else 0
    full_prefix = f"{store.prefix}/{prefix}" if store.prefix else prefix
    paginator = store.client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=store.bucket, Prefix=full_prefix):
        for item in page.get("Contents", []):
            yield ObjectInfo(
                key=item["Key"][strip:],
                tag=item["ETag"].strip('"'),
                size=item["Size"],
                modified=item["LastModified"].astimezone(UTC),
            )


def _read_s3(store: S3Store, key: str) -> tuple[bytes, str] | None:
    from botocore.exceptions import ClientError

    object_key = f"{store.prefix}/{key}" if store.prefix else key
    try:
        response = store.client.get_object(Bucket=store.bucket, Key=object_key)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
            return None
        raise
    return response["Body"].read(), response["ETag"].strip('"')


def _delete_local(store: LocalStore, key: str, tag: str | None) -> bool:
    path = store.root / key
    try:
        # NOTE: a write that renames a new file over the path between this check and the
        # unlink is lost. The window is microseconds; S3 deletes are conditional instead.
        if tag is not None and _local_tag(path.stat()) != tag:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as error:
        raise LakeWriteError(f"deleting {path} failed: {error}") from error
    return True


def _delete_s3(store: S3Store, versions: list[tuple[str, str | None]]) -> int:
    """Delete with DeleteObject, conditional on the ETag (If-Match) where one is given.

    S3 allows a delete conditional on an ETag only to a caller that may also GetObject.
    """
    with ThreadPoolExecutor(max_workers=_DELETERS) as pool:
        return sum(pool.map(lambda version: _delete_s3_object(store, *version), versions))


def _delete_s3_object(store: S3Store, key: str, tag: str | None) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    object_key = f"{store.prefix}/{key}" if store.prefix else key
    try:
        if tag is None:
            store.client.delete_object(Bucket=store.bucket, Key=object_key)
        else:
            store.client.delete_object(Bucket=store.bucket, Key=object_key, IfMatch=f'"{tag}"')
    except ClientError as error:
        code = error.response.get("Error", {}).get("Code")
        if code in ("PreconditionFailed", "412", "NoSuchKey", "404"):
            return False
        raise LakeWriteError(
            f"DeleteObject s3://{store.bucket}/{object_key} failed: {error}"
        ) from error
    except BotoCoreError as error:
        raise LakeWriteError(
            f"DeleteObject s3://{store.bucket}/{object_key} failed: {error}"
        ) from error
    return True
