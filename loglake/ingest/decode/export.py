"""CloudWatch Logs export objects, as CreateExportTask writes them to S3.

An export task writes ``<prefix>/<task id>/<log stream>/000000.gz`` (and further numbers),
gzip'd text with one line per event: ``<ISO-8601 UTC timestamp> <message>``. A message
that contains ``\\n`` continues on lines without a timestamp. The objects do not name the
log group, so the caller does.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from loglake.ingest.decode.records import InvalidPayload, preview
from loglake.ingest.model import LogEvent

EXPORT = "export"

PROBE_OBJECT_NAME = "aws-logs-write-test"
"""The object an export task writes at its prefix to test its write permission. It contains
no events."""

# NOTE: a continuation line that itself starts with "<timestamp>Z " reads as a new event;
# the format cannot tell the two apart.
_EVENT_LINE = re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?Z(?: |$)")
_OBJECT_NAME = re.compile(r"\d{6}(?:\.gz)?")
_DATE_FOLDERS = (re.compile(r"\d{4}"), re.compile(r"\d\d"), re.compile(r"\d\d"))
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


class NotExportText(InvalidPayload):
    """Text whose first non-empty line is not an export line, so the text is not an export."""


def export_stream_name(name: str) -> str | None:
    """Return the log stream named by an export object's key, or None when the key has none.

    The key must end in ``<stream>/000000.gz`` (or a plain ``000000`` after gunzip). Lambda
    stream names contain ``/`` (``2024/01/05/[$LATEST]<hex>``), so four folders that start
    with a date make up one stream name.
    """
    # str.split, not pathlib: pathlib adds about 8 ms to the Lambda's import time.
    parts = [part for part in name.split("/") if part]
    if len(parts) < 2 or not _OBJECT_NAME.fullmatch(parts[-1]):
        return None

    # NOTE: it is not verified that AWS keeps the "/" of stream names as folders. moto's
    # emulation writes "-" instead, and such names are returned unchanged.
    folders = parts[:-1]
    date_folders = folders[-4:-1]
    if len(folders) >= 4 and all(
        pattern.fullmatch(folder)
        for pattern, folder in zip(_DATE_FOLDERS, date_folders, strict=True)
    ):
        return "/".join(folders[-4:])

    return folders[-1]


def export_events(text: str) -> list[LogEvent]:
    """Split export text into events, joining continuation lines to the event before them.

    Each event is read as written ``<timestamp> <message>\\n``, so an empty line between two
    events is the first event's trailing newline. Empty lines before the first event are
    skipped. Raises NotExportText when the first non-empty line has no timestamp, and
    InvalidPayload for a timestamp that is not a valid time.
    """
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()

    events: list[LogEvent] = []
    timestamp_ms = 0
    parts: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        match = _EVENT_LINE.match(line)
        if match is not None:
            if parts is not None:
                events.append(LogEvent(None, timestamp_ms, "\n".join(parts)))

            timestamp_ms = _epoch_ms(match, number)
            parts = [line[match.end() :]]
        elif parts is not None:
            parts.append(line)
        elif line:
            raise NotExportText(_not_export_reason(number, line))

    if parts is not None:
        events.append(LogEvent(None, timestamp_ms, "\n".join(parts)))

    return events


def _epoch_ms(match: re.Match[str], number: int) -> int:
    year, month, day, hour, minute, second = (int(group) for group in match.groups()[:6])
    try:
        moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError as exc:
        raise InvalidPayload(
            f"line {number}: timestamp {match.group(0).strip()} is not a valid time ({exc}); "
            "expected an ISO-8601 UTC timestamp"
        ) from exc

    fraction = match.group(7) or ""
    milliseconds = int((fraction + "000")[:3])
    return (moment - _EPOCH) // _MILLISECOND + milliseconds


def _not_export_reason(number: int, line: str) -> str:
    return (
        f"line {number} does not start with an ISO-8601 UTC timestamp "
        f"(it starts with {preview(line[:40])}) as a CloudWatch Logs export line does"
    )
