"""Error pattern checks: a pattern new to a function, or a known one rising over its baseline.

Both compare the window with the baseline period just before it, ``[start - baseline,
start)``, counting the error lines of each function and pattern. Because a pattern's ID
depends only on its template, the comparison needs no stored list of known patterns, and
evaluating the same instant twice gives the same result.
"""

from __future__ import annotations

from typing import Any

from loglake.analytics.alerts.model import ErrorPatternCheck
from loglake.analytics.alerts.notification import MAX_SAMPLES, Pattern
from loglake.analytics.alerts.observation import (
    Observation,
    Window,
    samples_from_rows,
    shell_command,
    time_text,
)
from loglake.analytics.alerts.snapshot import (
    ERROR_LINES_TABLE,
    partition_range_sql,
    timestamp_literal,
)
from loglake.analytics.lake import Lake
from loglake.analytics.patterns import pattern_id_sql, sql_literal
from loglake.analytics.sql import run_select

_SAMPLE_ORDER = "timestamp, log_stream, event_id"


def pattern_check_sql(check: ErrorPatternCheck, window: Window) -> str:
    """Return the SELECT of the patterns that breach, with their counts and samples.

    It reads the ``error_lines`` table of a snapshot (see ``snapshot_lake``).
    """
    baseline_start = window.start - check.baseline
    conditions = [partition_range_sql(baseline_start, window.end)]
    if check.functions:
        names = ", ".join(sql_literal(name) for name in check.functions)
        conditions.append(f"function_name IN ({names})")
    in_window = f"timestamp >= {timestamp_literal(window.start)}"
    window_seconds = (window.end - window.start).total_seconds()
    baseline_seconds = check.baseline.total_seconds()

    if check.check == "new_pattern":
        value = "in_window"
        breach = "baseline = 0"
    else:
        value = f"(in_window / {window_seconds}) / (baseline / {baseline_seconds})"
        breach = "baseline > 0"

    return f"""
        WITH lines AS (
            SELECT timestamp, function_name, request_id, message, log_stream, event_id, template
            FROM {ERROR_LINES_TABLE}
            WHERE {" AND ".join(conditions)}
        ),
        counts AS (
            SELECT function_name, template,
                   count(*) FILTER (WHERE {in_window}) AS in_window,
                   count(*) FILTER (WHERE NOT ({in_window})) AS baseline
            FROM lines
            GROUP BY function_name, template
        ),
        breaching AS (
            SELECT function_name, template, in_window, baseline, {value} AS value
            FROM counts
            WHERE in_window >= {int(check.min_count)} AND {breach}
        ),
        ranked AS (
            SELECT lines.function_name, lines.template, timestamp, request_id, message,
                   row_number() OVER (
                       PARTITION BY lines.function_name, lines.template ORDER BY {_SAMPLE_ORDER}
                   ) AS position
            FROM lines SEMI JOIN breaching
                ON lines.function_name IS NOT DISTINCT FROM breaching.function_name
                AND lines.template = breaching.template
            WHERE {in_window}
        ),
        samples AS (
            SELECT function_name, template,
                   list(struct_pack(timestamp, function_name, request_id, message)
                        ORDER BY position) AS samples
            FROM ranked
            WHERE position <= {MAX_SAMPLES}
            GROUP BY function_name, template
        )
        SELECT {pattern_id_sql("breaching.template")} AS pattern_id, breaching.template,
               breaching.function_name, in_window, baseline, value, samples.samples
        FROM breaching LEFT JOIN samples
            ON breaching.function_name IS NOT DISTINCT FROM samples.function_name
            AND breaching.template = samples.template
        ORDER BY breaching.function_name, pattern_id
    """


def evaluate_pattern_check(
    lake: Lake, check: ErrorPatternCheck, window: Window
) -> list[Observation]:
    """Return an observation for each function and pattern that breaches in the window.

    Patterns that do not breach produce no observation, so their alerts see no data.
    """
    result = run_select(lake, pattern_check_sql(check, window))
    observations = []
    for pattern_id, template, function, in_window, baseline, value, samples in result.rows:
        labels = {"pattern": pattern_id}
        if function is not None:
            labels["function"] = function
        details: dict[str, Any] = {
            "lines_in_window": in_window,
            f"lines_in_baseline_{_period(check)}": baseline,
        }
        observations.append(
            Observation(
                labels=labels,
                value=float(value),
                samples=samples_from_rows([tuple(sample.values()) for sample in samples or []]),
                reproduce=reproduce(lake.url, window, function),
                pattern=Pattern(pattern_id, template),
                details=details,
            )
        )
    return observations


def _period(check: ErrorPatternCheck) -> str:
    from loglake.analytics.alerts.durations import format_duration

    return format_duration(check.baseline)


def reproduce(lake_url: str, window: Window, function: str | None) -> str:
    """Return the ``loglake patterns`` command that lists the window's error patterns."""
    words = ["loglake", "patterns", "--lake", lake_url, "--errors-only"]
    words += ["--start", time_text(window.start), "--end", time_text(window.end)]
    if function is not None:
        words += ["--function", function]
    return shell_command(*words)
