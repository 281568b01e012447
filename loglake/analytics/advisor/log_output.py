"""Logging findings: plain-text application lines, and log volume with its ingest cost."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from loglake.analytics.advisor.context import SCOPE_FILTER, AdviceContext
from loglake.analytics.advisor.model import Finding, FindingKind, Impact
from loglake.analytics.advisor.totals import FunctionKey, Totals, monthly_compute_usd

EVENT_OVERHEAD_BYTES = 26
"""Bytes CloudWatch Logs adds to each event's UTF-8 message when it sizes a PutLogEvents
batch. The ingest estimate adds the same to every line."""

MIN_APP_LINES = 20
"""Fewer application lines than this are too few to judge a function's logging."""

MIN_PLAIN_SHARE = 0.5
"""An unstructured logging finding needs at least this share of plain-text lines."""

MIN_INGEST_SHARE = 0.2
"""A log volume finding needs an ingest cost of at least this share of the function's
Lambda charge (duration and requests)."""

TOP_SHAPES = 5

# A line's shape is its message with request IDs, hex strings and numbers replaced, so
# lines written by the same logging call group together. Platform lines group by type.
# The query returns one row per function with its totals (GROUPING(shape) = 1), and one
# row for each of the function's largest shapes.
LOG_STATS_SQL = f"""
WITH lines AS (
    SELECT
        account,
        region,
        function_name,
        type,
        level,
        timestamp,
        message,
        fields IS NULL AS plain,
        strlen(message) + $6 AS bytes,
        CASE WHEN type = 'APP' THEN left(regexp_replace(regexp_replace(
            coalesce(fields->>'message', fields->>'msg', fields->>'event', message),
            '[0-9a-fA-F]{{8}}-[0-9a-fA-F-]{{27}}|[0-9a-fA-F]{{16,}}', '<id>', 'g'),
            '[0-9]+(\\.[0-9]+)?', 'N', 'g'), 100)
        ELSE type END AS shape
    FROM logs
    WHERE {SCOPE_FILTER}
)
SELECT
    account,
    region,
    function_name,
    shape,
    GROUPING(shape) AS per_function,
    count(*) AS events,
    sum(bytes) AS ingest_bytes,
    count(*) FILTER (WHERE type = 'APP') AS app_lines,
    count(*) FILTER (WHERE type = 'APP' AND plain) AS plain_lines,
    arg_min(message, timestamp) FILTER (WHERE type = 'APP' AND plain) AS plain_example,
    coalesce(sum(bytes) FILTER (WHERE type = 'APP'), 0) AS app_bytes,
    coalesce(sum(bytes) FILTER (WHERE type = 'APP' AND level IN ('TRACE', 'DEBUG')), 0)
        AS debug_bytes,
    coalesce(sum(bytes) FILTER (WHERE type = 'APP' AND level = 'INFO'), 0) AS info_bytes
FROM lines
GROUP BY GROUPING SETS ((account, region, function_name, shape), (account, region, function_name))
QUALIFY GROUPING(shape) = 1 OR row_number() OVER (
    PARTITION BY account, region, function_name, GROUPING(shape)
    ORDER BY sum(bytes) DESC, shape
) <= $7
ORDER BY function_name, per_function DESC, ingest_bytes DESC
"""


@dataclass(slots=True)
class LogStats:
    """Per-function totals of the log lines, and each function's largest line shapes."""

    totals: dict[FunctionKey, dict[str, Any]] = field(default_factory=dict)
    shapes: dict[FunctionKey, list[dict[str, Any]]] = field(default_factory=dict)


def load_log_stats(ctx: AdviceContext) -> LogStats:
    """Return line counts, bytes and the largest line shapes of every function."""
    stats = LogStats()
    for row in ctx.query(LOG_STATS_SQL, [EVENT_OVERHEAD_BYTES, TOP_SHAPES]):
        key: FunctionKey = (row["account"], row["region"], row["function_name"])
        if row["per_function"]:
            stats.totals[key] = row
        else:
            stats.shapes.setdefault(key, []).append(
                {"shape": row["shape"], "lines": row["events"], "bytes": int(row["ingest_bytes"])}
            )
    return stats


UNSTRUCTURED_RECOMMENDATION = (
    "Log JSON, one object per line, with the message and the values it mentions as keys "
    "(Powertools Logger, structlog, pino, zap, or log4j2's JsonTemplateLayout), or set the "
    "function's log format to JSON. Then the lake stores the keys in fields, and queries "
    "can filter and group by them instead of matching text."
)

