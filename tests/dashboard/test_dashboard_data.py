"""The dashboard's query functions in loglake.analytics, and the result cache keyed on the lake."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from loglake.analytics.dashboard_data import Selection, choose_bucket
from loglake.analytics.dashboard_data.cold_starts import nice_width
from loglake.analytics.dashboard_data.fingerprint import lake_fingerprint
from loglake.analytics.dashboard_data.insights_page import bin_column
from loglake.analytics.dashboard_data.lookup import field_matches, look_up
from loglake.analytics.dashboard_data.overview import activity_over_time
from loglake.analytics.lake import open_lake
from loglake.analytics.sql import run_select
from loglake.dashboard import context
from loglake.dashboard.queries import QUERIES
from tests.advisor.fixture_lake import Function, write_lake
from tests.dashboard.fixture_lake import END, EVENT_ID, START, FixtureLake

HOUR = Selection(START, END)


@pytest.mark.parametrize(
    ("span", "label"),
    [
        (timedelta(minutes=15), "1m"),
        (timedelta(hours=1), "1m"),
        (timedelta(hours=24), "15m"),
        (timedelta(days=7), "1h"),
        (timedelta(days=90), "1d"),
    ],
)
def test_bucket_width_for_range(span: timedelta, label: str) -> None:
    assert choose_bucket(START, START + span).label == label


def test_bucket_starts_match_duckdb(fixture_lake: FixtureLake) -> None:
    selection = Selection(START + timedelta(minutes=7), START + timedelta(hours=30))
    activity = activity_over_time(open_lake(str(fixture_lake.path)), selection)
    starts = set(selection.bucket_starts())
    assert {row[0] for row in activity.rows} <= starts
    assert selection.bucket_starts()[0] == START


def test_selection_rejects_naive_and_reversed_times() -> None:
    with pytest.raises(ValueError, match="time zone"):
        Selection(datetime(2026, 11, 2), datetime(2026, 11, 3))
    with pytest.raises(ValueError, match="not after"):
        Selection(END, START)


@pytest.mark.parametrize(("span", "width"), [(1450.0, 50.0), (100.0, 5.0), (31.0, 2.0), (0.0, 1.0)])
def test_nice_width(span: float, width: float) -> None:
    assert nice_width(span) == width


def test_bin_column_names() -> None:
    assert bin_column("stats count(*) by bin(5m)") == "bin(5m)"
    assert bin_column("stats count(*) by bin(15m) as time, @log") == "time"
    assert bin_column("stats count(*) by @log") is None
    assert bin_column("fields @message") is None


def test_lookup_kinds(fixture_lake: FixtureLake) -> None:
    lake = open_lake(str(fixture_lake.path))
    request = look_up(lake, fixture_lake.orders_request_ids[0], HOUR)
    assert request.kind == "request"
    assert request.request is not None
    assert request.request.report is not None
    assert request.request.report["cold_start"] is True

    trace = look_up(lake, fixture_lake.segment_trace_id, HOUR)
    assert trace.kind == "trace"
    assert trace.trace is not None
    assert [bar.name for bar in trace.trace.waterfall][:2] == ["orders-api", "Invocation"]

    assert look_up(lake, "nothing-like-this", HOUR).kind == "none"
    with pytest.raises(ValueError, match="enter a request ID"):
        look_up(lake, "  ", HOUR)


def test_field_matches_nested_and_numbers(fixture_lake: FixtureLake) -> None:
    lake = open_lake(str(fixture_lake.path))
    by_event = field_matches(lake, EVENT_ID, HOUR)
    assert [row[0] for row in by_event.rows] == [fixture_lake.orders_request_ids[1]]
    by_number = field_matches(lake, "42", HOUR)
    assert [row[4] for row in by_number.rows] == [["$.order.id"]]
    outside = Selection(END, END + timedelta(hours=1))
    assert field_matches(lake, EVENT_ID, outside).rows == []


def test_fingerprint_changes_when_lake_changes(tmp_path: Path) -> None:
    assert lake_fingerprint(str(tmp_path)).objects == 0
    function = Function("orders-api")
    function.invoke(START, 100.0)
    write_lake(tmp_path, [function])
    first = lake_fingerprint(str(tmp_path))
    assert first.objects == 1
    assert first.newest is not None

    second_function = Function("thumbs")
    second_function.invoke(START, 100.0)
    write_lake(tmp_path, [second_function])
    assert lake_fingerprint(str(tmp_path)).objects == 2


def test_fingerprint_of_s3_lake(s3_lake: str, moto_endpoint: str, tmp_path: Path) -> None:
    from loglake.ingest.store import open_store

    store = open_store(s3_lake, endpoint_url=moto_endpoint)
    store.put("logs/date=2026-11-02/hour=10/a.parquet", b"12345")
    store.put("quarantine/date=2026-11-02/b.json.gz", b"1")
    fingerprint = lake_fingerprint(s3_lake, endpoint_url=moto_endpoint)
    assert fingerprint.objects == 1
    assert fingerprint.total_bytes == 5


def test_results_cached_per_lake_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    function = Function("orders-api")
    function.invoke(START, 100.0)
    write_lake(tmp_path, [function])
    calls: list[Any] = []
    real = QUERIES["functions"]

    def counted(*arguments: Any) -> Any:
        calls.append(arguments)
        return real(*arguments)

    monkeypatch.setitem(QUERIES, "functions", counted)
    url = str(tmp_path)
    state = context.LakeState(url, None, lake_fingerprint(url))
    assert context.run(state, "functions") == ["orders-api"]
    assert context.run(state, "functions") == ["orders-api"]
    assert len(calls) == 1

    other = Function("thumbs")
    other.invoke(START, 100.0)
    write_lake(tmp_path, [other])
    changed = context.LakeState(url, None, lake_fingerprint(url))
    assert context.run(changed, "functions") == ["orders-api", "thumbs"]
    assert len(calls) == 2
    result = run_select(open_lake(url), "SELECT count(DISTINCT function_name) FROM logs")
    assert result.rows == [(2,)]
