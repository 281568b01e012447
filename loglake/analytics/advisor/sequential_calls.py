"""Sequential downstream call findings, from X-Ray segments.

Inside a function's ``AWS::Lambda::Function`` segment, the subsegments of namespace ``aws``
(AWS SDK calls) and ``remote`` (other HTTP calls) are the calls the handler made. Sibling
calls (same parent) that each started after the previous one ended ran one after another.
If they do not depend on each other's results, running them at the same time would take
as long as the longest of them, so a run of calls could save its total duration minus its
longest call. The traces cannot show the dependencies, so the saving is an upper bound.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from loglake.analytics.advisor.context import AdviceContext
from loglake.analytics.advisor.model import Chart, Finding, FindingKind, Impact
from loglake.analytics.advisor.percentile import nearest_rank
from loglake.analytics.advisor.totals import Totals
from loglake.ingest.xray.summaries import function_arn_parts

MIN_TRACES = 3
"""A finding needs at least this many traced invocations with sequential calls."""

MIN_SAVING_SHARE = 0.10
"""A finding needs a possible saving of at least this share of those invocations' handler
time (the ``Invocation`` subsegment, else the function segment)."""

OVERLAP_TOLERANCE_MS = 1.0
"""A call that starts at most this long before the previous one ends still counts as
starting after it, because X-Ray times have millisecond precision in many SDKs."""

CALL_NAMESPACES = ("aws", "remote")

TOP_SEQUENCES = 5
MAX_EXAMPLES = 5

# The date range of the second part reaches one day past the scope, because a call
# starts after its function segment and may fall in the next day's partition.
SEGMENTS_SQL = """
WITH traced AS (
    SELECT DISTINCT trace_id
    FROM segments
    WHERE start_time >= $1 AND start_time < $2 AND date BETWEEN $3 AND $4
      AND kind = 'segment' AND origin = 'AWS::Lambda::Function'
      AND ($5::VARCHAR IS NULL OR function_name = $5)
)
SELECT
    trace_id,
    segment_id,
    parent_id,
    kind,
    name,
    namespace,
    origin,
    start_time,
    end_time,
    duration_ms,
    function_name,
    resource_arn,
    aws_operation
FROM segments
WHERE date BETWEEN $3 AND $6
  AND trace_id IN (SELECT trace_id FROM traced)
  AND end_time IS NOT NULL
