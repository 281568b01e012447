"""Readers of X-Ray's optional fields.

Every field of a trace summary or segment document may be absent or of another type than
documented, so each reader returns None for a value it cannot use instead of raising.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

MAX_EPOCH_US = 253_402_300_799_999_999
"""9999-12-31T23:59:59.999999Z, the last instant a partition's date can name."""

_INT32_MAX = 2**31 - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def text(value: object) -> str | None:
    """Return a non-empty string, with lone surrogates escaped so that Arrow can encode it."""
    if not isinstance(value, str) or not value:
        return None
    if value.isascii():
        return value
    return value.encode("utf-8", "backslashreplace").decode()


def number(value: object) -> float | None:
    """Return a finite int or float as a float; booleans and other types give None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    result = float(value) if abs(value) < 1e300 else math.inf
    return result if math.isfinite(result) else None


def int32(value: object) -> int | None:
    """Return an integer that fits a 32-bit column; a whole float such as ``200.0`` counts."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or not -_INT32_MAX <= value <= _INT32_MAX:
        return None
    return value


def boolean(value: object) -> bool | None:
    """Return a JSON boolean; anything else gives None."""
    return value if isinstance(value, bool) else None


def mapping(value: object) -> dict[str, Any]:
    """Return a JSON object, or an empty one for any other value."""
    return value if isinstance(value, dict) else {}


def items(value: object) -> list[Any]:
    """Return a JSON array, or an empty one for any other value."""
    return value if isinstance(value, list) else []


def seconds_to_ms(value: object) -> float | None:
    """Convert X-Ray's durations in seconds (``Duration``, ``ResponseTime``) to milliseconds."""
    seconds = number(value)
    return None if seconds is None else round(seconds * 1000, 3)


def epoch_us(value: object) -> int | None:
    """Convert a time to epoch microseconds, or None when it is missing or out of range.

    boto3 returns ``datetime`` objects, the API's JSON and AWS CLI v1 epoch seconds as
    numbers (``1.502712346593E9`` in Java-written segments), and AWS CLI v2 ISO 8601 text
    such as ``2017-08-14T12:03:59+00:00``.
    """
    microseconds: int | None
    if isinstance(value, datetime):
        microseconds = _datetime_epoch_us(value)
    elif isinstance(value, str):
        microseconds = _iso_epoch_us(value)
    else:
        seconds = number(value)
        microseconds = None if seconds is None else round(seconds * 1_000_000)
    if microseconds is None or not 0 <= microseconds <= MAX_EPOCH_US:
        return None
    return microseconds


def _iso_epoch_us(value: str) -> int | None:
    stripped = value.strip()
    try:
        seconds = float(stripped)
    except ValueError:
        pass
    else:
        return round(seconds * 1_000_000) if math.isfinite(seconds) else None

    try:
        parsed = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _datetime_epoch_us(parsed)


def _datetime_epoch_us(value: datetime) -> int:
    """Count microseconds since the epoch exactly; a time without a zone is UTC."""
    moment = value if value.tzinfo else value.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND
