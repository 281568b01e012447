"""The nearest-rank percentile in Python, against DuckDB's quantile_disc."""

from __future__ import annotations

import random

import duckdb
import pytest

from loglake.analytics.advisor.percentile import nearest_rank

TEN = [float(value) for value in range(100, 1100, 100)]


@pytest.mark.parametrize(
    ("values", "percent", "expected"),
    [
        (TEN, 0, 100.0),
        (TEN, 10, 100.0),
        (TEN, 11, 200.0),
        (TEN, 50, 500.0),
        (TEN, 95, 1000.0),
        (TEN, 100, 1000.0),
        ([250.0, 350.0, 450.0, 550.0], 50, 350.0),
        ([7.0], 99, 7.0),
        ([3.0, 1.0, 2.0], 50, 2.0),
    ],
)
def test_nearest_rank_cases(values: list[float], percent: float, expected: float) -> None:
    assert nearest_rank(values, percent) == expected


def test_nearest_rank_matches_quantile_disc() -> None:
    generator = random.Random(7)
    connection = duckdb.connect()
    # 0.07 * 100 is 7.000000000000001 in floating point, and p7 of 100 values is the 7th.
    percents = [0, 1, 7, 25, 50, 90, 95, 99, 99.9, 100]
    for count in [1, 2, 3, 10, 20, 99, 100, 101, 1000]:
        values = [round(generator.uniform(1, 5000), 2) for _ in range(count)]
        fractions = [percent / 100 for percent in percents]
        [expected] = connection.execute(
            "SELECT quantile_disc(value, ?::DOUBLE[]) FROM unnest(?::DOUBLE[]) AS t(value)",
            [fractions, values],
        ).fetchone() or [None]
        for percent, quantile in zip(percents, expected, strict=True):
            assert nearest_rank(values, percent) == quantile, (count, percent)


def test_nearest_rank_rejects_empty() -> None:
    with pytest.raises(ValueError, match="at least one value"):
        nearest_rank([], 50)


@pytest.mark.parametrize("percent", [-1, 100.5])
def test_nearest_rank_rejects_percent(percent: float) -> None:
    with pytest.raises(ValueError, match="outside 0 to 100"):
        nearest_rank([1.0], percent)
