"""Concatenated gzip members and concatenated JSON values."""

from __future__ import annotations

import gzip

import pytest

from loglake.ingest.decode.streams import (
    GzipStreamError,
    gunzip,
    iter_gzip_members,
    parse_json_values,
)

CAP = 1024 * 1024


def test_members_offsets() -> None:
    first = gzip.compress(b"one", mtime=0)
    second = gzip.compress(b"two", mtime=0)

    members = list(iter_gzip_members(first + second, max_decompressed_bytes=CAP))

    assert [member.start for member in members] == [0, len(first)]
    assert [member.content for member in members] == [b"one", b"two"]


def test_member_larger_than_slice() -> None:
    content = bytes(range(256)) * 40_000

    members = list(
        iter_gzip_members(gzip.compress(content, mtime=0), max_decompressed_bytes=20 * CAP)
    )

    assert [member.content for member in members] == [content]


def test_many_small_members() -> None:
    data = b"".join(gzip.compress(b"%d," % number, mtime=0) for number in range(1000))

    assert gunzip(data, max_decompressed_bytes=CAP) == b"".join(b"%d," % n for n in range(1000))


def test_cap_reached_exactly() -> None:
    data = gzip.compress(bytes(4096), mtime=0)

    assert gunzip(data, max_decompressed_bytes=4096) == bytes(4096)


def test_cap_exceeded_by_one() -> None:
    data = gzip.compress(bytes(4097), mtime=0)

    with pytest.raises(GzipStreamError, match="inflates to more than 4096 bytes"):
        gunzip(data, max_decompressed_bytes=4096)


def test_cap_counts_all_members() -> None:
    member = gzip.compress(bytes(3000), mtime=0)

    with pytest.raises(GzipStreamError) as caught:
        gunzip(member + member, max_decompressed_bytes=4096)

    assert caught.value.offset == len(member)


def test_corrupt_member() -> None:
    data = bytearray(gzip.compress(b"some log text " * 50, mtime=0))
    data[-8] ^= 0xFF

    with pytest.raises(GzipStreamError, match=r"gzip member that starts at byte 0 is corrupt \("):
        gunzip(bytes(data), max_decompressed_bytes=CAP)


def test_truncated_member_offset() -> None:
    first = gzip.compress(b"one", mtime=0)
    second = gzip.compress(b"two", mtime=0)

    with pytest.raises(GzipStreamError) as caught:
        gunzip(first + second[:-3], max_decompressed_bytes=CAP)

    assert caught.value.offset == len(first)
    assert str(caught.value).startswith(
        f"gzip stream truncated after {len(first) + len(second) - 3}"
    )


def test_json_single_value() -> None:
    [value] = parse_json_values(b' {"a": 1} \n')

    assert value.value == {"a": 1}
    assert value.error is None
    assert not value.invalid_utf8


def test_json_values_back_to_back() -> None:
    values = parse_json_values(b'{"a":1}{"b":"\xe2\x89\x88"}\n[3]')

    assert [value.value for value in values] == [{"a": 1}, {"b": "≈"}, [3]]
    assert [value.payload for value in values] == [b'{"a":1}', b'{"b":"\xe2\x89\x88"}', b"[3]"]


def test_json_invalid_value_keeps_rest() -> None:
    values = parse_json_values(b'{"a":1} {"b": } {"c":3}')

    assert values[0].value == {"a": 1}
    assert values[1].payload == b'{"b": } {"c":3}'
    assert values[1].error is not None
    assert values[1].error.startswith("not valid JSON (Expecting value")
    assert len(values) == 2


def test_json_invalid_utf8_per_value() -> None:
    values = parse_json_values(b'{"a":"x"}{"b":"caf\xe9"}')

    assert [value.invalid_utf8 for value in values] == [False, True]
    assert values[1].value == {"b": "caf\ufffd"}
    assert values[1].payload == b'{"b":"caf\xe9"}'


def test_json_nan_rejected() -> None:
    values = parse_json_values(b'{"a":1}{"b":NaN}')

    assert values[1].error is not None
    assert values[1].value is None


def test_json_deep_nesting_is_error() -> None:
    values = parse_json_values(b"{}" + b"[" * 100_000)

    assert values[0].value == {}
    assert values[1].error is not None


def test_json_whitespace_only() -> None:
    assert parse_json_values(b" \n\t ") == []


def test_json_lone_surrogate_escape_accepted() -> None:
    (value,) = parse_json_values(b'{"message":"bad \\ud800 text"}')

    assert value.error is None
    assert value.value == {"message": "bad \ud800 text"}
