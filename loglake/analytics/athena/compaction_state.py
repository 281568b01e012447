"""Read the lake's listing and compaction manifests into what Athena must skip.

Athena reads every object under the ``logs`` prefix. Between a compaction and the deletion
of the objects it merged, an hour contains each event twice, and a late event or two
concurrent compactions leave a merged object beside others. The DuckDB reader skips and
deduplicates these from the same listing (``snapshot_table``); this module hands the same
decisions to the Athena dialect.
"""

from __future__ import annotations

from datetime import datetime

from loglake.analytics.insights.dialects import CompactionState
from loglake.ingest.compact.snapshot import TableSnapshot, snapshot_table
from loglake.ingest.store import LakeStore

MAX_REPLACED_PATHS = 1_000
"""Replaced objects a query names one by one. Athena takes at most 262,144 bytes of query
text, so an hour past this count is deduplicated by event instead."""


def read_compaction_state(
    store: LakeStore, *, start: datetime | None, end: datetime | None
) -> CompactionState:
    """List the lake's ``logs`` table and return what to skip in the hours of [start, end)."""
    return compaction_state(snapshot_table(store, "logs"), store.url, start=start, end=end)


def compaction_state(
    snapshot: TableSnapshot, root_url: str, *, start: datetime | None, end: datetime | None
) -> CompactionState:
    """Return the replaced objects and the overlapping hours of a table in [start, end).

    ``root_url`` is the lake's URL, which prefixes each object key as Athena's ``"$path"``
    shows it (``s3://bucket/prefix/logs/date=.../hour=.../name.parquet``).
    """
    replaced: list[str] = []
    overlapping: list[tuple[str, int]] = []
    for hour in snapshot.hours:
        if (start is not None and hour.end <= start) or (end is not None and hour.start >= end):
            continue
        key = (hour.start.date().isoformat(), hour.start.hour)
        if hour.overlapping:
            overlapping.append(key)
        elif hour.hidden:
            if len(replaced) + len(hour.hidden) > MAX_REPLACED_PATHS:
                # Reading the hour with one row per event skips the same copies.
                overlapping.append(key)
            else:
                replaced.extend(f"{root_url}/{item.key}" for item in hour.hidden)
    return CompactionState(replaced=tuple(replaced), overlapping=tuple(overlapping))
