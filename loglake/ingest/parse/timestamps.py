"""Convert the timestamp forms found in Lambda log lines to UTC epoch milliseconds.

* ISO 8601 with ``T`` or a space, with or without a fraction of up to 9 digits after
  ``.`` or ``,``, and with ``Z``, an offset (``+02:00``, ``+0200``, ``+02``) or no zone.
* Go's ``log`` prefix ``YYYY/MM/DD HH:MM:SS``.
* Go's ``time.Time`` string, which ends in a zone abbreviation (``-0400 EDT``).
* Epoch seconds, milliseconds, microseconds or nanoseconds, distinguished by magnitude.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

_TEXT_TIMESTAMP = re.compile(
    r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}/[0-9]{2}/[0-9]{2})"
    r"[T ](?P<time>[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,9})?)?)"
    r" ?(?P<zone>Z|[+-][0-9]{2}(?::?[0-9]{2})?)?"
    r"(?: [A-Z]{2,5})?"
)

# Epoch milliseconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999Z, the range of
# Python's datetime and of the lake's TIMESTAMP(ms) column.
_MIN_EPOCH_MS = -62_135_596_800_000
_MAX_EPOCH_MS = 253_402_300_799_999

# Upper bounds (exclusive) of the magnitude of an epoch number in each unit.
# NOTE: values below 1e11 are read as seconds, so epoch milliseconds before
# 1973-03-03 are misread. No Lambda log has such times.
_EPOCH_UNITS: tuple[tuple[float, int], ...] = (
    (1e11, 1_000),  # seconds: ms per unit
    (1e14, 1),  # milliseconds
    (1e17, -1_000),  # microseconds: negative means divide
    (1e20, -1_000_000),  # nanoseconds
)

# Runtime prefixes repeat the same second on many lines, so the seconds of the
# ``YYYY-MM-DDTHH:MM:SS.mmmZ`` form are cached. The cache is cleared when full.
_SECONDS_CACHE: dict[str, int | None] = {}
_SECONDS_CACHE_SIZE = 4096


def parse_timestamp(text: str) -> int | None:
    """Parse a timestamp string to UTC epoch milliseconds, or return None if it is not one.

    A time without a zone is taken as UTC, because Lambda runs functions with TZ unset,
    so that is what runtimes and loggers print there. Tools that print local time without
    a zone (``sam logs``, some console copies) are therefore read as UTC too.
    """
    if len(text) == 24 and text[23] == "Z" and text[19] == "." and text[10] == "T":
        return _parse_iso_millis_z(text)

    return _parse_any_text(text)


def epoch_to_ms(value: float) -> int | None:
    """Convert an epoch number in seconds, ms, µs or ns (chosen by magnitude) to ms."""
    if not math.isfinite(value):
        return None

    magnitude = abs(value)
    for bound, factor in _EPOCH_UNITS:
        if magnitude < bound:
            millis = _scale(value, factor)
            return millis if _MIN_EPOCH_MS <= millis <= _MAX_EPOCH_MS else None
    return None


def _scale(value: float, factor: int) -> int:
    if isinstance(value, int):
        # Integer arithmetic keeps nanosecond values above 2**53 exact.
        return value * factor if factor > 0 else value // -factor
    # Rounding to the microsecond first keeps 1.5e9 + 0.001 from flooring to ...000.999.
    scaled = value * factor if factor > 0 else value / -factor
    return math.floor(round(scaled, 3))


def _parse_iso_millis_z(text: str) -> int | None:
    second = text[:19]
    if second in _SECONDS_CACHE:
        seconds = _SECONDS_CACHE[second]
    else:
        if len(_SECONDS_CACHE) >= _SECONDS_CACHE_SIZE:
            _SECONDS_CACHE.clear()
        millis = _parse_any_text(second)
        seconds = None if millis is None else millis // 1000
        _SECONDS_CACHE[second] = seconds

    fraction = text[20:23]
    if seconds is None or not (fraction.isascii() and fraction.isdigit()):
        return None
    return seconds * 1000 + int(fraction)


def _parse_any_text(text: str) -> int | None:
    match = _TEXT_TIMESTAMP.fullmatch(text)
    if match is None:
        return None

    date = match["date"].replace("/", "-")
    iso = f"{date}T{match['time']}{match['zone'] or ''}"
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        # Out-of-range fields such as month 13 or hour 25.
        return None

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return _datetime_to_ms(moment)


def _datetime_to_ms(moment: datetime) -> int | None:
    # timedelta arithmetic instead of .timestamp(), which rounds through a float.
    delta = moment - _EPOCH
    millis = (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000
    return millis if _MIN_EPOCH_MS <= millis <= _MAX_EPOCH_MS else None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
