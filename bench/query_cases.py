"""The questions of the query benchmark, each written for every engine that is compared.

A case is one question, written as loglake's Logs Insights text and as a user of each
other tool would write it. The other forms are DuckDB SQL over the lake's ``logs`` view,
DuckDB SQL over a ``logs`` view of the NDJSON export, a ``jq`` program over the NDJSON
export and chDB (ClickHouse) SQL over the lake's Parquet files. None marks a tool that
cannot express the question reasonably: ``jq`` has no percentiles, for example.

The texts are templates. SQL writes ``${start}`` and ``${end}`` (the time range, as
``YYYY-MM-DD HH:MM:SS`` in UTC), ``${request_id}``, ``${trace_id}``, ``${event_id}`` and, for
chDB, ``${parquet}`` (the table function that reads the lake). ``jq`` programs read the
same values as ``$range_start``, ``$range_end``, ``$request_id``, ``$trace_id`` and
``$event_id``; they run with ``-n -c`` and print one line per result row. Every query has
the time range, so every engine does the work of filtering on it.

Cases named like a saved query take their Insights text from ``queries/NAME.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ROW_LIMIT = 10_000
"""Rows that a query returns at most: the ``row_limit`` given to the Insights compiler."""


@dataclass(frozen=True, slots=True)
class QueryCase:
    """One question, written for each engine."""

    name: str
    insights: str | None
    """Insights text; None for a saved query, whose text is read from its file."""
    sql: str
    """DuckDB SQL over the lake's views."""
    ndjson_sql: str | None
    """DuckDB SQL over a ``logs`` view of the NDJSON export; None runs ``sql`` unchanged,
    because that view has the same columns apart from ``date`` and ``hour``."""
    jq: str | None
    chdb: str | None
    parameters: dict[str, str] = field(default_factory=dict)
    """Values of the saved query's ``$name`` parameters, as templates."""

    @property
    def saved(self) -> bool:
        """Whether the Insights text comes from a saved query file."""
        return self.insights is None


_RANGE = "timestamp >= '${start}' AND timestamp < '${end}'"
_CH_RANGE = (
    "timestamp >= toDateTime64('${start}', 3, 'UTC') "
    "AND timestamp < toDateTime64('${end}', 3, 'UTC')"
)
_JQ_RANGE = ".timestamp >= $range_start and .timestamp < $range_end"

# The first line of an error message without the prefixes of Lambda runtimes and log4j, as
# queries/top-error-messages.yaml parses it.
_FIRST_LINE = (
    r"^(?:\[[A-Z]+\]\s+)?(?:\d{4}-\d\d-\d\d[T ][0-9:.,]+Z?\s+)?"
    r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\s+)?"
    r"(?:(?:ERROR|FATAL)\s+)?([^\n]*)"
)
# ClickHouse string literals treat a backslash as an escape, so a regular expression's
# backslashes are doubled there; DuckDB's literals keep backslashes as they are.
_CH_FIRST_LINE = _FIRST_LINE.replace("\\", "\\\\")

