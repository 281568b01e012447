"""Time options of the CLI: ``--since 2h`` or ``--start TIME --end TIME``."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click

_DURATION = re.compile(r"^\s*(\d+)\s*(s|m|h|d|w)\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """Parse ``30s``, ``15m``, ``2h``, ``7d`` or ``1w`` into a timedelta."""
    match = _DURATION.match(text)
    if match is None:
        raise click.BadParameter(
            f"{text!r} is not a duration: use a number and a unit, such as 15m, 2h or 7d"
        )
    try:
        duration = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    except OverflowError:
        raise click.BadParameter(f"{text!r} is longer than Python can represent") from None
    if not duration:
        raise click.BadParameter(f"{text!r} is an empty duration: use at least 1s")
    return duration


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time (UTC when it names no zone) or epoch milliseconds."""
    stripped = text.strip()
    try:
        if stripped.isdigit():
            if len(stripped) <= 10:
                # Epoch milliseconds of 10 digits or fewer are before 1970-04-27: almost
                # certainly epoch seconds, as `aws logs start-query` takes them.
                raise click.BadParameter(
                    f"{text!r} looks like epoch seconds: give epoch milliseconds "
                    f"({stripped}000) or ISO 8601 such as 2026-11-02T08:00:00Z"
                )
            return datetime.fromtimestamp(int(stripped) / 1000, tz=UTC)
        parsed = datetime.fromisoformat(stripped)
    except (ValueError, OverflowError, OSError):
        raise click.BadParameter(
            f"{text!r} is not a time: use ISO 8601 such as 2026-11-02T08:00:00Z, "
            "or epoch milliseconds"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def resolve_range(
    since: str | None, start: str | None, end: str | None, *, now: datetime, default_since: str
) -> tuple[datetime, datetime]:
    """Return [start, end) from ``--since`` or ``--start``/``--end``; ``--since`` ends now."""
    if since is not None and (start is not None or end is not None):
        raise click.UsageError("use either --since or --start/--end, not both")
    if end is not None and start is None:
        raise click.UsageError("--end needs --start; use --since for a range that ends now")

    if start is None:
        duration = parse_duration(since or default_since)
        if duration > now - datetime(1970, 1, 1, tzinfo=UTC):
            raise click.BadParameter(f"{since!r} reaches back before 1970", param_hint="--since")
        return now - duration, now

    range_start = parse_time(start)
    range_end = parse_time(end) if end is not None else now
    if range_end <= range_start:
        raise click.UsageError(
            f"--end {range_end.isoformat()} is not after --start {range_start.isoformat()}"
        )
    return range_start, range_end
