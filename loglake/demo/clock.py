"""Timestamp texts in the formats that Lambda runtimes and common loggers write."""

from __future__ import annotations

import time

# The text of one UTC second is reused by every line in it. The cache is cleared when it
# reaches this many seconds, so memory stays bounded on runs of many days.
_CACHE_LIMIT = 100_000


class Clock:
    """Formatter of epoch milliseconds, caching the date and time text of each UTC second."""

    __slots__ = ("_seconds",)

    def __init__(self) -> None:
        self._seconds: dict[int, tuple[str, str]] = {}

    def _date_and_time(self, ms: int) -> tuple[str, str]:
        second = ms // 1000
        parts = self._seconds.get(second)
        if parts is None:
            if len(self._seconds) >= _CACHE_LIMIT:
                self._seconds.clear()
            utc = time.gmtime(second)
            parts = (
                f"{utc.tm_year:04d}-{utc.tm_mon:02d}-{utc.tm_mday:02d}",
                f"{utc.tm_hour:02d}:{utc.tm_min:02d}:{utc.tm_sec:02d}",
            )
            self._seconds[second] = parts
        return parts

    def iso_ms(self, ms: int) -> str:
        """Format ``2026-12-01T14:02:11.123Z`` (Lambda runtimes, Node.js console, JSON format)."""
        day, clock = self._date_and_time(ms)
        return f"{day}T{clock}.{ms % 1000:03d}Z"

    def iso_seconds(self, ms: int) -> str:
        """Format ``2026-12-01T14:02:11Z`` (Python records in Lambda's JSON log format)."""
        day, clock = self._date_and_time(ms)
        return f"{day}T{clock}Z"

    def iso_us(self, ms: int, microseconds: int) -> str:
        """Format ``2026-12-01T14:02:11.123456Z`` (structlog ``TimeStamper(fmt="iso")``).

        ``microseconds`` (0 to 999) is the part below the millisecond.
        """
        day, clock = self._date_and_time(ms)
        return f"{day}T{clock}.{ms % 1000:03d}{microseconds:03d}Z"

    def powertools(self, ms: int) -> str:
        """Format ``2026-12-01 14:02:11,123+0000`` (Powertools for AWS Lambda, Python)."""
        day, clock = self._date_and_time(ms)
        return f"{day} {clock},{ms % 1000:03d}+0000"

    def log4j(self, ms: int) -> str:
        """Format ``2026-12-01 14:02:11`` (log4j2 ``%d{yyyy-MM-dd HH:mm:ss}``)."""
        day, clock = self._date_and_time(ms)
        return f"{day} {clock}"

    def stream_date(self, ms: int) -> str:
        """Format ``2026/12/01``, the date prefix of a Lambda log stream name."""
        day, _ = self._date_and_time(ms)
        return day.replace("-", "/")


def epoch_seconds(ms: int, microseconds: int) -> str:
    """Format epoch seconds as a float, as zap's production encoder writes ``ts``."""
    return repr((ms * 1000 + microseconds) / 1_000_000)
