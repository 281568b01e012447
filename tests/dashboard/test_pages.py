"""Every page of the dashboard over the fixture lake, checking the numbers it shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from loglake.analytics.advisor import load_prices
from loglake.cli.main import cli
from tests.dashboard.conftest import OpenApp, fixture_range, metrics, row, table
from tests.dashboard.fixture_lake import (
    END,
    EVENT_ID,
    ORDERS_DURATIONS,
    ORDERS_FAILED,
    START,
    THUMBS_DURATIONS,
    FixtureLake,
    billed_gb_seconds,
)


def test_overview_function_rows(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, **fixture_range())
    functions = table(app, "cost USD")
    orders = row(functions, "function", "orders-api")
    assert orders["invocations"] == 10
    assert orders["errors"] == 1
    assert orders["error rate %"] == 10.0
    assert orders["cold starts"] == 1
    assert orders["cold-start rate %"] == 10.0
    # Nearest-rank percentiles of 100, 200, ..., 1000 ms: the 5th, 10th and 10th value.
    assert orders["p50 ms"] == 500.0
    assert orders["p95 ms"] == 1000.0
    assert orders["p99 ms"] == 1000.0
    assert orders["max memory used MB"] == 109
    assert orders["memory size MB"] == 1024
    assert orders["max memory used %"] == round(109 * 100 / 1024, 1)
    gb_seconds = billed_gb_seconds(ORDERS_DURATIONS, 500.0, 1024)
    assert orders["billed GB-s"] == round(gb_seconds, 3)
    prices = load_prices().for_region("us-east-1", "x86_64")
    assert orders["cost USD"] == round(prices.compute_usd(gb_seconds, 10), 6)

    thumbs = row(functions, "function", "thumbs")
    assert thumbs["invocations"] == 4
    # The 2nd of 250, 350, 450 and 550 ms, where interpolation would give 400 ms.
    assert thumbs["p50 ms"] == 350.0
    assert thumbs["errors"] == 1
    assert thumbs["max memory used %"] == 100.0
    assert thumbs["billed GB-s"] == round(billed_gb_seconds(THUMBS_DURATIONS, 300.0, 512), 3)

    shown = metrics(app)
    assert shown["Invocations"] == "14"
    assert shown["Errors"] == "2"
    assert shown["Cold starts"] == "2"


def test_overview_charts_every_measure(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, **fixture_range())
    charts = app.get("vega_lite_chart")
    assert len(charts) == 3
    subheaders = [element.value for element in app.subheader]
    assert "Invocations per 1m" in subheaders
    assert "Cold starts per 1m" in subheaders


def test_overview_function_filter_from_url(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, function=["thumbs"], **fixture_range())
    functions = table(app, "cost USD")
    assert list(functions["function"]) == ["thumbs"]
    assert metrics(app)["Invocations"] == "4"


def test_overview_architecture_sets_prices(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, arch="arm64", **fixture_range())
    orders = row(table(app, "cost USD"), "function", "orders-api")
    prices = load_prices().for_region("us-east-1", "arm64")
    gb_seconds = billed_gb_seconds(ORDERS_DURATIONS, 500.0, 1024)
    assert orders["cost USD"] == round(prices.compute_usd(gb_seconds, 10), 6)


def test_empty_lake_says_how_to_fill_it(tmp_path: Path, open_app: OpenApp) -> None:
    app = open_app(tmp_path / "empty")
    warnings = " ".join(element.value for element in app.warning)
    assert "has no log objects yet" in warnings
    assert "loglake ingest" in warnings
    assert "loglake demo" in warnings
    assert not app.dataframe


def test_empty_range_names_the_lake_span(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(
        fixture_lake.path, range="custom", start="2026-11-03T00:00", end="2026-11-04T00:00"
    )
    notice = " ".join(element.value for element in app.info)
    assert "No invocations between 2026-11-03 00:00 and 2026-11-04 00:00 UTC" in notice
    assert "from 2026-11-02 10:00 to 2026-11-02 10:54 UTC" in notice
    assert not app.dataframe

    app.button(key="span-invocations").click().run()
    assert not app.exception
    assert metrics(app)["Invocations"] == "14"
    assert app.selectbox(key="range").value == "custom"


def test_errors_types_patterns_and_samples(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "errors", **fixture_range())
    types = table(app, "error_types")
    key_error = row(types, "error type", "KeyError")
    assert key_error["lines"] == 1
    assert key_error["requests"] == 1
    assert key_error["functions"] == "orders-api"
    assert sum(key_error["trend"]) == 1
    assert len(key_error["trend"]) == 60

    patterns = table(app, "error_patterns")
    assert len(patterns) == 2
    assert sorted(patterns["lines"]) == [1, 1]
    assert any("KeyError: <STR>" in template for template in patterns["template"])

    app.session_state["error_types"] = {"selection": {"rows": [0], "columns": []}}
    app.run()
    samples = table(app, "message")
    assert list(samples["request ID"]) == [fixture_lake.orders_request_ids[ORDERS_FAILED]]
    assert list(samples["error type"]) == ["KeyError"]
    assert "timestamp (UTC)" in samples.columns


def test_errors_pattern_selection_shows_its_lines(
    fixture_lake: FixtureLake, open_app: OpenApp
) -> None:
    app = open_app(fixture_lake.path, "errors", **fixture_range())
    patterns = table(app, "error_patterns")
    position = next(
        index for index, template in enumerate(patterns["template"]) if "no customer" in template
    )
    app.session_state["error_patterns"] = {"selection": {"rows": [position], "columns": []}}
    app.run()
    samples = table(app, "message")
    assert len(samples) == 1
    assert "order 42 has no customer" in samples["message"].iloc[0]


def test_cold_starts_breakdown(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "cold_starts", **fixture_range())
    breakdown = table(app, "init p50 ms")
    orders = row(breakdown, "function", "orders-api")
    assert orders["version"] == "$LATEST"
    assert orders["runtime"] == "python:3.12.v16"
    assert orders["invocations"] == 10
    assert orders["cold starts"] == 1
    assert orders["cold-start rate %"] == 10.0
    assert orders["init p50 ms"] == 500.0
    thumbs = row(breakdown, "function", "thumbs")
    assert thumbs["runtime"] == "provided:al2023.v109"
    assert thumbs["cold-start rate %"] == 25.0
    assert thumbs["init max ms"] == 300.0
    shown = metrics(app)
    assert shown["Cold starts"] == "2"
    assert shown["Cold-start rate"] == f"{2 * 100 / 14:.2f} %"
    assert len(app.get("vega_lite_chart")) == 2


def test_cold_starts_rate_by_runtime(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "cold_starts", group_by="runtime", **fixture_range())
    assert app.get("button_group")[0].value == "runtime"
    assert len(app.get("vega_lite_chart")) == 2


def test_lookup_request_id(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    request_id = fixture_lake.orders_request_ids[ORDERS_FAILED]
    app = open_app(fixture_lake.path, "request_lookup", id=request_id, **fixture_range())
    shown = metrics(app)
    assert shown["Function"] == "orders-api ($LATEST)"
    assert shown["Status"] == "error"
    assert shown["Duration"] == "400.00 ms"
    assert shown["Max memory used"] == "103 of 1024 MB"
    assert shown["Cold start"] == "no"
    assert [element.value for element in app.error] == ["Error type: KeyError"]
    lines = table(app, "message")
    assert list(lines["type"]) == ["START", "APP", "APP", "END", "REPORT"]


def test_lookup_field_value(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "request_lookup", id=EVENT_ID, **fixture_range())
    matches = table(app, "first line (UTC)")
    request_id = fixture_lake.orders_request_ids[1]
    assert list(matches["request ID"]) == [request_id]
    assert list(matches["fields"].iloc[0]) == ["$.eventId"]
    assert metrics(app)["Duration"] == "200.00 ms"


def test_lookup_trace_waterfall(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    trace_id = fixture_lake.segment_trace_id
    app = open_app(fixture_lake.path, "request_lookup", id=trace_id, **fixture_range())
    assert f"Trace {trace_id}" in [element.value for element in app.subheader]
    charts = app.get("vega_lite_chart")
    assert len(charts) == 1


def test_lookup_trace_summary(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    trace_id = fixture_lake.trace_ids[2]
    app = open_app(fixture_lake.path, "request_lookup", id=trace_id, **fixture_range())
    shown = metrics(app)
    assert shown["Duration"] == "1,500.0 ms"
    assert shown["Outcome"] == "fault"
    errors = [element.value for element in app.error]
    assert errors == ["Root cause: DynamoDB: RequestTimeout timed out after 1s"]


def test_lookup_unknown_value(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "request_lookup", id="no-such-value", **fixture_range())
    warnings = " ".join(element.value for element in app.warning)
    assert "Nothing in the lake names `no-such-value`" in warnings
    assert not app.metric


def test_memory_and_cost(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "memory_cost", arch="arm64", **fixture_range())
    rows = table(app, "headroom MB")
    table_prices = load_prices()
    orders = row(rows, "function", "orders-api")
    assert orders["region"] == "us-east-1"
    assert orders["max used MB"] == 109
    # Nearest-rank percentiles of 100, 101, ..., 109 MB: the 10th and the 5th value.
    assert orders["p99 used MB"] == 109.0
    assert orders["p50 used MB"] == 104.0
    assert orders["headroom MB"] == 1024 - 109
    assert orders["headroom %"] == round((1024 - 109) * 100 / 1024, 1)
    assert orders["OOM kills"] == 0
    assert (
        orders["USD per GB-s"] == table_prices.for_region("us-east-1", "arm64").duration_gb_second
    )

    thumbs = row(rows, "function", "thumbs")
    assert thumbs["region"] == "eu-west-1"
    assert thumbs["headroom MB"] == 0
    assert thumbs["OOM kills"] == 1
    eu_prices = table_prices.for_region("eu-west-1", "arm64")
    gb_seconds = billed_gb_seconds(THUMBS_DURATIONS, 300.0, 512)
    assert thumbs["billed GB-s"] == round(gb_seconds, 3)
    assert thumbs["cost USD"] == round(eu_prices.compute_usd(gb_seconds, 4), 6)
    assert metrics(app)["Out-of-memory kills"] == "1"


def test_traces_page(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "traces", **fixture_range())
    shown = metrics(app)
    assert shown["Traces"] == "3"
    assert shown["Faults (5xx)"] == "1"
    assert shown["Errors (4xx)"] == "0"
    assert shown["p50"] == "500.0 ms"
    slowest = table(app, "trace ID")
    assert list(slowest["trace ID"]) == [fixture_lake.trace_ids[index] for index in (2, 1, 0)]
    assert list(slowest["duration ms"]) == [1500.0, 500.0, 120.0]
    causes = table(app, "latest message")
    cause = row(causes, "exception", "RequestTimeout")
    assert cause["service"] == "DynamoDB"
    assert cause["traces"] == 1
    assert cause["faults"] == 1


QUERY = 'filter @type = "REPORT" | stats count(*) as invocations by bin(30m) as window, @function'


def test_query_results_chart_and_sql(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "query", q=QUERY, **fixture_range())
    results = table(app, "invocations")
    counts = {
        (window.strftime("%H:%M"), function): invocations
        for window, function, invocations in zip(
            results["window (UTC)"], results["@function"], results["invocations"], strict=True
        )
    }
    assert counts == {
        ("10:00", "orders-api"): 5,
        ("10:30", "orders-api"): 5,
        ("10:00", "thumbs"): 3,
        ("10:30", "thumbs"): 1,
    }
    assert len(app.get("vega_lite_chart")) == 1
    assert "FROM" in app.code[0].value
    assert [button.label for button in app.get("download_button")] == [
        "Download CSV",
        "Download JSON",
    ]


def test_query_compile_error_shows_caret(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "query", q='filter @type = = "REPORT"', **fixture_range())
    assert [element.value for element in app.error] == ["The query does not compile:"]
    caret = app.code[0].value
    assert caret.startswith("line 1, column 16:")
    assert caret.splitlines()[-1].strip() == "^"


def test_query_saved_with_parameter(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    request_id = fixture_lake.orders_request_ids[ORDERS_FAILED]
    app = open_app(fixture_lake.path, "query", saved="request-lines", **fixture_range())
    assert app.text_area(key="q").value.strip()
    warnings = " ".join(element.value for element in app.warning)
    assert "needs --param request_id=VALUE" in warnings

    app.text_input(key="param-request-lines-request_id").set_value(request_id).run()
    assert not app.exception
    results = table(app, "@message")
    assert list(results["@type"]) == ["START", "APP", "APP", "END", "REPORT"]


def test_advisor_matches_cli(fixture_lake: FixtureLake, open_app: OpenApp) -> None:
    app = open_app(fixture_lake.path, "advisor", **fixture_range())
    shown = table(app, "monthly USD")
    result = CliRunner().invoke(
        cli,
        [
            "advise",
            "--lake",
            str(fixture_lake.path),
            "--start",
            START.isoformat(),
            "--end",
            END.isoformat(),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["findings"], "the fixture lake should give the advisor findings to compare"
    assert list(shown["rank"]) == [finding["rank"] for finding in report["findings"]]
    assert list(shown["function"]) == [finding["function_name"] for finding in report["findings"]]
    assert list(shown["finding"]) == [finding["title"] for finding in report["findings"]]
    assert list(shown["monthly USD"]) == [
        round(finding["impact"]["monthly_usd"], 2) for finding in report["findings"]
    ]


@pytest.mark.parametrize("page", ["errors", "cold_starts", "memory_cost", "traces"])
def test_pages_explain_empty_range(fixture_lake: FixtureLake, open_app: OpenApp, page: str) -> None:
    app = open_app(
        fixture_lake.path, page, range="custom", start="2026-11-05T00:00", end="2026-11-05T01:00"
    )
    notice = " ".join(element.value for element in app.info)
    assert "between 2026-11-05 00:00 and 2026-11-05 01:00 UTC" in notice
    assert not app.dataframe
