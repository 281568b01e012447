"""Each saved query's result over a lake, checked against numbers computed another way.

Over the small lake of ``lakes.py`` the expected rows are stated by hand. Over the demo
day they come from the lake's rows through plain SQL and Python, never through the
Insights compiler.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson
import pytest

from loglake.analytics.insights import InsightsError, QueryScope, compile_query
from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.query import run_insights
from loglake.analytics.saved_queries import bind_parameters, load_saved_queries
from loglake.analytics.sql import QueryResult, run_select
from loglake.analytics.summary import function_summary
from tests.queries.lakes import (
    A1,
    A2,
    A3,
    DEMO_DAY,
    KNOWN_DAY,
    T2,
    W1,
    W2,
    at_ms,
    build_demo_lake,
    known_batches,
    write_lake,
)

SAVED = load_saved_queries(Path(__file__).parents[2] / "queries")
KNOWN_SCOPE = QueryScope(start=KNOWN_DAY, end=KNOWN_DAY + timedelta(days=1))
DEMO_SCOPE = QueryScope(start=DEMO_DAY, end=DEMO_DAY + timedelta(days=1))
API_STREAM = "2026/11/02/[$LATEST]" + "a" * 32
WORKER_STREAM = "2026/11/02/[7]" + "b" * 32
X86_GB_SECOND = 0.0000166667
ARM64_GB_SECOND = 0.0000133334
PER_REQUEST = 0.20 / 1_000_000


@pytest.fixture(scope="module")
def known_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return open_lake(str(write_lake(tmp_path_factory.mktemp("known"), known_batches())))


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return open_lake(str(build_demo_lake(tmp_path_factory.mktemp("demo"))))


def run_saved(lake: Lake, name: str, scope: QueryScope, **given: str) -> QueryResult:
    """Run a saved query as ``loglake query NAME --param k=v`` does."""
    saved = SAVED[name]
    outcome = run_insights(lake, saved.query, scope=scope, parameters=bind_parameters(saved, given))
    assert not outcome.truncated
    return outcome.result


def at(hour: int, minute: int, second: float = 0.0) -> datetime:
    return datetime.fromtimestamp(at_ms(hour, minute, second) / 1000, UTC)


def assert_rows(actual: Sequence[tuple[Any, ...]], expected: Sequence[tuple[Any, ...]]) -> None:
    """Compare rows cell by cell, floats to 1e-9 relative."""
    assert len(actual) == len(expected), (actual, expected)
    for index, (row, wanted) in enumerate(zip(actual, expected, strict=True)):
        assert len(row) == len(wanted), (index, row, wanted)
        for cell, value in zip(row, wanted, strict=True):
            if isinstance(value, float):
                assert cell == pytest.approx(value, rel=1e-9), (index, row, wanted)
            else:
                assert cell == value, (index, row, wanted)


def nearest_rank(values: Sequence[float], percent: int) -> float:
    """Return the value at rank ceil(percent / 100 * n) of the sorted values."""
    ordered = sorted(values)
    rank = math.ceil(Fraction(percent, 100) * len(ordered))
    return ordered[max(rank, 1) - 1]


def invocations(lake: Lake) -> list[dict[str, Any]]:
    """Return the demo day's REPORT rows as dictionaries."""
    result = run_select(lake, "SELECT * FROM invocations WHERE date = DATE '2026-12-01'")
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


# Every saved query compiles, and uses exactly the parameters it declares


@pytest.mark.parametrize("name", sorted(SAVED))
def test_parameters_declared_are_used(name: str) -> None:
    saved = SAVED[name]
    values = bind_parameters(saved, {p.name: "x" for p in saved.parameters if p.required})
    assert compile_query(saved.query, DEMO_SCOPE, values).sql

    for parameter in saved.parameters:
        others = {key: value for key, value in values.items() if key != parameter.name}
        with pytest.raises(InsightsError, match=re.escape(f"--param {parameter.name}=VALUE")):
            compile_query(saved.query, DEMO_SCOPE, others)


# Over the lake of known numbers


