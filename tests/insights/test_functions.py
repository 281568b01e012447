"""Every Insights function, field and operator, run over the fixture lake."""

from __future__ import annotations

import base64
import hashlib
import math
import statistics
from datetime import UTC, datetime
from typing import Any

import pytest

from loglake.analytics.insights import InsightsError, QueryScope
from loglake.analytics.lake import Lake
from loglake.analytics.query import run_insights
from tests.insights.fixture_lake import R1, R2, R3, R4, R5, T0, TRACE

ONE_ROW = f'filter @requestId = "{R4}" and @type = "REPORT"'
"""A filter that keeps exactly one row: the REPORT of the out-of-memory invocation."""


def row_of(lake: Lake, fields: str, **options: Any) -> dict[str, Any]:
    """Return the one row of ``ONE_ROW | fields ...`` as a dict by column name."""
    result = run_insights(lake, f"{ONE_ROW} | fields {fields}", **options).result
    assert len(result.rows) == 1
    return dict(zip(result.columns, result.rows[0], strict=True))


def column(lake: Lake, query: str) -> list[Any]:
    return [row[0] for row in run_insights(lake, query).result.rows]


def test_string_functions(fixture_lake: Lake) -> None:
    row = row_of(
        fixture_lake,
        'isempty("") as e1, isempty(nothing) as e2, isempty("x") as e3, '
        'isblank("  \t") as b1, isblank("a ") as b2, '
        'concat("a", nothing, @function, 1) as c, '
        'ltrim("  x ") as lt, rtrim(" x  ") as rt, trim("  x  ") as t, '
        'ltrim("xyZxyfooxyZ", "xyZ") as lt2, rtrim("xyZfooxyxyZ", "xyZ") as rt2, '
        'trim("xyZxyfooxyxyZ", "xyZ") as t2, strlen("héllo") as n, '
        'toupper("abc") as up, tolower("ÀB") as low, substr("xyZfooxyZ", 3, 3) as s3, '
        'substr(@function, 2) as s2, replace("a-b-c", "-", "+") as r, '
        'strcontains(@message, "OutOfMemory") as sc, strcontains("ABC", "b", 1) as sci, '
        'strcontains("ABC", "b") as scs, regexReplace("a1b22", /\\d+/, "#") as rr, '
        'startsWith(@function, "thu") as sw, endsWith(@function, "bs") as ew',
    )
    assert row == {
        "e1": 1,
        "e2": 1,
        "e3": 0,
        "b1": 1,
        "b2": 0,
        "c": "athumbs1",
        "lt": "x ",
        "rt": " x",
        "t": "x",
        "lt2": "fooxyZ",
        "rt2": "xyZfoo",
        "t2": "foo",
        "n": 5,
        "up": "ABC",
        "low": "àb",
        "s3": "foo",
        "s2": "umbs",
        "r": "a+b+c",
        "sc": 1,
        "sci": 1,
        "scs": 0,
        "rr": "a#b#",
        "sw": 1,
        "ew": 1,
    }


def test_encoding_and_hash_functions(fixture_lake: Lake) -> None:
    row = row_of(
        fixture_lake,
        'urlencode("a b/c") as ue, urldecode("a%20b") as ud, base64encode("hi") as be, '
        'base64decode("aGk=") as bd, base64decode("%%%") as bad, split("a,b", ",") as parts, '
        'md5("x") as m, sha256("x") as s, hexToDec("1f") as hd, decToHex(255) as dh, '
        'hexToAscii("6869") as ha',
    )
    assert row == {
        "ue": "a%20b%2Fc",
        "ud": "a b",
        "be": base64.b64encode(b"hi").decode(),
        "bd": "hi",
        "bad": None,
        "parts": ["a", "b"],
        "m": hashlib.md5(b"x").hexdigest(),
        "s": hashlib.sha256(b"x").hexdigest(),
        "hd": 31,
        "dh": "ff",
        "ha": "hi",
    }


