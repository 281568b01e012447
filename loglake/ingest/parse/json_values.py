"""Typed reads of values in decoded JSON objects, which may contain any JSON type."""

from __future__ import annotations

import math
from typing import Any

# The lake stores memory sizes as INTEGER (32-bit signed).
_MAX_INT32 = 2**31 - 1


def get_str(record: dict[str, Any], key: str) -> str | None:
    """Return the value of ``key`` if it is a non-empty string, else None."""
    value = record.get(key)
    return value if isinstance(value, str) and value else None


def get_dict(record: dict[str, Any], key: str) -> dict[str, Any] | None:
    """Return the value of ``key`` if it is a JSON object, else None."""
    value = record.get(key)
    return value if isinstance(value, dict) else None


def get_float(record: dict[str, Any], key: str) -> float | None:
    """Return the value of ``key`` as a float if it is a finite number, else None."""
    value = record.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None

    try:
        number = float(value)
    except OverflowError:
        # An int beyond the float range, which only a hand-built dict can contain.
        return None
    return number if math.isfinite(number) else None


def get_int32(record: dict[str, Any], key: str) -> int | None:
    """Return the value of ``key`` if it is a whole number that fits a 32-bit INTEGER."""
    number = get_float(record, key)
    if number is None or not number.is_integer() or abs(number) > _MAX_INT32:
        return None
    return int(number)


def get_epoch_or_text(record: dict[str, Any], key: str) -> str | float | None:
    """Return the value of ``key`` if it is a string or a number (not a boolean)."""
    value = record.get(key)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None
