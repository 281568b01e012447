"""What Athena skips after compaction, checked by running its FROM clause in DuckDB.

DuckDB reads every object under ``logs/``, as Athena does, with each row's file as
``"$path"``. The Athena dialect's first-block source over that view must count each event
once, as the DuckDB reader of the same lake does, in every state compaction can leave.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from loglake.analytics.athena import compaction_state as state_module
from loglake.analytics.athena.compaction_state import compaction_state, read_compaction_state
from loglake.analytics.insights import AthenaDialect, CompactionState
from loglake.ingest.compact import compactor
from loglake.ingest.compact.compactor import compact_lake
from loglake.ingest.compact.snapshot import snapshot_table
from loglake.ingest.store import LocalStore
from tests.compact.lakes import HOUR_8, HOUR_9, counts, deliver, invocation

HOUR_8_START = datetime(2026, 11, 2, 8, tzinfo=UTC)


def compact(store: LocalStore, *, later: timedelta = timedelta(0)) -> None:
    compact_lake(
        store,
        now=datetime.now(tz=UTC) + later,
        older_than=timedelta(hours=2),
        grace=timedelta(hours=1),
        row_group_rows=1000,
    )


@pytest.fixture
def store(tmp_path: Path) -> LocalStore:
    """Three deliveries in hour 08, two in hour 09 and one in the current hour."""
    lake = LocalStore(tmp_path.resolve())
    for index in range(3):
        deliver(lake, invocation(100 * index, HOUR_8 + index * 60_000, request_id=f"r8-{index}"))
    for index in range(2):
        deliver(lake, invocation(1000 + 100 * index, HOUR_9 + index, request_id=f"r9-{index}"))
    deliver(lake, invocation(5000, int(time.time() * 1000)))
    return lake


def every_object(store: LocalStore) -> duckdb.DuckDBPyConnection:
    """Return DuckDB with a ``logs`` view over every object, as Athena's table reads them."""
    connection = duckdb.connect()
    files = sorted(str(path) for path in (store.root / "logs").rglob("*.parquet"))
    listed = ", ".join(f"'{name}'" for name in files)
    connection.execute(
        'CREATE VIEW logs AS SELECT *, filename AS "$path" FROM read_parquet('
        f"[{listed}], hive_partitioning = true, filename = true)"
    )
    return connection


def athena_counts(store: LocalStore, state: CompactionState | None) -> tuple[int, int]:
    """Return the rows and distinct events that the Athena dialect's source reads."""
    source, where = AthenaDialect(state).events_from([])
    condition = f" WHERE {' AND '.join(where)}" if where else ""
    row = (
        every_object(store)
        .execute(
            "SELECT count(*), count(DISTINCT (log_group, log_stream, event_id)) "
            f"FROM {source}{condition}"
        )
        .fetchone()
    )
    assert row is not None
    return int(row[0]), int(row[1])


def state_of(store: LocalStore) -> CompactionState:
    return read_compaction_state(store, start=None, end=None)


def test_uncompacted_lake_skips_nothing(store: LocalStore) -> None:
    state = state_of(store)

    assert state == CompactionState()
    assert athena_counts(store, state) == counts(str(store.root)) == (18, 18)


def test_replaced_objects_skipped_by_path(store: LocalStore) -> None:
    compact(store)
    state = state_of(store)

    assert len(state.replaced) == 5
    assert all(path.startswith(f"{store.root}/logs/date=2026-11-02/") for path in state.replaced)
    assert state.overlapping == ()
    # Every object together contains the merged hours twice.
    assert athena_counts(store, CompactionState()) == (33, 18)
    assert athena_counts(store, state) == counts(str(store.root)) == (18, 18)


def test_source_reads_logs_without_window_after_compaction(store: LocalStore) -> None:
    compact(store)

    source, where = AthenaDialect(state_of(store)).events_from(["src.level = 'ERROR'"])

    assert source == "logs AS src"
    assert where[0] == "src.level = 'ERROR'"
    assert where[1].startswith('src."$path" NOT IN (')


def test_late_event_hour_read_once_per_event(store: LocalStore) -> None:
    compact(store)
    deliver(store, invocation(9000, HOUR_8 + 30 * 60_000, request_id="late"))
    state = state_of(store)

    assert state.overlapping == (("2026-11-02", 8),)
    assert athena_counts(store, state) == counts(str(store.root)) == (21, 21)


def test_concurrent_compactions_read_once(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    listed = {table: snapshot_table(store, table) for table in ("logs", "traces", "segments")}
    monkeypatch.setattr(compactor, "snapshot_table", lambda _, table: listed[table])
    compact(store)
    compact(store)
    monkeypatch.undo()
    state = state_of(store)

    assert set(state.overlapping) == {("2026-11-02", 8), ("2026-11-02", 9)}
    assert athena_counts(store, state) == counts(str(store.root)) == (18, 18)


def test_many_replaced_objects_become_overlapping_hour(
    store: LocalStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    compact(store)
    monkeypatch.setattr(state_module, "MAX_REPLACED_PATHS", 3)
    state = state_of(store)

    # Hour 08's three objects fit; hour 09's two would pass the limit.
    assert len(state.replaced) == 3
    assert state.overlapping == (("2026-11-02", 9),)
    assert athena_counts(store, state) == (18, 18)


def test_state_covers_only_hours_in_range(store: LocalStore) -> None:
    compact(store)
    snapshot = snapshot_table(store, "logs")

    state = compaction_state(
        snapshot,
        "s3://bucket/prod",
        start=HOUR_8_START + timedelta(hours=1),
        end=HOUR_8_START + timedelta(hours=2),
    )

    assert len(state.replaced) == 2
    assert all(
        path.startswith("s3://bucket/prod/logs/date=2026-11-02/hour=09/") for path in state.replaced
    )