def test_errors_by_function_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "errors-by-function", KNOWN_SCOPE)

    assert result.columns == [
        "@function",
        "failedRequests",
        "errorInvocations",
        "timeouts",
        "errorLines",
    ]
    assert_rows(result.rows, [("api", 2, 1, 1, 1), ("worker", 1, 1, 0, 1)])


def test_top_error_messages_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "top-error-messages", KNOWN_SCOPE)

    assert result.columns == [
        "@function",
        "@errorType",
        "errorText",
        "occurrences",
        "requests",
        "lastSeen",
        "latestRequestId",
    ]
    assert_rows(
        result.rows,
        [
            ("api", "Error", "card declined", 1, 1, at(8, 7, 0.05), A2),
            ("worker", None, "bad format", 1, 1, at(8, 5, 0.9), W1),
        ],
    )


def test_error_rate_over_time_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "error-rate-over-time", KNOWN_SCOPE)

    assert result.columns == ["time", "invocations", "errors", "timeouts", "errorRatePct"]
    assert_rows(result.rows, [(at(8, 0), 3, 2, 0, 200 / 3), (at(8, 15), 2, 0, 1, 50.0)])


def test_cold_starts_by_function_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "cold-starts-by-function", KNOWN_SCOPE)

    assert result.columns == [
        "@function",
        "@version",
        "invocations",
        "coldStarts",
        "coldStartPct",
        "initP50",
        "initP95",
        "initP99",
    ]
    assert_rows(
        result.rows,
        [
            ("worker", "7", 2, 1, 50.0, 500.0, 500.0, 500.0),
            ("api", "$LATEST", 3, 1, 100 / 3, 300.0, 300.0, 300.0),
        ],
    )


def test_memory_headroom_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "memory-headroom", KNOWN_SCOPE)

    assert result.columns == [
        "@function",
        "invocations",
        "provisionedMB",
        "maxUsedMB",
        "avgUsedMB",
        "overProvisionedMB",
        "headroomPct",
    ]
    assert_rows(
        result.rows,
        [
            ("api", 3, 1024.0, 256.0, 584 / 3, 768.0, 75.0),
            ("worker", 2, 512.0, 512.0, 306.0, 0.0, 0.0),
        ],
    )


def test_duration_percentiles_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "duration-percentiles-over-time", KNOWN_SCOPE)

    assert result.columns == ["time", "invocations", "p50", "p90", "p99", "maxDuration"]
    assert_rows(
        result.rows,
        [
            (at(8, 0), 1, 100.0, 100.0, 100.0, 100.0),
            (at(8, 5), 2, 200.0, 1000.0, 1000.0, 1000.0),
            (at(8, 20), 2, 50.0, 3000.0, 3000.0, 3000.0),
        ],
    )


def test_timeouts_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "timeouts", KNOWN_SCOPE)

    assert result.columns == [
        "@timestamp",
        "@function",
        "@version",
        "@requestId",
        "@duration",
        "@billedDuration",
        "@logStream",
    ]
    assert_rows(result.rows, [(at(8, 20, 3), "api", "$LATEST", A3, 3000.0, 3000.0, API_STREAM)])


def test_out_of_memory_kills_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "out-of-memory-kills", KNOWN_SCOPE)

    assert result.columns == [
        "@timestamp",
        "@function",
        "@version",
        "@requestId",
        "memorySizeMB",
        "maxMemoryUsedMB",
        "@duration",
        "@logStream",
    ]
    assert_rows(
        result.rows, [(at(8, 5, 1), "worker", "7", W1, 512.0, 512.0, 1000.0, WORKER_STREAM)]
    )


def test_slowest_invocations_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "slowest-invocations", KNOWN_SCOPE)

    assert result.columns == [
        "@timestamp",
        "@function",
        "@version",
        "@requestId",
        "@duration",
        "@billedDuration",
        "@initDuration",
        "@status",
        "@errorType",
    ]
    assert_rows(
        result.rows,
        [
            (at(8, 20, 3), "api", "$LATEST", A3, 3000.0, 3000.0, None, "timeout", None),
            (at(8, 5, 1), "worker", "7", W1, 1000.0, 1500.0, 500.0, "error", "Runtime.OutOfMemory"),
            (at(8, 7, 0.2), "api", "$LATEST", A2, 200.0, 200.0, None, "error", "Error"),
            (at(8, 0, 1.1), "api", "$LATEST", A1, 100.0, 100.0, 300.0, "success", None),
            (at(8, 21, 0.05), "worker", "7", W2, 50.0, 50.0, None, "success", None),
        ],
    )


