"""Connection exhaustion findings: database connection errors that rise with load.

Every Lambda execution environment opens its own connections, so a database receives
about concurrency times pool size of them. Errors that report the server out of connection
slots, or resets that cluster in the busiest hours, show that product reaching the limit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from statistics import StatisticsError, correlation
from typing import Any

from loglake.analytics.advisor.concurrency import HourlyLoad
from loglake.analytics.advisor.context import SCOPE_FILTER, AdviceContext
from loglake.analytics.advisor.model import Chart, Finding, FindingKind, Impact
from loglake.analytics.advisor.totals import FunctionKey


@dataclass(frozen=True, slots=True)
class ConnectionPattern:
    """Text that identifies a connection error, matched case-insensitively."""

    name: str
    needle: str
    limit: bool
    """True when the text itself reports that a connection limit was reached."""


PATTERNS: tuple[ConnectionPattern, ...] = (
    # PostgreSQL: "FATAL:  sorry, too many clients already".
    ConnectionPattern("postgresql_too_many_clients", "too many clients", limit=True),
    # PostgreSQL: "FATAL:  remaining connection slots are reserved for ...".
    ConnectionPattern(
        "postgresql_slots_reserved", "remaining connection slots are reserved", limit=True
    ),
    # MySQL and MariaDB error 1040: "Too many connections".
    ConnectionPattern("mysql_too_many_connections", "too many connections", limit=True),
    # SQLAlchemy: "QueuePool limit of size 5 overflow 10 reached, connection timed out".
    ConnectionPattern("sqlalchemy_pool_limit", "queuepool limit of size", limit=True),
    # libpq, JDBC and most clients: "Connection reset by peer"; Node.js: "ECONNRESET".
    ConnectionPattern("connection_reset", "connection reset by peer", limit=False),
    ConnectionPattern("econnreset", "econnreset", limit=False),
)

MIN_RESET_REQUESTS = 3
"""Resets alone need at least this many affected invocations, rising with load."""

BUSY_HOURS_SHARE = 0.25
"""The busiest quarter of hours with traffic is compared with the other hours."""

LOAD_RATIO = 2.0
"""Errors rise with load when their rate in busy hours is at least this multiple."""

# One row per request and pattern; lines outside any invocation have no request ID and
# count toward the pattern's lines only.
MATCHES_SQL = f"""
WITH patterns AS (
    SELECT
        unnest($6::VARCHAR[]) AS pattern,
        unnest($7::VARCHAR[]) AS needle,
        unnest($8::BOOLEAN[]) AS is_limit
)
SELECT
    account,
    region,
    function_name,
    request_id,
    pattern,
    any_value(is_limit) AS is_limit,
    count(*) AS lines,
    min(timestamp) AS first_seen,
    arg_min(message, timestamp) AS example
FROM logs
JOIN patterns ON contains(lower(message), needle)
WHERE {SCOPE_FILTER} AND type = 'APP'
GROUP BY ALL
ORDER BY first_seen
"""

RECOMMENDATION = (
    "Each execution environment handles one request at a time, so cap its pool at one or "
    "two connections, open them outside the handler and reuse them. Put RDS Proxy (or "
    "PgBouncer) between the functions and the database so environments share a bounded "
    "set of connections, and set the function's reserved concurrency to what the database "
    "can take. For resets, retire connections before the server or proxy idle timeout "
    "and retry idempotent statements once."
)


@dataclass(frozen=True, slots=True)
class LoadRelation:
    """The spread of a function's affected invocations over busy and quiet hours."""

    busy_hours: tuple[datetime, ...]
    """The busiest quarter of the hours with traffic, by invocations."""
    busy_share: float
    """Share of the affected invocations that fell in ``busy_hours``."""
    busy_invocation_share: float
    """Share of all invocations that fell in ``busy_hours``."""
    busy_rate: float
    other_rate: float
    concurrency_correlation: float | None

    @property
    def rises_with_load(self) -> bool:
        """Return whether errors are at least ``LOAD_RATIO`` times as frequent when busy."""
        if self.busy_rate == 0:
            return False
        return self.other_rate == 0 or self.busy_rate >= LOAD_RATIO * self.other_rate


def connection_findings(
    ctx: AdviceContext, loads: dict[FunctionKey, list[HourlyLoad]]
) -> list[Finding]:
    """Return a finding for each function whose connection errors show exhaustion."""
    parameters = [
        [pattern.name for pattern in PATTERNS],
        [pattern.needle for pattern in PATTERNS],
        [pattern.limit for pattern in PATTERNS],
    ]
    matches: dict[FunctionKey, list[dict[str, Any]]] = {}
    for row in ctx.query(MATCHES_SQL, parameters):
        matches.setdefault((row["account"], row["region"], row["function_name"]), []).append(row)
    requests = {key: _requests(rows) for key, rows in matches.items()}
    patterns = {key: _patterns(rows) for key, rows in matches.items()}

    findings = []
    for key, rows in requests.items():
        hours = loads.get(key, [])
        relation = load_relation(hours, [row["first_seen"] for row in rows])
        limit_requests = sum(1 for row in rows if row["limit_reached"])
        resets_rise = len(rows) >= MIN_RESET_REQUESTS and relation.rises_with_load
        if limit_requests == 0 and not resets_rise:
            continue
        findings.append(_finding(ctx, key, rows, patterns.get(key, []), hours, relation))
    return findings


