"""The outcome of one evaluation of a rule: a value per alert, with the evidence."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from loglake.analytics.alerts.notification import MAX_SAMPLES, Pattern, Sample
from loglake.analytics.output import plain_value


@dataclass(frozen=True, slots=True)
class Window:
    """An evaluation: its instant and the rows it reads, ``[start, end)``."""

    at: datetime
    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Observation:
    """One alert's value in one evaluation; a None value is no data."""

    labels: dict[str, str]
    value: float | None
    samples: tuple[Sample, ...] = ()
    reproduce: str = ""
    pattern: Pattern | None = None
    details: dict[str, Any] = field(default_factory=dict)
    load_samples: Callable[[], tuple[Sample, ...]] | None = field(default=None, compare=False)
    """Reads the samples when a notification needs them, which most evaluations do not."""

    @property
    def key(self) -> str:
        """Return the alert's identity within its rule, such as ``function=orders-api``."""
        return alert_key(self.labels)


def alert_key(labels: dict[str, str]) -> str:
    """Return ``name=value`` pairs in name order, joined by commas; empty for no labels."""
    return ",".join(f"{name}={labels[name]}" for name in sorted(labels))


def samples_from_rows(rows: list[tuple[Any, ...]]) -> tuple[Sample, ...]:
    """Return samples from ``(timestamp, function, request_id, message)`` rows."""
    return tuple(
        Sample(timestamp=row[0], function=row[1], request_id=row[2], message=row[3] or "")
        for row in rows[:MAX_SAMPLES]
    )


def shell_command(*words: str) -> str:
    """Return the words as a command line a POSIX shell runs unchanged.

    A word with single quotes (SQL literals) goes in double quotes when it has none of the
    characters a shell expands there, which reads better than shlex's ``'"'"'``.
    """
    return " ".join(_shell_word(word) for word in words)


def _shell_word(word: str) -> str:
    if "'" in word and not any(character in word for character in '"$`\\!'):
        return f'"{word}"'
    return shlex.quote(word)


def time_text(moment: datetime) -> str:
    """Return an instant as the ISO 8601 UTC text that --start and --end accept."""
    return str(plain_value(moment))