@pytest.mark.parametrize("price", [None, ARM64_GB_SECOND])
def test_billed_cost_known(known_lake: Lake, price: float | None) -> None:
    given = {} if price is None else {"price_per_gb_second": str(price)}
    result = run_saved(known_lake, "billed-cost-by-function", KNOWN_SCOPE, **given)
    per_gb_second = X86_GB_SECOND if price is None else price

    assert result.columns == [
        "@function",
        "invocations",
        "billedSeconds",
        "gbSeconds",
        "durationCostUSD",
        "requestCostUSD",
        "costUSD",
    ]
    # api: 0.1 + 0.2 + 3.0 s at 1 GB. worker: 1.5 + 0.05 s at 0.5 GB.
    api_cost = 3.3 * per_gb_second
    worker_cost = 0.775 * per_gb_second
    assert_rows(
        result.rows,
        [
            ("api", 3, 3.3, 3.3, api_cost, 3 * PER_REQUEST, api_cost + 3 * PER_REQUEST),
            ("worker", 2, 1.55, 0.775, worker_cost, 2 * PER_REQUEST, worker_cost + 2 * PER_REQUEST),
        ],
    )


def test_request_lines_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "request-lines", KNOWN_SCOPE, request_id=A2)

    assert result.columns == ["@timestamp", "@function", "@type", "@level", "@message"]
    rows = [row[:4] for row in result.rows]
    assert rows[:2] == [
        (at(8, 7), "api", "START", None),
        (at(8, 7, 0.05), "api", "APP", "ERROR"),
    ]
    # END and REPORT share a timestamp, so either may come first.
    assert sorted(rows[2:]) == [
        (at(8, 7, 0.2), "api", "END", None),
        (at(8, 7, 0.2), "api", "REPORT", None),
    ]
    assert result.rows[1][4].startswith("2026-11-02T08:07:00.050Z\t" + A2 + "\tERROR\tInvoke Error")


def test_trace_lines_known(known_lake: Lake) -> None:
    result = run_saved(known_lake, "trace-lines", KNOWN_SCOPE, trace_id=T2)

    assert result.columns == [
        "@timestamp",
        "@function",
        "@requestId",
        "@type",
        "@level",
        "@message",
    ]
    # Every line of A2's invocation gets the trace ID of its REPORT.
    assert [row[:5] for row in result.rows] == [
        (at(8, 5, 0.1), "worker", W1, "APP", "INFO"),
        (at(8, 7, 0.0), "api", A2, "START", None),
        (at(8, 7, 0.05), "api", A2, "APP", "ERROR"),
        (at(8, 7, 0.2), "api", A2, "END", None),
        (at(8, 7, 0.2), "api", A2, "REPORT", None),
    ]


@pytest.mark.parametrize(
    ("event_id", "expected"),
    [
        ("abc123", [(at(8, 5, 0.9), W1, "ERROR"), (at(8, 5, 0.1), W1, "INFO")]),
        ("other-1", [(at(8, 21, 0.01), W2, "INFO")]),
        ("absent", []),
    ],
)
def test_event_id_lines_known(
    known_lake: Lake, event_id: str, expected: list[tuple[Any, ...]]
) -> None:
    result = run_saved(known_lake, "event-id-lines", KNOWN_SCOPE, event_id=event_id)

    assert result.columns == ["@timestamp", "@function", "@requestId", "@level", "@message"]
    assert [(row[0], row[2], row[3]) for row in result.rows] == expected
    assert all(f'"eventId":"{event_id}"' in row[4] for row in result.rows)


# Over the demo day


