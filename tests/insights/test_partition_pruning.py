"""A time range reads only the partitions inside it."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from loglake.analytics.insights import QueryScope
from loglake.analytics.lake import open_lake
from loglake.analytics.query import run_insights
from loglake.analytics.sql import QueryError


def test_range_skips_partitions_outside_it(fixture_lake_path: Path, tmp_path: Path) -> None:
    lake_path = tmp_path / "lake"
    shutil.copytree(fixture_lake_path, lake_path)
    # An object that is not Parquet fails any query that opens it.
    (lake_path / "logs/date=2026-11-02/hour=10").mkdir()
    (lake_path / "logs/date=2026-11-02/hour=10/broken.parquet").write_bytes(b"not parquet")
    lake = open_lake(str(lake_path))

    inside = QueryScope(
        start=datetime(2026, 11, 2, 8, 30, tzinfo=UTC), end=datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    )
    outcome = run_insights(lake, "stats count(*) as n", scope=inside)
    assert outcome.result.rows == [(4,)]

    with pytest.raises(QueryError):
        run_insights(lake, "stats count(*) as n")
