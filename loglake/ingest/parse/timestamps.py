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

# Forms of _TEXT_TIMESTAMP in UTC, which _utc_text_to_ms reads with the cached seconds of
# their first 19 characters: Powertools' "2026-11-02 08:14:11,306+0000", microseconds with
# Z, no zone at all.
_UTC_TEXT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:[.,]([0-9]{1,9}))?(?:Z|[+-]00(?::?00)?)?"
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

# Runtime prefixes and JSON loggers repeat the same second on many lines, so the epoch
# seconds of the ``YYYY-MM-DDTHH:MM:SS`` that starts a UTC form are cached, and so is the
# start of each date. Each cache is cleared when full.
_SECONDS_CACHE: dict[str, int | None] = {}
_DAY_CACHE: dict[str, int | None] = {}
_CACHE_SIZE = 4096


def parse_timestamp(text: str) -> int | None:
    """Parse a timestamp string to UTC epoch milliseconds, or return None if it is not one.

    A time without a zone is taken as UTC, because Lambda runs functions with TZ unset,
    so that is what runtimes and loggers print there. Tools that print local time without
    a zone (``sam logs``, some console copies) are therefore read as UTC too.
    """
    if len(text) == 24 and text[23] == "Z" and text[19] == "." and text[10] == "T":
        seconds = _cached_seconds(text[:19])
        fraction = text[20:23]
        if seconds is None or not (fraction.isascii() and fraction.isdigit()):
            return None
        return seconds * 1000 + int(fraction)

    # With ":" at 13 and 16, the first 19 characters can only be read as date and time,
    # so "Z" after them changes nothing.
    if len(text) == 20 and text[19] == "Z" and text[10] == "T" and text[13] == text[16] == ":":
        seconds = _cached_seconds(text[:19])
        return None if seconds is None else seconds * 1000

    utc = _UTC_TEXT.fullmatch(text)
    if utc is not None:
        return _utc_text_to_ms(utc)
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


def _cached_seconds(second: str) -> int | None:
    """Return the epoch seconds of ``YYYY-MM-DDTHH:MM:SS`` read as UTC, as ``_parse_any_text``
    reads it, or None."""
    if second in _SECONDS_CACHE:
        return _SECONDS_CACHE[second]

    if len(_SECONDS_CACHE) >= _CACHE_SIZE:
        _SECONDS_CACHE.clear()
    seconds = _iso_seconds(second)
    _SECONDS_CACHE[second] = seconds
    return seconds


def _iso_seconds(second: str) -> int | None:
    digits = second[:4] + second[5:7] + second[8:10] + second[11:13] + second[14:16] + second[17:]
    if not (
        second[4] == second[7] == "-"
        and second[10] == "T"
        and second[13] == second[16] == ":"
        and len(digits) == 14
        and digits.isascii()
        and digits.isdigit()
    ):
        millis = _parse_any_text(second)
        return None if millis is None else millis // 1000

    hour, minute, clock_second = int(digits[8:10]), int(digits[10:12]), int(digits[12:])
    day = _day_start(second[:10])
    if day is None or hour > 23 or minute > 59 or clock_second > 59:
        return None
    return day + hour * 3600 + minute * 60 + clock_second


def _utc_text_to_ms(match: re.Match[str]) -> int | None:
    seconds = _cached_seconds(match.string[:19])
    if seconds is None:
        return None
    # datetime keeps microseconds, so digits past the third never round the milliseconds up.
    fraction = match.group(1)
    return seconds * 1000 + (int((fraction + "00")[:3]) if fraction else 0)


def _day_start(date: str) -> int | None:
    """Return the epoch seconds at the start of ``YYYY-MM-DD``, or None for an invalid date."""
    if date in _DAY_CACHE:
        return _DAY_CACHE[date]

    if len(_DAY_CACHE) >= _CACHE_SIZE:
        _DAY_CACHE.clear()
    millis = _parse_any_text(date + "T00:00:00")
    seconds = None if millis is None else millis // 1000
    _DAY_CACHE[date] = seconds
    return seconds


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