def test_numeric_functions(fixture_lake: Lake) -> None:
    row = row_of(
        fixture_lake,
        "abs(-2.5) as a, ceil(1.2) as c, floor(-1.2) as f, greatest(1, @initDuration, 3) as g, "
        "least(4, 2, 9) as l, log(1) as ln1, sqrt(16) as sq, round(2.567, 2) as r2, "
        'round(2.5) as r0, toNumber("12.5") as tn, toInt("7.9") as ti, toLong("8") as tl, '
        'toDouble("x") as td, haversine(0, 0, 0, 1) as km',
    )
    assert row["a"] == 2.5
    assert row["c"] == 2
    assert row["f"] == -2
    # A missing field is skipped, as Insights does.
    assert row["g"] == 3
    assert row["l"] == 2
    assert row["ln1"] == 0
    assert row["sq"] == 4
    assert row["r2"] == 2.57
    assert row["r0"] == 3
    assert row["tn"] == 12.5
    assert row["ti"] == 7
    assert row["tl"] == 8
    assert row["td"] is None
    assert row["km"] == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-6)


def test_log_and_sqrt_outside_their_domain_are_missing(fixture_lake: Lake) -> None:
    # DuckDB raises an error for these, which would fail the whole query.
    row = row_of(
        fixture_lake,
        "log(0) as zero, log(@duration - @duration - 1) as negative, sqrt(-4) as root, "
        "haversine(0, 0, 0, 180) as half",
    )
    assert row["zero"] is None
    assert row["negative"] is None
    assert row["root"] is None
    assert row["half"] == pytest.approx(math.pi * 6371.0088, rel=1e-6)


def test_datetime_functions(fixture_lake: Lake) -> None:
    now = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    scope = QueryScope(start=datetime(2026, 11, 2, tzinfo=UTC), end=now, now=now)
    row = row_of(
        fixture_lake,
        "bin(5m) as b5, bin(1h) as b1, datefloor(@timestamp, 1d) as df, "
        "dateceil(@timestamp, 1h) as dc, dateceil(fromMillis(1793606400000), 1h) as dc_on, "
        "fromMillis(1793606400000) as fm, toMillis(@timestamp) as tm, now() as n, "
        "formatDate(@timestamp, '%H:%M') as fd, queryStartTime() as qs, "
        "queryEndTime() as qe, queryTimeRange() as qr, bin(1w) as week",
        scope=scope,
    )
    report_time = datetime(2026, 11, 2, 8, 2, 0, 501000, tzinfo=UTC)
    assert row["b5"] == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert row["b1"] == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert row["df"] == datetime(2026, 11, 2, tzinfo=UTC)
    assert row["dc"] == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    # A time on a boundary stays there.
    assert row["dc_on"] == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert row["fm"] == datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
    assert row["tm"] == int(report_time.timestamp() * 1000)
    assert row["n"] == int(now.timestamp())
    assert row["fd"] == "08:02"
    assert row["qs"] == int(datetime(2026, 11, 2, tzinfo=UTC).timestamp() * 1000)
    assert row["qe"] == int(now.timestamp() * 1000)
    assert row["qr"] == 36 * 3600 * 1000
    # Weeks start on Monday; 2026-11-02 is a Monday.
    assert row["week"] == datetime(2026, 11, 2, tzinfo=UTC)


def test_bin_caps_units_and_warns(fixture_lake: Lake) -> None:
    outcome = run_insights(fixture_lake, f"{ONE_ROW} | fields bin(300s) as b")
    assert outcome.result.rows == [(datetime(2026, 11, 2, 8, 2, tzinfo=UTC),)]
    assert any("bin(60s)" in warning for warning in outcome.compiled.warnings)


