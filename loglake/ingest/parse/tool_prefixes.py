"""Strip the prefixes that tools add when they print or export Lambda log events.

Pasted and exported logs carry them in front of the message CloudWatch stored:

* CloudWatch console copy: ``<ISO time with local offset>\\t<message>``.
* ``aws logs tail --format short``: ``<ISO time> <message>``.
* ``aws logs tail``: ``<ISO time µs +00:00> <log stream> <message>``.
* ``sam logs``: ``<log stream> <ISO time µs> <message>``.
* A console table row: ``  | <time> | <message>``, sometimes with the text of the
  console's Copy button glued in place of the second ``|``.
* CSV export: ``<epoch ms>,"<message>"`` with ``""`` for a quote inside the message.
* pm2: ``<id>|<app> | <local time>: <message>``.
* Amplify sandbox: ``[<function>] <h:mm:ss AM> <message>``.
* Alert tools: ``[<log group>] <message>``.
"""

from __future__ import annotations

import re

from loglake.ingest.parse.patterns import ISO_TIME
from loglake.ingest.parse.timestamps import epoch_to_ms, parse_timestamp

# YYYY/MM/DD/[<version>]<instance hex>, or YYYY/MM/DD/<function>[<version>]<hex> for a
# custom log group shared by several functions.
_LOG_STREAM = r"[0-9]{4}/[0-9]{2}/[0-9]{2}/[^\s\[\]]{0,140}\[[^\]\s]{1,32}\][0-9A-Za-z]{1,64}"

_TIMED_PREFIXES = (
    re.compile(rf"\s*\|\s*({ISO_TIME})\s*(?:\||Copy)\s*"),
    # The time in front of the stream name is matched loosely because copies cut it off.
    re.compile(rf"(?:(\S{{1,64}}) )?{_LOG_STREAM}[\t ]+(?:({ISO_TIME})[\t ]+)?"),
    re.compile(rf"({ISO_TIME})[\t ]+"),
    re.compile(r"[0-9]{1,6}\|[^|\r\n]{0,64}\|\s*([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}):\s"),
)
_UNTIMED_PREFIXES = (
    re.compile(r"\[[^\]\r\n]{1,128}\] [0-9]{1,2}:[0-9]{2}:[0-9]{2} [AP]M "),
    re.compile(r"\[/[^\]\r\n]{0,512}\] "),
)
_CSV_ROW = re.compile(r"([0-9]{10,16}),\"(.*)\"\s*", re.DOTALL)


def strip_tool_prefix(message: str) -> tuple[str, int | None] | None:
    """Remove one tool prefix and return the rest with the prefix's time in epoch ms.

    Returns None when ``message`` starts with no known prefix. The time is None when the
    prefix has none or it cannot be parsed.
    """
    csv_row = _CSV_ROW.fullmatch(message)
    if csv_row is not None:
        return csv_row[2].replace('""', '"'), epoch_to_ms(int(csv_row[1]))

    for pattern in _TIMED_PREFIXES:
        match = pattern.match(message)
        if match is not None:
            return message[match.end() :], _first_timestamp(match.groups())

    for pattern in _UNTIMED_PREFIXES:
        match = pattern.match(message)
        if match is not None:
            return message[match.end() :], None
    return None


def _first_timestamp(texts: tuple[str | None, ...]) -> int | None:
    for text in texts:
        timestamp_ms = parse_timestamp(text) if text else None
        if timestamp_ms is not None:
            return timestamp_ms
    return None
