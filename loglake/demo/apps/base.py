"""The interface between the invocation runner and each function's application output."""

from __future__ import annotations

import math
from dataclasses import dataclass
from random import Random

from loglake.demo.clock import Clock
from loglake.demo.platform import XrayHeader
from loglake.demo.profile import Deployment

LogLines = list[tuple[int, str]]
"""Log events of one stream in order, as ``(timestamp in epoch ms, message)``."""


@dataclass(slots=True)
class InitContext:
    """One init phase (cold start or SnapStart restore) that an application writes into."""

    rng: Random
    clock: Clock
    deployment: Deployment
    start_ms: int
    init_ms: float
    events: LogLines

    def at(self, fraction: float) -> int:
        """Return the epoch ms at ``fraction`` (from 0 to 1) of the init phase."""
        return self.start_ms + int(self.init_ms * fraction)

    def draw(self, low: int, high: int) -> int:
        """Return a random int in ``[low, high)``."""
        return low + int(self.rng.random() * (high - low))


@dataclass(slots=True)
class InvokeContext:
    """One invocation: its inputs, the lines the application writes, and its outcome.

    ``write_invoke`` sets the duration first, so that lines can be placed inside it, and
    then appends its lines to ``events`` in time order.
    """

    rng: Random
    clock: Clock
    deployment: Deployment
    request_id: str
    start_ms: int
    cold: bool
    scenario: str | None
    load: float
    """Traffic of this hour relative to the function's peak hour, from 0 to 1."""
    xray: XrayHeader | None
    events: LogLines
    duration_ms: float = 0.0
    memory_used_mb: int = 0
    status: str = "success"
    """success, error (a function or runtime error) or timeout."""
    error_type: str | None = None
    """The Error Type that REPORT states, such as ``Runtime.OutOfMemory``."""
    timeout_line: bool = False
    """Whether Lambda writes a separate ``Task timed out`` line for this timeout."""

    def at(self, fraction: float) -> int:
        """Return the epoch ms at ``fraction`` (from 0 to 1) of the invocation's duration."""
        return self.start_ms + int(self.duration_ms * fraction)

    def draw(self, low: int, high: int) -> int:
        """Return a random int in ``[low, high)``."""
        # Several times faster than Random.randrange, which matters at millions of lines.
        return low + int(self.rng.random() * (high - low))

    def run_for(self, scale: float = 1.0) -> None:
        """Set a duration and memory use drawn from the function's profile.

        ``scale`` multiplies the median duration. A draw beyond 90 % of the timeout is
        moved to a random point between 81 % and 90 %, because only the timeout
        scenarios may reach the timeout.
        """
        profile = self.deployment.profile
        median = profile.duration_ms * scale
        if self.cold:
            median *= profile.cold_duration_factor
        duration = median * math.exp(profile.duration_sigma * self.rng.gauss(0.0, 1.0))
        limit = profile.timeout_ms * 0.9
        if duration > limit:
            duration = limit * (0.9 + 0.1 * self.rng.random())
        self.duration_ms = duration

        low, high = profile.memory_used_mb
        self.memory_used_mb = low + int((high - low) * self.rng.random())

    def time_out(self, *, with_line: bool) -> None:
        """End the invocation at the configured timeout.

        With the separate timeout line, Duration runs a few ms past the timeout as in
        older captured lines. Without it, Duration equals the timeout exactly.
        """
        timeout_ms = self.deployment.profile.timeout_ms
        self.duration_ms = timeout_ms + (self.rng.uniform(2.0, 40.0) if with_line else 0.0)
        self.status = "timeout"
        self.timeout_line = with_line


class AppWriter:
    """The application log output of one sample function.

    ``daily_scenarios`` occur at least once in every 24 hours of traffic, in an hour
    drawn with weights by traffic volume. Those also in ``busy_hour_scenarios`` go to the
    busiest hour instead. ``scenario_rates`` gives each scenario's probability per
    invocation on top of that.
    """

    daily_scenarios: tuple[str, ...] = ()
    busy_hour_scenarios: tuple[str, ...] = ()
    scenario_rates: tuple[tuple[str, float], ...] = ()

    def pick_scenario(self, rng: Random, load: float) -> str | None:
        """Draw the scenario of an invocation that no daily scenario claimed."""
        draw = rng.random()
        for scenario, rate in self.scenario_rates:
            if draw < rate:
                return scenario
            draw -= rate
        return None

    def write_init(self, ctx: InitContext) -> None:
        """Append the lines the function writes while it initialises."""

    def write_invoke(self, ctx: InvokeContext) -> None:
        """Set the invocation's outcome and append the lines the function writes."""
        raise NotImplementedError
