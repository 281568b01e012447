"""One compaction run over a lake: merge closed hours, then delete what the grace period allows.

For each table (``logs``, ``traces``, ``segments``) a run lists the objects once, and:

1. merges every hour that ended at least ``older_than`` ago and has two or more visible
   objects: it reads them, keeps one row per key, writes ``compacted-<id>.parquet`` into the
   same partition and then its manifest;
2. deletes every object hidden by a manifest written at least ``grace`` ago, then the
   manifests of merged objects it deleted, and manifests whose merged object is gone.

Nothing is renamed, so S3 and local folders behave alike. Two runs over the same hour at once
each write their own merged object. Readers then see both and remove the duplicates, until
the next run merges the two.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pyarrow as pa

from loglake.ingest.compact.manifest import (
    COMPACTED_PREFIX,
    MANIFESTS_PREFIX,
    CompactionError,
    Manifest,
    ReplacedObject,
    encode_manifest,
    is_compacted,
    manifest_key,
    output_key_of,
)
from loglake.ingest.compact.merge import (
    COMPACTED_TABLES,
    CompactedTable,
    merge_tables,
    read_parquet_object,
)
from loglake.ingest.compact.objects import delete_objects, list_objects, read_object
from loglake.ingest.compact.snapshot import HourSnapshot, TableSnapshot, snapshot_table
from loglake.ingest.store import LakeStore


@dataclass(frozen=True, slots=True)
class HourCompaction:
    """One hour merged, or that would be merged in a dry run."""

    table: str
    partition: str
    objects_in: int
    rows_in: int
    rows_out: int
    output: str | None
    """Key of the merged object; None in a dry run."""
    bytes_out: int


@dataclass(slots=True)
class CompactionReport:
    """The outcome of one run: hours merged, objects deleted, hours left for the next run."""

    hours: list[HourCompaction] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    """Keys deleted, or that a dry run would delete."""
    skipped: list[str] = field(default_factory=list)
    """Hours left for the next run because an object changed while being read."""
    failures: list[str] = field(default_factory=list)
    """Hours that cannot be merged until someone fixes an object, each with the error."""
    stopped_early: bool = False

    @property
    def duplicates_removed(self) -> int:
        """Rows merged away because another copy of the same event or row was kept."""
        return sum(hour.rows_in - hour.rows_out for hour in self.hours)


def compact_lake(
    store: LakeStore,
    *,
    now: datetime,
    older_than: timedelta,
    grace: timedelta,
    row_group_rows: int,
    dry_run: bool = False,
    tables: Sequence[CompactedTable] = COMPACTED_TABLES,
    should_stop: Callable[[], bool] = lambda: False,
) -> CompactionReport:
    """Run one compaction over ``tables``; see the module documentation for the steps.

    ``should_stop`` is asked before each hour; once it returns True the run merges no more
    hours but still deletes. An hour with an object that is not valid Parquet of the table
    goes to ``failures`` and the run goes on. A dry run reads and merges but writes and
    deletes nothing.
    """
    report = CompactionReport()
    for spec in tables:
        snapshot = snapshot_table(store, spec.prefix)
        # Listed before this run writes, so that its own new manifests are never stale.
        manifests = {
            item.key: item.modified
            for item in list_objects(store, f"{MANIFESTS_PREFIX}/{spec.prefix}/")
            if item.key.endswith(".json")
        }
        for hour in snapshot.hours:
            if hour.end > now - older_than or len(hour.visible) < 2:
                continue
            if should_stop():
                report.stopped_early = True
                break
            try:
                compacted = _compact_hour(store, spec, hour, now, row_group_rows, dry_run)
            except CompactionError as error:
                report.failures.append(f"{spec.prefix}/{hour.partition}: {error}")
                continue
            if isinstance(compacted, str):
                report.skipped.append(compacted)
            else:
                report.hours.append(compacted)

        expired = _expired_keys(snapshot, manifests, now - grace)
        if not dry_run:
            _delete_in_order(store, expired)
        report.deleted.extend(key for key, _ in expired)
    return report


def _compact_hour(
    store: LakeStore,
    spec: CompactedTable,
    hour: HourSnapshot,
    now: datetime,
    row_group_rows: int,
    dry_run: bool,
) -> HourCompaction | str:
    """Merge one hour; return the reason instead when an object vanished while it was read."""
    tables: list[pa.Table] = []
    replaced = [ReplacedObject(item.key, item.tag) for item in hour.hidden]
    for item in hour.visible:
        read = read_object(store, item.key)
        if read is None:
            # Another run deleted it after merging it elsewhere; that run's manifest will hide
            # it from the next listing.
            return f"{spec.prefix}/{hour.partition}: {item.key} was deleted while being read"
        body, tag = read
        tables.append(read_parquet_object(spec, item.key, body))
        replaced.append(ReplacedObject(item.key, tag))

    merged = merge_tables(spec, tables)
    rows_in = sum(table.num_rows for table in tables)
    if dry_run:
        return HourCompaction(
            spec.prefix, hour.partition, len(tables), rows_in, merged.num_rows, None, 0
        )

    body = spec.encode(merged, row_group_rows)
    output = (
        f"{spec.prefix}/{hour.partition}/"
        f"{COMPACTED_PREFIX}{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(6)}.parquet"
    )
    store.put(output, body)
    manifest = Manifest(
        output=output, replaced=tuple(replaced), created_at=now, rows=merged.num_rows
    )
    store.put(manifest_key(output), encode_manifest(manifest))
    return HourCompaction(
        spec.prefix, hour.partition, len(tables), rows_in, merged.num_rows, output, len(body)
    )


def _expired_keys(
    snapshot: TableSnapshot, manifests: dict[str, datetime], written_before: datetime
) -> list[tuple[str, str | None]]:
    """Return the objects (with their tags) and manifests whose grace period is over.

    ``manifests`` maps each manifest key to its write time, listed after ``snapshot``. A
    manifest whose merged object is missing from the snapshot is stale or was written after
    the snapshot; the age check keeps the second kind. Once a manifest is deleted, readers
    read its merged object and the objects it replaced, and remove the duplicates of that
    hour, so no row is lost (``test_compacted_object_without_manifest`` checks it).
    """
    present = {item.key for hour in snapshot.hours for item in hour.objects}

    objects: set[tuple[str, str | None]] = set()
    for hour in snapshot.hours:
        tags = {item.key: item.tag for item in hour.hidden}
        for manifest in hour.manifests:
            listed = manifests.get(manifest_key(manifest.output))
            # The later of the writer's clock and the store's, so that neither a compaction
            # whose clock is behind nor a store clock ahead shortens the grace period.
            if listed is None or max(listed, manifest.created_at) > written_before:
                continue
            objects.update(
                (replaced.key, replaced.tag)
                for replaced in manifest.replaced
                if tags.get(replaced.key) == replaced.tag
            )

    stale_manifests = {manifest_key(key) for key, _ in objects if is_compacted(key)}
    stale_manifests.update(
        key
        for key, written in manifests.items()
        if output_key_of(key) not in present and written <= written_before
    )
    return sorted(objects) + [(key, None) for key in sorted(stale_manifests & manifests.keys())]


def _delete_in_order(store: LakeStore, versions: list[tuple[str, str | None]]) -> None:
    # Objects go before manifests, so a merged object that is still present has its manifest.
    # An object written again since the listing keeps its new version: the deletes of
    # objects are conditional on the listed tag.
    delete_objects(store, [(key, tag) for key, tag in versions if tag is not None])
    delete_objects(store, [(key, tag) for key, tag in versions if tag is None])
