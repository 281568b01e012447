"""Durations of rule files (``30s``, ``15m``, ``2h``, ``7d``, ``1w``) and aligned instants."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

_DURATION = re.compile(r"([1-9][0-9]{0,5})(s|m|h|d|w)")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def parse_duration(text: str) -> timedelta | None:
    """Return the duration ``text`` writes, or None when it is not one."""
    match = _DURATION.fullmatch(text.strip())
    if match is None:
        return None
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def format_duration(duration: timedelta) -> str:
    """Return ``duration`` in the largest unit that divides it: ``15m``, ``2h``, ``90s``."""
    seconds = int(duration.total_seconds())
    for unit, size in (("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def align_down(instant: datetime, interval: timedelta) -> datetime:
    """Return the latest multiple of ``interval`` since 1970-01-01 UTC at or before ``instant``."""
    steps = (instant.astimezone(UTC) - EPOCH) // interval
    return EPOCH + steps * interval
