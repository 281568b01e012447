"""Bounded gunzip of concatenated gzip members, and splitting of concatenated JSON values.

A Firehose delivery stream that writes CloudWatch Logs records to S3 without a transform
concatenates the records: an object is several gzip members back to back, or, with
Firehose's decompression turned on, several JSON documents with no separator.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import orjson

from loglake.ingest.decode.records import InvalidPayload

GZIP_MAGIC = b"\x1f\x8b"

MAX_RECORD_DECOMPRESSED_BYTES = 64 * 1024 * 1024
"""Cap on one Lambda event record's decompressed size, a guard against gzip bombs.

An estimate with wide room: CloudWatch Logs does not document its subscription batch size,
PutLogEvents accepts at most 1 MB of events per call, and JSON escaping grows a message at
most six times (``\\u0000`` for a control character). Deflate reaches ratios near 1000:1,
so a 1 MB record could otherwise inflate to 1 GB.
"""

MAX_FILE_DECOMPRESSED_BYTES = 1024 * 1024 * 1024
"""Default cap on one file's decompressed size, a guard against gzip bombs.

The whole decompressed file is held in memory. Firehose buffers up to 128 MiB of already
gzip'd records per S3 object (``SizeInMBs`` in its BufferingHints API). Such an object can
exceed this cap, so ``decode_file`` takes a larger cap as an argument.
"""

# Input is fed to zlib in slices because zlib copies all input after a member's end into
# ``unused_data``: feeding a whole 100 MB object would copy the rest of it once per member.
_FIRST_SLICE_BYTES = 16 * 1024
_MAX_SLICE_BYTES = 1024 * 1024

_JSON_WHITESPACE = re.compile(r"[ \t\n\r]*")
_JSON_SCANNER = json.JSONDecoder()


class GzipStreamError(InvalidPayload):
    """A gzip stream that ends early, is corrupt, or inflates past its cap."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(reason)
        self.offset = offset
        """Offset of the first byte of the member (or trailing bytes) that failed."""


@dataclass(frozen=True, slots=True)
class GzipMember:
    """One decompressed gzip member."""

    start: int
    """Offset of the member's first byte in the compressed data."""
    content: bytes


@dataclass(frozen=True, slots=True)
class JsonValue:
    """One JSON value of a stream of concatenated values, parsed or not."""

    payload: bytes
    """The value's own bytes; for a value that failed, the rest of the stream."""
    value: Any = None
    invalid_utf8: bool = False
    """The bytes were not valid UTF-8, so strings carry U+FFFD replacements."""
    error: str | None = None
    """The reason the bytes are not valid JSON. ``value`` is None when it is set."""


def iter_gzip_members(data: bytes, *, max_decompressed_bytes: int) -> Iterator[GzipMember]:
    """Decompress each gzip member of ``data`` in turn.

    Raises GzipStreamError, after yielding the members before it, for a truncated or corrupt
    member, for bytes after the last member that are not gzip, and when the members together
    inflate past ``max_decompressed_bytes``.
    """
    view = memoryview(data)
    start = 0
    produced = 0
    while start < len(data):
        if data[start : start + 2] != GZIP_MAGIC:
            raise GzipStreamError(_trailing_bytes_reason(data, start), start)

        room = max_decompressed_bytes - produced
        content, end = _inflate_member(view, start, room, max_decompressed_bytes)
        produced += len(content)
        yield GzipMember(start, content)

        start = end


def gunzip(data: bytes, *, max_decompressed_bytes: int) -> bytes:
    """Decompress all gzip members of ``data`` into one byte string."""
    single = _inflate_single_member(data, max_decompressed_bytes)
    if single is not None:
        return single

    members = iter_gzip_members(data, max_decompressed_bytes=max_decompressed_bytes)
    return b"".join(member.content for member in members)


def _inflate_single_member(data: bytes, cap: int) -> bytes | None:
    """Inflate ``data`` in one call when it is one small, whole gzip member, else return None.

    A subscription delivery is one member, and this skips the slicing loop of
    ``_inflate_member``. Anything else (data over 1 MB, several members, trailing bytes,
    a truncated or corrupt member, output past ``cap``) returns None, so that
    ``iter_gzip_members`` handles it and names the failure.
    """
    if len(data) > _MAX_SLICE_BYTES or not data.startswith(GZIP_MAGIC):
        return None

    inflater = zlib.decompressobj(wbits=31)
    try:
        content = inflater.decompress(data, cap + 1)
    except zlib.error:
        return None
    if not inflater.eof or inflater.unused_data or len(content) > cap:
        return None
    return content


