"""Findings, their impact and the report that ranks them.

Everything here is plain data that converts to JSON with :meth:`Report.to_dict`, so the
CLI, a dashboard page and scripts show the same findings with the same numbers. Each
finding carries chart series (``charts``) for a page that draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from loglake.analytics.output import plain_value


class FindingKind(StrEnum):
    """The families of findings, named as they appear in JSON."""

    TIMEOUTS = "timeouts"
    OUT_OF_MEMORY = "out_of_memory"
    CONNECTION_EXHAUSTION = "connection_exhaustion"
    MEMORY = "memory"
    SEQUENTIAL_CALLS = "sequential_calls"
    LOG_VOLUME = "log_volume"
    BILLING = "billing"
    COLD_STARTS = "cold_starts"
    UNSTRUCTURED_LOGGING = "unstructured_logging"


@dataclass(frozen=True, slots=True)
class Impact:
    """The monthly cost or saving of a finding, in a 730-hour month projected from the window."""

    monthly_usd: float = 0.0
    """Money per month: the saving a change would bring, or the cost the finding causes."""
    monthly_invocations: float = 0.0
    """Invocations per month that failed or hit the error the finding names."""
    monthly_wait_seconds: float = 0.0
    """Seconds per month that callers waited on something the finding names (init phases)."""
    basis: str = ""
    """The method behind the figures, in one sentence."""


@dataclass(frozen=True, slots=True)
class Chart:
    """A series a page can draw: rows of ``x`` and one or more ``y`` columns."""

    title: str
    kind: str
    """``line`` or ``bar``."""
    x: str
    y: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem or opportunity of one function, with its evidence, impact and fix."""

    kind: FindingKind
    function_name: str
    account: str | None
    region: str | None
    title: str
    summary: str
    """One sentence with the key numbers."""
    evidence: dict[str, Any]
    """Measured figures by name; names end in their unit (``_ms``, ``_mb``, ``_usd``)."""
    impact: Impact
    recommendation: str
    function_version: str | None = None
    request_ids: tuple[str, ...] = ()
    """Request IDs of the affected invocations, when the finding is about specific ones."""
    charts: tuple[Chart, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-ready values."""
        return {
            "kind": str(self.kind),
            "function_name": self.function_name,
            "function_version": self.function_version,
            "account": self.account,
            "region": self.region,
            "title": self.title,
            "summary": self.summary,
            "impact": {
                "monthly_usd": round(self.impact.monthly_usd, 6),
                "monthly_invocations": round(self.impact.monthly_invocations, 1),
                "monthly_wait_seconds": round(self.impact.monthly_wait_seconds, 1),
                "basis": self.impact.basis,
            },
            "evidence": plain_value(self.evidence),
            "request_ids": list(self.request_ids),
            "recommendation": self.recommendation,
            "charts": [
                {
                    "title": chart.title,
                    "kind": chart.kind,
                    "x": chart.x,
                    "y": list(chart.y),
                    "rows": plain_value(list(chart.rows)),
                }
                for chart in self.charts
            ],
        }


@dataclass(frozen=True, slots=True)
class Scope:
    """The invocations a report covers: [start, end) and optionally one function."""

    start: datetime
    end: datetime
    function_name: str | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("the advisor's start and end times need a time zone, such as UTC")
        if self.end <= self.start:
            raise ValueError(
                f"end {self.end.isoformat()} is not after start {self.start.isoformat()}"
            )


@dataclass(frozen=True, slots=True)
class Report:
    """Ranked findings over one scope, with what the projection and prices rest on."""

    lake: str
    scope: Scope
    observed_hours: float
    """Hours from the first to the last REPORT in the scope, across all functions."""
    monthly_factor: float
    """730 hours divided by ``observed_hours``: what window totals are multiplied by."""
    architecture: str
    prices_as_of: str
    prices_sources: tuple[str, ...]
    findings: tuple[Finding, ...]
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return the report as JSON-ready values, findings in rank order from 1."""
        return {
            "lake": self.lake,
            "start": plain_value(self.scope.start),
            "end": plain_value(self.scope.end),
            "function_name": self.scope.function_name,
            "observed_hours": round(self.observed_hours, 2),
            "monthly_factor": round(self.monthly_factor, 4),
            "architecture": self.architecture,
            "prices": {"as_of": self.prices_as_of, "sources": list(self.prices_sources)},
            "notes": list(self.notes),
            "findings": [
                {"rank": rank, **finding.to_dict()}
                for rank, finding in enumerate(self.findings, start=1)
            ],
        }