VOLUME_RECOMMENDATION = (
    "Cut the largest line shapes in the evidence first: log once per request at INFO, not "
    "per step, and avoid logging whole payloads. Move detail to DEBUG and set the "
    "function's application log level (LoggingConfig ApplicationLogLevel, which needs the "
    "JSON log format) to INFO or WARN in production. Keep the system log level at INFO: "
    "WARN also drops the START and REPORT lines that loglake reads invocations from."
)


def unstructured_logging_findings(stats: LogStats) -> list[Finding]:
    """Return a finding for each function whose application lines are mostly plain text."""
    findings = []
    for key, row in stats.totals.items():
        lines, plain = int(row["app_lines"]), int(row["plain_lines"])
        share = plain / lines if lines else 0.0
        if lines < MIN_APP_LINES or share < MIN_PLAIN_SHARE:
            continue
        findings.append(
            Finding(
                kind=FindingKind.UNSTRUCTURED_LOGGING,
                function_name=key[2],
                account=key[0],
                region=key[1],
                title="Application logs are plain text",
                summary=(
                    f"{plain} of {lines} application lines ({share:.0%}) are plain text, "
                    "so their values cannot be queried as fields."
                ),
                evidence={
                    "application_lines": lines,
                    "plain_text_lines": plain,
                    "plain_text_share": round(share, 3),
                    "example": (row["plain_example"] or "").strip()[:300],
                },
                impact=Impact(basis="No cost or failure; it limits what queries can do"),
                recommendation=UNSTRUCTURED_RECOMMENDATION,
            )
        )
    return findings


def log_volume_findings(ctx: AdviceContext, stats: LogStats, totals: Totals) -> list[Finding]:
    """Return a finding for each function whose log ingest costs a large share of its compute."""
    findings = []
    for key, row in stats.totals.items():
        invocations = totals.by_function.get(key)
        if invocations is None or invocations["invocations"] == 0:
            continue
        finding = _volume_finding(ctx, key, row, invocations, stats.shapes.get(key, []))
        if finding is not None:
            findings.append(finding)
    return findings


def _volume_finding(
    ctx: AdviceContext,
    key: FunctionKey,
    row: dict[str, Any],
    usage: dict[str, Any],
    shapes: list[dict[str, Any]],
) -> Finding | None:
    ingest_bytes = int(row["ingest_bytes"])
    monthly_gb = ctx.per_month(ingest_bytes) / 1024**3
    monthly_ingest = monthly_gb * ctx.prices_for(key[1]).logs_ingest_gb
    monthly_compute = monthly_compute_usd(ctx, key, usage)
    share = monthly_ingest / monthly_compute if monthly_compute else float("inf")
    if share < MIN_INGEST_SHARE:
        return None

    per_invocation = ingest_bytes / usage["invocations"]
    return Finding(
        kind=FindingKind.LOG_VOLUME,
        function_name=key[2],
        account=key[0],
        region=key[1],
        title="Log ingest costs a large share of the function",
        summary=(
            f"{per_invocation:,.0f} bytes logged per invocation; CloudWatch ingest costs about "
            f"${monthly_ingest:,.2f} a month, {share:.0%} of the function's Lambda charge "
            f"(${monthly_compute:,.2f})."
        ),
        evidence={
            "invocations": usage["invocations"],
            "events": row["events"],
            "bytes_per_invocation": round(per_invocation, 1),
            "events_per_invocation": round(row["events"] / usage["invocations"], 2),
            "application_share_of_bytes": round(row["app_bytes"] / ingest_bytes, 3),
            "debug_share_of_bytes": round(row["debug_bytes"] / ingest_bytes, 3),
            "info_share_of_bytes": round(row["info_bytes"] / ingest_bytes, 3),
            "monthly_ingest_gb": round(monthly_gb, 6),
            "monthly_ingest_usd": round(monthly_ingest, 6),
            "monthly_lambda_usd": round(monthly_compute, 6),
            "ingest_share_of_lambda_cost": round(share, 3),
            "largest_line_shapes": shapes,
        },
        impact=Impact(
            monthly_usd=monthly_ingest,
            basis=(
                "Message bytes plus 26 bytes per event in the window, projected to a month, "
                "at the CloudWatch Logs Standard ingest price"
            ),
        ),
        recommendation=VOLUME_RECOMMENDATION,
    )