ACCEPTANCE_CASES: tuple[QueryCase, ...] = (
    QueryCase(
        name="invocations and cold starts by log group",
        insights=(
            'filter @type = "REPORT" | stats count(*) as invocations, '
            "count(@initDuration) as coldStarts by @log"
        ),
        sql=(
            "SELECT account || ':' || log_group AS log, count(*) AS invocations, "
            "count(init_duration_ms) AS coldStarts FROM logs "
            f"WHERE {_RANGE} AND type = 'REPORT' GROUP BY log"
        ),
        ndjson_sql=None,
        jq=(
            f'reduce (inputs | select({_JQ_RANGE} and .type == "REPORT")) as $r ({{}}; '
            '($r.account + ":" + $r.log_group) as $log | .[$log].invocations += 1 '
            "| .[$log].coldStarts += (if $r.init_duration_ms == null then 0 else 1 end)) "
            "| to_entries[] | [.key, .value.invocations, .value.coldStarts]"
        ),
        chdb=(
            "SELECT concat(account, ':', log_group) AS log, count() AS invocations, "
            "count(init_duration_ms) AS coldStarts FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND type = 'REPORT' GROUP BY log"
        ),
    ),
    QueryCase(
        name="lines with one eventId, newest first",
        insights='fields @timestamp, @message | filter eventId = "abc123" | sort @timestamp desc',
        sql=(
            "SELECT timestamp, message FROM logs "
            f"WHERE {_RANGE} AND (fields->>'eventId') = 'abc123' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
        ndjson_sql=None,
        jq=(
            f'[limit({ROW_LIMIT}; inputs | select({_JQ_RANGE} and .fields.eventId == "abc123") '
            "| [.timestamp, .message])] | sort_by(.[0]) | reverse | .[]"
        ),
        chdb=(
            "SELECT timestamp, message FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND JSONExtractString(fields, 'eventId') = 'abc123' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
    ),
    QueryCase(
        name="over-provisioned memory by log group",
        insights=(
            'filter @type = "REPORT" | stats max(@memorySize / 1000 / 1000) as provisionedMB, '
            "max(@maxMemoryUsed / 1000 / 1000) as usedMB, "
            "provisionedMB - usedMB as overProvisionedMB by @log"
        ),
        sql=(
            "SELECT account || ':' || log_group AS log, max(memory_size_mb) AS provisionedMB, "
            "max(max_memory_used_mb) AS usedMB, provisionedMB - usedMB AS overProvisionedMB "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' GROUP BY log"
        ),
        ndjson_sql=None,
        jq=(
            f'reduce (inputs | select({_JQ_RANGE} and .type == "REPORT")) as $r ({{}}; '
            '($r.account + ":" + $r.log_group) as $log '
            "| .[$log].provisioned = ([.[$log].provisioned, $r.memory_size_mb] | max) "
            "| .[$log].used = ([.[$log].used, $r.max_memory_used_mb] | max)) "
            "| to_entries[] "
            "| [.key, .value.provisioned, .value.used, .value.provisioned - .value.used]"
        ),
        chdb=(
            "SELECT concat(account, ':', log_group) AS log, max(memory_size_mb) AS provisionedMB, "
            "max(max_memory_used_mb) AS usedMB, provisionedMB - usedMB AS overProvisionedMB "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' GROUP BY log"
        ),
    ),
    QueryCase(
        name="timeouts by configured limit",
        insights=(
            'parse @message "Task timed out after * seconds" as limit '
            "| filter ispresent(limit) | stats count(*) by limit"
        ),
        sql=(
            "SELECT regexp_extract(message, 'Task timed out after (.*?) seconds', 1) AS \"limit\", "
            f"count(*) AS count FROM logs WHERE {_RANGE} "
            "AND message LIKE '%Task timed out after % seconds%' GROUP BY \"limit\""
        ),
        ndjson_sql=None,
        jq=(
            f"reduce (inputs | select({_JQ_RANGE}) | .message "
            '| select(contains("Task timed out after")) '
            '| capture("Task timed out after (?<limit>.*?) seconds").limit) as $limit '
            "({}; .[$limit] += 1) | to_entries[] | [.key, .value]"
        ),
        chdb=(
            "SELECT extract(message, 'Task timed out after (.*?) seconds') AS lim, "
            f"count() AS count FROM ${{parquet}} WHERE {_CH_RANGE} "
            "AND message LIKE '%Task timed out after % seconds%' GROUP BY lim"
        ),
    ),
    QueryCase(
        name="p99 duration in 5-minute bins",
        insights='filter @type = "REPORT" | stats pct(@duration, 99) as p99 by bin(5m)',
        sql=(
            "SELECT time_bucket(INTERVAL 5 MINUTE, timestamp) AS bin, "
            "quantile_disc(duration_ms, 0.99) AS p99 "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' GROUP BY bin ORDER BY bin"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT toStartOfInterval(timestamp, INTERVAL 5 MINUTE) AS bin, "
            "quantileExact(0.99)(duration_ms) AS p99 "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' GROUP BY bin ORDER BY bin"
        ),
    ),
)
"""The acceptance queries of loglake's Insights compiler."""

SAVED_QUERY_CASES: tuple[QueryCase, ...] = (
    QueryCase(
        name="billed-cost-by-function",
        insights=None,
        sql=(
            "SELECT function_name, count(*) AS invocations, "
            "sum(billed_duration_ms) / 1000 AS billedSeconds, "
            "sum(billed_duration_ms / 1000 * memory_size_mb / 1024) AS gbSeconds, "
            "gbSeconds * 0.0000166667 AS durationCostUSD, "
            "invocations * 0.20 / 1000000 AS requestCostUSD, "
            "durationCostUSD + requestCostUSD AS costUSD "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' "
            "GROUP BY function_name ORDER BY costUSD DESC, function_name"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT function_name, count() AS invocations, "
            "sum(billed_duration_ms) / 1000 AS billedSeconds, "
            "sum(billed_duration_ms / 1000 * memory_size_mb / 1024) AS gbSeconds, "
            "gbSeconds * 0.0000166667 AS durationCostUSD, "
            "invocations * 0.20 / 1000000 AS requestCostUSD, "
            "durationCostUSD + requestCostUSD AS costUSD "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' "
            "GROUP BY function_name ORDER BY costUSD DESC, function_name"
        ),
    ),
    QueryCase(
        name="cold-starts-by-function",
        insights=None,
        sql=(
            "SELECT function_name, function_version, count(*) AS invocations, "
            "count(*) FILTER (WHERE cold_start) AS coldStarts, "
            "coldStarts / invocations * 100 AS coldStartPct, "
            "quantile_disc(init_duration_ms, [0.5, 0.95, 0.99]) AS initPercentiles "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' "
            "GROUP BY function_name, function_version "
            "ORDER BY coldStartPct DESC, function_name, function_version"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT function_name, function_version, count() AS invocations, "
            "countIf(cold_start) AS coldStarts, coldStarts / invocations * 100 AS coldStartPct, "
            "quantilesExact(0.5, 0.95, 0.99)(init_duration_ms) AS initPercentiles "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' "
            "GROUP BY function_name, function_version "
            "ORDER BY coldStartPct DESC, function_name, function_version"
        ),
    ),
    QueryCase(
        name="duration-percentiles-over-time",
        insights=None,
        sql=(
            "SELECT time_bucket(INTERVAL 5 MINUTE, timestamp) AS time, count(*) AS invocations, "
            "quantile_disc(duration_ms, [0.5, 0.9, 0.99]) AS percentiles, "
            "max(duration_ms) AS maxDuration "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' GROUP BY time ORDER BY time"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT toStartOfInterval(timestamp, INTERVAL 5 MINUTE) AS time, "
            "count() AS invocations, "
            "quantilesExact(0.5, 0.9, 0.99)(duration_ms) AS percentiles, "
            "max(duration_ms) AS maxDuration "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' GROUP BY time ORDER BY time"
        ),
    ),
    QueryCase(
        name="error-rate-over-time",
        insights=None,
        sql=(
            "SELECT time_bucket(INTERVAL 15 MINUTE, timestamp) AS time, count(*) AS invocations, "
            "count(*) FILTER (WHERE status = 'error') AS errors, "
            "count(*) FILTER (WHERE status = 'timeout') AS timeouts, "
            "(errors + timeouts) / invocations * 100 AS errorRatePct "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' GROUP BY time ORDER BY time"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT toStartOfInterval(timestamp, INTERVAL 15 MINUTE) AS time, "
            "count() AS invocations, countIf(status = 'error') AS errors, "
            "countIf(status = 'timeout') AS timeouts, "
            "(errors + timeouts) / invocations * 100 AS errorRatePct "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' GROUP BY time ORDER BY time"
        ),
    ),
    QueryCase(
        name="errors-by-function",
        insights=None,
        sql=(
            "SELECT function_name, count(DISTINCT request_id) AS failedRequests, "
            "count(*) FILTER (WHERE type = 'REPORT' AND status = 'error') AS errorInvocations, "
            "count(*) FILTER (WHERE type = 'REPORT' AND status = 'timeout') AS timeouts, "
            "count(*) FILTER (WHERE level IN ('ERROR', 'FATAL')) AS errorLines "
            f"FROM logs WHERE {_RANGE} "
            "AND (status IN ('error', 'timeout') OR level IN ('ERROR', 'FATAL')) "
            "GROUP BY function_name ORDER BY failedRequests DESC, function_name"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT function_name, uniqExact(request_id) AS failedRequests, "
            "countIf(type = 'REPORT' AND status = 'error') AS errorInvocations, "
            "countIf(type = 'REPORT' AND status = 'timeout') AS timeouts, "
            "countIf(level IN ('ERROR', 'FATAL')) AS errorLines "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} "
            "AND (status IN ('error', 'timeout') OR level IN ('ERROR', 'FATAL')) "
            "GROUP BY function_name ORDER BY failedRequests DESC, function_name"
        ),
    ),
    QueryCase(
        name="event-id-lines",
        insights=None,
        parameters={"event_id": "${event_id}"},
        sql=(
            "SELECT timestamp, function_name, request_id, level, message FROM logs "
            f"WHERE {_RANGE} AND (fields->>'eventId') = '${{event_id}}' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
        ndjson_sql=None,
        jq=(
            f"[limit({ROW_LIMIT}; inputs | select({_JQ_RANGE} and .fields.eventId == $event_id) "
            "| [.timestamp, .function_name, .request_id, .level, .message])] "
            "| sort_by(.[0]) | reverse | .[]"
        ),
        chdb=(
            "SELECT timestamp, function_name, request_id, level, message FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND JSONExtractString(fields, 'eventId') = '${{event_id}}' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
    ),
    QueryCase(
        name="memory-headroom",
        insights=None,
        sql=(
            "SELECT function_name, count(*) AS invocations, max(memory_size_mb) AS provisionedMB, "
            "max(max_memory_used_mb) AS maxUsedMB, avg(max_memory_used_mb) AS avgUsedMB, "
            "provisionedMB - maxUsedMB AS overProvisionedMB, "
            "overProvisionedMB / provisionedMB * 100 AS headroomPct "
            f"FROM logs WHERE {_RANGE} AND type = 'REPORT' "
            "GROUP BY function_name ORDER BY overProvisionedMB DESC, function_name"
        ),
        ndjson_sql=None,
        jq=(
            f'reduce (inputs | select({_JQ_RANGE} and .type == "REPORT")) as $r ({{}}; '
            ".[$r.function_name] |= (.invocations += 1 "
            "| .provisioned = ([.provisioned, $r.memory_size_mb] | max) "
            "| .maxUsed = ([.maxUsed, $r.max_memory_used_mb] | max) "
            "| .usedSum += $r.max_memory_used_mb)) "
            "| to_entries | sort_by(.value.maxUsed - .value.provisioned, .key) | .[] "
            "| [.key, .value.invocations, .value.provisioned, .value.maxUsed, "
            ".value.usedSum / .value.invocations, .value.provisioned - .value.maxUsed]"
        ),
        chdb=(
            "SELECT function_name, count() AS invocations, max(memory_size_mb) AS provisionedMB, "
            "max(max_memory_used_mb) AS maxUsedMB, avg(max_memory_used_mb) AS avgUsedMB, "
            "provisionedMB - maxUsedMB AS overProvisionedMB, "
            "overProvisionedMB / provisionedMB * 100 AS headroomPct "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND type = 'REPORT' "
            "GROUP BY function_name ORDER BY overProvisionedMB DESC, function_name"
        ),
    ),
    QueryCase(
        name="out-of-memory-kills",
        insights=None,
        sql=(
            "SELECT timestamp, function_name, function_version, request_id, memory_size_mb, "
            "max_memory_used_mb, duration_ms, log_stream FROM logs "
            f"WHERE {_RANGE} AND type = 'REPORT' AND error_type = 'Runtime.OutOfMemory' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
        ndjson_sql=None,
        jq=(
            f'[limit({ROW_LIMIT}; inputs | select({_JQ_RANGE} and .type == "REPORT" '
            'and .error_type == "Runtime.OutOfMemory") '
            "| [.timestamp, .function_name, .function_version, .request_id, .memory_size_mb, "
            ".max_memory_used_mb, .duration_ms, .log_stream])] "
            "| sort_by(.[0]) | reverse | .[]"
        ),
        chdb=(
            "SELECT timestamp, function_name, function_version, request_id, memory_size_mb, "
            "max_memory_used_mb, duration_ms, log_stream FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND type = 'REPORT' AND error_type = 'Runtime.OutOfMemory' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
    ),
    QueryCase(
        name="request-lines",
        insights=None,
        parameters={"request_id": "${request_id}"},
        sql=(
            "SELECT timestamp, function_name, type, level, message FROM logs "
            f"WHERE {_RANGE} AND request_id = '${{request_id}}' "
            f"ORDER BY timestamp LIMIT {ROW_LIMIT}"
        ),
        ndjson_sql=None,
        jq=(
            f"[limit({ROW_LIMIT}; inputs | select({_JQ_RANGE} and .request_id == $request_id) "
            "| [.timestamp, .function_name, .type, .level, .message])] | sort_by(.[0]) | .[]"
        ),
        chdb=(
            "SELECT timestamp, function_name, type, level, message FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND request_id = '${{request_id}}' "
            f"ORDER BY timestamp LIMIT {ROW_LIMIT}"
        ),
    ),
    QueryCase(
        name="slowest-invocations",
        insights=None,
        sql=(
            "SELECT timestamp, function_name, function_version, request_id, duration_ms, "
            "billed_duration_ms, init_duration_ms, status, error_type FROM logs "
            f"WHERE {_RANGE} AND type = 'REPORT' "
            "ORDER BY duration_ms DESC, timestamp DESC LIMIT 25"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT timestamp, function_name, function_version, request_id, duration_ms, "
            "billed_duration_ms, init_duration_ms, status, error_type FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND type = 'REPORT' "
            "ORDER BY duration_ms DESC, timestamp DESC LIMIT 25"
        ),
    ),
    QueryCase(
        name="timeouts",
        insights=None,
        sql=(
            "SELECT timestamp, function_name, function_version, request_id, duration_ms, "
            "billed_duration_ms, log_stream FROM logs "
            f"WHERE {_RANGE} AND type = 'REPORT' AND status = 'timeout' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
        ndjson_sql=None,
        jq=(
            f"[limit({ROW_LIMIT}; inputs "
            f'| select({_JQ_RANGE} and .type == "REPORT" and .status == "timeout") '
            "| [.timestamp, .function_name, .function_version, .request_id, .duration_ms, "
            ".billed_duration_ms, .log_stream])] | sort_by(.[0]) | reverse | .[]"
        ),
        chdb=(
            "SELECT timestamp, function_name, function_version, request_id, duration_ms, "
            "billed_duration_ms, log_stream FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND type = 'REPORT' AND status = 'timeout' "
            f"ORDER BY timestamp DESC LIMIT {ROW_LIMIT}"
        ),
    ),
    QueryCase(
        name="top-error-messages",
        insights=None,
        sql=(
            "SELECT function_name, error_type, coalesce(fields->>'errorMessage', "
            "fields->>'error', fields->>'message', fields->>'msg', fields->>'event', "
            f"regexp_extract(message, '{_FIRST_LINE}', 1)) AS errorText, "
            "count(*) AS occurrences, count(DISTINCT request_id) AS requests, "
            "max(timestamp) AS lastSeen, arg_max(request_id, timestamp) AS latestRequestId "
            f"FROM logs WHERE {_RANGE} AND level IN ('ERROR', 'FATAL') "
            "GROUP BY ALL ORDER BY occurrences DESC, lastSeen DESC LIMIT 20"
        ),
        ndjson_sql=None,
        jq=None,
        chdb=(
            "SELECT function_name, error_type, coalesce(JSONExtract(fields, 'errorMessage', "
            "'Nullable(String)'), JSONExtract(fields, 'error', 'Nullable(String)'), "
            "JSONExtract(fields, 'message', 'Nullable(String)'), "
            "JSONExtract(fields, 'msg', 'Nullable(String)'), "
            "JSONExtract(fields, 'event', 'Nullable(String)'), "
            f"extract(message, '{_CH_FIRST_LINE}')) AS errorText, "
            "count() AS occurrences, uniqExact(request_id) AS requests, "
            "max(timestamp) AS lastSeen, argMax(request_id, timestamp) AS latestRequestId "
            f"FROM ${{parquet}} WHERE {_CH_RANGE} AND level IN ('ERROR', 'FATAL') "
            "GROUP BY function_name, error_type, errorText "
            "ORDER BY occurrences DESC, lastSeen DESC LIMIT 20"
        ),
    ),
    QueryCase(
        name="trace-lines",
        insights=None,
        parameters={"trace_id": "${trace_id}"},
        sql=(
            "SELECT timestamp, function_name, request_id, type, level, message FROM logs "
            f"WHERE {_RANGE} AND trace_id = '${{trace_id}}' "
            f"ORDER BY timestamp LIMIT {ROW_LIMIT}"
        ),
        ndjson_sql=None,
        jq=(
            f"[limit({ROW_LIMIT}; inputs | select({_JQ_RANGE} and .trace_id == $trace_id) "
            "| [.timestamp, .function_name, .request_id, .type, .level, .message])] "
            "| sort_by(.[0]) | .[]"
        ),
        chdb=(
            "SELECT timestamp, function_name, request_id, type, level, message FROM ${parquet} "
            f"WHERE {_CH_RANGE} AND trace_id = '${{trace_id}}' "
            f"ORDER BY timestamp LIMIT {ROW_LIMIT}"
        ),
    ),
)
"""One case per saved query in ``queries/``, named as its file."""
