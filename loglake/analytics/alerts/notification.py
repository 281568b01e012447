"""An alert's message: the rule, the value against the threshold, the window and the evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from loglake.analytics.output import plain_value

Event = Literal["fired", "repeat", "resolved"]

MAX_SAMPLES = 5
MAX_SAMPLE_CHARS = 2_000
"""Sample lines longer than this are cut in notifications, with an ellipsis."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One log line of the rows an evaluation read."""

    timestamp: datetime
    function: str | None
    request_id: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        """Return the sample as JSON-ready values."""
        message = self.message.rstrip("\n")
        if len(message) > MAX_SAMPLE_CHARS:
            message = message[: MAX_SAMPLE_CHARS - 1] + "…"
        return {
            "timestamp": plain_value(self.timestamp),
            "function": self.function,
            "request_id": self.request_id,
            "message": message,
        }


@dataclass(frozen=True, slots=True)
class Pattern:
    """An error pattern: its stable ID and masked template."""

    id: str
    template: str


@dataclass(frozen=True, slots=True)
class Notification:
    """An alert that starts, repeats or resolves, with the evidence of its evaluation."""

    rule: str
    description: str
    event: Event
    evaluated_at: datetime
    window_start: datetime
    window_end: datetime
    labels: dict[str, str]
    """The key that distinguishes this alert from others of the rule: the function, a pattern ID, or
    the group columns of a query."""
    value: float | None
    comparison: str
    threshold: float
    samples: tuple[Sample, ...]
    reproduce: str
    """A loglake command that prints the evaluated result."""
    pattern: Pattern | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def state(self) -> str:
        """Return ALARM for a fired or repeated alert, OK for a resolved one."""
        return "OK" if self.event == "resolved" else "ALARM"

    @property
    def function(self) -> str | None:
        """Return the Lambda function this alert is about, when it is about one."""
        return self.labels.get("function")

    def summary(self) -> str:
        """Return one line: state, rule, function and the value against the threshold."""
        subject = self.rule if self.function is None else f"{self.rule} on {self.function}"
        verb = {"fired": "ALARM", "repeat": "still ALARM", "resolved": "OK"}[self.event]
        value = "no data" if self.value is None else format_number(self.value)
        return (
            f"[{verb}] {subject}: {value} {self.comparison} {format_number(self.threshold)} "
            f"over {plain_value(self.window_start)} to {plain_value(self.window_end)}"
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the generic JSON body of webhooks and SNS messages."""
        return {
            "rule": self.rule,
            "description": self.description,
            "event": self.event,
            "state": self.state,
            "evaluated_at": plain_value(self.evaluated_at),
            "window": {
                "start": plain_value(self.window_start),
                "end": plain_value(self.window_end),
            },
            "labels": self.labels,
            "function": self.function,
            "value": self.value,
            "comparison": self.comparison,
            "threshold": self.threshold,
            "pattern": (
                None
                if self.pattern is None
                else {"id": self.pattern.id, "template": self.pattern.template}
            ),
            "details": {key: plain_value(value) for key, value in self.details.items()},
            "samples": [sample.to_dict() for sample in self.samples],
            "reproduce": self.reproduce,
        }

    def to_text(self) -> str:
        """Return the notification as plain text lines, for standard output and Slack."""
        lines = [self.summary()]
        if self.description:
            lines.append(self.description)
        if self.pattern is not None:
            lines.append(f"pattern {self.pattern.id}: {self.pattern.template}")
        for key, value in self.details.items():
            lines.append(f"{key}: {plain_value(value)}")
        if self.samples:
            lines.append(f"samples ({len(self.samples)} of the evaluated rows):")
            for sample in self.samples:
                data = sample.to_dict()
                first_line = data["message"].splitlines()[0] if data["message"] else ""
                lines.append(
                    f"  {data['timestamp']} {data['function'] or '-'} "
                    f"{data['request_id'] or '-'} {first_line}"
                )
        lines.append(f"reproduce: {self.reproduce}")
        return "\n".join(lines)


def format_number(value: float) -> str:
    """Return a value as a person reads it: ``3``, ``0.05``, ``1234.5``."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.6g}"
