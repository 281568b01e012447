"""When invocations arrive: a daily traffic curve, bursts, and the scenario of each one.

Counts are fixed before any arrival is drawn. The account's total is split between the
functions by their traffic share, then each function's count between the hours by its
daily curve. Both splits use the largest-remainder method, so the totals are exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import itemgetter
from random import Random

from loglake.demo.apps.base import AppWriter
from loglake.demo.profile import FunctionProfile

HOUR_MS = 3_600_000

# Members of a burst arrive up to this many ms apart.
_BURST_SPREAD_MS = 250

# Arrivals stop this long before the end of the run plus the timeout, so that an init
# phase (at most 10 s) and the whole invocation fit inside the run.
_END_MARGIN_MS = 12_000

Arrival = tuple[int, int, str | None]
"""An invocation's arrival: epoch ms, index of the function, scenario or None."""


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` in proportion to ``weights`` with the largest-remainder method."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)

    quotas = [total * weight / weight_sum for weight in weights]
    counts = [int(quota) for quota in quotas]
    shortfall = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - quotas[i], i))
    for index in by_remainder[:shortfall]:
        counts[index] += 1
    return counts


def traffic_weight(profile: FunctionProfile, hour_of_day: float) -> float:
    """Return the traffic at ``hour_of_day`` (UTC) relative to the peak hour, from 0 to 1."""
    phase = math.cos(2 * math.pi * (hour_of_day - profile.peak_hour_utc) / 24)
    return profile.night_floor + (1 - profile.night_floor) * ((1 + phase) / 2) ** 2


class TrafficPlan:
    """Invocation counts per function and hour, and each hour's arrivals in time order."""

    def __init__(
        self,
        *,
        profiles: Sequence[FunctionProfile],
        writers: Sequence[AppWriter],
        start_ms: int,
        hours: int,
        invocations: int,
        rng: Random,
    ) -> None:
        self._profiles = profiles
        self._writers = writers
        self._start_ms = start_ms
        self._end_ms = start_ms + hours * HOUR_MS
        self._rng = rng

        first_hour = start_ms / HOUR_MS
        self._loads = [
            [traffic_weight(profile, (first_hour + hour + 0.5) % 24) for hour in range(hours)]
            for profile in profiles
        ]
        function_counts = _function_counts(invocations, [p.traffic_share for p in profiles])
        self._counts = [
            apportion(n, loads) for n, loads in zip(function_counts, self._loads, strict=True)
        ]
        self._scheduled: dict[tuple[int, int], dict[int, str]] = {}
        for index in range(len(profiles)):
            self._schedule_daily_scenarios(index, hours)

    def load(self, function_index: int, hour: int) -> float:
        """Return the traffic of ``hour`` relative to the function's peak hour."""
        return self._loads[function_index][hour]

    def arrivals(self, hour: int) -> list[Arrival]:
        """Draw the arrivals of hour ``hour`` of the run, sorted by time."""
        merged: list[Arrival] = []
        for index, profile in enumerate(self._profiles):
            count = self._counts[index][hour]
            if count == 0:
                continue
            scheduled = self._scheduled.get((index, hour), {})
            writer = self._writers[index]
            load = self._loads[index][hour]
            for position, time_ms in enumerate(self._burst_times(profile, hour, count)):
                scenario = scheduled.get(position)
                if scenario is None:
                    scenario = writer.pick_scenario(self._rng, load)
                merged.append((time_ms, index, scenario))

        merged.sort(key=itemgetter(0, 1))
        return merged

    def _burst_times(self, profile: FunctionProfile, hour: int, count: int) -> list[int]:
        rng = self._rng
        window_start = self._start_ms + hour * HOUR_MS
        window_end = min(window_start + HOUR_MS, self._end_ms - profile.timeout_ms - _END_MARGIN_MS)
        span = max(1, window_end - window_start)
        last_ms = window_start + span - 1

        times: list[int] = []
        while len(times) < count:
            size = min(count - len(times), self._burst_size(profile.burst_mean))
            time_ms = window_start + int(rng.random() * span)
            for _ in range(size):
                times.append(min(time_ms, last_ms))
                time_ms += int(rng.random() * _BURST_SPREAD_MS)
        times.sort()
        return times

    def _burst_size(self, mean: float) -> int:
        if mean <= 1.0:
            return 1
        return 1 + int(self._rng.expovariate(1.0 / (mean - 1.0)))

    def _schedule_daily_scenarios(self, index: int, hours: int) -> None:
        """Give each daily scenario of a function one arrival in every 24 hours of the run."""
        writer = self._writers[index]
        counts = self._counts[index]
        for day_start in range(0, hours, 24):
            day_hours = list(range(day_start, min(day_start + 24, hours)))
            day_counts = [counts[hour] for hour in day_hours]
            if sum(day_counts) == 0:
                continue
            for scenario in writer.daily_scenarios:
                if scenario in writer.busy_hour_scenarios:
                    hour = day_hours[day_counts.index(max(day_counts))]
                else:
                    hour = self._rng.choices(day_hours, weights=day_counts)[0]
                self._claim_arrival(index, hour, scenario)

    def _claim_arrival(self, index: int, hour: int, scenario: str) -> None:
        count = self._counts[index][hour]
        claimed = self._scheduled.setdefault((index, hour), {})
        # When every arrival of the hour already has a scenario, this one is left out.
        if len(claimed) >= count:
            return
        position = self._rng.randrange(count)
        while position in claimed:
            position = (position + 1) % count
        claimed[position] = scenario


def _function_counts(invocations: int, shares: Sequence[float]) -> list[int]:
    """Split the invocations between functions, giving each at least one when possible."""
    counts = apportion(invocations, shares)
    if invocations >= len(shares):
        for index, count in enumerate(counts):
            if count == 0:
                counts[counts.index(max(counts))] -= 1
                counts[index] = 1
    return counts
