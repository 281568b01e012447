"""Convert the ``logs`` table's columns from Python lists to Arrow arrays in one call each.

A value that does not fit its column becomes null, so that one odd line cannot fail its
batch: a parsed memory size beyond 32 bits, a number beyond 1e300, a value of the wrong
type. A string with a lone surrogate, which Arrow cannot encode as UTF-8, is written with
the surrogate as backslash escape text. Each column is first checked for the types it
expects, with one pass in C, and a numeric column for its bounds. The per-value checks run
only on a column that fails those checks, so that the common case costs one conversion per
column.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyarrow as pa

_MAX_NUMBER = 1e300
"""Numbers at or beyond this magnitude (and NaN) become null."""

_INT32_MAX = 2**31 - 1

_NONE_TYPE = type(None)
_STRING_TYPES = frozenset({str, _NONE_TYPE})
_FLOAT_TYPES = frozenset({float, _NONE_TYPE})
_INT_TYPES = frozenset({int, _NONE_TYPE})
_BOOL_TYPES = frozenset({bool, _NONE_TYPE})


def escape_surrogates(text: str) -> str:
    """Return ``text`` with each lone surrogate written as a backslash escape.

    Arrow needs UTF-8, and a JSON payload can carry a lone surrogate as an escape such
    as ``\\ud800``. Text without one is returned as it is.
    """
    if text.isascii():
        return text
    return text.encode("utf-8", "backslashreplace").decode()


def text_or_none(value: object) -> str | None:
    """Return a string value with lone surrogates escaped, and None for any other value."""
    if not isinstance(value, str):
        return None
    return escape_surrogates(value)


def number_or_none(value: object) -> float | None:
    """Return an int or float as a float below 1e300 in magnitude, and None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if abs(value) < _MAX_NUMBER else None


def int32_or_none(value: object) -> int | None:
    """Return an int within ±(2³¹ - 1), and None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if -_INT32_MAX <= value <= _INT32_MAX else None


def boolean_or_none(value: object) -> bool | None:
    """Return a bool, and None for any other value."""
    return value if isinstance(value, bool) else None


def string_array(values: list[Any]) -> pa.Array[Any]:
    """Convert strings and None to an Arrow string array; see ``text_or_none``."""
    if set(map(type, values)) <= _STRING_TYPES:
        try:
            return pa.array(values, type=pa.string())
        except UnicodeEncodeError:
            pass
    return pa.array(list(map(text_or_none, values)), type=pa.string())


def float_array(values: list[Any]) -> pa.Array[Any]:
    """Convert numbers and None to an Arrow float64 array; see ``number_or_none``."""
    if set(map(type, values)) <= _FLOAT_TYPES:
        # Checked in Python: most values are None, and a compute call costs more than the
        # loop on the few rows of one delivery. NaN fails the comparison, as it should.
        numbers = [value for value in values if value is not None]
        if all(abs(number) < _MAX_NUMBER for number in numbers):
            return pa.array(values, type=pa.float64())
    return pa.array(list(map(number_or_none, values)), type=pa.float64())


def int32_array(values: list[Any]) -> pa.Array[Any]:
    """Convert integers and None to an Arrow int32 array; see ``int32_or_none``."""
    if set(map(type, values)) <= _INT_TYPES:
        numbers = [value for value in values if value is not None]
        if all(-_INT32_MAX <= number <= _INT32_MAX for number in numbers):
            return pa.array(values, type=pa.int32())
    return pa.array(list(map(int32_or_none, values)), type=pa.int32())


def boolean_array(values: list[Any]) -> pa.Array[Any]:
    """Convert booleans and None to an Arrow boolean array; see ``boolean_or_none``."""
    if set(map(type, values)) <= _BOOL_TYPES:
        return pa.array(values, type=pa.bool_())
    return pa.array(list(map(boolean_or_none, values)), type=pa.bool_())


ARRAY_BUILDERS: dict[str, Callable[[list[Any]], pa.Array[Any]]] = {
    "string": string_array,
    "double": float_array,
    "int32": int32_array,
    "bool": boolean_array,
}
"""Converters by the name of the Arrow type (``str(pa.DataType)``) they build."""
