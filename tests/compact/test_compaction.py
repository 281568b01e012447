"""Compaction on a local lake: merging, deduplication, deletion, late and rewritten objects."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from loglake.analytics.lake import open_lake
from loglake.ingest.compact import compactor
from loglake.ingest.compact.compactor import CompactionReport, compact_lake
from loglake.ingest.compact.manifest import (
    MANIFESTS_PREFIX,
    CompactionError,
    ManifestError,
    manifest_key,
)
from loglake.ingest.compact.snapshot import snapshot_table
from loglake.ingest.store import LocalStore
from tests.compact.lakes import HOUR_8, HOUR_9, STREAM, counts, deliver, invocation

GRACE = timedelta(hours=1)


def run(
    store: LocalStore,
    *,
    later: timedelta = timedelta(0),
    dry_run: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
) -> CompactionReport:
    """Compact as a run ``later`` from now would; the grace period is one hour."""
    return compact_lake(
        store,
        now=datetime.now(tz=UTC) + later,
        older_than=timedelta(hours=2),
        grace=GRACE,
        row_group_rows=1000,
        dry_run=dry_run,
        should_stop=should_stop,
    )


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    """A lake with three deliveries in hour 08, two in hour 09, and two in the current hour."""
    lake = LocalStore(tmp_path)
    for index in range(3):
        deliver(lake, invocation(100 * index, HOUR_8 + index * 60_000, request_id=f"r8-{index}"))
    for index in range(2):
        deliver(lake, invocation(1000 + 100 * index, HOUR_9 + index, request_id=f"r9-{index}"))
    for index in range(2):
        deliver(lake, invocation(5000 + 100 * index, int(time.time() * 1000)))
    return lake


def logs_files(root: Path, hour: str) -> list[str]:
    return sorted(path.name for path in (root / "logs/date=2026-11-02" / hour).glob("*.parquet"))


def test_closed_hours_merged_into_one_object(store: LocalStore) -> None:
    before = counts(str(store.root))

    report = run(store)

    assert [hour.partition for hour in report.hours] == [
        "date=2026-11-02/hour=08",
        "date=2026-11-02/hour=09",
    ]
    assert [hour.objects_in for hour in report.hours] == [3, 2]
    assert counts(str(store.root)) == before == (21, 21)
    visible = [item.key for item in snapshot_table(store, "logs").visible]
    assert len(visible) == 4
    assert sum("compacted-" in key for key in visible) == 2
    # The current hour has not ended, so it is left alone.
    assert len(snapshot_table(store, "logs").hours[-1].visible) == 2


def test_compacted_object_sorted_with_bloom_filters(store: LocalStore) -> None:
    report = run(store)
    path = store.root / str(report.hours[0].output)

    columns = duckdb.sql(
        f"SELECT path_in_schema, compression, encodings, bloom_filter_offset "
        f"FROM parquet_metadata('{path}')"
    ).fetchall()
    by_name = {row[0]: row for row in columns}
    assert {row[1] for row in columns} == {"ZSTD"}
    assert by_name["request_id"][3] is not None
    assert by_name["trace_id"][3] is not None
    assert "RLE_DICTIONARY" in by_name["log_group"][2]

    timestamps = duckdb.sql(f"SELECT timestamp FROM read_parquet('{path}')").fetchall()
    assert timestamps == sorted(timestamps)


def test_event_from_two_routes_kept_once(store: LocalStore) -> None:
    # The same invocation imported later: no START in the import's batch, so its
    # application line has no request ID there, and the subscription's copy must win.
    imported = invocation(0, HOUR_8, request_id="r8-0")[1:]
    deliver(store, imported, name="import-0123456789abcdef01234567", ingestion_ms=HOUR_9 * 2)
    assert counts(str(store.root)) == (23, 21)

    report = run(store)

    assert report.duplicates_removed == 2
    assert counts(str(store.root)) == (21, 21)
    lake = open_lake(str(store.root))
    request_ids = lake.connection.execute(
        "SELECT request_id FROM logs WHERE event_id = '1' AND hour = 8"
    ).fetchall()
    assert request_ids == [("r8-0",)]


def test_replaced_objects_deleted_after_grace(store: LocalStore) -> None:
    run(store)
    assert len(logs_files(store.root, "hour=08")) == 4

    dry = run(store, later=timedelta(hours=2), dry_run=True)
    assert len(dry.deleted) == 5
    assert len(logs_files(store.root, "hour=08")) == 4

    later = run(store, later=timedelta(hours=2))
    assert later.hours == []
    assert (
        sorted(key.rsplit("/", 2)[-2] for key in later.deleted) == ["hour=08"] * 3 + ["hour=09"] * 2
    )
    assert [name[:10] for name in logs_files(store.root, "hour=08")] == ["compacted-"]
    assert counts(str(store.root)) == (21, 21)
    manifests = list((store.root / MANIFESTS_PREFIX).rglob("*.json"))
    assert len(manifests) == 2


def test_late_event_after_compaction_counted(store: LocalStore) -> None:
    run(store)
    deliver(store, invocation(9000, HOUR_8 + 30 * 60_000, request_id="late"))

    hour = snapshot_table(store, "logs").hours[0]
    assert hour.overlapping
    assert counts(str(store.root)) == (24, 24)

    again = run(store, later=timedelta(hours=2))
    assert [item.objects_in for item in again.hours] == [2]
    assert counts(str(store.root)) == (24, 24)
    assert not snapshot_table(store, "logs").hours[0].overlapping


def test_source_written_again_after_compaction(store: LocalStore) -> None:
    # A Lambda retry writes a compacted object's events again under the same name, with a
    # new ingestion time, so its tag no longer matches the manifest.
    run(store)
    (first,) = deliver(store, invocation(0, HOUR_8, request_id="r8-0"), ingestion_ms=1)

    hour = snapshot_table(store, "logs").hours[0]
    assert first.key in [item.key for item in hour.visible]
    assert counts(str(store.root)) == (21, 21)

    run(store, later=timedelta(hours=2))
    later = run(store, later=timedelta(hours=4))
    assert first.key in later.deleted
    assert counts(str(store.root)) == (21, 21)


def test_concurrent_compactions_of_one_hour(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Both runs list the lake before either writes, as two runs started at once would.
    listed = {table: snapshot_table(store, table) for table in ("logs", "traces", "segments")}
    monkeypatch.setattr(compactor, "snapshot_table", lambda _, table: listed[table])
    first = run(store)
    second = run(store)
    monkeypatch.undo()

    assert len(first.hours) == len(second.hours) == 2
    hour = snapshot_table(store, "logs").hours[0]
    assert sum("compacted-" in item.key for item in hour.visible) == 2
    assert hour.overlapping
    assert counts(str(store.root)) == (21, 21)

    merged = run(store, later=timedelta(minutes=30))
    assert [hour.objects_in for hour in merged.hours] == [2, 2]
    assert counts(str(store.root)) == (21, 21)

    run(store, later=timedelta(hours=3))
    assert [name[:10] for name in logs_files(store.root, "hour=08")] == ["compacted-"]
    manifests = list((store.root / MANIFESTS_PREFIX / "logs/date=2026-11-02").rglob("*.json"))
    assert len(manifests) == 2
    assert counts(str(store.root)) == (21, 21)


def test_compacted_object_without_manifest(store: LocalStore) -> None:
    # A run that stopped between writing the merged object and its manifest.
    report = run(store)
    (store.root / manifest_key(str(report.hours[0].output))).unlink()

    assert snapshot_table(store, "logs").hours[0].overlapping
    assert counts(str(store.root)) == (21, 21)

    run(store, later=timedelta(hours=2))
    assert counts(str(store.root)) == (21, 21)


def test_reader_opened_before_compaction_still_reads(store: LocalStore) -> None:
    lake = open_lake(str(store.root))
    run(store)
    # A second run within the grace period must not delete what the reader listed.
    run(store, later=timedelta(minutes=30))
    assert lake.connection.execute("SELECT count(*) FROM logs").fetchone() == (21,)


def test_dry_run_writes_nothing(store: LocalStore) -> None:
    files_before = sorted(path for path in store.root.rglob("*") if path.is_file())
    report = run(store, dry_run=True)
    assert [hour.rows_out for hour in report.hours] == [9, 6]
    assert [hour.output for hour in report.hours] == [None, None]
    assert sorted(path for path in store.root.rglob("*") if path.is_file()) == files_before


def test_stop_leaves_hours_for_next_run(store: LocalStore) -> None:
    report = run(store, should_stop=lambda: True)
    assert report.stopped_early
    assert report.hours == []


def test_invalid_manifest_named(store: LocalStore) -> None:
    report = run(store)
    key = manifest_key(str(report.hours[0].output))
    (store.root / key).write_text("{not json")
    with pytest.raises(ManifestError, match=key):
        open_lake(str(store.root))


def test_hour_with_one_object_left_alone(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    deliver(store, invocation(0, HOUR_8), stream=STREAM)
    assert run(store).hours == []


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("logs/date=2026-11-02/hour=8/x.parquet", "is not in a date=YYYY-MM-DD/hour=HH"),
        ("logs/date=2026-11-02/hour=08/x[1].parquet", "which DuckDB reads as glob patterns"),
    ],
)
def test_stray_object_named(tmp_path: Path, key: str, message: str) -> None:
    path = tmp_path / key
    path.parent.mkdir(parents=True)
    path.write_bytes(b"PAR1")
    with pytest.raises(CompactionError, match=message):
        open_lake(str(tmp_path))
