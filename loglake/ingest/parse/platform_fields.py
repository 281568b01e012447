"""Split the ``Key: value`` pairs of Lambda's TEXT-format platform lines.

Lambda separates pairs with TABs, but console, ``sam logs`` and Markdown copies turn
TABs into runs of spaces, and a value such as ``412.07 ms`` contains a space itself. So
any capitalised key is accepted at the start or after a TAB or line break, and after a
space only the keys Lambda is known to print.
"""

from __future__ import annotations

import functools
import re

# Lambda's keys with their snake_case names in ``fields``.
_KNOWN_KEYS: dict[str, str] = {
    "RequestId": "request_id",
    "Version": "version",
    "Duration": "duration",
    "Billed Duration": "billed_duration",
    "Memory Size": "memory_size",
    "Max Memory Used": "max_memory_used",
    "Init Duration": "init_duration",
    "Billed Restore Duration": "billed_restore_duration",
    "Restore Duration": "restore_duration",
    "Status": "status",
    "Error Type": "error_type",
    "XRAY TraceId": "xray_trace_id",
    "TraceId": "trace_id",
    "SegmentId": "segment_id",
    "Sampled": "sampled",
    "Runtime Version ARN": "runtime_version_arn",
    "Runtime Version": "runtime_version",
    "Phase": "phase",
    "Name": "name",
    "State": "state",
    "Events": "events",
    "Types": "types",
}

# Capitalised words before a colon. A candidate that follows a space can start inside
# the previous value ("MB Max Memory Used:"), so only a known key at its end counts.
# The bounds keep each attempt short, so a long run of capitalised words costs linear time.
_KEY_CANDIDATE = re.compile(r"([A-Z][A-Za-z]{0,40}(?: [A-Z][A-Za-z]{0,40}){0,5}):(?=\s|$)")

_VALUE_END = re.compile(r"[\t\r\n]")


def split_key_values(text: str) -> dict[str, str]:
    """Split ``text`` into snake_case keys and their values as printed.

    A value is the text after its key up to the next key, TAB or line break, without
    surrounding whitespace. Text after such a break that has no key of its own (such as
    the cut-off ``Segmen…`` of a truncated line) is not kept in the result, only in the
    raw message. When a key repeats, the first wins.
    """
    pairs = split_tab_separated(text)
    if pairs is not None:
        return pairs
    return split_at_key_candidates(text)


def split_at_key_candidates(text: str) -> dict[str, str]:
    """Split ``text`` like ``split_key_values``, for any layout of keys and separators."""
    pairs: dict[str, str] = {}
    name: str | None = None
    value_start = 0

    for match in _KEY_CANDIDATE.finditer(text):
        start = match.start()
        if start == 0 or text[start - 1] in "\t\r\n":
            next_name = _snake_case(match.group(1))
            key_start = start
        else:
            known = _find_known_key(match.group(1), text[start - 1].isspace())
            if known is None:
                continue
            next_name, key_length = known
            key_start = match.end(1) - key_length

        if name is not None:
            _add_value(pairs, name, text[value_start:key_start])
        name = next_name
        value_start = match.end()

    if name is not None:
        _add_value(pairs, name, text[value_start:])
    return pairs


def split_tab_separated(text: str) -> dict[str, str] | None:
    """Split the layout Lambda writes, or return None for any other text.

    That layout is known keys, each followed by ``": "`` and a value with no colon and no
    surrounding whitespace, separated by TABs and line feeds. Because every key candidate
    ends in a colon, such text contains no candidate besides its keys, so
    ``split_at_key_candidates`` returns the same pairs.
    """
    if "\r" in text:
        return None

    pairs: dict[str, str] = {}
    for segment in text.replace("\n", "\t").split("\t"):
        if not segment:
            continue
        key, separator, value = segment.partition(": ")
        name = _KNOWN_KEYS.get(key)
        if name is None or not separator or ":" in value or value.strip() != value:
            return None
        pairs.setdefault(name, value)
    return pairs


def _add_value(pairs: dict[str, str], name: str, text: str) -> None:
    value = text.strip()
    if "\t" in value or "\n" in value or "\r" in value:
        value = _VALUE_END.split(value, maxsplit=1)[0].rstrip()
    pairs.setdefault(name, value)


@functools.lru_cache(maxsize=256)
def _find_known_key(candidate: str, after_space: bool) -> tuple[str, int] | None:
    """Return the snake_case name and length of the known key that ends ``candidate``.

    The key must start after a space: at the first word only when ``candidate`` itself
    follows a space, because otherwise its first word starts inside another word.
    """
    words = candidate.split(" ")
    for index in range(0 if after_space else 1, len(words)):
        suffix = " ".join(words[index:])
        if suffix in _KNOWN_KEYS:
            return _KNOWN_KEYS[suffix], len(suffix)
    return None


@functools.lru_cache(maxsize=256)
def _snake_case(key: str) -> str:
    known = _KNOWN_KEYS.get(key)
    if known is not None:
        return known

    # "Billed Restore Duration" -> billed_restore_duration, "SnapshotId" -> snapshot_id.
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).split()
    return "_".join(word.lower() for word in words)
