"""Alert rules, notification channels and the rule file that contains them."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Literal

Comparison = Literal[">", ">=", "<", "<=", "=", "!="]
NoData = Literal["ok", "breaching", "keep"]
"""The meaning of an evaluation without a value: not breaching, breaching, or nothing (the
alert keeps its state and the datapoint is skipped)."""

FunctionCheck = Literal["error_rate", "cold_start_rate", "p99_duration", "timeout", "out_of_memory"]
FUNCTION_CHECKS: tuple[FunctionCheck, ...] = (
    "error_rate",
    "cold_start_rate",
    "p99_duration",
    "timeout",
    "out_of_memory",
)
PatternCheck = Literal["new_pattern", "pattern_rate"]
PATTERN_CHECKS: tuple[PatternCheck, ...] = ("new_pattern", "pattern_rate")

COMPARISONS: Mapping[str, Callable[[float, float], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "=": operator.eq,
    "!=": operator.ne,
}


@dataclass(frozen=True, slots=True)
class Schedule:
    """When and over what a rule is evaluated, and how breaches become an alarm."""

    window: timedelta
    """Each evaluation at instant T reads the rows in ``[T - delay - window, T - delay)``."""
    interval: timedelta
    """Evaluations happen at multiples of the interval since 1970-01-01 UTC."""
    delay: timedelta
    """How far behind the evaluation instant the window ends, for logs still arriving."""
    datapoints_to_alarm: int
    """M: how many of the last N datapoints must breach for ALARM."""
    evaluation_periods: int
    """N: how many of the latest datapoints count."""
    no_data: NoData
    repeat: timedelta | None
    """How often a notification repeats while the alert stays in ALARM; None sends it once."""


@dataclass(frozen=True, slots=True)
class QueryCheck:
    """A Logs Insights query (saved by name, or inline) and the test on one of its columns."""

    insights: str
    """The query text."""
    saved_query: str | None
    parameters: Mapping[str, str | int | float]
    value_column: str


@dataclass(frozen=True, slots=True)
class FunctionHealthCheck:
    """A ready-made per-function check on the ``invocations`` view."""

    check: FunctionCheck
    functions: tuple[str, ...]
    """The functions to check; empty checks every function with invocations in the window."""
    min_invocations: int


@dataclass(frozen=True, slots=True)
class ErrorPatternCheck:
    """A check on error patterns: a new pattern, or a known one rising over its baseline."""

    check: PatternCheck
    functions: tuple[str, ...]
    baseline: timedelta
    """For ``new_pattern``, how far back before the window a pattern must be absent; for
    ``pattern_rate``, the period whose rate is the baseline."""
    min_count: int
    """Lines of the pattern the window must hold."""


Check = QueryCheck | FunctionHealthCheck | ErrorPatternCheck


@dataclass(frozen=True, slots=True)
class Rule:
    """One alert rule of a rule file."""

    name: str
    description: str
    check: Check
    comparison: Comparison
    threshold: float
    schedule: Schedule
    notify: tuple[str, ...]
    """Names of the notification channels that receive this rule's alerts."""
    line: int
    """Line of the rule in its file, for messages."""

    def breaches(self, value: float) -> bool:
        """Return whether ``value`` breaches the threshold."""
        return COMPARISONS[self.comparison](value, self.threshold)


@dataclass(frozen=True, slots=True)
class WebhookChannel:
    """An HTTPS endpoint that receives a Slack-compatible message or a generic JSON body."""

    name: str
    url: str
    format: Literal["slack", "json"]
    timeout: float
    """Seconds to wait for each attempt."""
    retries: int
    """Attempts after the first, for connection errors, HTTP 429 and 5xx."""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SnsChannel:
    """An Amazon SNS topic; the message is the generic JSON body."""

    name: str
    topic_arn: str


@dataclass(frozen=True, slots=True)
class StdoutChannel:
    """Standard output of the process: the CLI's terminal, or the Lambda function's log."""

    name: str


Channel = WebhookChannel | SnsChannel | StdoutChannel


@dataclass(frozen=True, slots=True)
class RuleFile:
    """A parsed, valid rule file."""

    path: Path
    rules: tuple[Rule, ...]
    channels: Mapping[str, Channel]

    def rule(self, name: str) -> Rule | None:
        """Return the rule called ``name``, or None."""
        return next((rule for rule in self.rules if rule.name == name), None)
