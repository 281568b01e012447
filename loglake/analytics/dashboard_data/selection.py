"""The selection every dashboard query reads: a time range, some functions, time buckets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from loglake.analytics.lake import Lake
from loglake.analytics.sql import QueryResult, run_select


@dataclass(frozen=True, slots=True)
class Bucket:
    """The width of the time buckets of a chart."""

    seconds: int
    label: str
    """The width as people write it: ``1m``, ``15m``, ``1h``."""


BUCKETS: tuple[Bucket, ...] = (
    Bucket(60, "1m"),
    Bucket(5 * 60, "5m"),
    Bucket(15 * 60, "15m"),
    Bucket(60 * 60, "1h"),
    Bucket(3 * 60 * 60, "3h"),
    Bucket(6 * 60 * 60, "6h"),
    Bucket(24 * 60 * 60, "1d"),
)
MAX_BUCKETS = 200
"""Most buckets a chart has: the narrowest width that keeps a range within this count."""


def choose_bucket(start: datetime, end: datetime) -> Bucket:
    """Return the narrowest bucket width that splits ``[start, end)`` into at most 200 buckets."""
    seconds = (end - start).total_seconds()
    for bucket in BUCKETS:
        if seconds / bucket.seconds <= MAX_BUCKETS:
            return bucket
    return BUCKETS[-1]


@dataclass(frozen=True, slots=True)
class Selection:
    """The rows a page reads: ``[start, end)`` in UTC and, when not empty, only these functions."""

    start: datetime
    end: datetime
    functions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("a selection's start and end need a time zone, such as UTC")
        if self.end <= self.start:
            raise ValueError(
                f"end {self.end.isoformat()} is not after start {self.start.isoformat()}"
            )
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))

    @property
    def bucket(self) -> Bucket:
        """Return the width of this range's chart buckets."""
        return choose_bucket(self.start, self.end)

    def where(
        self, *, time_column: str = "timestamp", function_column: str = "function_name"
    ) -> tuple[str, list[Any]]:
        """Return the condition that keeps the selected rows, and its parameters.

        The condition also bounds the ``date`` partition column, so DuckDB skips the folders
        of other days unread. Column names come from the callers' own SQL, never from input.
        """
        last_day = (self.end - timedelta(microseconds=1)).date()
        condition = f"{time_column} >= ? AND {time_column} < ? AND date >= ? AND date <= ?"
        parameters: list[Any] = [self.start, self.end, self.start.date(), last_day]
        if self.functions:
            placeholders = ", ".join("?" for _ in self.functions)
            condition += f" AND {function_column} IN ({placeholders})"
            parameters.extend(self.functions)
        return condition, parameters

    def bucket_starts(self) -> list[datetime]:
        """Return the start of every bucket that overlaps the range, in order.

        Buckets are aligned as DuckDB's ``time_bucket`` aligns them: whole minutes, hours and
        days of UTC.
        """
        width = timedelta(seconds=self.bucket.seconds)
        epoch = datetime(2000, 1, 3, tzinfo=UTC)
        first = epoch + width * ((self.start - epoch) // width)
        starts = []
        current = first
        while current < self.end:
            starts.append(current)
            current += width
        return starts


def bucket_sql(selection: Selection, column: str = "timestamp") -> str:
    """Return the SQL expression of a row's bucket start, for the selection's bucket width."""
    return f"time_bucket(INTERVAL {selection.bucket.seconds} SECOND, {column})"


def list_functions(lake: Lake) -> list[str]:
    """Return every function name in the lake, sorted, for the function picker."""
    result = run_select(
        lake,
        "SELECT DISTINCT function_name FROM logs WHERE function_name IS NOT NULL "
        "ORDER BY function_name",
    )
    return [str(row[0]) for row in result.rows]


@dataclass(frozen=True, slots=True)
class LakeSpan:
    """The times of the first and last log event in the lake."""

    first: datetime
    last: datetime


def lake_span(lake: Lake) -> LakeSpan | None:
    """Return when the lake's log events begin and end, or None when it has none."""
    result = run_select(lake, "SELECT min(timestamp), max(timestamp) FROM logs")
    first, last = result.rows[0] if result.rows else (None, None)
    if first is None or last is None:
        return None
    return LakeSpan(first=first.astimezone(UTC), last=last.astimezone(UTC))


def result_from_dicts(columns: list[str], rows: list[dict[str, Any]]) -> QueryResult:
    """Build a result from row dicts, with the column order given and no DuckDB types."""
    return QueryResult(
        columns=list(columns),
        types=["" for _ in columns],
        rows=[tuple(row.get(column) for column in columns) for row in rows],
    )
