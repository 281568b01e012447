"""Timeout and out-of-memory findings: which invocations Lambda ended, and what they did last."""

from __future__ import annotations

from collections import Counter
from typing import Any

from loglake.analytics.advisor.context import SCOPE_FILTER, AdviceContext
from loglake.analytics.advisor.model import Finding, FindingKind, Impact
from loglake.analytics.advisor.platform_lines import PlatformFacts
from loglake.analytics.advisor.totals import FunctionKey, Totals

MAX_REQUEST_IDS = 50
"""Request IDs a finding lists; ``evidence`` always has the full count."""

MAX_LAST_LINES = 5
"""Affected invocations whose last application line the evidence quotes."""

MAX_LINE_CHARS = 300


# Lambda ends an invocation at its timeout, or when the runtime exceeds its memory.
ENDED_SQL = f"""
SELECT
    account,
    region,
    function_name,
    request_id,
    timestamp,
    status,
    error_type,
    duration_ms,
    billed_duration_ms,
    memory_size_mb,
    max_memory_used_mb
FROM invocations
WHERE {SCOPE_FILTER} AND (status = 'timeout' OR error_type = 'Runtime.OutOfMemory')
ORDER BY timestamp
"""

LAST_LINE_SQL = f"""
SELECT request_id, arg_max(message, timestamp) AS message
FROM logs
WHERE {SCOPE_FILTER} AND type = 'APP' AND list_contains($6, request_id)
GROUP BY request_id
"""

TIMEOUT_RECOMMENDATION = (
    "Find what the invocations waited on: the last line each wrote is in the evidence. Give "
    "every downstream call (HTTP, SDK, database) its own timeout well below the function's, "
    "so the function fails fast with an error it can log and a retry can succeed. Set the "
    "function timeout near the p99 duration with a margin, so a hung invocation frees its "
    "concurrency sooner."
)

OUT_OF_MEMORY_RECOMMENDATION = (
    "Memory reached the configured size and Lambda stopped the runtime. When other "
    "invocations use far less (the p99 in the evidence), specific input causes it: the last "
    "line before each kill names it, so bound or stream that input. Otherwise raise the "
    "memory size."
)


def failure_findings(ctx: AdviceContext, totals: Totals, platform: PlatformFacts) -> list[Finding]:
    """Return one timeout finding and one out-of-memory finding per affected function."""
    timeouts: dict[FunctionKey, list[dict[str, Any]]] = {}
    kills: dict[FunctionKey, list[dict[str, Any]]] = {}
    for row in ctx.query(ENDED_SQL):
        key = (row["account"], row["region"], row["function_name"])
        ended = timeouts if row["status"] == "timeout" else kills
        ended.setdefault(key, []).append(row)

    quoted = [
        row["request_id"]
        for rows in (*timeouts.values(), *kills.values())
        for row in rows[:MAX_LAST_LINES]
    ]
    last_lines = _last_lines(ctx, quoted)
    findings = []
    for key, rows in timeouts.items():
        findings.append(
            _timeout_finding(
                ctx,
                key,
                rows,
                totals.by_function[key],
                platform.timeout_seconds.get(key, []),
                last_lines,
            )
        )
    for key, rows in kills.items():
        findings.append(_out_of_memory_finding(ctx, key, rows, totals.by_function[key], last_lines))
    return findings


def inferred_timeout_s(durations_ms: list[float], line_seconds: list[float]) -> int | None:
    """Return the configured timeout in whole seconds that the timed-out invocations show.

    Lambda timeouts are whole seconds. A timed-out REPORT's Duration and the ``Task timed
    out after 30.03 seconds`` line both run a few milliseconds past the timeout, so each
    rounds to it. The most common value wins, and the smaller one on a tie.
    """
    candidates = Counter(round(ms / 1000) for ms in durations_ms)
    candidates.update(round(seconds) for seconds in line_seconds)
    candidates.pop(0, None)
    if not candidates:
        return None
    return min(candidates, key=lambda seconds: (-candidates[seconds], seconds))


def _last_lines(ctx: AdviceContext, request_ids: list[str | None]) -> dict[str, str]:
    """Return the last application line of each request, cut to a readable length."""
    present = [request_id for request_id in request_ids if request_id]
    if not present:
        return {}
    return {
        row["request_id"]: row["message"].strip()[:MAX_LINE_CHARS]
        for row in ctx.query(LAST_LINE_SQL, [present])
    }