ORDER BY trace_id, start_time
"""

RECOMMENDATION = (
    "Start independent calls together and wait for all of them: asyncio.gather or a thread "
    "pool in Python, Promise.all in Node.js, CompletableFuture.allOf in Java, goroutines "
    "with a WaitGroup or errgroup in Go. Batch reads of one service (DynamoDB "
    "BatchGetItem, SQS SendMessageBatch) where the API has a batch form. Keep calls in "
    "sequence where one needs the result of another."
)


@dataclass(slots=True)
class _Call:
    label: str
    start: datetime
    end: datetime

    @property
    def duration_ms(self) -> float:
        return (self.end - self.start) / timedelta(milliseconds=1)


@dataclass(slots=True)
class _FunctionTraces:
    """The traced invocations of one function and the sequential runs found in them."""

    account: str | None
    region: str | None
    analysed: int = 0
    handler_ms: list[float] = field(default_factory=list)
    """Handler time of each invocation with sequential calls."""
    savings_ms: list[float] = field(default_factory=list)
    """Possible saving of each invocation with sequential calls."""
    sequences: Counter[str] = field(default_factory=Counter)
    sequence_savings_ms: dict[str, float] = field(default_factory=dict)
    examples: list[tuple[float, str]] = field(default_factory=list)


def sequential_call_findings(ctx: AdviceContext, totals: Totals) -> list[Finding]:
    """Return a finding for each function whose traces show calls that could overlap."""
    last_date = ctx.scope_parameters()[3]
    rows = ctx.query(SEGMENTS_SQL, [last_date + timedelta(days=1)])
    functions: dict[str, _FunctionTraces] = {}
    for trace in _by_trace(rows):
        _analyse_trace(trace, functions)

    findings = []
    for name, traces in functions.items():
        if len(traces.savings_ms) < MIN_TRACES:
            continue
        share = sum(traces.savings_ms) / sum(traces.handler_ms) if traces.handler_ms else 0.0
        if share < MIN_SAVING_SHARE:
            continue
        findings.append(_finding(ctx, name, traces, share, totals))
    return findings


def _by_trace(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    traces: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        traces.setdefault(row["trace_id"], []).append(row)
    return list(traces.values())


def _analyse_trace(rows: list[dict[str, Any]], functions: dict[str, _FunctionTraces]) -> None:
    children: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["parent_id"] is not None:
            children.setdefault(row["parent_id"], []).append(row)

    for root in rows:
        if root["kind"] != "segment" or root["origin"] != "AWS::Lambda::Function":
            continue
        name = root["function_name"] or root["name"]
        if name is None:
            continue
        arn = function_arn_parts(root["resource_arn"]) or {}
        traces = functions.setdefault(name, _FunctionTraces(arn.get("account"), arn.get("region")))
        traces.analysed += 1
        runs = _sequential_runs(root, children)
        if not runs:
            continue
        saving = sum(_saving(run) for run in runs)
        traces.savings_ms.append(saving)
        traces.handler_ms.append(_handler_ms(root, children))
        traces.examples.append((saving, root["trace_id"]))
        for run in runs:
            sequence = " -> ".join(call.label for call in run)
            traces.sequences[sequence] += 1
            saved = traces.sequence_savings_ms.get(sequence, 0.0) + _saving(run)
            traces.sequence_savings_ms[sequence] = saved


def _sequential_runs(
    root: dict[str, Any], children: dict[str, list[dict[str, Any]]]
) -> list[list[_Call]]:
    """Return the runs of two or more sibling calls that ran one after another.

    The walk descends through non-call subsegments (``Invocation``, custom ones) but not
    into calls, whose own subsegments (retries, marshalling) are part of the call.
    """
    runs: list[list[_Call]] = []
    pending = [root["segment_id"]]
    while pending:
        parent = pending.pop()
        calls = []
        for child in children.get(parent, []):
            if child["namespace"] in CALL_NAMESPACES:
                calls.append(_Call(_label(child), child["start_time"], child["end_time"]))
            else:
                pending.append(child["segment_id"])
        runs.extend(run for run in _runs(calls) if len(run) >= 2)
    return runs


def _runs(calls: list[_Call]) -> list[list[_Call]]:
    """Split calls sorted by start into runs; a call that overlaps the previous ends a run."""
    runs: list[list[_Call]] = []
    tolerance = timedelta(milliseconds=OVERLAP_TOLERANCE_MS)
    for call in sorted(calls, key=lambda item: item.start):
        if runs and call.start >= runs[-1][-1].end - tolerance:
            runs[-1].append(call)
        else:
            runs.append([call])
    return runs


def _saving(run: list[_Call]) -> float:
    durations = [call.duration_ms for call in run]
    return sum(durations) - max(durations)


def _handler_ms(root: dict[str, Any], children: dict[str, list[dict[str, Any]]]) -> float:
    for child in children.get(root["segment_id"], []):
        if child["name"] == "Invocation" and child["duration_ms"] is not None:
            return float(child["duration_ms"])
    return float(root["duration_ms"] or 0.0)


def _label(row: dict[str, Any]) -> str:
    name = row["name"] or "call"
    return f"{name} {row['aws_operation']}" if row["aws_operation"] else name


def _finding(
    ctx: AdviceContext, name: str, traces: _FunctionTraces, share: float, totals: Totals
) -> Finding:
    with_runs = len(traces.savings_ms)
    mean_saving_ms = sum(traces.savings_ms) / traces.analysed
    invocations = sum(
        row["invocations"] for key, row in totals.by_function.items() if key[2] == name
    )
    memory_sizes = [
        row["last_memory_size_mb"]
        for key, row in totals.by_function.items()
        if key[2] == name and row["last_memory_size_mb"] is not None
    ]
    # Untraced invocations are assumed to behave like the traced sample.
    monthly_wait_s = ctx.per_month(mean_saving_ms / 1000 * max(invocations, traces.analysed))
    monthly_usd = 0.0
    if memory_sizes:
        prices = ctx.prices_for(traces.region)
        monthly_usd = monthly_wait_s * max(memory_sizes) / 1024 * prices.duration_gb_second

    top = traces.sequences.most_common(TOP_SEQUENCES)
    sequences = [
        {
            "calls": sequence,
            "invocations": count,
            "mean_saving_ms": round(traces.sequence_savings_ms[sequence] / count, 1),
        }
        for sequence, count in top
    ]
    examples = [trace_id for _, trace_id in sorted(traces.examples, reverse=True)[:MAX_EXAMPLES]]
    median_saving_ms = nearest_rank(traces.savings_ms, 50)
    return Finding(
        kind=FindingKind.SEQUENTIAL_CALLS,
        function_name=name,
        account=traces.account,
        region=traces.region,
        title="Downstream calls run one after another",
        summary=(
            f"{with_runs} of {traces.analysed} traced invocations made downstream calls one "
            f"after another; if the calls are independent, overlapping them saves up to "
            f"{median_saving_ms:.0f} ms at the median, {share:.0%} of their "
            "handler time."
        ),
        evidence={
            "traced_invocations": traces.analysed,
            "invocations_with_sequential_calls": with_runs,
            "median_saving_ms": round(median_saving_ms, 1),
            "max_saving_ms": round(max(traces.savings_ms), 1),
            "saving_share_of_handler_time": round(share, 3),
            "sequences": sequences,
            "example_trace_ids": examples,
        },
        impact=Impact(
            monthly_usd=monthly_usd,
            monthly_wait_seconds=monthly_wait_s,
            basis=(
                "Mean possible saving of the traced invocations, applied to every "
                "invocation in the window and projected to a month; an upper bound, "
                "because calls that need each other's results cannot overlap"
            ),
        ),
        recommendation=RECOMMENDATION,
        charts=(
            Chart(
                title="Sequential call runs by possible saving",
                kind="bar",
                x="calls",
                y=("invocations", "mean_saving_ms"),
                rows=tuple(sequences),
            ),
        ),
    )
