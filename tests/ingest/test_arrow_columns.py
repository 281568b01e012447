"""Columns converted to Arrow in one call give what the per-value checks give."""

from __future__ import annotations

import math
from typing import Any

import pytest

from loglake.ingest.arrow_columns import (
    boolean_array,
    boolean_or_none,
    float_array,
    int32_array,
    int32_or_none,
    number_or_none,
    string_array,
    text_or_none,
)

STRINGS = [
    ["a", None, "é"],
    ["bad \ud800 text", "ok"],
    ["a", 1, 2.5, True, {"x": 1}, b"bytes", None],
]
NUMBERS = [
    [1.5, None, 2.0],
    [1e300, -1e300, 1e299, math.nan, math.inf],
    [1, 2**70, True, "3", None, 0.5],
]
INTEGERS = [
    [1, None, 2**31 - 1],
    [-(2**31), 2**31, -(2**31 - 1)],
    [2**70, None],
    [1.0, True, "2", 3],
]
BOOLEANS = [[True, None, False], [1, 0, True, "yes"]]


@pytest.mark.parametrize("values", STRINGS)
def test_string_array_per_value(values: list[Any]) -> None:
    assert string_array(values).to_pylist() == [text_or_none(value) for value in values]


@pytest.mark.parametrize("values", NUMBERS)
def test_float_array_per_value(values: list[Any]) -> None:
    # NaN and infinities become null, so the lists compare without NaN.
    assert float_array(values).to_pylist() == [number_or_none(value) for value in values]


@pytest.mark.parametrize("values", INTEGERS)
def test_int32_array_per_value(values: list[Any]) -> None:
    assert int32_array(values).to_pylist() == [int32_or_none(value) for value in values]


@pytest.mark.parametrize("values", BOOLEANS)
def test_boolean_array_per_value(values: list[Any]) -> None:
    assert boolean_array(values).to_pylist() == [boolean_or_none(value) for value in values]


def test_all_null_columns() -> None:
    assert float_array([None, None]).to_pylist() == [None, None]
    assert int32_array([None]).to_pylist() == [None]
    assert string_array([]).to_pylist() == []
