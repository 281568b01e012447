"""Timestamp forms of Lambda log lines converted to UTC epoch milliseconds."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loglake.ingest.parse import timestamps
from loglake.ingest.parse.timestamps import epoch_to_ms, parse_timestamp

TEXT_CASES = [
    # Node.js and Python runtime prefixes.
    ("2019-06-11T08:42:17.509Z", 1560242537509),
    # Python's JSON log format: no milliseconds.
    ("2024-07-02T09:14:21Z", 1719911661000),
    # Powertools for Python: comma decimal mark and an offset without a colon.
    ("2021-05-03 11:47:12,494+0200", 1620035232494),
    # Older Powertools: no offset, read as UTC.
    ("2021-03-22 16:05:12,447", 1616429112447),
    # structlog: microseconds and +00:00.
    ("2026-09-29T03:34:39.917361+00:00", 1790652879917),
    # logrus: five fraction digits and a negative offset.
    ("2023-04-21T10:05:33.31862-07:00", 1682096733318),
    # Go's time.Time string: nanoseconds, a space before the offset and a zone name.
    ("2014-03-12 08:41:06.127830462 -0400 EDT", 1394628066127),
    # Go's log package.
    ("2020/04/02 11:18:46", 1585826326000),
    # CloudWatch Logs Insights.
    ("2026-06-18 23:12:09.517", 1781824329517),
    # aws logs tail.
    ("2026-07-09T14:26:03.482000+00:00", 1783607163482),
    # An offset of hours only.
    ("2026-07-09T16:26:03+02", 1783607163000),
]

INVALID_TEXTS = [
    "",
    "2024-W01",
    "2024-13-01T00:00:00Z",
    "2024-02-30T00:00:00Z",
    "2019-06-11T08:42:1x.509Z",
    "2019-06-11T08:42:17.5x9Z",
    "2019-06-11T08:42:17.509Z ",
    "2019/06-11 08:42:17",
    # Valid fields, but outside the range of the lake's TIMESTAMP(ms) column.
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "not a time",
]

EPOCH_CASES = [
    (1793607251.204117, 1793607251204),  # zap: seconds as a float
    (1500000000.001, 1500000000001),  # float error must not floor to ...000
    (1681294310277, 1681294310277),  # pino: milliseconds
    (1734017862418305, 1734017862418),  # microseconds
    (1734017862418305127, 1734017862418),  # spans: nanoseconds above 2**53
    (0, 0),
    (-1.5, -1500),
]


@pytest.mark.parametrize(("text", "expected_ms"), TEXT_CASES)
def test_parse_timestamp_forms(text: str, expected_ms: int) -> None:
    assert parse_timestamp(text) == expected_ms


@pytest.mark.parametrize("text", INVALID_TEXTS)
def test_parse_timestamp_invalid(text: str) -> None:
    assert parse_timestamp(text) is None


def test_parse_timestamp_cached_second() -> None:
    first = parse_timestamp("2026-11-02T08:14:09.551Z")
    second = parse_timestamp("2026-11-02T08:14:09.552Z")

    assert first == 1793607249551
    assert second == 1793607249552


@pytest.mark.parametrize(("value", "expected_ms"), EPOCH_CASES)
def test_epoch_to_ms_units(value: float, expected_ms: int) -> None:
    assert epoch_to_ms(value) == expected_ms


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 10**21, 1e300])
def test_epoch_to_ms_invalid(value: float) -> None:
    assert epoch_to_ms(value) is None


# Fields around the edges of their ranges, so the cached forms meet invalid dates and times.
YEARS = st.sampled_from(
    ["0000", "0001", "1970", "2024", "2026", "9999", "12a4", "\u0662\u0660\u0662\u0664"]
)
TWO_DIGITS = st.sampled_from(["00", "01", "02", "12", "13", "23", "24", "28", "29", "30", "31"])
MORE_DIGITS = TWO_DIGITS | st.sampled_from(["59", "60", "99", "1x", "\u06631"])


@st.composite
def second_texts(draw: st.DrawFn) -> str:
    """Draw 19 characters shaped like ``YYYY-MM-DDTHH:MM:SS``, valid or not."""
    year = draw(YEARS)
    dash = draw(st.sampled_from(["-", "-", "/", ":"]))
    tee = draw(st.sampled_from(["T", "T", " ", "t"]))
    colons = [draw(st.sampled_from([":", ":", "-", "+"])) for _ in range(2)]
    month, day, hour = draw(TWO_DIGITS), draw(TWO_DIGITS), draw(TWO_DIGITS)
    minute, second = draw(MORE_DIGITS), draw(MORE_DIGITS)
    return f"{year}{dash}{month}{dash}{day}{tee}{hour}{colons[0]}{minute}{colons[1]}{second}"


def reference_parse(text: str) -> int | None:
    """Parse ``text`` the way parse_timestamp did before it cached seconds and dates."""
    if len(text) == 24 and text[23] == "Z" and text[19] == "." and text[10] == "T":
        prefix = timestamps._parse_any_text(text[:19])
        fraction = text[20:23]
        if prefix is None or not (fraction.isascii() and fraction.isdigit()):
            return None
        return prefix // 1000 * 1000 + int(fraction)
    return timestamps._parse_any_text(text)


EDGE_SECONDS = [
    "2024-01-01T24:00:00",
    "2024-01-01T23:60:00",
    "2024-01-01T23:59:60",
    "2024-01-01T23:59:59",
    "2024-02-29T00:00:00",
    "2023-02-29T00:00:00",
    "0000-01-01T00:00:00",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59",
    "2024-01-01T12:00+01",
    "2024-01-01T12:00-0100"[:19],
    "2024/01/01T12:00:00",
    "2024-01-01T12:0\u0663:00",
]


@pytest.mark.parametrize("second", EDGE_SECONDS)
def test_cached_forms_edges(second: str) -> None:
    for text in (second + "Z", second + ".123Z", second):
        assert parse_timestamp(text) == reference_parse(text)


@settings(max_examples=600)
@given(second=second_texts(), fraction=st.sampled_from(["000", "551", "5x1", "\u0663\u0660\u0660"]))
def test_cached_forms_match_general_parser(second: str, fraction: str) -> None:
    for text in (second + "Z", f"{second}.{fraction}Z", second):
        assert parse_timestamp(text) == reference_parse(text)


@settings(max_examples=300)
@given(text=st.text(st.sampled_from("0123456789-/:T Z.+"), min_size=19, max_size=24))
def test_any_short_text_matches_general_parser(text: str) -> None:
    assert parse_timestamp(text) == reference_parse(text)


@settings(max_examples=600)
@given(
    second=second_texts(),
    fraction=st.sampled_from(["", ".1", ",30", ".306", ",1234", ".837123", ".123456789", "."]),
    zone=st.sampled_from(["", "Z", "+0000", "+00:00", "+00", "-00:00", "+0100", " +0000", "z"]),
    name=st.sampled_from(["", " EDT", " UTC"]),
)
def test_utc_forms_match_general_parser(second: str, fraction: str, zone: str, name: str) -> None:
    text = second + fraction + zone + name

    assert parse_timestamp(text) == reference_parse(text)
