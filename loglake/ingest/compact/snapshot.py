"""The objects of a table that a reader or a compaction reads: one listing plus manifests.

Objects are grouped by hour partition. In an hour with a merged object and at least one other
object, the manifests of its merged objects are read, and an object is hidden when a
manifest lists it with the same tag and that manifest's merged object is present. The merged
object contains every row of what it hides, so hiding never loses a row. Every other object is
visible.

An hour is *overlapping* when a merged object and another object are both visible: a late
delivery, an object written again after a compaction, a manifest not written yet, or two
compactions of the hour that ran at once. Its visible objects may share events, so readers
remove duplicates in that hour until the next compaction merges it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from loglake.ingest.compact.manifest import (
    CompactionError,
    Manifest,
    ManifestError,
    decode_manifest,
    is_compacted,
    manifest_key,
)
from loglake.ingest.compact.objects import ObjectInfo, list_objects
from loglake.ingest.store import LakeStore

_MANIFEST_READERS = 16
"""Manifests fetched at once; S3 serves each GET in tens of milliseconds."""

_GLOB_CHARACTERS = frozenset("*?[]{}")
_PARTITION = re.compile(r"date=\d{4}-\d{2}-\d{2}/hour=\d{2}")


@dataclass(frozen=True, slots=True)
class HourSnapshot:
    """One hour partition of a table as listed."""

    partition: str
    """``date=YYYY-MM-DD/hour=HH``."""
    objects: tuple[ObjectInfo, ...]
    visible: tuple[ObjectInfo, ...]
    hidden: tuple[ObjectInfo, ...]
    manifests: tuple[Manifest, ...]
    """Manifests of the merged objects present in the hour, where they were read."""

    @property
    def start(self) -> datetime:
        """The first instant of the hour, UTC."""
        date, hour = (part.split("=", 1)[1] for part in self.partition.split("/"))
        return datetime.fromisoformat(date).replace(hour=int(hour), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        """The first instant after the hour, UTC."""
        return self.start + timedelta(hours=1)

    @property
    def overlapping(self) -> bool:
        """Whether a merged object and another object are both visible."""
        return len(self.visible) > 1 and any(is_compacted(item.key) for item in self.visible)


@dataclass(frozen=True, slots=True)
class TableSnapshot:
    """The hour partitions of one table, in partition order."""

    table: str
    hours: tuple[HourSnapshot, ...]

    @property
    def visible(self) -> list[ObjectInfo]:
        """Every visible object of the table."""
        return [item for hour in self.hours for item in hour.visible]


def snapshot_table(store: LakeStore, table: str) -> TableSnapshot:
    """List ``table``'s Parquet objects and resolve which are visible.

    Raises ``CompactionError`` for an object outside a ``date=YYYY-MM-DD/hour=HH`` partition
    or with a key that DuckDB would read as a glob pattern, and ``ManifestError`` for a
    manifest that cannot be parsed.
    """
    by_partition: dict[str, list[ObjectInfo]] = defaultdict(list)
    for item in list_objects(store, f"{table}/"):
        parts = item.key.split("/")
        if len(parts) != 4 or not parts[3].endswith(".parquet"):
            continue
        found = sorted(_GLOB_CHARACTERS.intersection(item.key))
        if found:
            raise CompactionError(
                f"lake object {item.key!r} contains {' '.join(found)}, which DuckDB reads as "
                "glob patterns: loglake never writes such names, so move the object out of "
                "the lake"
            )
        partition = f"{parts[1]}/{parts[2]}"
        if not _PARTITION.fullmatch(partition):
            raise CompactionError(
                f"lake object {item.key!r} is not in a date=YYYY-MM-DD/hour=HH partition: "
                "loglake never writes it there, so move it out of the lake"
            )
        by_partition[partition].append(item)

    needed = [
        manifest_key(item.key)
        for objects in by_partition.values()
        if len(objects) > 1
        for item in objects
        if is_compacted(item.key)
    ]
    manifests = _read_manifests(store, needed)
    hours = tuple(
        _resolve_hour(partition, by_partition[partition], manifests)
        for partition in sorted(by_partition)
    )
    return TableSnapshot(table=table, hours=hours)


def _read_manifests(store: LakeStore, keys: list[str]) -> dict[str, Manifest]:
    def fetch(key: str) -> tuple[str, Manifest | None]:
        body = store.get(key)
        return key, None if body is None else decode_manifest(key, body)

    if not keys:
        return {}
    with ThreadPoolExecutor(max_workers=min(_MANIFEST_READERS, len(keys))) as pool:
        fetched = list(pool.map(fetch, keys))
    return {key: manifest for key, manifest in fetched if manifest is not None}


def _resolve_hour(
    partition: str, objects: list[ObjectInfo], manifests: dict[str, Manifest]
) -> HourSnapshot:
    present = {item.key: item for item in objects}
    found: list[Manifest] = []
    for item in objects:
        manifest = manifests.get(manifest_key(item.key))
        if manifest is None:
            continue
        if manifest.output != item.key:
            raise ManifestError(
                f"manifest {manifest_key(item.key)} describes {manifest.output}, not "
                f"{item.key}: delete the manifest and run loglake compact again"
            )
        found.append(manifest)

    hidden_keys = _hidden_keys(present, found)
    return HourSnapshot(
        partition=partition,
        objects=tuple(objects),
        visible=tuple(item for item in objects if item.key not in hidden_keys),
        hidden=tuple(item for item in objects if item.key in hidden_keys),
        manifests=tuple(found),
    )


def _hidden_keys(present: dict[str, ObjectInfo], manifests: Iterable[Manifest]) -> set[str]:
    hidden = set()
    for manifest in manifests:
        for replaced in manifest.replaced:
            listed = present.get(replaced.key)
            if (
                listed is not None
                and listed.tag == replaced.tag
                and replaced.key != manifest.output
            ):
                hidden.add(replaced.key)
    return hidden
