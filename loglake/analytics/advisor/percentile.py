"""The nearest-rank percentile, for values the advisor computes in Python.

Every percentile in loglake is nearest-rank: the p-th percentile of n values is the
ceil(p / 100 * n)-th smallest of them (the smallest for p = 0), so it is a value that
occurs in the data. DuckDB's ``quantile_disc`` computes the same in SQL, which the
advisor's queries, the dashboard and ``pct()`` of the Insights queries use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable


def nearest_rank(values: Iterable[float], percent: float) -> float:
    """Return the nearest-rank ``percent``-th percentile (0 to 100) of ``values``.

    Raises ``ValueError`` for no values or a percent outside 0 to 100.
    """
    if not 0 <= percent <= 100:
        raise ValueError(f"percent {percent:g} is outside 0 to 100: pass a value from 0 to 100")
    ordered = sorted(values)
    if not ordered:
        raise ValueError("nearest_rank needs at least one value: pass a non-empty sequence")
    count = len(ordered)
    # count - floor(count - x) equals ceil(x) but keeps the rank that DuckDB 1.5's
    # quantile_disc picks where ceil() would round up: 0.07 * 100 is 7.000000000000001.
    # tests/advisor/test_percentile.py compares the two.
    rank = max(1, count - math.floor(count - percent / 100 * count))
    return ordered[rank - 1]