def _inflate_member(view: memoryview, start: int, room: int, cap: int) -> tuple[bytes, int]:
    """Inflate the member that starts at ``start``; return its content and end offset.

    ``room`` is what is left of ``cap``, the limit on all members together.
    """
    inflater = zlib.decompressobj(wbits=31)
    pieces: list[bytes] = []
    produced = 0
    position = start
    slice_bytes = _FIRST_SLICE_BYTES
    pending: bytes | memoryview = b""
    while not inflater.eof:
        if not pending:
            if position >= len(view):
                raise GzipStreamError(_truncated_reason(len(view), start), start)

            pending = view[position : position + slice_bytes]
            position += len(pending)
            slice_bytes = min(slice_bytes * 2, _MAX_SLICE_BYTES)

        # max_length of room + 1 lets a member that passes the cap by one byte show it.
        try:
            piece = inflater.decompress(pending, room - produced + 1)
        except zlib.error as exc:
            raise GzipStreamError(_corrupt_reason(start, exc), start) from exc

        produced += len(piece)
        if produced > room:
            raise GzipStreamError(_too_large_reason(start, cap), start)

        pieces.append(piece)
        pending = inflater.unconsumed_tail

    return b"".join(pieces), position - len(inflater.unused_data)


def _truncated_reason(size: int, start: int) -> str:
    return (
        f"gzip stream truncated after {size} bytes: the gzip member that starts at byte "
        f"{start} has no end, so the data was cut short before loglake received it; "
        "send or download the complete data again"
    )


def _corrupt_reason(start: int, exc: zlib.error) -> str:
    return (
        f"gzip member that starts at byte {start} is corrupt ({exc}); "
        "send or download the original bytes again"
    )


def _too_large_reason(start: int, cap: int) -> str:
    return (
        f"gzip data inflates to more than {cap} bytes (in the member that starts at byte "
        f"{start}), the cap that guards against gzip bombs; split the data into smaller parts, "
        "or for loglake ingest raise LOGLAKE_MAX_FILE_MB"
    )


def _trailing_bytes_reason(data: bytes, start: int) -> str:
    return (
        f"{len(data) - start} bytes at byte {start} are not gzip (they start with "
        f"{data[start : start + 16]!r}, where a gzip member starts with 1f 8b); "
        "remove the bytes that follow the gzip data"
    )


def parse_json_values(content: bytes) -> list[JsonValue]:
    """Parse the JSON values in ``content``, one after another, with any whitespace between.

    A single value takes the fast path through orjson. Concatenated values are split with
    the standard library's ``raw_decode`` (orjson parses one document only) and each piece
    is parsed again with orjson, so both paths accept exactly the same JSON. Parsing stops
    at the first invalid value, which carries the rest of ``content`` as its payload.
    """
    single = parse_json_value(content)
    if single.error is None:
        return [single]

    return _split_json_values(content)


def parse_json_value(payload: bytes) -> JsonValue:
    """Parse one JSON value, replacing bytes that are not valid UTF-8 with U+FFFD."""
    try:
        return JsonValue(payload, orjson.loads(payload))
    except orjson.JSONDecodeError as exc:
        error = exc

    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return _parse_invalid_utf8(payload)

    # orjson rejects lone surrogate escapes such as "\ud800" and integers beyond 64 bits,
    # which the standard library accepts. The rows keep such surrogates as escape text.
    try:
        return JsonValue(payload, json.loads(text, parse_constant=_reject_constant))
    except (ValueError, RecursionError):
        return JsonValue(payload, error=f"not valid JSON ({error})")


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _parse_invalid_utf8(payload: bytes) -> JsonValue:
    text = payload.decode("utf-8", "replace")
    try:
        return JsonValue(payload, orjson.loads(text), invalid_utf8=True)
    except orjson.JSONDecodeError as exc:
        return JsonValue(payload, invalid_utf8=True, error=f"not valid JSON ({exc})")


def _split_json_values(content: bytes) -> list[JsonValue]:
    # surrogateescape maps each invalid byte to one lone surrogate and back, so every
    # value's original bytes can be recovered from the text.
    text = content.decode("utf-8", "surrogateescape")
    values: list[JsonValue] = []
    position = _skip_whitespace(text, 0)
    while position < len(text):
        try:
            _, end = _JSON_SCANNER.raw_decode(text, position)
        except ValueError as exc:
            # JSONDecodeError, or Python's limit on the digits of an integer literal.
            values.append(_rest_as_error(text, position, f"not valid JSON ({exc})"))
            break
        except RecursionError:
            reason = "not valid JSON: arrays or objects nest too deeply to parse"
            values.append(_rest_as_error(text, position, reason))
            break

        piece = text[position:end].encode("utf-8", "surrogateescape")
        values.append(parse_json_value(piece))
        position = _skip_whitespace(text, end)

    return values


def _rest_as_error(text: str, position: int, reason: str) -> JsonValue:
    rest = text[position:]
    payload = rest.encode("utf-8", "surrogateescape")
    return JsonValue(payload, invalid_utf8=_has_lone_surrogate(rest), error=reason)


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True

    return False


def _skip_whitespace(text: str, position: int) -> int:
    match = _JSON_WHITESPACE.match(text, position)
    return position if match is None else match.end()
