"""Each Insights command, run over the fixture lake, with the rows it must return."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from loglake.analytics.insights import InsightsError, QueryScope
from loglake.analytics.lake import Lake
from loglake.analytics.query import InsightsResult, run_insights
from tests.insights.fixture_lake import R1, R2, R3, R4, R5


def run(lake: Lake, text: str, **options: Any) -> InsightsResult:
    return run_insights(lake, text, **options)


def rows(lake: Lake, text: str, **options: Any) -> list[tuple[Any, ...]]:
    """Return the rows, with timestamps as ISO 8601 text for easy comparison."""
    return [
        tuple(value.isoformat() if isinstance(value, datetime) else value for value in row)
        for row in run(lake, text, **options).result.rows
    ]


def test_default_projection_is_timestamp_and_message_newest_first(fixture_lake: Lake) -> None:
    result = run(fixture_lake, f'filter @requestId = "{R3}"').result
    assert result.columns == ["@timestamp", "@message"]
    messages = [row[1].split(" ")[0] for row in result.rows]
    assert messages == ["REPORT", "END", "2026-11-02T09:00:03.000Z", "START"]


def test_fields_accumulate(fixture_lake: Lake) -> None:
    query = 'fields @requestId | fields @type | filter @function = "thumbs" and @type = "REPORT"'
    result = run(fixture_lake, query).result
    assert result.columns == ["@requestId", "@type"]
    assert result.rows == [(R4, "REPORT")]


def test_last_display_wins(fixture_lake: Lake) -> None:
    query = (
        'display @type | display @function | filter @type = "REPORT" '
        "| sort @duration desc | limit 1"
    )
    result = run(fixture_lake, query).result
    assert result.columns == ["@function"]
    assert result.rows == [("orders-api",)]


def test_display_keeps_fields_usable(fixture_lake: Lake) -> None:
    query = "fields @duration / 1000 as seconds | display @requestId | filter seconds > 1"
    assert rows(fixture_lake, query) == [(R3,)]


def test_where_is_filter(fixture_lake: Lake) -> None:
    assert rows(fixture_lake, 'where @level = "WARN" | fields msg') == [("image too large",)]


def test_stats_by_group_sorted_by_key(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | stats count(*) as n by @function'
    assert rows(fixture_lake, query) == [("orders-api", 3), ("renderer", 1), ("thumbs", 1)]


def test_stats_without_alias_names_column_by_expression(fixture_lake: Lake) -> None:
    result = run(
        fixture_lake, 'filter @type = "REPORT" | stats count(*), avg( @duration ) by @function'
    ).result
    assert result.columns == ["@function", "count(*)", "avg(@duration)"]


def test_group_by_is_accepted(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | stats count(*) as n group by @function | sort n desc | limit 1'
    )
    assert rows(fixture_lake, query) == [("orders-api", 3)]


def test_stats_aggregates(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | stats sum(@billedDuration) as billed, '
        "min(@duration) as fastest, max(@duration) as slowest, "
        "avg(@maxMemoryUsed) as avgUsed, count(@initDuration) as cold, "
        "count_distinct(@function) as functions, count() as reports"
    )
    assert rows(fixture_lake, query) == [(3883.0, 30.25, 3000.0, 184_600_000.0, 1, 3, 5)]


def test_arithmetic_over_aggregates_and_earlier_aliases(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | stats max(@memorySize / 1000 / 1000) as provisionedMB, '
        "max(@maxMemoryUsed / 1000 / 1000) as usedMB, provisionedMB - usedMB as overProvisionedMB "
        "by @log"
    )
    assert rows(fixture_lake, query) == [
        ("123456789012:/aws/lambda/orders-api", 1024.0, 111.0, 913.0),
        ("123456789012:/aws/lambda/renderer", 256.0, 90.0, 166.0),
        ("123456789012:/aws/lambda/thumbs", 512.0, 512.0, 0.0),
    ]


def test_two_stats(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | stats count(*) as n by bin(1h) as hourStart '
        "| stats sum(n) as total, count(*) as hours, max(hourStart) as lastHour"
    )
    assert rows(fixture_lake, query) == [(5.0, 2, "2026-11-02T09:00:00+00:00")]


def test_filter_after_stats(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | stats count(*) as n by @function | filter n > 1'
    assert rows(fixture_lake, query) == [("orders-api", 3)]


def test_fields_after_stats(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | stats sum(@billedDuration) as ms by @function '
        "| fields ms / 1000 as seconds | sort seconds desc | limit 1"
    )
    result = run(fixture_lake, query).result
    assert result.columns == ["@function", "ms", "seconds"]
    assert result.rows == [("orders-api", 3152.0, 3.152)]


def test_sort_several_keys(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | sort @memorySize desc, @duration asc | fields @requestId'
    assert rows(fixture_lake, query) == [(R2,), (R1,), (R3,), (R4,), (R5,)]


def test_sort_is_ascending_by_default(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | sort by @duration | fields @duration | limit 2'
    assert rows(fixture_lake, query) == [(30.25,), (120.5,)]


def test_sort_timestamp_after_stats_by_bin(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | stats count(*) as n by bin(1h) | sort @timestamp desc'
    assert rows(fixture_lake, query) == [
        ("2026-11-02T09:00:00+00:00", 1),
        ("2026-11-02T08:00:00+00:00", 4),
    ]


def test_limit(fixture_lake: Lake) -> None:
    outcome = run(fixture_lake, "fields @message | limit 3")
    assert len(outcome.result.rows) == 3
    assert not outcome.truncated


def test_default_row_limit_reports_truncation(fixture_lake: Lake) -> None:
    outcome = run(fixture_lake, "fields @message", row_limit=5)
    assert len(outcome.result.rows) == 5
    assert outcome.truncated


def test_query_limit_is_not_truncation(fixture_lake: Lake) -> None:
    outcome = run(fixture_lake, "fields @message | limit 5", row_limit=5)
    assert not outcome.truncated


def test_parse_glob_timeout_limit(fixture_lake: Lake) -> None:
    query = (
        'parse @message "Task timed out after * seconds" as limit '
        "| filter ispresent(limit) | stats count(*) by limit"
    )
    assert rows(fixture_lake, query) == [("3.00", 1)]


def test_parse_keeps_rows_that_do_not_match(fixture_lake: Lake) -> None:
    query = (
        'parse @message "Task timed out after * seconds" as limit '
        "| stats count(*) as events, count(limit) as timeouts"
    )
    assert rows(fixture_lake, query) == [(23, 1)]


def test_parse_chained_with_glob_at_end(fixture_lake: Lake) -> None:
    query = (
        f'filter @requestId = "{R2}" and @type = "REPORT" '
        '| parse @message "Duration: * ms" as d | parse d "*.*" as whole, fraction '
        "| display whole, fraction"
    )
    assert rows(fixture_lake, query) == [("30", "25")]


def test_parse_without_field_reads_message(fixture_lake: Lake) -> None:
    query = 'parse "Max Memory Used: * MB" as used | filter ispresent(used) | stats count(*) as n'
    assert rows(fixture_lake, query) == [(4,)]


def test_parse_regex_named_groups(fixture_lake: Lake) -> None:
    query = (
        r"parse @message /Max Memory Used: (?<used>\d+) MB/ | filter ispresent(used) "
        "| stats max(used) as most, min(used) as least"
    )
    assert rows(fixture_lake, query) == [(512.0, 100.0)]


def test_parse_regex_named_group_after_an_unnamed_group(fixture_lake: Lake) -> None:
    # A plain group before the named one still counts: used is the second group.
    query = (
        r"parse @message /(Max) Memory Used: (?<used>\d+) MB/ | filter ispresent(used) "
        "| stats max(used) as most"
    )
    assert rows(fixture_lake, query) == [(512.0,)]


def test_regex_end_anchor_matches_before_final_newline(fixture_lake: Lake) -> None:
    # Lambda's text lines end with a newline; $ matches before it, as in Java's syntax.
    anchored = rows(fixture_lake, r"filter @message like /Version: \$LATEST$/ | stats count(*)")
    unanchored = rows(fixture_lake, r"filter @message like /Version: \$LATEST/ | stats count(*)")
    assert anchored == unanchored
    assert anchored[0][0] > 0
    captured = rows(
        fixture_lake,
        r"parse @message /^END RequestId: (?<id>\S+)$/ | filter ispresent(id) | stats count(*)",
    )
    assert captured[0][0] > 0


def test_parse_captures_compare_as_numbers(fixture_lake: Lake) -> None:
    query = (
        r"parse @message /Max Memory Used: (?<used>\d+) MB/ | filter used >= 111 "
        "| fields @requestId | sort used asc"
    )
    assert rows(fixture_lake, query) == [(R3,), (R4,)]


def test_dedup_keeps_newest_row_per_value(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | fields @function | dedup @memorySize'
    assert rows(fixture_lake, query) == [("orders-api",), ("renderer",), ("thumbs",)]


def test_dedup_follows_earlier_sort(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | fields @requestId | sort @duration asc | dedup @memorySize'
    assert rows(fixture_lake, query) == [(R2,), (R5,), (R4,)]


def test_dedup_keeps_every_row_with_a_missing_key(fixture_lake: Lake) -> None:
    query = f'filter @requestId = "{R4}" | dedup eventId | stats count(*) as n'
    with pytest.raises(InsightsError, match="only limit may follow dedup"):
        run(fixture_lake, query)
    kept = rows(fixture_lake, f'filter @requestId = "{R4}" | dedup eventId | limit 100')
    assert len(kept) == 5


def test_pattern_counts_every_line(fixture_lake: Lake) -> None:
    result = run(fixture_lake, 'filter @type = "APP" | pattern @message').result
    assert result.columns == [
        "@pattern",
        "@ratio",
        "@sampleCount",
        "@severityLabel",
        "@patternId",
        "@sample",
    ]
    counts = [row[2] for row in result.rows]
    assert sum(counts) == 7
    assert counts == sorted(counts, reverse=True)
    assert sum(row[1] for row in result.rows) == pytest.approx(1.0)


def test_pattern_masks_numbers_alike(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" and @function = "orders-api" | pattern @message'
    result = run(fixture_lake, query).result
    # The two REPORT lines without an init duration or status differ only in numbers and IDs.
    assert max(row[2] for row in result.rows) >= 1
    assert all("11111111-1111" not in row[0] for row in result.rows)


def test_unmask_changes_nothing(fixture_lake: Lake) -> None:
    query = f'unmask | filter @requestId = "{R4}" | fields unmask(@type) as t | stats count(*) as n'
    assert rows(fixture_lake, query) == [(5,)]


def test_source_by_name_prefix(fixture_lake: Lake) -> None:
    query = "SOURCE logGroups(namePrefix: ['/aws/lambda/th']) | stats count(*) as n"
    assert rows(fixture_lake, query) == [(5,)]


def test_source_by_log_group_name(fixture_lake: Lake) -> None:
    assert rows(fixture_lake, "SOURCE '/aws/lambda/renderer' | stats count(*) as n") == [(3,)]


def test_comments(fixture_lake: Lake) -> None:
    query = '# only the renderer\nfilter @function = "renderer" # not others\n| stats count(*) as n'
    assert rows(fixture_lake, query) == [(3,)]


def test_time_scope(fixture_lake: Lake) -> None:
    scope = QueryScope(
        start=datetime(2026, 11, 2, 8, 0, tzinfo=UTC), end=datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    )
    assert rows(fixture_lake, "stats count(*) as n", scope=scope) == [(19,)]


def test_function_and_log_group_scope(fixture_lake: Lake) -> None:
    by_function = QueryScope(functions=("thumbs", "renderer"))
    assert rows(fixture_lake, "stats count(*) as n", scope=by_function) == [(8,)]
    by_group = QueryScope(log_groups=("/aws/lambda/renderer",))
    assert rows(fixture_lake, "stats count(*) as n", scope=by_group) == [(3,)]


def test_parameters_are_literals(fixture_lake: Lake) -> None:
    query = "filter @requestId = $id | stats count(*) as n"
    assert rows(fixture_lake, query, parameters={"id": R5}) == [(3,)]


def test_missing_parameter_names_the_fix(fixture_lake: Lake) -> None:
    with pytest.raises(InsightsError, match=r"--param id=VALUE"):
        run(fixture_lake, "filter @requestId = $id")


def test_display_after_stats_keeps_key_order(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | stats count(*) as n by @function | display n'
    assert rows(fixture_lake, query) == [(3,), (1,), (1,)]
    compiled = run(fixture_lake, query).compiled
    assert "ORDER BY src._c1 ASC NULLS LAST" in compiled.sql