def _requests(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return one row per affected request, in the order they first hit an error."""
    requests: dict[str, dict[str, Any]] = {}
    for row in matches:
        request_id = row["request_id"]
        if request_id is None:
            continue
        request = requests.setdefault(
            request_id,
            {"request_id": request_id, "first_seen": row["first_seen"], "limit_reached": False},
        )
        request["first_seen"] = min(request["first_seen"], row["first_seen"])
        request["limit_reached"] = request["limit_reached"] or row["is_limit"]
    return sorted(requests.values(), key=lambda request: request["first_seen"])


def _patterns(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each pattern's lines, requests and earliest example, most lines first."""
    patterns: dict[str, dict[str, Any]] = {}
    for row in sorted(matches, key=lambda match: match["first_seen"]):
        pattern = patterns.setdefault(
            row["pattern"],
            {"pattern": row["pattern"], "lines": 0, "requests": 0, "example": row["example"]},
        )
        pattern["lines"] += row["lines"]
        pattern["requests"] += 1 if row["request_id"] is not None else 0
    return sorted(patterns.values(), key=lambda pattern: (-pattern["lines"], pattern["pattern"]))


def load_relation(hours: list[HourlyLoad], affected_times: list[datetime]) -> LoadRelation:
    """Compare the rate of affected invocations in the busiest hours with the other hours."""
    affected = _affected_by_hour(affected_times)
    active = sorted(
        (hour for hour in hours if hour.invocations > 0),
        key=lambda hour: (-hour.invocations, hour.hour),
    )
    busy_count = math.ceil(len(active) * BUSY_HOURS_SHARE)
    busy, other = active[:busy_count], active[busy_count:]

    def rate(group: list[HourlyLoad]) -> float:
        invocations = sum(hour.invocations for hour in group)
        return sum(affected.get(hour.hour, 0) for hour in group) / invocations if group else 0.0

    try:
        correlated: float | None = correlation(
            [float(hour.peak_concurrency) for hour in hours],
            [float(affected.get(hour.hour, 0)) for hour in hours],
        )
    except StatisticsError:
        # Fewer than two hours, or a constant series, has no correlation.
        correlated = None
    in_busy_hours = sum(affected.get(hour.hour, 0) for hour in busy)
    all_invocations = sum(hour.invocations for hour in active)
    return LoadRelation(
        busy_hours=tuple(hour.hour for hour in busy),
        busy_share=in_busy_hours / len(affected_times) if affected_times else 0.0,
        busy_invocation_share=(
            sum(hour.invocations for hour in busy) / all_invocations if all_invocations else 0.0
        ),
        busy_rate=rate(busy),
        other_rate=rate(other),
        concurrency_correlation=correlated,
    )


def _affected_by_hour(times: list[datetime]) -> dict[datetime, int]:
    counts: dict[datetime, int] = {}
    for time in times:
        hour = time.replace(minute=0, second=0, microsecond=0)
        counts[hour] = counts.get(hour, 0) + 1
    return counts


def _finding(
    ctx: AdviceContext,
    key: FunctionKey,
    rows: list[dict[str, Any]],
    patterns: list[dict[str, Any]],
    hours: list[HourlyLoad],
    relation: LoadRelation,
) -> Finding:
    affected = _affected_by_hour([row["first_seen"] for row in rows])
    invocations = sum(hour.invocations for hour in hours)
    count = len(rows)
    busy_hours = len(relation.busy_hours)
    correlated = relation.concurrency_correlation
    names = ", ".join(f"'{row['pattern']}' ({row['lines']} lines)" for row in patterns)
    return Finding(
        kind=FindingKind.CONNECTION_EXHAUSTION,
        function_name=key[2],
        account=key[0],
        region=key[1],
        title="Database connections run out under load",
        summary=(
            f"{count} of {invocations} invocations hit connection errors ({names}); "
            f"{relation.busy_share:.0%} of them in the {busy_hours} busiest hours, which "
            f"carry {relation.busy_invocation_share:.0%} of invocations."
        ),
        evidence={
            "affected_invocations": count,
            "invocations": invocations,
            "patterns": [
                {
                    "pattern": row["pattern"],
                    "lines": row["lines"],
                    "invocations": row["requests"],
                    "example": row["example"].strip()[:300],
                }
                for row in patterns
            ],
            "busy_hours": busy_hours,
            "affected_share_in_busy_hours": round(relation.busy_share, 3),
            "invocation_share_in_busy_hours": round(relation.busy_invocation_share, 3),
            "error_rate_busy_hours": round(relation.busy_rate, 4),
            "error_rate_other_hours": round(relation.other_rate, 4),
            "rises_with_load": relation.rises_with_load,
            "peak_concurrency_correlation": None if correlated is None else round(correlated, 3),
            "peak_concurrency": max((hour.peak_concurrency for hour in hours), default=0),
        },
        impact=Impact(
            monthly_invocations=ctx.per_month(count),
            basis="Invocations with connection errors in the window, projected to a month",
        ),
        recommendation=RECOMMENDATION,
        request_ids=tuple(row["request_id"] for row in rows[:50]),
        charts=(
            Chart(
                title="Connection errors against load, by hour",
                kind="bar",
                x="hour",
                y=("invocations", "peak_concurrency", "affected_invocations"),
                rows=tuple(
                    {
                        "hour": hour.hour,
                        "invocations": hour.invocations,
                        "peak_concurrency": hour.peak_concurrency,
                        "affected_invocations": affected.get(hour.hour, 0),
                    }
                    for hour in hours
                ),
            ),
        ),
    )
