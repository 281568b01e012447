"""``loglake compact``: dry run, merge, exit codes."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from loglake.cli.main import cli
from loglake.ingest.store import LocalStore
from tests.compact.lakes import HOUR_8, deliver, invocation


def seeded(tmp_path: Path) -> Path:
    store = LocalStore(tmp_path)
    for index in range(2):
        deliver(store, invocation(100 * index, HOUR_8 + index, request_id=f"r{index}"))
    return tmp_path


def parquet_names(lake: Path) -> list[str]:
    return sorted(path.name[:10] for path in lake.glob("logs/*/*/*.parquet"))


def test_dry_run_reports_and_writes_nothing(tmp_path: Path) -> None:
    lake = seeded(tmp_path)
    result = CliRunner().invoke(cli, ["compact", "--lake", str(lake), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "logs/date=2026-11-02/hour=08: would merge 2 objects, 6 rows into 6" in result.output
    assert "1 hour(s) would merge" in result.output
    assert "compacted-" not in parquet_names(lake)


def test_compact_merges_hour(tmp_path: Path) -> None:
    lake = seeded(tmp_path)
    result = CliRunner().invoke(cli, ["compact", "--lake", str(lake), "--older-than", "90m"])
    assert result.exit_code == 0, result.output
    assert "merged 2 objects, 6 rows into 6 (logs/date=2026-11-02/hour=08/compacted-" in (
        result.output
    )
    assert parquet_names(lake).count("compacted-") == 1


def test_invalid_older_than_is_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["compact", "--lake", str(tmp_path), "--older-than", "2x"])
    assert result.exit_code == 2
    assert "'2x' is not a duration" in result.output


def test_invalid_object_exits_1(tmp_path: Path) -> None:
    lake = seeded(tmp_path)
    next(lake.glob("logs/*/*/*.parquet")).write_bytes(b"not parquet")
    result = CliRunner().invoke(cli, ["compact", "--lake", str(lake)])
    assert result.exit_code == 1
    assert "is not valid Parquet" in result.output