def test_now_filters_relative_to_query_start(fixture_lake: Lake) -> None:
    scope = QueryScope(now=datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    query = "filter toMillis(@timestamp) >= now() * 1000 - 3600000 | stats count(*) as n"
    assert run_insights(fixture_lake, query, scope=scope).result.rows == [(4,)]


def test_ip_functions(fixture_lake: Lake) -> None:
    query = (
        "filter ispresent(client_ip) | fields eventId, isValidIp(client_ip) as v, "
        "isValidIpV4(client_ip) as v4, isValidIpV6(client_ip) as v6, "
        'isIpInSubnet(client_ip, "10.0.0.0/8") as sub, isIpv4InSubnet(client_ip, "203.0.113.0/24") '
        'as sub4, isIpv6InSubnet("2001:db8::1", "2001:db8::/32") as sub6, '
        "ipv4ToNumber(client_ip) as num, isPrivateIP(client_ip) as private, "
        "isPublicIP(client_ip) as public, isReservedIP(client_ip) as reserved, "
        'isValidIp("300.1.1.1") as bad, isValidIp("10.0.0.0/8") as cidr | sort eventId'
    )
    result = run_insights(fixture_lake, query).result
    rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
    assert rows == [
        {
            "eventId": "def456",
            "v": 1,
            "v4": 1,
            "v6": 0,
            "sub": 1,
            "sub4": 0,
            "sub6": 1,
            "num": 10 * 256**3 + 1 * 256**2 + 2 * 256 + 3,
            "private": 1,
            "public": 0,
            "reserved": 0,
            "bad": 0,
            "cidr": 0,
        },
        {
            "eventId": "ev-9",
            "v": 1,
            "v4": 1,
            "v6": 0,
            "sub": 0,
            "sub4": 1,
            "sub6": 1,
            "num": 203 * 256**3 + 113 * 256 + 7,
            "private": 0,
            # 203.0.113.0/24 is reserved for documentation.
            "public": 0,
            "reserved": 1,
            "bad": 0,
            "cidr": 0,
        },
    ]


def test_general_functions(fixture_lake: Lake) -> None:
    row = row_of(
        fixture_lake,
        'coalesce(nothing, @function) as co, coalesce(nothing, 5, "x") as mixed, '
        "ispresent(@duration) as p1, ispresent(@initDuration) as p0, "
        'if(@duration > 100, "slow", "fast") as i, '
        'case(@duration > 1000, "very", @duration > 100, "slow", "fast") as c, '
        'isNumeric("1.5") as num, isNumeric("x") as text, messageSize("é") as size',
    )
    assert row == {
        "co": "thumbs",
        "mixed": 5,
        "p1": 1,
        "p0": 0,
        "i": "slow",
        "c": "slow",
        "num": 1,
        "text": 0,
        "size": 2,
    }


def test_aggregate_selectors(fixture_lake: Lake) -> None:
    query = (
        'filter @function = "orders-api" and @type = "REPORT" '
        "| stats earliest(@requestId) as first, latest(@requestId) as last"
    )
    assert run_insights(fixture_lake, query).result.rows == [(R1, R3)]
    query = "filter ispresent(eventId) | stats sortsFirst(eventId) as a, sortsLast(eventId) as b"
    assert run_insights(fixture_lake, query).result.rows == [("abc123", "ev-9")]


def test_percentiles_and_stddev(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | stats pct(@duration, 50) as p50, '
        "percentile(@duration, 100) as p100, pct(@duration, 0) as p0, "
        "median(@billedDuration) as med, stddev(@billedDuration) as sd"
    )
    [row] = run_insights(fixture_lake, query).result.rows
    assert row[:4] == (250.5, 3000.0, 30.25, 251.0)
    assert row[4] == pytest.approx(statistics.stdev([121, 31, 3000, 480, 251]))


def test_count_field_counts_present_values(fixture_lake: Lake) -> None:
    query = "stats count(*) as events, count(eventId) as withEventId, count(@requestId) as named"
    assert run_insights(fixture_lake, query).result.rows == [(23, 3, 22)]


def test_sum_of_booleans_counts_true(fixture_lake: Lake) -> None:
    query = 'filter @type = "REPORT" | stats sum(ispresent(@initDuration)) as cold'
    assert run_insights(fixture_lake, query).result.rows == [(1.0,)]


def test_unknown_function_names_nearest(fixture_lake: Lake) -> None:
    with pytest.raises(InsightsError, match="did you mean count_distinct"):
        run_insights(fixture_lake, "stats count_distnct(@requestId)")


def test_aggregate_outside_stats_is_rejected(fixture_lake: Lake) -> None:
    with pytest.raises(InsightsError, match="use it in stats"):
        run_insights(fixture_lake, "filter count(*) > 1")


def test_lambda_fields_in_insights_units(fixture_lake: Lake) -> None:
    query = (
        f'filter @type = "REPORT" and @requestId = "{R1}" | fields @timestamp, @ingestionTime, '
        "@logStream, @log, @type, @duration, @billedDuration, @initDuration, @maxMemoryUsed, "
        "@memorySize, @xrayTraceId, @xraySegmentId"
    )
    result = run_insights(fixture_lake, query).result
    assert dict(zip(result.columns, result.rows[0], strict=True)) == {
        "@timestamp": datetime.fromtimestamp((T0 + 1301) / 1000, tz=UTC),
        "@ingestionTime": datetime.fromtimestamp((T0 + 4_000_000) / 1000, tz=UTC),
        "@logStream": "2026/11/02/[$LATEST]aaaa",
        "@log": "123456789012:/aws/lambda/orders-api",
        "@type": "REPORT",
        "@duration": 120.5,
        "@billedDuration": 121.0,
        "@initDuration": 640.0,
        "@maxMemoryUsed": 100_000_000,
        "@memorySize": 1_024_000_000,
        "@xrayTraceId": TRACE,
        "@xraySegmentId": "53995c3f42cd8ad8",
    }


def test_loglake_fields(fixture_lake: Lake) -> None:
    query = (
        f'filter @requestId = "{R2}" and @type = "REPORT" | fields @function, @version, '
        "@coldStart, @status, @errorType, @level, @logGroup, @account, @memorySizeMB"
    )
    result = run_insights(fixture_lake, query).result
    assert result.rows == [
        (
            "orders-api",
            "$LATEST",
            0,
            "error",
            "KeyError",
            None,
            "/aws/lambda/orders-api",
            "123456789012",
            1024,
        )
    ]
    # R1's five lines: the JSON line names the trace, and the REPORT gives it to the rest.
    assert column(fixture_lake, f'filter @traceId = "{TRACE}" | stats count(*)') == [5]
    assert column(fixture_lake, 'filter @xrayTraceId = "' + TRACE + '" | stats count(*)') == [1]
    assert column(fixture_lake, 'filter @level = "WARN" | fields @function') == ["thumbs"]
    assert column(fixture_lake, "filter @coldStart | fields @requestId") == [R1]


def test_at_names_match_regardless_of_case(fixture_lake: Lake) -> None:
    assert column(fixture_lake, f'filter @REQUESTID = "{R5}" | stats count(*)') == [3]


def test_unknown_at_field_names_nearest(fixture_lake: Lake) -> None:
    with pytest.raises(InsightsError, match="did you mean @duration"):
        run_insights(fixture_lake, "fields @durration")


def test_structured_fields(fixture_lake: Lake) -> None:
    assert column(fixture_lake, 'filter user.tier = "gold" | fields eventId') == ["abc123"]
    assert column(fixture_lake, "filter amount > 10 | fields eventId") == ["abc123"]
    assert column(fixture_lake, "filter amount = 7 | fields eventId") == ["def456"]
    assert column(fixture_lake, 'filter tags.1 = "b" | fields eventId') == ["abc123"]
    assert column(fixture_lake, "filter user.`id` = 'u-2' | fields eventId") == ["def456"]
    assert column(fixture_lake, "filter `http-status` >= 500 | fields eventId") == ["def456"]
    assert column(fixture_lake, "filter record.metrics.durationMs > 200 | fields @requestId") == [
        R5
    ]


def test_structured_fields_keep_their_json_type(fixture_lake: Lake) -> None:
    query = "filter ispresent(amount) | fields eventId, amount, user, cold_start | sort eventId"
    assert run_insights(fixture_lake, query).result.rows == [
        ("abc123", 12.5, {"id": "u-1", "tier": "gold"}, 1),
        ("def456", 7, {"id": "u-2", "tier": "silver"}, None),
    ]


def test_arithmetic_operators(fixture_lake: Lake) -> None:
    row = row_of(
        fixture_lake,
        "2 ^ 3 as p, 10 % 3 as m, @duration * 2 as d2, (1 + 2) * 3 as q, -@duration as neg, "
        "7 / 2 as half, 1 / 0 as zero, 2 + 3 * 4 as precedence, 2 ^ 3 ^ 2 as right",
    )
    assert row == {
        "p": 8.0,
        "m": 1.0,
        "d2": 960.0,
        "q": 9,
        "neg": -480.0,
        "half": 3.5,
        "zero": None,
        "precedence": 14,
        "right": 512.0,
    }


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("@duration = 480", 1),
        ("@duration == 480", 1),
        ("@duration != 480", 4),
        ("@duration < 121", 2),
        ("@duration <= 120.5", 2),
        ("@duration > 480", 1),
        ("@duration >= 480", 2),
        ('@function = "thumbs"', 1),
        ('@function != "thumbs"', 4),
        ("@duration > 1000 or @memorySize < 1000000000", 3),
        ("not @duration > 100", 1),
        ("not (@duration > 100 and @duration < 1000)", 2),
        ('@function in ["thumbs", "renderer"]', 2),
        ('@function not in ["thumbs", "renderer"]', 3),
        ("@memorySize / 1000000 in [512, 256]", 2),
        ('@message like "Init Duration"', 1),
        ("@message like /(?i)init duration/", 1),
        ('@message not like "Init Duration"', 4),
        ('@message =~ "Status: timeout"', 1),
        ("@message =~ /Status: (timeout|error)/", 2),
    ],
)
def test_comparison_and_logic(fixture_lake: Lake, condition: str, expected: int) -> None:
    query = f'filter @type = "REPORT" | filter {condition} | stats count(*) as n'
    assert run_insights(fixture_lake, query).result.rows == [(expected,)]