def _quoted_lines(request_ids: list[str], last_lines: dict[str, str]) -> dict[str, str]:
    """Return the last lines of the first few requests that wrote any."""
    quoted = [request_id for request_id in request_ids if request_id in last_lines]
    return {request_id: last_lines[request_id] for request_id in quoted[:MAX_LAST_LINES]}


def _wasted(ctx: AdviceContext, key: FunctionKey, rows: list[dict[str, Any]]) -> float:
    """Return the monthly charge for the billed time of ``rows``, work that was lost."""
    gb_seconds = sum(
        float(row["billed_duration_ms"] or 0) / 1000 * float(row["memory_size_mb"] or 0) / 1024
        for row in rows
    )
    return ctx.per_month(ctx.prices_for(key[1]).compute_usd(gb_seconds, len(rows)))


def _timeout_finding(
    ctx: AdviceContext,
    key: FunctionKey,
    rows: list[dict[str, Any]],
    baseline: dict[str, Any],
    line_seconds: list[float],
    last_lines: dict[str, str],
) -> Finding:
    request_ids = [row["request_id"] for row in rows if row["request_id"]]
    timeout_s = inferred_timeout_s([row["duration_ms"] for row in rows], line_seconds)
    p99 = baseline["p99_success_ms"]
    count = len(rows)
    summary = f"{count} of {baseline['invocations']} invocations timed out"
    summary += f" at the configured {timeout_s} s" if timeout_s else ""
    summary += f"; successful invocations take {p99:.0f} ms at p99." if p99 else "."
    return Finding(
        kind=FindingKind.TIMEOUTS,
        function_name=key[2],
        account=key[0],
        region=key[1],
        title="Invocations time out",
        summary=summary,
        evidence={
            "timeouts": count,
            "invocations": baseline["invocations"],
            "timeout_s_inferred": timeout_s,
            "timeout_inferred_from": (
                f"Duration of {count} timed-out REPORT lines and "
                f"{len(line_seconds)} 'Task timed out after' lines"
            ),
            "p99_success_duration_ms": None if p99 is None else round(p99, 1),
            "first_timeout": rows[0]["timestamp"],
            "last_timeout": rows[-1]["timestamp"],
            "last_lines": _quoted_lines(request_ids, last_lines),
        },
        impact=Impact(
            monthly_usd=_wasted(ctx, key, rows),
            monthly_invocations=ctx.per_month(count),
            basis="Timed-out invocations and their billed time, projected to a month",
        ),
        recommendation=TIMEOUT_RECOMMENDATION,
        request_ids=tuple(request_ids[:MAX_REQUEST_IDS]),
    )


def _out_of_memory_finding(
    ctx: AdviceContext,
    key: FunctionKey,
    rows: list[dict[str, Any]],
    baseline: dict[str, Any],
    last_lines: dict[str, str],
) -> Finding:
    request_ids = [row["request_id"] for row in rows if row["request_id"]]
    size_mb = rows[-1]["memory_size_mb"]
    p99 = baseline["p99_used_others_mb"]
    count = len(rows)
    summary = f"{count} invocation{'s' if count != 1 else ''} ran out of memory at {size_mb} MB"
    summary += f"; the others use {p99:.0f} MB at p99." if p99 is not None else "."
    return Finding(
        kind=FindingKind.OUT_OF_MEMORY,
        function_name=key[2],
        account=key[0],
        region=key[1],
        title="Invocations run out of memory",
        summary=summary,
        evidence={
            "out_of_memory_kills": count,
            "invocations": baseline["invocations"],
            "memory_size_mb": size_mb,
            "max_memory_used_mb": max(row["max_memory_used_mb"] or 0 for row in rows),
            "p99_memory_used_mb_other_invocations": None if p99 is None else round(float(p99), 1),
            "first_kill": rows[0]["timestamp"],
            "last_kill": rows[-1]["timestamp"],
            "last_lines": _quoted_lines(request_ids, last_lines),
        },
        impact=Impact(
            monthly_usd=_wasted(ctx, key, rows),
            monthly_invocations=ctx.per_month(count),
            basis="Out-of-memory kills and their billed time, projected to a month",
        ),
        recommendation=OUT_OF_MEMORY_RECOMMENDATION,
        request_ids=tuple(request_ids[:MAX_REQUEST_IDS]),
    )
