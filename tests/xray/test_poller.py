"""The X-Ray poller against botocore's Stubber: pages, backoff, windows and the checkpoint."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from botocore.stub import Stubber

from loglake.analytics.lake import open_lake
from loglake.ingest.errors import LakeWriteError
from loglake.ingest.store import LocalStore
from loglake.ingest.xray.api import Backoff, XrayThrottledError
from loglake.ingest.xray.checkpoint import CHECKPOINT_KEY, read_checkpoint, write_checkpoint
from loglake.ingest.xray.poller import TracePoller, TraceWindow
from tests.xray.stubs import lambda_summary, lambda_trace, stubbed_client, trace_id

T0 = 1_793_606_400
"""2026-11-02T08:00:00Z, on the 5-minute grid."""
WINDOW_S = 300
DELAY_S = 120


def poller(client: Any, lake: Path, waits: list[float] | None = None) -> TracePoller:
    backoff = Backoff(sleep=(waits if waits is not None else []).append, jitter=lambda: 1.0)
    return TracePoller(
        client=client,
        store=LocalStore(lake),
        row_group_rows=1000,
        window_s=WINDOW_S,
        delay_s=DELAY_S,
        region="us-east-1",
        backoff=backoff,
        clock_us=lambda: T0 * 1_000_000,
    )


def summaries_params(window: TraceWindow, token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "StartTime": datetime.fromtimestamp(window.start_s, tz=UTC),
        "EndTime": datetime.fromtimestamp(window.end_s, tz=UTC),
        "TimeRangeType": "Event",
        "Sampling": False,
    }
    if token is not None:
        params["NextToken"] = token
    return params


def stub_window(
    stubber: Stubber,
    window: TraceWindow,
    numbers: list[int],
    *,
    page_size: int = 100,
    fail_batch: bool = False,
    revision: int = 1,
) -> None:
    """Queue the responses of one window: its summary pages, then its BatchGetTraces calls."""
    summaries = [lambda_summary(window.start_s, number, revision) for number in numbers]
    pages = [summaries[i : i + page_size] for i in range(0, len(summaries), page_size)] or [[]]
    token = None
    for index, page in enumerate(pages):
        response: dict[str, Any] = {"TraceSummaries": page}
        next_token = f"page-{window.start_s}-{index + 1}" if index + 1 < len(pages) else None
        if next_token:
            response["NextToken"] = next_token
        stubber.add_response("get_trace_summaries", response, summaries_params(window, token))
        token = next_token

    for first in range(0, len(numbers), 5):
        batch = numbers[first : first + 5]
        ids = [trace_id(window.start_s, number) for number in batch]
        if fail_batch:
            stubber.add_client_error(
                "batch_get_traces", service_error_code="InternalFailure", http_status_code=500
            )
            return
        traces = [lambda_trace(window.start_s, number) for number in batch]
        stubber.add_response(
            "batch_get_traces", {"Traces": traces, "UnprocessedTraceIds": []}, {"TraceIds": ids}
        )


def rows_in_objects(lake: Path, table: str) -> int:
    files = sorted(str(path) for path in lake.glob(f"{table}/*/*/*.parquet"))
    if not files:
        return 0
    return int(duckdb.sql(f"SELECT count(*) FROM read_parquet({files})").fetchone()[0])  # type: ignore[index]


def view_trace_ids(lake: Path) -> list[str]:
    rows = open_lake(str(lake)).connection.execute("SELECT trace_id FROM traces").fetchall()
    return sorted(row[0] for row in rows)


def test_summary_pages_followed_to_end(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    window = TraceWindow(T0, T0 + WINDOW_S)
    stub_window(stubber, window, list(range(1, 8)), page_size=3)
    report = poller(client, tmp_path).pull_window(window)
    stubber.assert_no_pending_responses()
    assert report.traces == 7
    assert report.segments == 14
    assert view_trace_ids(tmp_path) == sorted(trace_id(T0, n) for n in range(1, 8))


def test_throttled_call_backs_off(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    window = TraceWindow(T0, T0 + WINDOW_S)
    for _ in range(2):
        stubber.add_client_error(
            "get_trace_summaries", service_error_code="ThrottledException", http_status_code=429
        )
    stub_window(stubber, window, [1])
    waits: list[float] = []
    report = poller(client, tmp_path, waits).pull_window(window)
    stubber.assert_no_pending_responses()
    assert waits == [0.5, 1.0]
    assert report.traces == 1


def test_throttling_gives_up_and_keeps_checkpoint(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    store = LocalStore(tmp_path)
    write_checkpoint(store, T0)
    for _ in range(8):
        stubber.add_client_error(
            "get_trace_summaries", service_error_code="ThrottledException", http_status_code=429
        )
    waits: list[float] = []
    with pytest.raises(XrayThrottledError, match="still throttled after 8 attempts"):
        poller(client, tmp_path, waits).pull_new(T0 + WINDOW_S + DELAY_S)
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 20.0]
    assert read_checkpoint(store) == T0


def test_other_errors_not_retried(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    stubber.add_client_error(
        "get_trace_summaries", service_error_code="InvalidRequestException", http_status_code=400
    )
    waits: list[float] = []
    with pytest.raises(Exception, match="InvalidRequestException"):
        poller(client, tmp_path, waits).pull_window(TraceWindow(T0, T0 + WINDOW_S))
    assert waits == []


def test_three_runs_each_trace_once(tmp_path: Path) -> None:
    """Consecutive runs cover adjacent windows; a run that fails halfway is pulled again."""
    client, stubber = stubbed_client()
    store = LocalStore(tmp_path)
    write_checkpoint(store, T0)
    windows = [TraceWindow(T0 + i * WINDOW_S, T0 + (i + 1) * WINDOW_S) for i in range(5)]
    numbers = {window: [10 * i + n for n in range(1, 4 + i)] for i, window in enumerate(windows)}

    # Run 1: the two windows that ended DELAY_S before now.
    stub_window(stubber, windows[0], numbers[windows[0]])
    stub_window(stubber, windows[1], numbers[windows[1]])
    first = poller(client, tmp_path).pull_new(windows[1].end_s + DELAY_S + 59)
    assert first.windows == 2
    assert read_checkpoint(store) == windows[1].end_s

    # Run 2: window 2 lands, then BatchGetTraces fails in window 3 after its summaries.
    stub_window(stubber, windows[2], numbers[windows[2]])
    stub_window(stubber, windows[3], numbers[windows[3]], fail_batch=True)
    with pytest.raises(Exception, match="InternalFailure"):
        poller(client, tmp_path).pull_new(windows[3].end_s + DELAY_S)
    assert read_checkpoint(store) == windows[2].end_s

    # Run 3: window 3 again, with the same boundaries, then window 4.
    stub_window(stubber, windows[3], numbers[windows[3]])
    stub_window(stubber, windows[4], numbers[windows[4]])
    third = poller(client, tmp_path).pull_new(windows[4].end_s + DELAY_S)
    assert third.windows == 2
    assert read_checkpoint(store) == windows[4].end_s
    stubber.assert_no_pending_responses()

    expected = sorted(trace_id(w.start_s, n) for w in windows for n in numbers[w])
    assert view_trace_ids(tmp_path) == expected
    assert rows_in_objects(tmp_path, "traces") == len(expected)
    assert rows_in_objects(tmp_path, "segments") == 2 * len(expected)


def test_write_failure_halfway_retried(tmp_path: Path) -> None:
    """A window whose segments object failed to write is written whole by the next run."""
    client, stubber = stubbed_client()
    store = LocalStore(tmp_path)
    write_checkpoint(store, T0)
    window = TraceWindow(T0, T0 + WINDOW_S)
    failing = poller(client, tmp_path)
    failing.store = _FailingSegmentsStore(tmp_path)
    stub_window(stubber, window, [1, 2, 3])
    with pytest.raises(LakeWriteError):
        failing.pull_new(window.end_s + DELAY_S)
    assert read_checkpoint(store) == T0
    assert rows_in_objects(tmp_path, "traces") == 3
    assert rows_in_objects(tmp_path, "segments") == 0

    stub_window(stubber, window, [1, 2, 3])
    poller(client, tmp_path).pull_new(window.end_s + DELAY_S)
    assert rows_in_objects(tmp_path, "traces") == 3
    assert rows_in_objects(tmp_path, "segments") == 6
    assert read_checkpoint(store) == window.end_s


class _FailingSegmentsStore(LocalStore):
    def put(self, key: str, body: bytes) -> None:
        if key.startswith("segments/"):
            raise LakeWriteError(f"writing {key} failed: disk full")
        super().put(key, body)


def test_window_pulled_twice_replaces_objects(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    window = TraceWindow(T0, T0 + WINDOW_S)
    stub_window(stubber, window, [1, 2])
    stub_window(stubber, window, [1, 2, 3], revision=2)
    pulls = poller(client, tmp_path)
    first = pulls.pull_range(window.start_s + 10, window.end_s - 10)
    second = pulls.pull_range(window.start_s, window.end_s)
    assert [obj.key for obj in first.objects] == [obj.key for obj in second.objects]
    assert rows_in_objects(tmp_path, "traces") == 3
    assert read_checkpoint(LocalStore(tmp_path)) is None


def test_trace_updated_later_keeps_highest_revision(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    first, second = TraceWindow(T0, T0 + WINDOW_S), TraceWindow(T0 + WINDOW_S, T0 + 2 * WINDOW_S)
    updated = lambda_summary(T0, 1, revision=4)
    stub_window(stubber, first, [1])
    stubber.add_response(
        "get_trace_summaries", {"TraceSummaries": [updated]}, summaries_params(second)
    )
    stubber.add_response(
        "batch_get_traces", {"Traces": [lambda_trace(T0, 1)], "UnprocessedTraceIds": []}
    )
    poller(client, tmp_path).pull_range(first.start_s, second.end_s)
    rows = (
        open_lake(str(tmp_path))
        .connection.execute("SELECT trace_id, revision FROM traces")
        .fetchall()
    )
    assert rows == [(trace_id(T0, 1), 4)]
    assert rows_in_objects(tmp_path, "traces") == 2
    segments = open_lake(str(tmp_path)).connection.execute("SELECT count(*) FROM segments")
    assert segments.fetchone() == (2,)


def test_unprocessed_ids_asked_again(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    window = TraceWindow(T0, T0 + WINDOW_S)
    ids = [trace_id(T0, 1), trace_id(T0, 2)]
    stubber.add_response(
        "get_trace_summaries", {"TraceSummaries": [lambda_summary(T0, 1), lambda_summary(T0, 2)]}
    )
    stubber.add_response(
        "batch_get_traces",
        {"Traces": [lambda_trace(T0, 1)], "UnprocessedTraceIds": [ids[1]]},
        {"TraceIds": ids},
    )
    stubber.add_response(
        "batch_get_traces", {"Traces": [], "UnprocessedTraceIds": [ids[1]]}, {"TraceIds": ids[1:]}
    )
    report = poller(client, tmp_path).pull_window(window)
    stubber.assert_no_pending_responses()
    assert report.unprocessed_trace_ids == [ids[1]]
    assert report.traces == 2
    assert report.segments == 2


def test_non_lambda_trace_needs_no_segments(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    summary = {
        "Id": trace_id(T0, 9),
        "ServiceIds": [{"Name": "catalog", "Type": "AWS::ECS::Container"}],
    }
    stubber.add_response("get_trace_summaries", {"TraceSummaries": [summary]})
    report = poller(client, tmp_path).pull_window(TraceWindow(T0, T0 + WINDOW_S))
    stubber.assert_no_pending_responses()
    assert report.traces == 1
    assert report.segments == 0


def test_bad_summary_reported_not_blocking(tmp_path: Path) -> None:
    client, stubber = stubbed_client()
    stubber.add_response(
        "get_trace_summaries", {"TraceSummaries": [{"Duration": 1.0}, lambda_summary(T0, 1)]}
    )
    stubber.add_response("batch_get_traces", {"Traces": [lambda_trace(T0, 1)]})
    report = poller(client, tmp_path).pull_window(TraceWindow(T0, T0 + WINDOW_S))
    assert report.traces == 1
    assert len(report.failures) == 1
    assert "TraceSummaries[0] Id is None; expected an X-Ray trace ID" in report.failures[0]


def test_first_pull_starts_an_hour_back(tmp_path: Path) -> None:
    client, _ = stubbed_client()
    pending = poller(client, tmp_path).pending_windows(T0 + 3600 + 200, None)
    assert pending[0].start_s == T0 + 200 // WINDOW_S * WINDOW_S
    assert pending[-1].end_s == T0 + 3600
    assert all(a.end_s == b.start_s for a, b in itertools.pairwise(pending))


def test_window_ends_after_delay(tmp_path: Path) -> None:
    client, _ = stubbed_client()
    pulls = poller(client, tmp_path)
    assert pulls.pending_windows(T0 + WINDOW_S + DELAY_S - 1, T0) == []
    assert pulls.pending_windows(T0 + WINDOW_S + DELAY_S, T0) == [TraceWindow(T0, T0 + WINDOW_S)]


def test_old_checkpoint_clamped_to_retention(tmp_path: Path) -> None:
    client, _ = stubbed_client()
    now = T0 + 40 * 86_400
    pending = poller(client, tmp_path).pending_windows(now, T0)
    assert pending[0].start_s > now - 30 * 86_400
    assert pending[0].start_s - (now - 30 * 86_400) <= WINDOW_S


def test_invalid_checkpoint_named(tmp_path: Path) -> None:
    (tmp_path / CHECKPOINT_KEY).parent.mkdir(parents=True)
    (tmp_path / CHECKPOINT_KEY).write_text('{"end": "yesterday"}')
    with pytest.raises(Exception, match="is not a loglake checkpoint") as raised:
        read_checkpoint(LocalStore(tmp_path))
    assert "delete it" in str(raised.value)