def test_errors_by_function_demo(demo_lake: Lake) -> None:
    expected = run_select(
        demo_lake,
        """
        SELECT function_name,
               count(DISTINCT request_id),
               count(*) FILTER (WHERE type = 'REPORT' AND status = 'error'),
               count(*) FILTER (WHERE type = 'REPORT' AND status = 'timeout'),
               count(*) FILTER (WHERE level IN ('ERROR', 'FATAL'))
        FROM logs
        WHERE date = DATE '2026-12-01'
          AND (status IN ('error', 'timeout') OR level IN ('ERROR', 'FATAL'))
        GROUP BY function_name
        ORDER BY 2 DESC, 1
        """,
    ).rows
    result = run_saved(demo_lake, "errors-by-function", DEMO_SCOPE)

    assert_rows(result.rows, expected)
    summary = function_summary(demo_lake)
    errors = {row[0]: row[2] for row in summary.rows}
    assert {row[0]: row[1] for row in result.rows} == {
        name: count for name, count in errors.items() if count
    }


# Prefixes of text lines, as the query strips them, written again here as a Python regex.
_PREFIX = re.compile(
    r"^(?:\[[A-Z]+\]\s+)?(?:\d{4}-\d\d-\d\d[T ][0-9:.,]+Z?\s+)?"
    r"(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\s+)?(?:(?:ERROR|FATAL)\s+)?([^\n]*)"
)


def test_top_error_messages_demo(demo_lake: Lake) -> None:
    lines = run_select(
        demo_lake,
        "SELECT function_name, error_type, request_id, timestamp, message, fields FROM logs "
        "WHERE date = DATE '2026-12-01' AND level IN ('ERROR', 'FATAL')",
    ).rows
    groups: dict[tuple[Any, ...], list[tuple[datetime, str | None]]] = defaultdict(list)
    for function, error_type, request_id, timestamp, message, fields in lines:
        keys = orjson.loads(fields) if fields else {}
        text = next(
            (
                keys[key]
                for key in ("errorMessage", "error", "message", "msg", "event")
                if keys.get(key) is not None
            ),
            None,
        )
        if text is None:
            match = _PREFIX.match(message)
            assert match is not None
            text = match.group(1)
        groups[(function, error_type, text)].append((timestamp, request_id))
    expected = []
    for key, seen in groups.items():
        latest = max(seen, key=lambda item: item[0])
        requests = {request_id for _, request_id in seen if request_id is not None}
        expected.append((*key, len(seen), len(requests), latest[0], latest[1]))
    expected.sort(key=lambda row: (-row[3], -row[5].timestamp()))

    result = run_saved(demo_lake, "top-error-messages", DEMO_SCOPE)

    assert len(groups) > 5
    assert_rows(result.rows, expected[:20])


