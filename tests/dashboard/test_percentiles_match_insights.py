"""Percentiles of the dashboard, the advisor, the demo summary and the alerts equal ``pct()``.

Every percentile in loglake is nearest-rank. Over the demo day, each figure below must be
the value that the Insights query ``pct(field, p)`` returns for the same rows, rounded as
the figure is rounded.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from loglake.analytics.advisor import FindingKind, Scope, advise, load_prices
from loglake.analytics.alerts.function_checks import evaluate_function_check
from loglake.analytics.alerts.model import FunctionHealthCheck
from loglake.analytics.alerts.observation import Window
from loglake.analytics.dashboard_data.cold_starts import cold_start_breakdown
from loglake.analytics.dashboard_data.memory_cost import memory_and_cost
from loglake.analytics.dashboard_data.overview import function_overview
from loglake.analytics.dashboard_data.selection import Selection
from loglake.analytics.insights import QueryScope
from loglake.analytics.lake import Lake, open_lake
from loglake.analytics.query import run_insights
from loglake.analytics.sql import QueryResult
from loglake.analytics.summary import function_summary
from tests.queries.lakes import DEMO_DAY, build_demo_lake

START, END = DEMO_DAY, DEMO_DAY + timedelta(days=1)
DAY = Selection(start=START, end=END)
DAY_SCOPE = QueryScope(start=START, end=END)


@pytest.fixture(scope="module")
def demo_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return open_lake(str(build_demo_lake(tmp_path_factory.mktemp("demo"))))


def as_dicts(result: QueryResult) -> list[dict[str, Any]]:
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def insights_rows(lake: Lake, query: str, scope: QueryScope = DAY_SCOPE) -> list[dict[str, Any]]:
    """Return the rows of an Insights query, by default over the demo day."""
    return as_dicts(run_insights(lake, query, scope=scope).result)


def by_function(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["function"]: row for row in rows}


def rounded(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)


DURATION_QUERY = """
filter @type = "REPORT"
| stats pct(@duration, 50) as p50, pct(@duration, 95) as p95, pct(@duration, 99) as p99
  by @function as function
"""


def test_overview_duration_percentiles(demo_lake: Lake) -> None:
    expected = by_function(insights_rows(demo_lake, DURATION_QUERY))
    overview = function_overview(demo_lake, DAY, load_prices(), "x86_64")
    overview_rows = by_function(as_dicts(overview))
    assert len(overview_rows) >= 5
    assert overview_rows.keys() == expected.keys()
    for name, row in overview_rows.items():
        assert row["p50 ms"] == rounded(expected[name]["p50"]), name
        assert row["p95 ms"] == rounded(expected[name]["p95"]), name
        assert row["p99 ms"] == rounded(expected[name]["p99"]), name


def test_summary_p95_duration(demo_lake: Lake) -> None:
    expected = by_function(insights_rows(demo_lake, DURATION_QUERY))
    summary = by_function(as_dicts(function_summary(demo_lake)))
    assert summary.keys() == expected.keys()
    for name, row in summary.items():
        assert row["p95 ms"] == rounded(expected[name]["p95"]), name


INIT_QUERY = """
filter @type = "REPORT" and @coldStart
| stats pct(coalesce(@initDuration, @restoreDuration), 50) as p50,
        pct(coalesce(@initDuration, @restoreDuration), 95) as p95,
        pct(coalesce(@initDuration, @restoreDuration), 99) as p99
  by @function as function, @version as version
"""


def init_percentiles(lake: Lake) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["function"], row["version"]): row for row in insights_rows(lake, INIT_QUERY)}


def test_cold_start_breakdown_init_percentiles(demo_lake: Lake) -> None:
    expected = init_percentiles(demo_lake)
    breakdown = as_dicts(cold_start_breakdown(demo_lake, DAY))
    checked = 0
    for row in breakdown:
        if not row["cold starts"]:
            continue
        percentiles = expected[(row["function"], row["version"])]
        assert row["init p50 ms"] == rounded(percentiles["p50"]), row
        assert row["init p95 ms"] == rounded(percentiles["p95"]), row
        assert row["init p99 ms"] == rounded(percentiles["p99"]), row
        checked += 1
    assert checked == len(expected)


def test_advisor_cold_start_percentiles(demo_lake: Lake) -> None:
    expected = init_percentiles(demo_lake)
    report = advise(demo_lake, Scope(start=START, end=END))
    findings = [item for item in report.findings if item.kind == FindingKind.COLD_STARTS]
    assert findings
    for finding in findings:
        percentiles = expected[(finding.function_name, finding.function_version)]
        phase = "restore" if finding.evidence["uses_snapstart"] else "init"
        evidence = finding.evidence
        assert evidence[f"{phase}_p50_ms"] == rounded(percentiles["p50"]), finding.function_name
        assert evidence[f"{phase}_p95_ms"] == rounded(percentiles["p95"]), finding.function_name
        assert evidence[f"{phase}_p99_ms"] == rounded(percentiles["p99"]), finding.function_name


MEMORY_QUERY = """
filter @type = "REPORT"
| stats pct(@maxMemoryUsedMB, 50) as p50, pct(@maxMemoryUsedMB, 99) as p99
  by @function as function, @memorySizeMB as size
"""


def test_memory_page_percentiles(demo_lake: Lake) -> None:
    # The demo's memory figures are whole MB with many ties, so interpolated percentiles
    # round to the same values here. test_pages checks the definition on distinct values.
    expected = {
        (row["function"], row["size"]): row for row in insights_rows(demo_lake, MEMORY_QUERY)
    }
    page = as_dicts(memory_and_cost(demo_lake, DAY, load_prices(), "x86_64").rows)
    assert len(page) == len(expected)
    for row in page:
        percentiles = expected[(row["function"], row["memory size MB"])]
        assert row["p50 used MB"] == rounded(percentiles["p50"]), row["function"]
        assert row["p99 used MB"] == rounded(percentiles["p99"]), row["function"]


def test_alert_p99_duration(demo_lake: Lake) -> None:
    start = START + timedelta(hours=9)
    end = start + timedelta(hours=3)
    rows = insights_rows(
        demo_lake,
        'filter @type = "REPORT" | stats pct(@duration, 99) as p99 by @function as function',
        QueryScope(start=start, end=end),
    )
    check = FunctionHealthCheck(check="p99_duration", functions=(), min_invocations=1)
    observations = evaluate_function_check(demo_lake, check, Window(at=end, start=start, end=end))
    values = {item.labels["function"]: item.value for item in observations}
    assert len(values) >= 5
    assert values == {row["function"]: row["p99"] for row in rows}
