"""Execution environments of one function: reuse, cold starts and reclamation.

Each environment writes to its own log stream ``YYYY/MM/DD/[<version>]<32 hex>``, dated
the UTC day it started. An invocation reuses the most recently freed warm environment
and starts a new one (a cold start) when every warm environment is busy.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from loglake.demo.clock import Clock
from loglake.demo.ids import IdSource

# NOTE: Lambda documents neither how long an idle environment is kept nor how long one
# lives. These ranges are estimates.
_IDLE_TIMEOUT_MS = (10 * 60_000, 40 * 60_000)
_LIFETIME_MS = (2 * 3_600_000, 5 * 3_600_000)


@dataclass(slots=True)
class Environment:
    """One execution environment and the log stream it writes to."""

    log_stream: str
    free_at_ms: int
    """Epoch ms from which the environment can take the next invocation."""
    idle_timeout_ms: int
    retire_at_ms: int
    invocations: int = 0
    max_memory_used_mb: int = 0
    """The highest memory use so far, which REPORT states, so it never decreases."""
    terminated: bool = False
    """Set after a timeout or an out-of-memory kill, which end the environment."""

    def is_reclaimed(self, now_ms: int) -> bool:
        """Return whether Lambda has shut this environment down by ``now_ms``."""
        if self.terminated:
            return True
        if self.free_at_ms > now_ms:
            return False
        return now_ms - self.free_at_ms >= self.idle_timeout_ms or now_ms >= self.retire_at_ms


class EnvironmentPool:
    """The environments of one function."""

    def __init__(self, *, rng: Random, clock: Clock, ids: IdSource, version: str) -> None:
        self._rng = rng
        self._clock = clock
        self._ids = ids
        self._version = version
        self._environments: list[Environment] = []

    def acquire(self, now_ms: int) -> Environment:
        """Return the environment that serves an invocation arriving at ``now_ms``."""
        alive: list[Environment] = []
        chosen: Environment | None = None
        for environment in self._environments:
            if environment.is_reclaimed(now_ms):
                continue
            alive.append(environment)
            free = environment.free_at_ms <= now_ms
            if free and (chosen is None or environment.free_at_ms > chosen.free_at_ms):
                chosen = environment

        if chosen is None:
            chosen = self._start(now_ms)
            alive.append(chosen)
        self._environments = alive
        return chosen

    def _start(self, now_ms: int) -> Environment:
        stream = f"{self._clock.stream_date(now_ms)}/[{self._version}]{self._ids.instance_hex()}"
        return Environment(
            log_stream=stream,
            free_at_ms=now_ms,
            idle_timeout_ms=self._rng.randint(*_IDLE_TIMEOUT_MS),
            retire_at_ms=now_ms + self._rng.randint(*_LIFETIME_MS),
        )