def test_error_rate_over_time_demo(demo_lake: Lake) -> None:
    windows: dict[datetime, Counter[str]] = defaultdict(Counter)
    for row in invocations(demo_lake):
        epoch_ms = int(row["timestamp"].timestamp() * 1000)
        window = datetime.fromtimestamp(epoch_ms // 900_000 * 900, UTC)
        windows[window]["invocations"] += 1
        windows[window][row["status"]] += 1
    expected = [
        (
            window,
            counts["invocations"],
            counts["error"],
            counts["timeout"],
            (counts["error"] + counts["timeout"]) / counts["invocations"] * 100,
        )
        for window, counts in sorted(windows.items())
    ]
    result = run_saved(demo_lake, "error-rate-over-time", DEMO_SCOPE)

    assert sum(row[1] for row in result.rows) == 2000
    assert_rows(result.rows, expected)


def test_cold_starts_by_function_demo(demo_lake: Lake) -> None:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in invocations(demo_lake):
        groups[(row["function_name"], row["function_version"])].append(row)
    expected = []
    for (function, version), rows in groups.items():
        cold = sum(1 for row in rows if row["cold_start"])
        inits = [row["init_duration_ms"] for row in rows if row["init_duration_ms"] is not None]
        percentiles = [nearest_rank(inits, p) if inits else None for p in (50, 95, 99)]
        expected.append((function, version, len(rows), cold, cold / len(rows) * 100, *percentiles))
    expected.sort(key=lambda row: (-row[4], row[0], row[1]))

    result = run_saved(demo_lake, "cold-starts-by-function", DEMO_SCOPE)

    assert_rows(result.rows, expected)
    snap_start = next(row for row in result.rows if row[0] == "payments-java")
    assert snap_start[3] > 0
    assert snap_start[5:] == (None, None, None)


def test_memory_headroom_demo(demo_lake: Lake) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in invocations(demo_lake):
        groups[row["function_name"]].append(row)
    expected = []
    for function, rows in groups.items():
        provisioned = float(max(row["memory_size_mb"] for row in rows))
        used = [row["max_memory_used_mb"] for row in rows]
        over = provisioned - max(used)
        average = sum(used) / len(used)
        expected.append(
            (
                function,
                len(rows),
                provisioned,
                float(max(used)),
                average,
                over,
                over / provisioned * 100,
            )
        )
    expected.sort(key=lambda row: (-row[5], row[0]))

    result = run_saved(demo_lake, "memory-headroom", DEMO_SCOPE)

    assert_rows(result.rows, expected)
    assert result.rows[-1][0] == "thumbnail-generator"
    assert result.rows[-1][5] == 0.0


def test_duration_percentiles_demo(demo_lake: Lake) -> None:
    windows: dict[datetime, list[float]] = defaultdict(list)
    for row in invocations(demo_lake):
        epoch_ms = int(row["timestamp"].timestamp() * 1000)
        windows[datetime.fromtimestamp(epoch_ms // 300_000 * 300, UTC)].append(row["duration_ms"])
    expected = [
        (window, len(values), *(nearest_rank(values, p) for p in (50, 90, 99)), max(values))
        for window, values in sorted(windows.items())
    ]
    result = run_saved(demo_lake, "duration-percentiles-over-time", DEMO_SCOPE)

    assert_rows(result.rows, expected)


def test_timeouts_demo(demo_lake: Lake) -> None:
    expected = run_select(
        demo_lake,
        "SELECT timestamp, function_name, function_version, request_id, duration_ms, "
        "billed_duration_ms, log_stream FROM invocations "
        "WHERE date = DATE '2026-12-01' AND status = 'timeout' ORDER BY timestamp DESC",
    ).rows
    result = run_saved(demo_lake, "timeouts", DEMO_SCOPE)

    assert len(expected) == 3
    assert_rows(result.rows, expected)


def test_out_of_memory_kills_demo(demo_lake: Lake) -> None:
    expected = run_select(
        demo_lake,
        "SELECT timestamp, function_name, function_version, request_id, "
        "memory_size_mb::DOUBLE, max_memory_used_mb::DOUBLE, duration_ms, log_stream "
        "FROM invocations WHERE date = DATE '2026-12-01' "
        "AND error_type = 'Runtime.OutOfMemory' ORDER BY timestamp DESC",
    ).rows
    result = run_saved(demo_lake, "out-of-memory-kills", DEMO_SCOPE)

    assert len(expected) >= 1
    assert_rows(result.rows, expected)


def test_slowest_invocations_demo(demo_lake: Lake) -> None:
    expected = run_select(
        demo_lake,
        "SELECT timestamp, function_name, function_version, request_id, duration_ms, "
        "billed_duration_ms, init_duration_ms, status, error_type FROM invocations "
        "WHERE date = DATE '2026-12-01' ORDER BY duration_ms DESC, timestamp DESC LIMIT 25",
    ).rows
    result = run_saved(demo_lake, "slowest-invocations", DEMO_SCOPE)

    assert_rows(result.rows, expected)


def test_billed_cost_demo(demo_lake: Lake) -> None:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in invocations(demo_lake):
        groups[row["function_name"]].append(row)
    expected = []
    for function, rows in groups.items():
        seconds = sum(row["billed_duration_ms"] for row in rows) / 1000
        gb_seconds = sum(
            row["billed_duration_ms"] / 1000 * row["memory_size_mb"] / 1024 for row in rows
        )
        duration_cost = gb_seconds * X86_GB_SECOND
        request_cost = len(rows) * PER_REQUEST
        expected.append(
            (
                function,
                len(rows),
                seconds,
                gb_seconds,
                duration_cost,
                request_cost,
                duration_cost + request_cost,
            )
        )
    expected.sort(key=lambda row: (-row[6], row[0]))

    result = run_saved(demo_lake, "billed-cost-by-function", DEMO_SCOPE)

    assert_rows(result.rows, expected)


def test_request_lines_demo(demo_lake: Lake) -> None:
    (request_id,) = run_select(
        demo_lake,
        "SELECT request_id FROM invocations WHERE error_type = 'Runtime.OutOfMemory' LIMIT 1",
    ).rows[0]
    expected = run_select(
        demo_lake,
        "SELECT timestamp, function_name, type, level, message FROM logs WHERE request_id = ?",
        [request_id],
    ).rows
    result = run_saved(demo_lake, "request-lines", DEMO_SCOPE, request_id=request_id)

    assert len(expected) >= 4
    assert Counter(result.rows) == Counter(expected)
    timestamps = [row[0] for row in result.rows]
    assert timestamps == sorted(timestamps)


def test_trace_lines_demo(demo_lake: Lake) -> None:
    (trace_id,) = run_select(
        demo_lake,
        "SELECT trace_id FROM logs WHERE function_name = 'orders-api' AND type = 'APP' "
        "AND trace_id IS NOT NULL ORDER BY timestamp LIMIT 1",
    ).rows[0]
    expected = run_select(
        demo_lake,
        "SELECT timestamp, function_name, request_id, type, level, message FROM logs "
        "WHERE trace_id = ?",
        [trace_id],
    ).rows
    result = run_saved(demo_lake, "trace-lines", DEMO_SCOPE, trace_id=trace_id)

    assert {row[3] for row in expected} == {"START", "APP", "END", "REPORT"}
    assert Counter(result.rows) == Counter(expected)
    timestamps = [row[0] for row in result.rows]
    assert timestamps == sorted(timestamps)


def test_event_id_lines_demo(demo_lake: Lake) -> None:
    expected = run_select(
        demo_lake,
        "SELECT timestamp, function_name, request_id, level, message FROM logs "
        "WHERE fields->>'eventId' = 'abc123' ORDER BY timestamp DESC",
    ).rows
    result = run_saved(demo_lake, "event-id-lines", DEMO_SCOPE, event_id="abc123")

    assert len(expected) >= 2
    assert {row[1] for row in expected} == {"thumbnail-generator"}
    assert len({row[2] for row in expected}) == 1
    assert_rows(result.rows, expected)


def test_event_id_acceptance_query_demo(demo_lake: Lake) -> None:
    expected = run_select(
        demo_lake,
        "SELECT timestamp, message FROM logs "
        "WHERE fields->>'eventId' = 'abc123' ORDER BY timestamp DESC",
    ).rows
    query = 'fields @timestamp, @message | filter eventId = "abc123" | sort @timestamp desc'
    outcome = run_insights(demo_lake, query, scope=DEMO_SCOPE)

    assert outcome.result.columns == ["@timestamp", "@message"]
    assert_rows(outcome.result.rows, expected)
    assert [row[1].split('"msg":"')[1].split('"')[0] for row in outcome.result.rows][-1] == (
        "processing object"
    )


def test_saved_query_parameter_is_literal(known_lake: Lake) -> None:
    # A value with quotes and SQL stays one string literal and matches nothing.
    injected = "abc123' OR 1=1 --"
    result = run_saved(known_lake, "event-id-lines", KNOWN_SCOPE, event_id=injected)

    assert result.rows == []
    assert run_saved(known_lake, "request-lines", KNOWN_SCOPE, request_id='" or "1"="1').rows == []


def test_docs_example_runs(tmp_path: Path, demo_lake: Lake) -> None:
    page = (Path(__file__).parents[2] / "docs" / "queries.md").read_text()
    example = page.split("```yaml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "slow-cold-starts.yaml").write_text(example)
    saved = load_saved_queries(tmp_path)["slow-cold-starts"]
    outcome = run_insights(demo_lake, saved.query, parameters=bind_parameters(saved, {}))

    assert outcome.result.columns == ["@timestamp", "@function", "@requestId", "@initDuration"]
    assert outcome.result.rows
    assert all(row[3] > 1000 for row in outcome.result.rows)
