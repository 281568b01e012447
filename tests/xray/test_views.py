"""The traces and segments views: one row per trace and per segment, on empty lakes too."""

from __future__ import annotations

from pathlib import Path

from loglake.analytics.lake import open_lake
from loglake.analytics.sql import run_select
from loglake.ingest.store import LocalStore
from loglake.ingest.xray.rows import SegmentRow, TraceRow
from loglake.ingest.xray.schema import SEGMENTS_SCHEMA, TRACES_SCHEMA
from loglake.ingest.xray.write import write_trace_data

TRACE_ID = "1-6ae84651-5b2c0e7a91d34f68a0c4e1b7"
TRACE_START_US = 0x6AE84651 * 1_000_000


def segment(ingested_us: int, end_us: int | None) -> SegmentRow:
    return SegmentRow(
        trace_id=TRACE_ID,
        segment_id="4f59da37c54bea22",
        kind="segment",
        source="xray",
        start_time=TRACE_START_US,
        ingestion_time=ingested_us,
        end_time=end_us,
        in_progress=end_us is None,
    )


def test_empty_lake_has_trace_views(tmp_path: Path) -> None:
    lake = open_lake(str(tmp_path))
    for view, schema in (("traces", TRACES_SCHEMA), ("segments", SEGMENTS_SCHEMA)):
        result = run_select(lake, f"SELECT * FROM {view}")
        assert result.rows == []
        assert result.columns == [*schema.names, "date", "hour"]


def test_highest_revision_wins(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    for revision, duration in ((3, 900.0), (5, 950.0), (None, 10.0)):
        row = TraceRow(
            trace_id=TRACE_ID,
            start_time=TRACE_START_US + 250_000,
            partition_us=TRACE_START_US,
            ingestion_time=1_800_000_000_000_000 - (revision or 0),
            duration_ms=duration,
            revision=revision,
        )
        write_trace_data(store, traces=[row], row_group_rows=100, name=f"copy-{revision}")
    keys = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.parquet"))
    assert keys[0] == "traces/date=2026-11-02/hour=08/copy-3.parquet"
    rows = (
        open_lake(str(tmp_path))
        .connection.execute("SELECT revision, duration_ms FROM traces")
        .fetchall()
    )
    assert rows == [(5, 950.0)]


def test_finished_segment_wins(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    finished = segment(1_000, TRACE_START_US + 5_000)
    later_in_progress = segment(2_000, None)
    write_trace_data(store, segments=[finished], row_group_rows=100, name="first")
    write_trace_data(store, segments=[later_in_progress], row_group_rows=100, name="second")
    rows = (
        open_lake(str(tmp_path))
        .connection.execute("SELECT in_progress, duration_ms IS NULL, ingestion_time FROM segments")
        .fetchall()
    )
    assert len(rows) == 1
    assert rows[0][0] is False


def test_trace_lookup_reads_one_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    for hour in range(3):
        start = TRACE_START_US + hour * 3_600_000_000
        row = TraceRow(
            trace_id=f"1-{start // 1_000_000:08x}-5b2c0e7a91d34f68a0c4e1b7",
            start_time=start,
            partition_us=start,
            ingestion_time=start,
        )
        write_trace_data(store, traces=[row], row_group_rows=100)
    plan = (
        open_lake(str(tmp_path))
        .connection.execute(
            f"EXPLAIN SELECT * FROM traces WHERE trace_id = '{TRACE_ID}' AND date = '2026-11-02' "
            "AND hour = 8"
        )
        .fetchall()[0][1]
    )
    assert "Scanning Files: 1/3" in plan
