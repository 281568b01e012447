"""Repeated measurements: the median and spread of several runs of one action."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Timing:
    """Wall-clock seconds of each timed run of one action."""

    seconds: list[float]

    @property
    def median(self) -> float:
        """Median run time in seconds."""
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        """Fastest run in seconds."""
        return min(self.seconds)

    @property
    def high(self) -> float:
        """Slowest run in seconds."""
        return max(self.seconds)

    @property
    def runs(self) -> int:
        """Number of timed runs."""
        return len(self.seconds)


def time_once(action: Callable[[], object]) -> float:
    """Run ``action`` once and return its wall-clock seconds."""
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(action: Callable[[], object], *, repeat: int, budget_seconds: float) -> Timing:
    """Time ``action`` ``repeat`` times after one untimed warm-up run.

    A slow action gets fewer runs: when the warm-up alone takes longer than
    ``budget_seconds / repeat``, the warm-up counts as the first run, and further runs stop
    once the runs so far have used ``budget_seconds``. At least one run is always timed.
    """
    warm_up = time_once(action)
    seconds: list[float] = []
    if warm_up > budget_seconds / repeat:
        seconds.append(warm_up)
    while len(seconds) < repeat and (not seconds or sum(seconds) < budget_seconds):
        seconds.append(time_once(action))
    return Timing(seconds)


def format_seconds(seconds: float) -> str:
    """Format a duration with a unit that keeps three significant digits."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.3g} ms"
    if seconds < 100:
        return f"{seconds:.3g} s"
    return f"{seconds:.0f} s"


def format_timing(timing: Timing) -> str:
    """Format the median with the spread of the runs: ``12.3 ms (11.9 to 13.0, 3 runs)``."""
    if timing.runs == 1:
        return f"{format_seconds(timing.median)} (1 run)"
    return (
        f"{format_seconds(timing.median)} "
        f"({format_seconds(timing.low)} to {format_seconds(timing.high)}, {timing.runs} runs)"
    )