def test_not_like_drops_missing_values(fixture_lake: Lake) -> None:
    # SQL's three-valued logic: a missing field is neither like nor not like a text.
    query = 'filter eventId not like "abc" | stats count(*) as n'
    assert run_insights(fixture_lake, query).result.rows == [(2,)]


def test_aliases_feed_later_commands(fixture_lake: Lake) -> None:
    query = (
        'filter @type = "REPORT" | fields @duration / 1000 as seconds '
        "| filter seconds > 0.4 | sort seconds desc | display @requestId, seconds"
    )
    assert run_insights(fixture_lake, query).result.rows == [(R3, 3.0), (R4, 0.48)]


def test_alias_redefinition_reads_the_old_value(fixture_lake: Lake) -> None:
    query = (
        "filter ispresent(amount) | fields coalesce(nothing, amount) as amount "
        "| fields amount * 2 as doubled | sort doubled | display doubled"
    )
    assert column(fixture_lake, query) == [14, 25.0]


def test_json_booleans_count_as_one_and_zero(fixture_lake: Lake) -> None:
    assert column(fixture_lake, "filter cold_start = 1 | stats count(*)") == [1]
    assert column(fixture_lake, "filter ispresent(cold_start) | stats sum(cold_start)") == [1.0]
    assert column(fixture_lake, "filter cold_start | fields eventId") == ["abc123"]


def test_invalid_regex_is_a_compile_error(fixture_lake: Lake) -> None:
    with pytest.raises(InsightsError, match=r"invalid regular expression.*RE2"):
        run_insights(fixture_lake, "filter @message like /(?<=a)b/")
    with pytest.raises(InsightsError, match=r"write /\(\?i\)"):
        run_insights(fixture_lake, "filter @message like /timeout/i")
